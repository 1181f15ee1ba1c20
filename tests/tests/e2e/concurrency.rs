//! Many people at once: compare-and-set transitions, simultaneous
//! signatures, gap-free note numbers, and writers that queue instead of
//! failing.

use std::sync::Arc;

use accord_domain::DraftState;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, all_at_once, error_code, meeting_year, soc_date, spawn_app, standard_items,
    str_at, swg_date,
};
use crate::on_both_backends;

on_both_backends!(
    racing_transitions =>
        only_one_of_many_identical_transitions_wins_sqlite,
        only_one_of_many_identical_transitions_wins_postgres
);
on_both_backends!(
    simultaneous_signatures =>
        two_secretaries_general_can_sign_at_the_same_instant_sqlite,
        two_secretaries_general_can_sign_at_the_same_instant_postgres
);
on_both_backends!(
    note_numbers =>
        concurrent_circulations_get_gap_free_note_numbers_sqlite,
        concurrent_circulations_get_gap_free_note_numbers_postgres
);
on_both_backends!(
    shared_database =>
        two_instances_on_one_database_keep_numbers_gap_free_sqlite,
        two_instances_on_one_database_keep_numbers_gap_free_postgres
);
on_both_backends!(
    meetings_and_decisions =>
        concurrent_agreements_get_distinct_decision_numbers_sqlite,
        concurrent_agreements_get_distinct_decision_numbers_postgres
);
on_both_backends!(
    concurrent_writers =>
        concurrent_commenters_all_succeed_sqlite,
        concurrent_commenters_all_succeed_postgres
);

const RACERS: usize = 16;

/// Sends the same operation `RACERS` times at once; the bodies.
async fn race(app: &Arc<TestApp>, token: &str, name: &'static str, variables: Value) -> Vec<Value> {
    all_at_once(
        (0..RACERS)
            .map(|_| {
                let (app, token, variables) =
                    (Arc::clone(app), token.to_owned(), variables.clone());
                async move { app.op(&token, name, variables).await }
            })
            .collect(),
    )
    .await
}

/// Exactly one winner; every loser was told CONFLICT (it lost the
/// compare-and-set) or INVALID_TRANSITION (it read the winner's result).
fn one_winner(bodies: &[Value], what: &str) {
    let winners = bodies.iter().filter(|b| b["errors"].is_null()).count();
    assert_eq!(winners, 1, "{what}: {winners} winners: {bodies:?}");
    for body in bodies.iter().filter(|b| !b["errors"].is_null()) {
        let code = error_code(body);
        assert!(
            matches!(code.as_deref(), Some("CONFLICT" | "INVALID_TRANSITION")),
            "{what}: a loser got {body}"
        );
    }
}

fn count_actions(draft: &Value, action: &str) -> usize {
    draft["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == action)
        .count()
}

async fn racing_transitions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    let secretariat = app.secretariat();
    let (id, _) = app.create_draft(&["CICA", "SCO"]).await;

    let bodies = race(
        &app,
        &secretariat,
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" }}),
    )
    .await;
    one_winner(&bodies, "CirculateDraft");
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(draft["state"], "CIRCULATED");
    assert_eq!(
        draft["notes"],
        json!([{ "number": "PAR/1", "date": draft["notes"][0]["date"], "references": [] }])
    );
    assert_eq!(count_actions(&draft, "CIRCULATE"), 1);
    // The losers' rolled-back numbers left no gap.
    let (next, _) = app.create_draft(&["CICA"]).await;
    let note = app
        .op_ok(
            &secretariat,
            "CirculateDraft",
            json!({ "input": { "draftId": next, "series": "PAR" }}),
        )
        .await;
    assert_eq!(note["circulateDraft"]["note"]["number"], "PAR/2");

    let bodies = race(
        &app,
        &secretariat,
        "ReviseDraft",
        json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (raced)") }}),
    )
    .await;
    let winners = bodies.iter().filter(|b| b["errors"].is_null()).count();
    assert_eq!(winners, 1, "ReviseDraft: {bodies:?}");
    assert!(
        bodies
            .iter()
            .filter(|b| !b["errors"].is_null())
            .all(|b| error_code(b).as_deref() == Some("CONFLICT")),
        "stale revisions are conflicts: {bodies:?}"
    );
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(draft["versions"].as_array().unwrap().len(), 2);
    assert_eq!(count_actions(&draft, "REVISE"), 1);

    let bodies = race(
        &app,
        &secretariat,
        "OpenSwgDiscussion",
        json!({ "input": { "draftId": id, "meetingDate": swg_date() }}),
    )
    .await;
    one_winner(&bodies, "OpenSwgDiscussion");
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(draft["state"], "SWG_DISCUSSION");
    assert_eq!(count_actions(&draft, "OPEN_SWG_DISCUSSION"), 1);
    assert_eq!(draft["meetings"].as_array().unwrap().len(), 1, "{draft}");

    let bodies = race(
        &app,
        &secretariat,
        "WithdrawDraft",
        json!({ "input": { "draftId": id, "reason": "Raced." }}),
    )
    .await;
    one_winner(&bodies, "WithdrawDraft");
    let draft = app.draft(&secretariat, &id).await;
    assert_eq!(draft["state"], "WITHDRAWN");
    assert_eq!(count_actions(&draft, "WITHDRAW"), 1);
    assert_audit_chain_intact(&app).await;
}

async fn simultaneous_signatures(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    for round in 0..3 {
        let (id, hash) = app.draft_in_state(DraftState::SocAgreed).await;
        let sign = |org: &str| {
            let (app, token) = (Arc::clone(&app), app.sg(org));
            let variables = json!({ "input": { "draftId": id, "contentHash": hash }});
            async move { app.op(&token, "SignDraft", variables).await }
        };
        let bodies = all_at_once(vec![sign("CICA"), sign("SCO")]).await;
        for body in &bodies {
            assert!(body["errors"].is_null(), "round {round}: {body}");
        }
        let draft = app.draft(&app.secretariat(), &id).await;
        assert_eq!(draft["state"], "SIGNED", "round {round}: {draft}");
        assert_eq!(draft["signatures"].as_array().unwrap().len(), 2);
        assert_eq!(count_actions(&draft, "SIGN"), 2);
        let last = draft["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            last["toState"], "SIGNED",
            "the last signature completes it: {draft}"
        );
    }

    // One organisation signs once, however often its SG clicks.
    let (id, hash) = app.draft_in_state(DraftState::SocAgreed).await;
    let bodies = race(
        &app,
        &app.sg("CICA"),
        "SignDraft",
        json!({ "input": { "draftId": id, "contentHash": hash }}),
    )
    .await;
    one_winner(&bodies, "SignDraft by CICA");
    let draft = app.draft(&app.secretariat(), &id).await;
    assert_eq!(draft["state"], "SOC_AGREED");
    assert_eq!(draft["signatures"].as_array().unwrap().len(), 1);
    assert_audit_chain_intact(&app).await;
}

async fn note_numbers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(app.create_draft(&["CICA", "SCO"]).await.0);
    }
    let bodies = all_at_once(
        ids.iter()
            .map(|id| {
                let (app, token) = (Arc::clone(&app), app.secretariat());
                let variables = json!({ "input": { "draftId": id, "series": "PAR" }});
                async move { app.op(&token, "CirculateDraft", variables).await }
            })
            .collect(),
    )
    .await;
    let mut numbers: Vec<u32> = bodies
        .iter()
        .map(|body| {
            let number = str_at(body, "/data/circulateDraft/note/number");
            number
                .strip_prefix("PAR/")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a PAR number: {number}"))
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=20).collect::<Vec<u32>>(),
        "gap-free and unique"
    );
    // Another series starts at 1.
    let (other, _) = app.create_draft(&["CICA"]).await;
    let note = app
        .op_ok(
            &app.secretariat(),
            "CirculateDraft",
            json!({ "input": { "draftId": other, "series": "SOC" }}),
        )
        .await;
    assert_eq!(note["circulateDraft"]["note"]["number"], "SOC/1");
}

async fn concurrent_writers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    let (first, _) = app.draft_in_state(DraftState::Circulated).await;
    let (second, _) = app.draft_in_state(DraftState::SwgDiscussion).await;
    let states = [
        "KAZ", "RUS", "CHN", "IND", "TUR", "AZE", "UZB", "KGZ", "TJK", "MNG", "PAK", "IRN",
    ];
    let mut writers = Vec::new();
    for (n, state) in states.iter().enumerate() {
        let (app, token) = (Arc::clone(&app), app.delegate(state));
        let draft = if n % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let proposal = n % 3 == 0;
        writers.push(tokio::spawn(async move {
            let mut input = json!({
                "draftId": draft, "version": 1, "anchor": "item-1",
                "body": format!("The view of {n}."),
            });
            if proposal {
                input["proposal"] = json!({ "operation": "DELETE" });
            }
            app.op(&token, "AddComment", json!({ "input": input }))
                .await
        }));
    }
    for (token, draft) in [
        (app.counterpart("SCO"), &first),
        (app.counterpart("SCO"), &second),
        (app.secretariat(), &first),
        (app.secretariat(), &second),
    ] {
        let (app, draft) = (Arc::clone(&app), draft.clone());
        writers.push(tokio::spawn(async move {
            app.op(
                &token,
                "AddComment",
                json!({ "input": { "draftId": draft, "version": 1, "body": "A secretariat's note." }}),
            )
            .await
        }));
    }
    assert_eq!(writers.len(), 16);
    for writer in writers {
        let body = writer.await.unwrap();
        assert!(
            body["errors"].is_null(),
            "a concurrent comment failed: {body}"
        );
    }
    let desk_first = app.draft(&app.secretariat(), &first).await;
    let desk_second = app.draft(&app.secretariat(), &second).await;
    assert_eq!(
        desk_first["comments"].as_array().unwrap().len()
            + desk_second["comments"].as_array().unwrap().len(),
        16
    );
    assert_audit_chain_intact(&app).await;
}

/// The audit chain is whole after the storm.
async fn assert_audit_chain_intact(app: &TestApp) {
    let db = app.db().await;
    let verdict = accord_workflow::audit::verify(&db).await.unwrap();
    assert!(
        matches!(verdict, accord_workflow::audit::Verdict::Intact { .. }),
        "{verdict:?}"
    );
    db.close().await.ok();
}

async fn shared_database(backend: Backend) {
    let Some(first) = spawn_app(backend).await else {
        return;
    };
    let first = Arc::new(first);
    let second = Arc::new(first.another_instance().await);
    let mut ids = Vec::new();
    for n in 0..20 {
        let app = if n % 2 == 0 { &first } else { &second };
        ids.push(app.create_draft(&["CICA", "SCO"]).await.0);
    }
    let bodies = all_at_once(
        ids.iter()
            .enumerate()
            .map(|(n, id)| {
                let app = Arc::clone(if n % 2 == 0 { &second } else { &first });
                let token = app.secretariat();
                let variables = json!({ "input": { "draftId": id, "series": "PAR" }});
                async move { app.op(&token, "CirculateDraft", variables).await }
            })
            .collect(),
    )
    .await;
    let mut numbers: Vec<u32> = bodies
        .iter()
        .map(|body| {
            let number = str_at(body, "/data/circulateDraft/note/number");
            number
                .strip_prefix("PAR/")
                .and_then(|n| n.parse().ok())
                .unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=20).collect::<Vec<u32>>(),
        "gap-free across instances"
    );

    // The same transition through both instances at once: one winner.
    let (id, _) = first.draft_in_state(DraftState::Circulated).await;
    let bodies = all_at_once(
        (0..RACERS)
            .map(|n| {
                let app = Arc::clone(if n % 2 == 0 { &first } else { &second });
                let token = app.secretariat();
                let variables = json!({ "input": { "draftId": id, "meetingDate": swg_date() }});
                async move { app.op(&token, "OpenSwgDiscussion", variables).await }
            })
            .collect(),
    )
    .await;
    one_winner(&bodies, "OpenSwgDiscussion on two instances");

    // Two signatures through two instances at once.
    let (id, hash) = first.draft_in_state(DraftState::SocAgreed).await;
    let sign = |app: &Arc<TestApp>, org: &str| {
        let (app, token) = (Arc::clone(app), app.sg(org));
        let variables = json!({ "input": { "draftId": id, "contentHash": hash }});
        async move { app.op(&token, "SignDraft", variables).await }
    };
    for body in all_at_once(vec![sign(&first, "CICA"), sign(&second, "SCO")]).await {
        assert!(body["errors"].is_null(), "{body}");
    }
    assert_eq!(
        second.draft(&second.secretariat(), &id).await["state"],
        "SIGNED"
    );
    assert_audit_chain_intact(&first).await;
}

async fn meetings_and_decisions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let app = Arc::new(app);
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(app.draft_in_state(DraftState::Circulated).await.0);
    }
    let on_all = |name: &'static str, input: fn(&str) -> Value| {
        all_at_once(
            ids.iter()
                .map(|id| {
                    let (app, token, variables) = (
                        Arc::clone(&app),
                        app.secretariat(),
                        json!({ "input": input(id) }),
                    );
                    async move { app.op(&token, name, variables).await }
                })
                .collect(),
        )
    };
    for body in on_all(
        "OpenSwgDiscussion",
        |id| json!({ "draftId": id, "meetingDate": swg_date() }),
    )
    .await
    {
        assert!(body["errors"].is_null(), "{body}");
    }
    let bodies = on_all(
        "RecordSocAgreement",
        |id| json!({ "draftId": id, "meetingDate": soc_date() }),
    )
    .await;
    let mut numbers: Vec<String> = bodies
        .iter()
        .map(|body| str_at(body, "/data/recordSocAgreement/decision/number"))
        .collect();
    numbers.sort_by_key(|n| n.rsplit('/').next().unwrap().parse::<u32>().unwrap());
    let want: Vec<String> = (1..=10)
        .map(|n| format!("SOC/{}-I/DEC/{n}", meeting_year()))
        .collect();
    assert_eq!(
        numbers, want,
        "one SOC session, decisions numbered without gap"
    );
    for id in &ids {
        let draft = app.draft(&app.secretariat(), id).await;
        assert_eq!(
            draft["meetings"],
            json!([{ "body": "SWG", "date": swg_date() }, { "body": "SOC", "date": soc_date() }]),
            "each draft on one SWG and one SOC meeting"
        );
    }
    assert_audit_chain_intact(&app).await;
}
