//! Traces over OTLP, end to end: `accord serve --demo` is started as the
//! binary, with its OTLP endpoint pointed at a small collector in this
//! test (`POST /v1/traces`, protobuf bodies kept). A mutation is sent with
//! a W3C `traceparent`; after Ctrl-C (SIGINT) the server must have sent
//! the request's span, in the caller's trace, named for its operation,
//! and the command's span inside it.
//!
//! The binary, not the library: the exporter is set up by the command line
//! and flushed on its way out, and a process has one global subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use poem::listener::{Acceptor as _, Listener as _, TcpListener};
use poem::web::Data;
use poem::{EndpointExt as _, Route, handler, post};
use prost::Message as _;

const SECRET: &str = "an-otlp-test-secret-of-at-least-32-bytes";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN_ID: &str = "00f067aa0ba902b7";
const OPERATION: &str = "TracedCreateDraft";
const SERVICE: &str = "accord-otlp-test";

/// The bodies the collector was sent.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Vec<u8>>>>);

#[handler]
fn traces(body: Vec<u8>, received: Data<&Received>) -> poem::Response {
    received.0.0.lock().unwrap().push(body);
    poem::Response::builder()
        .content_type("application/x-protobuf")
        .body(Vec::new())
}

/// A collector listening on a free port: its base URL and what it receives.
async fn collector() -> (String, Received) {
    let received = Received::default();
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    let app = Route::new()
        .at("/v1/traces", post(traces))
        .data(received.clone());
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
    (format!("http://{addr}"), received)
}

/// `accord serve --demo` with traces sent to `endpoint`, each line of its
/// standard output sent to the receiver as it is printed.
fn accord(endpoint: &str, dir: &std::path::Path) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["serve", "--demo"])
        .env("ACCORD_LISTEN", "127.0.0.1:0")
        .env(
            "ACCORD_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("accord.db").display()),
        )
        .env("ACCORD_JWT_SECRET", SECRET)
        .env("ACCORD_FILES_DIR", dir.join("files"))
        .env("ACCORD_JOB_INTERVAL_SECS", "0")
        .env("ACCORD_OTLP_ENDPOINT", endpoint)
        .env("ACCORD_OTLP_SERVICE_NAME", SERVICE)
        .env("ACCORD_LOG", "info,sqlx=warn,sea_orm=warn")
        .env_remove("ACCORD_LOG_FORMAT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Reads the server's output up to its listening line: its URL, and the
/// demo token of the CICA secretariat.
fn started(lines: &mpsc::Receiver<String>) -> (String, String) {
    let mut token = None;
    let mut secretariat_next = false;
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(300))
            .expect("the server printed its address");
        if secretariat_next {
            token = Some(line.trim().to_owned());
            secretariat_next = false;
        } else if line.starts_with("# ") && line.ends_with("secretariat of CICA") {
            secretariat_next = true;
        } else if let Some(rest) = line.strip_prefix("Accord listening on ") {
            let url = rest.split_whitespace().next().unwrap().to_owned();
            return (url, token.expect("a secretariat token was printed"));
        }
    }
}

/// Sends SIGINT (Ctrl-C) and waits for the server to end.
async fn interrupt(mut child: Child) -> std::process::ExitStatus {
    let sent = Command::new("kill")
        .args(["-s", "INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    panic!("the server did not stop within 30 s of Ctrl-C");
}

fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a any_value::Value> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|value: &AnyValue| value.value.as_ref())
}

fn string<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    match attribute(attributes, key)? {
        any_value::Value::StringValue(s) => Some(s),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_with_a_traceparent_is_exported_in_the_callers_trace_with_its_command() {
    let dir = std::env::temp_dir().join(format!("accord-otlp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let (endpoint, received) = collector().await;
    let (child, lines) = accord(&endpoint, &dir);
    let (url, token) = started(&lines);

    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .bearer_auth(&token)
        .header("traceparent", format!("00-{TRACE_ID}-{CALLER_SPAN_ID}-01"))
        .json(&serde_json::json!({
            "query": format!("mutation {OPERATION}($i: CreateDraftInput!) {{ createDraft(input: $i) {{ draft {{ id }} }} }}"),
            "variables": { "i": {
                "kind": "ACTION_PLAN",
                "title": [{ "lang": "EN", "text": "Traced plan" }],
                "signatories": ["CICA"],
                "items": [{ "anchor": "item-1", "texts": [{ "lang": "EN", "text": "Text." }] }],
            } },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(answer["errors"].is_null(), "{answer}");

    let status = interrupt(child).await;
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);

    let bodies = received.0.lock().unwrap().clone();
    assert!(!bodies.is_empty(), "nothing was posted to /v1/traces");
    let trace_id = hex::decode(TRACE_ID).unwrap();
    assert!(
        bodies.iter().any(|body| body
            .windows(trace_id.len())
            .any(|w| w == trace_id.as_slice())),
        "no body carries the caller's trace id"
    );
    let mut spans: Vec<Span> = Vec::new();
    for body in &bodies {
        let request = ExportTraceServiceRequest::decode(body.as_slice()).unwrap();
        for resource in request.resource_spans {
            let service = resource
                .resource
                .as_ref()
                .and_then(|r| string(&r.attributes, "service.name"))
                .map(str::to_owned);
            assert_eq!(service.as_deref(), Some(SERVICE));
            spans.extend(resource.scope_spans.into_iter().flat_map(|s| s.spans));
        }
    }

    let request = spans
        .iter()
        .find(|span| {
            span.name == "request"
                && string(&span.attributes, "graphql.operation.name") == Some(OPERATION)
        })
        .unwrap_or_else(|| panic!("no request span named {OPERATION} among {spans:#?}"));
    assert_eq!(
        request.trace_id, trace_id,
        "the request joins the caller's trace"
    );
    assert_eq!(request.parent_span_id, hex::decode(CALLER_SPAN_ID).unwrap());
    assert_eq!(
        string(&request.attributes, "graphql.root_field"),
        Some("createDraft")
    );
    assert_eq!(string(&request.attributes, "outcome"), Some("ok"));
    assert_eq!(
        attribute(&request.attributes, "status"),
        Some(&any_value::Value::IntValue(200))
    );

    let command = spans
        .iter()
        .find(|span| span.name == "command" && span.trace_id == trace_id)
        .unwrap_or_else(|| panic!("no command span in the caller's trace among {spans:#?}"));
    assert_eq!(string(&command.attributes, "command"), Some("CREATE_DRAFT"));
    assert_eq!(
        command.parent_span_id, request.span_id,
        "the command runs inside the request"
    );
}

#[test]
fn a_malformed_endpoint_stops_the_server_from_starting() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["serve", "--otlp-endpoint", "localhost:4318"])
        .env("ACCORD_LISTEN", "127.0.0.1:0")
        .env("ACCORD_DATABASE_URL", "sqlite::memory:")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A server that started anyway would run until stopped.
    for _ in 0..300 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
        panic!("the server started with a malformed OTLP endpoint");
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--otlp-endpoint (ACCORD_OTLP_ENDPOINT) \"localhost:4318\""),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing was started");
}
