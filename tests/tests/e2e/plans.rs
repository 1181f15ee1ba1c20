//! Plans of Implementation over HTTP: due dates under a rule change and a
//! moved event, statuses across the due date, who may do what (generated
//! from the permission table), bad input, concurrent submissions, and the
//! reminder note for February 2024.

use accord_workflow::entity::submission;
use accord_workflow::permissions::{Action, Relation, valid_pairs};

use crate::oracle::{Expect, expected_on_plan};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::files::{PDF, one_file, post_multipart};
use crate::helpers::{Backend, TestApp, all_at_once, error_code, ok, org_in, spawn_app, str_at};
use crate::on_both_backends;

on_both_backends!(deadlines => a_rule_change_and_a_moved_event_give_the_right_due_dates_and_statuses_sqlite, a_rule_change_and_a_moved_event_give_the_right_due_dates_and_statuses_postgres);
on_both_backends!(permissions => plan_permissions_follow_the_table_sqlite, plan_permissions_follow_the_table_postgres);
on_both_backends!(bad_input => malformed_plan_input_is_refused_and_changes_nothing_sqlite, malformed_plan_input_is_refused_and_changes_nothing_postgres);
on_both_backends!(concurrent_submissions => concurrent_submissions_get_distinct_revisions_sqlite, concurrent_submissions_get_distinct_revisions_postgres);
on_both_backends!(attached_upload => an_organisers_upload_is_attached_and_every_state_downloads_it_sqlite, an_organisers_upload_is_attached_and_every_state_downloads_it_postgres);
on_both_backends!(cancelled_as_of => a_cancelled_event_counts_as_of_the_days_before_its_cancellation_sqlite, a_cancelled_event_counts_as_of_the_days_before_its_cancellation_postgres);
on_both_backends!(reminder => the_february_2024_reminder_lists_the_events_and_missing_documents_sqlite, the_february_2024_reminder_lists_the_events_and_missing_documents_postgres);

const EVENT_FIELDS: &str = "id position organisers startDate endDate venue notes status
    documents(asOf: \"2024-01-01\") { kind dueOn status ruleId }
    submissions { kind revision receivedOn }
    changes { kind reason }";

pub(crate) fn en(text: &str) -> Value {
    json!([{ "lang": "EN", "text": text }])
}

async fn mutate(app: &TestApp, token: &str, field: &str, input_type: &str, input: Value) -> Value {
    let doc = format!(
        "mutation($input: {input_type}!) {{ {field}(input: $input) {{ event {{ {EVENT_FIELDS} }} }} }}"
    );
    app.gql(token, &doc, json!({ "input": input })).await
}

pub(crate) async fn create_plan(app: &TestApp, year: i32) -> String {
    let body = app
        .gql(
            &app.secretariat(),
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id year } } }",
            json!({ "input": { "year": year, "title": en(&format!("Plan of Implementation for {year}")) } }),
        )
        .await;
    str_at(&ok(&body, "createPlan"), "/createPlan/plan/id")
}

pub(crate) async fn add_event(
    app: &TestApp,
    plan: &str,
    title: &str,
    orgs: &[&str],
    start: &str,
    end: &str,
) -> Value {
    add_event_titled(app, plan, en(title), orgs, start, end).await
}

/// [`add_event`] with its title in several languages (`[{lang, text}]`).
pub(crate) async fn add_event_titled(
    app: &TestApp,
    plan: &str,
    titles: Value,
    orgs: &[&str],
    start: &str,
    end: &str,
) -> Value {
    let body = mutate(
        app,
        &app.secretariat(),
        "addEvent",
        "AddEventInput",
        json!({ "planId": plan, "title": titles, "organisers": orgs, "startDate": start, "endDate": end }),
    )
    .await;
    ok(&body, "addEvent")["addEvent"]["event"].clone()
}

/// A title in English and Russian.
fn en_ru(en: &str, ru: &str) -> Value {
    json!([{ "lang": "EN", "text": en }, { "lang": "RU", "text": ru }])
}

/// The plan of 2024 with February's two events, as in SOC/19: a seminar
/// organised by Kazakhstan on 20–21 February and a conference by China on
/// 27 February. Returns the plan's id and the seminar.
pub(crate) async fn february_2024(app: &TestApp) -> (String, Value) {
    let plan = create_plan(app, 2024).await;
    let kaz = add_event_titled(
        app,
        &plan,
        en_ru(
            "Seminar on energy security",
            "Семинар по энергетической безопасности",
        ),
        &["KAZ"],
        "2024-02-20",
        "2024-02-21",
    )
    .await;
    add_event_titled(
        app,
        &plan,
        en_ru("Conference on youth", "Конференция по делам молодежи"),
        &["CHN"],
        "2024-02-27",
        "2024-02-27",
    )
    .await;
    (plan, kaz)
}

/// Records, as `token`, the `kind` document of `event` received `on`.
pub(crate) async fn record_submission(
    app: &TestApp,
    token: &str,
    event: &str,
    kind: &str,
    on: &str,
) {
    let body = app
        .gql(
            token,
            "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { submissionId } }",
            json!({ "input": { "eventId": event, "kind": kind, "receivedOn": on } }),
        )
        .await;
    ok(&body, "recordSubmission");
}

fn due(event: &Value, kind: &str) -> String {
    event["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .map(|d| d["dueOn"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {kind} in {event}"))
}

async fn status_on(app: &TestApp, event: &str, kind: &str, day: &str) -> String {
    let body = app
        .gql(
            &app.secretariat(),
            "query($e: ID!, $d: Date!) { dueDocuments(filter: { event: $e, status: [NOT_YET_DUE, DUE_SOON, SUBMITTED_ON_TIME, SUBMITTED_LATE, OVERDUE] }, asOf: $d) { document { kind status } } }",
            json!({ "e": event, "d": day }),
        )
        .await;
    ok(&body, "dueDocuments")["dueDocuments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"]["kind"] == kind)
        .map(|d| d["document"]["status"].as_str().unwrap().to_owned())
        .unwrap()
}

async fn deadlines(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let plan = create_plan(&app, 2024).await;
    let a = add_event(
        &app,
        &plan,
        "Seminar A",
        &["KAZ"],
        "2024-04-15",
        "2024-04-17",
    )
    .await;
    let a_id = str_at(&a, "/id");
    assert_eq!(due(&a, "CONCEPT_PAPER"), "2024-02-15");
    assert_eq!(due(&a, "TENTATIVE_PROGRAMME"), "2024-03-01");
    assert_eq!(
        due(&a, "POST_EVENT_REPORT"),
        "2024-05-17",
        "30 days after the end"
    );

    // A later decision: concept papers 90 days before, from 1 January 2025.
    let adopted = app
        .gql(
            &app.secretariat(),
            "mutation($input: AdoptSubmissionRuleInput!) { adoptSubmissionRule(input: $input) { rule { id offsetDays inForceFrom } } }",
            json!({ "input": { "kind": "CONCEPT_PAPER", "anchor": "START", "offsetDays": -90, "inForceFrom": "2025-01-01", "adoptedOn": "2025-01-01" } }),
        )
        .await;
    ok(&adopted, "adoptSubmissionRule");

    // A new event takes the new rule; the old one keeps its own.
    let b = add_event(
        &app,
        &plan,
        "Seminar B",
        &["CHN"],
        "2024-04-15",
        "2024-04-15",
    )
    .await;
    assert_eq!(due(&b, "CONCEPT_PAPER"), "2024-01-16");
    // Moving keeps the rule the due date came from, and records why.
    let moved = mutate(
        &app,
        &app.secretariat(),
        "moveEvent",
        "MoveEventInput",
        json!({ "eventId": a_id, "startDate": "2024-05-15", "endDate": "2024-05-16", "reason": "the host asked" }),
    )
    .await;
    let moved = ok(&moved, "moveEvent")["moveEvent"]["event"].clone();
    assert_eq!(due(&moved, "CONCEPT_PAPER"), "2024-03-16");
    assert_eq!(due(&moved, "TENTATIVE_PROGRAMME"), "2024-03-31");
    assert_eq!(due(&moved, "POST_EVENT_REPORT"), "2024-06-15");
    assert_eq!(moved["changes"][0]["kind"], "MOVED");
    assert_eq!(moved["changes"][0]["reason"], "the host asked");
    // Re-basing takes the rule in force today.
    let rebased = mutate(
        &app,
        &app.secretariat(),
        "rebaseEvent",
        "RebaseEventInput",
        json!({ "eventId": a_id, "reason": "new Guidelines" }),
    )
    .await;
    let rebased = ok(&rebased, "rebaseEvent")["rebaseEvent"]["event"].clone();
    assert_eq!(due(&rebased, "CONCEPT_PAPER"), "2024-02-15");
    assert_eq!(due(&rebased, "TENTATIVE_PROGRAMME"), "2024-03-31");

    // Statuses across the due date of the tentative programme (31 March 2024).
    for (day, want) in [
        ("2024-03-16", "NOT_YET_DUE"),
        ("2024-03-17", "DUE_SOON"),
        ("2024-03-31", "DUE_SOON"),
        ("2024-04-01", "OVERDUE"),
    ] {
        assert_eq!(
            status_on(&app, &a_id, "TENTATIVE_PROGRAMME", day).await,
            want,
            "{day}"
        );
    }
    // Received on the due date: on time; the day after: late.
    for (kind, day) in [
        ("TENTATIVE_PROGRAMME", "2024-03-31"),
        ("CONCEPT_PAPER", "2024-02-16"),
    ] {
        let body = app
            .gql(
                &app.delegate("KAZ"),
                "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { submissionId } }",
                json!({ "input": { "eventId": a_id, "kind": kind, "receivedOn": day } }),
            )
            .await;
        ok(&body, "recordSubmission");
    }
    assert_eq!(
        status_on(&app, &a_id, "TENTATIVE_PROGRAMME", "2024-06-01").await,
        "SUBMITTED_ON_TIME"
    );
    assert_eq!(
        status_on(&app, &a_id, "CONCEPT_PAPER", "2024-06-01").await,
        "SUBMITTED_LATE"
    );
    // As of a day before it was received, a document was not received.
    assert_eq!(
        status_on(&app, &a_id, "CONCEPT_PAPER", "2024-02-16").await,
        "SUBMITTED_LATE"
    );
    assert_eq!(
        status_on(&app, &a_id, "CONCEPT_PAPER", "2024-02-15").await,
        "DUE_SOON"
    );
    assert_eq!(
        status_on(&app, &a_id, "TENTATIVE_PROGRAMME", "2024-03-30").await,
        "DUE_SOON"
    );
    // Postponing moves the dates too; the compliance counts every state.
    let postponed = mutate(
        &app,
        &app.secretariat(),
        "setEventStatus",
        "SetEventStatusInput",
        json!({ "eventId": str_at(&b, "/id"), "status": "POSTPONED", "startDate": "2024-06-15", "endDate": "2024-06-15" }),
    )
    .await;
    let postponed = ok(&postponed, "setEventStatus")["setEventStatus"]["event"].clone();
    assert_eq!(postponed["status"], "POSTPONED");
    assert_eq!(due(&postponed, "CONCEPT_PAPER"), "2024-03-17");
    let compliance = app
        .gql(
            &app.observer("JPN"),
            "{ plansTimeZone planCompliance(year: 2024, asOf: \"2024-07-31\") { total { onTime late missing pending } byState { state tally { onTime late missing } } } }",
            json!({}),
        )
        .await;
    let compliance = ok(&compliance, "planCompliance");
    assert_eq!(compliance["plansTimeZone"], "Asia/Almaty, UTC+05:00");
    assert_eq!(
        compliance["planCompliance"]["total"],
        json!({ "onTime": 1, "late": 1, "missing": 4, "pending": 0 })
    );
}

/// As [`org_in`], but a member state that does not organise the event
/// (KAZ does) is CHN.
fn org_of(relation: Relation, organiser: bool) -> &'static str {
    match relation {
        Relation::MemberState if !organiser => "CHN",
        relation => org_in(relation),
    }
}

/// A valid request for `action`: (field, input type, input).
fn request(action: Action, plan: &str, event: &str) -> (&'static str, &'static str, Value) {
    match action {
        Action::CreatePlan => (
            "createPlan",
            "CreatePlanInput",
            json!({ "year": 2031, "title": en("Plan 2031") }),
        ),
        Action::EditPlan => (
            "editPlan",
            "EditPlanInput",
            json!({ "planId": plan, "title": en("Renamed") }),
        ),
        Action::AddEvent => (
            "addEvent",
            "AddEventInput",
            json!({ "planId": plan, "title": en("More"), "organisers": ["IND"], "startDate": "2030-09-01", "endDate": "2030-09-02" }),
        ),
        Action::EditEvent => (
            "editEvent",
            "EditEventInput",
            json!({ "eventId": event, "venue": "Almaty", "notes": "Hotel list attached" }),
        ),
        Action::MoveEvent => (
            "moveEvent",
            "MoveEventInput",
            json!({ "eventId": event, "startDate": "2030-06-03", "endDate": "2030-06-04", "reason": "venue" }),
        ),
        Action::RebaseEvent => (
            "rebaseEvent",
            "RebaseEventInput",
            json!({ "eventId": event, "reason": "new rules" }),
        ),
        Action::SetEventStatus => (
            "setEventStatus",
            "SetEventStatusInput",
            json!({ "eventId": event, "status": "HELD" }),
        ),
        Action::AdoptSubmissionRule => (
            "adoptSubmissionRule",
            "AdoptSubmissionRuleInput",
            json!({ "kind": "POST_EVENT_REPORT", "anchor": "END", "offsetDays": 20, "inForceFrom": "2025-02-01", "adoptedOn": "2025-01-15" }),
        ),
        Action::RecordSubmission => (
            "recordSubmission",
            "RecordSubmissionInput",
            json!({ "eventId": event, "kind": "CONCEPT_PAPER" }),
        ),
        Action::DraftReminder => (
            "draftReminder",
            "PeriodInput",
            json!({ "from": "2030-06-01", "to": "2030-06-30" }),
        ),
        other => panic!("{other:?} is not a plan action"),
    }
}

async fn attempt(app: &TestApp, token: &str, action: Action, plan: &str, event: &str) -> Value {
    let (field, input_type, input) = request(action, plan, event);
    let (arg, selection) = if action == Action::DraftReminder {
        ("period", "note { id }")
    } else if action == Action::RecordSubmission {
        ("input", "submissionId")
    } else if action == Action::AdoptSubmissionRule {
        ("input", "rule { id }")
    } else if matches!(action, Action::CreatePlan | Action::EditPlan) {
        ("input", "plan { id }")
    } else {
        ("input", "event { id }")
    };
    let doc = format!("mutation($v: {input_type}!) {{ {field}({arg}: $v) {{ {selection} }} }}");
    app.gql(token, &doc, json!({ "v": input })).await
}

async fn snapshot(app: &TestApp, event: &str) -> Value {
    let body = app
        .gql(
            &app.secretariat(),
            &format!("query($id: ID!) {{ plans {{ year title }} submissionRules {{ id }} event(id: $id) {{ {EVENT_FIELDS} }} }}"),
            json!({ "id": event }),
        )
        .await;
    ok(&body, "snapshot").clone()
}

/// A plan of 2030 with one workshop organised by Kazakhstan on 1–2 June:
/// the plan's id and the workshop's.
async fn workshop_2030(app: &TestApp) -> (String, String) {
    let plan = create_plan(app, 2030).await;
    let event = add_event(app, &plan, "Workshop", &["KAZ"], "2030-06-01", "2030-06-02").await;
    (plan, str_at(&event, "/id"))
}

async fn permissions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (plan, event_id) = workshop_2030(&app).await;
    let before = snapshot(&app, &event_id).await;
    let audit_before = app.audit_entries().await;
    let mut refused = 0;
    let mut allowed = Vec::new();
    for (role, relation) in valid_pairs() {
        for organiser in [false, true] {
            if organiser && relation != Relation::MemberState {
                continue;
            }
            let token = app.person(role, org_of(relation, organiser));
            for action in Action::ON_PLANS {
                let want = expected_on_plan(role, action, relation, organiser);
                if want == Expect::Allowed {
                    allowed.push((token.clone(), action));
                    continue;
                }
                let body = attempt(&app, &token, action, &plan, &event_id).await;
                assert_eq!(
                    error_code(&body).as_deref(),
                    Some("FORBIDDEN"),
                    "{role:?} as {relation:?} (organiser {organiser}): {action:?}: {body}"
                );
                refused += 1;
            }
        }
    }
    assert!(refused >= 60, "{refused} refusals checked");
    assert_eq!(
        snapshot(&app, &event_id).await,
        before,
        "a refused mutation changed something"
    );
    assert_eq!(app.audit_entries().await, audit_before);
    // Every allowed cell succeeds (the Secretariat's last, as it holds the event).
    allowed.sort_by_key(|(_, action)| *action == Action::SetEventStatus);
    for (token, action) in allowed {
        let body = attempt(&app, &token, action, &plan, &event_id).await;
        if action == Action::CreatePlan || action == Action::AdoptSubmissionRule {
            // Done once: a second plan for 2031 or rule from the same day is bad input.
            if error_code(&body).as_deref() == Some("BAD_USER_INPUT") {
                continue;
            }
        }
        ok(&body, action.as_str());
    }
}

async fn bad_input(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (plan, event_id) = workshop_2030(&app).await;
    let before = snapshot(&app, &event_id).await;
    let audit_before = app.audit_entries().await;
    let s = app.secretariat();
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "addEvent",
            "AddEventInput",
            json!({ "planId": plan, "title": en("X"), "organisers": ["KAZ"], "startDate": "2030-06-02", "endDate": "2030-06-01" }),
            "BAD_USER_INPUT",
        ),
        (
            "addEvent",
            "AddEventInput",
            json!({ "planId": plan, "title": en("X"), "organisers": ["JPN"], "startDate": "2030-06-01", "endDate": "2030-06-01" }),
            "BAD_USER_INPUT",
        ),
        (
            "addEvent",
            "AddEventInput",
            json!({ "planId": plan, "title": en("X"), "organisers": [], "startDate": "2030-06-01", "endDate": "2030-06-01" }),
            "BAD_USER_INPUT",
        ),
        (
            "moveEvent",
            "MoveEventInput",
            json!({ "eventId": event_id, "startDate": "2030-06-01", "endDate": "2030-06-01", "reason": "  " }),
            "BAD_USER_INPUT",
        ),
        (
            "moveEvent",
            "MoveEventInput",
            json!({ "eventId": "00000000-0000-7000-8000-000000000000", "startDate": "2030-06-01", "endDate": "2030-06-01", "reason": "r" }),
            "NOT_FOUND",
        ),
        (
            "setEventStatus",
            "SetEventStatusInput",
            json!({ "eventId": event_id, "status": "POSTPONED" }),
            "BAD_USER_INPUT",
        ),
        (
            "setEventStatus",
            "SetEventStatusInput",
            json!({ "eventId": event_id, "status": "PLANNED" }),
            "BAD_USER_INPUT",
        ),
    ];
    for (field, input_type, input, code) in cases {
        let body = mutate(&app, &s, field, input_type, input.clone()).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some(code),
            "{field} {input}: {body}"
        );
    }
    for (input, code) in [
        (
            json!({ "eventId": event_id, "kind": "CONCEPT_PAPER", "uploadId": "00000000-0000-0000-0000-000000000000" }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "eventId": event_id, "kind": "CONCEPT_PAPER", "receivedOn": "2999-01-01" }),
            "BAD_USER_INPUT",
        ),
    ] {
        let body = app
            .gql(&s, "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { submissionId } }", json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body).as_deref(), Some(code), "{body}");
    }
    let body = app
        .gql(&s, "mutation($input: AdoptSubmissionRuleInput!) { adoptSubmissionRule(input: $input) { rule { id } } }",
            json!({ "input": { "kind": "CONCEPT_PAPER", "anchor": "START", "offsetDays": -400, "inForceFrom": "2025-01-01", "adoptedOn": "2025-01-01" } }))
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let body = app
        .gql(&s, "{ dueDocuments(filter: { from: \"2030-02-01\", to: \"2030-01-01\" }) { document { kind } } }", json!({}))
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    assert_eq!(
        snapshot(&app, &event_id).await,
        before,
        "a refused mutation changed something"
    );
    assert_eq!(app.audit_entries().await, audit_before);
}

async fn concurrent_submissions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, event_id) = workshop_2030(&app).await;
    let app = std::sync::Arc::new(app);
    let futures: Vec<_> = (0..8)
        .map(|_| {
            let app = std::sync::Arc::clone(&app);
            let event_id = event_id.clone();
            async move {
                let body = app
                    .gql(
                        &app.delegate("KAZ"),
                        "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { submissionId } }",
                        json!({ "input": { "eventId": event_id, "kind": "CONCEPT_PAPER" } }),
                    )
                    .await;
                ok(&body, "recordSubmission");
            }
        })
        .collect();
    all_at_once(futures).await;
    let token = app.delegate("KAZ");
    let body = app
        .gql(
            &token,
            "query($id: ID!) { event(id: $id) { submissions { revision } } }",
            json!({ "id": event_id }),
        )
        .await;
    let mut revisions: Vec<i64> = ok(&body, "event")["event"]["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["revision"].as_i64().unwrap())
        .collect();
    revisions.sort_unstable();
    assert_eq!(revisions, (1..=8).collect::<Vec<_>>());
}

async fn reminder(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (plan, kaz) = february_2024(&app).await;
    add_event(
        &app,
        &plan,
        "Workshop in March",
        &["IND"],
        "2024-03-10",
        "2024-03-10",
    )
    .await;
    record_submission(
        &app,
        &app.delegate("KAZ"),
        &str_at(&kaz, "/id"),
        "TENTATIVE_PROGRAMME",
        "2024-01-05",
    )
    .await;
    let body = app
        .gql(&app.secretariat(),
            "mutation { draftReminder(period: { from: \"2024-02-01\", to: \"2024-02-29\" }) { note { id status purpose en: body(lang: EN) ru: body(lang: RU) bodies { lang } } } }",
            json!({}))
        .await;
    let note = ok(&body, "draftReminder")["draftReminder"]["note"].clone();
    assert_eq!(note["purpose"], "REMINDER");
    let en = note["en"].as_str().unwrap();
    let ru = note["ru"].as_str().unwrap();
    assert!(en.contains("1. Kazakhstan — «Seminar on energy security», 20 February 2024 to 21 February 2024: the concept paper, overdue since 22 December 2023; the post-event report, overdue since 22 March 2024."), "{en}");
    assert!(en.contains("2. China — «Conference on youth», 27 February 2024: the concept paper, overdue since 29 December 2023; the tentative programme, overdue since 13 January 2024; the post-event report, overdue since 28 March 2024."), "{en}");
    assert!(!en.contains("Workshop in March"), "{en}");
    assert!(
        ru.contains("1. Казахстан — «Семинар по энергетической безопасности», 20 февраля 2024 года – 21 февраля 2024 года: концепция мероприятия – срок истек 22 декабря 2023 года"),
        "{ru}"
    );
    assert!(
        !ru.contains("Kazakhstan") && !ru.contains("Seminar"),
        "{ru}"
    );
    // The events have no Kazakh titles: no Kazakh text, rather than one
    // that names them in English.
    assert_eq!(
        note["bodies"],
        json!([{ "lang": "EN" }, { "lang": "RU" }]),
        "{note}"
    );
}

/// The `id` of a PDF uploaded by `token`.
async fn upload_pdf(app: &TestApp, token: &str, name: &str) -> String {
    let (status, body) = post_multipart(
        app,
        Some(token),
        true,
        one_file(name, "application/pdf", PDF),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    str_at(&body, "/data/uploadFile/id")
}

async fn attached_upload(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let plan = create_plan(&app, 2024).await;
    let event = add_event(
        &app,
        &plan,
        "Seminar on energy security",
        &["KAZ"],
        "2024-02-20",
        "2024-02-21",
    )
    .await;
    let event_id = str_at(&event, "/id");
    let record = "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { submissionId } }";
    let submissions = "query($id: ID!) { event(id: $id) { submissions { revision sha256 fileName contentType size downloadPath } } }";
    let kaz = app.delegate("KAZ");

    // Another organisation's upload, and an unknown one, are refused and
    // record nothing.
    let chinese = upload_pdf(&app, &app.delegate("CHN"), "Chinese paper.pdf").await;
    for (upload_id, code) in [
        (chinese.as_str(), "FORBIDDEN"),
        ("00000000-0000-0000-0000-000000000000", "BAD_USER_INPUT"),
        ("not an id", "BAD_USER_INPUT"),
    ] {
        let body = app
            .gql(&kaz, record, json!({ "input": { "eventId": event_id, "kind": "CONCEPT_PAPER", "receivedOn": "2024-01-05", "uploadId": upload_id } }))
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some(code),
            "{upload_id}: {body}"
        );
    }
    let body = app.gql(&kaz, submissions, json!({ "id": event_id })).await;
    assert_eq!(
        ok(&body, "event")["event"]["submissions"],
        json!([]),
        "{body}"
    );

    // The organiser's own upload is attached and shown with the submission.
    let upload = upload_pdf(&app, &kaz, "Concept paper.pdf").await;
    let body = app
        .gql(&kaz, record, json!({ "input": { "eventId": event_id, "kind": "CONCEPT_PAPER", "receivedOn": "2024-01-05", "uploadId": upload } }))
        .await;
    ok(&body, "recordSubmission");
    let sha256 = hex::encode(Sha256::digest(PDF));
    let body = app
        .gql(&app.delegate("IND"), submissions, json!({ "id": event_id }))
        .await;
    assert_eq!(
        ok(&body, "event")["event"]["submissions"],
        json!([{ "revision": 1, "sha256": sha256, "fileName": "Concept paper.pdf", "contentType": "application/pdf", "size": PDF.len(), "downloadPath": format!("/files/{sha256}") }]),
        "{body}"
    );
    let db = app.db().await;
    let row = submission::Entity::find().one(&db).await.unwrap().unwrap();
    assert_eq!(row.upload_id.as_deref(), Some(upload.as_str()));

    // Another member state's delegate downloads it intact.
    let response = app
        .client
        .get(format!("{}/files/{sha256}", app.base))
        .bearer_auth(app.delegate("IND"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
}

async fn cancelled_as_of(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let year = crate::helpers::year() + 1;
    let plan = create_plan(&app, year).await;
    let event = add_event(
        &app,
        &plan,
        "Seminar on cancelled plans",
        &["KAZ"],
        &format!("{year}-09-10"),
        &format!("{year}-09-11"),
    )
    .await;
    let id = event["id"].as_str().unwrap().to_owned();
    let cancelled = mutate(
        &app,
        &app.secretariat(),
        "setEventStatus",
        "SetEventStatusInput",
        json!({ "eventId": id, "status": "CANCELLED", "reason": "The organisers withdrew it." }),
    )
    .await;
    ok(&cancelled, "setEventStatus");
    // Astana is UTC+05:00.
    let today = (chrono::Utc::now() + chrono::Duration::hours(5)).date_naive();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let today = today.to_string();
    let body = app
        .gql(
            &app.secretariat(),
            "query($e: ID!, $y: Date!, $t: Date!, $year: Int!) {
                event(id: $e) {
                    status before: status(asOf: $y) now: status(asOf: $t)
                    documentsBefore: documents(asOf: $y) { kind status }
                    documentsNow: documents { kind }
                }
                dueBefore: dueDocuments(filter: { event: $e, status: [NOT_YET_DUE, DUE_SOON, OVERDUE] }, asOf: $y) { document { kind } }
                dueNow: dueDocuments(filter: { event: $e, status: [NOT_YET_DUE, DUE_SOON, OVERDUE] }, asOf: $t) { document { kind } }
                complianceBefore: planCompliance(year: $year, asOf: $y) { total { pending missing } }
                complianceNow: planCompliance(year: $year, asOf: $t) { total { pending missing } }
            }",
            json!({ "e": id, "y": yesterday, "t": today, "year": year }),
        )
        .await;
    let data = ok(&body, "as of").clone();
    let event = &data["event"];
    assert_eq!(event["status"], "CANCELLED", "{data}");
    assert_eq!(event["now"], "CANCELLED", "{data}");
    assert_eq!(event["before"], "PLANNED", "{data}");
    let kinds = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d.get("document").unwrap_or(d)["kind"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let required = ["CONCEPT_PAPER", "TENTATIVE_PROGRAMME", "POST_EVENT_REPORT"];
    assert_eq!(kinds(&event["documentsBefore"]), required, "{data}");
    assert!(kinds(&event["documentsNow"]).is_empty(), "{data}");
    assert_eq!(kinds(&data["dueBefore"]), required, "{data}");
    assert!(kinds(&data["dueNow"]).is_empty(), "{data}");
    assert_eq!(data["complianceBefore"]["total"]["pending"], 3, "{data}");
    assert_eq!(data["complianceNow"]["total"]["pending"], 0, "{data}");
}
