//! Idempotency keys: a mutation retried with its `Idempotency-Key` is
//! carried out once, on any instance; the key with another request is
//! `CONFLICT`; a request that wrote nothing leaves the key unused.

use accord_domain::DraftState;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, all_at_once, error_code, spawn_app};
use crate::on_both_backends;

on_both_backends!(
    retried =>
        a_retried_mutation_is_carried_out_once_on_any_instance_sqlite,
        a_retried_mutation_is_carried_out_once_on_any_instance_postgres
);
on_both_backends!(
    raced =>
        concurrent_requests_with_one_key_write_once_sqlite,
        concurrent_requests_with_one_key_write_once_postgres
);

const COMMENT: &str =
    "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id body } } }";

/// Posts `addComment` on `draft` saying `text` to `base` as KAZ with `key`:
/// the status, the replay header and the body.
async fn comment(
    app: &TestApp,
    base: &str,
    key: Option<&str>,
    draft: &str,
    text: &str,
) -> (u16, bool, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(app.delegate("KAZ"))
        .json(&json!({ "query": COMMENT, "variables": { "i": { "draftId": draft, "version": 1, "body": text } } }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let replayed = response.headers().get("idempotent-replayed").is_some();
    (status, replayed, response.json().await.unwrap())
}

/// The bodies of the draft's comments, as the Secretariat reads them.
async fn bodies(app: &TestApp, draft: &str) -> Vec<String> {
    app.draft(&app.secretariat(), draft).await["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn retried(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let other = app.another_instance().await;
    let (draft, _) = app.draft_in_state(DraftState::Circulated).await;
    let before = app.audit_entries().await;

    let (status, replayed, first) = comment(&app, &app.base, Some("kaz-1"), &draft, "Once.").await;
    assert_eq!((status, replayed), (200, false), "{first}");
    assert!(first["errors"].is_null(), "{first}");
    // The same request again, on this instance and on another: the first
    // answer, and nothing written.
    for base in [&app.base, &other.base] {
        let (status, replayed, again) = comment(&app, base, Some("kaz-1"), &draft, "Once.").await;
        assert_eq!((status, replayed), (200, true));
        assert_eq!(again, first);
    }
    assert_eq!(bodies(&app, &draft).await, ["Once."]);
    assert_eq!(app.audit_entries().await, before + 1);

    // The key with another request: CONFLICT, nothing written.
    let (status, _, body) = comment(&app, &app.base, Some("kaz-1"), &draft, "Twice?").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
    assert_eq!(app.audit_entries().await, before + 1);

    // A request that wrote nothing leaves its key unused: the corrected
    // request goes through with it.
    let (_, _, refused) = comment(&app, &app.base, Some("kaz-2"), &draft, " ").await;
    assert_eq!(
        error_code(&refused).as_deref(),
        Some("BAD_USER_INPUT"),
        "{refused}"
    );
    let (status, replayed, body) = comment(&app, &app.base, Some("kaz-2"), &draft, "Fixed.").await;
    assert_eq!((status, replayed), (200, false), "{body}");
    assert!(body["errors"].is_null(), "{body}");

    // Keys are one person's: another person's same key is theirs.
    let other_person = app.token("kaz-2", "Another Delegate", "KAZ", &["delegate"]);
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .bearer_auth(other_person)
        .header("Idempotency-Key", "kaz-1")
        .json(&json!({ "query": COMMENT, "variables": { "i": { "draftId": draft, "version": 1, "body": "Mine." } } }))
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("idempotent-replayed").is_none());
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"].is_null(), "{body}");

    // An expired key starts anew.
    let db = app.db().await;
    db.execute_unprepared(
        "UPDATE idempotency_keys SET created_at = '2000-01-01T00:00:00.000000Z' WHERE key = 'kaz-1'",
    )
    .await
    .unwrap();
    db.close().await.ok();
    let (status, replayed, _) = comment(&app, &app.base, Some("kaz-1"), &draft, "Once.").await;
    assert_eq!((status, replayed), (200, false));
    assert_eq!(
        bodies(&app, &draft).await,
        ["Once.", "Fixed.", "Mine.", "Once."]
    );

    // A malformed key is refused before anything is done.
    for bad in ["", "ключ"] {
        let response = reqwest::Client::new()
            .post(format!("{}/graphql", app.base))
            .bearer_auth(app.delegate("KAZ"))
            .header("Idempotency-Key", reqwest::header::HeaderValue::from_bytes(bad.as_bytes()).unwrap())
            .json(&json!({ "query": COMMENT, "variables": { "i": { "draftId": draft, "version": 1, "body": "Bad key." } } }))
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{bad:?}: {body}"
        );
    }
    assert_eq!(bodies(&app, &draft).await.len(), 4);
}

async fn raced(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let other = app.another_instance().await;
    let (draft, _) = app.draft_in_state(DraftState::Circulated).await;
    let app = std::sync::Arc::new(app);
    let attempts = (0..8)
        .map(|n| {
            let app = std::sync::Arc::clone(&app);
            let base = if n % 2 == 0 {
                app.base.clone()
            } else {
                other.base.clone()
            };
            let draft = draft.clone();
            async move { comment(&app, &base, Some("race"), &draft, "Only once.").await }
        })
        .collect();
    let answers = all_at_once(attempts).await;
    for (status, _, body) in &answers {
        let ok = *status == 200 && body["errors"].is_null();
        let conflict = error_code(body).as_deref() == Some("CONFLICT");
        assert!(ok || conflict, "{status}: {body}");
    }
    assert!(
        answers
            .iter()
            .any(|(s, _, b)| *s == 200 && b["errors"].is_null())
    );
    assert_eq!(bodies(&app, &draft).await, ["Only once."]);
}
