//! Tokens that must not get in: each is answered 401 UNAUTHENTICATED and
//! nothing is written.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, OPERATIONS, SECRET, TestApp, b64url, b64url_decode, claims, now, sign_raw, spawn_app,
    standard_items, with,
};
use crate::on_both_backends;

on_both_backends!(
    bad_tokens =>
        every_bad_token_is_unauthenticated_and_writes_nothing_sqlite,
        every_bad_token_is_unauthenticated_and_writes_nothing_postgres
);

/// Another secret of the same length, which the server does not trust.
const OTHER_SECRET: &str = "another-secret-that-the-server-does-not-know-000";

fn sign_with(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn sign(claims: &Value) -> String {
    sign_with(claims, Algorithm::HS256, SECRET)
}

/// Sends `createDraft` with this `Authorization` header (or none).
async fn create_with(app: &TestApp, authorization: Option<&str>) -> (u16, Option<String>, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({
            "query": OPERATIONS,
            "operationName": "CreateDraft",
            "variables": { "input": {
                "kind": "ACTION_PLAN",
                "title": [{ "lang": "EN", "text": "Smuggled draft" }],
                "signatories": ["CICA"],
                "items": standard_items(""),
            }},
        }));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.unwrap();
    (status, challenge, body)
}

async fn bad_tokens(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // The crafting is right: the unspoiled claims get in.
    let good = sign(&claims());
    let viewer = app.op(&good, "Viewer", json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["id"], "cica-officer", "{viewer}");

    let [header, payload, signature]: [&str; 3] =
        good.split('.').collect::<Vec<_>>().try_into().unwrap();
    let tampered = {
        let mut body: Value = serde_json::from_slice(&b64url_decode(payload)).unwrap();
        body["org"] = json!("SCO");
        body["roles"] = json!(["secretary_general"]);
        format!(
            "{header}.{}.{signature}",
            b64url(body.to_string().as_bytes())
        )
    };
    let alg_none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(claims().to_string().as_bytes())
    );
    let hs256 = r#"{"alg":"HS256","typ":"JWT"}"#;
    // The crafting by hand is right too.
    let by_hand = sign_raw(hs256, &claims().to_string());
    let viewer = app.op(&by_hand, "Viewer", json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["id"], "cica-officer", "{viewer}");
    let payload_text = claims().to_string();
    let duplicate_org = format!(r#"{},"org":"KAZ"}}"#, payload_text.trim_end_matches('}'));
    let cases: Vec<(&str, Option<String>)> = vec![
        (
            "a repeated claim",
            Some(format!("Bearer {}", sign_raw(hs256, &duplicate_org))),
        ),
        (
            "a header asking to fetch a key",
            Some(format!(
                "Bearer {}",
                sign_raw(
                    r#"{"alg":"HS256","jku":"https://attacker.example/keys"}"#,
                    &payload_text
                )
            )),
        ),
        (
            "a critical header extension",
            Some(format!(
                "Bearer {}",
                sign_raw(r#"{"alg":"HS256","crit":["exp"]}"#, &payload_text)
            )),
        ),
        (
            "a token over 8 KiB",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "name": "n".repeat(9 * 1024) })))
            )),
        ),
        (
            "a payload that is not an object",
            Some(format!("Bearer {}", sign_raw(hs256, "[1,2,3]"))),
        ),
        ("no Authorization header", None),
        ("Basic credentials", Some("Basic Y2ljYTpzZWNyZXQ=".into())),
        ("the Bearer scheme without a token", Some("Bearer ".into())),
        ("a token without a scheme", Some(good.clone())),
        ("not a JWT", Some("Bearer not-a-jwt".into())),
        (
            "expired beyond the leeway",
            Some(format!(
                "Bearer {}",
                sign(&with(
                    json!({ "exp": now() - 120, "nbf": now() - 3600, "iat": now() - 3600 })
                ))
            )),
        ),
        (
            "not yet valid beyond the leeway",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "nbf": now() + 120 })))
            )),
        ),
        (
            "without exp",
            Some(format!("Bearer {}", sign(&with(json!({ "exp": null }))))),
        ),
        (
            "without nbf",
            Some(format!("Bearer {}", sign(&with(json!({ "nbf": null }))))),
        ),
        (
            "without sub",
            Some(format!("Bearer {}", sign(&with(json!({ "sub": null }))))),
        ),
        (
            "a blank sub",
            Some(format!("Bearer {}", sign(&with(json!({ "sub": " " }))))),
        ),
        (
            "a wrong issuer",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "iss": "someone-else" })))
            )),
        ),
        (
            "a wrong audience",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "aud": "another-api" })))
            )),
        ),
        (
            "a wrong key",
            Some(format!(
                "Bearer {}",
                sign_with(&claims(), Algorithm::HS256, OTHER_SECRET)
            )),
        ),
        (
            "another HMAC algorithm",
            Some(format!(
                "Bearer {}",
                sign_with(&claims(), Algorithm::HS512, SECRET)
            )),
        ),
        ("alg none", Some(format!("Bearer {alg_none}"))),
        ("a tampered payload", Some(format!("Bearer {tampered}"))),
        (
            "a stripped signature",
            Some(format!("Bearer {header}.{payload}.")),
        ),
        (
            "an unknown organisation",
            Some(format!("Bearer {}", sign(&with(json!({ "org": "XYZ" }))))),
        ),
        (
            "a malformed organisation",
            Some(format!("Bearer {}", sign(&with(json!({ "org": "cica" }))))),
        ),
        (
            "a delegate of SCO",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "org": "SCO", "roles": ["delegate"] })))
            )),
        ),
        (
            "a secretariat officer of KAZ",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "org": "KAZ", "roles": ["secretariat"] })))
            )),
        ),
        (
            "a secretariat officer of JPN",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "org": "JPN", "roles": ["secretariat"] })))
            )),
        ),
        (
            "an unknown role",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "roles": ["king"] })))
            )),
        ),
        (
            "a role in capitals",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "roles": ["SECRETARIAT"] })))
            )),
        ),
        (
            "no roles",
            Some(format!("Bearer {}", sign(&with(json!({ "roles": [] }))))),
        ),
        (
            "roles that are not a list",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({ "roles": "secretariat" })))
            )),
        ),
    ];
    let mut wrong = Vec::new();
    for (what, authorization) in &cases {
        let (status, challenge, body) = create_with(&app, authorization.as_deref()).await;
        let code = body
            .pointer("/errors/0/extensions/code")
            .and_then(Value::as_str);
        if status != 401 || code != Some("UNAUTHENTICATED") || !body["data"].is_null() {
            wrong.push(format!("{what}: {status} {body}"));
        }
        if challenge.as_deref() != Some("Bearer") {
            wrong.push(format!("{what}: WWW-Authenticate is {challenge:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "bad tokens were not refused as they should:\n{}",
        wrong.join("\n")
    );
    // Queries over GET are refused the same way.
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", "{ viewer { id } }")])
        .header("Authorization", format!("Bearer {tampered}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);

    // Nothing was written: no draft, and the audit log is empty.
    assert_eq!(app.total_count(&app.secretariat()).await, 0);
    let db = app.db().await;
    match accord_workflow::audit::verify(&db).await.unwrap() {
        accord_workflow::audit::Verdict::Intact { entries } => assert_eq!(entries, 0),
        broken => panic!("{broken:?}"),
    }
    db.close().await.ok();

    // Within the leeway, the clock skew is forgiven.
    let skewed = sign(&with(json!({ "exp": now() - 10, "nbf": now() + 10 })));
    let viewer = app.op(&skewed, "Viewer", json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["id"], "cica-officer", "{viewer}");
}
