//! What the HTTP layer refuses before GraphQL runs, the query limits, and
//! the endpoints that need no token.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, graphiql_assets, spawn_app};
use crate::on_both_backends;

on_both_backends!(
    http_limits =>
        the_http_layer_refuses_what_it_must_sqlite,
        the_http_layer_refuses_what_it_must_postgres
);
on_both_backends!(
    query_limits =>
        depth_and_alias_limits_hold_sqlite,
        depth_and_alias_limits_hold_postgres
);
on_both_backends!(
    open_endpoints =>
        health_readiness_and_graphiql_need_no_token_sqlite,
        health_readiness_and_graphiql_need_no_token_postgres
);

async fn raw(app: &TestApp, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(app.secretariat())
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn http_limits(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let viewer = json!({ "query": "{ viewer { id } }" });

    // The same request is fine as a single JSON object.
    let (status, body) = raw(
        &app,
        "application/json; charset=utf-8",
        viewer.to_string().into_bytes(),
    )
    .await;
    assert_eq!(
        (status, &body["data"]["viewer"]["id"]),
        (200, &json!("cica-officer")),
        "{body}"
    );

    let (status, body) = raw(
        &app,
        "application/json",
        json!([viewer, viewer]).to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 400, "a batch: {body}");
    assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));

    let (status, body) = raw(&app, "text/plain", viewer.to_string().into_bytes()).await;
    assert_eq!(status, 415, "text/plain: {body}");
    let (status, _) = raw(
        &app,
        "application/x-www-form-urlencoded",
        b"query=%7Bviewer%7Bid%7D%7D".to_vec(),
    )
    .await;
    assert_eq!(status, 415, "a form");

    let mut big = br#"{"query":"{ viewer { id } }","variables":{"pad":""#.to_vec();
    big.resize(1024 * 1024 + 1, b'x');
    big.extend_from_slice(br#""}}"#);
    let (status, body) = raw(&app, "application/json", big).await;
    assert_eq!(status, 413, "more than 1 MiB: {body}");

    let (status, body) = raw(&app, "application/json", b"{not json".to_vec()).await;
    assert_eq!(status, 400, "not JSON: {body}");

    // Mutations only over POST; queries over GET are fine.
    let mutation =
        "mutation { withdrawDraft(input: { draftId: \"x\", reason: \"y\" }) { draft { id } } }";
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", mutation)])
        .bearer_auth(app.secretariat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"].is_array(), "{body}");
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[
            ("query", "query Me { viewer { id } }"),
            ("operationName", "Me"),
        ])
        .bearer_auth(app.secretariat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["viewer"]["id"], "cica-officer", "{body}");
    // The contract's document over GET: its queries run, its mutations do not.
    for (name, status) in [
        ("Viewer", 200),
        ("CreateDraft", 405),
        ("WithdrawDraft", 405),
    ] {
        let response = app
            .client
            .get(format!("{}/graphql", app.base))
            .query(&[
                ("query", crate::helpers::OPERATIONS),
                ("operationName", name),
            ])
            .bearer_auth(app.secretariat())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{name} over GET");
    }
}

/// A query `depth` fields deep: `viewer { id }` beside
/// `__schema { types { fields { type { ofType … { name } } } } }`. With a
/// field that is not introspection, the normal limits apply.
fn deep_query(depth: usize, with_viewer: bool) -> String {
    assert!(depth >= 5);
    let mut query = String::from("name");
    for _ in 0..depth - 5 {
        query = format!("ofType {{ {query} }}");
    }
    let viewer = if with_viewer { "viewer { id } " } else { "" };
    format!("{{ {viewer}__schema {{ types {{ fields {{ type {{ {query} }} }} }} }} }}")
}

fn aliased(count: usize) -> String {
    let fields: Vec<String> = (0..count)
        .map(|n| format!("a{n}: viewer {{ id }}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

async fn query_limits(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.secretariat();
    let body = app.gql(&token, &deep_query(10, true), json!({})).await;
    assert!(body["errors"].is_null(), "depth 10 is allowed: {body}");
    let body = app.gql(&token, &deep_query(11, true), json!({})).await;
    assert!(body["errors"].is_array(), "depth 11 is refused: {body}");
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    // Introspection alone may go deeper (GraphiQL's query nests to 13),
    // but not without bound.
    let deepest = accord_api::schema::INTROSPECTION_MAX_DEPTH;
    let body = app
        .gql(&token, &deep_query(deepest, false), json!({}))
        .await;
    assert!(
        body["errors"].is_null(),
        "introspection of depth {deepest}: {body}"
    );
    let body = app
        .gql(&token, &deep_query(deepest + 1, false), json!({}))
        .await;
    assert!(
        body["errors"].is_array(),
        "introspection of depth {}: {body}",
        deepest + 1
    );

    let body = app.gql(&token, &aliased(15), json!({})).await;
    assert!(body["errors"].is_null(), "15 aliases are allowed: {body}");
    assert_eq!(body["data"]["a14"]["id"], "cica-officer");
    let body = app.gql(&token, &aliased(16), json!({})).await;
    assert!(body["errors"].is_array(), "16 aliases are refused: {body}");
    assert!(body["data"].is_null(), "{body}");
    // Fragments do not hide aliases.
    let fragments = format!(
        "{{ ...A }} fragment A on Query {{ {} }}",
        (0..16)
            .map(|n| format!("f{n}: viewer {{ id }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let body = app.gql(&token, &fragments, json!({})).await;
    assert!(
        body["errors"].is_array(),
        "16 aliases in a fragment are refused: {body}"
    );

    // A malformed document is the caller's mistake, with a code.
    let body = app.gql(&token, "{ viewer { id }", json!({})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
}

async fn open_endpoints(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for path in ["/healthz", "/readyz"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .header("Accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        response.headers()
    );
    let page = response.text().await.unwrap();
    assert!(page.to_lowercase().contains("graphiql"), "{page}");
    // Its files come from Accord, without a token, with their content type
    // and for a year (their names change with their content).
    let assets = graphiql_assets(&page);
    assert!(
        assets.iter().any(|a| a.ends_with(".js")) && assets.iter().any(|a| a.ends_with(".css")),
        "{page}"
    );
    for path in &assets {
        assert!(path.starts_with("/graphql/assets/"), "{path}");
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let header = |name: &str| {
            response.headers()[name]
                .to_str()
                .unwrap_or_else(|_| panic!("{path}: {name}"))
                .to_owned()
        };
        let expected = if path.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(header("content-type"), expected, "{path}");
        assert_eq!(
            header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        let etag = header("etag");
        assert!(!response.bytes().await.unwrap().is_empty(), "{path}");
        // A browser that holds it is told so, without the bytes.
        let again = app
            .client
            .get(format!("{}{path}", app.base))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
    }
    // Only those names: not another file, not the unhashed name.
    for path in [
        "/graphql/assets/graphiql.min.js",
        "/graphql/assets/..%2FCargo.toml",
        "/graphql/assets/nothing.0123456789abcdef.js",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 404, "{path}");
    }
    // Without a browser's Accept and without a query: a plain error.
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    // GraphQL itself needs a token.
    let (status, body) = app
        .post(None, &json!({ "query": "{ viewer { id } }" }))
        .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_code(&body).as_deref(), Some("UNAUTHENTICATED"));
}
