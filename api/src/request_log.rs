//! The request log: one span per request (remote address, HTTP version,
//! method and request target; once answered, the status, the outcome and,
//! for GraphQL, the operation's name and root field) and one event when it
//! is answered (status and duration, or the error). It replaces poem's
//! `Tracing` middleware, which logs the request target as sent: a calendar
//! feed's path is its bearer credential. Targets and error messages go
//! through [`crate::redact`] first.
//!
//! Exported as a trace (see [`crate::telemetry`]), the span is the server
//! side of the request, a child of the caller's span when the request
//! carries a `traceparent`.

use std::sync::Arc;
use std::time::Instant;

use poem::web::RealIp;
use poem::{Endpoint, FromRequest, IntoResponse, Request, Response};
use tracing::Instrument as _;

use crate::error::Code;
use crate::metrics::Answered;
use crate::redact;

/// Logs `request` and its answer (see the module's documentation).
pub(crate) async fn log<E: Endpoint>(next: Arc<E>, request: Request) -> poem::Result<Response> {
    let remote_addr = RealIp::from_request_without_body(&request)
        .await
        .ok()
        .and_then(|real_ip| real_ip.0)
        .map_or_else(|| request.remote_addr().to_string(), |ip| ip.to_string());
    // The log wraps the whole route tree, so the URI is still the one the
    // client sent.
    let uri = request.uri();
    let target = redact::request_target(uri.path(), uri.query());
    let span = tracing::info_span!(
        "request",
        otel.kind = "server",
        remote_addr = %remote_addr,
        version = ?request.version(),
        method = %request.method(),
        uri = %target,
        status = tracing::field::Empty,
        outcome = tracing::field::Empty,
        graphql.operation.name = tracing::field::Empty,
        graphql.root_field = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    crate::telemetry::join_caller_trace(&span, request.headers());
    let answered = span.clone();
    async move {
        let started = Instant::now();
        let result = next.call(request).await;
        let duration = started.elapsed();
        match result {
            Ok(response) => {
                let response = response.into_response();
                record(&answered, &response);
                tracing::info!(status = %response.status(), ?duration, "response");
                Ok(response)
            }
            Err(error) => {
                answered.record("status", i64::from(error.status().as_u16()));
                if error.status().is_server_error() {
                    answered.record("otel.status_code", "error");
                }
                tracing::info!(
                    status = %error.status(),
                    error = %redact::text(&error.to_string()),
                    ?duration,
                    "error"
                );
                Err(error)
            }
        }
    }
    .instrument(span)
    .await
}

/// Records on a request's `span` what its `response` tells: the status,
/// the outcome (as the metrics count it), and what the GraphQL handler
/// said of the operation ([`Answered`]). An internal error or a 5xx status
/// marks the span as failed.
fn record(span: &tracing::Span, response: &Response) {
    let status = response.status();
    let outcome = Answered::outcome_of(response);
    // As a signed number: OpenTelemetry has no unsigned one, and an
    // unsigned field is exported as text.
    span.record("status", i64::from(status.as_u16()));
    span.record("outcome", outcome);
    if let Some(answered) = response.extensions().get::<Answered>() {
        if let Some(name) = &answered.name {
            span.record("graphql.operation.name", name.as_str());
        }
        if let Some(label) = &answered.operation {
            span.record("graphql.root_field", label.as_str());
        }
    }
    if status.is_server_error() || outcome == Code::Internal.as_str() {
        span.record("otel.status_code", "error");
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use poem::{Endpoint, EndpointExt, Request, Route, get, handler};

    const TOKEN: &str = "cal_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    /// A log destination the test reads back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[handler]
    fn feed() -> &'static str {
        "BEGIN:VCALENDAR"
    }

    /// The log lines of the requests to `uris`, in the text and the JSON
    /// format.
    async fn logged(uris: &[String]) -> String {
        let captured = Captured::default();
        let app = Route::new()
            .at("/calendar/:name", get(feed))
            .around(super::log);
        for json in [false, true] {
            let writer = captured.clone();
            let builder = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false);
            let _guard = if json {
                tracing::subscriber::set_default(builder.json().finish())
            } else {
                tracing::subscriber::set_default(builder.finish())
            };
            for uri in uris {
                let _ = app.call(Request::builder().uri_str(uri).finish()).await;
            }
        }
        let bytes = captured.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[tokio::test]
    async fn no_feed_token_reaches_the_log() {
        let uris = [
            format!("/calendar/{TOKEN}.ics"),
            format!("/calendar/%63al_{}.ics", &TOKEN[4..]),
            format!("/calendar/me.ics?token={TOKEN}"),
            format!("/nowhere/{TOKEN}"),
        ];
        let log = logged(&uris).await;
        assert!(log.contains("/calendar/[redacted]"), "{log}");
        assert!(log.contains("/calendar/me.ics?token=[redacted]"), "{log}");
        assert!(log.contains("/nowhere/[redacted]"), "{log}");
        assert!(log.contains("status"), "{log}");
        assert!(!log.contains(&TOKEN[4..]), "{log}");
    }
}
