//! The number of SQL statements one contract `Draft` request issues must
//! not grow with the draft's versions, comments or signatures: every kind
//! of object is loaded in one batched statement (no N+1).
//!
//! Statements are counted with sea-orm's metric callback on the connection
//! the store is built from, and the schema is executed directly with the
//! request data the server attaches (reader, loaders, engine), so no HTTP
//! and no token lookup is involved. Runs on SQLite, and on PostgreSQL too
//! when `ACCORD_TEST_POSTGRES_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use accord_api::schema::{self, request_loader};
use accord_domain::{
    Anchor, Content, Item, Lang, NoteSeries, OrgCode, OrgKind, ProposalOperation, Role, Texts,
};
use accord_migration::{Migrator, MigratorTrait};
use accord_workflow::{
    Actor, Command, Engine, NewComment, NewDraft, Outcome, Proposal, Reader, Store,
};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Database};

const DRAFT_QUERY: &str = "query Draft($id: ID!, $lang: Lang) {
  draft(id: $id) {
    id kind state title(lang: $lang)
    signatories { code }
    viewerActions
    currentVersion { number contentHash createdAt items { anchor text(lang: $lang) } }
    versions { number contentHash changeSummary createdAt }
    comments { id kind status anchor body outdated version { number } organization { code } author { id name } reply }
    notes { number date references { number } }
    meetings { body date }
    decision { number date }
    signatures { organization { code } signer { id name } contentHash signedAt }
    history { action fromState toState at actor { id organization { code } } }
  }
}";

/// Executions of the query per draft and viewer.
const RUNS: usize = 5;

/// A store whose connection counts (and records) every statement.
struct Counted {
    store: Store,
    count: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Counted {
    async fn connect(url: &str) -> Counted {
        let mut db = Database::connect(url).await.expect("connect");
        let count = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (c, l) = (Arc::clone(&count), Arc::clone(&log));
        db.set_metric_callback(move |info| {
            c.fetch_add(1, Ordering::SeqCst);
            l.lock().unwrap().push(info.statement.sql.clone());
        });
        Migrator::up(&db, None).await.expect("migrate");
        Counted {
            store: Store::from_connection(db),
            count,
            log,
        }
    }

    /// Runs the `Draft` query as `viewer` and returns the statements it
    /// issued.
    async fn draft_statements(&self, viewer: &Actor, id: &str) -> Vec<String> {
        self.statements(
            viewer,
            DRAFT_QUERY,
            serde_json::json!({ "id": id, "lang": "EN" }),
        )
        .await
    }

    /// Runs `query` with `variables` as `viewer` and returns the
    /// statements it issued.
    async fn statements(
        &self,
        viewer: &Actor,
        query: &str,
        variables: serde_json::Value,
    ) -> Vec<String> {
        let schema = schema::build(&Default::default());
        let reader = Reader::new(self.store.clone(), viewer.clone());
        let loader = request_loader(reader.clone());
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables))
            .data(reader)
            .data(loader)
            .data(Engine::new(self.store.clone()));
        self.count.store(0, Ordering::SeqCst);
        self.log.lock().unwrap().clear();
        let response = schema.execute(request).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let statements = self.log.lock().unwrap().clone();
        assert_eq!(statements.len(), self.count.load(Ordering::SeqCst));
        statements
    }
}

fn actor(sub: &str, org: &str, kind: OrgKind, role: Role) -> Actor {
    Actor::new(sub, sub, OrgCode::parse(org).unwrap(), kind, [role]).unwrap()
}

fn secretariat() -> Actor {
    actor(
        "cica-officer-1",
        "CICA",
        OrgKind::Secretariat,
        Role::Secretariat,
    )
}

fn delegate(org: &str) -> Actor {
    actor(
        &format!("{org}-delegate"),
        org,
        OrgKind::MemberState,
        Role::Delegate,
    )
}

fn content(version: usize) -> Content {
    Content::new(
        (1..=3)
            .map(|i| Item {
                anchor: Anchor::parse(&format!("item-{i}")).unwrap(),
                texts: Texts::from_pairs([(Lang::En, format!("Item {i}, version {version}."))])
                    .unwrap(),
            })
            .collect(),
    )
    .unwrap()
}

/// A draft with `versions` circulated versions, `comments` comments and
/// proposals on each (by two member states), and, when `signed`, the SOC's
/// agreement and both Secretaries General's signatures.
async fn draft(store: &Store, versions: usize, comments: usize, signed: bool) -> String {
    let engine = Engine::new(store.clone());
    let sec = secretariat();
    let outcome = engine
        .execute(
            &sec,
            Command::CreateDraft(NewDraft {
                kind: "ACTION_PLAN".into(),
                title: Texts::from_pairs([(Lang::En, "Counted".to_owned())]).unwrap(),
                signatories: vec![
                    OrgCode::parse("CICA").unwrap(),
                    OrgCode::parse("SCO").unwrap(),
                ],
                content: content(1),
            }),
        )
        .await
        .unwrap();
    let Outcome::Draft { draft_id, .. } = outcome else {
        panic!("{outcome:?}")
    };
    let delegates = [delegate("KAZ"), delegate("RUS")];
    for version in 1..=versions {
        engine
            .execute(
                &sec,
                Command::CirculateDraft {
                    draft_id: draft_id.clone(),
                    series: NoteSeries::parse("PAR").unwrap(),
                    subject: None,
                    references: Vec::new(),
                    comments_due_on: None,
                },
            )
            .await
            .unwrap();
        for c in 0..comments {
            let proposal = (c % 2 == 1).then(|| Proposal {
                operation: ProposalOperation::Replace,
                texts: Some(Texts::from_pairs([(Lang::En, format!("Wording {c}."))]).unwrap()),
            });
            engine
                .execute(
                    &delegates[c % 2],
                    Command::AddComment(NewComment {
                        draft_id: draft_id.clone(),
                        version: version as i32,
                        anchor: Some(Anchor::parse("item-1").unwrap()),
                        body: format!("Comment {c} on version {version}."),
                        proposal,
                    }),
                )
                .await
                .unwrap();
        }
        if version < versions {
            engine
                .execute(
                    &sec,
                    Command::ReviseDraft {
                        draft_id: draft_id.clone(),
                        base_version: version as i32,
                        content: content(version + 1),
                        change_summary: None,
                        accommodates: Vec::new(),
                    },
                )
                .await
                .unwrap();
        }
    }
    if signed {
        // Next year's meetings, after the circulation made today.
        let year = Utc::now().year() + 1;
        engine
            .execute(
                &sec,
                Command::OpenSwgDiscussion {
                    draft_id: draft_id.clone(),
                    meeting_date: NaiveDate::from_ymd_opt(year, 6, 25).unwrap(),
                },
            )
            .await
            .unwrap();
        engine
            .execute(
                &sec,
                Command::RecordSocAgreement {
                    draft_id: draft_id.clone(),
                    meeting_date: NaiveDate::from_ymd_opt(year, 6, 27).unwrap(),
                    decision_number: None,
                },
            )
            .await
            .unwrap();
        for (sub, org, kind) in [
            ("cica-sg", "CICA", OrgKind::Secretariat),
            ("sco-sg", "SCO", OrgKind::Counterpart),
        ] {
            engine
                .execute(
                    &actor(sub, org, kind, Role::SecretaryGeneral),
                    Command::SignDraft {
                        draft_id: draft_id.clone(),
                        content_hash: content(versions).hash(),
                    },
                )
                .await
                .unwrap();
        }
    }
    draft_id
}

async fn the_statement_count_does_not_grow(url: &str) {
    let counted = Counted::connect(url).await;
    // Both drafts agreed and signed: signatures are read only for agreed
    // drafts, so an unsigned one would save a statement by its state, not
    // by its size.
    let small = draft(&counted.store, 1, 1, true).await;
    let large = draft(&counted.store, 5, 10, true).await;
    for viewer in [secretariat(), delegate("KAZ")] {
        // The loaders batch per resolution wave and cache nothing, so the
        // count jitters by a few statements from run to run; a range over
        // several runs separates that jitter from growth with the data.
        let mut few = Vec::new();
        let mut many = Vec::new();
        for _ in 0..RUNS {
            few.push(counted.draft_statements(&viewer, &small).await);
            many.push(counted.draft_statements(&viewer, &large).await);
        }
        let range = |runs: &[Vec<String>]| {
            let counts = runs.iter().map(Vec::len);
            (counts.clone().min().unwrap(), counts.max().unwrap())
        };
        let (few_min, few_max) = range(&few);
        let (many_min, many_max) = range(&many);
        println!(
            "{} viewer: {few_min}-{few_max} statements for 1 version/1 comment/2 signatures, \
             {many_min}-{many_max} for 5 versions/10 comments each/2 signatures",
            viewer.org(),
        );
        assert!(
            many_min <= few_max,
            "the Draft query issued {few_min}-{few_max} statements for the small draft but \
             {many_min}-{many_max} for the large one ({} viewer); statements for the large \
             draft:\n{}",
            viewer.org(),
            many.iter().min_by_key(|r| r.len()).unwrap().join("\n")
        );
    }
}

/// The transitions of the benchmark, as a front-end sends them.
const TRANSITIONS: [(&str, &str); 3] = [
    (
        "circulateDraft",
        "mutation($id: ID!) { circulateDraft(input: { draftId: $id, series: \"PAR\" }) {
            draft { id state } note { number date } } }",
    ),
    (
        "addComment",
        "mutation($id: ID!) { addComment(input: { draftId: $id, version: 1, body: \"Agreed.\" }) {
            comment { id kind status organization { code } version { number } } } }",
    ),
    (
        "withdrawDraft",
        "mutation($id: ID!) { withdrawDraft(input: { draftId: $id, reason: \"Superseded.\" }) {
            draft { id state withdrawnReason } } }",
    ),
];

/// A transition answers from what it wrote: no statement follows its
/// write but those the answer's own nested fields need (a comment's
/// version), and it issues no more statements than listed here.
async fn a_transition_reads_nothing_back(url: &str) {
    let counted = Counted::connect(url).await;
    let engine = Engine::new(counted.store.clone());
    let Outcome::Draft { draft_id, .. } = engine
        .execute(
            &secretariat(),
            Command::CreateDraft(NewDraft {
                kind: "ACTION_PLAN".into(),
                title: Texts::from_pairs([(Lang::En, "Counted".to_owned())]).unwrap(),
                signatories: vec![OrgCode::parse("CICA").unwrap()],
                content: content(1),
            }),
        )
        .await
        .unwrap()
    else {
        panic!("no draft")
    };
    // The directory of organisations is kept in memory for a while; read
    // it now, so that no transition below pays for its first reading.
    counted.store.organizations().await.unwrap();
    // Statements after the write that the answer may issue, and the most
    // statements in all (the snapshot, reference data, the write; a
    // circulation also reads the version's items for its page count, the
    // formulae, and the meetings its note announces).
    let allowed_after: [&[&str]; 3] = [&[], &["FROM \"versions\""], &[]];
    let most = [11, 7, 5];
    for (((name, query), after), most) in TRANSITIONS.into_iter().zip(allowed_after).zip(most) {
        let viewer = if name == "addComment" {
            delegate("KAZ")
        } else {
            secretariat()
        };
        let statements = counted
            .statements(&viewer, query, serde_json::json!({ "id": draft_id }))
            .await;
        println!("{name}: {} statements", statements.len());
        let write = statements
            .iter()
            .rposition(|s| s.starts_with("UPDATE \"audit_head\""))
            .unwrap_or_else(|| panic!("{name} wrote no audit record: {statements:#?}"));
        let read_back = &statements[write + 1..];
        assert!(
            read_back.len() == after.len()
                && read_back
                    .iter()
                    .zip(after)
                    .all(|(s, what)| s.contains(what)),
            "{name} read back after its write:\n{}",
            read_back.join("\n")
        );
        assert!(
            statements.len() <= most,
            "{name} issued {} statements, more than {most}:\n{}",
            statements.len(),
            statements.join("\n")
        );
    }
}

/// Runs `test` on a fresh SQLite file, removed afterwards.
async fn on_sqlite<Fut: Future<Output = ()>>(test: impl FnOnce(String) -> Fut) {
    let path = std::env::temp_dir().join(format!(
        "accord-statement-count-{}-{}.db",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    test(format!("sqlite://{}?mode=rwc", path.display())).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Runs `test` on a fresh PostgreSQL database, dropped afterwards, when
/// `ACCORD_TEST_POSTGRES_URL` is set.
async fn on_postgres<Fut>(test: impl FnOnce(String) -> Fut)
where
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin_url) = std::env::var("ACCORD_TEST_POSTGRES_URL") else {
        println!("skipped: ACCORD_TEST_POSTGRES_URL not set");
        return;
    };
    let name = format!("accord_stmt_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(admin_url.as_str()).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url.as_str(), String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let outcome = tokio::spawn(test(format!("{server}/{name}{query}"))).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

#[tokio::test]
async fn a_transition_reads_nothing_back_on_sqlite() {
    on_sqlite(|url| async move { a_transition_reads_nothing_back(&url).await }).await;
}

#[tokio::test]
async fn a_transition_reads_nothing_back_on_postgres() {
    on_postgres(|url| async move { a_transition_reads_nothing_back(&url).await }).await;
}

#[tokio::test]
async fn the_draft_query_issues_a_constant_number_of_statements_on_sqlite() {
    on_sqlite(|url| async move { the_statement_count_does_not_grow(&url).await }).await;
}

#[tokio::test]
async fn the_draft_query_issues_a_constant_number_of_statements_on_postgres() {
    on_postgres(|url| async move { the_statement_count_does_not_grow(&url).await }).await;
}
