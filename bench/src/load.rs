//! The load client: `N` keep-alive HTTP/1.1 connections, each sending one
//! request after another for a fixed time, recording every latency.
//!
//! A request fails when the status is not 2xx or when the JSON body has a
//! top-level `errors` member (a GraphQL 200 with errors is not a success).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// One request to send.
#[derive(Debug, Clone)]
pub struct Req {
    /// `GET` or `POST`.
    pub method: Method,
    /// The path, e.g. `/graphql`.
    pub path: &'static str,
    /// `Authorization` header value, if any.
    pub auth: Option<HeaderValue>,
    /// The JSON body (empty for `GET`).
    pub body: Bytes,
}

/// Gives each connection its stream of requests; `None` ends the
/// connection's run early (the workload ran out of data).
pub type Source = Box<dyn FnMut() -> Option<Req> + Send>;

/// What one run measured.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Requests that succeeded.
    pub ok: u64,
    /// Requests answered with a status other than 2xx.
    pub non_2xx: u64,
    /// 2xx answers whose body carried GraphQL `errors`.
    pub gql_errors: u64,
    /// Transport errors (connection refused, reset, …).
    pub io_errors: u64,
    /// Every latency, in microseconds, failed requests included.
    pub latencies_us: Vec<u32>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Whether some connection ran out of requests before the end.
    pub exhausted: bool,
    /// The first failure's body (cut), for the report.
    pub first_failure: Option<String>,
}

impl Stats {
    /// Failed requests of every kind.
    pub fn failed(&self) -> u64 {
        self.non_2xx + self.gql_errors + self.io_errors
    }

    /// Successful requests per second.
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0..=1), in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        quantile(&self.latencies_us, q) / 1000.0
    }

    fn merge(&mut self, other: Stats) {
        self.ok += other.ok;
        self.non_2xx += other.non_2xx;
        self.gql_errors += other.gql_errors;
        self.io_errors += other.io_errors;
        self.latencies_us.extend(other.latencies_us);
        self.exhausted |= other.exhausted;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }
}

/// The value at quantile `q` of unsorted microsecond samples (nearest rank).
pub fn quantile(samples: &[u32], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1])
}

/// Runs `sources.len()` connections against `addr` for `duration`.
pub async fn run(
    addr: SocketAddr,
    duration: Duration,
    sources: Vec<Source>,
) -> anyhow::Result<Stats> {
    let host = HeaderValue::from_str(&addr.to_string()).context("host header")?;
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(sources.len());
    for source in sources {
        let host = host.clone();
        tasks.push(tokio::spawn(connection(addr, host, deadline, source)));
    }
    let mut total = Stats::default();
    for task in tasks {
        total.merge(task.await.context("a load connection panicked")??);
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

async fn connection(
    addr: SocketAddr,
    host: HeaderValue,
    deadline: Instant,
    mut source: Source,
) -> anyhow::Result<Stats> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1.1 handshake")?;
    let driver = tokio::spawn(conn);
    let json = HeaderValue::from_static("application/json");
    let mut stats = Stats {
        latencies_us: Vec::with_capacity(16 * 1024),
        ..Stats::default()
    };
    while Instant::now() < deadline {
        let Some(req) = source() else {
            stats.exhausted = true;
            break;
        };
        let mut builder = Request::builder()
            .method(req.method)
            .uri(req.path)
            .header(HOST, host.clone())
            .header(CONTENT_TYPE, json.clone());
        if let Some(auth) = req.auth {
            builder = builder.header(AUTHORIZATION, auth);
        }
        let request = builder
            .body(Full::new(req.body))
            .context("building a request")?;
        let sent = Instant::now();
        let outcome = async {
            sender.ready().await?;
            let response = sender.send_request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>((status, body))
        }
        .await;
        let micros = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
        stats.latencies_us.push(micros);
        match outcome {
            Ok((status, body)) if !status.is_success() => {
                stats.non_2xx += 1;
                note_failure(&mut stats, &format!("HTTP {status}: {}", cut(&body)));
            }
            Ok((_, body)) if has_errors(&body) => {
                stats.gql_errors += 1;
                note_failure(&mut stats, &cut(&body));
            }
            Ok(_) => stats.ok += 1,
            Err(error) => {
                stats.io_errors += 1;
                note_failure(&mut stats, &error.to_string());
                break;
            }
        }
    }
    drop(sender);
    driver.abort();
    Ok(stats)
}

fn note_failure(stats: &mut Stats, what: &str) {
    if stats.first_failure.is_none() {
        stats.first_failure = Some(what.to_owned());
    }
}

fn cut(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(300).collect()
}

/// Whether a JSON body has a top-level `errors` member. The cheap substring
/// test runs first; only a body that mentions `"errors"` is parsed.
pub fn has_errors(body: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"\"errors\"";
    if !body.windows(NEEDLE.len()).any(|w| w == NEEDLE) {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value.get("errors").is_some(),
        Err(_) => true,
    }
}

/// A source that repeats one request forever.
pub fn repeat(req: Req) -> Source {
    Box::new(move || Some(req.clone()))
}

/// `n` sources that repeat `req`.
pub fn repeat_n(req: &Req, n: usize) -> Vec<Source> {
    (0..n).map(|_| repeat(req.clone())).collect()
}

/// A shared counter handing out indices `0..limit` once each.
#[derive(Debug, Clone)]
pub struct Ticket {
    next: Arc<std::sync::atomic::AtomicUsize>,
    limit: usize,
}

impl Ticket {
    /// Indices `0..limit`.
    pub fn new(limit: usize) -> Ticket {
        Ticket {
            next: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
            limit,
        }
    }

    /// The next unused index, or `None` when all are used.
    pub fn take(&self) -> Option<usize> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (n < self.limit).then_some(n)
    }

    /// How many were handed out.
    pub fn used(&self) -> usize {
        self.next
            .load(std::sync::atomic::Ordering::Relaxed)
            .min(self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_found_only_at_the_top_level() {
        assert!(has_errors(br#"{"data":null,"errors":[{"message":"x"}]}"#));
        assert!(!has_errors(br#"{"data":{"a":1}}"#));
        assert!(!has_errors(br#"{"data":{"body":"no \"errors\" here"}}"#));
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let samples: Vec<u32> = (1..=100).collect();
        assert_eq!(quantile(&samples, 0.5), 50.0);
        assert_eq!(quantile(&samples, 0.99), 99.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
