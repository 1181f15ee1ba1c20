//! Meetings and decisions over HTTP: who may record them (generated from
//! the permission table), bad input, agendas under concurrency, decisions
//! by number, listings with filters and pagination, the drafts on agendas
//! and their visibility, and the audit entries each change writes.

use accord_domain::{DraftState, Role};
use accord_workflow::entity::audit_log;
use accord_workflow::permissions::{Action, Relation, valid_pairs};

use crate::oracle::{Expect, expected};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, all_at_once, error_code, ok, org_in, spawn_app, str_at};
use crate::on_both_backends;

on_both_backends!(lifecycle => meetings_agendas_and_decisions_are_recorded_and_audited_sqlite, meetings_agendas_and_decisions_are_recorded_and_audited_postgres);
on_both_backends!(permissions => only_the_secretariat_records_meetings_and_decisions_sqlite, only_the_secretariat_records_meetings_and_decisions_postgres);
on_both_backends!(bad_input => malformed_meeting_input_is_bad_user_input_and_changes_nothing_sqlite, malformed_meeting_input_is_bad_user_input_and_changes_nothing_postgres);
on_both_backends!(concurrent_adds => concurrent_agenda_additions_keep_positions_unique_and_gap_free_sqlite, concurrent_agenda_additions_keep_positions_unique_and_gap_free_postgres);
on_both_backends!(listings => meetings_and_decisions_are_filtered_and_paged_sqlite, meetings_and_decisions_are_filtered_and_paged_postgres);
on_both_backends!(agenda_drafts => agendas_show_draft_states_and_hide_drafts_the_viewer_may_not_see_sqlite, agendas_show_draft_states_and_hide_drafts_the_viewer_may_not_see_postgres);

const MEETING_FIELDS: &str = "id body bodyName(lang: RU) date session venue title(lang: EN)
    agenda { id position title(lang: EN) draftState draft { id state } }
    decisions { number }";
const DECISION_FIELDS: &str = "id number date body session revision title(lang: EN) text(lang: RU)
    meeting { id date session }
    approvals { kind title(lang: EN) draft { id state } }";

fn schedule_doc() -> String {
    format!(
        "mutation($input: ScheduleMeetingInput!) {{ scheduleMeeting(input: $input) {{ meeting {{ {MEETING_FIELDS} }} }} }}"
    )
}

fn add_doc() -> String {
    format!(
        "mutation($input: AddAgendaItemInput!) {{ addAgendaItem(input: $input) {{ meeting {{ {MEETING_FIELDS} }} }} }}"
    )
}

fn record_doc() -> String {
    format!(
        "mutation($input: RecordDecisionInput!) {{ recordDecision(input: $input) {{ decision {{ {DECISION_FIELDS} }} }} }}"
    )
}

fn en(text: &str) -> Value {
    json!([{ "lang": "EN", "text": text }])
}

/// Records a meeting as the Secretariat; the meeting.
async fn schedule(app: &TestApp, input: Value) -> Value {
    let body = app
        .gql(
            &app.secretariat(),
            &schedule_doc(),
            json!({ "input": input }),
        )
        .await;
    ok(&body, "scheduleMeeting")["scheduleMeeting"]["meeting"].clone()
}

/// Adds an agenda item as the Secretariat; the meeting.
async fn add_item(app: &TestApp, input: Value) -> Value {
    let body = app
        .gql(&app.secretariat(), &add_doc(), json!({ "input": input }))
        .await;
    ok(&body, "addAgendaItem")["addAgendaItem"]["meeting"].clone()
}

/// `meeting(id)` as `token`: the whole body.
async fn meeting(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(
        token,
        &format!("query($id: ID!) {{ meeting(id: $id) {{ {MEETING_FIELDS} }} }}"),
        json!({ "id": id }),
    )
    .await
}

/// The (position, title) of each agenda item of `meeting`.
fn agenda(meeting: &Value) -> Vec<(i64, String)> {
    meeting["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["position"].as_i64().unwrap(),
                item["title"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(&app.db().await)
        .await
        .unwrap()
}

async fn lifecycle(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let soc = schedule(
        &app,
        json!({ "body": "SOC", "date": "2023-12-12", "session": "2023-III", "title": en("Thirtieth meeting") }),
    )
    .await;
    assert_eq!(soc["session"], "2023-III");
    assert_eq!(soc["venue"], "Astana");
    assert_eq!(soc["bodyName"], "Комитет старших должностных лиц");
    let soc_id = str_at(&soc, "/id");

    add_item(
        &app,
        json!({ "meetingId": soc_id, "title": en("Plan of Implementation for 2024") }),
    )
    .await;
    let (draft_id, _) = app.draft_in_state(DraftState::Circulated).await;
    let with_draft = add_item(
        &app,
        json!({ "meetingId": soc_id, "draftId": draft_id, "position": 1 }),
    )
    .await;
    assert_eq!(with_draft["agenda"][0]["draftState"], "CIRCULATED");
    assert_eq!(with_draft["agenda"][1]["position"], 2);

    let edited = app
        .gql(
            &secretariat,
            "mutation($input: EditMeetingInput!) { editMeeting(input: $input) { meeting { venue title(lang: EN) } } }",
            json!({ "input": { "meetingId": soc_id, "venue": "Dushanbe" } }),
        )
        .await;
    let edited = ok(&edited, "editMeeting");
    assert_eq!(edited["editMeeting"]["meeting"]["venue"], "Dushanbe");
    assert_eq!(
        edited["editMeeting"]["meeting"]["title"],
        "Thirtieth meeting"
    );

    let recorded = app
        .gql(
            &secretariat,
            &record_doc(),
            json!({ "input": {
                "meetingId": soc_id,
                "number": "SOC/2023-III/DEC/2",
                "title": en("On the Plan of Implementation for 2024"),
                "text": [{ "lang": "EN", "text": "The SOC approves the Plan." }, { "lang": "RU", "text": "КСДЛ утверждает План." }],
                "approves": [
                    { "kind": "PLAN", "title": en("Plan of Implementation of CBMs for 2024") },
                    { "draftId": draft_id }
                ]
            }}),
        )
        .await;
    let decision = ok(&recorded, "recordDecision")["recordDecision"]["decision"].clone();
    assert_eq!(decision["number"], "SOC/2023-III/DEC/2");
    assert_eq!(decision["date"], "2023-12-12");
    assert_eq!(decision["session"], "2023-III");
    assert_eq!(decision["text"], "КСДЛ утверждает План.");
    assert_eq!(decision["meeting"]["id"], soc_id.as_str());
    assert_eq!(decision["approvals"][0]["kind"], "PLAN");
    assert_eq!(decision["approvals"][1]["draft"]["id"], draft_id.as_str());

    // The next number of the session is issued when none is given.
    let next = app
        .gql(
            &secretariat,
            &record_doc(),
            json!({ "input": { "meetingId": soc_id, "title": en("On the next item") } }),
        )
        .await;
    assert_eq!(
        ok(&next, "recordDecision")["recordDecision"]["decision"]["number"],
        "SOC/2023-III/DEC/3"
    );

    // By number, as a delegate; a malformed number; an unknown one.
    let lookup = format!("query($n: String!) {{ decision(number: $n) {{ {DECISION_FIELDS} }} }}");
    let found = app
        .gql(
            &app.delegate("KAZ"),
            &lookup,
            json!({ "n": "SOC/2023-III/DEC/2" }),
        )
        .await;
    assert_eq!(ok(&found, "decision")["decision"]["id"], decision["id"]);
    for (number, code) in [
        ("SOC/2023-3/DEC/2", "BAD_USER_INPUT"),
        ("SOC-2023-III-DEC-2", "BAD_USER_INPUT"),
        ("SOC/2023-III/DEC/99", "NOT_FOUND"),
    ] {
        let body = app.gql(&secretariat, &lookup, json!({ "n": number })).await;
        assert_eq!(error_code(&body).as_deref(), Some(code), "{number}: {body}");
    }
    let by_id = app
        .gql(
            &app.observer("JPN"),
            "query($id: ID!) { decision(id: $id) { number meeting { decisions { number } } } }",
            json!({ "id": decision["id"] }),
        )
        .await;
    assert_eq!(
        ok(&by_id, "decision")["decision"]["meeting"]["decisions"],
        json!([{ "number": "SOC/2023-III/DEC/2" }, { "number": "SOC/2023-III/DEC/3" }])
    );

    // Title and text are edited by revision; a stale revision is CONFLICT.
    let edit = "mutation($input: EditDecisionInput!) { editDecision(input: $input) { decision { revision title(lang: EN) text(lang: EN) } } }";
    let input = json!({ "decisionId": decision["id"], "revision": 1, "title": en("On the CBM Plan for 2024") });
    let body = app.gql(&secretariat, edit, json!({ "input": input })).await;
    let edited = ok(&body, "editDecision")["editDecision"]["decision"].clone();
    assert_eq!(
        edited,
        json!({ "revision": 2, "title": "On the CBM Plan for 2024", "text": null })
    );
    let body = app.gql(&secretariat, edit, json!({ "input": input })).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");

    // Every change wrote its audit entry.
    for (action, count) in [
        ("SCHEDULE_MEETING", 1),
        ("ADD_AGENDA_ITEM", 2),
        ("EDIT_MEETING", 1),
        ("RECORD_DECISION", 2),
        ("EDIT_DECISION", 1),
    ] {
        assert_eq!(audit_count(&app, action).await, count, "{action}");
    }
}

/// The request that performs meeting action `action`, given a meeting,
/// one of its agenda items and a decision to act on.
fn request(action: Action, meeting_id: &str, item_id: &str, decision_id: &str) -> (String, Value) {
    let doc = |name: &str, input: &str| {
        format!("mutation($input: {input}!) {{ {name}(input: $input) {{ __typename }} }}")
    };
    match action {
        Action::ScheduleMeeting => (
            doc("scheduleMeeting", "ScheduleMeetingInput"),
            json!({ "body": "MC", "date": "2031-05-05" }),
        ),
        Action::EditMeeting => (
            doc("editMeeting", "EditMeetingInput"),
            json!({ "meetingId": meeting_id, "venue": "Baku" }),
        ),
        Action::AddAgendaItem => (
            doc("addAgendaItem", "AddAgendaItemInput"),
            json!({ "meetingId": meeting_id, "title": en("Any other business") }),
        ),
        Action::MoveAgendaItem => (
            doc("moveAgendaItem", "MoveAgendaItemInput"),
            json!({ "itemId": item_id, "position": 2 }),
        ),
        Action::RemoveAgendaItem => (
            doc("removeAgendaItem", "RemoveAgendaItemInput"),
            json!({ "itemId": item_id }),
        ),
        Action::RecordDecision => (
            doc("recordDecision", "RecordDecisionInput"),
            json!({ "meetingId": meeting_id, "title": en("On anything") }),
        ),
        Action::EditDecision => (
            doc("editDecision", "EditDecisionInput"),
            json!({ "decisionId": decision_id, "revision": 1, "title": en("Changed") }),
        ),
        other => panic!("not a meeting action: {other:?}"),
    }
}

/// A meeting, a decision and the count of meetings, as the Secretariat
/// sees them.
async fn snapshot(app: &TestApp, soc_id: &str, decision_id: &str) -> (Value, Value, Value) {
    let token = app.secretariat();
    let meeting = meeting(app, &token, soc_id).await;
    let decision = app
        .gql(
            &token,
            &format!("query($id: ID!) {{ decision(id: $id) {{ {DECISION_FIELDS} }} }}"),
            json!({ "id": decision_id }),
        )
        .await;
    let meetings = app
        .gql(&token, "{ meetings { totalCount } }", json!({}))
        .await;
    (meeting, decision, meetings)
}

async fn permissions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let soc = schedule(&app, json!({ "body": "SOC", "date": "2030-03-03" })).await;
    let soc_id = str_at(&soc, "/id");
    add_item(&app, json!({ "meetingId": soc_id, "title": en("First") })).await;
    let with_two = add_item(&app, json!({ "meetingId": soc_id, "title": en("Second") })).await;
    let item_id = str_at(&with_two, "/agenda/0/id");
    let recorded = app
        .gql(
            &app.secretariat(),
            &record_doc(),
            json!({ "input": { "meetingId": soc_id, "title": en("On the first item") } }),
        )
        .await;
    let decision_id = str_at(
        &ok(&recorded, "recordDecision"),
        "/recordDecision/decision/id",
    );
    let before = snapshot(&app, &soc_id, &decision_id).await;
    let audit_before = app.audit_entries().await;

    let mut checked = 0;
    for (role, relation) in valid_pairs() {
        let token = app.person(role, org_in(relation));
        for action in Action::ON_MEETINGS {
            let want = expected(role, action, None, relation);
            if want == Expect::Allowed {
                continue;
            }
            assert_eq!(want, Expect::Forbidden, "{role:?} {relation:?} {action:?}");
            let (doc, input) = request(action, &soc_id, &item_id, &decision_id);
            let body = app.gql(&token, &doc, json!({ "input": input })).await;
            assert_eq!(
                error_code(&body).as_deref(),
                Some("FORBIDDEN"),
                "{role:?} as {relation:?}: {action:?}: {body}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked} refusals checked");
    assert_eq!(
        snapshot(&app, &soc_id, &decision_id).await,
        before,
        "a refused mutation changed something"
    );
    assert_eq!(app.audit_entries().await, audit_before);

    // The Secretariat may do each of them.
    for action in Action::ON_MEETINGS {
        assert_eq!(
            expected(Role::Secretariat, action, None, Relation::HomeSecretariat),
            Expect::Allowed
        );
        let (doc, input) = request(action, &soc_id, &item_id, &decision_id);
        let body = app
            .gql(&app.secretariat(), &doc, json!({ "input": input }))
            .await;
        ok(&body, action.as_str());
    }
}

async fn bad_input(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let swg = schedule(&app, json!({ "body": "SWG", "date": "2030-06-25" })).await;
    let swg_id = str_at(&swg, "/id");
    add_item(
        &app,
        json!({ "meetingId": swg_id, "title": en("Only item") }),
    )
    .await;
    let before = meeting(&app, &secretariat, &swg_id).await;
    let audit_before = app.audit_entries().await;
    let cases: Vec<(String, Value, &str)> = vec![
        (
            schedule_doc(),
            json!({ "body": "UNGA", "date": "2030-01-01" }),
            "BAD_USER_INPUT",
        ),
        (
            schedule_doc(),
            json!({ "body": "SWG", "date": "2030-06-25" }),
            "BAD_USER_INPUT",
        ),
        (
            schedule_doc(),
            json!({ "body": "SOC", "date": "2030-01-01", "session": "2029-I" }),
            "BAD_USER_INPUT",
        ),
        (
            schedule_doc(),
            json!({ "body": "SOC", "date": "2030-01-01", "session": "2030-4" }),
            "BAD_USER_INPUT",
        ),
        (
            schedule_doc(),
            json!({ "body": "SOC", "date": "2030-01-01", "venue": "  " }),
            "BAD_USER_INPUT",
        ),
        (
            add_doc(),
            json!({ "meetingId": swg_id, "title": en("Too far"), "position": 3 }),
            "BAD_USER_INPUT",
        ),
        (
            add_doc(),
            json!({ "meetingId": swg_id, "title": en("Top"), "position": 0 }),
            "BAD_USER_INPUT",
        ),
        (add_doc(), json!({ "meetingId": swg_id }), "BAD_USER_INPUT"),
        (
            add_doc(),
            json!({ "meetingId": swg_id, "draftId": uuid::Uuid::now_v7().to_string() }),
            "BAD_USER_INPUT",
        ),
        (
            add_doc(),
            json!({ "meetingId": uuid::Uuid::now_v7().to_string(), "title": en("Lost") }),
            "NOT_FOUND",
        ),
        (
            add_doc(),
            json!({ "meetingId": "not-an-id", "title": en("Lost") }),
            "NOT_FOUND",
        ),
        (
            record_doc(),
            json!({ "meetingId": swg_id, "title": en("The SWG decides nothing") }),
            "BAD_USER_INPUT",
        ),
        (
            record_doc(),
            json!({ "meetingId": swg_id, "number": "SOC/2030/DEC/1", "title": en("Malformed") }),
            "BAD_USER_INPUT",
        ),
        (
            record_doc(),
            json!({ "meetingId": swg_id, "title": en("x"), "approves": [{ "kind": "PLAN" }] }),
            "BAD_USER_INPUT",
        ),
    ];
    for (doc, input, code) in cases {
        let body = app.gql(&secretariat, &doc, json!({ "input": input })).await;
        assert_eq!(error_code(&body).as_deref(), Some(code), "{input}: {body}");
    }
    for query in [
        "{ meetings(first: 0) { totalCount } }",
        "{ meetings(first: 101) { totalCount } }",
        "{ meetings(after: \"nope\") { totalCount } }",
        "{ meetings(filter: { from: \"2030-02-01\", to: \"2030-01-01\" }) { totalCount } }",
        "{ meetings(filter: { body: \"UNGA\" }) { totalCount } }",
        "{ decisions(filter: { session: \"2030\" }) { totalCount } }",
        "{ decision { number } }",
    ] {
        let body = app.gql(&secretariat, query, json!({})).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{query}: {body}"
        );
    }
    assert_eq!(meeting(&app, &secretariat, &swg_id).await, before);
    assert_eq!(
        app.audit_entries().await,
        audit_before,
        "a refusal wrote to the audit log"
    );
}

async fn concurrent_adds(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = std::sync::Arc::new(app);
    let soc = schedule(&app, json!({ "body": "SOC", "date": "2030-11-11" })).await;
    let soc_id = str_at(&soc, "/id");
    let futures = (0..12)
        .map(|n| {
            let app = std::sync::Arc::clone(&app);
            let soc_id = soc_id.clone();
            // Half at the end, half at the top: every insertion renumbers.
            let position = if n % 2 == 0 { Value::Null } else { json!(1) };
            async move {
                let body = app
                    .gql(
                        &app.secretariat(),
                        &add_doc(),
                        json!({ "input": { "meetingId": soc_id, "title": en(&format!("Item {n}")), "position": position } }),
                    )
                    .await;
                ok(&body, "addAgendaItem");
            }
        })
        .collect();
    all_at_once(futures).await;
    let seen = meeting(&app, &app.secretariat(), &soc_id).await;
    let items = agenda(&ok(&seen, "meeting")["meeting"]);
    let positions: Vec<i64> = items.iter().map(|(p, _)| *p).collect();
    assert_eq!(positions, (1..=12).collect::<Vec<_>>());
    let mut titles: Vec<String> = items.into_iter().map(|(_, t)| t).collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 12, "an addition was lost or doubled");
    let db = app.db().await;
    let stored: Vec<i64> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT position FROM meeting_agenda WHERE meeting_id = '{soc_id}' ORDER BY position"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| i64::from(row.try_get::<i32>("", "position").unwrap()))
        .collect();
    assert_eq!(stored, (1..=12).collect::<Vec<_>>());
}

async fn listings(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let dates = [
        ("SOC", "2028-03-01"),
        ("SOC", "2028-06-01"),
        ("SOC", "2028-12-01"),
        ("SWG", "2028-05-30"),
        ("MC", "2028-10-10"),
        ("SOC", "2029-03-01"),
    ];
    let mut ids = Vec::new();
    for (body, date) in dates {
        ids.push(str_at(
            &schedule(&app, json!({ "body": body, "date": date })).await,
            "/id",
        ));
    }
    let list = "query($filter: MeetingFilter, $first: Int, $after: String) {
        meetings(filter: $filter, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { date body session } } }";
    let dates_of = |data: &Value| -> Vec<String> {
        data["meetings"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| str_at(n, "/date"))
            .collect()
    };
    let soc_2028 = app
        .gql(
            &secretariat,
            list,
            json!({ "filter": { "body": "SOC", "year": 2028 } }),
        )
        .await;
    assert_eq!(
        dates_of(&ok(&soc_2028, "meetings")),
        ["2028-12-01", "2028-06-01", "2028-03-01"]
    );
    assert_eq!(
        soc_2028["data"]["meetings"]["nodes"][0]["session"],
        "2028-III"
    );
    let window = app
        .gql(
            &app.delegate("KAZ"),
            list,
            json!({ "filter": { "from": "2028-05-30", "to": "2028-10-10" } }),
        )
        .await;
    assert_eq!(
        dates_of(&ok(&window, "meetings")),
        ["2028-10-10", "2028-06-01", "2028-05-30"]
    );

    // Every meeting, two at a time, newest first, each exactly once.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .gql(&secretariat, list, json!({ "first": 2, "after": after }))
            .await;
        let page = ok(&page, "meetings")["meetings"].clone();
        assert_eq!(page["totalCount"], 6);
        seen.extend(
            page["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| str_at(n, "/date")),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 6);

    // Decisions: by year, by session, by approved draft, and paged.
    let (draft_id, _) = app.draft_in_state(DraftState::Circulated).await;
    for (meeting, approves) in [(0, false), (1, true), (1, false), (5, false)] {
        let mut input = json!({ "meetingId": ids[meeting], "title": en("A decision") });
        if approves {
            input["approves"] = json!([{ "draftId": draft_id }]);
        }
        let body = app
            .gql(&secretariat, &record_doc(), json!({ "input": input }))
            .await;
        ok(&body, "recordDecision");
    }
    let decisions = "query($filter: DecisionFilter, $first: Int, $after: String) {
        decisions(filter: $filter, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { number } } }";
    let numbers = |body: &Value| -> Vec<String> {
        ok(body, "decisions")["decisions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| str_at(n, "/number"))
            .collect()
    };
    let in_2028 = app
        .gql(
            &secretariat,
            decisions,
            json!({ "filter": { "year": 2028 } }),
        )
        .await;
    assert_eq!(numbers(&in_2028).len(), 3);
    let session = app
        .gql(
            &secretariat,
            decisions,
            json!({ "filter": { "session": "2028-II" } }),
        )
        .await;
    assert_eq!(
        numbers(&session),
        ["SOC/2028-II/DEC/2", "SOC/2028-II/DEC/1"]
    );
    let approving = app
        .gql(
            &app.delegate("KAZ"),
            decisions,
            json!({ "filter": { "approvesDraft": draft_id } }),
        )
        .await;
    assert_eq!(numbers(&approving), ["SOC/2028-II/DEC/1"]);
    let first = app
        .gql(&secretariat, decisions, json!({ "first": 3 }))
        .await;
    let first_page = ok(&first, "decisions")["decisions"].clone();
    assert_eq!(first_page["totalCount"], 4);
    assert_eq!(first_page["pageInfo"]["hasNextPage"], true);
    assert_eq!(numbers(&first)[0], "SOC/2029-I/DEC/1");
    let rest = app
        .gql(
            &secretariat,
            decisions,
            json!({ "first": 3, "after": first_page["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(numbers(&rest), ["SOC/2028-I/DEC/1"]);
}

async fn agenda_drafts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    // Opening SWG discussion creates the meeting and puts the draft on it.
    let (discussed, _) = app.draft_in_state(DraftState::SwgDiscussion).await;
    let listed = app
        .gql(
            &secretariat,
            &format!(
                "{{ meetings(filter: {{ body: \"SWG\" }}) {{ nodes {{ {MEETING_FIELDS} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let swg = ok(&listed, "meetings")["meetings"]["nodes"][0].clone();
    let swg_id = str_at(&swg, "/id");
    assert_eq!(swg["agenda"][0]["draft"]["id"], discussed.as_str());
    assert_eq!(swg["agenda"][0]["draftState"], "SWG_DISCUSSION");

    // An internal draft on the same agenda, between two plain items.
    let (internal, _) = app.create_draft(&["CICA", "SCO"]).await;
    add_item(&app, json!({ "meetingId": swg_id, "draftId": internal })).await;
    add_item(
        &app,
        json!({ "meetingId": swg_id, "title": en("Any other business") }),
    )
    .await;
    let full = meeting(&app, &secretariat, &swg_id).await;
    assert_eq!(agenda(&ok(&full, "meeting")["meeting"]).len(), 3);
    let party = meeting(&app, &app.counterpart("SCO"), &swg_id).await;
    assert_eq!(agenda(&ok(&party, "meeting")["meeting"]).len(), 3);
    for token in [app.delegate("KAZ"), app.observer("JPN")] {
        let seen = meeting(&app, &token, &swg_id).await;
        let seen = ok(&seen, "meeting")["meeting"].clone();
        assert_eq!(
            seen["agenda"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["position"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            [1, 2],
            "{seen}"
        );
        assert_eq!(seen["agenda"][1]["title"], "Any other business");
        assert!(
            !seen.to_string().contains(&internal),
            "the internal draft leaked: {seen}"
        );
    }

    // The SOC's agreement: the decision approves the draft and sits on
    // the SOC meeting, whose agenda carries the draft.
    app.advance(
        &discussed,
        DraftState::SwgDiscussion,
        DraftState::SocAgreed,
        &["CICA", "SCO"],
    )
    .await;
    let seen = app.draft(&app.delegate("KAZ"), &discussed).await;
    assert_eq!(seen["state"], "SOC_AGREED");
    let number = str_at(&seen, "/decision/number");
    assert_eq!(seen["meetings"].as_array().unwrap().len(), 2, "{seen}");
    let lookup = format!("query($n: String!) {{ decision(number: $n) {{ {DECISION_FIELDS} }} }}");
    let decision = app
        .gql(&app.delegate("KAZ"), &lookup, json!({ "n": number }))
        .await;
    let decision = ok(&decision, "decision")["decision"].clone();
    assert_eq!(
        decision["approvals"].as_array().unwrap().len(),
        1,
        "{decision}"
    );
    assert_eq!(decision["approvals"][0]["kind"], "DRAFT");
    assert_eq!(
        decision["approvals"][0]["draft"],
        json!({ "id": discussed, "state": "SOC_AGREED" })
    );
    assert_eq!(decision["title"], Value::Null, "set later by editDecision");
    let soc = meeting(&app, &secretariat, &str_at(&decision, "/meeting/id")).await;
    let soc = ok(&soc, "meeting")["meeting"].clone();
    assert_eq!(soc["agenda"][0]["draftState"], "SOC_AGREED");
    assert_eq!(soc["decisions"][0]["number"], number.as_str());
    let by_draft = app
        .gql(
            &secretariat,
            "query($d: ID!) { decisions(filter: { approvesDraft: $d }) { nodes { number } } }",
            json!({ "d": discussed }),
        )
        .await;
    assert_eq!(
        ok(&by_draft, "decisions")["decisions"]["nodes"][0]["number"],
        number.as_str()
    );
}
