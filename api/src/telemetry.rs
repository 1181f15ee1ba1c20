//! Telemetry: the log on standard error and, when an OpenTelemetry
//! collector is configured (`--otlp-endpoint`, `ACCORD_OTLP_ENDPOINT`), the
//! same spans exported to it as traces over OTLP/HTTP (protobuf).
//!
//! Without an endpoint nothing is exported and no propagator is installed:
//! the log is what it was. With one, spans go through a batch exporter on
//! a thread of its own, and a request carrying a W3C `traceparent` header
//! joins the caller's trace ([`join_caller_trace`]). [`Telemetry::shutdown`]
//! sends what the exporter still holds; the server calls it once it has
//! stopped, so the last requests' spans reach the collector.

use std::io::IsTerminal as _;

use opentelemetry::propagation::Extractor;
use opentelemetry::trace::{TraceContextExt as _, TracerProvider as _};
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use reqwest::Url;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// The service name spans are exported under unless
/// `ACCORD_OTLP_SERVICE_NAME` says otherwise.
pub const DEFAULT_SERVICE_NAME: &str = "accord";

/// The log's filter unless `ACCORD_LOG` says otherwise.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Where traces are sent to and under which service name: a collector's
/// OTLP/HTTP traces endpoint, known to be an `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtlpConfig {
    traces_url: Url,
    service_name: String,
}

/// Why telemetry could not be set up; the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The configured endpoint is not an `http` or `https` URL.
    #[error(
        "--otlp-endpoint (ACCORD_OTLP_ENDPOINT) {endpoint:?} is not an OTLP/HTTP endpoint: {reason} \
         (expected e.g. http://localhost:4318)"
    )]
    MalformedEndpoint {
        /// The endpoint as configured.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The exporter could not be built.
    #[error("starting the OTLP exporter: {0}")]
    Exporter(#[from] opentelemetry_otlp::ExporterBuildError),
    /// A log was already set up in this process.
    #[error("setting up the log: {0}")]
    Subscriber(#[from] tracing_subscriber::util::TryInitError),
}

impl OtlpConfig {
    /// The configuration `endpoint` and `service_name` give: `None` when
    /// the endpoint is unset or blank (nothing is exported). The endpoint
    /// is the collector's base URL (`http://localhost:4318`), to which
    /// `/v1/traces` is added, or its traces URL itself (ending in
    /// `/v1/traces`). A blank service name is the default one.
    pub fn parse(
        endpoint: Option<&str>,
        service_name: &str,
    ) -> Result<Option<OtlpConfig>, TelemetryError> {
        let Some(endpoint) = endpoint.map(str::trim).filter(|e| !e.is_empty()) else {
            return Ok(None);
        };
        let malformed = |reason: &str| TelemetryError::MalformedEndpoint {
            endpoint: crate::redact::url_for_display(endpoint),
            reason: reason.to_owned(),
        };
        let mut url = Url::parse(endpoint).map_err(|error| malformed(&error.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(malformed("the scheme must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(malformed("it names no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(malformed("it must have no query and no fragment"));
        }
        if !url.path().ends_with(TRACES_PATH) {
            let path = format!("{}{TRACES_PATH}", url.path().trim_end_matches('/'));
            url.set_path(&path);
        }
        let service_name = match service_name.trim() {
            "" => DEFAULT_SERVICE_NAME,
            name => name,
        };
        Ok(Some(OtlpConfig {
            traces_url: url,
            service_name: service_name.to_owned(),
        }))
    }

    /// The URL spans are posted to.
    pub fn traces_url(&self) -> &Url {
        &self.traces_url
    }

    /// The service name spans are exported under.
    pub fn service_name(&self) -> &str {
        &self.service_name
    }
}

/// The path of OTLP/HTTP's traces endpoint under a collector's base URL.
const TRACES_PATH: &str = "/v1/traces";

/// What [`init`] set up, kept until the process ends: the exporter, to be
/// flushed and shut down by [`Telemetry::shutdown`].
#[derive(Debug)]
#[must_use = "spans still held by the exporter are lost unless `shutdown` is called"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

/// Sets up the process's log (`ACCORD_LOG`, `ACCORD_LOG_FORMAT=json`,
/// coloured only on a terminal) and, with `otlp`, the export of its spans
/// and the W3C trace context propagator.
pub fn init(otlp: Option<&OtlpConfig>) -> Result<Telemetry, TelemetryError> {
    let filter =
        EnvFilter::try_from_env("ACCORD_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let json = std::env::var("ACCORD_LOG_FORMAT").is_ok_and(|f| f == "json");
    // Colours only for a person at a terminal: a file, a pipe or a
    // journal gets plain text.
    let ansi = std::io::stderr().is_terminal();
    let text = (!json).then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(ansi)
            .with_writer(std::io::stderr)
    });
    let structured = json.then(|| {
        tracing_subscriber::fmt::layer()
            .json()
            .with_ansi(ansi)
            .with_writer(std::io::stderr)
    });
    let provider = otlp.map(provider).transpose()?;
    let export = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("accord"))
            .with_filter(tracing_subscriber::filter::filter_fn(|metadata| {
                !is_exporters_own(metadata.target())
            }))
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(text)
        .with(structured)
        .with(export)
        .try_init()?;
    if provider.is_some() {
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    }
    Ok(Telemetry { provider })
}

/// The tracer provider sending spans to `config`'s collector in batches.
fn provider(config: &OtlpConfig) -> Result<SdkTracerProvider, TelemetryError> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .with_endpoint(config.traces_url.as_str())
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder()
                .with_service_name(config.service_name.clone())
                .build(),
        )
        .build())
}

/// Whether a span or event comes from the exporter's own stack (the
/// OpenTelemetry SDK, its HTTP client): exported, each export would be
/// followed by another.
fn is_exporters_own(target: &str) -> bool {
    ["opentelemetry", "reqwest", "hyper", "h2", "tower", "rustls"]
        .iter()
        .any(|own| target.starts_with(own))
}

impl Telemetry {
    /// Sends the spans the exporter still holds and stops it (waiting, off
    /// the async threads, at most the exporter's timeout).
    pub async fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        match tokio::task::spawn_blocking(move || provider.shutdown()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "the OTLP exporter did not shut down cleanly"),
            Err(error) => tracing::warn!(%error, "the OTLP exporter did not shut down cleanly"),
        }
    }
}

/// Makes `span` (a request's, just created) a child of the span that
/// `headers` name in a W3C `traceparent` (and `tracestate`), so that the
/// request joins its caller's trace. Without an exporter, or without a
/// valid `traceparent`, `span` is left as it is.
pub(crate) fn join_caller_trace(span: &tracing::Span, headers: &poem::http::HeaderMap) {
    let caller = opentelemetry::global::get_text_map_propagator(|propagator| {
        propagator.extract(&Headers(headers))
    });
    if caller.span().span_context().is_valid() {
        // Refused only for a span that is disabled or already started,
        // where there is nothing to join.
        let _ = span.set_parent(caller);
    }
}

/// A request's headers, as a propagator reads them.
struct Headers<'a>(&'a poem::http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|name| name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(endpoint: Option<&str>) -> Option<OtlpConfig> {
        OtlpConfig::parse(endpoint, DEFAULT_SERVICE_NAME).unwrap()
    }

    #[test]
    fn an_unset_endpoint_exports_nothing() {
        assert_eq!(parsed(None), None);
    }

    #[test]
    fn an_empty_or_blank_endpoint_is_taken_as_unset() {
        assert_eq!(parsed(Some("")), None);
        assert_eq!(parsed(Some("  ")), None);
    }

    #[test]
    fn a_base_url_is_given_the_traces_path_and_a_traces_url_is_kept() {
        for (endpoint, traces_url) in [
            ("http://localhost:4318", "http://localhost:4318/v1/traces"),
            ("http://localhost:4318/", "http://localhost:4318/v1/traces"),
            (
                "https://collector.example:443/otlp/",
                "https://collector.example/otlp/v1/traces",
            ),
            (
                " http://127.0.0.1:4318/v1/traces ",
                "http://127.0.0.1:4318/v1/traces",
            ),
        ] {
            let config = parsed(Some(endpoint)).unwrap();
            assert_eq!(config.traces_url().as_str(), traces_url, "{endpoint}");
            assert_eq!(config.service_name(), "accord");
        }
    }

    #[test]
    fn a_malformed_endpoint_is_refused_with_the_option_named() {
        for endpoint in [
            "localhost:4318",
            "not a url",
            "http://",
            "ftp://collector:4318",
            "http://collector:4318/?x=1",
            "http://user:secret@collector:99999",
        ] {
            let error = OtlpConfig::parse(Some(endpoint), "accord").unwrap_err();
            assert!(
                matches!(error, TelemetryError::MalformedEndpoint { .. }),
                "{endpoint}: {error}"
            );
            let message = error.to_string();
            assert!(message.contains("ACCORD_OTLP_ENDPOINT"), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn the_service_name_is_configurable_and_a_blank_one_is_the_default() {
        let named = OtlpConfig::parse(Some("http://localhost:4318"), "accord-staging")
            .unwrap()
            .unwrap();
        assert_eq!(named.service_name(), "accord-staging");
        let blank = OtlpConfig::parse(Some("http://localhost:4318"), " ")
            .unwrap()
            .unwrap();
        assert_eq!(blank.service_name(), DEFAULT_SERVICE_NAME);
    }

    #[test]
    fn the_exporters_own_spans_are_not_exported() {
        for own in [
            "opentelemetry_sdk",
            "hyper_util::client",
            "reqwest::connect",
        ] {
            assert!(is_exporters_own(own), "{own}");
        }
        for accord in ["accord_api::request_log", "accord_workflow::commands"] {
            assert!(!is_exporters_own(accord), "{accord}");
        }
    }
}
