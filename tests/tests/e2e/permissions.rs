//! The permission matrix over HTTP, generated from the workflow's table:
//! every (role, relation) pair × every action on a draft × every state,
//! each answered as the oracle (`oracle::expected`) says, and a refusal changes
//! nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use accord_domain::{DraftState, Role};
use accord_workflow::permissions::{self, Action, Relation, TABLE, valid_pairs};

use crate::oracle::{Expect, expected};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::helpers::{
    Backend, DEFAULT_ROUTE_STATES, TestApp, error_code, org_in, soc_date, spawn_app,
    standard_items, str_at, swg_date,
};
use crate::on_both_backends;

on_both_backends!(
    matrix =>
        every_cell_of_the_permission_table_holds_over_http_sqlite,
        every_cell_of_the_permission_table_holds_over_http_postgres
);
on_both_backends!(
    unreadable_proposals =>
        a_proposal_one_cannot_read_cannot_be_resolved_and_is_not_found_sqlite,
        a_proposal_one_cannot_read_cannot_be_resolved_and_is_not_found_postgres
);

/// How many requests of the matrix are in flight at once.
const IN_FLIGHT: usize = 16;

/// The organisation that stands in `relation` to the matrix's drafts.
/// The signatories of a draft to which `org_in(relation)` stands in
/// `relation`: SCO is a party only when it signs.
fn signatories_for(relation: Relation) -> &'static [&'static str] {
    match relation {
        Relation::OtherCounterpart => &["CICA"],
        _ => &["CICA", "SCO"],
    }
}

fn person(app: &TestApp, role: Role, relation: Relation) -> String {
    app.person(role, org_in(relation))
}

/// A draft in the canonical situation of a state, with what the
/// mutations need: the current content hash, the version everyone sees,
/// and (once circulated) an open proposal by a KAZ delegate.
#[derive(Debug, Clone)]
struct Situation {
    id: String,
    hash: String,
    version: i64,
    proposal: Option<String>,
}

async fn situation(app: &TestApp, state: DraftState, signatories: &[&str]) -> Situation {
    let (id, _) = app.create_draft(signatories).await;
    let mut proposal = None;
    if state != DraftState::Drafting {
        app.advance(
            &id,
            DraftState::Drafting,
            DraftState::Circulated,
            signatories,
        )
        .await;
        proposal = Some(app.propose(&app.delegate("KAZ"), &id, "item-2").await);
        app.advance(&id, DraftState::Circulated, state, signatories)
            .await;
    }
    let seen = app.draft(&app.secretariat(), &id).await;
    assert_eq!(seen["state"], state.as_str(), "{seen}");
    Situation {
        hash: str_at(&seen, "/currentVersion/contentHash"),
        version: seen["currentVersion"]["number"].as_i64().unwrap(),
        id,
        proposal,
    }
}

/// The contract operation and variables that perform `action` on `at`.
fn request(action: Action, at: &Situation) -> (&'static str, Value) {
    let id = at.id.as_str();
    match action {
        Action::CreateDraft => (
            "CreateDraft",
            json!({ "input": {
                "kind": "CONCEPT_PAPER",
                "title": [{ "lang": "EN", "text": "Matrix draft" }],
                "signatories": ["CICA"],
                "items": standard_items(""),
            }}),
        ),
        Action::Revise => (
            "ReviseDraft",
            json!({ "input": { "draftId": id, "baseVersion": at.version, "items": standard_items(" (matrix)") }}),
        ),
        Action::Circulate => (
            "CirculateDraft",
            json!({ "input": { "draftId": id, "series": "PAR" }}),
        ),
        Action::OpenSwgDiscussion => (
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": id, "meetingDate": swg_date() }}),
        ),
        Action::RecordSocAgreement => (
            "RecordSocAgreement",
            json!({ "input": { "draftId": id, "meetingDate": soc_date() }}),
        ),
        Action::Sign => (
            "SignDraft",
            json!({ "input": { "draftId": id, "contentHash": at.hash }}),
        ),
        Action::Withdraw => (
            "WithdrawDraft",
            json!({ "input": { "draftId": id, "reason": "Matrix withdrawal." }}),
        ),
        Action::Comment => (
            "AddComment",
            json!({ "input": { "draftId": id, "version": at.version, "body": "Matrix comment." }}),
        ),
        Action::ResolveProposal => (
            "ResolveProposal",
            json!({ "input": {
                "commentId": at.proposal.as_deref().expect("a proposal on the draft"),
                "resolution": "NOT_ACCOMMODATED",
                "reply": "Matrix reply."
            }}),
        ),
        Action::RecordBodyDecision => (
            RECORD_BODY_DECISION,
            json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
        ),
        Action::PutUnderSilence => (
            PUT_UNDER_SILENCE,
            json!({ "input": {
                "draftId": id,
                "endsAt": (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339(),
                "meetingDate": soc_date(),
                "series": "PAR",
            }}),
        ),
        other => panic!("the matrix does not send {other:?}"),
    }
}

/// The one action on drafts that is not in the contract's operations: a
/// decision of a body other than the SOC, which no draft on the default
/// route reaches (so every cell refuses it).
const RECORD_BODY_DECISION: &str = "mutation RecordBodyDecision($input: RecordBodyDecisionInput!) {
    recordBodyDecision(input: $input) { draft { id state } decision { id number } } }";

/// Putting a text under silence, which no draft on the default route
/// can be (so every cell refuses it).
const PUT_UNDER_SILENCE: &str = "mutation PutUnderSilence($input: PutUnderSilenceInput!) {
    putUnderSilence(input: $input) { draft { id state } silenceProcedure { id } } }";

/// Sends what [`request`] made: a contract operation by name, or the
/// document itself.
async fn send(app: &TestApp, token: &str, name: &str, variables: Value) -> Value {
    if name.starts_with("mutation ") {
        app.gql(token, name, variables).await
    } else {
        app.op(token, name, variables).await
    }
}

fn outcome(body: &Value) -> Result<Expect, String> {
    match error_code(body).as_deref() {
        None if body["errors"].is_null() => Ok(Expect::Allowed),
        Some("NOT_FOUND") => Ok(Expect::NotFound),
        Some("FORBIDDEN") => Ok(Expect::Forbidden),
        Some("INVALID_TRANSITION") => Ok(Expect::InvalidTransition),
        _ => Err(body.to_string()),
    }
}

/// One cell: who, what, from which state (`None`: creating a draft).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Cell {
    role: Role,
    relation: Relation,
    action: Action,
    state: Option<DraftState>,
}

impl Cell {
    fn expect(&self) -> Expect {
        expected(self.role, self.action, self.state, self.relation)
    }

    fn describe(&self) -> String {
        match self.state {
            Some(state) => format!(
                "{} as {:?}: {:?} in {state}",
                self.role, self.relation, self.action
            ),
            None => format!("{} as {:?}: {:?}", self.role, self.relation, self.action),
        }
    }
}

/// Whether the cell can be reached over HTTP. Resolving a proposal needs a
/// proposal, and none can exist on a draft that was never circulated.
fn reachable(cell: &Cell) -> bool {
    !(cell.action == Action::ResolveProposal && cell.state == Some(DraftState::Drafting))
}

/// The draft as the Secretariat sees it, less what depends on the viewer.
async fn record(app: &TestApp, id: &str) -> Value {
    let mut seen = app.draft(&app.secretariat(), id).await;
    seen.as_object_mut().unwrap().remove("viewerActions");
    seen
}

async fn matrix(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    check_cells(Arc::new(app), |_| true).await;
}

async fn unreadable_proposals(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Observers and counterparts that are not parties read no comments:
    // a proposal is hidden from them, whatever the draft's state.
    let unreadable = |cell: &Cell| {
        cell.action == Action::ResolveProposal
            && matches!(
                cell.relation,
                Relation::Observer | Relation::OtherCounterpart
            )
    };
    let checked = check_cells(Arc::new(app), unreadable).await;
    assert!(checked.len() >= 25, "{} cells", checked.len());
    for cell in checked {
        if cell.state != Some(DraftState::Drafting) {
            assert_eq!(cell.expect(), Expect::NotFound, "{}", cell.describe());
        }
    }
}

/// Sends every cell `selected` picks and compares the answers with the
/// table; the cells checked.
async fn check_cells(app: Arc<TestApp>, selected: impl Fn(&Cell) -> bool) -> Vec<Cell> {
    let started = std::time::Instant::now();

    let cells: Vec<Cell> = valid_pairs()
        .flat_map(|(role, relation)| {
            DEFAULT_ROUTE_STATES
                .into_iter()
                .flat_map(move |state| {
                    Action::ON_DRAFT.into_iter().map(move |action| Cell {
                        role,
                        relation,
                        action,
                        state: Some(state),
                    })
                })
                .chain(std::iter::once(Cell {
                    role,
                    relation,
                    action: Action::CreateDraft,
                    state: None,
                }))
        })
        .collect();
    assert!(cells.len() > 600, "the matrix has {} cells", cells.len());
    let cells: Vec<Cell> = cells.into_iter().filter(|cell| selected(cell)).collect();

    // One shared draft per (state, signatories) for the refusals, which
    // change nothing; each allowed cell gets a fresh draft of its own.
    let mut shared: BTreeMap<(DraftState, bool), Situation> = BTreeMap::new();
    {
        let mut building = JoinSet::new();
        for state in DEFAULT_ROUTE_STATES {
            for party in [true, false] {
                let app = Arc::clone(&app);
                building.spawn(async move {
                    let signatories: &[&str] = if party { &["CICA", "SCO"] } else { &["CICA"] };
                    ((state, party), situation(&app, state, signatories).await)
                });
            }
        }
        while let Some(built) = building.join_next().await {
            let (key, at) = built.unwrap();
            shared.insert(key, at);
        }
    }
    let mut before = BTreeMap::new();
    for (key, at) in &shared {
        before.insert(*key, record(&app, &at.id).await);
    }

    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut running = JoinSet::new();
    let mut skipped = Vec::new();
    let mut creations = Vec::new();
    for cell in cells {
        if cell.state.is_none() {
            creations.push(cell);
            continue;
        }
        if !reachable(&cell) {
            skipped.push(cell);
            continue;
        }
        let app = Arc::clone(&app);
        let gate = Arc::clone(&gate);
        let key = (
            cell.state.unwrap(),
            cell.relation != Relation::OtherCounterpart,
        );
        let shared_at = shared[&key].clone();
        running.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let at = if cell.expect() == Expect::Allowed {
                situation(&app, cell.state.unwrap(), signatories_for(cell.relation)).await
            } else {
                shared_at
            };
            let token = person(&app, cell.role, cell.relation);
            let (name, variables) = request(cell.action, &at);
            let body = send(&app, &token, name, variables).await;
            (cell, outcome(&body))
        });
    }
    let mut results = BTreeMap::new();
    while let Some(done) = running.join_next().await {
        let (cell, got) = done.unwrap();
        results.insert(cell, got);
    }

    // Creating a draft, once per pair, one after the other so the count
    // of drafts tells what was created.
    let none = Situation {
        id: String::new(),
        hash: String::new(),
        version: 0,
        proposal: None,
    };
    for cell in creations {
        let secretariat = app.secretariat();
        let count = app.total_count(&secretariat).await;
        let (name, variables) = request(cell.action, &none);
        let body = app
            .op(&person(&app, cell.role, cell.relation), name, variables)
            .await;
        let got = outcome(&body);
        let created = app.total_count(&secretariat).await - count;
        let want_created = u64::from(cell.expect() == Expect::Allowed);
        assert_eq!(created, want_created, "{}: {body}", cell.describe());
        results.insert(cell, got);
    }

    let mut wrong = Vec::new();
    for (cell, got) in &results {
        let want = cell.expect();
        match got {
            Ok(got) if *got == want => {}
            Ok(got) => wrong.push(format!(
                "{}: expected {want:?}, got {got:?}",
                cell.describe()
            )),
            Err(body) => wrong.push(format!(
                "{}: expected {want:?}, got {body}",
                cell.describe()
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cells disagree with the permission table:\n{}",
        wrong.len(),
        results.len(),
        wrong.join("\n")
    );

    // The refusals changed nothing.
    for (key, at) in &shared {
        assert_eq!(
            record(&app, &at.id).await,
            before[key],
            "a refused mutation changed the {key:?} draft"
        );
    }
    // And viewerActions is the same table, seen from the front-end.
    let mut offered_wrong = Vec::new();
    for (role, relation) in valid_pairs() {
        let token = person(&app, role, relation);
        for state in DEFAULT_ROUTE_STATES {
            let at = &shared[&(state, relation != Relation::OtherCounterpart)];
            let body = app
                .op(&token, "Draft", json!({ "id": at.id, "lang": "EN" }))
                .await;
            let visible = expected(role, Action::Revise, Some(state), relation) != Expect::NotFound;
            if !visible {
                if error_code(&body).as_deref() != Some("NOT_FOUND") {
                    offered_wrong.push(format!(
                        "{role} as {relation:?} in {state}: should not see it: {body}"
                    ));
                }
                continue;
            }
            let want: BTreeSet<String> = Action::ON_DRAFT
                .into_iter()
                .filter(|action| expected(role, *action, Some(state), relation) == Expect::Allowed)
                .map(|action| action.as_str().to_owned())
                .collect();
            let got: BTreeSet<String> = body["data"]["draft"]["viewerActions"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|a| a.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if got != want || body["errors"].is_array() {
                offered_wrong.push(format!("{role} as {relation:?} in {state}: offered {got:?}, table says {want:?}; {body}"));
            }
        }
    }
    assert!(
        offered_wrong.is_empty(),
        "viewerActions disagrees with the table:\n{}",
        offered_wrong.join("\n")
    );

    println!(
        "{} cells checked, {} unreachable over HTTP ({:?}), in {:?}",
        results.len(),
        skipped.len(),
        skipped.iter().map(Cell::describe).collect::<Vec<_>>(),
        started.elapsed()
    );
    results.into_keys().collect()
}

/// Every mutation of the schema is listed in `MUTATIONS` with an action,
/// every listed mutation exists, and each action has a row in the table.
#[tokio::test]
async fn every_mutation_has_an_action_with_a_row_in_the_permission_table() {
    let schema = accord_api::schema::build(&accord_api::schema::Limits::default());
    let response = schema
        .execute("{ __schema { mutationType { fields { name } } } }")
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let in_schema: BTreeSet<String> = data["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| str_at(f, "/name"))
        .collect();
    let listed: BTreeSet<String> = accord_api::schema::MUTATIONS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    assert_eq!(
        in_schema, listed,
        "the schema's mutations and MUTATIONS differ"
    );
    for (name, action) in accord_api::schema::MUTATIONS {
        assert!(
            permissions::rule(*action).is_some(),
            "{name} performs {action:?}, which has no row in TABLE"
        );
    }
    let rows: BTreeSet<Action> = TABLE.iter().map(|rule| rule.action).collect();
    assert_eq!(rows.len(), TABLE.len(), "an action has two rows in TABLE");
    assert_eq!(
        rows,
        Action::ALL.iter().copied().collect(),
        "TABLE covers every action"
    );
}
