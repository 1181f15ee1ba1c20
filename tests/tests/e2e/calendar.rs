//! Calendar feeds over HTTP: a delegate's feed shows their state's events
//! and due dates and follows a moved event; the Secretariat's shows all,
//! cancelled events as cancelled; who may make and revoke feeds follows the
//! permission table; a feed token opens the feed and nothing else; a
//! revoked feed stops answering; bad input changes nothing.

use accord_workflow::permissions::{Action, valid_pairs};

use crate::oracle::{Expect, expected};
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, ok, org_in, spawn_app, str_at};
use crate::on_both_backends;
use crate::plans::{add_event, february_2024};

on_both_backends!(feeds => a_feed_shows_a_states_events_and_due_dates_until_revoked_sqlite, a_feed_shows_a_states_events_and_due_dates_until_revoked_postgres);
on_both_backends!(permissions => calendar_feed_permissions_follow_the_table_sqlite, calendar_feed_permissions_follow_the_table_postgres);

const CREATE: &str = "mutation($input: CreateCalendarFeedInput!) { createCalendarFeed(input: $input) { token path feed { id label memberState ownerOrg createdAt revokedAt } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeCalendarFeed(id: $id) { id revokedAt } }";

/// `GET path` with an optional bearer token: the status, the content type
/// and the body.
async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, String, String) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

/// The feed at `path`, parsed: (summary, start, status) of each entry.
async fn entries(app: &TestApp, path: &str, bearer: Option<&str>) -> Vec<(String, String, String)> {
    let (status, content_type, body) = get(app, path, bearer).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    let calendar: Calendar = body.parse().unwrap();
    calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some((
                event.get_summary().unwrap_or_default().to_owned(),
                event
                    .property_value("DTSTART")
                    .unwrap_or_default()
                    .to_owned(),
                event
                    .property_value("STATUS")
                    .unwrap_or_default()
                    .to_owned(),
            )),
            _ => None,
        })
        .collect()
}

async fn create(app: &TestApp, token: &str, label: &str, state: Option<&str>) -> Value {
    app.gql(
        token,
        CREATE,
        json!({ "input": { "label": label, "memberState": state } }),
    )
    .await
}

async fn feeds(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (plan, kaz) = february_2024(&app).await;
    let cancelled = add_event(
        &app,
        &plan,
        "Workshop",
        &["IND"],
        "2024-05-10",
        "2024-05-10",
    )
    .await;
    let body = app
        .gql(
            &app.secretariat(),
            "mutation($input: SetEventStatusInput!) { setEventStatus(input: $input) { event { status } } }",
            json!({ "input": { "eventId": str_at(&cancelled, "/id"), "status": "CANCELLED", "reason": "the host withdrew" } }),
        )
        .await;
    ok(&body, "setEventStatus");

    // A delegate's feed of their own state.
    let delegate = app.delegate("KAZ");
    let made = create(&app, &delegate, "office calendar", Some("KAZ")).await;
    let made = ok(&made, "createCalendarFeed")["createCalendarFeed"].clone();
    let token = str_at(&made, "/token");
    let path = str_at(&made, "/path");
    assert_eq!(path, format!("/calendar/{token}.ics"));
    assert!(token.starts_with("cal_") && token.len() == 68, "{token}");
    assert_eq!(made["feed"]["memberState"], "KAZ");
    assert_eq!(made["feed"]["revokedAt"], Value::Null);
    let seen = entries(&app, &path, None).await;
    // Every event of the plan (every state takes part) and the three
    // documents Kazakhstan owes for the one it organises.
    assert_eq!(
        seen.len(),
        3 + 3,
        "three events and KAZ's three documents: {seen:?}"
    );
    assert!(seen.contains(&(
        "Seminar on energy security".to_owned(),
        "20240220".to_owned(),
        "CONFIRMED".to_owned()
    )));
    assert!(seen.contains(&(
        "Due: Concept paper — Seminar on energy security (KAZ)".to_owned(),
        "20231222".to_owned(),
        String::new()
    )));
    assert!(
        seen.iter()
            .any(|(s, ..)| s.contains("youth") && !s.starts_with("Due:")),
        "{seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|(s, ..)| s.starts_with("Due:") && !s.contains("(KAZ)")),
        "only KAZ's documents: {seen:?}"
    );

    // Moving the event moves its entries, with a higher SEQUENCE.
    let body = app
        .gql(
            &app.secretariat(),
            "mutation($input: MoveEventInput!) { moveEvent(input: $input) { event { id } } }",
            json!({ "input": { "eventId": str_at(&kaz, "/id"), "startDate": "2024-03-20", "endDate": "2024-03-21", "reason": "the host asked" } }),
        )
        .await;
    ok(&body, "moveEvent");
    let (_, _, text) = get(&app, &path, None).await;
    assert!(text.contains("DTSTART;VALUE=DATE:20240320"), "{text}");
    assert!(text.contains("DTEND;VALUE=DATE:20240322"), "{text}");
    assert!(text.contains("SEQUENCE:1"), "{text}");
    assert!(!text.contains("20240220"), "{text}");

    // The Secretariat's feed of all states shows the cancelled event as
    // cancelled, and no due date for it.
    let officer = app.secretariat();
    let all = create(&app, &officer, "Secretariat", None).await;
    let all_path = str_at(&ok(&all, "createCalendarFeed"), "/createCalendarFeed/path");
    let seen = entries(&app, &all_path, None).await;
    assert_eq!(
        seen.len(),
        3 + 3 + 3,
        "three events, six due dates: {seen:?}"
    );
    assert!(seen.contains(&(
        "Workshop".to_owned(),
        "20240510".to_owned(),
        "CANCELLED".to_owned()
    )));
    assert!(
        !seen
            .iter()
            .any(|(s, ..)| s.starts_with("Due:") && s.contains("Workshop"))
    );

    // The bearer form: a delegate's own state by default, another on asking.
    let mine = entries(&app, "/calendar/me.ics", Some(&delegate)).await;
    assert_eq!(mine.len(), 6, "{mine:?}");
    let chinese = entries(&app, "/calendar/me.ics?memberState=CHN", Some(&delegate)).await;
    let dues: Vec<&String> = chinese
        .iter()
        .filter(|(s, ..)| s.starts_with("Due:"))
        .map(|(s, ..)| s)
        .collect();
    assert!(
        !dues.is_empty()
            && dues
                .iter()
                .all(|s| s.contains("youth") && s.contains("(CHN)")),
        "{chinese:?}"
    );
    assert_eq!(chinese.len(), 3 + dues.len(), "{chinese:?}");
    let (status, _, _) = get(&app, "/calendar/me.ics", None).await;
    assert_eq!(status, 401);
    let (status, _, body) = get(&app, "/calendar/me.ics?memberState=SCO", Some(&delegate)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BAD_USER_INPUT"), "{body}");

    // The token opens the feed and nothing else.
    let (status, ..) = get(&app, "/graphql?query=%7Bviewer%7Bsub%7D%7D", Some(&token)).await;
    assert_eq!(status, 401);
    // The token with its last digit changed.
    let last = if token.ends_with('0') { '1' } else { '0' };
    let altered = format!("{}{last}", &token[..token.len() - 1]);
    for wrong in [
        format!("/calendar/{token}"),
        format!("/calendar/{}.ics", token.to_uppercase()),
        format!("/calendar/{altered}.ics"),
        format!("/calendar/{token}.ics?memberState=CHN"),
        "/calendar/cal_.ics".to_owned(),
        "/calendar/..%2Fme.ics".to_owned(),
    ] {
        let (status, _, body) = get(&app, &wrong, None).await;
        assert_eq!(status, 404, "{wrong}: {body}");
    }

    // Bad input is refused and changes nothing.
    let audit_before = app.audit_entries().await;
    for (label, state, code) in [
        ("", Some("KAZ"), "BAD_USER_INPUT"),
        ("   ", None, "BAD_USER_INPUT"),
        ("two\nlines", None, "BAD_USER_INPUT"),
        (&"x".repeat(201)[..], None, "BAD_USER_INPUT"),
        ("other", Some("SCO"), "BAD_USER_INPUT"),
        ("other", Some("XXX"), "BAD_USER_INPUT"),
        ("other", Some("kaz!"), "BAD_USER_INPUT"),
    ] {
        let body = create(&app, &delegate, label, state).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some(code),
            "{label:?} {state:?}: {body}"
        );
    }
    for id in ["nope", "01890000-0000-7000-8000-000000000000"] {
        let body = app.gql(&delegate, REVOKE, json!({ "id": id })).await;
        assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    }
    // Another delegate cannot see or revoke the feed.
    let feed_id = str_at(&made, "/feed/id");
    let body = app
        .gql(&app.delegate("CHN"), REVOKE, json!({ "id": feed_id }))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    assert_eq!(app.audit_entries().await, audit_before);

    // Revoked by its owner, it stops answering; it is listed as revoked.
    let body = app.gql(&delegate, REVOKE, json!({ "id": feed_id })).await;
    assert!(ok(&body, "revokeCalendarFeed")["revokeCalendarFeed"]["revokedAt"].is_string());
    let (status, ..) = get(&app, &path, None).await;
    assert_eq!(status, 404);
    let body = app.gql(&delegate, REVOKE, json!({ "id": feed_id })).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("INVALID_TRANSITION"),
        "{body}"
    );
    let listed = app
        .gql(
            &delegate,
            "{ calendarFeeds { id label revokedAt } }",
            json!({}),
        )
        .await;
    let listed = ok(&listed, "calendarFeeds")["calendarFeeds"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert!(listed[0]["revokedAt"].is_string());
    assert_eq!(app.audit_entries().await, audit_before + 1);

    // The Secretariat revokes anyone's feed.
    let other = create(&app, &app.delegate("CHN"), "phone", Some("CHN")).await;
    let other = ok(&other, "createCalendarFeed")["createCalendarFeed"].clone();
    let body = app
        .gql(
            &officer,
            REVOKE,
            json!({ "id": str_at(&other, "/feed/id") }),
        )
        .await;
    ok(&body, "revokeCalendarFeed");
    let (status, ..) = get(&app, &str_at(&other, "/path"), None).await;
    assert_eq!(status, 404);
}

async fn permissions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // A feed to revoke, held by a KAZ delegate none of the cells is.
    let holder = app.token("delegate-kaz-2", "Another delegate", "KAZ", &["delegate"]);
    let target = create(&app, &holder, "target", None).await;
    let target = str_at(
        &ok(&target, "createCalendarFeed"),
        "/createCalendarFeed/feed/id",
    );
    let mut checked = 0;
    for (role, relation) in valid_pairs() {
        let token = app.person(role, org_in(relation));
        let made = create(&app, &token, "mine", None).await;
        let want = expected(role, Action::CreateCalendarFeed, None, relation);
        let revoke_want = expected(role, Action::RevokeCalendarFeed, None, relation);
        match want {
            Expect::Allowed => {
                let id = str_at(
                    &ok(&made, "createCalendarFeed"),
                    "/createCalendarFeed/feed/id",
                );
                assert_eq!(revoke_want, Expect::Allowed);
                let body = app.gql(&token, REVOKE, json!({ "id": id })).await;
                ok(&body, "revokeCalendarFeed");
            }
            _ => {
                assert_eq!(
                    error_code(&made).as_deref(),
                    Some("FORBIDDEN"),
                    "{role:?} as {relation:?}: {made}"
                );
                let body = app.gql(&token, REVOKE, json!({ "id": target })).await;
                assert_eq!(
                    error_code(&body).as_deref(),
                    Some("FORBIDDEN"),
                    "{role:?} as {relation:?}: {body}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 8, "{checked} cells");
    let listed = app
        .gql(&holder, "{ calendarFeeds { id revokedAt } }", json!({}))
        .await;
    let listed = ok(&listed, "calendarFeeds")["calendarFeeds"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(
        listed[0]["revokedAt"],
        Value::Null,
        "refusals revoked nothing"
    );
}
