//! The baselines: a plain poem server, run as `accord-bench baseline`, with
//! hand-written SQL (sqlx, through sea-orm's re-export) and serde.
//!
//! - `POST /draft` answers the contract's `Draft` query for `variables.id`
//!   with the same JSON Accord gives (the bench checks that they are equal),
//!   one statement per kind of object on one pooled connection.
//! - `POST /tx` carries out `CirculateDraft`, `AddComment` and
//!   `WithdrawDraft` (by `operationName`) with the statements Accord's engine
//!   issues: the draft snapshot, then in one transaction holding the write
//!   lock (SQLite: an in-process gate plus `BEGIN IMMEDIATE`; PostgreSQL:
//!   `SELECT … FOR UPDATE` on the audit head) the compare-and-set, the rows,
//!   the hash-chained audit record and the new audit head.
//! - `POST /ceiling` returns bytes stored by `PUT /ceiling`, from memory.
//!
//! What the baselines leave out: bearer-token verification and the
//! organisation lookup behind it, GraphQL parsing, validation and
//! execution, and the permission rules (the actors are fixed). That is the
//! overhead being measured.

use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

use accord_workflow::Action;
use accord_workflow::audit::entry_hash;
use accord_workflow::entity::audit_log;
use anyhow::{Context as _, anyhow, bail};
use bytes::Bytes;
use chrono::{DateTime, Datelike as _, NaiveDate, SecondsFormat, SubsecRound as _, Utc};
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{EndpointExt, Response, Route, handler, post};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{self, AssertSqlSafe, PgPool, SqlitePool};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::{Mutex, RwLock};

/// The line the baseline prints when it listens, followed by the address.
pub const READY: &str = "baseline listening on ";

/// `accord-bench baseline`.
#[derive(Debug, Clone, clap::Args)]
pub struct BaselineArgs {
    /// The database: `sqlite://…` or `postgres://…`.
    #[arg(long)]
    pub database_url: String,
    /// Pooled connections (Accord's default is 16).
    #[arg(long, default_value_t = 16)]
    pub max_connections: u32,
}

enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

struct State {
    pool: Pool,
    sql: Queries,
    gate: Mutex<()>,
    ceiling: RwLock<Bytes>,
}

/// Every statement, with placeholders for the backend.
struct Queries {
    draft: Arc<str>,
    signatories: Arc<str>,
    signed_by: Arc<str>,
    versions: Arc<str>,
    items: Arc<str>,
    comments: Arc<str>,
    notes: Arc<str>,
    references: Arc<str>,
    meetings: Arc<str>,
    decision: Arc<str>,
    signatures: Arc<str>,
    history: Arc<str>,
    snapshot: Arc<str>,
    begin: Arc<str>,
    head: Arc<str>,
    circulate: Arc<str>,
    counter_bump: Arc<str>,
    counter_read: Arc<str>,
    note_insert: Arc<str>,
    comment_touch: Arc<str>,
    comment_insert: Arc<str>,
    withdraw: Arc<str>,
    audit_insert: Arc<str>,
    head_update: Arc<str>,
}

impl Queries {
    fn new(postgres: bool) -> Queries {
        let q = |sql: &str| -> Arc<str> {
            if postgres {
                sql.into()
            } else {
                sql.replace('$', "?").into()
            }
        };
        Queries {
            draft: q("SELECT id, kind, title, state, current_version FROM drafts WHERE id = $1"),
            signatories: q(
                "SELECT org_code FROM draft_signatories WHERE draft_id = $1 ORDER BY position",
            ),
            signed_by: q("SELECT org_code FROM signatures WHERE draft_id = $1"),
            versions: q(
                "SELECT number, content_hash, change_summary, created_at FROM versions \
                 WHERE draft_id = $1 ORDER BY number",
            ),
            items: q(
                "SELECT anchor, texts FROM items WHERE draft_id = $1 AND version = $2 \
                 ORDER BY position",
            ),
            comments: q(
                "SELECT id, kind, status, anchor, body, version, org_code, author_sub, \
                 author_name, reply FROM comments WHERE draft_id = $1 ORDER BY created_at, id",
            ),
            notes: q("SELECT id, number, date FROM notes WHERE draft_id = $1 ORDER BY created_at"),
            references: q("SELECT r.note_id, t.number FROM note_references r \
                 JOIN notes n ON n.id = r.note_id JOIN notes t ON t.id = r.referenced_note_id \
                 WHERE n.draft_id = $1"),
            meetings: q("SELECT m.body, m.date FROM meeting_agenda a \
                 JOIN meetings m ON m.id = a.meeting_id WHERE a.draft_id = $1 ORDER BY m.date"),
            decision: q("SELECT number, date FROM decisions WHERE draft_id = $1"),
            signatures: q(
                "SELECT org_code, signer_sub, signer_name, content_hash, signed_at \
                 FROM signatures WHERE draft_id = $1 ORDER BY signed_at",
            ),
            history: q(
                "SELECT action, from_state, to_state, at, actor_sub, actor_org \
                 FROM audit_log WHERE draft_id = $1 ORDER BY seq",
            ),
            snapshot: q(
                "SELECT state, revision, current_version, circulated_version \
                 FROM drafts WHERE id = $1",
            ),
            begin: (if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" }).into(),
            head: q(if postgres {
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
            } else {
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1"
            }),
            circulate: q(
                "UPDATE drafts SET state = 'CIRCULATED', circulated_version = $1, \
                 revision = $2, updated_at = $3 WHERE id = $4 AND state = $5 AND revision = $6",
            ),
            counter_bump: q("INSERT INTO note_counters (series, year, last_sequence) \
                 VALUES ($1, $2, 1) ON CONFLICT (series, year) \
                 DO UPDATE SET last_sequence = note_counters.last_sequence + 1"),
            counter_read: q(
                "SELECT last_sequence FROM note_counters WHERE series = $1 AND year = $2",
            ),
            note_insert: q(
                "INSERT INTO notes (id, series, year, sequence, number, date, place, \
                 purpose, subject, draft_id, version, comments_due_on, created_by_sub, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'Astana', 'CIRCULATION', NULL, $7, $8, NULL, $9, $10)",
            ),
            comment_touch: q("UPDATE drafts SET updated_at = $1 \
                 WHERE id = $2 AND state = $3 AND current_version = $4"),
            comment_insert: q(
                "INSERT INTO comments (id, draft_id, version, anchor, kind, status, \
                 body, org_code, author_sub, author_name, proposal_operation, proposal_texts, reply, \
                 resolved_by_sub, resolved_at, accommodated_in_version, created_at, updated_at) \
                 VALUES ($1, $2, $3, NULL, 'COMMENT', 'OPEN', $4, $5, $6, $7, NULL, NULL, NULL, \
                 NULL, NULL, NULL, $8, $9)",
            ),
            withdraw: q(
                "UPDATE drafts SET state = 'WITHDRAWN', revision = $1, updated_at = $2, \
                 withdrawn_reason = $3 WHERE id = $4 AND state = $5 AND revision = $6",
            ),
            audit_insert: q(
                "INSERT INTO audit_log (seq, at, actor_sub, actor_name, actor_org, \
                 action, entity_type, entity_id, draft_id, from_state, to_state, before, after, \
                 prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                 $14, $15)",
            ),
            head_update: q("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1"),
        }
    }
}

fn sql(text: &Arc<str>) -> AssertSqlSafe<Arc<str>> {
    AssertSqlSafe(Arc::clone(text))
}

/// Serves the baselines until killed.
pub async fn serve(args: BaselineArgs) -> anyhow::Result<()> {
    let postgres = args.database_url.starts_with("postgres");
    let pool = if postgres {
        Pool::Pg(
            PgPoolOptions::new()
                .max_connections(args.max_connections)
                .connect(&args.database_url)
                .await
                .context("connecting to PostgreSQL")?,
        )
    } else {
        let options = SqliteConnectOptions::from_str(&args.database_url)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Pool::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(args.max_connections)
                .connect_with(options)
                .await
                .context("opening SQLite")?,
        )
    };
    let state = Arc::new(State {
        pool,
        sql: Queries::new(postgres),
        gate: Mutex::new(()),
        ceiling: RwLock::new(Bytes::new()),
    });
    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or_else(|| anyhow!("the listener has no address"))?;
    println!("{READY}{addr}");
    let app = Route::new()
        .at("/draft", post(read))
        .at("/tx", post(transition))
        .at("/ceiling", post(ceiling_get).put(ceiling_set))
        .data(state);
    poem::Server::new_with_acceptor(acceptor).run(app).await?;
    Ok(())
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body)
}

fn error_response(error: &anyhow::Error) -> Response {
    let body = json!({ "data": null, "errors": [{ "message": format!("{error:#}") }] });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

#[handler]
async fn ceiling_get(state: Data<&Arc<State>>) -> Response {
    let body = state.ceiling.read().await.clone();
    Response::builder()
        .content_type("application/json")
        .body(body)
}

#[handler]
async fn ceiling_set(body: Bytes, state: Data<&Arc<State>>) -> Response {
    *state.ceiling.write().await = body;
    Response::builder().status(StatusCode::NO_CONTENT).finish()
}

#[derive(Deserialize)]
struct GqlRequest<V> {
    #[serde(rename = "operationName", default)]
    operation_name: Option<String>,
    variables: V,
}

#[derive(Deserialize)]
struct IdVars {
    id: String,
}

// ---------------------------------------------------------------- reads

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DraftOut {
    id: String,
    kind: String,
    state: String,
    title: String,
    signatories: Vec<Code>,
    viewer_actions: Vec<String>,
    current_version: Option<CurrentVersionOut>,
    versions: Vec<VersionOut>,
    comments: Vec<CommentOut>,
    notes: Vec<NoteOut>,
    meetings: Vec<MeetingOut>,
    decision: Option<DecisionOut>,
    signatures: Vec<SignatureOut>,
    history: Vec<HistoryOut>,
}

#[derive(Serialize)]
struct Code {
    code: String,
}

#[derive(Serialize)]
struct Number<T> {
    number: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CurrentVersionOut {
    number: i32,
    content_hash: String,
    created_at: String,
    items: Vec<ItemOut>,
}

#[derive(Serialize)]
struct ItemOut {
    anchor: String,
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionOut {
    number: i32,
    content_hash: String,
    change_summary: Option<String>,
    created_at: String,
}

#[derive(Serialize)]
struct PersonOut {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct CommentOut {
    id: String,
    kind: String,
    status: String,
    anchor: Option<String>,
    body: String,
    outdated: bool,
    version: Number<i32>,
    organization: Code,
    author: PersonOut,
    reply: Option<String>,
}

#[derive(Serialize)]
struct NoteOut {
    number: String,
    date: String,
    references: Vec<Number<String>>,
}

#[derive(Serialize)]
struct MeetingOut {
    body: String,
    date: String,
}

#[derive(Serialize)]
struct DecisionOut {
    number: String,
    date: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignatureOut {
    organization: Code,
    signer: PersonOut,
    content_hash: String,
    signed_at: String,
}

#[derive(Serialize)]
struct ActorOut {
    id: String,
    organization: Code,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryOut {
    action: String,
    from_state: Option<String>,
    to_state: Option<String>,
    at: String,
    actor: ActorOut,
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The English text of a stored `{"EN": …}` map, else the first.
fn english(texts: &str) -> anyhow::Result<String> {
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(texts)?;
    map.get("EN")
        .or_else(|| map.values().next())
        .cloned()
        .ok_or_else(|| anyhow!("empty texts"))
}

/// The body of the read for one pool type; the two expansions differ only
/// in the sqlx database the pool speaks to.
macro_rules! read_draft {
    ($name:ident, $pool:ty) => {
        async fn $name(pool: &$pool, q: &Queries, id: &str) -> anyhow::Result<DraftOut> {
            let mut conn = pool.acquire().await?;
            let (id, kind, title, state, current): (String, String, String, String, i32) =
                sqlx::query_as(sql(&q.draft))
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| anyhow!("draft {id} not found"))?;
            let signatories: Vec<(String,)> = sqlx::query_as(sql(&q.signatories))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let versions: Vec<(i32, String, Option<String>, DateTime<Utc>)> =
                sqlx::query_as(sql(&q.versions))
                    .bind(&id)
                    .fetch_all(&mut *conn)
                    .await?;
            let items: Vec<(String, String)> = sqlx::query_as(sql(&q.items))
                .bind(&id)
                .bind(current)
                .fetch_all(&mut *conn)
                .await?;
            let comments: Vec<CommentRow> = sqlx::query_as(sql(&q.comments))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let notes: Vec<(String, String, NaiveDate)> = sqlx::query_as(sql(&q.notes))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let references: Vec<(String, String)> = sqlx::query_as(sql(&q.references))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let meetings: Vec<(String, NaiveDate)> = sqlx::query_as(sql(&q.meetings))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let decision: Option<(String, NaiveDate)> = sqlx::query_as(sql(&q.decision))
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await?;
            let signatures: Vec<SignatureRow> = sqlx::query_as(sql(&q.signatures))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            let history: Vec<HistoryRow> = sqlx::query_as(sql(&q.history))
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
            drop(conn);
            shape(
                (id, kind, title, state, current),
                signatories,
                versions,
                items,
                comments,
                (notes, references),
                meetings,
                decision,
                signatures,
                history,
            )
        }
    };
}

read_draft!(read_sqlite, SqlitePool);
read_draft!(read_pg, PgPool);

/// A history entry: action, from-state, to-state, at, actor, organisation.
type HistoryRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

type SignatureRow = (String, String, String, String, DateTime<Utc>);

type CommentRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    i32,
    String,
    String,
    String,
    Option<String>,
);

#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn shape(
    (id, kind, title, state, current): (String, String, String, String, i32),
    signatories: Vec<(String,)>,
    versions: Vec<(i32, String, Option<String>, DateTime<Utc>)>,
    items: Vec<(String, String)>,
    comments: Vec<CommentRow>,
    (notes, references): (Vec<(String, String, NaiveDate)>, Vec<(String, String)>),
    meetings: Vec<(String, NaiveDate)>,
    decision: Option<(String, NaiveDate)>,
    signatures: Vec<SignatureRow>,
    history: Vec<HistoryRow>,
) -> anyhow::Result<DraftOut> {
    let items = items
        .into_iter()
        .map(|(anchor, texts)| {
            Ok(ItemOut {
                anchor,
                text: english(&texts)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let current_version = versions
        .iter()
        .find(|v| v.0 == current)
        .map(|v| CurrentVersionOut {
            number: v.0,
            content_hash: v.1.clone(),
            created_at: instant(v.3),
            items,
        });
    let history = history
        .into_iter()
        .map(|(action, from_state, to_state, at, sub, org)| {
            let at = DateTime::parse_from_rfc3339(&at)?.with_timezone(&Utc);
            Ok(HistoryOut {
                action,
                from_state,
                to_state,
                at: instant(at),
                actor: ActorOut {
                    id: sub,
                    organization: Code { code: org },
                },
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let final_state = matches!(state.as_str(), "SIGNED" | "WITHDRAWN");
    if !final_state {
        bail!("the read baseline only shapes drafts in a final state (no viewer actions)");
    }
    Ok(DraftOut {
        id,
        kind,
        state,
        title: english(&title)?,
        signatories: signatories
            .into_iter()
            .map(|(code,)| Code { code })
            .collect(),
        viewer_actions: Vec::new(),
        current_version,
        versions: versions
            .into_iter()
            .map(
                |(number, content_hash, change_summary, created_at)| VersionOut {
                    number,
                    content_hash,
                    change_summary,
                    created_at: instant(created_at),
                },
            )
            .collect(),
        comments: comments
            .into_iter()
            .map(
                |(id, kind, status, anchor, body, version, org, sub, name, reply)| CommentOut {
                    id,
                    kind,
                    status,
                    anchor,
                    body,
                    outdated: version < current,
                    version: Number { number: version },
                    organization: Code { code: org },
                    author: PersonOut { id: sub, name },
                    reply,
                },
            )
            .collect(),
        notes: notes
            .into_iter()
            .map(|(note_id, number, date)| NoteOut {
                number,
                date: day(date),
                references: references
                    .iter()
                    .filter(|(from, _)| *from == note_id)
                    .map(|(_, n)| Number { number: n.clone() })
                    .collect(),
            })
            .collect(),
        meetings: meetings
            .into_iter()
            .map(|(body, date)| MeetingOut {
                body,
                date: day(date),
            })
            .collect(),
        decision: decision.map(|(number, date)| DecisionOut {
            number,
            date: day(date),
        }),
        signatures: signatures
            .into_iter()
            .map(|(org, sub, name, content_hash, signed_at)| SignatureOut {
                organization: Code { code: org },
                signer: PersonOut { id: sub, name },
                content_hash,
                signed_at: instant(signed_at),
            })
            .collect(),
        history,
    })
}

#[handler]
async fn read(body: Bytes, state: Data<&Arc<State>>) -> Response {
    let result = async {
        let request: GqlRequest<IdVars> = serde_json::from_slice(&body)?;
        let id = request.variables.id;
        let draft = match &state.pool {
            Pool::Sqlite(pool) => read_sqlite(pool, &state.sql, &id).await?,
            Pool::Pg(pool) => read_pg(pool, &state.sql, &id).await?,
        };
        Ok::<_, anyhow::Error>(serde_json::to_vec(&json!({ "data": { "draft": draft } }))?)
    }
    .await;
    match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(error) => error_response(&error),
    }
}

// ---------------------------------------------------------- transitions

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TxVars {
    draft_id: String,
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// One mutation, as the baseline understands it.
enum Op {
    Circulate,
    Comment { version: i32, body: String },
    Withdraw { reason: String },
}

struct Person {
    sub: &'static str,
    name: &'static str,
    org: &'static str,
}

const SECRETARIAT: Person = Person {
    sub: "cica-officer-1",
    name: "Aigerim Nurlanovna",
    org: "CICA",
};
const DELEGATE: Person = Person {
    sub: "kaz-delegate-1",
    name: "Delegate of KAZ",
    org: "KAZ",
};

/// The audit row after `(seq, hash)`, hashed as Accord hashes it.
#[allow(clippy::too_many_arguments)]
fn audit_row(
    head: &(i64, String),
    at: DateTime<Utc>,
    who: &Person,
    action: Action,
    entity_type: &str,
    entity_id: &str,
    draft_id: &str,
    states: (Option<&str>, Option<&str>),
    after: Value,
) -> audit_log::Model {
    let mut row = audit_log::Model {
        seq: head.0 + 1,
        at: at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor_sub: who.sub.into(),
        actor_name: who.name.into(),
        actor_org: who.org.into(),
        action: action.as_str().into(),
        entity_type: entity_type.into(),
        entity_id: entity_id.into(),
        draft_id: Some(draft_id.into()),
        from_state: states.0.map(Into::into),
        to_state: states.1.map(Into::into),
        before: None,
        after: Some(after.to_string()),
        prev_hash: head.1.clone(),
        hash: String::new(),
    };
    row.hash = entry_hash(&row);
    row
}

/// The date in Astana (UTC+5), as notes are dated.
fn astana(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(5)).date_naive()
}

macro_rules! transition_fn {
    ($name:ident, $pool:ty) => {
        async fn $name(
            pool: &$pool,
            q: &Queries,
            gate: Option<&Mutex<()>>,
            draft_id: &str,
            op: &Op,
        ) -> anyhow::Result<Value> {
            let mut conn = pool.acquire().await?;
            // The snapshot the decision is made on, outside the transaction.
            let (state, revision, current, _circulated): (String, i64, i32, Option<i32>) =
                sqlx::query_as(sql(&q.snapshot))
                    .bind(draft_id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| anyhow!("draft {draft_id} not found"))?;
            let _signatories: Vec<(String,)> = sqlx::query_as(sql(&q.signatories))
                .bind(draft_id)
                .fetch_all(&mut *conn)
                .await?;
            let _signed: Vec<(String,)> = sqlx::query_as(sql(&q.signed_by))
                .bind(draft_id)
                .fetch_all(&mut *conn)
                .await?;
            let now = Utc::now().trunc_subsecs(6);
            let _guard = match gate {
                Some(gate) => Some(gate.lock().await),
                None => None,
            };
            sqlx::query(sql(&q.begin)).execute(&mut *conn).await?;
            let result = async {
                let head: (i64, String) = sqlx::query_as(sql(&q.head))
                    .fetch_one(&mut *conn)
                    .await?;
                let cas = |n: u64| -> anyhow::Result<()> {
                    if n == 1 {
                        Ok(())
                    } else {
                        bail!("CONFLICT: the draft changed while you were acting")
                    }
                };
                let (row, response) = match op {
                    Op::Circulate => {
                        if state != "DRAFTING" && state != "CIRCULATED" {
                            bail!("INVALID_TRANSITION: cannot circulate a {state} draft");
                        }
                        let n = sqlx::query(sql(&q.circulate))
                            .bind(current)
                            .bind(revision + 1)
                            .bind(now)
                            .bind(draft_id)
                            .bind(&state)
                            .bind(revision)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        cas(n)?;
                        let today = astana(now);
                        sqlx::query(sql(&q.counter_bump))
                            .bind("PAR")
                            .bind(today.year())
                            .execute(&mut *conn)
                            .await?;
                        let (sequence,): (i32,) = sqlx::query_as(sql(&q.counter_read))
                            .bind("PAR")
                            .bind(today.year())
                            .fetch_one(&mut *conn)
                            .await?;
                        let number = format!("PAR/{sequence}");
                        let note_id = uuid::Uuid::now_v7().to_string();
                        sqlx::query(sql(&q.note_insert))
                            .bind(&note_id)
                            .bind("PAR")
                            .bind(today.year())
                            .bind(sequence)
                            .bind(&number)
                            .bind(today)
                            .bind(draft_id)
                            .bind(current)
                            .bind(SECRETARIAT.sub)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?;
                        let row = audit_row(
                            &head,
                            now,
                            &SECRETARIAT,
                            Action::Circulate,
                            "draft",
                            draft_id,
                            draft_id,
                            (Some(state.as_str()), Some("CIRCULATED")),
                            json!({
                                "note": number, "date": today, "version": current,
                                "references": [], "commentsDueOn": null,
                            }),
                        );
                        let response = json!({ "data": { "circulateDraft": {
                            "draft": { "id": draft_id, "state": "CIRCULATED" },
                            "note": { "number": number, "date": day(today) },
                        } } });
                        (row, response)
                    }
                    Op::Comment { version, body } => {
                        if state != "CIRCULATED" || *version != current {
                            bail!("INVALID_TRANSITION: comments are not open");
                        }
                        let n = sqlx::query(sql(&q.comment_touch))
                            .bind(now)
                            .bind(draft_id)
                            .bind(&state)
                            .bind(current)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        cas(n)?;
                        let comment_id = uuid::Uuid::now_v7().to_string();
                        sqlx::query(sql(&q.comment_insert))
                            .bind(&comment_id)
                            .bind(draft_id)
                            .bind(*version)
                            .bind(body.as_str())
                            .bind(DELEGATE.org)
                            .bind(DELEGATE.sub)
                            .bind(DELEGATE.name)
                            .bind(now)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?;
                        let row = audit_row(
                            &head,
                            now,
                            &DELEGATE,
                            Action::Comment,
                            "comment",
                            &comment_id,
                            draft_id,
                            (None, None),
                            json!({
                                "kind": "COMMENT", "version": version, "anchor": null,
                                "body": body, "operation": null, "texts": null,
                            }),
                        );
                        let response = json!({ "data": { "addComment": { "comment": {
                            "id": comment_id, "kind": "COMMENT", "status": "OPEN",
                            "organization": { "code": DELEGATE.org },
                            "version": { "number": version },
                        } } } });
                        (row, response)
                    }
                    Op::Withdraw { reason } => {
                        if state == "SIGNED" || state == "WITHDRAWN" {
                            bail!("INVALID_TRANSITION: the draft is {state}");
                        }
                        let n = sqlx::query(sql(&q.withdraw))
                            .bind(revision + 1)
                            .bind(now)
                            .bind(reason.as_str())
                            .bind(draft_id)
                            .bind(&state)
                            .bind(revision)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        cas(n)?;
                        let row = audit_row(
                            &head,
                            now,
                            &SECRETARIAT,
                            Action::Withdraw,
                            "draft",
                            draft_id,
                            draft_id,
                            (Some(state.as_str()), Some("WITHDRAWN")),
                            json!({ "reason": reason }),
                        );
                        let response = json!({ "data": { "withdrawDraft": {
                            "draft": { "id": draft_id, "state": "WITHDRAWN" },
                        } } });
                        (row, response)
                    }
                };
                sqlx::query(sql(&q.audit_insert))
                    .bind(row.seq)
                    .bind(&row.at)
                    .bind(&row.actor_sub)
                    .bind(&row.actor_name)
                    .bind(&row.actor_org)
                    .bind(&row.action)
                    .bind(&row.entity_type)
                    .bind(&row.entity_id)
                    .bind(&row.draft_id)
                    .bind(&row.from_state)
                    .bind(&row.to_state)
                    .bind(&row.before)
                    .bind(&row.after)
                    .bind(&row.prev_hash)
                    .bind(&row.hash)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(sql(&q.head_update))
                    .bind(row.seq)
                    .bind(&row.hash)
                    .execute(&mut *conn)
                    .await?;
                Ok::<_, anyhow::Error>(response)
            }
            .await;
            match result {
                Ok(response) => {
                    sqlx::query("COMMIT").execute(&mut *conn).await?;
                    Ok(response)
                }
                Err(error) => {
                    sqlx::query("ROLLBACK").execute(&mut *conn).await.ok();
                    Err(error)
                }
            }
        }
    };
}

transition_fn!(transition_sqlite, SqlitePool);
transition_fn!(transition_pg, PgPool);

#[handler]
async fn transition(body: Bytes, state: Data<&Arc<State>>) -> Response {
    let result = async {
        let request: GqlRequest<TxVars> = serde_json::from_slice(&body)?;
        let vars = request.variables;
        let op = match request.operation_name.as_deref() {
            Some("CirculateDraft") => Op::Circulate,
            Some("AddComment") => Op::Comment {
                version: vars.version.ok_or_else(|| anyhow!("version is missing"))?,
                body: vars.body.ok_or_else(|| anyhow!("body is missing"))?,
            },
            Some("WithdrawDraft") => Op::Withdraw {
                reason: vars.reason.ok_or_else(|| anyhow!("reason is missing"))?,
            },
            other => bail!("unknown operation {other:?}"),
        };
        let response = match &state.pool {
            Pool::Sqlite(pool) => {
                transition_sqlite(pool, &state.sql, Some(&state.gate), &vars.draft_id, &op).await?
            }
            Pool::Pg(pool) => transition_pg(pool, &state.sql, None, &vars.draft_id, &op).await?,
        };
        Ok::<_, anyhow::Error>(serde_json::to_vec(&response)?)
    }
    .await;
    match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(error) => error_response(&error),
    }
}
