//! The silence procedure over HTTP on both databases: a text put under
//! silence, broken by an objection, revised and put under silence again,
//! then agreed by the deadline job; an amendment that breaks it; requests
//! refused with their reason; and two instances, both running the
//! deadline job, racing member states' objections at the deadline.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, error_code, spawn_app, spawn_app_with, standard_items, str_at,
};
use crate::on_both_backends;
use crate::routes::{create, route_in_force};

on_both_backends!(
    broken_then_agreed =>
        a_silence_broken_by_an_objection_is_agreed_on_the_second_attempt_sqlite,
        a_silence_broken_by_an_objection_is_agreed_on_the_second_attempt_postgres
);
on_both_backends!(
    amendment =>
        a_proposed_amendment_breaks_the_silence_and_a_plain_comment_does_not_sqlite,
        a_proposed_amendment_breaks_the_silence_and_a_plain_comment_does_not_postgres
);
on_both_backends!(
    refusals =>
        silence_requests_out_of_place_are_refused_and_change_nothing_sqlite,
        silence_requests_out_of_place_are_refused_and_change_nothing_postgres
);
on_both_backends!(
    racing =>
        two_instances_racing_objections_at_the_deadline_end_each_silence_once_sqlite,
        two_instances_racing_objections_at_the_deadline_end_each_silence_once_postgres
);

const SILENCE: &str = "mutation Silence($input: PutUnderSilenceInput!) {
    putUnderSilence(input: $input) {
        draft { state viewerActions stage { key } }
        silenceProcedure { id version body status endsAt endsAtAstana openedBy
            note { number purpose references { number }
                   body(lang: EN) enclosures { version } }
            meeting { body date } } } }";
const PROCEDURES: &str = "query Procedures($id: ID!) {
    draft(id: $id) { state agreedVersion { number } decision { number date }
        silenceProcedures { version status endsAt closedAt
            brokenBy { memberState how }
            note { number }
            closingNote { number references { number } body(lang: EN) }
            decision { number date } } } }";
const STANCE: &str = "mutation Stance($input: RecordStanceInput!) {
    recordStance(input: $input) { draft { state } } }";

/// A server whose background jobs run every second.
async fn app_with_jobs(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |settings| settings.job_interval_secs = 1).await
}

/// `instant` as a client in Astana writes it, e.g. `2024-03-15T18:00:00+05:00`.
fn in_astana(instant: DateTime<Utc>) -> String {
    let astana = FixedOffset::east_opt(5 * 3600).unwrap();
    instant
        .with_timezone(&astana)
        .to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// Today in Astana.
fn astana_today() -> String {
    let astana = FixedOffset::east_opt(5 * 3600).unwrap();
    Utc::now()
        .with_timezone(&astana)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// Puts in force, for concept papers, a road of circulation and
/// agreement by the SOC by silence.
async fn silence_road(app: &TestApp) {
    route_in_force(
        app,
        "CONCEPT_PAPER",
        vec![
            json!({ "key": "circulation", "kind": "CIRCULATION", "next": ["silence"] }),
            json!({ "key": "silence", "kind": "SILENCE", "body": "SOC" }),
        ],
    )
    .await;
}

/// A concept paper on the silence road, circulated; its id.
async fn circulated(app: &TestApp) -> String {
    let body = create(app, "CONCEPT_PAPER", &["CICA"]).await;
    assert!(body["errors"].is_null(), "{body}");
    let id = str_at(&body, "/data/createDraft/draft/id");
    app.op_ok(
        &app.secretariat(),
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" } }),
    )
    .await;
    id
}

/// Puts draft `id` under silence until `ends_at`; the answer.
async fn put_under_silence(app: &TestApp, id: &str, ends_at: DateTime<Utc>) -> Value {
    app.gql(
        &app.secretariat(),
        SILENCE,
        json!({ "input": {
            "draftId": id,
            "endsAt": in_astana(ends_at),
            "meetingDate": astana_today(),
            "series": "PAR",
        } }),
    )
    .await
}

async fn procedures(app: &TestApp, id: &str) -> Value {
    let body = app
        .gql(&app.delegate("IND"), PROCEDURES, json!({ "id": id }))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["draft"].clone()
}

async fn object(app: &TestApp, org: &str, id: &str, version: i64) -> Value {
    app.gql(
        &app.delegate(org),
        STANCE,
        json!({ "input": { "draftId": id, "version": version, "stance": "OBJECTION",
            "text": "The text needs further consultation." } }),
    )
    .await
}

/// The audit actions that ended draft `id`'s silences, in log order.
async fn endings(app: &TestApp, id: &str) -> Vec<String> {
    use accord_workflow::entity::audit_log;
    audit_log::Entity::find()
        .filter(audit_log::Column::DraftId.eq(id))
        .filter(audit_log::Column::Action.is_in(["BREAK_SILENCE", "SILENCE_AGREED"]))
        .order_by_asc(audit_log::Column::Seq)
        .all(&app.db().await)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.action)
        .collect()
}

/// Waits (up to 20 s) for draft `id` to leave `UNDER_SILENCE`; its state.
async fn settled(app: &TestApp, id: &str) -> String {
    for _ in 0..200 {
        let state = procedures(app, id).await["state"]
            .as_str()
            .unwrap()
            .to_owned();
        if state != "UNDER_SILENCE" {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("draft {id} is still under silence");
}

async fn broken_then_agreed(backend: Backend) {
    let Some(app) = app_with_jobs(backend).await else {
        return;
    };
    silence_road(&app).await;
    let id = circulated(&app).await;
    let secretariat = app.secretariat();
    let offered = app.draft(&secretariat, &id).await["viewerActions"].clone();
    assert!(
        offered
            .as_array()
            .unwrap()
            .contains(&json!("PUT_UNDER_SILENCE")),
        "{offered}"
    );

    // First attempt: an hour of silence, broken by Kazakhstan.
    let ends_at = Utc::now() + chrono::Duration::hours(1);
    let body = put_under_silence(&app, &id, ends_at).await;
    assert!(body["errors"].is_null(), "{body}");
    let answer = &body["data"]["putUnderSilence"];
    assert_eq!(answer["draft"]["state"], "UNDER_SILENCE");
    assert_eq!(answer["draft"]["stage"]["key"], "circulation");
    let actions = answer["draft"]["viewerActions"].as_array().unwrap();
    assert!(!actions.contains(&json!("REVISE")), "{actions:?}");
    assert!(
        !actions.contains(&json!("PUT_UNDER_SILENCE")),
        "{actions:?}"
    );
    let procedure = &answer["silenceProcedure"];
    assert_eq!(procedure["status"], "RUNNING");
    assert_eq!(procedure["body"], "SOC");
    assert_eq!(procedure["version"], 1);
    assert_eq!(procedure["note"]["purpose"], "INFORMATION");
    assert_eq!(procedure["note"]["enclosures"][0]["version"], 1);
    assert_eq!(procedure["meeting"]["body"], "SOC");
    let note_body = str_at(procedure, "/note/body");
    let astana = FixedOffset::east_opt(5 * 3600).unwrap();
    let local = ends_at.with_timezone(&astana);
    assert!(
        note_body.contains(&format!(
            "The silence period ends at {} (Astana time)",
            local.format("%H:%M")
        )),
        "{note_body}"
    );
    assert!(
        str_at(procedure, "/endsAtAstana").starts_with(&local.format("%Y-%m-%dT%H:%M").to_string())
    );

    // While silence runs the text cannot change.
    let revise = app
        .op(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (revised)") } }),
        )
        .await;
    assert_eq!(
        error_code(&revise).as_deref(),
        Some("INVALID_TRANSITION"),
        "{revise}"
    );

    let broke = object(&app, "KAZ", &id, 1).await;
    assert!(broke["errors"].is_null(), "{broke}");
    assert_eq!(
        broke["data"]["recordStance"]["draft"]["state"],
        "CIRCULATED"
    );
    let seen = procedures(&app, &id).await;
    let first = &seen["silenceProcedures"][0];
    assert_eq!(first["status"], "BROKEN");
    assert_eq!(
        first["brokenBy"],
        json!({ "memberState": "KAZ", "how": "OBJECTION" })
    );
    assert!(first["decision"].is_null());
    assert_eq!(
        first["closingNote"]["references"][0]["number"],
        first["note"]["number"]
    );
    let told = str_at(first, "/closingNote/body");
    assert!(
        told.contains("the Member State Kazakhstan raised an objection.")
            && told.contains("has therefore not been agreed"),
        "{told}"
    );

    // The objection stands: no second silence on that version.
    let again = put_under_silence(&app, &id, Utc::now() + chrono::Duration::hours(1)).await;
    assert_eq!(
        error_code(&again).as_deref(),
        Some("INVALID_TRANSITION"),
        "{again}"
    );
    assert!(str_at(&again, "/errors/0/message").contains("KAZ objects"));

    // Revised and circulated again, the text passes a short silence.
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (revised)") } }),
    )
    .await;
    app.op_ok(
        &secretariat,
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" } }),
    )
    .await;
    let body = put_under_silence(&app, &id, Utc::now() + chrono::Duration::seconds(2)).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(settled(&app, &id).await, "SOC_AGREED");
    let seen = procedures(&app, &id).await;
    let second = &seen["silenceProcedures"][1];
    assert_eq!(second["status"], "AGREED");
    assert_eq!(second["version"], 2);
    let number = str_at(second, "/decision/number");
    assert!(
        number.starts_with("SOC/") && number.ends_with("/DEC/1"),
        "{number}"
    );
    assert_eq!(seen["decision"]["number"], number.as_str());
    assert_eq!(seen["agreedVersion"]["number"], 2);
    let told = str_at(second, "/closingNote/body");
    assert!(
        told.contains(&format!(
            "deemed agreed by the CICA Senior Officials Committee (decision {number})"
        )),
        "{told}"
    );
    assert_eq!(
        endings(&app, &id).await,
        ["BREAK_SILENCE", "SILENCE_AGREED"]
    );
}

async fn amendment(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    silence_road(&app).await;
    let id = circulated(&app).await;
    let body = put_under_silence(&app, &id, Utc::now() + chrono::Duration::hours(2)).await;
    assert!(body["errors"].is_null(), "{body}");

    // A comment without a proposal, and a counterpart's, leave it running.
    let india = app.delegate("IND");
    app.op_ok(
        &india,
        "AddComment",
        json!({ "input": { "draftId": id, "version": 1, "body": "We thank the Secretariat." } }),
    )
    .await;
    assert_eq!(procedures(&app, &id).await["state"], "UNDER_SILENCE");

    let proposal = app.propose(&india, &id, "item-1").await;
    let seen = procedures(&app, &id).await;
    assert_eq!(seen["state"], "CIRCULATED");
    assert_eq!(
        seen["silenceProcedures"][0]["brokenBy"],
        json!({ "memberState": "IND", "how": "AMENDMENT" })
    );
    // The proposal is on the version like any other, to be resolved.
    let comments = app
        .gql(
            &app.secretariat(),
            "query C($id: ID!) { draft(id: $id) { comments { id kind status } } }",
            json!({ "id": id }),
        )
        .await;
    let found = comments["data"]["draft"]["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == proposal.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(found["kind"], "PROPOSAL", "{comments}");
    assert_eq!(found["status"], "OPEN");
    assert_eq!(endings(&app, &id).await, ["BREAK_SILENCE"]);
}

async fn refusals(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    silence_road(&app).await;
    let id = circulated(&app).await;
    // The default road has no silence.
    let (default, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let entries = app.audit_entries().await;
    let soon = Utc::now() + chrono::Duration::hours(1);
    let cases = [
        (
            json!({ "draftId": id, "endsAt": in_astana(Utc::now() - chrono::Duration::minutes(1)),
                "meetingDate": astana_today(), "series": "PAR" }),
            "BAD_USER_INPUT",
            "not in the future",
        ),
        (
            json!({ "draftId": id, "endsAt": in_astana(soon),
                "meetingDate": "2199-01-01", "series": "PAR" }),
            "BAD_USER_INPUT",
            "after the silence period ends",
        ),
        (
            json!({ "draftId": id, "endsAt": in_astana(soon),
                "meetingDate": astana_today(), "series": "par!" }),
            "BAD_USER_INPUT",
            "",
        ),
        (
            json!({ "draftId": id, "endsAt": "tomorrow",
                "meetingDate": astana_today(), "series": "PAR" }),
            "BAD_USER_INPUT",
            "RFC 3339",
        ),
    ];
    for (input, code, says) in cases {
        let body = app
            .gql(&app.secretariat(), SILENCE, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body).as_deref(), Some(code), "{input}: {body}");
        let message = str_at(&body, "/errors/0/message");
        assert!(message.contains(says), "{input}: {message}");
    }
    // Only the Secretariat opens a silence.
    let delegate = app
        .gql(
            &app.delegate("KAZ"),
            SILENCE,
            json!({ "input": { "draftId": id, "endsAt": in_astana(soon),
                "meetingDate": astana_today(), "series": "PAR" } }),
        )
        .await;
    assert_eq!(
        error_code(&delegate).as_deref(),
        Some("FORBIDDEN"),
        "{delegate}"
    );
    let body = put_under_silence(&app, &default, soon).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("INVALID_TRANSITION"),
        "{body}"
    );
    assert!(str_at(&body, "/errors/0/message").contains("silence procedure"));
    assert_eq!(app.audit_entries().await, entries, "nothing was written");
    assert_eq!(procedures(&app, &id).await["silenceProcedures"], json!([]));
}

async fn racing(backend: Backend) {
    let Some(app) = app_with_jobs(backend).await else {
        return;
    };
    let other = app
        .another_instance_with(|settings| settings.job_interval_secs = 1)
        .await;
    silence_road(&app).await;
    // Six texts whose silence ends at one instant, three seconds on.
    let ends_at = Utc::now() + chrono::Duration::seconds(3);
    let mut drafts = Vec::new();
    for _ in 0..6 {
        let id = circulated(&app).await;
        let body = put_under_silence(&app, &id, ends_at).await;
        assert!(body["errors"].is_null(), "{body}");
        drafts.push(id);
    }
    // Each text gets one objection, through one instance or the other,
    // around the deadline: from 75 ms before it to 75 ms after, while
    // both instances' jobs look for ended periods every second.
    let attempts = drafts.iter().enumerate().map(|(n, id)| {
        let instance = if n % 2 == 0 { &app } else { &other };
        let offset = chrono::Duration::milliseconds(30 * n as i64 - 75);
        async move {
            let at = ends_at + offset;
            let wait = (at - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
            object(instance, "KAZ", id, 1).await
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let mut agreed_numbers = Vec::new();
    for (id, answer) in drafts.iter().zip(&answers) {
        let state = settled(&app, id).await;
        let seen = procedures(&app, id).await;
        let procedure = &seen["silenceProcedures"][0];
        let endings = endings(&app, id).await;
        if answer["errors"].is_null() {
            assert_eq!(state, "CIRCULATED", "{answer}");
            assert_eq!(procedure["status"], "BROKEN");
            assert!(procedure["decision"].is_null());
            assert_eq!(endings, ["BREAK_SILENCE"]);
        } else {
            assert_eq!(
                error_code(answer).as_deref(),
                Some("INVALID_TRANSITION"),
                "{answer}"
            );
            assert_eq!(state, "SOC_AGREED");
            assert_eq!(procedure["status"], "AGREED");
            assert_eq!(endings, ["SILENCE_AGREED"]);
            agreed_numbers.push(str_at(procedure, "/decision/number"));
        }
    }
    // Before the deadline an objection breaks the silence; from it on,
    // never: at least the first objection and the last fall either side.
    assert!(answers[0]["errors"].is_null(), "{}", answers[0]);
    assert!(!answers[5]["errors"].is_null(), "{}", answers[5]);
    // Each agreed text has its own decision, numbered once.
    let mut unique = agreed_numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), agreed_numbers.len(), "{agreed_numbers:?}");
    let verdict = accord_workflow::audit::verify(&app.db().await)
        .await
        .unwrap();
    assert!(
        matches!(verdict, accord_workflow::audit::Verdict::Intact { .. }),
        "{verdict:?}"
    );
}
