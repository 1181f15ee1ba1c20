//! Attacks through the content of requests: hostile characters in free
//! text, dates outside any calendar, tokens whose claims are not what a
//! person is, ids that probe for hidden drafts, and an administrator
//! reading documents. Each is refused with the right code and writes
//! nothing, on SQLite and PostgreSQL alike.

use accord_domain::DraftState;
use serde_json::{Value, json};

use crate::attacks::{note_of, reminder};
use crate::helpers::{
    Backend, TestApp, claims, error_code, now, ok, sign_raw, spawn_app, str_at, with,
};
use crate::on_both_backends;
use crate::plans::{en, february_2024};

on_both_backends!(
    hostile_text =>
        control_and_bidi_characters_are_refused_in_every_free_text_sqlite,
        control_and_bidi_characters_are_refused_in_every_free_text_postgres
);
on_both_backends!(
    far_dates =>
        dates_outside_the_calendar_are_refused_alike_sqlite,
        dates_outside_the_calendar_are_refused_alike_postgres
);
on_both_backends!(
    hostile_claims =>
        claims_with_control_characters_or_long_lives_are_unauthenticated_sqlite,
        claims_with_control_characters_or_long_lives_are_unauthenticated_postgres
);
on_both_backends!(
    probes =>
        a_hidden_draft_or_comment_answers_as_a_missing_one_everywhere_sqlite,
        a_hidden_draft_or_comment_answers_as_a_missing_one_everywhere_postgres
);
on_both_backends!(
    administrator =>
        an_administrator_alone_reads_no_documents_sqlite,
        an_administrator_alone_reads_no_documents_postgres
);

fn code(body: &Value) -> String {
    error_code(body).unwrap_or_else(|| format!("no error: {body}"))
}

/// Characters no free text may hold: a bare CR (it ends an iCalendar line),
/// NUL, ESC, a C1 control, DEL, and the bidirectional override and isolate.
const HOSTILE: [&str; 7] = [
    "Astana\rEND:VEVENT\rBEGIN:VEVENT",
    "a\u{0}b",
    "x\u{1b}[31mred",
    "next\u{85}line",
    "del\u{7f}",
    "report\u{202e}fdp.exe",
    "\u{2066}isolated",
];

async fn hostile_text(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let kaz = app.delegate("KAZ");
    let (_, seminar) = february_2024(&app).await;
    let event = str_at(&seminar, "/id");
    let (circulated, _) = app.draft_in_state(DraftState::Circulated).await;
    let before = app.audit_entries().await;

    for text in HOSTILE {
        let attempts: Vec<(&str, &str, Value)> = vec![
            (
                "editEvent venue (the organiser)",
                &kaz,
                json!({ "query": "mutation($i: EditEventInput!) { editEvent(input: $i) { event { id } } }",
                        "variables": { "i": { "eventId": event, "venue": text } } }),
            ),
            (
                "editEvent notes",
                &kaz,
                json!({ "query": "mutation($i: EditEventInput!) { editEvent(input: $i) { event { id } } }",
                        "variables": { "i": { "eventId": event, "notes": text } } }),
            ),
            (
                "createDraft title",
                &secretariat,
                json!({ "query": "mutation($i: CreateDraftInput!) { createDraft(input: $i) { draft { id } } }",
                        "variables": { "i": { "kind": "ACTION_PLAN", "title": en(text), "signatories": ["CICA"],
                                               "items": [{ "anchor": "item-1", "texts": en("Text") }] } } }),
            ),
            (
                "createDraft item text",
                &secretariat,
                json!({ "query": "mutation($i: CreateDraftInput!) { createDraft(input: $i) { draft { id } } }",
                        "variables": { "i": { "kind": "ACTION_PLAN", "title": en("Plan"), "signatories": ["CICA"],
                                               "items": [{ "anchor": "item-1", "texts": en(text) }] } } }),
            ),
            (
                "addComment body",
                &kaz,
                json!({ "query": "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }",
                        "variables": { "i": { "draftId": circulated, "version": 1, "body": text } } }),
            ),
            (
                "withdrawDraft reason",
                &secretariat,
                json!({ "query": "mutation($i: WithdrawDraftInput!) { withdrawDraft(input: $i) { draft { id } } }",
                        "variables": { "i": { "draftId": circulated, "reason": text } } }),
            ),
            (
                "scheduleMeeting venue",
                &secretariat,
                json!({ "query": "mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { meeting { id } } }",
                        "variables": { "i": { "body": "SOC", "date": "2030-06-27", "venue": text } } }),
            ),
            (
                "createCalendarFeed label",
                &kaz,
                json!({ "query": "mutation($i: CreateCalendarFeedInput!) { createCalendarFeed(input: $i) { token } }",
                        "variables": { "i": { "label": text } } }),
            ),
        ];
        for (what, token, request) in attempts {
            // (A NUL is refused before the document is parsed: 400.)
            let (status, body) = app.post(Some(token), &request).await;
            assert!(status == 200 || status == 400, "{what}: {status} {body}");
            assert_eq!(
                code(&body),
                "BAD_USER_INPUT",
                "{what} with {text:?}: {body}"
            );
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("U+")),
                "{what}: the message names the character: {body}"
            );
        }
    }
    // A one-line field refuses a line break; a multi-line one keeps it.
    let body = app
        .gql(
            &kaz,
            "mutation($i: EditEventInput!) { editEvent(input: $i) { event { id } } }",
            json!({ "i": { "eventId": event, "venue": "Astana\nLOCATION:elsewhere" } }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(
        app.audit_entries().await,
        before,
        "a refused text was written"
    );

    let body = app
        .gql(
            &kaz,
            "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { body } } }",
            json!({ "i": { "draftId": circulated, "version": 1, "body": "First line.\r\nSecond\tline." } }),
        )
        .await;
    assert_eq!(
        ok(&body, "a multi-line comment")["addComment"]["comment"]["body"],
        "First line.\nSecond\tline."
    );
}

async fn far_dates(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    february_2024(&app).await;
    let far = [
        (
            "events",
            "query { events(filter: { from: \"-4714-01-01\" }) { totalCount } }",
        ),
        (
            "events",
            "query { events(filter: { to: \"+99999-01-01\" }) { totalCount } }",
        ),
        (
            "meetings",
            "query { meetings(filter: { from: \"-5000-01-01\" }) { totalCount } }",
        ),
        (
            "notes",
            "query { notes(filter: { dateFrom: \"+99999-01-01\" }) { totalCount } }",
        ),
        (
            "notes",
            "query { notes(filter: { dateTo: \"1899-12-31\" }) { totalCount } }",
        ),
        (
            "plans",
            "query { upcoming: events(filter: { from: \"2201-01-01\" }) { totalCount } }",
        ),
    ];
    for (what, query) in far {
        let body = app.gql(&secretariat, query, json!({})).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{what}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("1900") && m.contains("2200")),
            "{what}: the message gives the accepted years: {body}"
        );
    }
    // As variables too, and in a mutation, where nothing is written.
    let before = app.audit_entries().await;
    let body = app
        .gql(
            &secretariat,
            "mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { meeting { id } } }",
            json!({ "i": { "body": "SOC", "date": "9999-06-27" } }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(app.audit_entries().await, before);
    // The edges of the calendar answer, with the same counts on both
    // databases.
    for (query, expected) in [
        (
            "query { events(filter: { from: \"1900-01-01\" }) { totalCount } }",
            2,
        ),
        (
            "query { events(filter: { from: \"2200-12-31\" }) { totalCount } }",
            0,
        ),
        (
            "query { meetings(filter: { from: \"2200-12-31\" }) { totalCount } }",
            0,
        ),
        (
            "query { notes(filter: { dateFrom: \"2200-12-31\" }) { totalCount } }",
            0,
        ),
        (
            "query { notes(filter: { dateTo: \"1900-01-01\" }) { totalCount } }",
            0,
        ),
    ] {
        let body = app.gql(&secretariat, query, json!({})).await;
        let data = ok(&body, query);
        let count = data.as_object().and_then(|o| o.values().next()).unwrap()["totalCount"].clone();
        assert_eq!(count, expected, "{query}: {body}");
    }
}

async fn hostile_claims(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let before = app.audit_entries().await;
    let now = now();
    let cases = [
        ("NUL in sub", with(json!({ "sub": "kaz-1\u{0}" }))),
        (
            "NUL in name",
            with(json!({ "name": "Askar\u{0}Zhumabekov" })),
        ),
        ("CR in name", with(json!({ "name": "Askar\rZhumabekov" }))),
        (
            "bidi in name",
            with(json!({ "name": "\u{202e}vokebamuhZ" })),
        ),
        ("ESC in org", with(json!({ "org": "KAZ\u{1b}" }))),
        ("NUL in a role", with(json!({ "roles": ["delegate\u{0}"] }))),
        (
            "a name of 10,000 characters",
            with(json!({ "name": "A".repeat(10_000) })),
        ),
        (
            "a lifetime of two days",
            with(json!({ "iat": now, "nbf": now, "exp": now + 2 * 86_400 })),
        ),
        (
            "issued an hour from now",
            with(json!({ "iat": now + 3_600 })),
        ),
    ];
    for (what, payload) in cases {
        let token = sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload.to_string());
        let (status, body) = app
            .post(Some(&token), &json!({ "query": "mutation { __typename }" }))
            .await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(code(&body), "UNAUTHENTICATED", "{what}: {body}");
    }
    // The ordinary claims pass, so the refusals above are the claims'.
    let token = sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &claims().to_string());
    let (status, body) = app
        .post(Some(&token), &json!({ "query": "{ viewer { id } }" }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.audit_entries().await, before);
}

/// Replaces `id` in an answer by `<id>`, so that the answers for two ids
/// can be compared.
fn masked(body: &Value, id: &str) -> Value {
    serde_json::from_str(&body.to_string().replace(id, "<id>")).unwrap()
}

async fn probes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let kaz = app.delegate("KAZ");
    let rus = app.delegate("RUS");
    let jpn = app.observer("JPN");
    // A draft in preparation, enclosed by an issued note to all member
    // states: the note is theirs, the draft is not.
    let (hidden, hash) = app.create_draft(&["CICA", "SCO"]).await;
    let mut input = reminder("the enclosed text", None, &[]);
    input["enclosures"] = json!([{ "draftId": hidden, "version": 1, "pages": 2 }]);
    let (note, _) = note_of(&app, input, true).await;
    // Russia's comment on a circulated draft, which KAZ may not read.
    let (circulated, _) = app.draft_in_state(DraftState::Circulated).await;
    let said = app
        .op_ok(
            &rus,
            "AddComment",
            json!({ "input": { "draftId": circulated, "version": 1, "body": "Russia's remark." }}),
        )
        .await;
    let hidden_comment = str_at(&said, "/addComment/comment/id");
    let missing = uuid::Uuid::now_v7().to_string();
    let before = app.audit_entries().await;

    // Every entry point that takes a draft id, as (name, document, variables
    // with "ID" where the id goes).
    let draft_points: Vec<(&str, &str, Value)> = vec![
        (
            "draft",
            "query($id: ID!) { draft(id: $id) { id } }",
            json!({ "id": "ID" }),
        ),
        (
            "compilation",
            "query($id: ID!) { draft(id: $id) { compilation(version: 1) { anchor } } }",
            json!({ "id": "ID" }),
        ),
        (
            "reviseDraft",
            "mutation($i: ReviseDraftInput!) { reviseDraft(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "baseVersion": 1, "items": [{ "anchor": "item-1", "texts": en("x") }] } }),
        ),
        (
            "circulateDraft",
            "mutation($i: CirculateDraftInput!) { circulateDraft(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "series": "PAR" } }),
        ),
        (
            "addComment",
            "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }",
            json!({ "i": { "draftId": "ID", "version": 1, "body": "Hello?" } }),
        ),
        (
            "openSwgDiscussion",
            "mutation($i: OpenSwgDiscussionInput!) { openSwgDiscussion(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "meetingDate": "2030-06-25" } }),
        ),
        (
            "recordSocAgreement",
            "mutation($i: RecordSocAgreementInput!) { recordSocAgreement(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "meetingDate": "2030-06-27" } }),
        ),
        (
            "signDraft",
            "mutation($i: SignDraftInput!) { signDraft(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "contentHash": hash } }),
        ),
        (
            "withdrawDraft",
            "mutation($i: WithdrawDraftInput!) { withdrawDraft(input: $i) { draft { id } } }",
            json!({ "i": { "draftId": "ID", "reason": "Because." } }),
        ),
        (
            "notes filtered by draft",
            "query($id: ID!) { notes(filter: { draftId: $id }) { totalCount nodes { id } } }",
            json!({ "id": "ID" }),
        ),
    ];
    let comment_points: Vec<(&str, &str, Value)> = vec![
        (
            "editComment",
            "mutation($i: EditCommentInput!) { editComment(input: $i) { comment { id } } }",
            json!({ "i": { "commentId": "ID", "body": "Changed." } }),
        ),
        (
            "withdrawComment",
            "mutation($i: WithdrawCommentInput!) { withdrawComment(input: $i) { comment { id } } }",
            json!({ "i": { "commentId": "ID" } }),
        ),
        (
            "resolveProposal",
            "mutation($i: ResolveProposalInput!) { resolveProposal(input: $i) { comment { id } } }",
            json!({ "i": { "commentId": "ID", "resolution": "NOT_ACCOMMODATED" } }),
        ),
    ];
    let ask = |token: &str, doc: &str, vars: &Value, id: &str| {
        let vars: Value =
            serde_json::from_str(&vars.to_string().replace("\"ID\"", &format!("{id:?}"))).unwrap();
        let (token, doc) = (token.to_owned(), doc.to_owned());
        let app: &TestApp = &app;
        async move { app.gql(&token, &doc, vars).await }
    };
    for (who, token) in [("KAZ", &kaz), ("JPN", &jpn)] {
        for (point, doc, vars) in &draft_points {
            let of_hidden = masked(&ask(token, doc, vars, &hidden).await, &hidden);
            let of_missing = masked(&ask(token, doc, vars, &missing).await, &missing);
            assert_eq!(
                of_hidden, of_missing,
                "{who} {point}: a hidden draft is told from a missing one"
            );
            if *point == "notes filtered by draft" {
                assert_eq!(
                    of_hidden["data"]["notes"]["totalCount"], 0,
                    "{who}: {of_hidden}"
                );
            } else {
                assert_eq!(code(&of_hidden), "NOT_FOUND", "{who} {point}: {of_hidden}");
            }
        }
    }
    for (point, doc, vars) in &comment_points {
        let of_hidden = masked(
            &ask(&kaz, doc, vars, &hidden_comment).await,
            &hidden_comment,
        );
        let of_missing = masked(&ask(&kaz, doc, vars, &missing).await, &missing);
        assert_eq!(
            of_hidden, of_missing,
            "{point}: a hidden comment is told from a missing one"
        );
        assert_eq!(code(&of_hidden), "NOT_FOUND", "{point}: {of_hidden}");
    }
    // The note itself stays KAZ's to read, without the draft.
    let body = app
        .gql(
            &kaz,
            "query($id: ID!) { note(id: $id) { id enclosures { draft { id } } } }",
            json!({ "id": note }),
        )
        .await;
    assert!(
        ok(&body, "the note")["note"]["enclosures"][0]["draft"].is_null(),
        "{body}"
    );
    // The Secretariat finds the note by the draft it encloses.
    let body = app
        .gql(
            &app.secretariat(),
            "query($id: ID!) { notes(filter: { draftId: $id }) { totalCount } }",
            json!({ "id": hidden }),
        )
        .await;
    assert_eq!(
        ok(&body, "the Secretariat's filter")["notes"]["totalCount"],
        1
    );
    assert_eq!(app.audit_entries().await, before, "a probe wrote something");
}

async fn administrator(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (drafting, _) = app.create_draft(&["CICA", "SCO"]).await;
    let (circulated, _) = app.draft_in_state(DraftState::Circulated).await;
    let said = app
        .op_ok(
            &app.delegate("KAZ"),
            "AddComment",
            json!({ "input": { "draftId": circulated, "version": 1, "body": "Kazakhstan's remark." }}),
        )
        .await;
    let comment = str_at(&said, "/addComment/comment/id");
    let (unsent, _) = note_of(&app, reminder("the unsent text", None, &[]), false).await;

    for org in ["CICA", "KAZ", "SCO"] {
        let admin = app.token(&format!("admin-{org}"), "An Administrator", org, &["admin"]);
        let body = app
            .gql(
                &admin,
                "{ drafts(first: 50) { totalCount nodes { id } } }",
                json!({}),
            )
            .await;
        let data = ok(&body, "drafts");
        assert_eq!(data["drafts"]["totalCount"], 0, "{org}: {data}");
        assert_eq!(data["drafts"]["nodes"], json!([]), "{org}: {data}");
        for id in [&drafting, &circulated] {
            let body = app
                .gql(
                    &admin,
                    "query($id: ID!) { draft(id: $id) { id comments { id } } }",
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(code(&body), "NOT_FOUND", "{org}: {body}");
        }
        let body = app
            .gql(&admin, "{ notes(first: 50) { totalCount } }", json!({}))
            .await;
        assert_eq!(
            ok(&body, "notes")["notes"]["totalCount"],
            0,
            "{org}: {body}"
        );
        let body = app
            .gql(
                &admin,
                "query($id: ID!) { note(id: $id) { id } }",
                json!({ "id": unsent }),
            )
            .await;
        assert_eq!(code(&body), "NOT_FOUND", "{org}: {body}");
        let body = app
            .gql(
                &admin,
                "mutation($i: WithdrawCommentInput!) { withdrawComment(input: $i) { comment { id } } }",
                json!({ "i": { "commentId": comment } }),
            )
            .await;
        assert_eq!(code(&body), "NOT_FOUND", "{org}: {body}");
    }
    // The same person with a reading role reads again.
    let both = app.token(
        "officer-admin",
        "An Officer",
        "CICA",
        &["secretariat", "admin"],
    );
    let body = app
        .gql(&both, "{ drafts(first: 50) { totalCount } }", json!({}))
        .await;
    assert_eq!(ok(&body, "drafts")["drafts"]["totalCount"], 2);
}
