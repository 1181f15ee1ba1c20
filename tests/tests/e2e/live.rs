//! Live updates over `/graphql/ws`, spoken to by a client of the
//! `graphql-transport-ws` protocol (as the `graphql-ws` npm client speaks
//! it): a change made through one instance reaches a subscriber on
//! another; a delegate is told nothing of an uncirculated draft; a socket
//! closes when its token expires; a resumed subscription gets exactly what
//! it missed; a write that rolls back tells nothing; the limits hold.

use std::time::Duration;

use accord_domain::DraftState;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::attacks::spawn_custom;
use crate::helpers::{
    Backend, TestApp, all_at_once, error_code, meeting_year, now, sign_raw, soc_date, spawn_app,
    str_at, with,
};
use crate::on_both_backends;

on_both_backends!(
    across_instances =>
        a_change_through_one_instance_reaches_a_subscriber_on_another_sqlite,
        a_change_through_one_instance_reaches_a_subscriber_on_another_postgres
);
on_both_backends!(
    adoption_on_the_agenda =>
        the_ministers_adoption_reaches_the_subscribers_of_their_meetings_agenda_sqlite,
        the_ministers_adoption_reaches_the_subscribers_of_their_meetings_agenda_postgres
);
on_both_backends!(
    visibility =>
        a_delegate_learns_nothing_of_a_draft_until_it_is_circulated_sqlite,
        a_delegate_learns_nothing_of_a_draft_until_it_is_circulated_postgres
);
on_both_backends!(
    expiry =>
        a_socket_closes_when_its_token_expires_and_refuses_a_bad_one_sqlite,
        a_socket_closes_when_its_token_expires_and_refuses_a_bad_one_postgres
);
on_both_backends!(
    resume =>
        a_resumed_subscription_gets_exactly_the_missed_events_sqlite,
        a_resumed_subscription_gets_exactly_the_missed_events_postgres
);
on_both_backends!(
    rolled_back =>
        a_write_that_rolls_back_publishes_nothing_sqlite,
        a_write_that_rolls_back_publishes_nothing_postgres
);
on_both_backends!(
    limits =>
        sockets_per_person_and_subscriptions_per_socket_are_limited_sqlite,
        sockets_per_person_and_subscriptions_per_socket_are_limited_postgres
);

/// How long an expected message may take (the other instance on SQLite
/// learns of commits by polling, every 5 s).
const WITHIN: Duration = Duration::from_secs(20);

/// How long a test waits to be sure nothing comes.
const QUIET: Duration = Duration::from_millis(1500);

const DRAFTS: &str = "subscription ($after: String, $draftId: ID) {
  draftChanged(after: $after, draftId: $draftId) { cursor action draftId change version commentId }
}";

const NOTES: &str =
    "subscription ($after: String) { noteIssued(after: $after) { cursor action noteId } }";

/// A client socket speaking graphql-transport-ws.
struct Socket(WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Socket {
    /// Opens `/graphql/ws` of the server at `base` and sends
    /// `connection_init` with `payload`, without waiting for the answer.
    async fn init(base: &str, payload: Value) -> Socket {
        let url = format!("ws://{}/graphql/ws", base.trim_start_matches("http://"));
        let mut request = url.into_client_request().expect("a WebSocket request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (ws, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the socket opens");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws")
        );
        let mut socket = Socket(ws);
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        socket
    }

    /// Opens a socket as `token` and waits for `connection_ack`.
    async fn open(base: &str, token: &str) -> Socket {
        let mut socket =
            Socket::init(base, json!({ "Authorization": format!("Bearer {token}") })).await;
        let ack = socket.message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        socket
    }

    async fn send(&mut self, message: Value) {
        self.0
            .send(Message::text(message.to_string()))
            .await
            .expect("the message is sent");
    }

    /// Starts subscription `id`.
    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// The next protocol message (pings answered), or a panic after
    /// [`WITHIN`].
    async fn message(&mut self) -> Value {
        self.message_within(WITHIN)
            .await
            .expect("a message in time")
    }

    /// The next protocol message within `wait`; `None` if none came. A
    /// close frame is returned as `{"type": "close", "code", "reason"}`.
    async fn message_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.next())
                .await
                .ok()?;
            match frame {
                None | Some(Err(_)) => return Some(json!({ "type": "closed" })),
                Some(Ok(Message::Text(text))) => {
                    let message: Value = serde_json::from_str(&text).expect("JSON");
                    if message["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(message);
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.as_str().to_owned()))
                        .unwrap_or((1005, String::new()));
                    return Some(json!({ "type": "close", "code": code, "reason": reason }));
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next event of subscription `id`: its `data`'s one field.
    async fn event(&mut self, id: &str) -> Value {
        let message = self.message().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        assert!(message["payload"]["errors"].is_null(), "{message}");
        let data = message["payload"]["data"].as_object().expect("data");
        data.values().next().cloned().expect("one field")
    }

    /// The refusal of subscription `id`: its error's code (the server
    /// sends the error as the subscription's one result, then completes it).
    async fn refusal(&mut self, id: &str) -> String {
        let message = self.message().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        let code = str_at(&message, "/payload/errors/0/extensions/code");
        let complete = self.message().await;
        assert_eq!(complete, json!({ "type": "complete", "id": id }));
        code
    }

    /// Asserts that nothing arrives for [`QUIET`].
    async fn quiet(&mut self) {
        let got = self.message_within(QUIET).await;
        assert!(got.is_none(), "unexpected message: {got:?}");
    }

    /// Waits for the server to close the socket; its code and reason.
    async fn closed(&mut self) -> (u16, String) {
        loop {
            let message = self.message().await;
            if message["type"] == "close" {
                return (
                    message["code"].as_u64().expect("code") as u16,
                    message["reason"].as_str().unwrap_or_default().to_owned(),
                );
            }
            assert_ne!(message["type"], "closed", "closed without a close frame");
        }
    }
}

/// The cursor of the last change committed, as a query reads it.
async fn live_cursor(app: &TestApp, token: &str) -> String {
    let body = app.gql(token, "{ liveCursor }", json!({})).await;
    str_at(&body, "/data/liveCursor")
}

async fn across_instances(backend: Backend) {
    let Some(a) = spawn_app(backend).await else {
        return;
    };
    let b = a.another_instance().await;
    let secretariat = a.secretariat();
    let mut socket = Socket::open(&b.base, &secretariat).await;
    let after = live_cursor(&b, &secretariat).await;
    socket
        .subscribe("drafts", DRAFTS, json!({ "after": after }))
        .await;
    let (id, _) = a.create_draft(&["CICA", "SCO"]).await;
    let created = socket.event("drafts").await;
    assert_eq!(created["draftId"], id.as_str());
    assert_eq!(created["change"], "CREATED");
    assert_eq!(created["action"], "CREATE_DRAFT");
    a.advance(
        &id,
        DraftState::Drafting,
        DraftState::Circulated,
        &["CICA", "SCO"],
    )
    .await;
    let circulated = socket.event("drafts").await;
    assert_eq!(circulated["draftId"], id.as_str());
    assert_eq!(circulated["change"], "STATE");
    assert_eq!(circulated["version"], 1);
    // The subscriber reads what it was told of, through its own instance.
    let draft = b.draft(&secretariat, &id).await;
    assert_eq!(draft["state"], "CIRCULATED");
}

const AGENDAS: &str = "subscription ($after: String) {
  agendaChanged(after: $after) { cursor action meetingId }
}";

/// A decision of a body other than the SOC puts the draft on that body's
/// meeting's agenda, and its subscribers are told of that meeting.
async fn adoption_on_the_agenda(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    crate::routes::route_in_force(
        &app,
        "DECLARATION",
        crate::routes::through_the_soc(
            "AGREE",
            &["mc"],
            vec![json!({ "key": "mc", "kind": "DECISION", "body": "MC", "verb": "ADOPT" })],
        ),
    )
    .await;
    let created = crate::routes::create(&app, "DECLARATION", &["CICA"]).await;
    let id = str_at(&created, "/data/createDraft/draft/id");
    app.advance(
        &id,
        DraftState::Drafting,
        DraftState::SwgDiscussion,
        &["CICA"],
    )
    .await;
    app.op_ok(
        &secretariat,
        "RecordSocAgreement",
        json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
    )
    .await;
    let mut socket = Socket::open(&app.base, &secretariat).await;
    let after = live_cursor(&app, &secretariat).await;
    socket
        .subscribe("agendas", AGENDAS, json!({ "after": after }))
        .await;
    let adopted = app
        .gql(
            &secretariat,
            "mutation ($input: RecordBodyDecisionInput!) {
               recordBodyDecision(input: $input) { decision { meeting { id body } } } }",
            json!({ "input": { "draftId": id, "meetingDate": format!("{}-06-20", meeting_year()) } }),
        )
        .await;
    let meeting = &adopted["data"]["recordBodyDecision"]["decision"]["meeting"];
    assert_eq!(meeting["body"], "MC", "{adopted}");
    let event = socket.event("agendas").await;
    assert_eq!(event["action"], "RECORD_BODY_DECISION");
    assert_eq!(event["meetingId"], meeting["id"]);
}

async fn visibility(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let delegate = app.delegate("KAZ");
    let mut socket = Socket::open(&app.base, &delegate).await;
    let after = live_cursor(&app, &delegate).await;
    socket
        .subscribe("drafts", DRAFTS, json!({ "after": after }))
        .await;
    socket
        .subscribe("notes", NOTES, json!({ "after": after }))
        .await;
    // Two drafts written: neither circulated, so nothing at all is told,
    // not even an id.
    let (hidden, _) = app.create_draft(&["CICA", "SCO"]).await;
    let (later, _) = app.create_draft(&["CICA"]).await;
    socket.quiet().await;
    // Circulated: the delegate is told, and of the circulation note.
    app.advance(
        &later,
        DraftState::Drafting,
        DraftState::Circulated,
        &["CICA"],
    )
    .await;
    let mut told = [socket.message().await, socket.message().await];
    told.sort_by_key(|m| m["id"].as_str().unwrap_or_default().to_owned());
    let (draft, note) = (&told[0], &told[1]);
    assert_eq!(draft["id"], "drafts", "{draft}");
    let event = &draft["payload"]["data"]["draftChanged"];
    assert_eq!(event["draftId"], later.as_str());
    assert_eq!(event["change"], "STATE");
    assert_eq!(event["action"], "CIRCULATE");
    assert_eq!(note["id"], "notes", "{note}");
    let note_id = str_at(note, "/payload/data/noteIssued/noteId");
    let read = app
        .gql(
            &delegate,
            "query ($id: ID!) { note(id: $id) { id } }",
            json!({ "id": note_id }),
        )
        .await;
    assert_eq!(read["data"]["note"]["id"], note_id.as_str(), "{read}");
    socket.quiet().await;
    // The delegate's own comment on it is told; the hidden draft still not.
    let comment = app.propose(&delegate, &later, "preamble-1").await;
    let event = socket.event("drafts").await;
    assert_eq!(event["change"], "COMMENT");
    assert_eq!(event["commentId"], comment.as_str());
    let body = app
        .op(
            &app.secretariat(),
            "WithdrawDraft",
            json!({ "input": { "draftId": hidden, "reason": "Not needed." } }),
        )
        .await;
    assert!(error_code(&body).is_none(), "{body}");
    socket.quiet().await;
    // Asking for the hidden draft by id tells nothing either.
    socket
        .subscribe("one", DRAFTS, json!({ "draftId": hidden }))
        .await;
    socket.quiet().await;
}

async fn expiry(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    // Accepted (within the 30 s leeway) for about three more seconds.
    let short = sign_raw(
        header,
        &with(json!({ "iat": now() - 60, "nbf": now() - 60, "exp": now() - 27 })).to_string(),
    );
    let body = app.gql(&short, "{ liveCursor }", json!({})).await;
    assert!(
        error_code(&body).is_none(),
        "the token is accepted over HTTP: {body}"
    );
    let mut socket = Socket::init(&app.base, json!({ "token": short })).await;
    assert_eq!(socket.message().await["type"], "connection_ack");
    socket.subscribe("drafts", DRAFTS, json!({})).await;
    let started = std::time::Instant::now();
    let (code, reason) = socket.closed().await;
    assert_eq!((code, reason.as_str()), (4401, "token expired"));
    assert!(started.elapsed() < Duration::from_secs(10));
    // An expired token is refused at once, as over HTTP.
    let expired = sign_raw(
        header,
        &with(json!({ "iat": now() - 600, "nbf": now() - 600, "exp": now() - 100 })).to_string(),
    );
    let mut socket = Socket::init(
        &app.base,
        json!({ "Authorization": format!("Bearer {expired}") }),
    )
    .await;
    assert_eq!(
        socket.closed().await,
        (4401, "authentication failed: token expired".to_owned())
    );
    // No token, or a bad one.
    let mut socket = Socket::init(&app.base, json!({})).await;
    assert_eq!(
        socket.closed().await,
        (4401, "authentication failed: no bearer token".to_owned())
    );
    let mut socket = Socket::init(&app.base, json!({ "token": "not.a.token" })).await;
    assert_eq!(socket.closed().await.0, 4401);
}

async fn resume(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let mut socket = Socket::open(&app.base, &secretariat).await;
    let after = live_cursor(&app, &secretariat).await;
    socket
        .subscribe("drafts", DRAFTS, json!({ "after": after }))
        .await;
    let (first, _) = app.create_draft(&["CICA", "SCO"]).await;
    let seen = socket.event("drafts").await;
    assert_eq!(seen["draftId"], first.as_str());
    let cursor = str_at(&seen, "/cursor");
    drop(socket);
    // Missed while away: a circulation, a new draft, a comment.
    app.advance(
        &first,
        DraftState::Drafting,
        DraftState::Circulated,
        &["CICA", "SCO"],
    )
    .await;
    let (second, _) = app.create_draft(&["CICA"]).await;
    let comment = app
        .propose(&app.delegate("KAZ"), &first, "preamble-1")
        .await;
    let mut socket = Socket::open(&app.base, &secretariat).await;
    socket
        .subscribe("drafts", DRAFTS, json!({ "after": cursor }))
        .await;
    let missed = [
        socket.event("drafts").await,
        socket.event("drafts").await,
        socket.event("drafts").await,
    ];
    let got: Vec<(String, String)> = missed
        .iter()
        .map(|e| (str_at(e, "/draftId"), str_at(e, "/action")))
        .collect();
    assert_eq!(
        got,
        vec![
            (first.clone(), "CIRCULATE".to_owned()),
            (second.clone(), "CREATE_DRAFT".to_owned()),
            (first.clone(), "COMMENT".to_owned()),
        ]
    );
    assert_eq!(missed[2]["commentId"], comment.as_str());
    // Then live ones, none twice.
    socket.quiet().await;
    app.advance(
        &second,
        DraftState::Drafting,
        DraftState::Circulated,
        &["CICA"],
    )
    .await;
    let live = socket.event("drafts").await;
    assert_eq!(live["draftId"], second.as_str());
    assert_eq!(live["action"], "CIRCULATE");
    let cursors: Vec<i64> = missed
        .iter()
        .chain([&seen, &live])
        .map(|e| str_at(e, "/cursor").parse().expect("a number"))
        .collect();
    let mut sorted = cursors.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        cursors.len(),
        "an event came twice: {cursors:?}"
    );
    socket.quiet().await;
    // A cursor that names no event is refused.
    socket
        .subscribe("bad", DRAFTS, json!({ "after": "999999" }))
        .await;
    assert_eq!(socket.refusal("bad").await, "BAD_USER_INPUT");
}

async fn rolled_back(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (id, _) = app.create_draft(&["CICA"]).await;
    let mut socket = Socket::open(&app.base, &secretariat).await;
    let after = live_cursor(&app, &secretariat).await;
    socket
        .subscribe("drafts", DRAFTS, json!({ "after": after }))
        .await;
    // Three circulations at once: one commits; the others either find the
    // draft changed when they compare and set (their write rolls back) or
    // are refused before writing, the version being circulated already.
    let attempts = (0..3)
        .map(|_| {
            let (base, client, token, id) = (
                app.base.clone(),
                app.client.clone(),
                secretariat.clone(),
                id.clone(),
            );
            async move {
                client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({
                        "query": crate::helpers::OPERATIONS,
                        "operationName": "CirculateDraft",
                        "variables": { "input": { "draftId": id, "series": "PAR" } },
                    }))
                    .send()
                    .await
                    .expect("an answer")
                    .json::<Value>()
                    .await
                    .expect("JSON")
            }
        })
        .collect();
    let answers = all_at_once(attempts).await;
    let done = answers.iter().filter(|a| error_code(a).is_none()).count();
    assert_eq!(done, 1, "{answers:?}");
    let event = socket.event("drafts").await;
    assert_eq!(event["action"], "CIRCULATE");
    assert_eq!(
        str_at(&event, "/cursor").parse::<i64>().expect("a number"),
        after.parse::<i64>().expect("a number") + 1,
        "the rolled-back writes took no place in the log"
    );
    socket.quiet().await;
}

async fn limits(backend: Backend) {
    let Some(custom) = spawn_custom(backend, None, |settings| {
        settings.ws_max_sockets_per_person = 1;
        settings.ws_max_subscriptions_per_socket = 1;
    })
    .await
    else {
        return;
    };
    let app = &custom.app;
    let secretariat = app.secretariat();
    let mut first = Socket::open(&custom.base, &secretariat).await;
    let mut second = Socket::init(
        &custom.base,
        json!({ "Authorization": format!("Bearer {secretariat}") }),
    )
    .await;
    let (code, reason) = second.closed().await;
    assert_eq!(code, 4429, "{reason}");
    assert!(
        reason.contains("at most 1 open sockets per person"),
        "{reason}"
    );
    // Another person is not counted against the first.
    let _other = Socket::open(&custom.base, &app.delegate("KAZ")).await;
    // One subscription at a time on a socket.
    first.subscribe("a", DRAFTS, json!({})).await;
    first.subscribe("b", NOTES, json!({})).await;
    assert_eq!(first.refusal("b").await, "BAD_USER_INPUT");
    // Completing one frees its place.
    first.send(json!({ "id": "a", "type": "complete" })).await;
    let echoed = first.message_within(QUIET).await;
    assert!(
        echoed.is_none() || echoed == Some(json!({ "type": "complete", "id": "a" })),
        "{echoed:?}"
    );
    first.subscribe("c", DRAFTS, json!({})).await;
    let (id, _) = app.create_draft(&["CICA"]).await;
    let event = first.event("c").await;
    assert_eq!(event["draftId"], id.as_str());
    // Closing the socket frees the person's place.
    drop(first);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _again = Socket::open(&custom.base, &secretariat).await;
    // Queries and mutations are not served on the socket.
    let mut socket = Socket::open(&custom.base, &app.counterpart("SCO")).await;
    socket.subscribe("q", "{ liveCursor }", json!({})).await;
    assert_eq!(socket.refusal("q").await, "BAD_USER_INPUT");
}
