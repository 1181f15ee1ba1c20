//! Member states' stances on the version under consideration, and the
//! compilation of proposals circulated to them: over HTTP, on both
//! databases.

use accord_domain::DraftState;
use serde_json::{Value, json};

use crate::attacks::note_of;
use crate::helpers::{
    Backend, TestApp, error_code, ok, soc_date, spawn_app, standard_items, str_at,
};
use crate::on_both_backends;

on_both_backends!(
    stances =>
        member_states_state_their_stances_and_an_objection_stops_the_soc_sqlite,
        member_states_state_their_stances_and_an_objection_stops_the_soc_postgres
);
on_both_backends!(
    new_version =>
        a_new_version_asks_every_state_again_sqlite,
        a_new_version_asks_every_state_again_postgres
);
on_both_backends!(
    compilation =>
        a_circulated_compilation_shows_every_states_proposals_sqlite,
        a_circulated_compilation_shows_every_states_proposals_postgres
);

const RECORD_STANCE: &str = "mutation Stance($input: RecordStanceInput!) {
    recordStance(input: $input) { draft { id state } } }";
const WITHDRAWN: &str = "mutation Withdrawn($input: RecordObjectionWithdrawnInput!) {
    recordObjectionWithdrawn(input: $input) { draft { id state } } }";
const STANCES: &str = "query Stances($id: ID!, $version: Int) {
    draft(id: $id) { stances(version: $version) {
        memberState stance text recordedBy recordedAt standingObjection
        withdrawal { recordedBy remark } } } }";
const SOC: &str = "mutation Soc($input: RecordSocAgreementInput!) {
    recordSocAgreement(input: $input) { draft { state } } }";
const CIRCULATE_COMPILATION: &str = "mutation Compile($input: CirculateCompilationInput!) {
    circulateCompilation(input: $input) {
        draft { id circulatedCompilations { version note { number } } }
        note { id status number } } }";
const COMPILATION: &str = "query Compilation($id: ID!, $version: Int!) {
    draft(id: $id) {
        compilation(version: $version) { anchor proposals { id organization { code } status reply } }
        comments { id organization { code } kind } } }";

async fn stance(
    app: &TestApp,
    token: &str,
    id: &str,
    version: i64,
    stance: &str,
    text: Option<&str>,
) -> Value {
    app.gql(
        token,
        RECORD_STANCE,
        json!({ "input": { "draftId": id, "version": version, "stance": stance, "text": text } }),
    )
    .await
}

async fn table(app: &TestApp, token: &str, id: &str, version: Option<i64>) -> Vec<Value> {
    let body = app
        .gql(token, STANCES, json!({ "id": id, "version": version }))
        .await;
    ok(&body, "stances")["draft"]["stances"]
        .as_array()
        .unwrap()
        .clone()
}

fn line<'a>(lines: &'a [Value], code: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["memberState"] == code)
        .unwrap_or_else(|| panic!("no line for {code}: {lines:?}"))
}

async fn soc(app: &TestApp, id: &str) -> Value {
    app.gql(
        &app.secretariat(),
        SOC,
        json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
    )
    .await
}

async fn stances(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    let kaz = app.delegate("KAZ");
    let chn = app.delegate("CHN");

    // A delegate states its own state's stance; it reads its own line only.
    ok(
        &stance(&app, &kaz, &id, 1, "NO_OBJECTION", None).await,
        "KAZ",
    );
    let own = table(&app, &kaz, &id, None).await;
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["memberState"], "KAZ");
    assert_eq!(own[0]["stance"], "NO_OBJECTION");

    // A reservation needs its wording; refused, nothing is recorded.
    let bare = stance(&app, &chn, &id, 1, "RESERVATION", None).await;
    assert_eq!(
        error_code(&bare).as_deref(),
        Some("BAD_USER_INPUT"),
        "{bare}"
    );
    assert!(line(&table(&app, &chn, &id, None).await, "CHN")["stance"].is_null());
    ok(
        &stance(
            &app,
            &chn,
            &id,
            1,
            "RESERVATION",
            Some("China reserves its position on item 2."),
        )
        .await,
        "CHN",
    );

    // Only member states' delegates state stances.
    for token in [
        app.secretariat(),
        app.observer("JPN"),
        app.counterpart("SCO"),
    ] {
        let refused = stance(&app, &token, &id, 1, "NO_OBJECTION", None).await;
        assert_eq!(
            error_code(&refused).as_deref(),
            Some("FORBIDDEN"),
            "{refused}"
        );
    }
    // Only the version under consideration.
    let stale = stance(&app, &kaz, &id, 2, "NO_OBJECTION", None).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");

    // KAZ changes its mind: its stance is replaced.
    ok(
        &stance(
            &app,
            &kaz,
            &id,
            1,
            "OBJECTION",
            Some("Kazakhstan objects to item 3."),
        )
        .await,
        "KAZ",
    );

    // The Secretariat's table: every member state, answered or not.
    let all = table(&app, &app.secretariat(), &id, Some(1)).await;
    assert_eq!(all.len(), 28, "one line per member state: {all:?}");
    assert_eq!(line(&all, "KAZ")["stance"], "OBJECTION");
    assert_eq!(line(&all, "KAZ")["standingObjection"], true);
    assert_eq!(line(&all, "CHN")["stance"], "RESERVATION");
    assert_eq!(
        line(&all, "CHN")["text"],
        "China reserves its position on item 2."
    );
    assert!(line(&all, "IND")["stance"].is_null());
    assert!(line(&all, "IND")["recordedBy"].is_null());
    // Observers see no stances at all.
    assert!(
        table(&app, &app.observer("JPN"), &id, None)
            .await
            .is_empty()
    );

    // The SOC cannot agree a version to which a state objects.
    app.advance(
        &id,
        DraftState::Circulated,
        DraftState::SwgDiscussion,
        &["CICA", "SCO"],
    )
    .await;
    let refused = soc(&app, &id).await;
    assert_eq!(
        error_code(&refused).as_deref(),
        Some("INVALID_TRANSITION"),
        "{refused}"
    );
    assert!(refused.to_string().contains("KAZ objects"), "{refused}");
    assert_eq!(
        app.draft(&app.secretariat(), &id).await["state"],
        "SWG_DISCUSSION"
    );

    // Only an objection can be withdrawn, and only by the Secretariat.
    let withdraw = |code: &str| {
        json!({ "input": { "draftId": id, "version": 1, "memberState": code,
            "remark": "Withdrawn at the SOC meeting." } })
    };
    let not_objection = app
        .gql(&app.secretariat(), WITHDRAWN, withdraw("CHN"))
        .await;
    assert_eq!(
        error_code(&not_objection).as_deref(),
        Some("INVALID_TRANSITION"),
        "{not_objection}"
    );
    let by_kaz = app.gql(&kaz, WITHDRAWN, withdraw("KAZ")).await;
    assert_eq!(
        error_code(&by_kaz).as_deref(),
        Some("FORBIDDEN"),
        "{by_kaz}"
    );
    ok(
        &app.gql(&app.secretariat(), WITHDRAWN, withdraw("KAZ"))
            .await,
        "withdrawn",
    );
    let kaz_line = line(&table(&app, &app.secretariat(), &id, Some(1)).await, "KAZ").clone();
    assert_eq!(kaz_line["stance"], "OBJECTION");
    assert_eq!(kaz_line["standingObjection"], false);
    assert_eq!(
        kaz_line["withdrawal"]["remark"],
        "Withdrawn at the SOC meeting."
    );

    // Now the SOC agrees it.
    let agreed = soc(&app, &id).await;
    assert_eq!(
        ok(&agreed, "agreed")["recordSocAgreement"]["draft"]["state"],
        "SOC_AGREED"
    );

    // Every stance and the withdrawal are in the draft's history.
    let history = app
        .gql(
            &app.secretariat(),
            "query($id: ID!) { draft(id: $id) { history { action } } }",
            json!({ "id": id }),
        )
        .await;
    let actions: Vec<&str> = history["data"]["draft"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "RECORD_STANCE").count(),
        3,
        "{actions:?}"
    );
    assert!(
        actions.contains(&"RECORD_OBJECTION_WITHDRAWN"),
        "{actions:?}"
    );
}

async fn new_version(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    let kaz = app.delegate("KAZ");
    ok(
        &stance(&app, &kaz, &id, 1, "OBJECTION", None).await,
        "KAZ objects",
    );
    let secretariat = app.secretariat();
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)") }}),
    )
    .await;
    // Version 2 is not under consideration until it is circulated.
    let early = stance(&app, &kaz, &id, 2, "NO_OBJECTION", None).await;
    assert_eq!(error_code(&early).as_deref(), Some("CONFLICT"), "{early}");
    app.op_ok(
        &secretariat,
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" }}),
    )
    .await;
    // The new version asks again: KAZ has not answered on it.
    let fresh = table(&app, &kaz, &id, None).await;
    assert!(fresh[0]["stance"].is_null(), "{fresh:?}");
    assert_eq!(
        line(&table(&app, &secretariat, &id, Some(1)).await, "KAZ")["stance"],
        "OBJECTION"
    );
    // The objection to version 1 does not stop the SOC agreeing version 2.
    app.advance(
        &id,
        DraftState::Circulated,
        DraftState::SwgDiscussion,
        &["CICA", "SCO"],
    )
    .await;
    ok(&soc(&app, &id).await, "agreed");
    // Nor can stances be recorded once the text is agreed.
    let late = stance(&app, &kaz, &id, 2, "OBJECTION", None).await;
    assert_eq!(
        error_code(&late).as_deref(),
        Some("INVALID_TRANSITION"),
        "{late}"
    );
}

/// The unsent covering note of a compilation, to `addressees` (all member
/// states when `None`), enclosing version 1 of `draft_id`.
async fn covering_note(app: &TestApp, draft_id: &str, addressees: Option<&[&str]>) -> String {
    let mut input = json!({
        "series": "PAR",
        "purpose": "INFORMATION",
        "subject": [{ "lang": "EN", "text": "Compilation of proposals" }],
        "body": [{ "lang": "EN", "text": "The Secretariat circulates the compilation of proposals of Member States." }],
        "enclosures": [{ "draftId": draft_id, "version": 1, "pages": 3 }],
    });
    if let Some(codes) = addressees {
        input["addressees"] = json!(codes);
    }
    note_of(app, input, false).await.0
}

fn codes_of(proposals: &Value) -> Vec<String> {
    proposals
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["proposals"].as_array().unwrap().clone())
        .map(|p| p["organization"]["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn compilation(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, _) = app.draft_in_state(DraftState::Circulated).await;
    let (kaz, chn) = (app.delegate("KAZ"), app.delegate("CHN"));
    let secretariat = app.secretariat();
    app.propose(&kaz, &id, "item-2").await;
    let chinese = app.propose(&chn, &id, "item-3").await;
    let remark = app
        .op_ok(
            &chn,
            "AddComment",
            json!({ "input": { "draftId": id, "version": 1, "body": "China's general remark." }}),
        )
        .await;
    let remark = str_at(&remark, "/addComment/comment/id");
    app.op_ok(
        &secretariat,
        "ResolveProposal",
        json!({ "input": { "commentId": chinese, "resolution": "NOT_ACCOMMODATED", "reply": "Kept as circulated." }}),
    )
    .await;
    let compiled = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            let body = app
                .gql(&token, COMPILATION, json!({ "id": id, "version": 1 }))
                .await;
            ok(&body, "compilation")["draft"].clone()
        }
    };

    // Before: a member state reads its own proposals only.
    assert_eq!(
        codes_of(&compiled(kaz.clone()).await["compilation"]),
        ["KAZ"]
    );

    // A note to named states cannot carry it; the note stays unsent.
    let named = covering_note(&app, &id, Some(&["KAZ", "CHN"])).await;
    let refused = app
        .gql(
            &secretariat,
            CIRCULATE_COMPILATION,
            json!({ "input": { "draftId": id, "version": 1, "noteId": named, "revision": 1 } }),
        )
        .await;
    assert_eq!(
        error_code(&refused).as_deref(),
        Some("BAD_USER_INPUT"),
        "{refused}"
    );
    // Nor by anyone but the Secretariat.
    let note = covering_note(&app, &id, None).await;
    let input = json!({ "input": { "draftId": id, "version": 1, "noteId": note, "revision": 1 } });
    let by_kaz = app.gql(&kaz, CIRCULATE_COMPILATION, input.clone()).await;
    assert_eq!(
        error_code(&by_kaz).as_deref(),
        Some("FORBIDDEN"),
        "{by_kaz}"
    );

    let done = app
        .gql(&secretariat, CIRCULATE_COMPILATION, input.clone())
        .await;
    let done = ok(&done, "circulated")["circulateCompilation"].clone();
    assert_eq!(done["note"]["status"], "ISSUED", "{done}");
    let number = done["note"]["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("PAR/"), "{number}");
    assert_eq!(done["draft"]["circulatedCompilations"][0]["version"], 1);
    assert_eq!(
        done["draft"]["circulatedCompilations"][0]["note"]["number"],
        number.as_str()
    );

    // After: every state's proposals and their dispositions; not the other
    // states' plain comments.
    let seen = compiled(kaz.clone()).await;
    let mut codes = codes_of(&seen["compilation"]);
    codes.sort();
    assert_eq!(codes, ["CHN", "KAZ"]);
    let china = seen["compilation"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["proposals"].as_array().unwrap().clone())
        .find(|p| p["id"] == chinese.as_str())
        .unwrap();
    assert_eq!(china["status"], "NOT_ACCOMMODATED");
    assert_eq!(china["reply"], "Kept as circulated.");
    let comments = seen["comments"].as_array().unwrap();
    assert!(
        comments.iter().all(|c| c["id"] != remark.as_str()),
        "{seen}"
    );
    // Observers still read none.
    assert!(codes_of(&compiled(app.observer("JPN")).await["compilation"]).is_empty());
    // Seeing a proposal is not owning it.
    let edit = app
        .gql(
            &kaz,
            "mutation($input: EditCommentInput!) { editComment(input: $input) { comment { id } } }",
            json!({ "input": { "commentId": chinese, "body": "Changed by KAZ" }}),
        )
        .await;
    assert_eq!(error_code(&edit).as_deref(), Some("FORBIDDEN"), "{edit}");

    // Once only.
    let again = covering_note(&app, &id, None).await;
    let twice = app
        .gql(
            &secretariat,
            CIRCULATE_COMPILATION,
            json!({ "input": { "draftId": id, "version": 1, "noteId": again, "revision": 1 } }),
        )
        .await;
    assert_eq!(
        error_code(&twice).as_deref(),
        Some("INVALID_TRANSITION"),
        "{twice}"
    );
}
