//! Stale edits are conflicts, bad input is the caller's mistake, and
//! neither changes anything.

use accord_domain::DraftState;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, error_code, meeting_year, spawn_app, standard_items, str_at,
};
use crate::on_both_backends;

on_both_backends!(
    stale_edits =>
        an_edit_made_on_an_old_version_is_a_conflict_sqlite,
        an_edit_made_on_an_old_version_is_a_conflict_postgres
);
on_both_backends!(
    large_drafts =>
        a_draft_of_the_largest_size_goes_through_sqlite,
        a_draft_of_the_largest_size_goes_through_postgres
);
on_both_backends!(
    bad_input =>
        bad_input_is_refused_and_changes_nothing_sqlite,
        bad_input_is_refused_and_changes_nothing_postgres
);

/// The draft as the Secretariat sees it, less what depends on the viewer.
async fn record(app: &TestApp, id: &str) -> Value {
    let mut seen = app.draft(&app.secretariat(), id).await;
    seen.as_object_mut().unwrap().remove("viewerActions");
    seen
}

fn assert_code(body: &Value, code: &str, what: &str) {
    assert_eq!(error_code(body).as_deref(), Some(code), "{what}: {body}");
    assert!(
        body["errors"][0]["path"].is_array(),
        "{what}: a resolver's error has a path: {body}"
    );
}

async fn stale_edits(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)") }}),
    )
    .await;
    let before = record(&app, &id).await;
    let body = app
        .op(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (from v1)") }}),
        )
        .await;
    assert_code(&body, "CONFLICT", "a revision made on version 1");
    let body = app
        .op(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 7, "items": standard_items(" (from v7)") }}),
        )
        .await;
    assert_code(
        &body,
        "CONFLICT",
        "a revision made on a version from the future",
    );
    assert_eq!(record(&app, &id).await, before, "no new version");
    assert_eq!(before["currentVersion"]["number"], 2);

    // The text under a signature cannot change: a signer who read another
    // text is told so.
    let (agreed, hash) = app.draft_in_state(DraftState::SocAgreed).await;
    let before = record(&app, &agreed).await;
    let mut wrong = hash.clone().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).unwrap();
    let body = app
        .op(
            &app.sg("CICA"),
            "SignDraft",
            json!({ "input": { "draftId": agreed, "contentHash": wrong }}),
        )
        .await;
    assert_code(&body, "CONFLICT", "a signature on another hash");
    // The first version's hash is a real hash, just not the agreed one.
    let first_hash = str_at(&before, "/versions/0/contentHash");
    let (other, _) = app.create_draft(&["CICA"]).await;
    let other_hash = str_at(
        &app.draft(&secretariat, &other).await,
        "/currentVersion/contentHash",
    );
    for stale in [first_hash, other_hash] {
        if stale == hash {
            continue;
        }
        let body = app
            .op(
                &app.sg("SCO"),
                "SignDraft",
                json!({ "input": { "draftId": agreed, "contentHash": stale }}),
            )
            .await;
        assert_code(&body, "CONFLICT", "a signature on a stale hash");
    }
    let body = app
        .op(
            &app.sg("SCO"),
            "SignDraft",
            json!({ "input": { "draftId": agreed, "contentHash": "not-a-hash" }}),
        )
        .await;
    assert_code(&body, "BAD_USER_INPUT", "a malformed hash");
    assert_eq!(record(&app, &agreed).await, before, "no signature");
}

async fn bad_input(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();

    // Drafts that are not created.
    let create = |signatories: Value, items: Value| {
        json!({ "input": {
            "kind": "ACTION_PLAN",
            "title": [{ "lang": "EN", "text": "A draft" }],
            "signatories": signatories,
            "items": items,
        }})
    };
    let one_item = |anchor: &str, text: &str| json!([{ "anchor": anchor, "texts": [{ "lang": "EN", "text": text }] }]);
    let cases = [
        ("no signatories", create(json!([]), standard_items(""))),
        (
            "an unknown signatory",
            create(json!(["CICA", "XYZ"]), standard_items("")),
        ),
        (
            "a malformed signatory",
            create(json!(["cica"]), standard_items("")),
        ),
        (
            "a member state as signatory",
            create(json!(["CICA", "KAZ"]), standard_items("")),
        ),
        (
            "an observer as signatory",
            create(json!(["CICA", "UN"]), standard_items("")),
        ),
        (
            "a repeated signatory",
            create(json!(["CICA", "CICA"]), standard_items("")),
        ),
        (
            "a bad anchor",
            create(json!(["CICA"]), one_item("Item 1", "Text.")),
        ),
        ("no items", create(json!(["CICA"]), json!([]))),
        (
            "duplicate anchors",
            create(
                json!(["CICA"]),
                json!([
                    { "anchor": "item-1", "texts": [{ "lang": "EN", "text": "One." }] },
                    { "anchor": "item-1", "texts": [{ "lang": "EN", "text": "Two." }] }
                ]),
            ),
        ),
        (
            "a blank text",
            create(json!(["CICA"]), one_item("item-1", "   ")),
        ),
        (
            "an item without texts",
            create(
                json!(["CICA"]),
                json!([{ "anchor": "item-1", "texts": [] }]),
            ),
        ),
        (
            "a language given twice",
            create(
                json!(["CICA"]),
                json!([{ "anchor": "item-1", "texts": [
                    { "lang": "EN", "text": "One." }, { "lang": "EN", "text": "Two." }
                ]}]),
            ),
        ),
        (
            "a bad kind",
            json!({ "input": {
                "kind": "action plan", "title": [{ "lang": "EN", "text": "A draft" }],
                "signatories": ["CICA"], "items": standard_items(""),
            }}),
        ),
        (
            "a blank title",
            json!({ "input": {
                "kind": "ACTION_PLAN", "title": [{ "lang": "EN", "text": " " }],
                "signatories": ["CICA"], "items": standard_items(""),
            }}),
        ),
    ];
    for (what, variables) in cases {
        let body = app.op(&secretariat, "CreateDraft", variables).await;
        assert_code(&body, "BAD_USER_INPUT", what);
    }
    assert_eq!(
        app.total_count(&secretariat).await,
        0,
        "no draft was created"
    );

    // Circulations that do not happen.
    let (drafting, _) = app.create_draft(&["CICA", "SCO"]).await;
    let before = record(&app, &drafting).await;
    let cases = [
        (
            "an unknown note reference",
            json!({ "draftId": drafting, "series": "PAR", "references": ["PAR/999"] }),
        ),
        (
            "a malformed note reference",
            json!({ "draftId": drafting, "series": "PAR", "references": ["PAR-1"] }),
        ),
        (
            "a note referenced twice",
            json!({ "draftId": drafting, "series": "PAR", "references": ["PAR/1", "PAR/1"] }),
        ),
        (
            "a malformed series",
            json!({ "draftId": drafting, "series": "par 1" }),
        ),
        (
            "comments due in the past",
            json!({ "draftId": drafting, "series": "PAR", "commentsDueOn": "2001-01-01" }),
        ),
        (
            "a blank subject",
            json!({ "draftId": drafting, "series": "PAR", "subject": [{ "lang": "EN", "text": "" }] }),
        ),
    ];
    for (what, input) in cases {
        let body = app
            .op(&secretariat, "CirculateDraft", json!({ "input": input }))
            .await;
        assert_code(&body, "BAD_USER_INPUT", what);
    }
    assert_eq!(
        record(&app, &drafting).await,
        before,
        "the draft was not circulated"
    );
    assert_eq!(app.total_count(&app.delegate("KAZ")).await, 0);
    // And no note number was used up.
    let note = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": drafting, "series": "PAR" }}),
        )
        .await;
    assert_eq!(note["circulateDraft"]["note"]["number"], "PAR/1");

    // Changes that are not made to a circulated draft.
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    let proposal = app.propose(&app.delegate("KAZ"), &id, "item-1").await;
    let remark = str_at(
        &app.op_ok(
            &app.delegate("KAZ"),
            "AddComment",
            json!({ "input": { "draftId": id, "version": 1, "body": "A remark." }}),
        )
        .await,
        "/addComment/comment/id",
    );
    let before = record(&app, &id).await;
    let kaz = app.delegate("KAZ");
    let cases: Vec<(&str, &str, &str, Value)> = vec![
        (
            "a revision with a bad anchor",
            "ReviseDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": [
                { "anchor": "Item 1", "texts": [{ "lang": "EN", "text": "Text." }] }
            ]}}),
        ),
        (
            "a revision identical to the current version",
            "ReviseDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items("") }}),
        ),
        (
            "a revision accommodating a remark",
            "ReviseDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)"), "accommodates": [remark] }}),
        ),
        (
            "a revision accommodating an unknown proposal",
            "ReviseDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)"), "accommodates": [uuid::Uuid::now_v7().to_string()] }}),
        ),
        (
            "a blank change summary",
            "ReviseDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)"), "changeSummary": "  " }}),
        ),
        (
            "a proposal without anchor",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "body": "Change it.", "proposal": {
                "operation": "REPLACE", "texts": [{ "lang": "EN", "text": "New." }]
            }}}),
        ),
        (
            "a proposal to replace without text",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "anchor": "item-1", "body": "Change it.", "proposal": { "operation": "REPLACE" }}}),
        ),
        (
            "a proposal to delete with text",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "anchor": "item-1", "body": "Drop it.", "proposal": {
                "operation": "DELETE", "texts": [{ "lang": "EN", "text": "New." }]
            }}}),
        ),
        (
            "a comment on an item that does not exist",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "anchor": "item-99", "body": "Where?" }}),
        ),
        (
            "a comment with a bad anchor",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "anchor": "Item 1", "body": "Where?" }}),
        ),
        (
            "a blank comment",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "body": " \n " }}),
        ),
        (
            "resolving a remark",
            "ResolveProposal",
            &secretariat,
            json!({ "input": { "commentId": remark, "resolution": "ACCOMMODATED" }}),
        ),
        (
            "a blank reply",
            "ResolveProposal",
            &secretariat,
            json!({ "input": { "commentId": proposal, "resolution": "ACCOMMODATED", "reply": "  " }}),
        ),
        (
            "a comment longer than 20000 characters",
            "AddComment",
            &kaz,
            json!({ "input": { "draftId": id, "version": 1, "body": "x".repeat(20_001) }}),
        ),
        (
            "a blank withdrawal reason",
            "WithdrawDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "reason": "   " }}),
        ),
        (
            "an empty withdrawal reason",
            "WithdrawDraft",
            &secretariat,
            json!({ "input": { "draftId": id, "reason": "" }}),
        ),
    ];
    for (what, name, token, variables) in cases {
        let body = app.op(token, name, variables).await;
        assert_code(&body, "BAD_USER_INPUT", what);
    }
    assert_eq!(
        record(&app, &id).await,
        before,
        "nothing changed on the circulated draft"
    );

    // A proposal of another draft is not accommodated here; one already
    // resolved is not resolved again.
    let (elsewhere, _) = app.draft_in_state(DraftState::Circulated).await;
    let foreign = app.propose(&kaz, &elsewhere, "item-2").await;
    let body = app
        .op(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)"), "accommodates": [foreign] }}),
        )
        .await;
    assert_code(
        &body,
        "BAD_USER_INPUT",
        "accommodating another draft's proposal",
    );
    app.op_ok(
        &secretariat,
        "ResolveProposal",
        json!({ "input": { "commentId": proposal, "resolution": "ACCOMMODATED" }}),
    )
    .await;
    let before = record(&app, &id).await;
    let body = app
        .op(
            &secretariat,
            "ResolveProposal",
            json!({ "input": { "commentId": proposal, "resolution": "NOT_ACCOMMODATED" }}),
        )
        .await;
    assert_code(&body, "INVALID_TRANSITION", "resolving a proposal twice");
    assert_eq!(record(&app, &id).await, before);
    for date in ["2025-02-30", "27.06.2024", ""] {
        let body = app
            .op(
                &secretariat,
                "OpenSwgDiscussion",
                json!({ "input": { "draftId": id, "meetingDate": date }}),
            )
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{date:?}: {body}"
        );
    }
    assert_eq!(record(&app, &id).await, before);

    // Decisions that are not recorded.
    let (swg, _) = app.draft_in_state(DraftState::SwgDiscussion).await;
    let before = record(&app, &swg).await;
    let y = meeting_year();
    let cases = [
        (
            "a malformed decision number",
            json!("SOC-2024-1"),
            format!("{y}-04-17"),
        ),
        (
            "an Arabic session",
            json!(format!("SOC/{y}-2/DEC/1")),
            format!("{y}-04-17"),
        ),
        (
            "another body's decision",
            json!(format!("SWG/{y}-I/DEC/1")),
            format!("{y}-04-17"),
        ),
        (
            "a decision of another year",
            json!(format!("SOC/{}-I/DEC/1", y - 1)),
            format!("{y}-04-17"),
        ),
    ];
    for (what, number, date) in cases {
        let body = app
            .op(
                &secretariat,
                "RecordSocAgreement",
                json!({ "input": { "draftId": swg, "meetingDate": date, "decisionNumber": number }}),
            )
            .await;
        assert_code(&body, "BAD_USER_INPUT", what);
    }
    // A malformed date is refused by the schema itself.
    let body = app
        .op(
            &secretariat,
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": id, "meetingDate": "12 March" }}),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    assert_eq!(record(&app, &swg).await, before, "no decision was recorded");
    assert_eq!(record(&app, &id).await["state"], "CIRCULATED");
    // A number already taken is refused, and leaves no meeting behind.
    app.op_ok(
        &secretariat,
        "RecordSocAgreement",
        json!({ "input": { "draftId": swg, "meetingDate": format!("{y}-04-17"), "decisionNumber": format!("SOC/{y}-I/DEC/4") }}),
    )
    .await;
    let (again, _) = app.draft_in_state(DraftState::SwgDiscussion).await;
    let before = record(&app, &again).await;
    let body = app
        .op(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": again, "meetingDate": format!("{y}-04-17"), "decisionNumber": format!("SOC/{y}-I/DEC/4") }}),
        )
        .await;
    assert_code(&body, "BAD_USER_INPUT", "a decision number already taken");
    assert_eq!(
        record(&app, &again).await,
        before,
        "the refused decision left nothing"
    );
}

fn many_items(count: usize, suffix: &str) -> Value {
    Value::Array(
        (1..=count)
            .map(|n| {
                json!({ "anchor": format!("item-{n}"), "texts": [
                    { "lang": "EN", "text": format!("Item {n}{suffix}.") },
                    { "lang": "RU", "text": format!("Пункт {n}{suffix}.") }
                ]})
            })
            .collect(),
    )
}

async fn large_drafts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let most = accord_domain::MAX_ITEMS;
    let (id, _) = app
        .create_draft_with(&["CICA", "SCO"], many_items(most, ""))
        .await;
    let mut items = many_items(most, "");
    items[most - 1]["texts"][1]["text"] = json!("Последний пункт, изменённый.");
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": items }}),
    )
    .await;
    let diff = app
        .op_ok(
            &secretariat,
            "VersionDiff",
            json!({ "id": id, "from": 1, "to": 2 }),
        )
        .await;
    assert_eq!(
        diff["draft"]["diff"],
        json!([{ "anchor": format!("item-{most}"), "change": "CHANGED", "lang": "RU",
                 "before": format!("Пункт {most}."), "after": "Последний пункт, изменённый." }])
    );
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(
        draft["currentVersion"]["items"].as_array().unwrap().len(),
        most
    );
    let body = app
        .op(
            &secretariat,
            "CreateDraft",
            json!({ "input": {
                "kind": "ACTION_PLAN", "title": [{ "lang": "EN", "text": "Too long" }],
                "signatories": ["CICA"], "items": many_items(most + 1, ""),
            }}),
        )
        .await;
    assert_code(&body, "BAD_USER_INPUT", "one item too many");
    assert_eq!(app.total_count(&secretariat).await, 1);
}
