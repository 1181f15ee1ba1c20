//! Operators' metrics, served as `GET /metrics` in Prometheus's text
//! format: GraphQL requests by operation and outcome with their latency,
//! the database pools' connections, the background jobs' runs, and the
//! open subscription sockets.
//!
//! **No label value comes from a client's text unchecked.** A request's
//! `operation` is the root field its operation selects (`draft`,
//! `circulateDraft`, `__schema`), taken only from a document that passed
//! validation, so it is a field of the schema: the operation names a client
//! writes (`query MyDraftAboutX`) are never used. An operation selecting
//! several root fields is `several`; a request that never ran (unparsable,
//! invalid, refused before GraphQL) is `none`. Its `outcome` is `ok` or the
//! first error's `extensions.code`, one of the API's codes. Job names are
//! the scheduler's own. So no title, person or token reaches a label, and
//! the number of series is bounded by the schema.
//!
//! **Who reads them.** `/metrics` is served on the main listener only to a
//! bearer of `ACCORD_METRICS_TOKEN`, or, without a token, on its own
//! listener (`ACCORD_METRICS_LISTEN`, an address operators reach and users
//! do not); `ACCORD_METRICS=false` serves it nowhere.
//!
//! **Read when scraped.** The pools' connections and the live updates'
//! sockets and subscriptions are read from the store and from
//! [`crate::live::sockets::Live`] when `/metrics` is asked for, so that each is
//! counted in one place.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use poem::http::{StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};
use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use accord_workflow::Store;

use crate::error::Code;

/// The label of a request that ran no operation.
pub const NO_OPERATION: &str = "none";
/// The label of an operation selecting several root fields.
pub const SEVERAL_OPERATIONS: &str = "several";
/// The outcome of a request answered without an error.
pub const OK: &str = "ok";

/// Latency buckets, in seconds: from a cached read to the query timeout.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The metrics of this process. One set per process, whatever the number
/// of servers in it (tests start several), so that the free functions
/// below need no handle.
struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    connections: IntGaugeVec,
    max_connections: IntGaugeVec,
    jobs: IntCounterVec,
    job_duration: HistogramVec,
    sockets: IntGauge,
    subscriptions: IntGauge,
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| match Metrics::new() {
    Ok(metrics) => Some(metrics),
    Err(error) => {
        tracing::error!(%error, "the metrics could not be registered; /metrics is empty");
        None
    }
});

impl Metrics {
    fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new_custom(Some("accord".to_owned()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "graphql_requests_total",
                "GraphQL requests answered, by root field of the operation and outcome (ok or the error code).",
            ),
            &["operation", "outcome"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "graphql_request_duration_seconds",
                "Time to answer a GraphQL request, by root field of the operation.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["operation"],
        )?;
        let connections = IntGaugeVec::new(
            Opts::new(
                "db_connections",
                "Database connections of each pool, in use or idle, when /metrics was read.",
            ),
            &["pool", "state"],
        )?;
        let max_connections = IntGaugeVec::new(
            Opts::new(
                "db_connections_max",
                "The most connections each database pool opens.",
            ),
            &["pool"],
        )?;
        let jobs = IntCounterVec::new(
            Opts::new(
                "jobs_total",
                "Background job runs on this instance, by job and outcome (ok, error).",
            ),
            &["job", "outcome"],
        )?;
        let job_duration = HistogramVec::new(
            HistogramOpts::new("job_duration_seconds", "Time a background job's run took.")
                .buckets(LATENCY_BUCKETS.to_vec()),
            &["job"],
        )?;
        let sockets = IntGauge::new(
            "subscription_sockets",
            "Open live updates' sockets (/graphql/ws) on this instance.",
        )?;
        let subscriptions = IntGauge::new(
            "subscriptions",
            "Subscriptions running on this instance's live updates' sockets.",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(connections.clone()))?;
        registry.register(Box::new(max_connections.clone()))?;
        registry.register(Box::new(jobs.clone()))?;
        registry.register(Box::new(job_duration.clone()))?;
        registry.register(Box::new(sockets.clone()))?;
        registry.register(Box::new(subscriptions.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            connections,
            max_connections,
            jobs,
            job_duration,
            sockets,
            subscriptions,
        })
    }
}

/// Records one run of the background job `job`.
pub fn job_ran(job: &str, succeeded: bool, took: Duration) {
    if let Some(metrics) = METRICS.as_ref() {
        let outcome = if succeeded { OK } else { "error" };
        metrics.jobs.with_label_values(&[job, outcome]).inc();
        metrics
            .job_duration
            .with_label_values(&[job])
            .observe(took.as_secs_f64());
    }
}

/// What the GraphQL handler tells the metrics (and the request's span)
/// about a request, carried in the response's extensions: the operation's
/// label, and the outcome when the answer is a GraphQL response (an HTTP
/// refusal's comes from its status).
#[derive(Debug, Clone, Default)]
pub(crate) struct Answered {
    /// The root field the operation selected, if it was validated.
    pub(crate) operation: Option<Label>,
    /// `ok` or the first error's code.
    pub(crate) outcome: Option<&'static str>,
    /// The operation's name as the client gave it (`operationName`, or
    /// the document's one operation's name), if it is a GraphQL name. For
    /// the request's span only: a client chooses it, so it is no metric's
    /// label.
    pub(crate) name: Option<String>,
}

impl Answered {
    /// The outcome of `response`: the handler's, or else its status's.
    pub(crate) fn outcome_of(response: &Response) -> &'static str {
        response
            .extensions()
            .get::<Answered>()
            .and_then(|answered| answered.outcome)
            .unwrap_or_else(|| outcome_of_status(response.status()))
    }
}

/// A label value known to be bounded (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label(String);

impl Label {
    /// The label of an operation with root fields `fields`, or `None` when
    /// a name is not a GraphQL name (it is then not the schema's).
    pub(crate) fn of_root_fields(fields: &[String]) -> Option<Label> {
        match fields {
            [] => None,
            [one] => is_graphql_name(one).then(|| Label(one.clone())),
            _ => Some(Label(SEVERAL_OPERATIONS.to_owned())),
        }
    }

    /// The label's value.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `name` is a GraphQL name of at most 64 characters.
pub(crate) fn is_graphql_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 64
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The outcome of a GraphQL response: `ok`, or its first error's code (an
/// error without one is the request's own, `BAD_USER_INPUT`).
pub(crate) fn outcome_of(response: &async_graphql::Response) -> &'static str {
    let Some(first) = response.errors.first() else {
        return OK;
    };
    let code = first
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .and_then(|code| match code {
            async_graphql::Value::String(code) => Some(code.as_str()),
            _ => None,
        });
    known_code(code.unwrap_or(Code::BadUserInput.as_str()))
}

/// `code` as one of the API's codes (`INTERNAL` for any other).
fn known_code(code: &str) -> &'static str {
    const CODES: [Code; 8] = [
        Code::Unauthenticated,
        Code::Forbidden,
        Code::NotFound,
        Code::BadUserInput,
        Code::InvalidTransition,
        Code::Conflict,
        Code::Unavailable,
        Code::Internal,
    ];
    CODES
        .iter()
        .map(|c| c.as_str())
        .find(|c| *c == code)
        .unwrap_or(Code::Internal.as_str())
}

/// The outcome of an answer refused before GraphQL, by its status.
fn outcome_of_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => OK,
        401 => Code::Unauthenticated.as_str(),
        403 => Code::Forbidden.as_str(),
        404 => Code::NotFound.as_str(),
        409 => Code::Conflict.as_str(),
        503 => Code::Unavailable.as_str(),
        400..=499 => Code::BadUserInput.as_str(),
        _ => Code::Internal.as_str(),
    }
}

/// Around the GraphQL routes: counts each answer and its latency under
/// what the handler put in [`Answered`].
pub(crate) async fn count<E: Endpoint>(next: Arc<E>, request: Request) -> poem::Result<Response> {
    let started = std::time::Instant::now();
    let response = match next.call(request).await {
        Ok(response) => response.into_response(),
        Err(error) => error.into_response(),
    };
    if let Some(metrics) = METRICS.as_ref() {
        let answered = response
            .extensions()
            .get::<Answered>()
            .cloned()
            .unwrap_or_default();
        let operation = answered
            .operation
            .as_ref()
            .map_or(NO_OPERATION, |label| label.0.as_str());
        let outcome = Answered::outcome_of(&response);
        metrics
            .requests
            .with_label_values(&[operation, outcome])
            .inc();
        metrics
            .latency
            .with_label_values(&[operation])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

/// Who may read `/metrics` on the main listener.
#[derive(Clone)]
pub(crate) enum Access {
    /// Nobody: it is not served there.
    Closed,
    /// A bearer of this token (compared in constant time).
    Token(String),
    /// Anyone who reaches the listener (the metrics' own listener).
    Open,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Access::Closed => f.write_str("Closed"),
            Access::Token(_) => f.write_str("Token([redacted])"),
            Access::Open => f.write_str("Open"),
        }
    }
}

impl Access {
    fn admits(&self, request: &Request) -> bool {
        match self {
            Access::Closed => false,
            Access::Open => true,
            Access::Token(token) => request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The answer to `GET /metrics`: the pools read now, then every metric.
/// Refused as absent (404) to whoever `access` does not admit, so that the
/// route tells nothing to others.
/// How many live updates' sockets are open on this instance, and how
/// many subscriptions run on them (`crate::live::sockets::Live` counts them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LiveCounts {
    pub(crate) sockets: usize,
    pub(crate) subscriptions: usize,
}

pub(crate) fn answer(
    request: &Request,
    access: &Access,
    store: &Store,
    live: LiveCounts,
) -> Response {
    if !access.admits(request) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(metrics) = METRICS.as_ref() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    metrics.sockets.set(gauge(live.sockets));
    metrics.subscriptions.set(gauge(live.subscriptions));
    for pool in store.pools() {
        let in_use = pool.size.saturating_sub(pool.idle);
        metrics
            .connections
            .with_label_values(&[pool.name, "in_use"])
            .set(i64::from(in_use));
        metrics
            .connections
            .with_label_values(&[pool.name, "idle"])
            .set(i64::from(pool.idle));
        metrics
            .max_connections
            .with_label_values(&[pool.name])
            .set(i64::from(pool.max));
    }
    let mut body = Vec::new();
    if let Err(error) = TextEncoder::new().encode(&metrics.registry.gather(), &mut body) {
        tracing::error!(%error, "the metrics could not be encoded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Response::builder()
        .status(StatusCode::OK)
        .content_type(prometheus::TEXT_FORMAT)
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
}

#[cfg(test)]
mod tests {
    use async_graphql::ErrorExtensions as _;

    use super::*;

    #[test]
    fn an_operation_is_labelled_by_its_one_root_field() {
        let label = |fields: &[&str]| {
            Label::of_root_fields(&fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>())
                .map(|l| l.0)
        };
        assert_eq!(label(&["draft"]).as_deref(), Some("draft"));
        assert_eq!(label(&["__schema"]).as_deref(), Some("__schema"));
        assert_eq!(label(&["draft", "drafts"]).as_deref(), Some("several"));
        assert_eq!(label(&[]), None);
        assert_eq!(label(&["Ada Lovelace's draft"]), None);
        assert_eq!(label(&[&"x".repeat(65)]), None);
    }

    #[test]
    fn an_outcome_is_ok_or_one_of_the_apis_codes() {
        let ok = async_graphql::Response::new(async_graphql::Value::Null);
        assert_eq!(outcome_of(&ok), "ok");
        let coded = |code: &str| {
            let error = crate::error::coded(Code::Conflict, "x")
                .extend_with(|_, ext| ext.set("code", code))
                .into_server_error(async_graphql::Pos::default());
            outcome_of(&async_graphql::Response::from_errors(vec![error]))
        };
        assert_eq!(coded("CONFLICT"), "CONFLICT");
        assert_eq!(coded("NOT_FOUND"), "NOT_FOUND");
        assert_eq!(coded("a secret title"), "INTERNAL");
        let plain = async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(
            "syntax", None,
        )]);
        assert_eq!(outcome_of(&plain), "BAD_USER_INPUT");
        assert_eq!(
            outcome_of_status(StatusCode::UNAUTHORIZED),
            "UNAUTHENTICATED"
        );
        assert_eq!(
            outcome_of_status(StatusCode::PAYLOAD_TOO_LARGE),
            "BAD_USER_INPUT"
        );
        assert_eq!(outcome_of_status(StatusCode::OK), "ok");
    }

    #[test]
    fn the_token_is_compared_whole() {
        let access = Access::Token("a".repeat(32));
        let with = |value: &str| {
            Request::builder()
                .header(header::AUTHORIZATION, value)
                .finish()
        };
        assert!(access.admits(&with(&format!("Bearer {}", "a".repeat(32)))));
        assert!(!access.admits(&with(&format!("Bearer {}", "a".repeat(31)))));
        assert!(!access.admits(&with(&format!("Bearer {}b", "a".repeat(32)))));
        assert!(!access.admits(&Request::builder().finish()));
        assert!(!Access::Closed.admits(&with(&format!("Bearer {}", "a".repeat(32)))));
        assert!(!format!("{access:?}").contains("aaaa"));
    }
}
