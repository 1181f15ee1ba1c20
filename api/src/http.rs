//! HTTP plumbing shared by every route: the media type of an answer,
//! requests refused before GraphQL, and errors answered outside it (with
//! the codes of SPEC §8).

use accord_workflow::WorkflowError;
use poem::http::{HeaderMap, HeaderValue, StatusCode, header};
use poem::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::error::Code;

/// A GraphQL request from a JSON body (an `application/json` request, or
/// a multipart request's `operations` part, `what` in the message): one
/// object with a `query` string. Batches are refused, and so is a missing
/// or non-string `query` (async-graphql would default it to "" and run an
/// empty document).
pub(crate) fn parse_request(bytes: &[u8], what: &str) -> Result<async_graphql::Request, Refused> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Refused::bad_request("batched requests are not supported"));
    }
    let malformed =
        || Refused::bad_request(format!("{what} must be a JSON object with a query string"));
    let body = match serde_json::from_slice::<Value>(bytes) {
        Ok(body @ Value::Object(_)) if body.get("query").is_some_and(Value::is_string) => body,
        _ => return Err(malformed()),
    };
    serde_json::from_value(body).map_err(|_| malformed())
}

/// A request refused before it reached GraphQL: the HTTP status, the
/// error code and the message of the answer.
#[derive(Debug)]
pub(crate) struct Refused {
    status: StatusCode,
    code: Code,
    message: String,
}

impl Refused {
    /// 400, `BAD_USER_INPUT`: the request is malformed.
    pub(crate) fn bad_request(message: impl Into<String>) -> Refused {
        Refused {
            status: StatusCode::BAD_REQUEST,
            code: Code::BadUserInput,
            message: message.into(),
        }
    }

    /// 413, `BAD_USER_INPUT`: the body or a part of it is over its limit.
    pub(crate) fn too_large(message: impl Into<String>) -> Refused {
        Refused {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: Code::BadUserInput,
            message: message.into(),
        }
    }

    /// The answer, in the client's media type.
    pub(crate) fn respond(self, media: MediaType) -> Response {
        error(media, self.status, self.code, &self.message)
    }
}

/// The response to a request whose token was refused.
pub(crate) fn refusal(media: MediaType, denied: Denied) -> Response {
    match denied {
        Denied::Unauthenticated(message) => error(
            media,
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            &message,
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer")
        .into_response(),
        Denied::Internal(detail) => {
            let gql = crate::error::internal(&detail);
            json_response(
                media,
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "errors": [gql_error_json(&gql)] }),
            )
        }
    }
}

/// A workflow error answered outside GraphQL (the calendar feed): shown
/// as [`crate::error::from_workflow`] shows it, with the HTTP status of
/// its code.
pub(crate) fn workflow_response(media: MediaType, error: WorkflowError) -> Response {
    let status = match crate::error::workflow_code(&error) {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::BadUserInput => StatusCode::BAD_REQUEST,
        Code::InvalidTransition | Code::Conflict => StatusCode::CONFLICT,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let gql = crate::error::from_workflow(error);
    let mut out = json_response(media, status, json!({ "errors": [gql_error_json(&gql)] }));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        out.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECS),
        );
    }
    out
}

pub(crate) fn internal_response(media: MediaType, detail: &dyn std::fmt::Display) -> Response {
    let gql = crate::error::internal(detail);
    json_response(
        media,
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({ "errors": [gql_error_json(&gql)] }),
    )
}

/// The `Retry-After` of an `UNAVAILABLE` answer, in seconds.
pub(crate) const RETRY_AFTER_SECS: &str = "1";

/// The media type of a GraphQL response, chosen by the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaType {
    /// `application/json`: always 200 once the request reached GraphQL.
    Json,
    /// `application/graphql-response+json`: 400 for request errors.
    GraphqlResponseJson,
}

impl MediaType {
    /// `application/graphql-response+json` when the client lists it with a
    /// weight at least that of `application/json` (or `application/*`,
    /// `*/*`); otherwise `application/json`, also without an `Accept`
    /// header and when nothing acceptable is listed (the spec allows
    /// answering in the default type instead of 406).
    pub(crate) fn negotiate(headers: &HeaderMap) -> MediaType {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return MediaType::Json;
        };
        let mut graphql_response = 0.0_f32;
        let mut json = 0.0_f32;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| {
                    let (name, value) = p.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| value.trim().parse::<f32>().ok())
                        .flatten()
                })
                .next()
                .unwrap_or(1.0);
            match essence.as_str() {
                "application/graphql-response+json" => {
                    graphql_response = graphql_response.max(weight);
                }
                "application/json" | "application/*" | "*/*" => json = json.max(weight),
                _ => {}
            }
        }
        if graphql_response > 0.0 && graphql_response >= json {
            MediaType::GraphqlResponseJson
        } else {
            MediaType::Json
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            MediaType::Json => "application/json; charset=utf-8",
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
        }
    }
}

/// Why a request's token gave no identity.
pub(crate) enum Denied {
    /// The token is missing, invalid, or names no Accord identity.
    Unauthenticated(String),
    /// The identity could not be checked (the directory could not be read).
    Internal(String),
}

pub(crate) fn gql_error_json(error: &async_graphql::Error) -> Value {
    let mut value = json!({ "message": error.message });
    if let Some(extensions) = &error.extensions
        && let Ok(ext) = serde_json::to_value(extensions)
    {
        value["extensions"] = ext;
    }
    value
}

pub(crate) fn error(media: MediaType, status: StatusCode, code: Code, message: &str) -> Response {
    json_response(
        media,
        status,
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }),
    )
}

pub(crate) fn json_response(media: MediaType, status: StatusCode, body: Value) -> Response {
    json_bytes(media, status, body.to_string().into_bytes())
}

pub(crate) fn json_bytes(media: MediaType, status: StatusCode, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .content_type(media.content_type())
        .header(header::VARY, "Accept")
        .body(body)
}
