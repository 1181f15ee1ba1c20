//! Test data: databases created fresh for the run, migrated by Accord's own
//! code, and filled either through the engine (the nested draft, so its
//! history and audit chain are real) or by set-based SQL straight into the
//! tables (the many drafts of the list and transition workloads).

use std::path::{Path, PathBuf};

use accord_api::auth::{TokenRequest, mint_hs256};
use accord_api::config::Settings;
use accord_domain::{
    Anchor, Content, Item, Lang, NoteNumber, NoteSeries, OrgCode, OrgKind, ProposalOperation, Role,
    Texts,
};
use accord_workflow::entity::note;
use accord_workflow::{Actor, Command, Engine, NewComment, NewDraft, Outcome, Proposal, Store};
use anyhow::{Context as _, anyhow};
use chrono::{Datelike as _, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, EntityTrait, Statement};

/// The HS256 secret the servers under test are started with.
pub const SECRET: &str = "accord-bench-secret-0123456789abcdef0123456789";

/// Versions of the nested draft.
pub const VERSIONS: usize = 5;
/// Comments on each version of the nested draft.
pub const COMMENTS_PER_VERSION: usize = 10;
/// Items of each version of the nested draft.
pub const ITEMS: usize = 10;

/// Which database system.
#[derive(Debug, Clone)]
pub enum Backend {
    /// SQLite files in a temporary directory.
    Sqlite {
        /// The directory holding the files.
        dir: PathBuf,
    },
    /// Fresh databases on a PostgreSQL server.
    Postgres {
        /// A URL of the server to create and drop databases through.
        admin_url: String,
    },
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn label(&self) -> &'static str {
        match self {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    /// Creates an empty database called `name` and returns its URL.
    pub async fn create(&self, name: &str) -> anyhow::Result<String> {
        match self {
            Backend::Sqlite { dir } => {
                let path = dir.join(format!("{name}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Ok(format!("sqlite://{}?mode=rwc", path.display()))
            }
            Backend::Postgres { admin_url } => {
                let admin = Database::connect(admin_url.as_str())
                    .await
                    .context("connecting to PostgreSQL")?;
                let db = pg_name(name);
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                    .await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {db}"))
                    .await
                    .with_context(|| format!("creating database {db}"))?;
                admin.close().await.ok();
                Ok(with_database(admin_url, &db))
            }
        }
    }

    /// Drops the database called `name` (PostgreSQL) or deletes its files.
    pub async fn drop_database(&self, name: &str) -> anyhow::Result<()> {
        match self {
            Backend::Sqlite { dir } => {
                let path = dir.join(format!("{name}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Ok(())
            }
            Backend::Postgres { admin_url } => {
                let admin = Database::connect(admin_url.as_str()).await?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        pg_name(name)
                    ))
                    .await?;
                admin.close().await.ok();
                Ok(())
            }
        }
    }
}

fn pg_name(name: &str) -> String {
    format!("accord_bench_{}_{name}", std::process::id())
}

/// `url` with its path (the database) replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|i| start + i))
        .unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Connects with Accord's own settings and applies its migrations.
pub async fn migrate(url: &str) -> anyhow::Result<Store> {
    accord_api::server::connect(&Settings::for_tests(url, SECRET)).await
}

/// A bearer token for one person.
pub fn token(sub: &str, name: &str, org: &str, role: &str) -> anyhow::Result<String> {
    let token = mint_hs256(
        SECRET,
        "accord",
        "accord",
        &TokenRequest {
            sub: sub.into(),
            name: name.into(),
            org: org.into(),
            roles: vec![role.into()],
            ttl: chrono::Duration::hours(12),
        },
    )?;
    Ok(format!("Bearer {token}"))
}

fn actor(sub: &str, name: &str, org: &str, kind: OrgKind, role: Role) -> anyhow::Result<Actor> {
    Ok(Actor::new(sub, name, OrgCode::parse(org)?, kind, [role])?)
}

fn content(version: usize) -> anyhow::Result<Content> {
    let items = (1..=ITEMS)
        .map(|i| {
            Ok(Item {
                anchor: Anchor::parse(&format!("item-{i}"))?,
                texts: Texts::from_pairs([
                    (
                        Lang::En,
                        format!(
                            "Item {i} (version {version}): the Parties shall cooperate in the \
                             implementation of the Memorandum of Understanding, exchange \
                             information on a regular basis and report to the Committee."
                        ),
                    ),
                    (
                        Lang::Ru,
                        format!(
                            "Пункт {i} (версия {version}): Стороны сотрудничают в реализации \
                             Меморандума о взаимопонимании и регулярно обмениваются информацией."
                        ),
                    ),
                ])?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Content::new(items)?)
}

/// Loads, through the engine, one signed draft with `VERSIONS` versions of
/// `ITEMS` items, `COMMENTS_PER_VERSION` comments and proposals on each, a
/// circulation note per version (each referring to the one before), an SWG
/// meeting, an SOC decision and both Secretaries General's signatures.
/// Returns the draft's id.
pub async fn nested_draft(store: &Store) -> anyhow::Result<String> {
    let engine = Engine::new(store.clone());
    let secretariat = actor(
        "cica-officer-1",
        "Aigerim Nurlanovna",
        "CICA",
        OrgKind::Secretariat,
        Role::Secretariat,
    )?;
    let delegates = [
        ("KAZ", "kaz"),
        ("RUS", "rus"),
        ("CHN", "chn"),
        ("IND", "ind"),
        ("TUR", "tur"),
    ]
    .iter()
    .map(|(org, sub)| {
        actor(
            &format!("{sub}-delegate-1"),
            &format!("Delegate of {org}"),
            org,
            OrgKind::MemberState,
            Role::Delegate,
        )
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    let created = engine
        .execute(
            &secretariat,
            Command::CreateDraft(NewDraft {
                kind: "ACTION_PLAN".into(),
                title: Texts::from_pairs([
                    (Lang::En, "Action Plan for the benchmark".to_owned()),
                    (Lang::Ru, "План действий для замеров".to_owned()),
                ])?,
                signatories: vec![OrgCode::parse("CICA")?, OrgCode::parse("SCO")?],
                content: content(1)?,
            }),
        )
        .await?;
    let Outcome::Draft { draft_id, .. } = created else {
        return Err(anyhow!("creating a draft gave {created:?}"));
    };
    let mut previous_note: Option<NoteNumber> = None;
    for version in 1..=VERSIONS {
        let circulated = engine
            .execute(
                &secretariat,
                Command::CirculateDraft {
                    draft_id: draft_id.clone(),
                    series: NoteSeries::parse("PAR")?,
                    subject: None,
                    references: previous_note.iter().cloned().collect(),
                    comments_due_on: None,
                },
            )
            .await?;
        let Outcome::Circulated { note_id, .. } = circulated else {
            return Err(anyhow!("circulating gave {circulated:?}"));
        };
        let note = note::Entity::find_by_id(note_id)
            .one(store.db())
            .await?
            .ok_or_else(|| anyhow!("the circulation note vanished"))?;
        previous_note = Some(NoteNumber::parse(&note.number)?);
        for c in 0..COMMENTS_PER_VERSION {
            let delegate = &delegates[c % delegates.len()];
            let anchor = Anchor::parse(&format!("item-{}", c % ITEMS + 1))?;
            let proposal = (c % 2 == 1).then(|| {
                Texts::from_pairs([(
                    Lang::En,
                    format!("Proposed wording {c} for version {version}."),
                )])
                .map(|texts| Proposal {
                    operation: ProposalOperation::Replace,
                    texts: Some(texts),
                })
            });
            engine
                .execute(
                    delegate,
                    Command::AddComment(NewComment {
                        draft_id: draft_id.clone(),
                        version: version as i32,
                        anchor: Some(anchor),
                        body: format!(
                            "Comment {c} of {} on version {version}: the delegation suggests \
                             clarifying the reporting obligations in this item.",
                            delegate.org()
                        ),
                        proposal: proposal.transpose()?,
                    }),
                )
                .await?;
        }
        if version < VERSIONS {
            engine
                .execute(
                    &secretariat,
                    Command::ReviseDraft {
                        draft_id: draft_id.clone(),
                        base_version: version as i32,
                        content: content(version + 1)?,
                        change_summary: Some(format!("Version {} after comments.", version + 1)),
                        accommodates: Vec::new(),
                    },
                )
                .await?;
        }
    }
    // Next year's meetings: a meeting cannot take up a draft before its
    // circulation, made today.
    let date = |m, d| {
        NaiveDate::from_ymd_opt(Utc::now().year() + 1, m, d).ok_or_else(|| anyhow!("bad date"))
    };
    engine
        .execute(
            &secretariat,
            Command::OpenSwgDiscussion {
                draft_id: draft_id.clone(),
                meeting_date: date(6, 25)?,
            },
        )
        .await?;
    engine
        .execute(
            &secretariat,
            Command::RecordSocAgreement {
                draft_id: draft_id.clone(),
                meeting_date: date(6, 27)?,
                decision_number: None,
            },
        )
        .await?;
    let hash = content(VERSIONS)?.hash();
    for (sub, name, org, kind) in [
        ("cica-sg", "Kairat Sarybay", "CICA", OrgKind::Secretariat),
        ("sco-sg", "Zhang Ming", "SCO", OrgKind::Counterpart),
    ] {
        engine
            .execute(
                &actor(sub, name, org, kind, Role::SecretaryGeneral)?,
                Command::SignDraft {
                    draft_id: draft_id.clone(),
                    content_hash: hash.clone(),
                },
            )
            .await?;
    }
    Ok(draft_id)
}

/// Ids of bulk-seeded drafts: `prefix` (a time-ordered UUIDv7 head) plus a
/// 12-digit hex sequence number, so newer drafts sort later, as with
/// Accord's own UUIDv7 ids.
#[derive(Debug, Clone)]
pub struct IdScheme {
    prefix: String,
}

impl IdScheme {
    /// A scheme whose ids sort after every id made before now.
    pub fn now() -> IdScheme {
        let ms = Utc::now().timestamp_millis() as u64;
        IdScheme {
            prefix: format!("{:08x}-{:04x}-7000-8000-", ms >> 16, ms & 0xffff),
        }
    }

    /// The id of draft `n`.
    pub fn id(&self, n: u64) -> String {
        format!("{}{n:012x}", self.prefix)
    }

    fn sql(&self, backend: DatabaseBackend) -> String {
        match backend {
            DatabaseBackend::Postgres => format!("'{}' || lpad(to_hex(n), 12, '0')", self.prefix),
            _ => format!("'{}' || printf('%012x', n)", self.prefix),
        }
    }
}

/// Inserts drafts `from..from + count` of `scheme` straight into `drafts`
/// and `draft_signatories` (signed by CICA only), `chunk` rows per
/// statement, each statement its own transaction. `state` is `DRAFTING`
/// (with version 1 rows, for transitions) or `CIRCULATED` (for lists).
pub async fn bulk_drafts(
    store: &Store,
    scheme: &IdScheme,
    from: u64,
    count: u64,
    state: &str,
    created_by: &str,
) -> anyhow::Result<()> {
    let db = store.db();
    let backend = db.get_database_backend();
    let id = scheme.sql(backend);
    let now = accord_workflow::clock::now();
    let circulated = if state == "DRAFTING" { "NULL" } else { "1" };
    let chunk = 50_000u64;
    let mut lo = from;
    let end = from + count;
    while lo < end {
        let hi = (lo + chunk).min(end) - 1;
        let sql = format!(
            "INSERT INTO drafts (id, kind, title, state, revision, home_org, current_version, \
             circulated_version, agreed_version, withdrawn_reason, created_by, created_at, updated_at) \
             WITH RECURSIVE seq(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM seq WHERE n < {hi}) \
             SELECT {id}, 'JOINT_STATEMENT', '{{\"EN\":\"Bench draft ' || n || '\"}}', '{state}', 1, \
             'CICA', 1, {circulated}, NULL, NULL, '{created_by}', $1, $1 FROM seq"
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, &sql),
            [now.into()],
        ))
        .await
        .with_context(|| format!("inserting drafts {lo}..={hi}"))?;
        lo = hi + 1;
    }
    let sql = format!(
        "INSERT INTO draft_signatories (draft_id, org_code, position) \
         SELECT id, 'CICA', 0 FROM drafts WHERE created_by = '{created_by}'"
    );
    db.execute_unprepared(&sql).await?;
    if state == "DRAFTING" {
        let sql = format!(
            "INSERT INTO versions (draft_id, number, content_hash, change_summary, created_by_sub, \
             created_by_name, created_at) SELECT id, 1, '{}', NULL, 'bench', 'Bench', created_at \
             FROM drafts WHERE created_by = '{created_by}'",
            "ab".repeat(32)
        );
        db.execute_unprepared(&sql).await?;
    }
    if backend == DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// `$1`-style placeholders as the backend wants them.
pub fn placeholders(backend: DatabaseBackend, sql: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    }
}

/// A directory for the SQLite files and server logs.
pub fn work_dir(base: &Path) -> anyhow::Result<PathBuf> {
    let dir = base.join(format!("accord-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "b"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgres://u@h/test?sslmode=disable", "b"),
            "postgres://u@h/b?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "b"), "postgres://u@h/b");
    }

    #[test]
    fn bulk_ids_sort_by_sequence_and_parse_as_uuids() {
        let scheme = IdScheme::now();
        assert!(scheme.id(9) < scheme.id(10));
        assert!(scheme.id(0xfff) < scheme.id(0x1000));
        assert!(uuid::Uuid::parse_str(&scheme.id(42)).is_ok());
    }
}
