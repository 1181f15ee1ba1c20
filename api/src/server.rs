//! The HTTP server: `POST /graphql`, `GET /graphql` (queries only, or
//! GraphiQL for a browser, with its files under `/graphql/assets/`),
//! `/healthz` and `/readyz`.
//!
//! `POST /graphql` also takes GraphQL multipart requests (file uploads,
//! `multipart/form-data`), and `GET /files/<sha256>` serves a stored file.
//!
//! Every GraphQL request must carry a valid bearer token; the token becomes
//! an `Actor` before anything is executed. Limits that GraphQL itself does
//! not enforce (body size, content type, batching, mutations over GET) are
//! checked here. Responses follow GraphQL over HTTP: `application/json`, or
//! `application/graphql-response+json` when the client's `Accept` prefers it
//! (then request errors are 400 without `data`); `conformance/` audits this.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use accord_workflow::blobs;
use accord_workflow::idempotency::{self, Claim, Earlier};
use accord_workflow::jobs::{self, Scheduler};
use accord_workflow::permissions::{self, Refusal};
use accord_workflow::{Action, Actor, Reader, Store, WorkflowError};
use accord_workflow::{reminders, silence};
use anyhow::Context as _;
use poem::http::{HeaderMap, HeaderValue, StatusCode, header};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::middleware::CatchPanic;
use poem::web::{Path, Query};
use poem::{Body, EndpointExt, FromRequest, IntoResponse, Request, Response, Route, get, handler};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::authenticate;
use crate::config::Settings;
use crate::error::Code;
use crate::http::{
    MediaType, RETRY_AFTER_SECS, error, gql_error_json, internal_response, json_bytes,
    json_response, parse_request, refusal, workflow_response,
};
use crate::metrics::{Answered, Label};
use crate::schema::request_loader;
pub use crate::state::{AppState, connect};

/// How often, at most, an instance looks for silence periods that ended.
const SILENCE_CHECK: Duration = Duration::from_secs(10);

/// The background jobs of this instance, or `None` when
/// `ACCORD_JOB_INTERVAL_SECS` is 0. Every job runs every interval, on one
/// instance at a time (see `accord_workflow::jobs`); a new job is one more
/// `register` here.
pub fn scheduler(settings: &Settings, store: &Store) -> Option<Scheduler> {
    if settings.job_interval_secs == 0 {
        return None;
    }
    let every = Duration::from_secs(settings.job_interval_secs);
    let instance = settings
        .instance_id
        .clone()
        .unwrap_or_else(|| format!("accord-{}", uuid::Uuid::new_v4().simple()));
    let mut scheduler = Scheduler::new(store.clone(), instance);
    register_counted(
        &mut scheduler,
        jobs::VERIFY_AUDIT_CHAIN,
        every,
        jobs::verify_audit_chain,
    );
    register_counted(
        &mut scheduler,
        reminders::MONTHLY_REMINDER,
        every,
        reminders::monthly_reminder(settings.reminder_series.clone()),
    );
    // A silence period ends at an exact instant: its decision is recorded
    // at most this late, whatever the other jobs' interval.
    register_counted(
        &mut scheduler,
        silence::SILENCE_DEADLINES,
        every.min(SILENCE_CHECK),
        silence::silence_deadlines,
    );
    Some(scheduler)
}

/// Registers `job` with its runs counted in the metrics (`jobs_total`,
/// `job_duration_seconds`; a panic is counted by neither, and logged by
/// the scheduler).
fn register_counted<F, Fut>(scheduler: &mut Scheduler, name: &'static str, every: Duration, job: F)
where
    F: Fn(Store, chrono::DateTime<chrono::Utc>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = accord_workflow::Result<String>> + Send + 'static,
{
    scheduler.register(name, every, move |store, now| {
        let run = job(store, now);
        async move {
            let started = std::time::Instant::now();
            let outcome = run.await;
            crate::metrics::job_ran(name, outcome.is_ok(), started.elapsed());
            outcome
        }
    });
}

/// The routes, with the request log (secrets redacted) and the security
/// headers around them.
pub fn app(state: Arc<AppState>) -> impl poem::Endpoint {
    Route::new()
        .at(
            "/graphql",
            get(graphql_get)
                .post(graphql_post)
                .around(crate::metrics::count),
        )
        .at("/graphql/assets/:name", get(crate::graphiql::serve_asset))
        .at("/metrics", get(metrics))
        .at("/graphql/ws", get(crate::live::graphql_ws))
        .at("/files/:sha256", get(download))
        .at("/calendar/:name", get(crate::calendar::feed))
        .at("/print/:kind/:name", get(crate::print::note_or_decision))
        .at(
            "/print/drafts/:id/signature-copy.pdf",
            get(crate::print::signature_copy),
        )
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .data(state)
        .with(CatchPanic::new())
        .around(crate::request_log::log)
        .around(crate::headers::security_headers)
}

/// A server running in the background (tests, benchmarks).
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where the metrics' own listener listens, if it has one
    /// (`ACCORD_METRICS_LISTEN`).
    pub metrics_addr: Option<SocketAddr>,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

/// Binds `settings.listen` (port 0 picks a free port) and serves `state`
/// until `stop` or until `shutdown` resolves.
pub async fn spawn(settings: &Settings, state: Arc<AppState>) -> anyhow::Result<Running> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let (addr, main) = serve_on(&settings.listen, app(Arc::clone(&state)), rx.clone()).await?;
    let mut tasks = vec![main];
    let mut metrics_addr = None;
    if let Some(listen) = settings
        .metrics_listen
        .as_ref()
        .filter(|_| settings.metrics)
    {
        let state = Arc::clone(&state);
        let route = Route::new().at(
            "/metrics",
            get(poem::endpoint::make_sync(move |req: Request| {
                crate::metrics::answer(
                    &req,
                    &crate::metrics::Access::Open,
                    &state.store,
                    state.live.counts(),
                )
            })),
        );
        let (at, task) = serve_on(listen, route, rx).await?;
        metrics_addr = Some(at);
        tasks.push(task);
    }
    Ok(Running {
        addr,
        metrics_addr,
        shutdown: Some(tx),
        tasks,
    })
}

/// Binds `listen` and serves `endpoint` there until `stop` turns true.
async fn serve_on(
    listen: &str,
    endpoint: impl poem::Endpoint + 'static,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let acceptor = TcpListener::bind(listen.to_owned())
        .into_acceptor()
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .context("the listener has no address")?;
    let server = poem::Server::new_with_acceptor(acceptor);
    let task = tokio::spawn(async move {
        server
            .run_with_graceful_shutdown(
                endpoint,
                async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                },
                Some(Duration::from_secs(5)),
            )
            .await
    });
    Ok((addr, task))
}

/// `GET /metrics` on the main listener, to whom `ACCORD_METRICS_TOKEN`
/// admits (see [`crate::metrics`]).
#[handler]
fn metrics(req: &Request, state: poem::web::Data<&Arc<AppState>>) -> Response {
    crate::metrics::answer(
        req,
        &state.metrics_access,
        &state.store,
        state.live.counts(),
    )
}

#[handler]
fn healthz() -> &'static str {
    "ok"
}

#[handler]
async fn readyz(state: poem::web::Data<&Arc<AppState>>) -> Response {
    match tokio::time::timeout(READY_WITHIN, state.store.ping()).await {
        Ok(Ok(())) => "ready".into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
        Err(_) => {
            tracing::warn!("database not answering within {READY_WITHIN:?}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "database not answering in time",
            )
                .into_response()
        }
    }
}

/// How long `/readyz` waits for the database before it says not ready.
const READY_WITHIN: Duration = Duration::from_secs(2);

/// The parameters of a GraphQL GET request.
#[derive(Debug, Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

#[handler]
async fn graphql_get(req: &Request, state: poem::web::Data<&Arc<AppState>>) -> Response {
    let media = MediaType::negotiate(req.headers());
    let params = match Query::<GetParams>::from_request_without_body(req).await {
        Ok(Query(params)) => params,
        Err(_) => {
            return error(
                media,
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                "malformed query string",
            );
        }
    };
    let Some(query) = params.query else {
        if state.graphiql && accepts_html(req.headers()) {
            return crate::graphiql::page_response();
        }
        return error(
            media,
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "the query parameter is missing",
        );
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        match serde_json::from_str::<Value>(&variables) {
            Ok(value @ Value::Object(_)) => {
                request = request.variables(async_graphql::Variables::from_json(value));
            }
            _ => {
                return error(
                    media,
                    StatusCode::BAD_REQUEST,
                    Code::BadUserInput,
                    "variables must be a JSON object",
                );
            }
        }
    }
    if params
        .extensions
        .is_some_and(|e| !matches!(serde_json::from_str::<Value>(&e), Ok(Value::Object(_))))
    {
        return error(
            media,
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "extensions must be a JSON object",
        );
    }
    if is_mutation(&mut request) {
        return error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            Code::BadUserInput,
            "mutations must be sent with POST",
        )
        .with_header(header::ALLOW, "POST")
        .into_response();
    }
    execute(req.headers(), media, &state, request).await
}

#[handler]
async fn graphql_post(
    req: &Request,
    body: Body,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
    let media = MediaType::negotiate(req.headers());
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "multipart/form-data" {
        let content_type = content_type.to_owned();
        return graphql_multipart(req.headers(), &content_type, body, media, &state).await;
    }
    if essence != "application/json" {
        return error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::BadUserInput,
            "send GraphQL requests as application/json (or multipart/form-data to upload files)",
        );
    }
    let bytes = match body.into_bytes_limit(state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return error(
                media,
                StatusCode::PAYLOAD_TOO_LARGE,
                Code::BadUserInput,
                &format!(
                    "the request body is larger than {} bytes",
                    state.max_body_bytes
                ),
            );
        }
        Err(_) => {
            return error(
                media,
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                "the request body could not be read",
            );
        }
    };
    let request = match parse_request(&bytes, "the body") {
        Ok(request) => request,
        Err(refused) => return refused.respond(media),
    };
    execute(req.headers(), media, &state, request).await
}

/// The headers of which a multipart request must carry one. A browser
/// sends `multipart/form-data` cross-origin without asking the server
/// first (it is a "simple" request); a custom header makes it ask (a CORS
/// preflight, which Accord does not grant), so a page elsewhere cannot make
/// a browser upload. The bearer token already has that effect, as long as
/// Accord authenticates by header only; the header keeps uploads safe
/// should a cookie or a proxy ever supply the credentials.
pub const UPLOAD_HEADERS: [&str; 2] = ["x-accord-upload", "apollo-require-preflight"];

/// A GraphQL multipart request: an upload (`uploadFile`) and nothing
/// else. Checked in this order, each before more of the request is read:
/// the upload header (400), the token (401), whether the person may upload
/// at all (the permission rule of `Action::UploadFile`, 403, before a byte
/// of the body is read); then [`crate::multipart::read_upload`] reads the
/// `operations` and `map` parts within the JSON body limit (413), refuses
/// an operation other than an upload mutation (400) and more than one file
/// (400), and reads the file within the upload limit (413).
async fn graphql_multipart(
    headers: &HeaderMap,
    content_type: &str,
    body: Body,
    media: MediaType,
    state: &AppState,
) -> Response {
    if !UPLOAD_HEADERS
        .iter()
        .any(|name| headers.contains_key(*name))
    {
        return error(
            media,
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "a multipart request must carry the header X-Accord-Upload: 1 (or Apollo-Require-Preflight)",
        );
    }
    let actor = match authenticate(headers, &state.verifier, &state.store).await {
        Ok(actor) => actor,
        Err(denied) => return refusal(media, denied),
    };
    match permissions::decide(&actor, Action::UploadFile, None) {
        Ok(()) => {}
        Err(Refusal::Forbidden(reason)) => {
            return error(media, StatusCode::FORBIDDEN, Code::Forbidden, &reason);
        }
        Err(Refusal::NotFound | Refusal::InvalidTransition(_)) => {
            return error(
                media,
                StatusCode::FORBIDDEN,
                Code::Forbidden,
                "this person may not upload files",
            );
        }
    }
    let limits = crate::multipart::Limits {
        max_body_bytes: state.max_body_bytes,
        max_upload_bytes: state.max_upload_bytes,
    };
    match crate::multipart::read_upload(content_type, body, limits).await {
        Ok(request) => {
            let key = idempotency_key(headers);
            execute_as(actor, media, state, request, key.as_deref()).await
        }
        Err(refused) => refused.respond(media),
    }
}

/// `GET /files/<sha256>`: a stored file, to any authenticated person, as
/// an attachment with its sniffed type and first upload's file name. The
/// content is hashed again before it is sent; a file that no longer
/// matches its name is an internal error, never served.
#[handler]
async fn download(
    req: &Request,
    Path(sha256): Path<String>,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
    let media = MediaType::negotiate(req.headers());
    if let Err(denied) = authenticate(req.headers(), &state.verifier, &state.store).await {
        return refusal(media, denied);
    }
    let not_found = || error(media, StatusCode::NOT_FOUND, Code::NotFound, "no such file");
    let info = match blobs::info(&state.store, &sha256).await {
        Ok(Some(info)) => info,
        Ok(None) => return not_found(),
        Err(detail) => return internal_response(media, &detail),
    };
    let bytes = match state.blobs.get(&info.sha256).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return internal_response(media, &format!("stored file {sha256} is missing"));
        }
        Err(detail) => return internal_response(media, &detail),
    };
    Response::builder()
        .status(StatusCode::OK)
        .content_type(info.content_type)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&info.file_name),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::ETAG, format!("\"{}\"", info.sha256))
        .header(
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        )
        .body(bytes)
}

/// `attachment` with the file name twice (RFC 6266): an ASCII fallback
/// and the exact name, percent-encoded (RFC 8187).
fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Authenticates, attaches the viewer's reader and loaders, and executes.
async fn execute(
    headers: &HeaderMap,
    media: MediaType,
    state: &AppState,
    request: async_graphql::Request,
) -> Response {
    match authenticate(headers, &state.verifier, &state.store).await {
        Ok(actor) => {
            let key = idempotency_key(headers);
            execute_as(actor, media, state, request, key.as_deref()).await
        }
        Err(denied) => refusal(media, denied),
    }
}

/// The header a client names a mutation's retries by.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The `Idempotency-Key` header as sent (an unreadable one as the empty
/// key, which [`idempotency::check_key`] refuses).
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().unwrap_or_default().to_owned())
}

/// The SHA-256 of what a request asks (document, operation, variables):
/// two requests with the same key must ask the same.
fn request_sha256(request: &async_graphql::Request) -> String {
    let asked = json!({
        "query": request.query,
        "operationName": request.operation_name,
        "variables": request.variables,
    });
    hex::encode(Sha256::digest(asked.to_string().as_bytes()))
}

/// Attaches `actor`'s reader and loaders, and executes.
async fn execute_as(
    actor: Actor,
    media: MediaType,
    state: &AppState,
    request: async_graphql::Request,
    key: Option<&str>,
) -> Response {
    if forges_an_upload(&request) {
        return error(
            media,
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "an Upload value must be a file part of a multipart request",
        );
    }
    if carries_nul(&request) {
        return error(
            media,
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "strings must not contain the character U+0000",
        );
    }
    let mut request = request;
    let prepared = match state.schema.prepare(&mut request) {
        Ok(prepared) => prepared,
        Err(refused) => {
            return render(media, async_graphql::Response::from_errors(vec![refused]));
        }
    };
    let operation = request.operation_name.clone();
    let label = request.parsed_query().ok().and_then(|document| {
        crate::schema::root_field_names(document, operation.as_deref())
            .and_then(|names| Label::of_root_fields(&names))
    });
    let name = operation_name(&mut request);
    // A mutation with an idempotency key: answered from its first use, or
    // carried out with the key in hand for its first commit.
    let claim = match (prepared.writes, key) {
        (true, Some(key)) => {
            let claim = Claim {
                subject: actor.sub().to_owned(),
                key: key.to_owned(),
                request_sha256: request_sha256(&request),
            };
            let earlier = match idempotency::check_key(key) {
                Ok(()) => {
                    idempotency::earlier(state.store.db(), &claim, accord_workflow::clock::now())
                        .await
                }
                Err(bad) => Err(bad),
            };
            match earlier {
                Ok(Earlier::New) => Some(claim),
                Ok(Earlier::Answered(answer)) => return replay(media, &answer),
                Ok(Earlier::OtherRequest) => {
                    return error(
                        media,
                        StatusCode::CONFLICT,
                        Code::Conflict,
                        "this Idempotency-Key was used for a different request; nothing was written",
                    );
                }
                Ok(Earlier::DoneUnanswered) => {
                    return error(
                        media,
                        StatusCode::CONFLICT,
                        Code::Conflict,
                        "the request with this Idempotency-Key was carried out, but its answer was not recorded (it failed after the write, or is still being answered); nothing more was written: read the result back",
                    );
                }
                Err(refused) => return workflow_response(media, refused),
            }
        }
        _ => None,
    };
    // A query reads one snapshot on one connection; a mutation reads through
    // the pool, so that what it reads back after its write includes it.
    let reader = if prepared.writes {
        Reader::new(state.store.clone(), actor)
    } else {
        Reader::on_one_snapshot(state.store.clone(), actor)
    };
    let loader = request_loader(reader.clone());
    let request = request
        .data(reader)
        .data(loader)
        .data(state.engine.clone())
        .data(state.blobs.clone());
    if prepared.writes {
        // A mutation is bounded by the database's waits, not cut off here:
        // cut after its commit, it would be reported as not done.
        let (mut response, done) =
            idempotency::with_claim(claim.clone(), prepared.schema.execute(request)).await;
        if done.committed {
            say_the_write_is_done(&mut response);
        }
        if let Some(claim) = claim.filter(|_| done.key_recorded) {
            remember(state, &claim, &response).await;
        }
        let validated = !is_request_error(&response);
        return labelled(render(media, response), label.filter(|_| validated), name);
    }
    match tokio::time::timeout(state.query_timeout, prepared.schema.execute(request)).await {
        Ok(response) => {
            let validated = !is_request_error(&response);
            labelled(render(media, response), label.filter(|_| validated), name)
        }
        // Cut off while it ran: validation (which the limits keep quick)
        // was over long before, so the label is the schema's.
        Err(_) => labelled(
            render(
                media,
                async_graphql::Response::from_errors(vec![{
                    let message =
                        "the query took longer than allowed; retry shortly, or ask for less";
                    let mut error = async_graphql::ServerError::new(message, None);
                    error.extensions = crate::error::coded(Code::Unavailable, message).extensions;
                    error
                }]),
            ),
            label,
            name,
        ),
    }
}

/// `response` with the operation's label for the metrics, given only for
/// a document that passed validation (so that it names a root field of
/// the schema, never a client's invention), and its name for the
/// request's span.
fn labelled(mut response: Response, operation: Option<Label>, name: Option<String>) -> Response {
    if let Some(answered) = response.extensions_mut().get_mut::<Answered>() {
        answered.operation = operation;
        answered.name = name;
    }
    response
}

/// The name of the operation `request` runs, as the client gave it: its
/// `operationName`, or else the name of its document's one operation;
/// `None` for an anonymous operation or a name that is not a GraphQL name.
fn operation_name(request: &mut async_graphql::Request) -> Option<String> {
    let name = match request.operation_name.clone() {
        Some(name) => Some(name),
        None => request.parsed_query().ok().and_then(|document| {
            let mut names = document.operations.iter().map(|(name, _)| name);
            match (names.next(), names.next()) {
                (Some(Some(name)), None) => Some(name.to_string()),
                _ => None,
            }
        }),
    };
    name.filter(|name| crate::metrics::is_graphql_name(name))
}

/// A mutation whose write committed and which then failed (reading its
/// result back): its internal errors say that the write is done, so that
/// no client takes it for a failed write and writes again.
fn say_the_write_is_done(response: &mut async_graphql::Response) {
    let internal = async_graphql::Value::from(Code::Internal.as_str());
    for error in &mut response.errors {
        let is_internal = error
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .is_some_and(|code| *code == internal);
        if is_internal {
            error.message = format!(
                "the write was done, but reading its result back failed ({}); do not send it again without an Idempotency-Key: read the result instead",
                error.message
            );
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("writeDone", true);
        }
    }
}

/// Records the answer to a request whose write took its idempotency key.
/// Should that fail, a retry is told the write was done (never done again).
async fn remember(state: &AppState, claim: &Claim, response: &async_graphql::Response) {
    let answer = serde_json::to_value(response).map(|mut value| {
        default_error_codes(&mut value);
        value.to_string()
    });
    let recorded = match answer {
        Ok(answer) => idempotency::record_answer(state.store.db(), claim, &answer).await,
        Err(error) => Err(WorkflowError::Corrupt(error.to_string())),
    };
    if let Err(error) = recorded {
        tracing::warn!(%error, "the answer to a request with an idempotency key was not recorded");
    }
}

/// The recorded answer of a request sent again with its idempotency key.
fn replay(media: MediaType, answer: &str) -> Response {
    let mut out = json_bytes(media, StatusCode::OK, answer.as_bytes().to_vec());
    out.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    out
}

/// Writes a GraphQL response as HTTP: 200 with the body, or, for a request
/// error to a client accepting `application/graphql-response+json`, 400.
fn render(media: MediaType, response: async_graphql::Response) -> Response {
    let answered = Answered {
        operation: None,
        outcome: Some(crate::metrics::outcome_of(&response)),
        name: None,
    };
    let mut out = render_unlabelled(media, response);
    out.extensions_mut().insert(answered);
    out
}

fn render_unlabelled(media: MediaType, response: async_graphql::Response) -> Response {
    if response.errors.is_empty() {
        // Nothing to amend: written out as it is, without an intermediate
        // JSON tree.
        return match serde_json::to_vec(&response) {
            Ok(body) => json_bytes(media, StatusCode::OK, body),
            Err(detail) => {
                let gql = crate::error::internal(&detail);
                json_response(
                    media,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "errors": [gql_error_json(&gql)] }),
                )
            }
        };
    }
    let request_error = is_request_error(&response);
    let mut value = match serde_json::to_value(&response) {
        Ok(value) => value,
        Err(detail) => {
            let gql = crate::error::internal(&detail);
            return json_response(
                media,
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "errors": [gql_error_json(&gql)] }),
            );
        }
    };
    default_error_codes(&mut value);
    if request_error && media == MediaType::GraphqlResponseJson {
        // GraphQL over HTTP: a request error (the document did not parse or
        // validate, or the variables did not coerce) is answered with 400
        // and without `data` to clients that accept
        // application/graphql-response+json. Clients of application/json
        // get 200, as the spec requires for that media type.
        if let Some(object) = value.as_object_mut() {
            object.remove("data");
        }
        return json_response(media, StatusCode::BAD_REQUEST, value);
    }
    let unavailable = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .is_some_and(|code| *code == async_graphql::Value::from(Code::Unavailable.as_str()))
    });
    let mut out = json_response(media, StatusCode::OK, value);
    if unavailable {
        // A bound was hit and nothing was written: say when to retry.
        out.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECS),
        );
    }
    out
}

/// The marker async-graphql puts in a variable for a multipart file part.
const UPLOAD_MARKER: &str = "#__graphql_file__:";

/// Whether the request names a file part it does not have: the marker in
/// the document, or a variable with the marker that is not one of the
/// request's own file parts. async-graphql's `Upload` panics on those
/// (an unparsable or out-of-range index), so they are refused first.
fn forges_an_upload(request: &async_graphql::Request) -> bool {
    fn forged(value: &async_graphql::Value, uploads: usize) -> bool {
        use async_graphql::Value as V;
        match value {
            V::String(s) => s.strip_prefix(UPLOAD_MARKER).is_some_and(|index| {
                index
                    .parse::<usize>()
                    .map_or(true, |index| index >= uploads)
            }),
            V::List(items) => items.iter().any(|v| forged(v, uploads)),
            V::Object(map) => map.values().any(|v| forged(v, uploads)),
            V::Null | V::Number(_) | V::Boolean(_) | V::Binary(_) | V::Enum(_) => false,
        }
    }
    request.query.contains(UPLOAD_MARKER)
        || request
            .variables
            .iter()
            .any(|(_, value)| forged(value, request.uploads.len()))
}

/// Whether a string of the request holds U+0000, as a variable's value or
/// key or as a `\u0000` (or `\u{0}`) escape in the document. PostgreSQL
/// cannot store the character in text and no Accord value has a use for it,
/// so it is refused on every backend alike instead of failing in the
/// database (found by scripts/fuzz-api.sh: `draft(id: "y\u0000")` was an
/// INTERNAL error on PostgreSQL). A `\\u0000` (an escaped backslash) is
/// refused too; nothing needs it.
fn carries_nul(request: &async_graphql::Request) -> bool {
    fn value_has_nul(value: &async_graphql::Value) -> bool {
        use async_graphql::Value as V;
        match value {
            V::String(s) => s.contains('\0'),
            V::List(items) => items.iter().any(value_has_nul),
            V::Object(map) => map
                .iter()
                .any(|(k, v)| k.as_str().contains('\0') || value_has_nul(v)),
            V::Null | V::Number(_) | V::Boolean(_) | V::Binary(_) | V::Enum(_) => false,
        }
    }
    let query = &request.query;
    let escaped = query.match_indices("\\u").any(|(at, _)| {
        let rest = &query[at + 2..];
        rest.starts_with("0000")
            || rest.strip_prefix('{').is_some_and(|braced| {
                let digits = braced.trim_start_matches('0');
                digits.len() < braced.len() && digits.starts_with('}')
            })
    });
    escaped
        || query.contains('\0')
        || request
            .variables
            .iter()
            .any(|(k, v)| k.as_str().contains('\0') || value_has_nul(v))
}

/// Whether execution never started: no data and only errors without a
/// path (parse, validation and variable errors; a resolver's error always
/// has the path of its field).
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let operation = request.operation_name.clone();
    request
        .parsed_query()
        .is_ok_and(|document| crate::schema::is_mutation(document, operation.as_deref()))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Gives every error without a code the code `BAD_USER_INPUT`: those are
/// the parser's and validator's errors about the request itself.
fn default_error_codes(response: &mut Value) {
    let Some(errors) = response.get_mut("errors").and_then(Value::as_array_mut) else {
        return;
    };
    for error in errors {
        let Some(object) = error.as_object_mut() else {
            continue;
        };
        let extensions = object
            .entry("extensions")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(extensions) = extensions.as_object_mut() {
            extensions
                .entry("code")
                .or_insert_with(|| Value::String(Code::BadUserInput.as_str().into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_a_committed_write_says_the_write_is_done() {
        let internal = crate::error::internal(&"connection terminated")
            .into_server_error(async_graphql::Pos::default());
        let refused = crate::error::coded(Code::Conflict, "changed meanwhile")
            .into_server_error(async_graphql::Pos::default());
        let mut response = async_graphql::Response::from_errors(vec![internal, refused]);
        say_the_write_is_done(&mut response);
        let done = &response.errors[0];
        assert!(
            done.message.starts_with("the write was done"),
            "{}",
            done.message
        );
        assert_eq!(
            done.extensions.as_ref().and_then(|e| e.get("writeDone")),
            Some(&async_graphql::Value::from(true))
        );
        assert_eq!(response.errors[1].message, "changed meanwhile");
    }

    fn accept(value: &str) -> MediaType {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            poem::http::HeaderValue::from_str(value).unwrap(),
        );
        MediaType::negotiate(&headers)
    }

    #[test]
    fn the_response_media_type_follows_accept() {
        assert_eq!(MediaType::negotiate(&HeaderMap::new()), MediaType::Json);
        assert_eq!(accept("application/json"), MediaType::Json);
        assert_eq!(accept("*/*"), MediaType::Json);
        assert_eq!(accept("text/html"), MediaType::Json);
        assert_eq!(
            accept("application/graphql-response+json"),
            MediaType::GraphqlResponseJson
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            MediaType::GraphqlResponseJson
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json; Q=0.5"),
            MediaType::Json
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0, */*"),
            MediaType::Json
        );
    }

    #[test]
    fn nul_characters_are_found_in_documents_and_variables() {
        let query = |q: &str| async_graphql::Request::new(q);
        assert!(carries_nul(&query(r#"{ draft(id: "y\u0000") { id } }"#)));
        assert!(carries_nul(&query(r#"{ draft(id: "\u{00}") { id } }"#)));
        assert!(carries_nul(&query("{ draft(id: \"\0\") { id } }")));
        assert!(!carries_nul(&query(
            r#"{ draft(id: "\u0041\u00e9\u{1F600}") { id } }"#
        )));
        let with = |variables: Value| {
            query("query($x: String) { viewer { id } }")
                .variables(async_graphql::Variables::from_json(variables))
        };
        assert!(carries_nul(&with(json!({ "x": "a\0b" }))));
        assert!(carries_nul(&with(json!({ "x": { "list": ["ok", "\0"] } }))));
        assert!(!carries_nul(&with(
            json!({ "x": ["ok", 1, null, { "k": "v" }] })
        )));
    }

    #[test]
    fn only_errors_before_execution_are_request_errors() {
        let parse = async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(
            "expected selection",
            None,
        )]);
        assert!(is_request_error(&parse));
        let mut field =
            async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(
                "not found",
                None,
            )]);
        field.errors[0].path = vec![async_graphql::PathSegment::Field("draft".into())];
        assert!(!is_request_error(&field));
        assert!(!is_request_error(&async_graphql::Response::new(
            async_graphql::Value::Null
        )));
    }
}
