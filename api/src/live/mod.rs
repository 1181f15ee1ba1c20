//! `GET /graphql/ws`: live updates over a WebSocket speaking
//! `graphql-transport-ws` (the protocol of the `graphql-ws` client).
//!
//! The client opens the socket with the subprotocol
//! `graphql-transport-ws` and sends `connection_init` whose payload
//! carries the token, as `{"Authorization": "Bearer <JWT>"}` or
//! `{"token": "<JWT>"}`; it is checked exactly as `POST /graphql` checks
//! the `Authorization` header ([`crate::auth::identify`]). Then it runs
//! subscriptions (`crate::schema::live`); queries and mutations go to
//! `POST /graphql`.
//!
//! The socket is closed with:
//!
//! | code | when |
//! |---|---|
//! | 4400 | `connection_init` whose payload is not an object |
//! | 4401 | no valid token in `connection_init` (the reason says why, as `POST /graphql` would: `authentication failed: token expired`, …), or the token expired while the socket was open (`token expired`), or a subscription before `connection_ack` |
//! | 4408 | no `connection_init` within [`INIT_WITHIN`] |
//! | 4429 | the person holds as many sockets open on this instance as `--ws-max-sockets-per-person` allows, or sent `connection_init` twice |
//! | 4500 | the identity could not be checked (internal; logged) |
//!
//! A subscription beyond `--ws-max-subscriptions-per-socket` is refused
//! with an `error` message (`BAD_USER_INPUT`), the socket staying open.
//! A token is accepted until its `exp` plus the configured leeway, as over
//! HTTP, and the socket is closed at that instant.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::http::{WebSocketProtocols, WsMessage};
use futures_util::{SinkExt as _, StreamExt as _};
use poem::http::{StatusCode, header};
use poem::web::websocket::{Message, WebSocket};
use poem::{IntoResponse, Request, Response, handler};
use serde_json::Value;

use crate::auth::{bearer_token, identify};
use crate::error::Code;
use crate::http::{Denied, MediaType, error};
use crate::schema::live::SocketContext;
use crate::state::AppState;

pub mod sockets;

use sockets::SocketPlace;

/// The WebSocket subprotocol served.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// How long a socket may stay open without `connection_init`.
pub const INIT_WITHIN: Duration = Duration::from_secs(10);

/// How `connection_init` went, as the serving loop needs it.
#[derive(Default)]
struct Handshake {
    /// Accepted: until when the token is accepted, and the socket's place.
    accepted: Option<(tokio::time::Instant, SocketPlace)>,
    /// Refused: the close code and reason.
    refused: Option<(u16, String)>,
}

/// `GET /graphql/ws`: upgrades to a WebSocket speaking
/// [`PROTOCOL`], or answers 400.
#[handler]
pub(crate) async fn graphql_ws(
    req: &Request,
    ws: WebSocket,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
    let offered = req
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    if !offered {
        return error(
            MediaType::negotiate(req.headers()),
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "open the socket with the subprotocol graphql-transport-ws",
        );
    }
    let state = Arc::clone(state.0);
    ws.protocols([PROTOCOL])
        .on_upgrade(move |socket| serve(socket, state))
        .into_response()
}

/// The token in a `connection_init` payload: `Authorization` (any case,
/// `Bearer <JWT>`) or `token`.
fn token_in(payload: &Value) -> Result<String, (u16, String)> {
    let refused = |e: crate::auth::AuthError| (4401, format!("authentication failed: {e}"));
    if payload.is_null() {
        return Err(refused(crate::auth::AuthError::Missing));
    }
    let Some(fields) = payload.as_object() else {
        return Err((
            4400,
            "connection_init needs a payload object carrying the token".into(),
        ));
    };
    let authorization = fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value);
    match (authorization, fields.get("token")) {
        (Some(Value::String(value)), _) => bearer_token(value).map(str::to_owned).map_err(refused),
        (None, Some(Value::String(token))) => Ok(token.clone()),
        (None, None) => Err(refused(crate::auth::AuthError::Missing)),
        _ => Err(refused(crate::auth::AuthError::Malformed)),
    }
}

/// Checks `connection_init`'s payload: the identity, and a place among
/// the person's sockets.
async fn handshake(
    state: &AppState,
    payload: &Value,
) -> Result<(SocketContext, tokio::time::Instant, SocketPlace), (u16, String)> {
    let token = token_in(payload)?;
    let (actor, exp) = identify(&token, &state.verifier, &state.store)
        .await
        .map_err(|denied| match denied {
            Denied::Unauthenticated(why) => (4401, why),
            Denied::Internal(detail) => {
                let shown = crate::error::internal(&detail);
                (4500, shown.message)
            }
        })?;
    // The token is accepted until `exp` plus the leeway: so is the socket.
    let left = exp
        .saturating_add(state.verifier.leeway_secs())
        .saturating_sub(chrono::Utc::now().timestamp())
        .max(0);
    let until = tokio::time::Instant::now() + Duration::from_secs(left.unsigned_abs());
    let place = state.live.sockets.open(actor.sub()).ok_or_else(|| {
        (
            4429,
            format!(
                "at most {} open sockets per person",
                state.live.sockets.max_per_person
            ),
        )
    })?;
    let context = SocketContext::new(
        actor,
        state.store.clone(),
        state.live.max_subscriptions_per_socket,
        Arc::clone(&state.live.active),
    );
    Ok((context, until, place))
}

/// A close frame's reason is at most 123 bytes.
fn close(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::close_with(code, reason.get(..end).unwrap_or_default().to_owned())
}

/// Serves one socket until either side closes it or its token expires.
async fn serve(socket: poem::web::websocket::WebSocketStream, state: Arc<AppState>) {
    let (mut sink, stream) = socket.split();
    let input = stream
        .take_while(|message| std::future::ready(message.is_ok()))
        .filter_map(|message| {
            std::future::ready(match message {
                Ok(message) if message.is_text() || message.is_binary() => {
                    Some(message.into_bytes())
                }
                _ => None,
            })
        });
    let shared: Arc<Mutex<Handshake>> = Arc::default();
    let on_init = {
        let state = Arc::clone(&state);
        let shared = Arc::clone(&shared);
        move |payload: Value| async move {
            let outcome = handshake(&state, &payload).await;
            let Ok(mut handshake) = shared.lock() else {
                return Err(async_graphql::Error::new("internal error"));
            };
            match outcome {
                Ok((context, until, place)) => {
                    handshake.accepted = Some((until, place));
                    let mut data = async_graphql::Data::default();
                    data.insert(context);
                    Ok(data)
                }
                Err((code, reason)) => {
                    let error = async_graphql::Error::new(reason.clone());
                    handshake.refused = Some((code, reason));
                    Err(error)
                }
            }
        }
    };
    let messages = async_graphql::http::WebSocket::new(
        state.schema.clone(),
        input,
        WebSocketProtocols::GraphQLWS,
    )
    .on_connection_init(on_init);
    futures_util::pin_mut!(messages);
    let init_by = tokio::time::Instant::now() + INIT_WITHIN;
    loop {
        let expires = shared
            .lock()
            .ok()
            .and_then(|h| h.accepted.as_ref().map(|(until, _)| *until));
        let next = tokio::select! {
            next = messages.next() => next,
            () = tokio::time::sleep_until(expires.unwrap_or(init_by)) => {
                let frame = match expires {
                    Some(_) => close(4401, "token expired"),
                    None => close(4408, "Connection initialisation timeout"),
                };
                let _ = sink.send(frame).await;
                break;
            }
        };
        let frame = match next {
            None => break,
            Some(WsMessage::Text(text)) => Message::text(text),
            Some(WsMessage::Close(code, reason)) => {
                let accepted = shared.lock().is_ok_and(|h| h.accepted.is_some());
                let refused = shared.lock().ok().and_then(|mut h| h.refused.take());
                let frame = match (refused, code) {
                    (Some((code, reason)), _) => close(code, &reason),
                    // A subscription before `connection_ack`.
                    (None, 1011) if !accepted => close(4401, "Unauthorized"),
                    _ => close(code, &reason),
                };
                let _ = sink.send(frame).await;
                break;
            }
        };
        if sink.send(frame).await.is_err() {
            break;
        }
    }
    // The socket's place (in `shared`) is given back here, with the
    // subscriptions' places as `messages` drops them.
}
