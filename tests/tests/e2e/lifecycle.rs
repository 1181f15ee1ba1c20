//! The whole path of a joint document, DRAFTING to SIGNED, through the
//! contract's operations only, and what each reader sees on the way.

use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, error_code, meeting_year, ok, soc_date, spawn_app, standard_items, str_at,
    swg_date, year,
};
use crate::on_both_backends;

on_both_backends!(
    full_path =>
        a_joint_document_goes_from_drafting_to_signed_sqlite,
        a_joint_document_goes_from_drafting_to_signed_postgres
);
on_both_backends!(
    swg_revisions =>
        a_revision_during_swg_discussion_is_recirculated_before_agreement_sqlite,
        a_revision_during_swg_discussion_is_recirculated_before_agreement_postgres
);
on_both_backends!(
    cited_order =>
        note_references_keep_the_order_cited_sqlite,
        note_references_keep_the_order_cited_postgres
);
on_both_backends!(
    mutations_in_one_request =>
        each_mutation_of_a_request_reads_what_the_ones_before_it_wrote_sqlite,
        each_mutation_of_a_request_reads_what_the_ones_before_it_wrote_postgres
);
on_both_backends!(
    dates_in_order =>
        a_meeting_cannot_take_up_a_draft_before_its_circulation_or_its_swg_sqlite,
        a_meeting_cannot_take_up_a_draft_before_its_circulation_or_its_swg_postgres
);
on_both_backends!(
    drafts_list =>
        the_drafts_list_pages_and_filters_sqlite,
        the_drafts_list_pages_and_filters_postgres
);

fn actions(draft: &Value) -> Vec<String> {
    draft["viewerActions"]
        .as_array()
        .unwrap_or_else(|| panic!("viewerActions in {draft}"))
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

fn column(list: &Value, pointer: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|entry| str_at(entry, pointer))
        .collect()
}

/// Runs the whole path on one draft and returns the app, the draft's id
/// and the agreed content hash; the audit tests reuse it.
pub async fn run_full_path(app: &TestApp) -> (String, String) {
    let secretariat = app.secretariat();
    let kaz = app.delegate("KAZ");
    let rus = app.delegate("RUS");
    let sco = app.counterpart("SCO");

    // Who am I?
    let viewer = app.op_ok(&secretariat, "Viewer", json!({})).await;
    assert_eq!(
        viewer["viewer"],
        json!({
            "id": "cica-officer",
            "name": "Aigerim Officer",
            "roles": ["SECRETARIAT"],
            "organization": { "code": "CICA", "kind": "SECRETARIAT", "name": viewer["viewer"]["organization"]["name"] }
        })
    );
    let viewer = app.op_ok(&kaz, "Viewer", json!({})).await;
    assert_eq!(viewer["viewer"]["roles"], json!(["DELEGATE"]));
    assert_eq!(viewer["viewer"]["organization"]["kind"], "MEMBER_STATE");

    // DRAFTING: version 1, then a revision.
    let (id, v1_hash) = app.create_draft(&["CICA", "SCO"]).await;
    assert_eq!(v1_hash.len(), 64, "a SHA-256 hex digest: {v1_hash}");
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(draft["state"], "DRAFTING");
    assert_eq!(draft["kind"], "ACTION_PLAN");
    assert_eq!(draft["title"], "Action Plan for 2024-2029");
    assert_eq!(column(&draft["signatories"], "/code"), ["CICA", "SCO"]);
    assert_eq!(
        actions(&draft),
        ["REVISE", "CIRCULATE", "WITHDRAW"],
        "the Secretariat on a draft in preparation"
    );
    assert_eq!(
        actions(&app.draft(&sco, &id).await),
        Vec::<String>::new(),
        "a party counterpart reads a draft in preparation"
    );

    let revised = app
        .op_ok(
            &secretariat,
            "ReviseDraft",
            json!({ "input": {
                "draftId": id, "baseVersion": 1, "items": standard_items(" (revised)"),
                "changeSummary": "Preamble aligned with the MoU."
            }}),
        )
        .await;
    assert_eq!(revised["reviseDraft"]["draft"]["state"], "DRAFTING");
    assert_eq!(
        revised["reviseDraft"]["draft"]["currentVersion"]["number"],
        2
    );
    let v2_hash = str_at(&revised, "/reviseDraft/draft/currentVersion/contentHash");
    assert_ne!(v2_hash, v1_hash);

    // CIRCULATED by note PAR/1.
    let circulated = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": {
                "draftId": id, "series": "PAR",
                "subject": [{ "lang": "EN", "text": "Draft Action Plan" }]
            }}),
        )
        .await;
    assert_eq!(circulated["circulateDraft"]["draft"]["state"], "CIRCULATED");
    assert_eq!(circulated["circulateDraft"]["note"]["number"], "PAR/1");

    // A delegate reads it and comments for their own state.
    let seen = app.draft(&kaz, &id).await;
    assert_eq!(seen["state"], "CIRCULATED");
    assert_eq!(seen["currentVersion"]["number"], 2);
    assert_eq!(seen["currentVersion"]["contentHash"], v2_hash.as_str());
    assert_eq!(actions(&seen), ["COMMENT"]);
    let remark = app
        .op_ok(
            &kaz,
            "AddComment",
            json!({ "input": { "draftId": id, "version": 2, "body": "Kazakhstan supports the draft." }}),
        )
        .await;
    assert_eq!(remark["addComment"]["comment"]["kind"], "COMMENT");
    assert_eq!(remark["addComment"]["comment"]["status"], "OPEN");
    assert_eq!(
        remark["addComment"]["comment"]["organization"]["code"],
        "KAZ"
    );
    assert_eq!(remark["addComment"]["comment"]["version"]["number"], 2);
    let proposal = app
        .op_ok(
            &kaz,
            "AddComment",
            json!({ "input": {
                "draftId": id, "version": 2, "anchor": "item-2",
                "body": "Consultations should include the experts' level.",
                "proposal": { "operation": "REPLACE", "texts": [
                    { "lang": "EN", "text": "Hold consultations at the level of Deputy Executive Directors and experts." }
                ]}
            }}),
        )
        .await;
    assert_eq!(proposal["addComment"]["comment"]["kind"], "PROPOSAL");
    let kaz_proposal = str_at(&proposal, "/addComment/comment/id");
    let rus_proposal = app.propose(&rus, &id, "item-3").await;

    // The compilation of proposals: the Secretariat sees both, a delegate
    // only their own.
    let compilation = app
        .op_ok(
            &secretariat,
            "Compilation",
            json!({ "id": id, "version": 2 }),
        )
        .await;
    let rows = &compilation["draft"]["compilation"];
    assert_eq!(column(rows, "/anchor"), ["item-2", "item-3"]);
    assert_eq!(rows[0]["proposals"][0]["id"], kaz_proposal.as_str());
    assert_eq!(rows[0]["proposals"][0]["organization"]["code"], "KAZ");
    assert_eq!(rows[1]["proposals"][0]["organization"]["code"], "RUS");
    let own = app
        .op_ok(&kaz, "Compilation", json!({ "id": id, "version": 2 }))
        .await;
    assert_eq!(column(&own["draft"]["compilation"], "/anchor"), ["item-2"]);

    // The Secretariat answers the Russian proposal and accommodates the
    // Kazakh one in version 3.
    let resolved = app
        .op_ok(
            &secretariat,
            "ResolveProposal",
            json!({ "input": {
                "commentId": rus_proposal, "resolution": "NOT_ACCOMMODATED",
                "reply": "The current wording is agreed with the SCO."
            }}),
        )
        .await;
    assert_eq!(
        resolved["resolveProposal"]["comment"]["status"],
        "NOT_ACCOMMODATED"
    );
    assert_eq!(
        resolved["resolveProposal"]["comment"]["reply"],
        "The current wording is agreed with the SCO."
    );
    let mut v3_items = standard_items(" (revised)");
    v3_items[2]["texts"][0]["text"] =
        json!("Hold consultations at the level of Deputy Executive Directors and experts.");
    let v3 = app
        .op_ok(
            &secretariat,
            "ReviseDraft",
            json!({ "input": {
                "draftId": id, "baseVersion": 2, "items": v3_items,
                "changeSummary": "Updated draft accommodating proposals of Member States.",
                "accommodates": [kaz_proposal]
            }}),
        )
        .await;
    assert_eq!(v3["reviseDraft"]["draft"]["state"], "CIRCULATED");
    assert_eq!(v3["reviseDraft"]["draft"]["currentVersion"]["number"], 3);
    let v3_hash = str_at(&v3, "/reviseDraft/draft/currentVersion/contentHash");

    let diff = app
        .op_ok(
            &secretariat,
            "VersionDiff",
            json!({ "id": id, "from": 2, "to": 3 }),
        )
        .await;
    assert_eq!(
        diff["draft"]["diff"],
        json!([{
            "anchor": "item-2", "change": "CHANGED", "lang": "EN",
            "before": "Hold consultations at the level of Deputy Executive Directors.",
            "after": "Hold consultations at the level of Deputy Executive Directors and experts."
        }])
    );

    // Version 3 is not circulated yet: the delegate still reads version 2,
    // where their comments are current; the Secretariat reads version 3.
    let seen = app.draft(&kaz, &id).await;
    assert_eq!(seen["currentVersion"]["number"], 2);
    assert_eq!(
        column(&seen["versions"], "/contentHash"),
        [v1_hash.clone(), v2_hash.clone()]
    );
    let comments = &seen["comments"];
    assert_eq!(
        comments.as_array().unwrap().len(),
        2,
        "KAZ reads only its own: {comments}"
    );
    assert!(
        comments
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["outdated"] == false)
    );
    assert_eq!(comments[1]["status"], "ACCOMMODATED");
    let desk = app.draft(&secretariat, &id).await;
    assert_eq!(desk["currentVersion"]["number"], 3);
    assert_eq!(desk["comments"].as_array().unwrap().len(), 3);
    assert!(
        desk["comments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["outdated"] == true)
    );
    assert_eq!(
        actions(&desk),
        [
            "REVISE",
            "CIRCULATE",
            "OPEN_SWG_DISCUSSION",
            "WITHDRAW",
            "COMMENT",
            "RESOLVE_PROPOSAL"
        ]
    );

    // Re-circulation by PAR/2, referring to PAR/1.
    let again = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": id, "series": "PAR", "references": ["PAR/1"] }}),
        )
        .await;
    assert_eq!(again["circulateDraft"]["note"]["number"], "PAR/2");
    let seen = app.draft(&kaz, &id).await;
    assert_eq!(seen["currentVersion"]["number"], 3);
    assert!(
        seen["comments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["outdated"] == true)
    );

    // SWG discussion, then the SOC's agreement by the year's first decision.
    let swg = app
        .op_ok(
            &secretariat,
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": id, "meetingDate": swg_date() }}),
        )
        .await;
    assert_eq!(swg["openSwgDiscussion"]["draft"]["state"], "SWG_DISCUSSION");
    assert_eq!(actions(&app.draft(&kaz, &id).await), ["COMMENT"]);
    let agreed = app
        .op_ok(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": id, "meetingDate": soc_date() }}),
        )
        .await;
    let agreement = &agreed["recordSocAgreement"];
    assert_eq!(agreement["draft"]["state"], "SOC_AGREED");
    assert_eq!(
        agreement["decision"]["number"],
        format!("SOC/{}-I/DEC/1", meeting_year())
    );
    assert_eq!(agreement["decision"]["date"], soc_date());
    assert_eq!(
        agreement["draft"]["currentVersion"]["contentHash"],
        v3_hash.as_str()
    );

    // Who may do what now.
    assert_eq!(actions(&app.draft(&secretariat, &id).await), ["WITHDRAW"]);
    assert_eq!(actions(&app.draft(&app.sg("CICA"), &id).await), ["SIGN"]);
    assert_eq!(actions(&app.draft(&app.sg("SCO"), &id).await), ["SIGN"]);
    assert_eq!(actions(&app.draft(&kaz, &id).await), Vec::<String>::new());
    assert_eq!(
        actions(&app.draft(&app.observer("JPN"), &id).await),
        Vec::<String>::new()
    );

    // Both Secretaries General sign the agreed hash.
    let first = app
        .op_ok(
            &app.sg("CICA"),
            "SignDraft",
            json!({ "input": { "draftId": id, "contentHash": v3_hash }}),
        )
        .await;
    assert_eq!(first["signDraft"]["draft"]["state"], "SOC_AGREED");
    assert_eq!(
        first["signDraft"]["signature"]["organization"]["code"],
        "CICA"
    );
    assert_eq!(
        first["signDraft"]["signature"]["contentHash"],
        v3_hash.as_str()
    );
    assert_eq!(
        actions(&app.draft(&app.sg("CICA"), &id).await),
        Vec::<String>::new()
    );
    let second = app
        .op_ok(
            &app.sg("SCO"),
            "SignDraft",
            json!({ "input": { "draftId": id, "contentHash": v3_hash }}),
        )
        .await;
    assert_eq!(second["signDraft"]["draft"]["state"], "SIGNED");
    assert_eq!(
        second["signDraft"]["signature"]["organization"]["code"],
        "SCO"
    );

    // The record of it all.
    let done = app.draft(&secretariat, &id).await;
    assert_eq!(done["state"], "SIGNED");
    assert_eq!(actions(&done), Vec::<String>::new());
    assert_eq!(done["currentVersion"]["number"], 3);
    assert_eq!(done["currentVersion"]["contentHash"], v3_hash.as_str());
    assert_eq!(
        column(&done["versions"], "/contentHash"),
        [v1_hash.clone(), v2_hash.clone(), v3_hash.clone()]
    );
    assert_eq!(
        done["versions"][2]["changeSummary"],
        "Updated draft accommodating proposals of Member States."
    );
    assert_eq!(
        done["currentVersion"]["items"][2]["text"],
        "Hold consultations at the level of Deputy Executive Directors and experts."
    );
    assert_eq!(column(&done["notes"], "/number"), ["PAR/1", "PAR/2"]);
    assert_eq!(done["notes"][0]["references"], json!([]));
    assert_eq!(
        done["notes"][1]["references"],
        json!([{ "number": "PAR/1" }])
    );
    assert_eq!(
        done["meetings"],
        json!([{ "body": "SWG", "date": swg_date() }, { "body": "SOC", "date": soc_date() }])
    );
    assert_eq!(
        done["decision"]["number"],
        format!("SOC/{}-I/DEC/1", meeting_year())
    );
    let signatures = &done["signatures"];
    assert_eq!(column(signatures, "/organization/code").len(), 2);
    let mut signed_by = column(signatures, "/organization/code");
    signed_by.sort();
    assert_eq!(signed_by, ["CICA", "SCO"]);
    assert!(
        signatures
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["contentHash"] == v3_hash.as_str())
    );
    assert_eq!(
        column(&done["history"], "/action"),
        [
            "CREATE_DRAFT",
            "REVISE",
            "CIRCULATE",
            "COMMENT",
            "COMMENT",
            "COMMENT",
            "RESOLVE_PROPOSAL",
            "REVISE",
            "CIRCULATE",
            "OPEN_SWG_DISCUSSION",
            "RECORD_SOC_AGREEMENT",
            "SIGN",
            "SIGN",
        ]
    );
    let history = done["history"].as_array().unwrap();
    assert_eq!(history[0]["toState"], "DRAFTING");
    assert_eq!(history[2]["fromState"], "DRAFTING");
    assert_eq!(history[2]["toState"], "CIRCULATED");
    assert_eq!(history[3]["actor"]["organization"]["code"], "KAZ");
    assert_eq!(history[11]["toState"], "SOC_AGREED");
    assert_eq!(history[12]["fromState"], "SOC_AGREED");
    assert_eq!(history[12]["toState"], "SIGNED");
    let times = column(&done["history"], "/at");
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "history in order: {times:?}"
    );

    // The comments as the Secretariat lists them: authors and their states.
    let comments = done["comments"].as_array().unwrap();
    assert_eq!(
        comments
            .iter()
            .map(|c| str_at(c, "/organization/code"))
            .collect::<Vec<_>>(),
        ["KAZ", "KAZ", "RUS"]
    );
    assert_eq!(comments[0]["author"]["id"], "delegate-kaz");
    assert_eq!(comments[1]["status"], "ACCOMMODATED");
    assert_eq!(comments[2]["status"], "NOT_ACCOMMODATED");
    assert!(comments.iter().all(|c| c["version"]["number"] == 2));

    // A second draft: circulated by a note that refers to both earlier
    // notes, and agreed by a decision whose number is given.
    let (other, _) = app.create_draft(&["CICA", "SCO"]).await;
    let note = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": other, "series": "PAR", "references": ["PAR/1", "PAR/2"] }}),
        )
        .await;
    assert_eq!(note["circulateDraft"]["note"]["number"], "PAR/3");
    app.op_ok(
        &secretariat,
        "OpenSwgDiscussion",
        json!({ "input": { "draftId": other, "meetingDate": swg_date() }}),
    )
    .await;
    let given = format!("SOC/{}-I/DEC/7", meeting_year());
    let agreed = app
        .op_ok(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": other, "meetingDate": soc_date(), "decisionNumber": given }}),
        )
        .await;
    assert_eq!(
        agreed["recordSocAgreement"]["decision"]["number"],
        given.as_str()
    );
    let other_seen = app.draft(&kaz, &other).await;
    // In some order: `note_references_keep_the_order_cited` checks which.
    let mut cited = column(&other_seen["notes"][0]["references"], "/number");
    cited.sort();
    assert_eq!(cited, ["PAR/1", "PAR/2"]);
    assert_eq!(other_seen["decision"]["number"], given.as_str());

    (id, v3_hash)
}

async fn full_path(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    run_full_path(&app).await;
}

/// Mutations run one after another; what the second reads back must not
/// come from what the first read (a cache kept for the whole request would
/// show the draft agreed with no decision, no SOC meeting and no such line
/// in its history).
async fn mutations_in_one_request(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (id, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let read_back = "draft { state history { action } meetings { date } decision { number } }";
    let body = app
        .gql(
            &secretariat,
            &format!(
                "mutation($id: ID!, $swg: Date!, $soc: Date!) {{
                    swg: openSwgDiscussion(input: {{ draftId: $id, meetingDate: $swg }}) {{ {read_back} }}
                    soc: recordSocAgreement(input: {{ draftId: $id, meetingDate: $soc }}) {{ {read_back} }}
                }}"
            ),
            json!({ "id": id, "swg": swg_date(), "soc": soc_date() }),
        )
        .await;
    let data = ok(&body, "two mutations in one request");
    let (swg, soc) = (&data["swg"]["draft"], &data["soc"]["draft"]);
    assert_eq!(swg["state"], "SWG_DISCUSSION");
    assert_eq!(column(&swg["meetings"], "/date"), [swg_date()]);
    assert_eq!(swg["decision"], Value::Null);

    assert_eq!(soc["state"], "SOC_AGREED");
    assert_eq!(column(&soc["meetings"], "/date"), [swg_date(), soc_date()]);
    assert!(soc["decision"]["number"].is_string(), "{soc}");
    let history = column(&soc["history"], "/action");
    assert_eq!(
        history.last().map(String::as_str),
        Some("RECORD_SOC_AGREEMENT"),
        "{history:?}"
    );
    assert_eq!(history.len(), column(&swg["history"], "/action").len() + 1);
    // And a query afterwards reads the same.
    let later = app.draft(&secretariat, &id).await;
    assert_eq!(column(&later["history"], "/action"), history);
    assert_eq!(later["decision"]["number"], soc["decision"]["number"]);
}

/// A draft circulated today cannot have been discussed at an SWG meeting
/// last year, nor agreed by the SOC before the SWG discussed it: refused,
/// and nothing changes.
async fn dates_in_order(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (id, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let audited = app.audit_entries().await;
    let last_year = format!("{}-06-25", year() - 1);
    let early = app
        .op(
            &secretariat,
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": id, "meetingDate": last_year } }),
        )
        .await;
    assert_eq!(
        error_code(&early).as_deref(),
        Some("BAD_USER_INPUT"),
        "{early}"
    );
    let message = early["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&last_year) && message.contains("its circulation by PAR/"),
        "{message}"
    );
    assert_eq!(app.audit_entries().await, audited, "nothing was written");
    assert_eq!(app.draft(&secretariat, &id).await["state"], "CIRCULATED");

    app.op_ok(
        &secretariat,
        "OpenSwgDiscussion",
        json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
    )
    .await;
    let before_swg = format!("{}-03-01", meeting_year());
    let early = app
        .op(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": id, "meetingDate": before_swg } }),
        )
        .await;
    assert_eq!(
        error_code(&early).as_deref(),
        Some("BAD_USER_INPUT"),
        "{early}"
    );
    assert!(
        early["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("the SWG meeting that discussed it on")),
        "{early}"
    );
    assert_eq!(
        app.draft(&secretariat, &id).await["state"],
        "SWG_DISCUSSION"
    );
    // The same day as the SWG is allowed.
    app.op_ok(
        &secretariat,
        "RecordSocAgreement",
        json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
    )
    .await;
}

async fn drafts_list(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (signed, _) = app.draft_in_state(accord_domain::DraftState::Signed).await;
    let (circulated, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let (internal, _) = app.create_draft(&["CICA"]).await;

    let page = app
        .op_ok(&secretariat, "Drafts", json!({ "first": 2 }))
        .await;
    let drafts = &page["drafts"];
    assert_eq!(drafts["totalCount"], 3);
    assert_eq!(drafts["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        column(&drafts["nodes"], "/id"),
        [internal.clone(), circulated.clone()],
        "newest first"
    );
    assert_eq!(drafts["nodes"][0]["state"], "DRAFTING");
    assert_eq!(drafts["nodes"][0]["title"], "Action Plan for 2024-2029");
    assert_eq!(drafts["nodes"][0]["kind"], "ACTION_PLAN");
    assert!(drafts["nodes"][0]["updatedAt"].is_string());
    let cursor = str_at(drafts, "/pageInfo/endCursor");
    let rest = app
        .op_ok(
            &secretariat,
            "Drafts",
            json!({ "first": 2, "after": cursor }),
        )
        .await;
    assert_eq!(rest["drafts"]["totalCount"], 3);
    assert_eq!(rest["drafts"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(column(&rest["drafts"]["nodes"], "/id"), [signed.as_str()]);

    let only_signed = app
        .op_ok(&secretariat, "Drafts", json!({ "state": "SIGNED" }))
        .await;
    assert_eq!(only_signed["drafts"]["totalCount"], 1);
    assert_eq!(
        column(&only_signed["drafts"]["nodes"], "/id"),
        [signed.as_str()]
    );
    assert_eq!(only_signed["drafts"]["nodes"][0]["state"], "SIGNED");

    // A delegate lists only what was circulated.
    let theirs = app
        .op_ok(&app.delegate("KAZ"), "Drafts", json!({ "first": 10 }))
        .await;
    assert_eq!(theirs["drafts"]["totalCount"], 2);
    assert_eq!(
        column(&theirs["drafts"]["nodes"], "/id"),
        [circulated, signed]
    );

    // A page size out of range is the caller's mistake.
    let body = app.op(&secretariat, "Drafts", json!({ "first": 0 })).await;
    assert_eq!(
        crate::helpers::error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let body = app
        .op(
            &secretariat,
            "Drafts",
            json!({ "first": 2, "after": "not-a-cursor" }),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let _ = ok(
        &app.op(&secretariat, "Drafts", json!({ "first": 100 }))
            .await,
        "Drafts",
    );
}

async fn swg_revisions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let (id, _) = app
        .draft_in_state(accord_domain::DraftState::SwgDiscussion)
        .await;
    assert_eq!(
        actions(&app.draft(&secretariat, &id).await),
        [
            "REVISE",
            "RECORD_SOC_AGREEMENT",
            "WITHDRAW",
            "COMMENT",
            "RESOLVE_PROPOSAL"
        ]
    );
    app.op_ok(
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (after the SWG)") }}),
    )
    .await;
    let desk = app.draft(&secretariat, &id).await;
    assert_eq!(desk["state"], "SWG_DISCUSSION");
    assert_eq!(
        actions(&desk),
        [
            "REVISE",
            "CIRCULATE",
            "WITHDRAW",
            "COMMENT",
            "RESOLVE_PROPOSAL"
        ],
        "an uncirculated version must be circulated before the SOC agrees"
    );
    let body = app
        .op(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": id, "meetingDate": soc_date() }}),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&body).as_deref(),
        Some("INVALID_TRANSITION"),
        "{body}"
    );
    let note = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": id, "series": "PAR", "references": ["PAR/1"] }}),
        )
        .await;
    assert_eq!(
        note["circulateDraft"]["draft"]["state"], "CIRCULATED",
        "back to CIRCULATED"
    );
    assert_eq!(note["circulateDraft"]["note"]["number"], "PAR/2");
    let second_swg = format!("{}-03-26", meeting_year());
    app.op_ok(
        &secretariat,
        "OpenSwgDiscussion",
        json!({ "input": { "draftId": id, "meetingDate": second_swg }}),
    )
    .await;
    let agreed = app
        .op_ok(
            &secretariat,
            "RecordSocAgreement",
            json!({ "input": { "draftId": id, "meetingDate": soc_date() }}),
        )
        .await;
    let seen = app.draft(&app.delegate("KAZ"), &id).await;
    assert_eq!(seen["currentVersion"]["number"], 2);
    assert_eq!(
        seen["currentVersion"]["contentHash"],
        agreed["recordSocAgreement"]["draft"]["currentVersion"]["contentHash"]
    );
    assert_eq!(
        seen["meetings"],
        json!([
            { "body": "SWG", "date": swg_date() },
            { "body": "SWG", "date": second_swg },
            { "body": "SOC", "date": soc_date() }
        ])
    );
    // The agreed text is frozen.
    let body = app
        .op(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 2, "items": standard_items(" (too late)") }}),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&body).as_deref(),
        Some("INVALID_TRANSITION"),
        "{body}"
    );
}

async fn cited_order(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    for _ in 0..3 {
        app.draft_in_state(accord_domain::DraftState::Circulated)
            .await;
    }
    for cited in [["PAR/1", "PAR/2", "PAR/3"], ["PAR/3", "PAR/1", "PAR/2"]] {
        let (id, _) = app.create_draft(&["CICA", "SCO"]).await;
        app.op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": id, "series": "PAR", "references": cited }}),
        )
        .await;
        let seen = app.draft(&app.delegate("KAZ"), &id).await;
        assert_eq!(
            column(&seen["notes"][0]["references"], "/number"),
            cited,
            "the references as the note cites them"
        );
    }
}
