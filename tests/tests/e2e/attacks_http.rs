//! Attacks on what surrounds GraphQL: multipart requests that are not
//! uploads or whose small parts are large, secrets in the request log,
//! responses without security headers, and commands that create or make up
//! what they should only read. Each is refused with the right status and
//! code, and writes nothing.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use accord_api::config::Settings;
use accord_api::headers::{API_CSP, GRAPHIQL_CSP};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::files::{BOUNDARY, PDF, UPLOAD, multipart, one_file, post_multipart, stored_files};
use crate::helpers::{Backend, POSTGRES_ENV, SECRET, TestApp, error_code, spawn_app, str_at};
use crate::on_both_backends;

on_both_backends!(
    only_uploads =>
        multipart_requests_run_only_uploads_by_those_who_may_upload_sqlite,
        multipart_requests_run_only_uploads_by_those_who_may_upload_postgres
);
on_both_backends!(
    small_parts =>
        the_operations_and_map_parts_are_held_to_the_body_limit_sqlite,
        the_operations_and_map_parts_are_held_to_the_body_limit_postgres
);

/// The JSON body limit of the test servers (the default).
const MAX_BODY: usize = 1024 * 1024;

/// A multipart body of `parts` in the order given: (name, file name for a
/// file part, content).
fn parts(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        let disposition = match file_name {
            Some(file_name) => format!(
                "form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf"
            ),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The upload operation as a JSON text of exactly `len` bytes (padded with
/// spaces inside the object).
fn operations_of_len(len: usize) -> Vec<u8> {
    let compact = json!({ "query": UPLOAD, "variables": { "file": null } }).to_string();
    let mut text = compact[..compact.len() - 1].to_owned();
    text.push_str(&" ".repeat(len - compact.len()));
    text.push('}');
    assert_eq!(text.len(), len);
    text.into_bytes()
}

/// A multipart `POST /graphql` over a plain TCP connection, with the upload
/// header: `Content-Length` says `declared` bytes, of which only `body` is
/// sent before the answer is awaited (the rest never comes when `declared`
/// is larger). The status and the JSON body; panics when no answer comes
/// within 20 s, that is, when the server waits for the rest of the body.
async fn raw_multipart(app: &TestApp, token: &str, body: Vec<u8>, declared: usize) -> (u16, Value) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let token = token.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let head = format!(
            "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             X-Accord-Upload: 1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
             Content-Length: {declared}\r\nConnection: close\r\n\r\n"
        );
        let mut writer = stream.try_clone().unwrap();
        // The server may answer (and close) before the body is sent.
        let sender = std::thread::spawn(move || -> std::io::Result<()> {
            writer.write_all(head.as_bytes())?;
            for chunk in body.chunks(64 * 1024) {
                writer.write_all(chunk)?;
            }
            writer.flush()
        });
        let mut response = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&buffer[..n]),
                Err(_) if !response.is_empty() => break,
                Err(error) => panic!("no answer (the server waits for the body?): {error}"),
            }
        }
        let _ = sender.join();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP response: {text}"));
        let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        let value = serde_json::from_str(body)
            .unwrap_or_else(|_| panic!("a JSON body, got {status}: {body}"));
        (status, value)
    })
    .await
    .unwrap()
}

fn expect((status, body): (u16, Value), want_status: u16, code: &str) -> Value {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(error_code(&body).as_deref(), Some(code), "{body}");
    body
}

fn message(body: &Value) -> String {
    str_at(body, "/errors/0/message")
}

async fn only_uploads(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let audit = app.audit_entries().await;
    let ordinary = multipart(&json!({ "query": "{ viewer { id } }" }), &json!({}), &[]);
    // The reported attack: an observer's ordinary query as multipart, no
    // file. Whoever may not upload is refused before the body is read.
    for token in [app.observer("JPN"), app.counterpart("SCO"), app.sg("CICA")] {
        let body = expect(
            post_multipart(&app, Some(&token), true, ordinary.clone()).await,
            403,
            "FORBIDDEN",
        );
        assert!(message(&body).contains("upload"), "{body}");
        // Not even a byte of a large body is awaited.
        let body = expect(
            raw_multipart(&app, &token, b"--".to_vec(), 6 * 1024 * 1024).await,
            403,
            "FORBIDDEN",
        );
        assert!(body.get("data").is_none(), "{body}");
    }
    // Those who may upload run nothing else by multipart: not a query, not
    // another mutation, not an upload with another field, not another
    // operation of the document.
    let delegate = app.delegate("KAZ");
    let feed = "createCalendarFeed(input: { label: \"phone\" }) { token }";
    for operations in [
        json!({ "query": "{ viewer { id } }" }),
        json!({ "query": "query ($file: Upload) { __typename }", "variables": { "file": null } }),
        json!({ "query": format!("mutation {{ {feed} }}") }),
        json!({
            "query": format!("mutation ($file: Upload!) {{ uploadFile(file: $file) {{ id }} {feed} }}"),
            "variables": { "file": null }
        }),
        json!({
            "query": format!("mutation ($file: Upload!) {{ ...F }} fragment F on Mutation {{ uploadFile(file: $file) {{ id }} {feed} }}"),
            "variables": { "file": null }
        }),
        json!({
            "query": format!("mutation A($file: Upload!) {{ uploadFile(file: $file) {{ id }} }} mutation B {{ {feed} }}"),
            "operationName": "B",
            "variables": { "file": null }
        }),
        json!({ "query": "mutation ($file: Upload!) { uploadFile(file: $file) { id }" }),
    ] {
        let body = multipart(
            &operations,
            &json!({ "0": ["variables.file"] }),
            &[("0", "a.pdf", "application/pdf", PDF)],
        );
        let body = expect(
            post_multipart(&app, Some(&delegate), true, body).await,
            400,
            "BAD_USER_INPUT",
        );
        assert!(body.get("data").is_none(), "{operations}: {body}");
    }
    assert_eq!(app.audit_entries().await, audit, "a refused request wrote");
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));
    // An upload still works, named or not.
    let (status, body) = post_multipart(
        &app,
        Some(&delegate),
        true,
        one_file("a.pdf", "application/pdf", PDF),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["uploadFile"]["size"], PDF.len(), "{body}");
    let named = multipart(
        &json!({
            "query": format!("mutation A($file: Upload!) {{ ...U }} fragment U on Mutation {{ uploadFile(file: $file) {{ sha256 }} }} mutation B {{ {feed} }}"),
            "operationName": "A",
            "variables": { "file": null }
        }),
        &json!({ "0": ["variables.file"] }),
        &[("0", "a.pdf", "application/pdf", PDF)],
    );
    let (status, body) = post_multipart(&app, Some(&app.secretariat()), true, named).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["uploadFile"]["sha256"].is_string(), "{body}");
    assert_eq!(app.audit_entries().await, audit + 2);
}

async fn small_parts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let delegate = app.delegate("KAZ");
    let audit = app.audit_entries().await;
    let map = json!({ "0": ["variables.file"] }).to_string();

    // The reported attack: 6 MiB of repeated fields in the operations part.
    // Refused at the body limit, before the document is parsed.
    let fields = "id ".repeat(2 * 1024 * 1024);
    let operations = json!({
        "query": format!("mutation ($file: Upload!) {{ uploadFile(file: $file) {{ {fields} }} }}"),
        "variables": { "file": null }
    })
    .to_string();
    let body = parts(&[
        ("operations", None, operations.as_bytes()),
        ("map", None, map.as_bytes()),
        ("0", Some("a.pdf"), PDF),
    ]);
    let declared = body.len();
    let started = Instant::now();
    let refused = expect(
        raw_multipart(&app, &delegate, body, declared).await,
        413,
        "BAD_USER_INPUT",
    );
    assert!(message(&refused).contains("operations"), "{refused}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    // The part is cut off at the limit as it streams: with only 1.2 MiB of
    // a 6 MiB part sent, the answer comes without the rest.
    let mut start =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n")
            .into_bytes();
    start.extend_from_slice(&operations.as_bytes()[..MAX_BODY + MAX_BODY / 5]);
    expect(
        raw_multipart(&app, &delegate, start, declared).await,
        413,
        "BAD_USER_INPUT",
    );
    // Nor can the parts before the file be made large another way: a
    // preamble that never reaches a boundary.
    let preamble = vec![b'x'; 3 * MAX_BODY];
    let refused = expect(
        raw_multipart(&app, &delegate, preamble, 6 * MAX_BODY).await,
        413,
        "BAD_USER_INPUT",
    );
    assert!(message(&refused).contains("before the file"), "{refused}");

    // At the limit an operations part is read; one byte over, it is not.
    let at_limit = parts(&[
        ("operations", None, &operations_of_len(MAX_BODY)),
        ("map", None, map.as_bytes()),
        ("0", Some("a.pdf"), PDF),
    ]);
    let (status, body) = post_multipart(&app, Some(&delegate), true, at_limit).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["uploadFile"]["id"].is_string(), "{body}");
    let over = parts(&[
        ("operations", None, &operations_of_len(MAX_BODY + 1)),
        ("map", None, map.as_bytes()),
        ("0", Some("a.pdf"), PDF),
    ]);
    let refused = expect(
        post_multipart(&app, Some(&delegate), true, over).await,
        413,
        "BAD_USER_INPUT",
    );
    assert!(message(&refused).contains("operations"), "{refused}");
    // The map part likewise.
    let operations = json!({ "query": UPLOAD, "variables": { "file": null } }).to_string();
    let big_map = format!("{map}{}", " ".repeat(MAX_BODY));
    let refused = expect(
        post_multipart(
            &app,
            Some(&delegate),
            true,
            parts(&[
                ("operations", None, operations.as_bytes()),
                ("map", None, big_map.as_bytes()),
                ("0", Some("a.pdf"), PDF),
            ]),
        )
        .await,
        413,
        "BAD_USER_INPUT",
    );
    assert!(message(&refused).contains("map"), "{refused}");
    // The parts in another order than operations, map, files; a part the
    // map does not name; a file the map names but the request lacks.
    let operations = operations.as_bytes();
    let map = map.as_bytes();
    for (what, body) in [
        (
            "map first",
            parts(&[
                ("map", None, map),
                ("operations", None, operations),
                ("0", Some("a.pdf"), PDF),
            ]),
        ),
        (
            "the file first",
            parts(&[
                ("0", Some("a.pdf"), PDF),
                ("operations", None, operations),
                ("map", None, map),
            ]),
        ),
        (
            "operations as a file",
            parts(&[
                ("operations", Some("o.json"), operations),
                ("map", None, map),
                ("0", Some("a.pdf"), PDF),
            ]),
        ),
        (
            "an unnamed part",
            parts(&[
                ("operations", None, operations),
                ("map", None, map),
                ("extra", None, b"x"),
                ("0", Some("a.pdf"), PDF),
            ]),
        ),
        (
            "a part the map does not name",
            parts(&[
                ("operations", None, operations),
                ("map", None, map),
                ("1", Some("a.pdf"), PDF),
            ]),
        ),
        (
            "a missing file",
            parts(&[("operations", None, operations), ("map", None, map)]),
        ),
    ] {
        let body = expect(
            post_multipart(&app, Some(&delegate), true, body).await,
            400,
            "BAD_USER_INPUT",
        );
        assert!(body.get("data").is_none(), "{what}: {body}");
    }
    // Only the upload at the limit was stored.
    assert_eq!(app.audit_entries().await, audit + 1);
}

/// The log lines written on one thread, kept for its test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

std::thread_local! {
    static CAPTURED: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Where the test binary's log goes: into the [`Captured`] of the thread
/// that writes, if it has one, else nowhere.
struct ThreadLog;

impl Write for ThreadLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|captured| {
            if let Some(captured) = &*captured.borrow() {
                captured.0.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures what is logged on this thread from now on, with the filter the
/// server's binary uses by default. The subscriber is global (set once for
/// the test binary): subscribers set per thread do not reliably see events
/// while other threads log too.
fn capture_this_thread() -> Captured {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadLog)
            .with_ansi(false)
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,sqlx=warn,sea_orm=warn",
            ))
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the test binary");
    });
    let captured = Captured::default();
    CAPTURED.with(|slot| *slot.borrow_mut() = Some(captured.clone()));
    captured
}

// The runtime of these tests has one thread, the test's, on which the
// server's tasks run too: what the server logs for the test's requests is
// logged on that thread.
#[tokio::test]
async fn no_token_reaches_the_request_log_sqlite() {
    no_token_in_the_log(Backend::Sqlite).await;
}

#[tokio::test]
async fn no_token_reaches_the_request_log_postgres() {
    no_token_in_the_log(Backend::Postgres).await;
}

async fn no_token_in_the_log(backend: Backend) {
    let captured = capture_this_thread();
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let delegate = app.delegate("KAZ");
    let created = app
        .gql(
            &delegate,
            "mutation { createCalendarFeed(input: { label: \"phone\" }) { token path } }",
            json!({}),
        )
        .await;
    let token = str_at(&created, "/data/createCalendarFeed/token");
    let path = str_at(&created, "/data/createCalendarFeed/path");
    assert!(path.contains(&token), "{created}");
    let get = |target: String, bearer: Option<String>| {
        let mut request = app.client.get(format!("{}{target}", app.base));
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    // The feed, by its path, percent-encoded, and with the token where it
    // does not belong.
    assert_eq!(get(path.clone(), None).await, 200);
    let encoded = path.replace("cal_", "%63al_");
    assert_eq!(get(encoded, None).await, 200);
    assert_eq!(
        get(
            format!("/calendar/me.ics?token={token}"),
            Some(delegate.clone())
        )
        .await,
        400
    );
    assert_eq!(get(format!("/calendar/x{token}.ics"), None).await, 404);
    // A JWT in the header (logged by nobody) and in a query string.
    assert_eq!(
        get(
            format!("/graphql?query=%7B%20viewer%20%7B%20id%20%7D%20%7D&access_token={delegate}"),
            Some(delegate.clone())
        )
        .await,
        200
    );
    assert_eq!(
        get(
            "/graphql?query=%7Bviewer%7Bid%7D%7D".into(),
            Some(format!("{delegate}x"))
        )
        .await,
        401
    );
    drop(app);

    let log = captured.text();
    assert!(
        log.contains("uri=/calendar/[redacted]"),
        "the request log was not captured or not redacted:\n{log}"
    );
    assert!(log.contains("access_token=[redacted]"), "{log}");
    let secret = token.trim_start_matches("cal_");
    for line in log.lines() {
        assert!(!line.contains(secret), "a feed token in the log: {line}");
        assert!(!line.contains(&delegate), "a JWT in the log: {line}");
        let signature = delegate.rsplit('.').next().unwrap();
        assert!(
            !line.contains(signature),
            "a JWT's signature in the log: {line}"
        );
    }
}

on_both_backends!(
    headers =>
        every_response_carries_the_security_headers_sqlite,
        every_response_carries_the_security_headers_postgres
);

async fn headers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.secretariat();
    let check = |what: &str, response: &reqwest::Response, csp: &str| {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_else(|| panic!("{what}: no {name} header"))
        };
        assert_eq!(header("content-security-policy"), csp, "{what}");
        assert_eq!(header("x-frame-options"), "DENY", "{what}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    };
    let get = |path: &str, bearer: Option<&str>, accept: &str| {
        let mut request = app
            .client
            .get(format!("{}{path}", app.base))
            .header("accept", accept);
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        request.send()
    };

    let graphiql = get("/graphql", None, "text/html").await.unwrap();
    assert_eq!(graphiql.status(), 200);
    check("GraphiQL", &graphiql, GRAPHIQL_CSP);
    assert!(GRAPHIQL_CSP.contains("frame-ancestors 'none'"));
    assert!(graphiql.text().await.unwrap().contains("graphiql"));

    let json = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ viewer { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    check("a GraphQL response", &json, API_CSP);
    for (what, path, bearer, status) in [
        (
            "a GET query",
            "/graphql?query=%7Bviewer%7Bid%7D%7D",
            Some(token.as_str()),
            200,
        ),
        ("no token", "/graphql?query=%7Bviewer%7Bid%7D%7D", None, 401),
        (
            "own calendar",
            "/calendar/me.ics",
            Some(token.as_str()),
            200,
        ),
        ("unknown feed", "/calendar/cal_00.ics", None, 404),
        (
            "unknown file",
            &format!("/files/{}", "0".repeat(64)),
            Some(token.as_str()),
            404,
        ),
        ("no route", "/nowhere", None, 404),
        ("health", "/healthz", None, 200),
        ("readiness", "/readyz", None, 200),
    ] {
        let response = get(path, bearer, "application/json").await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{what}");
        check(what, &response, API_CSP);
    }
    // A stored file, and a refused upload.
    let (status, body) = post_multipart(
        &app,
        Some(&token),
        true,
        one_file("a.pdf", "application/pdf", PDF),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let download = str_at(&body, "/data/uploadFile/downloadPath");
    let file = get(&download, Some(&token), "*/*").await.unwrap();
    assert_eq!(file.status(), 200);
    check("a file", &file, API_CSP);
    let refused = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(app.observer("JPN"))
        .header("x-accord-upload", "1")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(one_file("a.pdf", "application/pdf", PDF))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    check("a refused upload", &refused, API_CSP);
}

on_both_backends!(
    audit_verify =>
        audit_verify_creates_no_database_and_reads_only_an_accord_one_sqlite,
        audit_verify_creates_no_database_and_reads_only_an_accord_one_postgres
);

/// A fresh empty directory under the temporary directory.
fn fresh_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Runs `accord <args>` in this process; the error's whole message.
async fn accord(args: &[&str]) -> Result<ExitCode, String> {
    accord_api::cli::execute(std::iter::once("accord").chain(args.iter().copied()))
        .await
        .map_err(|error| format!("{error:#}"))
}

async fn audit_verify(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // A database of the server: intact.
    assert_eq!(
        accord(&["audit", "verify", "--database-url", &app.db_url]).await,
        Ok(ExitCode::SUCCESS)
    );
    match backend {
        Backend::Sqlite => {
            // Where there is no database (the default URL asks SQLite to
            // create one): an error, and nothing created.
            let dir = fresh_dir();
            let url = format!("sqlite://{}?mode=rwc", dir.join("accord.db").display());
            let refused = accord(&["audit", "verify", "--database-url", &url])
                .await
                .expect_err("verify reported a missing database intact");
            assert!(refused.contains("no database"), "{refused}");
            assert!(refused.contains("--database-url"), "{refused}");
            assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
            // An empty file is no Accord database: an error, and no schema
            // written into it.
            let empty = dir.join("empty.db");
            std::fs::write(&empty, b"").unwrap();
            let url = format!("sqlite://{}", empty.display());
            let refused = accord(&["audit", "verify", "--database-url", &url])
                .await
                .expect_err("verify reported an empty file intact");
            assert!(refused.contains("Accord database"), "{refused}");
            let db = Database::connect(format!("sqlite://{}?mode=ro", empty.display()))
                .await
                .unwrap();
            let tables = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT name FROM sqlite_master",
                ))
                .await
                .unwrap();
            assert!(tables.is_empty(), "verify wrote {} tables", tables.len());
            db.close().await.ok();
            let _ = std::fs::remove_dir_all(&dir);
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).unwrap();
            let name = format!("accord_absent_{}", uuid::Uuid::new_v4().simple());
            let (head, _) = admin_url.rsplit_once('/').unwrap();
            let url = format!("{head}/{name}");
            assert!(
                accord(&["audit", "verify", "--database-url", &url])
                    .await
                    .is_err()
            );
            let admin = Database::connect(admin_url.as_str()).await.unwrap();
            let found = admin
                .query_one_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .unwrap();
            assert!(found.is_none(), "verify created database {name}");
            admin.close().await.ok();
        }
    }
}

#[tokio::test]
async fn token_makes_up_no_secret() {
    for variable in [
        "ACCORD_JWT_SECRET",
        "ACCORD_JWT_PUBLIC_KEY",
        "ACCORD_PRODUCTION",
    ] {
        if std::env::var_os(variable).is_some() {
            println!("skipped: {variable} is set");
            return;
        }
    }
    let dir = fresh_dir();
    let secret_file = dir.join(".accord-dev-secret");
    let secret_path = secret_file.to_str().unwrap();
    let person = [
        "--sub",
        "kaz-2",
        "--name",
        "A. Delegate",
        "--org",
        "KAZ",
        "--role",
        "delegate",
    ];
    let token = |extra: &[&str]| {
        let args: Vec<String> = ["token", "--dev-secret-file", secret_path]
            .iter()
            .chain(&person)
            .chain(extra)
            .map(|arg| (*arg).to_owned())
            .collect();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            accord(&args).await
        }
    };
    // No secret configured and none kept by a server: an error naming what
    // to set, and no secret written.
    let refused = token(&[])
        .await
        .expect_err("a token signed by a made-up secret");
    assert!(refused.contains("ACCORD_JWT_SECRET"), "{refused}");
    assert!(refused.contains("--dev-secret-file"), "{refused}");
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
    // A secret too short to be the server's is not replaced.
    std::fs::write(&secret_file, "short").unwrap();
    assert!(token(&[]).await.is_err());
    assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), "short");
    std::fs::remove_file(&secret_file).unwrap();
    // A development server keeps its secret there (as `serve --demo` does),
    // and `accord token` signs with it, changing nothing.
    let mut settings = Settings::for_tests("sqlite::memory:", SECRET);
    settings.jwt_secret = None;
    settings.dev_secret_file = secret_file.clone();
    let server_secret = settings.auth_config().unwrap().hs256_secret.unwrap();
    assert_eq!(token(&[]).await, Ok(ExitCode::SUCCESS));
    assert_eq!(
        std::fs::read_to_string(&secret_file).unwrap().trim(),
        server_secret
    );
    // A configured secret needs no file.
    std::fs::remove_file(&secret_file).unwrap();
    assert_eq!(
        token(&["--jwt-secret", SECRET]).await,
        Ok(ExitCode::SUCCESS)
    );
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}
