//! Attacks: what an adversary with a network connection (and perhaps a
//! delegate's token) tries, beyond what `tokens`, `limits` and `visibility`
//! already cover. Each attack is refused with the right code and writes
//! nothing.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use accord_api::config::Settings;
use accord_api::server::{self, AppState, Running};
use accord_domain::DraftState;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    AUDIENCE, Backend, ISSUER, OPERATIONS, SECRET, TestApp, claims, error_code, now, ok, sign_raw,
    spawn_app, standard_items, str_at, with,
};
use crate::on_both_backends;

on_both_backends!(
    key_confusion =>
        an_hs256_token_keyed_with_the_rsa_public_key_is_refused_sqlite,
        an_hs256_token_keyed_with_the_rsa_public_key_is_refused_postgres
);
on_both_backends!(
    algorithms_and_claims =>
        algorithms_off_the_list_and_edge_claims_are_refused_sqlite,
        algorithms_off_the_list_and_edge_claims_are_refused_postgres
);
on_both_backends!(
    key_urls =>
        key_url_headers_are_refused_and_never_fetched_sqlite,
        key_url_headers_are_refused_and_never_fetched_postgres
);
on_both_backends!(
    complexity =>
        complexity_is_allowed_at_the_limit_and_refused_above_sqlite,
        complexity_is_allowed_at_the_limit_and_refused_above_postgres
);
on_both_backends!(
    huge_documents =>
        huge_documents_are_refused_with_small_answers_sqlite,
        huge_documents_are_refused_with_small_answers_postgres
);
on_both_backends!(
    disguised =>
        fragments_named_like_introspection_hide_nothing_sqlite,
        fragments_named_like_introspection_hide_nothing_postgres
);
on_both_backends!(
    chunked =>
        chunked_bodies_are_limited_like_sized_ones_sqlite,
        chunked_bodies_are_limited_like_sized_ones_postgres
);
on_both_backends!(
    production =>
        production_mode_gives_no_schema_away_sqlite,
        production_mode_gives_no_schema_away_postgres
);
on_both_backends!(
    objects =>
        a_delegate_reaches_no_hidden_object_by_any_path_sqlite,
        a_delegate_reaches_no_hidden_object_by_any_path_postgres
);
on_both_backends!(
    notes =>
        hidden_notes_are_reached_by_no_path_sqlite,
        hidden_notes_are_reached_by_no_path_postgres
);
on_both_backends!(
    database_failure =>
        a_database_failure_is_internal_and_tells_nothing_sqlite,
        a_database_failure_is_internal_and_tells_nothing_postgres
);

/// The RSA key pair of `api/src/auth.rs`'s unit tests (2048 bits).
const RSA_PUBLIC_PEM: &str = include_str!("../../../api/testdata/rsa_public.pem");
/// See [`RSA_PUBLIC_PEM`].
const RSA_PRIVATE_PEM: &str = include_str!("../../../api/testdata/rsa_private.pem");

// ---------------------------------------------------------------------
// Harness additions: a second server with other settings on the test
// database, plain HTTP posts, and counts of what was written.
// ---------------------------------------------------------------------

/// A server with custom settings on the database of `app` (which owns the
/// database and must outlive it).
pub(crate) struct Custom {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    _running: Running,
    pub(crate) app: TestApp,
    _key_file: Option<TempFile>,
}

/// A file removed when dropped.
pub(crate) struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Starts a fresh database (through `spawn_app`) and a second server on it
/// with the test settings changed by `tweak`; `None` when the backend is
/// not configured.
pub(crate) async fn spawn_custom(
    backend: Backend,
    key_file: Option<TempFile>,
    tweak: impl FnOnce(&mut Settings),
) -> Option<Custom> {
    let app = spawn_app(backend).await?;
    let mut settings = Settings::for_tests(app.db_url.clone(), SECRET);
    tweak(&mut settings);
    let state = AppState::prepare(&settings)
        .await
        .expect("the custom server prepares");
    let running = server::spawn(&settings, Arc::new(state))
        .await
        .expect("the custom server binds a free port");
    Some(Custom {
        base: running.url(),
        client: app.client.clone(),
        _running: running,
        app,
        _key_file: key_file,
    })
}

/// `POST /graphql` of `body` as JSON: the status, the JSON body (or the
/// text as a string) and the body's length in bytes.
async fn post_json(
    client: &reqwest::Client,
    base: &str,
    authorization: Option<&str>,
    body: &Value,
) -> (u16, Value, usize) {
    post_raw(
        client,
        base,
        authorization,
        "application/json",
        body.to_string().into_bytes(),
    )
    .await
}

async fn post_raw(
    client: &reqwest::Client,
    base: &str,
    authorization: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value, usize) {
    let mut request = client
        .post(format!("{base}/graphql"))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let len = text.len();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        len,
    )
}

/// A GraphQL document as `token` to `base`: status, body, length.
async fn gql_at(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> (u16, Value, usize) {
    post_json(
        client,
        base,
        Some(&format!("Bearer {token}")),
        &json!({ "query": query, "variables": variables }),
    )
    .await
}

fn code(body: &Value) -> String {
    error_code(body).unwrap_or_else(|| format!("no error: {body}"))
}

/// The number of entries of the (intact) audit log.
async fn audit_entries(app: &TestApp) -> i64 {
    let db = app.db().await;
    let verdict = accord_workflow::audit::verify(&db).await.unwrap();
    db.close().await.ok();
    match verdict {
        accord_workflow::audit::Verdict::Intact { entries } => entries,
        broken => panic!("the audit log is broken: {broken:?}"),
    }
}

// ---------------------------------------------------------------------
// Tokens.
// ---------------------------------------------------------------------

fn sign_hmac(header: &Header, claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn sign_rs256(claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::RS256),
        claims,
        &EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).unwrap(),
    )
    .unwrap()
}

/// The `createDraft` request of a would-be intruder.
fn smuggled_draft() -> Value {
    json!({
        "query": OPERATIONS,
        "operationName": "CreateDraft",
        "variables": { "input": {
            "kind": "ACTION_PLAN",
            "title": [{ "lang": "EN", "text": "Smuggled draft" }],
            "signatories": ["CICA"],
            "items": standard_items(""),
        }},
    })
}

/// Sends `createDraft` with `token` to `base`; an empty list if it was
/// refused with 401 UNAUTHENTICATED, else what went wrong.
async fn refused(client: &reqwest::Client, base: &str, what: &str, token: &str) -> Vec<String> {
    let (status, body, _) = post_json(
        client,
        base,
        Some(&format!("Bearer {token}")),
        &smuggled_draft(),
    )
    .await;
    if status == 401 && code(&body) == "UNAUTHENTICATED" && body["data"].is_null() {
        vec![]
    } else {
        vec![format!("{what}: {status} {body}")]
    }
}

/// The viewer's id as seen with `token` at `base`, or the whole answer.
async fn viewer_id(client: &reqwest::Client, base: &str, token: &str) -> String {
    let (status, body, _) = gql_at(client, base, token, "{ viewer { id } }", json!({})).await;
    match body.pointer("/data/viewer/id").and_then(Value::as_str) {
        Some(id) if status == 200 => id.to_owned(),
        _ => format!("{status} {body}"),
    }
}

async fn key_confusion(backend: Backend) {
    let path = std::env::temp_dir().join(format!(
        "accord-e2e-key-{}.pem",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&path, RSA_PUBLIC_PEM).unwrap();
    let key_file = TempFile(path.clone());
    let Some(rs) = spawn_custom(backend, Some(key_file), |settings| {
        settings.jwt_secret = None;
        settings.jwt_public_key = Some(path.clone());
    })
    .await
    else {
        return;
    };
    // A proper RS256 token gets in: the crafting is right.
    let good = sign_rs256(&claims());
    assert_eq!(viewer_id(&rs.client, &rs.base, &good).await, "cica-officer");

    let mut wrong = Vec::new();
    // The classic confusion: HMAC keyed with the public key's PEM bytes,
    // with and without the trailing newline, and with the key's DER.
    for (what, secret) in [
        ("HS256 keyed with the PEM", RSA_PUBLIC_PEM.as_bytes()),
        (
            "HS256 keyed with the trimmed PEM",
            RSA_PUBLIC_PEM.trim_end().as_bytes(),
        ),
    ] {
        let token = sign_hmac(&Header::new(Algorithm::HS256), &claims(), secret);
        wrong.extend(refused(&rs.client, &rs.base, what, &token).await);
        let token = sign_hmac(&Header::new(Algorithm::HS512), &claims(), secret);
        wrong.extend(refused(&rs.client, &rs.base, &format!("{what} (HS512)"), &token).await);
    }
    // The shared secret of the other servers is no key here.
    let token = sign_hmac(&Header::new(Algorithm::HS256), &claims(), SECRET.as_bytes());
    wrong.extend(refused(&rs.client, &rs.base, "HS256 with the test secret", &token).await);
    // Another RSA algorithm with the right key.
    for algorithm in [Algorithm::RS384, Algorithm::PS256] {
        let token = jsonwebtoken::encode(
            &Header::new(algorithm),
            &claims(),
            &EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).unwrap(),
        )
        .unwrap();
        wrong.extend(refused(&rs.client, &rs.base, &format!("{algorithm:?}"), &token).await);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Nothing was written.
    let (_, body, _) = gql_at(
        &rs.client,
        &rs.base,
        &good,
        "{ drafts { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["drafts"]["totalCount"], 0, "{body}");
    assert_eq!(audit_entries(&rs.app).await, 0);
}

async fn algorithms_and_claims(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (client, base) = (&app.client, app.base.as_str());
    let hs = |claims: &Value| sign_hmac(&Header::new(Algorithm::HS256), claims, SECRET.as_bytes());

    // At the edges of the 30 s leeway: 20 s is forgiven, 40 s is not.
    for (what, token) in [
        (
            "expired 20 s ago",
            hs(&with(
                json!({ "exp": now() - 20, "nbf": now() - 600, "iat": now() - 600 }),
            )),
        ),
        ("valid in 20 s", hs(&with(json!({ "nbf": now() + 20 })))),
        ("without iat", hs(&with(json!({ "iat": null })))),
        (
            "an audience list with ours",
            hs(&with(json!({ "aud": ["another-api", AUDIENCE] }))),
        ),
    ] {
        assert_eq!(
            viewer_id(client, base, &token).await,
            "cica-officer",
            "{what}"
        );
    }

    let mut wrong = Vec::new();
    let cases = vec![
        (
            "HS384",
            sign_hmac(&Header::new(Algorithm::HS384), &claims(), SECRET.as_bytes()),
        ),
        (
            "HS512",
            sign_hmac(&Header::new(Algorithm::HS512), &claims(), SECRET.as_bytes()),
        ),
        ("RS256 on the HS256 server", sign_rs256(&claims())),
        (
            "expired 40 s ago",
            hs(&with(
                json!({ "exp": now() - 40, "nbf": now() - 600, "iat": now() - 600 }),
            )),
        ),
        ("valid in 40 s", hs(&with(json!({ "nbf": now() + 40 })))),
        ("without iss", hs(&with(json!({ "iss": null })))),
        ("without aud", hs(&with(json!({ "aud": null })))),
        ("without org", hs(&with(json!({ "org": null })))),
        ("without roles", hs(&with(json!({ "roles": null })))),
        (
            "exp as a string",
            hs(&with(json!({ "exp": (now() + 3600).to_string() }))),
        ),
        (
            "nbf as a string",
            hs(&with(json!({ "nbf": now().to_string() }))),
        ),
        (
            "exp as a fraction",
            sign_raw(
                r#"{"alg":"HS256","typ":"JWT"}"#,
                &with(json!({ "exp": (now() + 3600) as f64 + 0.5 })).to_string(),
            ),
        ),
        ("iss as a list", hs(&with(json!({ "iss": [ISSUER] })))),
        ("sub as a number", hs(&with(json!({ "sub": 42 })))),
        (
            "the algorithm named in lower case",
            sign_raw(r#"{"alg":"hs256","typ":"JWT"}"#, &claims().to_string()),
        ),
        (
            "a repeated alg header",
            sign_raw(
                r#"{"alg":"none","alg":"HS256","typ":"JWT"}"#,
                &claims().to_string(),
            ),
        ),
        (
            "an embedded jwk",
            sign_raw(
                r#"{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}"#,
                &claims().to_string(),
            ),
        ),
        (
            "an x5c chain",
            sign_raw(r#"{"alg":"HS256","x5c":["AAAA"]}"#, &claims().to_string()),
        ),
    ];
    for (what, token) in &cases {
        wrong.extend(refused(client, base, what, token).await);
    }
    assert!(
        wrong.is_empty(),
        "tokens were not refused:\n{}",
        wrong.join("\n")
    );
    assert_eq!(app.total_count(&app.secretariat()).await, 0);
    assert_eq!(audit_entries(&app).await, 0);
}

/// A listener on 127.0.0.1 that counts the connections it accepts until
/// it is dropped.
struct Tripwire {
    url: String,
    hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Tripwire {
    fn start() -> Tripwire {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/keys.json", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (counted, stopped) = (Arc::clone(&hits), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok(_) => {
                        counted.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Tripwire { url, hits, stop }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Tripwire {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

async fn key_urls(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let wire = Tripwire::start();
    let url = &wire.url;
    let payload = claims().to_string();
    let mut wrong = Vec::new();
    for (what, header) in [
        (
            "jku",
            format!(r#"{{"alg":"HS256","typ":"JWT","jku":"{url}"}}"#),
        ),
        (
            "x5u",
            format!(r#"{{"alg":"HS256","typ":"JWT","x5u":"{url}"}}"#),
        ),
        (
            "jku and kid",
            format!(r#"{{"alg":"HS256","kid":"{url}","jku":"{url}"}}"#),
        ),
    ] {
        wrong.extend(refused(&app.client, &app.base, what, &sign_raw(&header, &payload)).await);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // A kid alone, even a URL, is ignored: the signature decides.
    let kid = sign_raw(
        &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{url}"}}"#),
        &payload,
    );
    assert_eq!(
        viewer_id(&app.client, &app.base, &kid).await,
        "cica-officer"
    );
    // And a kid does not make a wrong signature right.
    let forged = sign_hmac(
        &Header {
            kid: Some(url.clone()),
            ..Header::new(Algorithm::HS256)
        },
        &claims(),
        b"another-secret-that-the-server-does-not-know-000",
    );
    assert!(
        refused(&app.client, &app.base, "kid with a wrong key", &forged)
            .await
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wire.hits(), 0, "the server connected to the token's URL");
    assert_eq!(app.total_count(&app.secretariat()).await, 0);
    assert_eq!(audit_entries(&app).await, 0);
}

// ---------------------------------------------------------------------
// GraphQL and HTTP limits.
// ---------------------------------------------------------------------

/// A query of complexity `n` (11 to 13) without aliases or repeated
/// fields: every field counts one.
fn of_complexity(n: usize) -> String {
    let (viewer, drafts) = match n {
        // 3 + 4 + 4
        11 => ("id name", "totalCount pageInfo { hasNextPage }"),
        // 4 + 4 + 4
        12 => ("id name roles", "totalCount pageInfo { hasNextPage }"),
        // 4 + 4 + 5
        13 => (
            "id name roles",
            "totalCount pageInfo { hasNextPage endCursor }",
        ),
        _ => panic!("no query of complexity {n} here"),
    };
    format!(
        "{{ viewer {{ {viewer} }} organizations {{ code kind name }} drafts(first: 1) {{ {drafts} }} }}"
    )
}

async fn complexity(backend: Backend) {
    let Some(app) = spawn_custom(backend, None, |settings| {
        settings.max_complexity = 12;
    })
    .await
    else {
        return;
    };
    let token = app.app.secretariat();
    for n in [11, 12] {
        let query = of_complexity(n);
        let (status, body, _) = gql_at(&app.client, &app.base, &token, &query, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["errors"].is_null(),
            "complexity {n} is allowed: {query}: {body}"
        );
    }
    let query = of_complexity(13);
    let (_, body, _) = gql_at(&app.client, &app.base, &token, &query, json!({})).await;
    assert_eq!(
        code(&body),
        "BAD_USER_INPUT",
        "complexity 13: {query}: {body}"
    );
    assert!(body["data"].is_null(), "{body}");
    // The same over GET.
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", query.as_str())])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");

    // At the default limit of 500, fields repeated without aliases count
    // each time they are written.
    let default = &app.app;
    let repeated = |n: usize| format!("{{ viewer {{ {} }} }}", vec!["id"; n].join(" "));
    let body = default.gql(&token, &repeated(499), json!({})).await;
    assert!(body["errors"].is_null(), "complexity 500: {body}");
    let body = default.gql(&token, &repeated(500), json!({})).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "complexity 501: {body}");
    assert!(body["data"].is_null(), "{body}");
}

/// Sends `query` to `app` as the Secretariat and checks that it is
/// refused with BAD_USER_INPUT in a short answer that does not echo it.
async fn small_refusal(app: &TestApp, what: &str, query: &str) {
    let (status, body, len) =
        gql_at(&app.client, &app.base, &app.secretariat(), query, json!({})).await;
    assert!(
        status == 200 || status == 400,
        "{what}: status {status}, {len} bytes"
    );
    assert!(
        len < 4096,
        "{what}: the answer is {len} bytes: {}",
        &body.to_string()[..1000.min(len)]
    );
    assert_eq!(code(&body), "BAD_USER_INPUT", "{what}: {body}");
    assert!(body["data"].is_null(), "{what}: {body}");
    let echo = &query[..query.len().min(200)];
    assert!(
        !body.to_string().contains(echo),
        "{what}: the query is echoed: {body}"
    );
}

async fn huge_documents(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let aliases = format!(
        "{{ {} }}",
        (0..1000)
            .map(|n| format!("a{n}: viewer {{ id }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    small_refusal(&app, "1,000 aliases", &aliases).await;
    let directives = format!(
        "{{ viewer {{ id {} }} }}",
        vec!["@include(if: true)"; 5000].join(" ")
    );
    small_refusal(&app, "5,000 directives", &directives).await;
    let nested = format!("{}{}", "{ a ".repeat(3000), "}".repeat(3000));
    small_refusal(&app, "3,000 levels of a", &nested).await;
    let organizations = format!(
        "{{ {}code{} }}",
        "viewer { organization { ".repeat(1500),
        " } }".repeat(1500)
    );
    small_refusal(&app, "3,000 levels of viewer", &organizations).await;
    // Directives themselves work (the two built in, once each).
    let two = "{ viewer { id @include(if: true) @skip(if: false) } }";
    let body = app.gql(&app.secretariat(), two, json!({})).await;
    assert_eq!(body["data"]["viewer"]["id"], "cica-officer", "{body}");
    // Many fragments spread in a cycle, or spread a thousand times.
    let cycle = "{ ...A } fragment A on Query { viewer { id } ...B } fragment B on Query { ...A }";
    small_refusal(&app, "a fragment cycle", cycle).await;
    // A batch of one is still a batch.
    let (status, body, _) = post_raw(
        &app.client,
        &app.base,
        Some(&format!("Bearer {}", app.secretariat())),
        "application/json",
        format!("  [{}]", json!({ "query": "{ viewer { id } }" })).into_bytes(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "BAD_USER_INPUT");
    // A mutation hidden behind an operation name over GET.
    let document = "query Q { viewer { id } } mutation M { withdrawDraft(input: { draftId: \"x\", reason: \"y\" }) { draft { id } } }";
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", document), ("operationName", "M")])
        .bearer_auth(app.secretariat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    // Without an operation name, such a document is ambiguous, not a query.
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", document)])
        .bearer_auth(app.secretariat())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_ne!(status, 200, "{body}");
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(audit_entries(&app).await, 0);
}

/// A query of depth `depth` over the introspection types:
/// `__type(name: "Draft") { fields { type { ofType … { name } } } }`.
fn deep_type(depth: usize) -> String {
    assert!(depth >= 4);
    let mut query = String::from("name");
    for _ in 0..depth - 4 {
        query = format!("ofType {{ {query} }}");
    }
    format!("__type(name: \"Draft\") {{ fields {{ type {{ {query} }} }} }}")
}

async fn disguised(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.secretariat();
    // The baseline: introspection alone may nest to 15.
    let body = app
        .gql(&token, &format!("{{ {} }}", deep_type(12)), json!({}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let cases = [
        (
            "a too-deep query in a fragment named __schema",
            format!(
                "{{ ...__schema }} fragment __schema on Query {{ viewer {{ id }} {} }}",
                deep_type(12)
            ),
        ),
        (
            "a too-deep query in a fragment named __type",
            format!(
                "query {{ __typename ...__type }} fragment __type on Query {{ drafts {{ totalCount }} {} }}",
                deep_type(11)
            ),
        ),
        (
            "an inline fragment beside introspection",
            format!("{{ {} ... on Query {{ viewer {{ id }} }} }}", deep_type(11)),
        ),
        (
            "16 aliases in a fragment named __schema",
            format!(
                "{{ __schema {{ queryType {{ name }} }} ...__schema }} fragment __schema on Query {{ {} }}",
                (0..16)
                    .map(|n| format!("a{n}: viewer {{ id }}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
        (
            "16 aliases of introspection",
            format!(
                "{{ {} }}",
                (0..16)
                    .map(|n| format!("t{n}: __typename"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
        (
            "an operation named __schema",
            format!("query __schema {{ viewer {{ id }} {} }}", deep_type(11)),
        ),
    ];
    for (what, query) in &cases {
        let body = app.gql(&token, query, json!({})).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{what}: {body}");
        assert!(body["data"].is_null(), "{what}: {body}");
    }
}

/// Sends a raw HTTP/1.1 request with a chunked body of `chunks` to the
/// server at `base`; the status and the response body.
async fn chunked_post(base: &str, token: &str, chunks: Vec<Vec<u8>>) -> (u16, String) {
    let addr = base.trim_start_matches("http://").to_owned();
    let token = token.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let head = format!(
            "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
             Connection: close\r\n\r\n"
        );
        let mut writer = stream.try_clone().unwrap();
        // The server may answer (and close) before the body is sent.
        let sender = std::thread::spawn(move || -> std::io::Result<()> {
            writer.write_all(head.as_bytes())?;
            for chunk in chunks {
                writer.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                writer.write_all(&chunk)?;
                writer.write_all(b"\r\n")?;
            }
            writer.write_all(b"0\r\n\r\n")?;
            writer.flush()
        });
        let mut response = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&buffer[..n]),
                Err(_) if !response.is_empty() => break,
                Err(error) => panic!("no answer: {error}"),
            }
        }
        let _ = sender.join();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP response: {text}"));
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    })
    .await
    .unwrap()
}

async fn chunked(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.secretariat();
    // A small valid body without Content-Length works.
    let small = json!({ "query": "{ viewer { id } }" })
        .to_string()
        .into_bytes();
    let (head, tail) = small.split_at(5);
    let (status, body) = chunked_post(&app.base, &token, vec![head.to_vec(), tail.to_vec()]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("cica-officer"), "{body}");

    // Over 1 MiB without Content-Length: 413, whatever the chunking.
    let mut big = br#"{"query":"{ viewer { id } }","variables":{"pad":""#.to_vec();
    big.resize(1024 * 1024 + 1, b'x');
    big.extend_from_slice(br#""}}"#);
    let chunks: Vec<Vec<u8>> = big.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    let (status, body) = chunked_post(&app.base, &token, chunks).await;
    assert_eq!(status, 413, "{body}");
    // A mutation too large to be read writes nothing.
    let mut input = smuggled_draft();
    input["variables"]["input"]["title"][0]["text"] = json!("x".repeat(1024 * 1024));
    let bytes = input.to_string().into_bytes();
    let chunks: Vec<Vec<u8>> = bytes.chunks(1000).map(<[u8]>::to_vec).collect();
    let (status, body) = chunked_post(&app.base, &token, chunks).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(app.total_count(&token).await, 0);
    assert_eq!(audit_entries(&app).await, 0);
}

async fn production(backend: Backend) {
    let Some(prod) = spawn_custom(backend, None, |settings| settings.production = true).await
    else {
        return;
    };
    let token = prod.app.secretariat();
    // Ordinary queries work.
    assert_eq!(
        viewer_id(&prod.client, &prod.base, &token).await,
        "cica-officer"
    );
    for query in [
        "{ __schema { types { name } } }",
        "{ __type(name: \"Draft\") { fields { name } } }",
        "{ viewer { id } __schema { queryType { name } } }",
        "{ ...F } fragment F on Query { __schema { types { name } } }",
    ] {
        let (_, body, _) = gql_at(&prod.client, &prod.base, &token, query, json!({})).await;
        assert!(
            body["data"]["__schema"].is_null() && body["data"]["__type"].is_null(),
            "{query}: {body}"
        );
        let text = body.to_string();
        assert!(
            !text.contains("DraftState")
                && !text.contains("\"Draft\"")
                && !text.contains("Mutation"),
            "{query}: {body}"
        );
    }
    // A misspelt field gets no suggestion.
    for query in [
        "{ viewr { id } }",
        "{ viewer { nmae } }",
        "{ drafts(frist: 1) { totalCount } }",
    ] {
        let (_, body, _) = gql_at(&prod.client, &prod.base, &token, query, json!({})).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{query}: {body}");
        let text = body.to_string();
        assert!(
            !text.to_lowercase().contains("did you mean"),
            "{query}: a suggestion: {body}"
        );
    }
    // Outside production the suggestion is there (so the check above can
    // fail).
    let body = prod.app.gql(&token, "{ viewr { id } }", json!({})).await;
    assert!(
        body.to_string().to_lowercase().contains("did you mean"),
        "{body}"
    );
    // No GraphiQL for a browser.
    let response = prod
        .client
        .get(format!("{}/graphql", prod.base))
        .header("Accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let page = response.text().await.unwrap();
    assert!(!content_type.starts_with("text/html"), "{content_type}");
    assert!(!page.to_lowercase().contains("graphiql"), "{page}");
    // Nor its files, which a development server on the same database serves.
    let page = prod
        .client
        .get(format!("{}/graphql", prod.app.base))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let assets = crate::helpers::graphiql_assets(&page);
    assert!(!assets.is_empty(), "{page}");
    for path in assets {
        let served = |base: String| {
            let client = prod.client.clone();
            let path = path.clone();
            async move {
                client
                    .get(format!("{base}{path}"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(served(prod.app.base.clone()).await, 200, "{path}");
        assert_eq!(served(prod.base.clone()).await, 404, "{path}");
    }
    // Nor is introspection over GET.
    let response = prod
        .client
        .get(format!("{}/graphql", prod.base))
        .query(&[("query", "{ __schema { types { name } } }")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert!(
        body["data"].is_null() || body["data"]["__schema"].is_null(),
        "{body}"
    );
}

// ---------------------------------------------------------------------
// Object-level authorization.
// ---------------------------------------------------------------------

const RESOLVE: &str = "mutation($input: ResolveProposalInput!) {
  resolveProposal(input: $input) { comment { id status } }
}";
const EDIT_COMMENT: &str = "mutation($input: EditCommentInput!) {
  editComment(input: $input) { comment { id body } }
}";
const WITHDRAW_COMMENT: &str = "mutation($input: WithdrawCommentInput!) {
  withdrawComment(input: $input) { comment { id status } }
}";

/// The organisations of a draft's comments as `token` sees them.
async fn comment_orgs(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    app.draft(token, id).await["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| str_at(c, "/organization/code"))
        .collect()
}

/// The organisations of the proposals in the compilation of `version`.
async fn compiled_orgs(app: &TestApp, token: &str, id: &str, version: i64) -> Vec<String> {
    let data = app
        .op_ok(
            token,
            "Compilation",
            json!({ "id": id, "version": version }),
        )
        .await;
    data["draft"]["compilation"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["proposals"].as_array().unwrap().clone())
        .map(|p| str_at(&p, "/organization/code"))
        .collect()
}

async fn listed(app: &TestApp, token: &str, state: Option<&str>) -> (u64, Vec<String>) {
    let data = app
        .op_ok(token, "Drafts", json!({ "first": 100, "state": state }))
        .await;
    let ids = data["drafts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| str_at(n, "/id"))
        .collect();
    (data["drafts"]["totalCount"].as_u64().unwrap(), ids)
}

async fn objects(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let kaz = app.delegate("KAZ");
    let rus = app.delegate("RUS");
    let jpn = app.observer("JPN");
    let sco = app.counterpart("SCO");

    // A draft in preparation, and one whose only signatory is CICA.
    let (drafting, _) = app.create_draft(&["CICA", "SCO"]).await;
    let (cica_only, _) = app.create_draft(&["CICA"]).await;
    // A circulated draft with comments of KAZ and RUS, then revised.
    let (circulated, _) = app.draft_in_state(DraftState::Circulated).await;
    app.propose(&kaz, &circulated, "item-1").await;
    let russian = app.propose(&rus, &circulated, "item-2").await;
    let said = app
        .op_ok(
            &rus,
            "AddComment",
            json!({ "input": { "draftId": circulated, "version": 1, "body": "Russia's general remark." }}),
        )
        .await;
    let russian_remark = str_at(&said, "/addComment/comment/id");
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": circulated, "baseVersion": 1, "items": standard_items(" (v2 secret)") }}),
    )
    .await;
    // An issued note to all member states that encloses the draft in
    // preparation (the Secretariat's doing): the note is theirs, the draft
    // is not.
    let (enclosing, _) = note_of(
        &app,
        {
            let mut input = reminder("the enclosed text", None, &[]);
            input["enclosures"] = json!([{ "draftId": drafting, "version": 1, "pages": 2 }]);
            input
        },
        true,
    )
    .await;

    let before = audit_entries(&app).await;

    let body = app
        .gql(
            &kaz,
            "query($id: ID!) { note(id: $id) { draft { id title(lang: EN) } enclosures { pages version draft { id title(lang: EN) } } render(lang: EN, format: TEXT) } }",
            json!({ "id": enclosing }),
        )
        .await;
    let data = ok(&body, "the enclosing note");
    assert!(data["note"]["draft"].is_null(), "{data}");
    assert!(data["note"]["enclosures"][0]["draft"].is_null(), "{data}");
    assert!(
        !data.to_string().contains("Action Plan for 2024-2029"),
        "the hidden draft's title leaks: {data}"
    );

    // Drafts in preparation: by id, in the list, in the count, by state.
    for (who, token) in [("KAZ", &kaz), ("JPN", &jpn)] {
        for id in [&drafting, &cica_only] {
            let body = app.op(token, "Draft", json!({ "id": id })).await;
            assert_eq!(code(&body), "NOT_FOUND", "{who}: {body}");
            assert!(body["data"]["draft"].is_null(), "{body}");
            for op in ["Compilation", "VersionDiff"] {
                let body = app
                    .op(
                        token,
                        op,
                        json!({ "id": id, "version": 1, "from": 1, "to": 1 }),
                    )
                    .await;
                assert_eq!(code(&body), "NOT_FOUND", "{who} {op}: {body}");
            }
        }
        let (count, ids) = listed(&app, token, None).await;
        assert_eq!((count, &ids), (1, &vec![circulated.clone()]), "{who}");
        assert!(!ids.contains(&drafting) && !ids.contains(&cica_only));
        assert_eq!(listed(&app, token, Some("DRAFTING")).await, (0, vec![]));
    }
    // SCO is no party to the CICA-only draft.
    let body = app.op(&sco, "Draft", json!({ "id": cica_only })).await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    assert_eq!(
        listed(&app, &sco, Some("DRAFTING")).await,
        (1, vec![drafting.clone()])
    );
    let (count, ids) = listed(&app, &sco, None).await;
    assert_eq!(count, ids.len() as u64, "{ids:?}");
    assert!(ids.contains(&drafting) && ids.contains(&circulated) && !ids.contains(&cica_only));
    // Nor can anyone comment on or change a draft they cannot see.
    for (who, token) in [("KAZ", &kaz), ("SCO", &sco)] {
        let body = app
            .op(
                token,
                "AddComment",
                json!({ "input": { "draftId": cica_only, "version": 1, "body": "Hello?" }}),
            )
            .await;
        assert_eq!(code(&body), "NOT_FOUND", "{who}: {body}");
        let body = app
            .op(
                token,
                "WithdrawDraft",
                json!({ "input": { "draftId": cica_only, "reason": "Because." }}),
            )
            .await;
        assert_eq!(code(&body), "NOT_FOUND", "{who}: {body}");
    }

    // Russia's comments: not in KAZ's comments nor compilation.
    assert_eq!(comment_orgs(&app, &kaz, &circulated).await, ["KAZ"]);
    assert_eq!(compiled_orgs(&app, &kaz, &circulated, 1).await, ["KAZ"]);
    // The observer reads no comments at all.
    assert!(comment_orgs(&app, &jpn, &circulated).await.is_empty());
    assert!(compiled_orgs(&app, &jpn, &circulated, 1).await.is_empty());
    let seen = app.draft(&kaz, &circulated).await;
    assert!(
        !seen.to_string().contains("Russia") && !seen.to_string().contains("v2 secret"),
        "{seen}"
    );
    // KAZ cannot act on Russia's comments: they do not exist for it, like
    // a comment that does not exist at all.
    let nowhere = uuid::Uuid::now_v7().to_string();
    for id in [&russian, &russian_remark, &nowhere] {
        for (what, document, input) in [
            (
                "edit",
                EDIT_COMMENT,
                json!({ "commentId": id, "body": "Changed by KAZ." }),
            ),
            ("withdraw", WITHDRAW_COMMENT, json!({ "commentId": id })),
        ] {
            let body = app.gql(&kaz, document, json!({ "input": input })).await;
            assert_eq!(code(&body), "NOT_FOUND", "{what} {id}: {body}");
        }
    }
    // Resolving: KAZ may not resolve at all; whether the proposal exists
    // must not change the answer.
    let answers: Vec<String> = {
        let mut out = Vec::new();
        for id in [&russian, &nowhere] {
            let body = app
                .gql(
                    &kaz,
                    RESOLVE,
                    json!({ "input": { "commentId": id, "resolution": "ACCOMMODATED" } }),
                )
                .await;
            assert!(body["data"].is_null(), "{body}");
            out.push(code(&body));
        }
        out
    };
    assert_eq!(
        answers[0], answers[1],
        "resolveProposal tells a proposal exists"
    );
    assert_eq!(answers[0], "NOT_FOUND", "{answers:?}");
    // The observer cannot resolve or edit either.
    let body = app
        .gql(
            &jpn,
            RESOLVE,
            json!({ "input": { "commentId": russian, "resolution": "NOT_ACCOMMODATED" } }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");

    // The uncirculated revision 2: not in versions, not current, no diff,
    // no compilation, no comment on it.
    let seen = app.draft(&kaz, &circulated).await;
    assert_eq!(seen["currentVersion"]["number"], 1, "{seen}");
    let numbers: Vec<i64> = seen["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1]);
    for (from, to) in [(1, 2), (2, 1), (2, 2)] {
        let body = app
            .op(
                &kaz,
                "VersionDiff",
                json!({ "id": circulated, "from": from, "to": to }),
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "diff {from}-{to}: {body}");
        let text = body.to_string();
        assert!(text.contains("does not exist"), "{body}");
        assert!(!text.contains("v2 secret"), "{body}");
        assert!(!text.contains("latest is 2"), "the message tells: {body}");
    }
    let body = app
        .op(
            &kaz,
            "Compilation",
            json!({ "id": circulated, "version": 2 }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body.to_string().contains("does not exist"), "{body}");
    // The hidden version cannot be reached through the draft's other
    // fields either.
    let body = app
        .gql(
            &kaz,
            "query($id: ID!) { draft(id: $id) { agreedVersion { number } versions { number items { text(lang: EN) } } history { action } } }",
            json!({ "id": circulated }),
        )
        .await;
    let data = ok(&body, "draft fields");
    assert!(
        !data.to_string().contains("v2 secret"),
        "the revision leaks: {data}"
    );
    assert!(
        !data["draft"]["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"].as_str().is_some_and(|a| a.contains("REVIS"))),
        "the history tells of the revision: {data}"
    );

    // Nothing was written by any of this.
    assert_eq!(audit_entries(&app).await, before);
    let desk = app.draft(&secretariat, &circulated).await;
    let statuses: Vec<&str> = desk["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(!statuses.contains(&"WITHDRAWN"), "{desk}");
    assert!(!desk.to_string().contains("Changed by KAZ"), "{desk}");
    assert_eq!(app.total_count(&secretariat).await, 3);
}

const CREATE_NOTE: &str = "mutation Create($input: CreateNoteInput!) {
    createNote(input: $input) { note { id status number revision } } }";
const ISSUE_NOTE: &str = "mutation Issue($input: IssueNoteInput!) {
    issueNote(input: $input) { note { id status number date revision } } }";

pub(crate) fn reminder(subject: &str, addressees: Option<&[&str]>, references: &[&str]) -> Value {
    let mut input = json!({
        "series": "SOC",
        "purpose": "REMINDER",
        "subject": [{ "lang": "EN", "text": subject }],
        "body": [{ "lang": "EN", "text": format!("The Secretariat reminds of {subject}.") }],
        "references": references,
    });
    if let Some(codes) = addressees {
        input["addressees"] = json!(codes);
    }
    input
}

/// Writes (and, when `send`, issues) a note as the Secretariat; its id and
/// number.
pub(crate) async fn note_of(app: &TestApp, input: Value, send: bool) -> (String, Option<String>) {
    let body = app
        .gql(&app.secretariat(), CREATE_NOTE, json!({ "input": input }))
        .await;
    let id = str_at(&ok(&body, "createNote"), "/createNote/note/id");
    if !send {
        return (id, None);
    }
    let body = app
        .gql(
            &app.secretariat(),
            ISSUE_NOTE,
            json!({ "input": { "noteId": id, "revision": 1 } }),
        )
        .await;
    let number = str_at(&ok(&body, "issueNote"), "/issueNote/note/number");
    (id, Some(number))
}

async fn notes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let kaz = app.delegate("KAZ");
    let (to_rus, rus_number) = note_of(
        &app,
        reminder("the zebra deadline for Russia", Some(&["RUS"]), &[]),
        true,
    )
    .await;
    let rus_number = rus_number.unwrap();
    let (unsent, _) = note_of(
        &app,
        reminder("the zebra deadline not yet sent", None, &[]),
        false,
    )
    .await;
    // A note to KAZ that refers to the note to Russia.
    let (to_kaz, _) = note_of(
        &app,
        reminder(
            "the zebra deadline for Kazakhstan",
            Some(&["KAZ"]),
            &[rus_number.as_str()],
        ),
        true,
    )
    .await;
    // A note to Russia that refers to the one to Kazakhstan.
    let kaz_number = str_at(
        &ok(
            &app.gql(
                &kaz,
                "query($id: ID!) { note(id: $id) { number } }",
                json!({ "id": to_kaz }),
            )
            .await,
            "note",
        ),
        "/note/number",
    );
    let (answer_to_rus, _) = note_of(
        &app,
        reminder(
            "the zebra reply for Russia",
            Some(&["RUS"]),
            &[kaz_number.as_str()],
        ),
        true,
    )
    .await;
    let before = audit_entries(&app).await;

    for id in [&to_rus, &unsent, &answer_to_rus] {
        let body = app
            .gql(
                &kaz,
                "query($id: ID!) { note(id: $id) { id subject(lang: EN) } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(code(&body), "NOT_FOUND", "{body}");
        assert!(!body.to_string().contains("zebra"), "{body}");
    }
    // By number.
    let body = app
        .gql(
            &kaz,
            "query($n: String!) { noteByNumber(number: $n) { id subject(lang: EN) } }",
            json!({ "n": rus_number }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    assert!(!body.to_string().contains("zebra"), "{body}");
    // In the list and the search, by every filter.
    for filter in [
        json!({}),
        json!({ "text": "zebra" }),
        json!({ "text": "Russia" }),
        json!({ "addressee": "RUS" }),
        json!({ "status": "DRAFT" }),
        json!({ "series": "SOC", "purpose": "REMINDER" }),
    ] {
        let body = app
            .gql(
                &kaz,
                "query($f: NoteFilter) { notes(filter: $f, first: 100) { totalCount nodes { id subject(lang: EN) } } }",
                json!({ "f": filter }),
            )
            .await;
        let data = ok(&body, "notes");
        let ids: Vec<String> = data["notes"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| str_at(n, "/id"))
            .collect();
        assert!(
            ids.iter().all(|id| id == &to_kaz),
            "{filter}: KAZ lists {data}"
        );
        assert_eq!(
            data["notes"]["totalCount"].as_u64().unwrap(),
            ids.len() as u64,
            "{filter}: the count tells: {data}"
        );
    }
    // Through references: the number of the note referred to is in the
    // visible note, but the note itself is not reachable, and the later
    // note to Russia is not listed as referring to it.
    let body = app
        .gql(
            &kaz,
            "query($id: ID!) { note(id: $id) { references { number note { id subject(lang: EN) } } referencedBy { number note { id } } } }",
            json!({ "id": to_kaz }),
        )
        .await;
    let data = ok(&body, "references");
    assert_eq!(data["note"]["references"][0]["number"], rus_number.as_str());
    assert!(
        data["note"]["references"][0]["note"].is_null(),
        "the referred note leaks: {data}"
    );
    assert_eq!(
        data["note"]["referencedBy"].as_array().unwrap().len(),
        0,
        "a hidden later note is listed: {data}"
    );
    assert!(!data.to_string().contains("Russia"), "{data}");
    // The observer sees none of them.
    let body = app
        .gql(
            &app.observer("JPN"),
            "{ notes(filter: { text: \"zebra\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(ok(&body, "notes")["notes"]["totalCount"], 0, "{body}");
    assert_eq!(audit_entries(&app).await, before);
}

// ---------------------------------------------------------------------
// Errors.
// ---------------------------------------------------------------------

/// What an internal error must not say.
const TELLTALES: [&str; 9] = [
    "comments",
    "SELECT",
    "INSERT",
    "sqlite",
    "postgres",
    "no such table",
    "relation \"",
    "/tmp",
    ".db",
];

fn assert_opaque(what: &str, body: &Value) {
    assert_eq!(code(body), "INTERNAL", "{what}: {body}");
    let id = body
        .pointer("/errors/0/extensions/correlationId")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{what}: no correlation id: {body}"));
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{what}: {id}");
    // The path names the GraphQL field, which is public; the rest must not
    // name the table or the database.
    let mut errors = body["errors"].clone();
    for error in errors.as_array_mut().unwrap() {
        error.as_object_mut().unwrap().remove("path");
    }
    let text = errors.to_string().to_lowercase();
    for telltale in TELLTALES {
        assert!(
            !text.contains(&telltale.to_lowercase()),
            "{what}: the error says {telltale:?}: {body}"
        );
    }
}

async fn database_failure(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    let kaz = app.delegate("KAZ");
    app.propose(&kaz, &id, "item-1").await;
    let before = audit_entries(&app).await;
    let db = app.db().await;
    db.execute_unprepared("ALTER TABLE comments RENAME TO comments_gone")
        .await
        .unwrap();

    let body = app
        .op(
            &app.secretariat(),
            "Draft",
            json!({ "id": id, "lang": "EN" }),
        )
        .await;
    assert_opaque("the Draft query", &body);
    let body = app
        .op(&kaz, "Compilation", json!({ "id": id, "version": 1 }))
        .await;
    assert_opaque("the Compilation query", &body);
    // A write that fails writes nothing, not even to the audit log.
    let body = app
        .op(
            &kaz,
            "AddComment",
            json!({ "input": { "draftId": id, "version": 1, "body": "Lost remark." }}),
        )
        .await;
    assert_opaque("addComment", &body);
    assert!(body["data"].is_null(), "{body}");

    db.execute_unprepared("ALTER TABLE comments_gone RENAME TO comments")
        .await
        .unwrap();
    db.close().await.ok();
    assert_eq!(audit_entries(&app).await, before);
    let desk = app.draft(&app.secretariat(), &id).await;
    assert_eq!(desk["comments"].as_array().unwrap().len(), 1, "{desk}");
    assert!(!desk.to_string().contains("Lost remark"), "{desk}");
}
