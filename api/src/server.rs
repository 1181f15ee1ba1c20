//! The HTTP server: `POST /graphql`, `GET /graphql` (queries only, or
//! GraphiQL for a browser), `/healthz` and `/readyz`.
//!
//! Every GraphQL request must carry a valid bearer token; the token becomes
//! an `Actor` before anything is executed. Limits that GraphQL itself does
//! not enforce (body size, content type, batching, mutations over GET) are
//! checked here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use accord_domain::{OrgCode, Role};
use accord_migration::{Migrator, MigratorTrait};
use accord_workflow::{Actor, Engine, Reader, Store, StoreConfig};
use anyhow::Context as _;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use poem::http::{HeaderMap, StatusCode, header};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::middleware::{CatchPanic, Tracing};
use poem::web::Query;
use poem::{Body, EndpointExt, FromRequest, IntoResponse, Request, Response, Route, get, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{AuthError, Verifier, bearer_token};
use crate::config::Settings;
use crate::error::Code;
use crate::schema::{self, AccordSchema, Limits, Loaders};

/// Everything a request needs, built once at start-up.
pub struct AppState {
    schema: AccordSchema,
    verifier: Verifier,
    store: Store,
    engine: Engine,
    max_body_bytes: usize,
    graphiql: bool,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// Connects to the database, runs the migrations, and builds the schema
    /// and the token verifier. Refuses to start on bad configuration.
    pub async fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
        let verifier = Verifier::new(&settings.auth_config()?).context("identity configuration")?;
        let store = connect(settings).await?;
        Ok(AppState {
            schema: schema::build(&Limits {
                max_depth: settings.max_depth,
                max_complexity: settings.max_complexity,
                max_aliases: settings.max_aliases,
                max_directives: settings.max_directives,
                production: settings.production,
            }),
            verifier,
            engine: Engine::new(store.clone()),
            store,
            max_body_bytes: settings.max_body_bytes,
            graphiql: !settings.production,
        })
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Connects to the configured database and brings its schema up to date.
pub async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    let mut config = StoreConfig::new(settings.database_url.clone());
    config.max_connections = settings.db_max_connections;
    let store = Store::connect(&config)
        .await
        .context("connecting to the database")?;
    Migrator::up(store.db(), None)
        .await
        .context("migrating the database")?;
    Ok(store)
}

/// The routes.
pub fn app(state: Arc<AppState>) -> impl poem::Endpoint {
    Route::new()
        .at("/graphql", get(graphql_get).post(graphql_post))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .data(state)
        .with(Tracing)
        .with(CatchPanic::new())
}

/// A server running in the background (tests, benchmarks).
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = self.task.await;
    }
}

/// Binds `settings.listen` (port 0 picks a free port) and serves `state`
/// until `stop` or until `shutdown` resolves.
pub async fn spawn(settings: &Settings, state: Arc<AppState>) -> anyhow::Result<Running> {
    let acceptor = TcpListener::bind(settings.listen.clone())
        .into_acceptor()
        .await
        .with_context(|| format!("binding {}", settings.listen))?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .context("the listener has no address")?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = poem::Server::new_with_acceptor(acceptor);
    let task = tokio::spawn(async move {
        server
            .run_with_graceful_shutdown(
                app(state),
                async {
                    let _ = rx.await;
                },
                Some(Duration::from_secs(5)),
            )
            .await
    });
    Ok(Running {
        addr,
        shutdown: Some(tx),
        task,
    })
}

#[handler]
fn healthz() -> &'static str {
    "ok"
}

#[handler]
async fn readyz(state: poem::web::Data<&Arc<AppState>>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}

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
    let params = match Query::<GetParams>::from_request_without_body(req).await {
        Ok(Query(params)) => params,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                "malformed query string",
            );
        }
    };
    let Some(query) = params.query else {
        if state.graphiql && accepts_html(req.headers()) {
            return poem::web::Html(
                GraphiQLSource::build()
                    .endpoint("/graphql")
                    .title("Accord GraphiQL")
                    .finish(),
            )
            .into_response();
        }
        return error(
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
                    StatusCode::BAD_REQUEST,
                    Code::BadUserInput,
                    "variables must be a JSON object",
                );
            }
        }
    }
    if params
        .extensions
        .is_some_and(|e| serde_json::from_str::<Value>(&e).is_err())
    {
        return error(
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "extensions must be JSON",
        );
    }
    if is_mutation(&request) {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            Code::BadUserInput,
            "mutations must be sent with POST",
        )
        .with_header(header::ALLOW, "POST")
        .into_response();
    }
    execute(req.headers(), &state, request).await
}

#[handler]
async fn graphql_post(
    req: &Request,
    body: Body,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
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
    if essence != "application/json" {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::BadUserInput,
            "send GraphQL requests as application/json",
        );
    }
    let bytes = match body.into_bytes_limit(state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return error(
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
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                "the request body could not be read",
            );
        }
    };
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error(
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "batched requests are not supported",
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                "the body must be a JSON object with a query string",
            );
        }
    };
    execute(req.headers(), &state, request).await
}

/// Authenticates, attaches the viewer's reader and loaders, and executes.
async fn execute(
    headers: &HeaderMap,
    state: &AppState,
    request: async_graphql::Request,
) -> Response {
    let actor = match authenticate(headers, state).await {
        Ok(actor) => actor,
        Err(Denied::Unauthenticated(message)) => {
            return error(StatusCode::UNAUTHORIZED, Code::Unauthenticated, &message)
                .with_header(header::WWW_AUTHENTICATE, "Bearer")
                .into_response();
        }
        Err(Denied::Internal(detail)) => {
            let gql = crate::error::internal(&detail);
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "errors": [gql_error_json(&gql)] }),
            );
        }
    };
    let reader = Reader::new(state.store.clone(), actor);
    let loader = DataLoader::new(Loaders::new(reader.clone()), tokio::spawn);
    let request = request.data(reader).data(loader).data(state.engine.clone());
    let response = state.schema.execute(request).await;
    let mut value = match serde_json::to_value(&response) {
        Ok(value) => value,
        Err(detail) => {
            let gql = crate::error::internal(&detail);
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "errors": [gql_error_json(&gql)] }),
            );
        }
    };
    default_error_codes(&mut value);
    json_response(StatusCode::OK, value)
}

enum Denied {
    Unauthenticated(String),
    Internal(String),
}

async fn authenticate(headers: &HeaderMap, state: &AppState) -> Result<Actor, Denied> {
    let unauthenticated =
        |e: AuthError| Denied::Unauthenticated(format!("authentication failed: {e}"));
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(AuthError::Missing)
        .map_err(unauthenticated)?
        .to_str()
        .map_err(|_| unauthenticated(AuthError::Malformed))?;
    let claims = state
        .verifier
        .verify(bearer_token(value).map_err(unauthenticated)?)
        .map_err(unauthenticated)?;
    let refused = |why: String| {
        Denied::Unauthenticated(format!(
            "the token does not describe an Accord identity: {why}"
        ))
    };
    let org = OrgCode::parse(&claims.org).map_err(|e| refused(e.to_string()))?;
    let kind = accord_workflow::read::organization_kind(state.store.db(), org.as_str())
        .await
        .map_err(|e| Denied::Internal(e.to_string()))?
        .ok_or_else(|| refused(format!("organisation {org} is not known")))?;
    let roles = claims
        .roles
        .iter()
        .map(|r| Role::from_claim(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| refused(e.to_string()))?;
    Actor::new(claims.sub, claims.name, org, kind, roles).map_err(|e| refused(e.to_string()))
}

fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let wanted = request.operation_name.as_deref();
    document.operations.iter().any(|(name, op)| {
        op.node.ty == OperationType::Mutation
            && (wanted.is_none() || name.map(|n| n.as_str()) == wanted)
    })
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

fn gql_error_json(error: &async_graphql::Error) -> Value {
    let mut value = json!({ "message": error.message });
    if let Some(extensions) = &error.extensions
        && let Ok(ext) = serde_json::to_value(extensions)
    {
        value["extensions"] = ext;
    }
    value
}

fn error(status: StatusCode, code: Code, message: &str) -> Response {
    json_response(
        status,
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }),
    )
}

fn json_response(status: StatusCode, body: Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body.to_string())
}
