//! Who sees what: internal drafts, other states' comments, uncirculated
//! versions, and whose comments one may change.

use std::collections::BTreeSet;

use accord_domain::DraftState;
use accord_workflow::permissions::valid_pairs;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, DEFAULT_ROUTE_STATES, TestApp, error_code, org_in, spawn_app, standard_items, str_at,
};
use crate::on_both_backends;

on_both_backends!(
    internal_drafts =>
        only_the_parties_see_a_draft_in_preparation_sqlite,
        only_the_parties_see_a_draft_in_preparation_postgres
);
on_both_backends!(
    comments =>
        a_delegate_reads_only_its_own_states_comments_sqlite,
        a_delegate_reads_only_its_own_states_comments_postgres
);
on_both_backends!(
    uncirculated =>
        a_delegate_reads_the_circulated_version_not_work_in_progress_sqlite,
        a_delegate_reads_the_circulated_version_not_work_in_progress_postgres
);
on_both_backends!(
    agreement =>
        the_list_its_count_and_each_lookup_agree_for_everyone_sqlite,
        the_list_its_count_and_each_lookup_agree_for_everyone_postgres
);
on_both_backends!(
    authorship =>
        only_the_author_changes_a_comment_sqlite,
        only_the_author_changes_a_comment_postgres
);

const EDIT_COMMENT: &str = "mutation($input: EditCommentInput!) {
  editComment(input: $input) { comment { id body status organization { code } } }
}";
const WITHDRAW_COMMENT: &str = "mutation($input: WithdrawCommentInput!) {
  withdrawComment(input: $input) { comment { id status } }
}";

fn code(body: &Value) -> String {
    error_code(body).unwrap_or_else(|| format!("no error: {body}"))
}

async fn ids_listed(app: &TestApp, token: &str) -> (u64, Vec<String>) {
    let data = app.op_ok(token, "Drafts", json!({ "first": 100 })).await;
    let ids = data["drafts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| str_at(n, "/id"))
        .collect();
    (data["drafts"]["totalCount"].as_u64().unwrap(), ids)
}

/// The visibility of drafts is written three times: as the listing's SQL
/// condition, as its count (kept by triggers), and as the rule a single
/// lookup applies. For every person and every draft in every state (with
/// and without the counterpart among the signatories, and one withdrawn
/// before it was ever circulated), the three agree, with and without a
/// state filter.
async fn agreement(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let mut drafts: Vec<(String, DraftState)> = Vec::new();
    for state in DEFAULT_ROUTE_STATES {
        for signatories in [&["CICA", "SCO"][..], &["CICA"][..]] {
            let (id, _) = app.draft_in_state_for(state, signatories).await;
            drafts.push((id, state));
        }
    }
    let never = never_circulated(&app).await;
    drafts.push((never, DraftState::Withdrawn));

    let mut people = 0;
    for (role, relation) in valid_pairs() {
        let token = app.person(role, org_in(relation));
        let mut seen = BTreeSet::new();
        for (id, _) in &drafts {
            let body = app.op(&token, "Draft", json!({ "id": id })).await;
            if body["data"]["draft"].is_null() {
                assert_eq!(code(&body), "NOT_FOUND", "{role:?} as {relation:?}: {body}");
            } else {
                seen.insert(id.clone());
            }
        }
        let (total, listed) = ids_listed(&app, &token).await;
        let listed: BTreeSet<String> = listed.into_iter().collect();
        assert_eq!(listed, seen, "{role:?} as {relation:?}: list and lookups");
        assert_eq!(total, seen.len() as u64, "{role:?} as {relation:?}: count");
        for state in DEFAULT_ROUTE_STATES {
            let data = app
                .op_ok(
                    &token,
                    "Drafts",
                    json!({ "state": state.as_str(), "first": 100 }),
                )
                .await;
            let in_state: BTreeSet<String> = data["drafts"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| str_at(n, "/id"))
                .collect();
            let expected: BTreeSet<String> = drafts
                .iter()
                .filter(|(id, s)| *s == state && seen.contains(id))
                .map(|(id, _)| id.clone())
                .collect();
            assert_eq!(in_state, expected, "{role:?} as {relation:?} in {state:?}");
            assert_eq!(
                data["drafts"]["totalCount"].as_u64(),
                Some(expected.len() as u64),
                "{role:?} as {relation:?}: count in {state:?}"
            );
        }
        people += 1;
    }
    assert!(people >= 8, "{people} people checked");
}

/// A draft (CICA and SCO) withdrawn before it was ever circulated.
async fn never_circulated(app: &TestApp) -> String {
    let (never, _) = app.create_draft(&["CICA", "SCO"]).await;
    app.op_ok(
        &app.secretariat(),
        "WithdrawDraft",
        json!({ "input": { "draftId": never, "reason": "Not pursued." }}),
    )
    .await;
    never
}

async fn comment(app: &TestApp, token: &str, draft: &str, version: i64, body: &str) -> Value {
    app.op(
        token,
        "AddComment",
        json!({ "input": { "draftId": draft, "version": version, "body": body }}),
    )
    .await
}

async fn internal_drafts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (joint, _) = app.create_draft(&["CICA", "SCO"]).await;
    let (alone, _) = app.create_draft(&["CICA"]).await;

    for (who, token) in [
        ("a KAZ delegate", app.delegate("KAZ")),
        ("a JPN observer", app.observer("JPN")),
        ("a UN observer", app.observer("UN")),
    ] {
        for id in [&joint, &alone] {
            let body = app.op(&token, "Draft", json!({ "id": id })).await;
            assert_eq!(code(&body), "NOT_FOUND", "{who} must not see {id}: {body}");
            assert!(body["data"]["draft"].is_null(), "{body}");
        }
        assert_eq!(ids_listed(&app, &token).await, (0, vec![]), "{who}'s list");
    }
    // SCO sees the draft it is party to, not the one it is not.
    for token in [app.counterpart("SCO"), app.sg("SCO")] {
        assert_eq!(app.draft(&token, &joint).await["id"], joint.as_str());
        let body = app.op(&token, "Draft", json!({ "id": alone })).await;
        assert_eq!(code(&body), "NOT_FOUND", "{body}");
        assert_eq!(ids_listed(&app, &token).await, (1, vec![joint.clone()]));
    }
    // A draft that does not exist looks the same.
    let body = app
        .op(
            &app.secretariat(),
            "Draft",
            json!({ "id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");

    // Once circulated, everyone reads both.
    for id in [&joint, &alone] {
        app.op_ok(
            &app.secretariat(),
            "CirculateDraft",
            json!({ "input": { "draftId": id, "series": "PAR" }}),
        )
        .await;
    }
    for token in [
        app.delegate("KAZ"),
        app.delegate("CHN"),
        app.observer("JPN"),
        app.observer("UN"),
        app.counterpart("SCO"),
    ] {
        for id in [&joint, &alone] {
            assert_eq!(app.draft(&token, id).await["state"], "CIRCULATED");
        }
        assert_eq!(ids_listed(&app, &token).await.0, 2);
    }

    // A withdrawn draft that was never circulated stays internal.
    let never = never_circulated(&app).await;
    let body = app
        .op(&app.delegate("KAZ"), "Draft", json!({ "id": never }))
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    assert_eq!(ids_listed(&app, &app.delegate("KAZ")).await.0, 2);
    assert_eq!(
        app.draft(&app.counterpart("SCO"), &never).await["state"],
        "WITHDRAWN"
    );
}

async fn comments(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (joint, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let (alone, _) = app
        .draft_in_state_for(accord_domain::DraftState::Circulated, &["CICA"])
        .await;
    let kaz = app.delegate("KAZ");
    let rus = app.delegate("RUS");
    for id in [&joint, &alone] {
        let said = comment(&app, &kaz, id, 1, "Kazakhstan's remark.").await;
        assert_eq!(
            said["data"]["addComment"]["comment"]["organization"]["code"], "KAZ",
            "{said}"
        );
        let said = comment(&app, &rus, id, 1, "Russia's remark.").await;
        assert_eq!(
            said["data"]["addComment"]["comment"]["organization"]["code"], "RUS",
            "{said}"
        );
        app.propose(&kaz, id, "item-1").await;
        app.propose(&rus, id, "item-1").await;
    }

    let orgs = |draft: &Value| -> Vec<String> {
        draft["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| str_at(c, "/organization/code"))
            .collect()
    };
    let compiled = |data: &Value| -> Vec<String> {
        data["draft"]["compilation"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row["proposals"].as_array().unwrap().clone())
            .map(|p| str_at(&p, "/organization/code"))
            .collect()
    };
    for id in [&joint, &alone] {
        assert_eq!(orgs(&app.draft(&kaz, id).await), ["KAZ", "KAZ"]);
        assert_eq!(orgs(&app.draft(&rus, id).await), ["RUS", "RUS"]);
        assert_eq!(
            orgs(&app.draft(&app.delegate("CHN"), id).await),
            Vec::<String>::new()
        );
        assert_eq!(
            orgs(&app.draft(&app.observer("JPN"), id).await),
            Vec::<String>::new()
        );
        assert_eq!(
            orgs(&app.draft(&app.secretariat(), id).await),
            ["KAZ", "RUS", "KAZ", "RUS"]
        );
        let kaz_view = app
            .op_ok(&kaz, "Compilation", json!({ "id": id, "version": 1 }))
            .await;
        assert_eq!(compiled(&kaz_view), ["KAZ"]);
        let desk = app
            .op_ok(
                &app.secretariat(),
                "Compilation",
                json!({ "id": id, "version": 1 }),
            )
            .await;
        assert_eq!(compiled(&desk), ["KAZ", "RUS"]);
        // Nor does the history tell what Russia did.
        let history = app.draft(&kaz, id).await["history"].clone();
        assert!(
            history
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["actor"]["organization"]["code"] != "RUS"),
            "{history}"
        );
    }
    // A party counterpart reads every comment; a counterpart that is not a
    // party reads none.
    let sco = app.counterpart("SCO");
    assert_eq!(
        orgs(&app.draft(&sco, &joint).await),
        ["KAZ", "RUS", "KAZ", "RUS"]
    );
    assert_eq!(orgs(&app.draft(&sco, &alone).await), Vec::<String>::new());
    // Observers and non-party counterparts do not comment.
    for (token, id) in [(app.observer("JPN"), &joint), (sco.clone(), &alone)] {
        let body = comment(&app, &token, id, 1, "May we?").await;
        assert_eq!(code(&body), "FORBIDDEN", "{body}");
    }
    let said = comment(&app, &sco, &joint, 1, "The SCO Secretariat agrees.").await;
    assert_eq!(
        said["data"]["addComment"]["comment"]["organization"]["code"], "SCO",
        "{said}"
    );

    // The comment speaks for the token's organisation; it cannot be told
    // otherwise.
    let body = app
        .op(
            &kaz,
            "AddComment",
            json!({ "input": { "draftId": joint, "version": 1, "body": "For Russia.", "organization": "RUS" }}),
        )
        .await;
    assert_eq!(
        code(&body),
        "BAD_USER_INPUT",
        "an unknown input field: {body}"
    );
    let desk = app.draft(&app.secretariat(), &joint).await;
    assert_eq!(orgs(&desk), ["KAZ", "RUS", "KAZ", "RUS", "SCO"]);
}

async fn uncirculated(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, v1_hash) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let secretariat = app.secretariat();
    let kaz = app.delegate("KAZ");
    let v2 = app
        .op_ok(
            &secretariat,
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": 1, "items": standard_items(" (v2)") }}),
        )
        .await;
    let v2_hash = str_at(&v2, "/reviseDraft/draft/currentVersion/contentHash");

    let seen = app.draft(&kaz, &id).await;
    assert_eq!(seen["currentVersion"]["number"], 1);
    assert_eq!(seen["currentVersion"]["contentHash"], v1_hash.as_str());
    assert_eq!(seen["versions"].as_array().unwrap().len(), 1, "{seen}");
    let seen = app.draft(&app.observer("JPN"), &id).await;
    assert_eq!(seen["currentVersion"]["number"], 1);
    // The parties read the work in progress.
    for token in [secretariat.clone(), app.counterpart("SCO")] {
        let seen = app.draft(&token, &id).await;
        assert_eq!(seen["currentVersion"]["number"], 2);
        assert_eq!(seen["currentVersion"]["contentHash"], v2_hash.as_str());
    }
    // Version 2 does not exist for the delegate.
    let body = app
        .op(&kaz, "VersionDiff", json!({ "id": id, "from": 1, "to": 2 }))
        .await;
    assert!(body["errors"].is_array(), "{body}");
    assert!(
        !body.to_string().contains("(v2)"),
        "the diff leaks version 2: {body}"
    );
    let body = app
        .op(&kaz, "Compilation", json!({ "id": id, "version": 2 }))
        .await;
    assert!(body["errors"].is_array(), "{body}");
    // The delegate comments on what they read.
    let body = comment(&app, &kaz, &id, 2, "On version 2.").await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    let body = comment(&app, &kaz, &id, 1, "On version 1.").await;
    assert_eq!(
        body["data"]["addComment"]["comment"]["version"]["number"], 1,
        "{body}"
    );
    assert!(body["errors"].is_null(), "{body}");
    // The Secretariat comments on its own current version.
    let body = comment(&app, &secretariat, &id, 1, "On version 1.").await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    let body = comment(&app, &secretariat, &id, 2, "On version 2.").await;
    assert!(body["errors"].is_null(), "{body}");
}

async fn authorship(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, _) = app
        .draft_in_state(accord_domain::DraftState::Circulated)
        .await;
    let kaz = app.delegate("KAZ");
    let kaz_colleague = app.token(
        "delegate-kaz-2",
        "Another delegate of KAZ",
        "KAZ",
        &["delegate"],
    );
    let rus = app.delegate("RUS");
    let mine = str_at(
        &comment(&app, &kaz, &id, 1, "Original.").await,
        "/data/addComment/comment/id",
    );
    let theirs = str_at(
        &comment(&app, &rus, &id, 1, "Russia's.").await,
        "/data/addComment/comment/id",
    );
    let edit = |token: String, comment: String| {
        let app = &app;
        async move {
            app.gql(
                &token,
                EDIT_COMMENT,
                json!({ "input": { "commentId": comment, "body": "Changed." }}),
            )
            .await
        }
    };
    let withdraw = |token: String, comment: String| {
        let app = &app;
        async move {
            app.gql(
                &token,
                WITHDRAW_COMMENT,
                json!({ "input": { "commentId": comment }}),
            )
            .await
        }
    };

    // Another state's comment does not exist for KAZ.
    assert_eq!(code(&edit(kaz.clone(), theirs.clone()).await), "NOT_FOUND");
    assert_eq!(
        code(&withdraw(kaz.clone(), theirs.clone()).await),
        "NOT_FOUND"
    );
    // A colleague of the same state reads it but may not change it.
    assert_eq!(
        code(&edit(kaz_colleague.clone(), mine.clone()).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&withdraw(kaz_colleague.clone(), mine.clone()).await),
        "FORBIDDEN"
    );
    // Nor may the Secretariat, which reads every comment.
    assert_eq!(
        code(&edit(app.secretariat(), mine.clone()).await),
        "FORBIDDEN"
    );
    // Observers cannot even see it.
    assert_eq!(
        code(&edit(app.observer("JPN"), mine.clone()).await),
        "NOT_FOUND"
    );
    let desk = app.draft(&app.secretariat(), &id).await;
    assert_eq!(desk["comments"][0]["body"], "Original.");
    assert_eq!(desk["comments"][1]["body"], "Russia's.");

    // The author may, while the comment is open.
    let edited = edit(kaz.clone(), mine.clone()).await;
    assert_eq!(
        edited["data"]["editComment"]["comment"]["body"], "Changed.",
        "{edited}"
    );
    assert_eq!(
        edited["data"]["editComment"]["comment"]["organization"]["code"],
        "KAZ"
    );
    let blank = app
        .gql(
            &kaz,
            EDIT_COMMENT,
            json!({ "input": { "commentId": mine, "body": "  " }}),
        )
        .await;
    assert_eq!(code(&blank), "BAD_USER_INPUT", "{blank}");
    let withdrawn = withdraw(kaz.clone(), mine.clone()).await;
    assert_eq!(
        withdrawn["data"]["withdrawComment"]["comment"]["status"], "WITHDRAWN",
        "{withdrawn}"
    );
    assert_eq!(
        code(&edit(kaz.clone(), mine.clone()).await),
        "INVALID_TRANSITION"
    );
    assert_eq!(
        code(&withdraw(kaz.clone(), mine.clone()).await),
        "INVALID_TRANSITION"
    );
    let desk = app.draft(&app.secretariat(), &id).await;
    assert_eq!(desk["comments"][0]["status"], "WITHDRAWN");
    assert_eq!(desk["comments"][0]["body"], "Changed.");
}
