//! What operators see and configure: `GET /metrics`.

use serde_json::json;

use crate::helpers::{Backend, error_code, spawn_app_with};
use crate::on_both_backends;

/// The metrics token of the test servers (32 bytes or more).
const METRICS_TOKEN: &str = "metrics-token-for-the-tests-0123456789";

/// The value of the sample `name{labels}` in a Prometheus text exposition
/// (0 when absent).
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, "}"));
            if metric != name {
                return None;
            }
            let pairs = rest.trim_end_matches('}');
            let matches = labels.iter().all(|(key, want)| {
                pairs
                    .split(',')
                    .any(|pair| pair == format!("{key}=\"{want}\""))
            });
            matches.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

async fn metrics_text(app: &crate::helpers::TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.unwrap()
}

on_both_backends!(
    metrics_count_requests_by_root_field_and_outcome =>
        metrics_count_requests_by_root_field_and_outcome_sqlite,
        metrics_count_requests_by_root_field_and_outcome_postgres
);

async fn metrics_count_requests_by_root_field_and_outcome(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.metrics_token = Some(METRICS_TOKEN.to_owned());
        settings.metrics_listen = Some("127.0.0.1:0".to_owned());
    })
    .await
    else {
        return;
    };
    // Only to the token's bearer, and as if absent to anyone else.
    for token in [None, Some("wrong"), Some(&app.secretariat()[..])] {
        let mut request = app.client.get(format!("{}/metrics", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), 404);
    }

    let before = metrics_text(&app).await;
    let viewer_ok = [("operation", "viewer"), ("outcome", "ok")];
    let token = app.secretariat();
    // The client's operation name is not a label: its root field is.
    let body = app
        .gql(
            &token,
            "query TheSecretTitleOfADraft { viewer { id } }",
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (status, _) = app
        .post(
            Some("not.a.token"),
            &json!({ "query": "{ viewer { id } }" }),
        )
        .await;
    assert_eq!(status, 401);
    let body = app
        .gql(&token, "{ inventedFieldOfSomeone }", json!({}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));
    let body = app
        .gql(
            &token,
            r#"{ draft(id: "00000000-0000-0000-0000-000000000000") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"));

    let after = metrics_text(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    assert!(
        moved("accord_graphql_requests_total", &viewer_ok) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_request_duration_seconds_count",
            &[("operation", "viewer")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "none"), ("outcome", "UNAUTHENTICATED")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "none"), ("outcome", "BAD_USER_INPUT")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "draft"), ("outcome", "NOT_FOUND")]
        ) >= 1.0,
        "{after}"
    );
    assert!(!after.contains("TheSecretTitleOfADraft"), "{after}");
    assert!(!after.contains("inventedFieldOfSomeone"), "{after}");
    // The pools, read when /metrics is.
    assert!(
        sample(&after, "accord_db_connections_max", &[("pool", "main")]) >= 1.0,
        "{after}"
    );
    assert!(
        after.contains("accord_db_connections{pool=\"main\",state=\"idle\"}"),
        "{after}"
    );
    assert!(after.contains("accord_subscription_sockets"), "{after}");

    // The metrics' own listener needs no token; it serves nothing else.
    let own = app.metrics_base.as_ref().unwrap();
    let response = app
        .client
        .get(format!("{own}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("accord_graphql_requests_total")
    );
    let graphql = app
        .client
        .get(format!("{own}/graphql"))
        .send()
        .await
        .unwrap();
    assert_eq!(graphql.status(), 404);
}

on_both_backends!(
    metrics_can_be_turned_off =>
        metrics_can_be_turned_off_sqlite,
        metrics_can_be_turned_off_postgres
);

async fn metrics_can_be_turned_off(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.metrics = false;
        settings.metrics_token = Some(METRICS_TOKEN.to_owned());
        settings.metrics_listen = Some("127.0.0.1:0".to_owned());
    })
    .await
    else {
        return;
    };
    let response = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(app.metrics_base.is_none());
}
