//! The registry of notes verbales over HTTP: writing, editing and issuing
//! notes, numbering under concurrency, who sees which note, search,
//! filters and pagination, rendering, and circulation through the registry.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, all_at_once, error_code, ok, spawn_app, str_at, year};
use crate::on_both_backends;

on_both_backends!(lifecycle => a_note_is_written_edited_issued_and_then_frozen_sqlite, a_note_is_written_edited_issued_and_then_frozen_postgres);
on_both_backends!(only_secretariat => only_the_secretariat_writes_and_issues_notes_sqlite, only_the_secretariat_writes_and_issues_notes_postgres);
on_both_backends!(visibility => others_see_only_issued_notes_addressed_to_them_sqlite, others_see_only_issued_notes_addressed_to_them_postgres);
on_both_backends!(concurrent_issue => notes_issued_at_once_get_gap_free_unique_numbers_sqlite, notes_issued_at_once_get_gap_free_unique_numbers_postgres);
on_both_backends!(search => the_registry_is_searched_filtered_and_paged_sqlite, the_registry_is_searched_filtered_and_paged_postgres);
on_both_backends!(circulation => circulating_a_draft_issues_a_registry_note_sqlite, circulating_a_draft_issues_a_registry_note_postgres);
on_both_backends!(bad_input => malformed_notes_are_refused_as_bad_user_input_sqlite, malformed_notes_are_refused_as_bad_user_input_postgres);

const NOTE_FIELDS: &str = "id status series number year date place purpose revision
    subject(lang: EN) body(lang: RU)
    addressees { allMemberStates organizations { code } }
    references { number date note { id } } referencedBy { number }
    enclosures { pages version title(lang: EN) draft { id } }";

const CREATE: &str = "mutation Create($input: CreateNoteInput!) {
    createNote(input: $input) { note { id status number revision } } }";
const EDIT: &str = "mutation Edit($input: EditNoteInput!) {
    editNote(input: $input) { note { id status revision subject(lang: EN) } } }";
const ISSUE: &str = "mutation Issue($input: IssueNoteInput!) {
    issueNote(input: $input) { note { id status number date revision } } }";

/// A reminder's content; `addressees` `None` for all member states.
fn reminder(subject: &str, addressees: Option<&[&str]>) -> Value {
    let mut input = json!({
        "series": "SOC",
        "purpose": "REMINDER",
        "subject": [{ "lang": "EN", "text": subject }],
        "body": [
            { "lang": "EN", "text": "The Secretariat kindly reminds the organizing Member States of the deadlines.\n\nThe concept paper is due 60 days before the event." },
            { "lang": "RU", "text": "Секретариат любезно НАПОМИНАЕТ о сроках представления концепции мероприятия." }
        ],
    });
    if let Some(codes) = addressees {
        input["addressees"] = json!(codes);
    }
    input
}

/// Writes a note as the Secretariat; its id.
async fn create(app: &TestApp, input: Value) -> String {
    let body = app
        .gql(&app.secretariat(), CREATE, json!({ "input": input }))
        .await;
    str_at(&ok(&body, "createNote"), "/createNote/note/id")
}

/// Issues note `id` at `revision` as the Secretariat; its number.
async fn issue(app: &TestApp, id: &str, revision: i64) -> String {
    let body = app
        .gql(
            &app.secretariat(),
            ISSUE,
            json!({ "input": { "noteId": id, "revision": revision } }),
        )
        .await;
    str_at(&ok(&body, "issueNote"), "/issueNote/note/number")
}

/// Writes and issues a note; its id and number.
async fn issued(app: &TestApp, input: Value) -> (String, String) {
    let id = create(app, input).await;
    let number = issue(app, &id, 1).await;
    (id, number)
}

/// `note(id)` as `token`: the whole body.
async fn note(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(
        token,
        &format!("query Note($id: ID!) {{ note(id: $id) {{ {NOTE_FIELDS} }} }}"),
        json!({ "id": id }),
    )
    .await
}

/// `notes(filter, first, after)` as `token`: the `notes` connection.
async fn notes(
    app: &TestApp,
    token: &str,
    filter: Value,
    first: i64,
    after: Option<&str>,
) -> Value {
    let body = app
        .gql(
            token,
            "query Notes($filter: NoteFilter, $first: Int, $after: String) {
                notes(filter: $filter, first: $first, after: $after) {
                    totalCount pageInfo { hasNextPage endCursor } nodes { id number status }
                } }",
            json!({ "filter": filter, "first": first, "after": after }),
        )
        .await;
    ok(&body, "notes")["notes"].clone()
}

/// The ids of a page's nodes.
fn ids(page: &Value) -> Vec<String> {
    page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| str_at(n, "/id"))
        .collect()
}

async fn render(app: &TestApp, token: &str, id: &str, lang: &str, format: &str) -> String {
    let body = app
        .gql(
            token,
            "query Render($id: ID!, $lang: Lang!, $format: RenderFormat!) {
                note(id: $id) { render(lang: $lang, format: $format) } }",
            json!({ "id": id, "lang": lang, "format": format }),
        )
        .await;
    str_at(&ok(&body, "render"), "/note/render")
}

async fn lifecycle(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let id = create(&app, reminder("Deadlines of the CBM plan", None)).await;
    let seen = ok(&note(&app, &secretariat, &id).await, "note");
    assert_eq!(seen["note"]["status"], "DRAFT");
    assert_eq!(seen["note"]["number"], Value::Null);
    assert_eq!(seen["note"]["date"], Value::Null);
    assert_eq!(seen["note"]["place"], "Astana");
    assert_eq!(seen["note"]["revision"], 1);
    assert_eq!(seen["note"]["addressees"]["allMemberStates"], true);
    // Unsent, it already renders, without number or date.
    let draft_text = render(&app, &secretariat, &id, "EN", "TEXT").await;
    assert!(draft_text.contains("№ SOC/…"), "{draft_text}");

    // Edits compare and set the revision.
    let edit = |revision: i64, subject: &str| {
        json!({ "input": { "noteId": id, "revision": revision,
            "note": reminder(subject, None) } })
    };
    let body = app
        .gql(&secretariat, EDIT, edit(1, "Deadlines, revised"))
        .await;
    let edited = ok(&body, "editNote");
    assert_eq!(edited["editNote"]["note"]["revision"], 2);
    assert_eq!(edited["editNote"]["note"]["subject"], "Deadlines, revised");
    let stale = app.gql(&secretariat, EDIT, edit(1, "Lost update")).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let stale_issue = app
        .gql(
            &secretariat,
            ISSUE,
            json!({ "input": { "noteId": id, "revision": 1 } }),
        )
        .await;
    assert_eq!(
        error_code(&stale_issue).as_deref(),
        Some("CONFLICT"),
        "{stale_issue}"
    );

    // Issuing numbers, dates and freezes it.
    let number = issue(&app, &id, 2).await;
    assert_eq!(number, "SOC/1");
    let seen = ok(&note(&app, &secretariat, &id).await, "note");
    assert_eq!(seen["note"]["status"], "ISSUED");
    assert_eq!(seen["note"]["year"], year());
    assert_eq!(seen["note"]["revision"], Value::Null);
    for refused in [
        app.gql(&secretariat, EDIT, edit(2, "After issue")).await,
        app.gql(
            &secretariat,
            ISSUE,
            json!({ "input": { "noteId": id, "revision": 2 } }),
        )
        .await,
    ] {
        assert_eq!(
            error_code(&refused).as_deref(),
            Some("INVALID_TRANSITION"),
            "{refused}"
        );
    }

    // A later note cites it; both directions are seen.
    let mut follow_up = reminder("Second reminder", None);
    follow_up["references"] = json!(["SOC/1"]);
    let (later, later_number) = issued(&app, follow_up).await;
    assert_eq!(later_number, "SOC/2");
    let seen = ok(&note(&app, &secretariat, &later).await, "note");
    assert_eq!(seen["note"]["references"][0]["number"], "SOC/1");
    assert_eq!(seen["note"]["references"][0]["note"]["id"], id.as_str());
    let first = ok(&note(&app, &secretariat, &id).await, "note");
    assert_eq!(first["note"]["referencedBy"][0]["number"], "SOC/2");
    let by_number = app
        .gql(
            &secretariat,
            "query { noteByNumber(number: \"SOC/2\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        str_at(&ok(&by_number, "noteByNumber"), "/noteByNumber/id"),
        later
    );

    // The rendering carries the formulae, the citation and the number.
    let text = render(&app, &secretariat, &later, "EN", "TEXT").await;
    assert!(text.contains("№ SOC/2"), "{text}");
    assert!(
        text.contains("presents its compliments to the CICA Member States and, with reference to its note No. SOC/1 of "),
        "{text}"
    );
    assert!(text.contains("The Secretariat avails itself of this opportunity to renew to the CICA Member States the assurances of its highest consideration."), "{text}");
    let russian = render(&app, &secretariat, &later, "RU", "TEXT").await;
    assert!(
        russian.contains("свидетельствует свое уважение государствам-членам СВМДА"),
        "{russian}"
    );
    assert!(russian.contains("город Астана, "), "{russian}");
    let html = render(&app, &secretariat, &later, "EN", "HTML").await;
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("size: A4")
            && html.contains("@media print")
    );
    // The body has no Kazakh text, so the note was issued in EN and RU only.
    let body = app
        .gql(
            &secretariat,
            "query R($id: ID!) { note(id: $id) { render(lang: KK, format: TEXT) } }",
            json!({ "id": later }),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
}

async fn only_secretariat(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let unsent = create(&app, reminder("Unsent", None)).await;
    let (sent, _) = issued(&app, reminder("Sent to all", None)).await;
    let others = [
        app.delegate("KAZ"),
        app.counterpart("SCO"),
        app.sg("CICA"),
        app.sg("SCO"),
        app.observer("JPN"),
    ];
    for (n, token) in others.iter().enumerate() {
        let body = app
            .gql(
                token,
                CREATE,
                json!({ "input": reminder("Not mine", None) }),
            )
            .await;
        // The CICA Secretary General belongs to the Secretariat's
        // organisation but is not a Secretariat officer.
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{n}: {body}"
        );
        let body = app
            .gql(
                token,
                ISSUE,
                json!({ "input": { "noteId": unsent, "revision": 1 } }),
            )
            .await;
        let want = if n == 2 { "FORBIDDEN" } else { "NOT_FOUND" };
        assert_eq!(error_code(&body).as_deref(), Some(want), "{n}: {body}");
    }
    // A delegate sees the issued note, but may not touch it.
    let kaz = app.delegate("KAZ");
    let body = app
        .gql(
            &kaz,
            EDIT,
            json!({ "input": { "noteId": sent, "revision": 1, "note": reminder("Mine now", None) } }),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    // Nothing was written by the refusals.
    let all = notes(&app, &app.secretariat(), json!({}), 50, None).await;
    assert_eq!(all["totalCount"], 2);
}

async fn visibility(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (to_all, _) = issued(&app, reminder("To all member states", None)).await;
    let (to_rus, _) = issued(&app, reminder("To Russia", Some(&["RUS"]))).await;
    let (to_kaz, _) = issued(
        &app,
        reminder("To Kazakhstan and China", Some(&["KAZ", "CHN"])),
    )
    .await;
    let (to_sco, _) = issued(&app, reminder("To the SCO Secretariat", Some(&["SCO"]))).await;
    let unsent = create(&app, reminder("Not yet sent", None)).await;

    let kaz = app.delegate("KAZ");
    for id in [&to_all, &to_kaz] {
        let body = note(&app, &kaz, id).await;
        assert_eq!(ok(&body, "note")["note"]["status"], "ISSUED");
    }
    for id in [&to_rus, &to_sco, &unsent] {
        let body = note(&app, &kaz, id).await;
        assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    }
    let listed: BTreeSet<String> = ids(&notes(&app, &kaz, json!({}), 50, None).await)
        .into_iter()
        .collect();
    assert_eq!(listed, BTreeSet::from([to_all.clone(), to_kaz.clone()]));
    let named = ok(&note(&app, &kaz, &to_kaz).await, "note");
    let codes: Vec<&str> = named["note"]["addressees"]["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KAZ", "CHN"]);

    let sco = app.counterpart("SCO");
    assert_eq!(
        ids(&notes(&app, &sco, json!({}), 50, None).await),
        [to_sco.as_str()]
    );
    let body = note(&app, &sco, &to_all).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    assert_eq!(
        notes(&app, &app.observer("JPN"), json!({}), 50, None).await["totalCount"],
        0
    );

    let secretariat = app.secretariat();
    assert_eq!(
        notes(&app, &secretariat, json!({}), 50, None).await["totalCount"],
        5
    );
    let unsent_only = notes(&app, &secretariat, json!({ "status": "DRAFT" }), 50, None).await;
    assert_eq!(ids(&unsent_only), [unsent.as_str()]);
    // Addressed to KAZ: the notes to all member states and to KAZ by name.
    let to_kaz_filter = notes(
        &app,
        &secretariat,
        json!({ "addressee": "KAZ", "status": "ISSUED" }),
        50,
        None,
    )
    .await;
    let listed: BTreeSet<String> = ids(&to_kaz_filter).into_iter().collect();
    assert_eq!(listed, BTreeSet::from([to_all, to_kaz]));
}

async fn concurrent_issue(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    const N: usize = 8;
    let mut ids = Vec::new();
    for n in 0..N {
        ids.push(create(&app, reminder(&format!("Reminder {n}"), None)).await);
    }
    let token = app.secretariat();
    let futures = ids
        .iter()
        .map(|id| {
            let (app, token, id) = (Arc::clone(&app), token.clone(), id.clone());
            async move {
                app.gql(
                    &token,
                    ISSUE,
                    json!({ "input": { "noteId": id, "revision": 1 } }),
                )
                .await
            }
        })
        .collect();
    let answers = all_at_once(futures).await;
    let numbers: BTreeSet<String> = answers
        .iter()
        .map(|body| str_at(&ok(body, "issueNote"), "/issueNote/note/number"))
        .collect();
    let want: BTreeSet<String> = (1..=N).map(|n| format!("SOC/{n}")).collect();
    assert_eq!(numbers, want, "numbers are unique and gap-free");
    // Issuing the same note twice at once: one wins, the other is refused.
    let id = create(&app, reminder("Twice", None)).await;
    let futures = (0..2)
        .map(|_| {
            let (app, token, id) = (Arc::clone(&app), token.clone(), id.clone());
            async move {
                app.gql(
                    &token,
                    ISSUE,
                    json!({ "input": { "noteId": id, "revision": 1 } }),
                )
                .await
            }
        })
        .collect();
    let answers = all_at_once(futures).await;
    let won = answers.iter().filter(|b| error_code(b).is_none()).count();
    assert_eq!(won, 1, "{answers:?}");
    for body in answers.iter().filter(|b| error_code(b).is_some()) {
        let code = error_code(body).unwrap();
        assert!(code == "CONFLICT" || code == "INVALID_TRANSITION", "{body}");
    }
    let total = notes(
        &app,
        &token,
        json!({ "series": "SOC", "status": "ISSUED" }),
        50,
        None,
    )
    .await;
    assert_eq!(total["totalCount"], N + 1);
}

async fn search(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (reminder_id, _) = issued(&app, reminder("Deadlines", None)).await;
    let mut invitation = reminder("Invitation to the SWG", None);
    invitation["purpose"] = json!("INVITATION");
    invitation["series"] = json!("PAR");
    invitation["body"] = json!([
        { "lang": "EN", "text": "The Secretariat invites the Member States to the meeting of the Special Working Group." },
        { "lang": "RU", "text": "Секретариат приглашает государства-члены на заседание Специальной рабочей группы." }
    ]);
    let (invitation_id, _) = issued(&app, invitation).await;
    let unsent = create(&app, reminder("Draft information", Some(&["KAZ"]))).await;
    let secretariat = app.secretariat();

    // Full text, in Russian, whatever the case.
    let found = notes(
        &app,
        &secretariat,
        json!({ "text": "напоминает", "status": "ISSUED" }),
        50,
        None,
    )
    .await;
    assert_eq!(ids(&found), [reminder_id.as_str()]);
    let found = notes(
        &app,
        &secretariat,
        json!({ "text": "РАБОЧЕЙ ГРУППЫ" }),
        50,
        None,
    )
    .await;
    assert_eq!(ids(&found), [invitation_id.as_str()]);
    let found = notes(
        &app,
        &app.delegate("KAZ"),
        json!({ "text": "Напоминает" }),
        50,
        None,
    )
    .await;
    assert_eq!(
        ids(&found),
        [reminder_id.as_str()],
        "unsent notes are not found by delegates"
    );
    let found = notes(&app, &secretariat, json!({ "text": "100%_" }), 50, None).await;
    assert_eq!(found["totalCount"], 0);

    // Filters.
    let by_purpose = notes(
        &app,
        &secretariat,
        json!({ "purpose": "INVITATION" }),
        50,
        None,
    )
    .await;
    assert_eq!(ids(&by_purpose), [invitation_id.as_str()]);
    let by_series = notes(&app, &secretariat, json!({ "series": "SOC" }), 50, None).await;
    assert_eq!(by_series["totalCount"], 2);
    let today = chrono::Utc::now().date_naive();
    let by_year = notes(&app, &secretariat, json!({ "year": year() }), 50, None).await;
    assert_eq!(by_year["totalCount"], 2, "unsent notes have no year");
    let range = json!({ "dateFrom": (today - chrono::Days::new(2)).to_string(), "dateTo": (today + chrono::Days::new(2)).to_string() });
    assert_eq!(
        notes(&app, &secretariat, range, 50, None).await["totalCount"],
        2
    );
    let past = json!({ "dateTo": "2020-01-01" });
    assert_eq!(
        notes(&app, &secretariat, past, 50, None).await["totalCount"],
        0
    );
    let backwards = app
        .gql(
            &secretariat,
            "query { notes(filter: { dateFrom: \"2024-02-01\", dateTo: \"2024-01-01\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&backwards).as_deref(), Some("BAD_USER_INPUT"));

    // Pagination: newest first, no repeats, nothing missed.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = notes(&app, &secretariat, json!({}), 2, after.as_deref()).await;
        assert_eq!(page["totalCount"], 3);
        seen.extend(ids(&page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = Some(str_at(&page, "/pageInfo/endCursor"));
    }
    assert_eq!(seen, [unsent, invitation_id, reminder_id]);
    let bad_cursor = app
        .gql(
            &secretariat,
            "query { notes(after: \"nope\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad_cursor).as_deref(), Some("BAD_USER_INPUT"));
}

async fn circulation(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (draft_id, _) = app.create_draft(&["CICA", "SCO"]).await;
    let secretariat = app.secretariat();
    // A meeting to come with the draft on its agenda, and one gone by:
    // the note announces the first only.
    let next_year = year() + 1;
    for date in [format!("{next_year}-02-10"), format!("{}-01-15", year())] {
        let meeting = app
            .gql(
                &secretariat,
                "mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }",
                json!({ "input": { "body": "SWG", "date": date } }),
            )
            .await;
        let meeting_id = str_at(
            &ok(&meeting, "scheduleMeeting"),
            "/scheduleMeeting/meeting/id",
        );
        let added = app
            .gql(
                &secretariat,
                "mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }",
                json!({ "input": { "meetingId": meeting_id, "draftId": draft_id } }),
            )
            .await;
        ok(&added, "addAgendaItem");
    }
    let circulated = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": draft_id, "series": "PAR" } }),
        )
        .await;
    let number = str_at(&circulated, "/circulateDraft/note/number");
    assert_eq!(number, "PAR/1");
    let found = notes(&app, &secretariat, json!({ "draftId": draft_id }), 10, None).await;
    let [id] = &ids(&found)[..] else {
        panic!("one note circulates the draft: {found}");
    };
    let kaz = app.delegate("KAZ");
    let seen = ok(&note(&app, &kaz, id).await, "note");
    let seen = &seen["note"];
    assert_eq!(seen["purpose"], "CIRCULATION");
    assert_eq!(seen["status"], "ISSUED");
    assert_eq!(seen["addressees"]["allMemberStates"], true);
    assert_eq!(seen["enclosures"][0]["version"], 1);
    assert_eq!(seen["enclosures"][0]["draft"]["id"], draft_id.as_str());
    assert!(seen["enclosures"][0]["pages"].as_i64().unwrap() >= 1);
    let text = render(&app, &kaz, id, "EN", "TEXT").await;
    assert!(text.contains("\n\n№PAR/1\n\n"), "{text}");
    assert!(
        text.contains("presents its compliments to the CICA Member States and has the honour to forward for consideration the draft Action Plan for 2024-2029."),
        "{text}"
    );
    assert!(text.contains("Enclosure:\nas stated,\non "), "{text}");
    assert!(
        text.contains(&format!("\n\nThis draft is expected to be discussed and agreed upon as part of the agenda for the next meeting of the CICA Special Working Group on 10 February {next_year}.\n\n")),
        "{text}"
    );
    let text = render(&app, &kaz, id, "RU", "TEXT").await;
    assert!(
        text.contains("имеет честь направить на рассмотрение проект документа «План действий на 2024-2029 годы».")
            && text.contains(&format!("в рамках повестки дня очередного заседания Специальной рабочей группы СВМДА 10 февраля {next_year} года."))
            && text.contains("в своем весьма высоком уважении."),
        "{text}"
    );
    // The draft has no Kazakh title, so the note was not written in Kazakh.
    let kazakh = app
        .gql(
            &kaz,
            "query($id: ID!) { note(id: $id) { render(lang: KK, format: TEXT) } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        error_code(&kazakh).as_deref(),
        Some("BAD_USER_INPUT"),
        "{kazakh}"
    );
    assert!(
        kazakh["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("PAR/1") && m.contains("EN, RU")),
        "{kazakh}"
    );
    // The draft's notes are the registry's notes.
    let draft = app.draft(&kaz, &draft_id).await;
    assert_eq!(draft["notes"][0]["number"], "PAR/1");
}

async fn bad_input(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (draft_id, _) = app.create_draft(&["CICA"]).await;
    let mut cases: Vec<(&str, Value)> = vec![
        ("unknown addressee", reminder("x", Some(&["XXX"]))),
        ("malformed addressee", reminder("x", Some(&["kaz"]))),
        ("the sender as addressee", reminder("x", Some(&["CICA"]))),
        ("repeated addressee", reminder("x", Some(&["KAZ", "KAZ"]))),
    ];
    let mut blank = reminder("x", None);
    blank["body"] = json!([{ "lang": "EN", "text": "   " }]);
    cases.push(("blank body", blank));
    let mut none = reminder("x", None);
    none["body"] = json!([]);
    cases.push(("no body", none));
    let mut circulation = reminder("x", None);
    circulation["purpose"] = json!("CIRCULATION");
    cases.push(("circulation", circulation));
    let mut zero = reminder("x", None);
    zero["enclosures"] = json!([{ "title": [{ "lang": "EN", "text": "Programme" }], "pages": 0 }]);
    cases.push(("zero pages", zero));
    let mut both = reminder("x", None);
    both["enclosures"] = json!([{ "draftId": draft_id, "version": 1, "title": [{ "lang": "EN", "text": "P" }], "pages": 2 }]);
    cases.push(("ambiguous enclosure", both));
    let mut missing_version = reminder("x", None);
    missing_version["enclosures"] = json!([{ "draftId": draft_id, "version": 9, "pages": 2 }]);
    cases.push(("missing version", missing_version));
    let mut missing_reference = reminder("x", None);
    missing_reference["references"] = json!(["PAR/999"]);
    cases.push(("missing reference", missing_reference));
    let mut series = reminder("x", None);
    series["series"] = json!("soc");
    cases.push(("series", series));
    for (what, input) in cases {
        let body = app
            .gql(&secretariat, CREATE, json!({ "input": input }))
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{what}: {body}"
        );
    }
    // A good enclosure of a draft version is kept with its page count.
    let mut good = reminder("With the draft", None);
    good["enclosures"] = json!([{ "draftId": draft_id, "version": 1, "pages": 4 }]);
    let id = create(&app, good).await;
    let seen = ok(&note(&app, &secretariat, &id).await, "note");
    assert_eq!(seen["note"]["enclosures"][0]["pages"], 4);
    let text = render(&app, &secretariat, &id, "EN", "TEXT").await;
    assert!(text.contains("Enclosure:\nas stated,\non 4 p."), "{text}");
    assert_eq!(
        notes(&app, &secretariat, json!({}), 10, None).await["totalCount"],
        1
    );
}
