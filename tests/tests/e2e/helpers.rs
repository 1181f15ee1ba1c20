//! The harness: a real server bound to a free port, on a fresh database per
//! test (SQLite file or PostgreSQL database), spoken to over HTTP with real
//! tokens; plus typed helpers for the people and drafts the scenarios need.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use accord_api::auth::{TokenRequest, mint_hs256};
use accord_api::config::Settings;
use accord_api::server::{self, AppState, Running};
use accord_domain::{DraftState, Role};
use accord_workflow::permissions::Relation;
use chrono::Datelike;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// The HS256 secret every test server trusts (48 characters).
pub const SECRET: &str = "accord-e2e-test-secret-0123456789abcdefghijklmno";
/// Issuer and audience of the test tokens (the defaults of `Settings`).
pub const ISSUER: &str = "accord";
/// See [`ISSUER`].
pub const AUDIENCE: &str = "accord";
/// The states a draft on the default route passes through (the others
/// belong to other routes; see `routes.rs`).
pub const DEFAULT_ROUTE_STATES: [DraftState; 6] = [
    DraftState::Drafting,
    DraftState::Circulated,
    DraftState::SwgDiscussion,
    DraftState::SocAgreed,
    DraftState::Signed,
    DraftState::Withdrawn,
];
/// Where the PostgreSQL variants find a server; unset means skip them.
pub const POSTGRES_ENV: &str = "ACCORD_TEST_POSTGRES_URL";

/// Every operation front-ends send, exactly as the contract writes them.
pub const OPERATIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/contract/operations.graphql"
));

/// The database a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in the temporary directory.
    Sqlite,
    /// A fresh database on the server named by `ACCORD_TEST_POSTGRES_URL`.
    Postgres,
}

/// Writes `<name>_sqlite` and `<name>_postgres` tests that run the scenario
/// `async fn <scenario>(backend: Backend)` on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* $scenario:ident => $sqlite:ident, $postgres:ident) => {
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $sqlite() {
            $scenario($crate::helpers::Backend::Sqlite).await;
        }

        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $postgres() {
            $scenario($crate::helpers::Backend::Postgres).await;
        }
    };
}

/// The organisation the generated permission tests act for in `relation`
/// (to a draft signed by CICA and SCO, or to a draft CICA alone signs for
/// `OtherCounterpart`).
pub fn org_in(relation: Relation) -> &'static str {
    match relation {
        Relation::HomeSecretariat => "CICA",
        Relation::PartyCounterpart | Relation::OtherCounterpart => "SCO",
        Relation::MemberState => "KAZ",
        Relation::Observer => "JPN",
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The metrics' own listener, if the settings gave it one.
    pub metrics_base: Option<String>,
    /// A client without cookies or redirects.
    pub client: reqwest::Client,
    /// The database the server runs on.
    pub db_url: String,
    /// The server's file store (a fresh temporary directory).
    pub files_dir: PathBuf,
    /// Held for the server's life: dropping it shuts the server down.
    _running: Running,
    /// The background jobs, when the settings run them; stopped first.
    _jobs: Jobs,
    /// Dropped after the server: removes the database.
    _cleanup: Cleanup,
    /// Removes the file store (unless shared with the first instance).
    _files: FilesCleanup,
}

/// The background jobs of a test server, stopped when it is dropped.
struct Jobs(Option<accord_workflow::jobs::SchedulerHandle>);

impl Drop for Jobs {
    fn drop(&mut self) {
        if let Some(jobs) = &self.0 {
            jobs.abort();
        }
    }
}

/// The file store to remove when a test is done.
struct FilesCleanup(Option<PathBuf>);

impl Drop for FilesCleanup {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// What to remove when a test is done.
enum Cleanup {
    /// Another instance's database: its first instance cleans up.
    Nothing,
    SqliteFile(PathBuf),
    PostgresDatabase {
        admin_url: String,
        name: String,
    },
}

/// Starts a server on a fresh database, or `None` (after saying so) when
/// the backend is PostgreSQL and no server is configured.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// [`spawn_app`] with the test settings changed by `configure` first.
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let FreshDatabase { url, cleanup } = fresh_database(backend).await?;
    Some(serve(url, None, cleanup, false, configure).await)
}

/// Starts a server on a fresh database holding the demo data, as
/// `accord serve --demo` does, or `None` as [`spawn_app`].
pub async fn spawn_demo_app(backend: Backend) -> Option<TestApp> {
    let FreshDatabase { url, cleanup } = fresh_database(backend).await?;
    Some(serve(url, None, cleanup, true, |_| {}).await)
}

/// An empty database (no schema), removed when dropped.
pub struct FreshDatabase {
    /// Its URL.
    pub url: String,
    cleanup: Cleanup,
}

/// A new empty database, or `None` (after saying so) when the backend is
/// PostgreSQL and no server is configured.
pub async fn fresh_database(backend: Backend) -> Option<FreshDatabase> {
    let (url, cleanup) = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir()
                .join(format!("accord-e2e-{}.db", uuid::Uuid::new_v4().simple()));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                Cleanup::SqliteFile(path),
            )
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
                println!("skipped: {POSTGRES_ENV} not set");
                return None;
            };
            let name = format!("accord_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(admin_url.as_str())
                .await
                .expect("connect to ACCORD_TEST_POSTGRES_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create a test database");
            admin.close().await.ok();
            (
                with_database(&admin_url, &name),
                Cleanup::PostgresDatabase { admin_url, name },
            )
        }
    };
    Some(FreshDatabase { url, cleanup })
}

/// Starts a server on `db_url` (migrating it if needed), with the demo
/// data loaded first when `demo` is set.
async fn serve(
    db_url: String,
    files_dir: Option<PathBuf>,
    cleanup: Cleanup,
    demo: bool,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings::for_tests(db_url.clone(), SECRET);
    configure(&mut settings);
    let owns_files = files_dir.is_none();
    if let Some(files_dir) = files_dir {
        settings.files_dir = files_dir;
    }
    let state = AppState::prepare(&settings)
        .await
        .expect("the server prepares on a fresh database");
    if demo {
        accord_api::demo::load(state.store())
            .await
            .expect("the demo data loads");
    }
    // As `accord serve` does: the jobs run when the settings say so.
    let jobs = Jobs(server::scheduler(&settings, state.store()).map(|s| s.spawn()));
    let running = server::spawn(&settings, Arc::new(state))
        .await
        .expect("the server binds a free port");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client");
    TestApp {
        base: running.url(),
        metrics_base: running.metrics_addr.map(|addr| format!("http://{addr}")),
        client,
        db_url,
        _files: FilesCleanup(owns_files.then(|| settings.files_dir.clone())),
        files_dir: settings.files_dir,
        _jobs: jobs,
        _running: running,
        _cleanup: cleanup,
    }
}

/// `url` with its database (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let authority_end = head
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| head[start..].find('/').map(|i| start + i))
        .unwrap_or(head.len());
    let mut out = format!("{}/{name}", &head[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Removes the database when dropped, also when the server failed to
/// start or the test panicked.
impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Nothing => {}
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                // Drop cannot await: a thread of its own drops the database;
                // FORCE ends the server's pooled connections.
                let (admin_url, database) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let admin = Database::connect(admin_url.as_str()).await.ok()?;
                        admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
                            ))
                            .await
                            .ok()?;
                        admin.close().await.ok()
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(()))) {
                    eprintln!("could not drop test database {name}; drop it by hand");
                }
            }
        }
    }
}

/// A person, by their token.
pub type Token = String;

impl TestApp {
    /// A second server on the same database, as when several API
    /// instances share one (it must not outlive this one).
    pub async fn another_instance(&self) -> TestApp {
        self.another_instance_with(|_| {}).await
    }

    /// [`TestApp::another_instance`] with the test settings changed by
    /// `configure` first.
    pub async fn another_instance_with(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        serve(
            self.db_url.clone(),
            Some(self.files_dir.clone()),
            Cleanup::Nothing,
            false,
            configure,
        )
        .await
    }

    /// A separate connection to the app's database, for checks the API
    /// does not offer (the audit log) and for tampering with it.
    pub async fn db(&self) -> DatabaseConnection {
        Database::connect(self.db_url.as_str())
            .await
            .expect("connect to the test database")
    }

    /// How many entries the audit log holds.
    pub async fn audit_entries(&self) -> u64 {
        use sea_orm::{EntityTrait, PaginatorTrait};
        accord_workflow::entity::audit_log::Entity::find()
            .count(&self.db().await)
            .await
            .expect("count the audit log")
    }

    /// A token for a person, valid for an hour.
    pub fn token(&self, sub: &str, name: &str, org: &str, roles: &[&str]) -> Token {
        mint_hs256(
            SECRET,
            ISSUER,
            AUDIENCE,
            &TokenRequest {
                sub: sub.into(),
                name: name.into(),
                org: org.into(),
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                ttl: chrono::Duration::hours(1),
            },
        )
        .expect("mint a test token")
    }

    /// An officer of the CICA Secretariat.
    pub fn secretariat(&self) -> Token {
        self.token("cica-officer", "Aigerim Officer", "CICA", &["secretariat"])
    }

    /// The Secretary General of `org` (`CICA` or `SCO`).
    pub fn sg(&self, org: &str) -> Token {
        self.token(
            &format!("sg-{}", org.to_lowercase()),
            &format!("Secretary General of {org}"),
            org,
            &["secretary_general"],
        )
    }

    /// An officer of the counterpart secretariat `org`.
    pub fn counterpart(&self, org: &str) -> Token {
        self.token(
            &format!("officer-{}", org.to_lowercase()),
            &format!("Officer of {org}"),
            org,
            &["counterpart"],
        )
    }

    /// A person holding `role` in `org`, as the generated permission tests
    /// make them (`sub` is `<role>-<org>`).
    pub fn person(&self, role: Role, org: &str) -> Token {
        self.token(
            &format!("{}-{}", role.claim_name(), org.to_lowercase()),
            &format!("{role} of {org}"),
            org,
            &[role.claim_name()],
        )
    }

    /// A delegate of member state `org`.
    pub fn delegate(&self, org: &str) -> Token {
        self.token(
            &format!("delegate-{}", org.to_lowercase()),
            &format!("Delegate of {org}"),
            org,
            &["delegate"],
        )
    }

    /// An observer of `org`.
    pub fn observer(&self, org: &str) -> Token {
        self.token(
            &format!("observer-{}", org.to_lowercase()),
            &format!("Observer of {org}"),
            org,
            &["observer"],
        )
    }

    /// `POST /graphql` with an optional bearer token; the status and the
    /// whole JSON body.
    pub async fn post(&self, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("a JSON body, got {status}: {text}"));
        (status, value)
    }

    /// Runs a GraphQL document as `token`; the whole JSON body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self
            .post(
                Some(token),
                &json!({ "query": query, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Runs the contract operation `name` (the whole operations.graphql is
    /// sent, as front-ends do) as `token`; the whole JSON body.
    pub async fn op(&self, token: &str, name: &str, variables: Value) -> Value {
        let (status, body) = self
            .post(
                Some(token),
                &json!({ "query": OPERATIONS, "operationName": name, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200, "{name}: {body}");
        body
    }

    /// Like [`TestApp::op`], but the operation must succeed; its `data`.
    pub async fn op_ok(&self, token: &str, name: &str, variables: Value) -> Value {
        let body = self.op(token, name, variables.clone()).await;
        ok(&body, name)
    }

    /// The draft as `token` sees it through the contract's `Draft` query,
    /// which must succeed.
    pub async fn draft(&self, token: &str, id: &str) -> Value {
        self.op_ok(token, "Draft", json!({ "id": id, "lang": "EN" }))
            .await
            .pointer("/draft")
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Creates a draft with the standard text, as the Secretariat; its id
    /// and first content hash.
    pub async fn create_draft(&self, signatories: &[&str]) -> (String, String) {
        self.create_draft_with(signatories, standard_items(""))
            .await
    }

    /// Creates a draft with `items`, as the Secretariat; its id and first
    /// content hash.
    pub async fn create_draft_with(&self, signatories: &[&str], items: Value) -> (String, String) {
        let data = self
            .op_ok(
                &self.secretariat(),
                "CreateDraft",
                json!({ "input": {
                    "kind": "ACTION_PLAN",
                    "title": [
                        { "lang": "EN", "text": "Action Plan for 2024-2029" },
                        { "lang": "RU", "text": "План действий на 2024-2029 годы" }
                    ],
                    "signatories": signatories,
                    "items": items,
                }}),
            )
            .await;
        let draft = &data["createDraft"]["draft"];
        (
            str_at(draft, "/id"),
            str_at(draft, "/currentVersion/contentHash"),
        )
    }

    /// A fresh draft (signatories CICA and SCO) driven to `state`; its id
    /// and the current (in SOC_AGREED and SIGNED: agreed) content hash.
    pub async fn draft_in_state(&self, state: DraftState) -> (String, String) {
        self.draft_in_state_for(state, &["CICA", "SCO"]).await
    }

    /// Like [`TestApp::draft_in_state`] with other signatories; SIGNED
    /// collects every signatory's signature.
    pub async fn draft_in_state_for(
        &self,
        state: DraftState,
        signatories: &[&str],
    ) -> (String, String) {
        let (id, hash) = self.create_draft(signatories).await;
        self.advance(&id, DraftState::Drafting, state, signatories)
            .await;
        (id, hash)
    }

    /// Drives draft `id` (with `signatories`) from `from` to `to` along
    /// the shortest path; WITHDRAWN is reached after circulation.
    pub async fn advance(&self, id: &str, from: DraftState, to: DraftState, signatories: &[&str]) {
        let secretariat = self.secretariat();
        let rank = |s: DraftState| match s {
            DraftState::Drafting => 0,
            DraftState::Circulated => 1,
            DraftState::SwgDiscussion => 2,
            DraftState::SocAgreed => 3,
            DraftState::Signed => 4,
            DraftState::Withdrawn => 1,
            other => panic!("{other:?} is not a state of the default route"),
        };
        let (start, end) = (rank(from), rank(to));
        if start < 1 && end >= 1 {
            self.op_ok(
                &secretariat,
                "CirculateDraft",
                json!({ "input": { "draftId": id, "series": "PAR" } }),
            )
            .await;
        }
        if to == DraftState::Withdrawn {
            self.op_ok(
                &secretariat,
                "WithdrawDraft",
                json!({ "input": { "draftId": id, "reason": "Superseded by a new text." } }),
            )
            .await;
            return;
        }
        if start < 2 && end >= 2 {
            self.op_ok(
                &secretariat,
                "OpenSwgDiscussion",
                json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
            )
            .await;
        }
        if start < 3 && end >= 3 {
            self.op_ok(
                &secretariat,
                "RecordSocAgreement",
                json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
            )
            .await;
        }
        if start < 4 && end >= 4 {
            let hash = str_at(
                &self.draft(&secretariat, id).await,
                "/currentVersion/contentHash",
            );
            for org in signatories {
                self.op_ok(
                    &self.sg(org),
                    "SignDraft",
                    json!({ "input": { "draftId": id, "contentHash": hash } }),
                )
                .await;
            }
        }
    }

    /// Adds a proposal to replace `anchor` as `token`, on the version the
    /// person sees; its id.
    pub async fn propose(&self, token: &str, draft_id: &str, anchor: &str) -> String {
        let version = self.draft(token, draft_id).await["currentVersion"]["number"].clone();
        let data = self
            .op_ok(
                token,
                "AddComment",
                json!({ "input": {
                    "draftId": draft_id,
                    "version": version,
                    "anchor": anchor,
                    "body": "We propose a clearer wording.",
                    "proposal": {
                        "operation": "REPLACE",
                        "texts": [{ "lang": "EN", "text": "Clearer wording of the item." }]
                    }
                }}),
            )
            .await;
        str_at(&data, "/addComment/comment/id")
    }

    /// How many drafts `token` can list.
    pub async fn total_count(&self, token: &str) -> u64 {
        self.op_ok(token, "Drafts", json!({ "first": 1 })).await["drafts"]["totalCount"]
            .as_u64()
            .expect("totalCount")
    }
}

/// The `data` of a response that must have no errors.
pub fn ok(body: &Value, what: &str) -> Value {
    assert!(
        body.get("errors").is_none_or(Value::is_null),
        "{what} failed: {body}"
    );
    body["data"].clone()
}

/// The paths of the files the GraphiQL page loads from Accord
/// (`src="/…"` and `href="/…"`).
pub fn graphiql_assets(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in [" src=\"/", " href=\"/"] {
        for (at, _) in page.match_indices(attribute) {
            let rest = &page[at + attribute.len() - 1..];
            out.push(rest[..rest.find('"').expect("a closing quote")].to_owned());
        }
    }
    out
}

/// `errors[0].extensions.code`, if any.
pub fn error_code(body: &Value) -> Option<String> {
    body.pointer("/errors/0/extensions/code")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The string at `pointer` in `value`; panics with the value otherwise.
pub fn str_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value}"))
        .to_owned()
}

/// A draft's text: a preamble and three items in English and Russian;
/// `suffix` makes a different text.
pub fn standard_items(suffix: &str) -> Value {
    json!([
        { "anchor": "preamble-1", "texts": [
            { "lang": "EN", "text": format!("The CICA Secretariat and the SCO Secretariat{suffix},") },
            { "lang": "RU", "text": format!("Секретариат СВМДА и Секретариат ШОС{suffix},") }
        ]},
        { "anchor": "item-1", "texts": [
            { "lang": "EN", "text": "Exchange information on events of mutual interest." },
            { "lang": "RU", "text": "Обмениваться информацией о мероприятиях, представляющих взаимный интерес." }
        ]},
        { "anchor": "item-2", "texts": [
            { "lang": "EN", "text": "Hold consultations at the level of Deputy Executive Directors." },
            { "lang": "RU", "text": "Проводить консультации на уровне заместителей исполнительного директора." }
        ]},
        { "anchor": "item-3", "texts": [
            { "lang": "EN", "text": "Invite each other to conferences and seminars." },
            { "lang": "RU", "text": "Приглашать друг друга на конференции и семинары." }
        ]}
    ])
}

/// The year the tests' meetings are held in (this year).
pub fn year() -> i32 {
    chrono::Utc::now().year()
}

/// The year of the meetings the tests hold: the next, so that every
/// meeting follows the circulations the tests make today.
pub fn meeting_year() -> i32 {
    year() + 1
}

/// The date of the SWG meeting the tests use.
pub fn swg_date() -> String {
    format!("{}-03-12", meeting_year())
}

/// The date of the SOC meeting the tests use (the year's first session).
pub fn soc_date() -> String {
    format!("{}-04-17", meeting_year())
}

/// Unpadded base64url, for handcrafted tokens.
pub fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes unpadded base64url.
pub fn b64url_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        }
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (value(*c) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn base64url_round_trips() {
    for text in ["", "a", "ab", "abc", "abcd", "{\"alg\":\"none\"}"] {
        assert_eq!(b64url_decode(&b64url(text.as_bytes())), text.as_bytes());
    }
    assert_eq!(b64url(b"{\"alg\":\"none\"}"), "eyJhbGciOiJub25lIn0");
}

#[test]
fn the_database_of_a_postgres_url_is_replaced() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}

/// Runs every future on its own task, all released at once by a barrier,
/// and returns their outputs in the order given.
pub async fn all_at_once<T, F>(futures: Vec<F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(futures.len()));
    let mut set = tokio::task::JoinSet::new();
    for (index, future) in futures.into_iter().enumerate() {
        let barrier = Arc::clone(&barrier);
        set.spawn(async move {
            barrier.wait().await;
            (index, future.await)
        });
    }
    let mut out = Vec::new();
    while let Some(done) = set.join_next().await {
        out.push(done.expect("a task of all_at_once panicked"));
    }
    out.sort_by_key(|(index, _)| *index);
    out.into_iter().map(|(_, value)| value).collect()
}

/// Seconds since the epoch, for hand-made claims.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims of a valid Secretariat officer; tests spoil one thing at a time.
pub fn claims() -> Value {
    json!({
        "sub": "cica-officer",
        "name": "Aigerim Officer",
        "org": "CICA",
        "roles": ["secretariat"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now(),
        "nbf": now(),
        "exp": now() + 3600,
    })
}

/// [`claims`] with `changes` applied; a null removes the claim.
pub fn with(changes: Value) -> Value {
    let mut out = claims();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            out.as_object_mut().unwrap().remove(key);
        } else {
            out[key] = value.clone();
        }
    }
    out
}

/// Signs a header and payload written by hand, byte for byte, with the
/// test HS256 secret.
pub fn sign_raw(header: &str, payload: &str) -> String {
    let message = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes())
    );
    let signature = jsonwebtoken::crypto::sign(
        message.as_bytes(),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        jsonwebtoken::Algorithm::HS256,
    )
    .unwrap();
    format!("{message}.{signature}")
}
