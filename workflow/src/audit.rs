//! The audit log: append-only and hash-chained.
//!
//! Entry `n` stores `prev_hash` (entry `n-1`'s hash, or 64 zeros for the
//! first) and `hash = SHA-256(prev_hash || "\n" || canonical)`, lower-case
//! hex, where `canonical` is the compact JSON array
//! `[seq, at, actor_sub, actor_name, actor_org, action, entity_type,
//! entity_id, draft_id, from_state, to_state, before, after]` with `before`
//! and `after` as the stored JSON strings (or null). The single-row
//! `audit_head` holds the last sequence and hash, so truncation at the end
//! is found too. [`verify`] walks the whole chain and names the first entry
//! that does not hold.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::entity::{audit_head, audit_log};
use crate::error::{Result, WorkflowError};

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a change records about itself.
#[derive(Debug, Clone, Default)]
pub struct AuditRecord {
    /// What was done, e.g. `CIRCULATE`.
    pub action: String,
    /// The kind of object changed, e.g. `draft`.
    pub entity_type: &'static str,
    /// Its id.
    pub entity_id: String,
    /// The draft it belongs to, for the draft's history.
    pub draft_id: Option<String>,
    /// The draft's state before, for transitions.
    pub from_state: Option<String>,
    /// The draft's state after, for transitions.
    pub to_state: Option<String>,
    /// The object before the change.
    pub before: Option<Value>,
    /// The object after the change.
    pub after: Option<Value>,
}

impl AuditRecord {
    /// The record of `action` on the `entity_type` `entity_id`, with the
    /// object before (if it says) and what the action left.
    pub fn of(
        action: crate::permissions::Action,
        entity_type: &'static str,
        entity_id: impl Into<String>,
        before: Option<Value>,
        after: Value,
    ) -> AuditRecord {
        AuditRecord {
            action: action.as_str().into(),
            entity_type,
            entity_id: entity_id.into(),
            before,
            after: Some(after),
            ..AuditRecord::default()
        }
    }

    /// The record of `action` on draft `draft_id`, which moved it from state
    /// `from` to `to` (the same for an action that moves nothing), with the
    /// object before (if it says) and what the action left.
    pub fn of_draft(
        action: crate::permissions::Action,
        draft_id: &str,
        from: &str,
        to: impl Into<String>,
        before: Option<Value>,
        after: Value,
    ) -> AuditRecord {
        AuditRecord {
            action: action.as_str().into(),
            entity_type: "draft",
            entity_id: draft_id.to_owned(),
            draft_id: Some(draft_id.to_owned()),
            from_state: Some(from.into()),
            to_state: Some(to.into()),
            before,
            after: Some(after),
        }
    }

    /// The record of `action` on comment `comment_id` of draft `draft_id`,
    /// with the comment before (if it says) and what the action left.
    pub fn of_comment(
        action: crate::permissions::Action,
        comment_id: &str,
        draft_id: &str,
        before: Option<Value>,
        after: Value,
    ) -> AuditRecord {
        AuditRecord {
            draft_id: Some(draft_id.to_owned()),
            ..AuditRecord::of(action, "comment", comment_id, before, after)
        }
    }
}

/// The position of the chain's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    /// The last entry's sequence number (0 for an empty log).
    pub seq: i64,
    /// The last entry's hash.
    pub hash: String,
}

/// Builds the next entry after `link`.
pub(crate) fn chain(
    link: &ChainLink,
    actor: &Actor,
    record: AuditRecord,
    at: DateTime<Utc>,
) -> audit_log::Model {
    let mut row = audit_log::Model {
        seq: link.seq + 1,
        at: crate::clock::stamp(at),
        actor_sub: actor.sub().to_owned(),
        actor_name: actor.name().to_owned(),
        actor_org: actor.org().to_string(),
        action: record.action,
        entity_type: record.entity_type.to_owned(),
        entity_id: record.entity_id,
        draft_id: record.draft_id,
        from_state: record.from_state,
        to_state: record.to_state,
        before: record.before.map(|v| v.to_string()),
        after: record.after.map(|v| v.to_string()),
        prev_hash: link.hash.clone(),
        hash: String::new(),
    };
    row.hash = entry_hash(&row);
    row
}

/// The hash an entry must carry, from its content and `prev_hash`.
pub fn entry_hash(row: &audit_log::Model) -> String {
    let canonical = Value::Array(vec![
        row.seq.into(),
        row.at.clone().into(),
        row.actor_sub.clone().into(),
        row.actor_name.clone().into(),
        row.actor_org.clone().into(),
        row.action.clone().into(),
        row.entity_type.clone().into(),
        row.entity_id.clone().into(),
        row.draft_id.clone().into(),
        row.from_state.clone().into(),
        row.to_state.clone().into(),
        row.before.clone().into(),
        row.after.clone().into(),
    ]);
    let mut hasher = Sha256::new();
    hasher.update(row.prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

pub(crate) async fn insert<C: ConnectionTrait>(conn: &C, row: audit_log::Model) -> Result<()> {
    audit_log::Entity::insert(audit_log::ActiveModel::from(row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry holds; `entries` were checked.
    Intact {
        /// How many entries were checked.
        entries: i64,
    },
    /// The first entry that does not hold, and why.
    Broken {
        /// The sequence number of the first bad (or missing) entry.
        seq: i64,
        /// What is wrong with it.
        reason: String,
    },
}

/// Walks the whole audit log in order, in pages, and checks every link.
///
/// The walk reads one snapshot (a read transaction: `REPEATABLE READ` on
/// PostgreSQL, a deferred `BEGIN` on SQLite's WAL), so writes committed
/// meanwhile neither show as a truncation nor go unseen: the head and the
/// log are read as of one instant, and the walk stops at the head it read.
pub async fn verify(db: &DatabaseConnection) -> Result<Verdict> {
    let snapshot = crate::db::begin_snapshot(db).await?;
    let verdict = verify_in(&snapshot).await;
    snapshot.rollback().await?;
    verdict
}

/// The head of the audit log: the last entry's sequence and hash, as
/// `conn` reads it (without a lock; writers take theirs in
/// `Store::begin_write`).
pub(crate) async fn head<C: ConnectionTrait>(conn: &C) -> Result<audit_head::Model> {
    audit_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .ok_or_else(|| WorkflowError::Corrupt("the audit head row is missing".into()))
}

/// [`verify`] on a connection already inside one snapshot.
async fn verify_in<C: ConnectionTrait>(conn: &C) -> Result<Verdict> {
    const PAGE: u64 = 1000;
    let head = head(conn).await?;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS_HASH.to_owned();
    loop {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .filter(audit_log::Column::Seq.lte(head.last_seq.max(0)))
            .order_by_asc(audit_log::Column::Seq)
            .limit(PAGE)
            .all(conn)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for row in page {
            if row.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    reason: format!(
                        "entry {expected_seq} is missing (the next one present is {})",
                        row.seq
                    ),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(Verdict::Broken {
                    seq: row.seq,
                    reason: "its previous-hash does not match the entry before it (reordered or altered)".into(),
                });
            }
            if entry_hash(&row) != row.hash {
                return Ok(Verdict::Broken {
                    seq: row.seq,
                    reason: "its content does not match its hash (altered)".into(),
                });
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let last = expected_seq - 1;
    if last != head.last_seq {
        return Ok(Verdict::Broken {
            seq: last + 1,
            reason: format!(
                "the log ends at entry {last} but the head records {} (truncated)",
                head.last_seq
            ),
        });
    }
    if prev_hash != head.last_hash {
        return Ok(Verdict::Broken {
            seq: last,
            reason: "the last entry's hash does not match the head (altered)".into(),
        });
    }
    // In the same snapshot, nothing may lie beyond the head: every write
    // moves the head with its entry in one transaction.
    if let Some(beyond) = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gt(head.last_seq))
        .order_by_asc(audit_log::Column::Seq)
        .one(conn)
        .await?
    {
        return Ok(Verdict::Broken {
            seq: beyond.seq,
            reason: format!(
                "it lies beyond the head, which records {} (appended outside Accord)",
                head.last_seq
            ),
        });
    }
    Ok(Verdict::Intact { entries: last })
}

#[cfg(test)]
mod tests {
    use accord_domain::{Anchor, Content, Item, Lang, OrgCode, OrgKind, Role, Texts};
    use sea_orm::ConnectionTrait;

    use super::*;
    use crate::store::Store;
    use crate::{Command, Engine, NewDraft};

    /// A fresh SQLite database with `entries` audit entries.
    async fn log_with(entries: usize) -> Store {
        let store = crate::testing::fresh_store().await;
        write(&store, entries).await;
        store
    }

    /// Writes `entries` audit entries (one draft each) through the engine.
    async fn write(store: &Store, entries: usize) {
        let officer = crate::testing::officer();
        let engine = Engine::new(store.clone());
        for n in 0..entries {
            let texts = Texts::from_pairs([(Lang::En, format!("Text {n}"))]).unwrap();
            let content = Content::new(vec![Item {
                anchor: Anchor::parse("item-1").unwrap(),
                texts: texts.clone(),
            }])
            .unwrap();
            engine
                .execute(
                    &officer,
                    Command::CreateDraft(NewDraft {
                        kind: "NOTE".into(),
                        title: texts,
                        signatories: vec![OrgCode::parse("CICA").unwrap()],
                        content,
                    }),
                )
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn verification_while_writes_run_never_cries_wolf() {
        let store = log_with(3).await;
        let writer = tokio::spawn({
            let store = store.clone();
            async move { write(&store, 60).await }
        });
        let mut runs = 0;
        while !writer.is_finished() {
            let verdict = verify(store.db()).await.unwrap();
            assert!(matches!(verdict, Verdict::Intact { .. }), "{verdict:?}");
            runs += 1;
        }
        writer.await.unwrap();
        assert!(runs > 1, "the verification ran while the writes did");
        assert_eq!(
            verify(store.db()).await.unwrap(),
            Verdict::Intact { entries: 63 }
        );
    }

    #[tokio::test]
    async fn an_entry_beyond_the_head_is_found() {
        let store = log_with(3).await;
        run(
            &store,
            "INSERT INTO audit_log (seq, at, actor_sub, actor_name, actor_org, action, entity_type, \
             entity_id, draft_id, from_state, to_state, before, after, prev_hash, hash) \
             SELECT 4, at, actor_sub, actor_name, actor_org, action, entity_type, entity_id, \
             draft_id, from_state, to_state, before, after, hash, hash FROM audit_log WHERE seq = 3",
        )
        .await;
        assert!(matches!(
            verify(store.db()).await.unwrap(),
            Verdict::Broken { seq: 4, .. }
        ));
    }

    async fn run(store: &Store, sql: &str) {
        store.db().execute_unprepared(sql).await.unwrap();
    }

    #[tokio::test]
    async fn an_untouched_log_is_intact() {
        let store = log_with(5).await;
        assert_eq!(
            verify(store.db()).await.unwrap(),
            Verdict::Intact { entries: 5 }
        );
    }

    #[tokio::test]
    async fn an_edited_entry_is_named() {
        let store = log_with(5).await;
        run(
            &store,
            "UPDATE audit_log SET actor_name = 'Someone Else' WHERE seq = 3",
        )
        .await;
        assert!(matches!(
            verify(store.db()).await.unwrap(),
            Verdict::Broken { seq: 3, .. }
        ));
    }

    #[tokio::test]
    async fn a_deleted_entry_in_the_middle_is_named() {
        let store = log_with(5).await;
        run(&store, "DELETE FROM audit_log WHERE seq = 2").await;
        assert!(matches!(
            verify(store.db()).await.unwrap(),
            Verdict::Broken { seq: 2, .. }
        ));
    }

    #[tokio::test]
    async fn swapped_entries_are_found() {
        let store = log_with(5).await;
        // Swap the content of entries 2 and 3, keeping their sequence numbers.
        run(&store, "UPDATE audit_log SET seq = -2 WHERE seq = 2").await;
        run(&store, "UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
        run(&store, "UPDATE audit_log SET seq = 3 WHERE seq = -2").await;
        assert!(matches!(
            verify(store.db()).await.unwrap(),
            Verdict::Broken { seq: 2, .. }
        ));
    }

    #[tokio::test]
    async fn a_truncated_tail_is_found_through_the_head() {
        let store = log_with(5).await;
        run(&store, "DELETE FROM audit_log WHERE seq >= 4").await;
        assert!(matches!(
            verify(store.db()).await.unwrap(),
            Verdict::Broken { seq: 4, .. }
        ));
    }

    #[test]
    fn the_hash_covers_the_previous_hash() {
        let actor = Actor::new(
            "a",
            "A",
            OrgCode::parse("CICA").unwrap(),
            OrgKind::Secretariat,
            [Role::Secretariat],
        )
        .unwrap();
        let at = crate::testing::at("2024-06-13T06:00:00Z");
        let record = AuditRecord {
            action: "CREATE_DRAFT".into(),
            entity_type: "draft",
            entity_id: "d1".into(),
            ..AuditRecord::default()
        };
        let genesis = ChainLink {
            seq: 0,
            hash: GENESIS_HASH.into(),
        };
        let other = ChainLink {
            seq: 0,
            hash: "1".repeat(64),
        };
        let a = chain(&genesis, &actor, record.clone(), at);
        let b = chain(&other, &actor, record, at);
        assert_eq!(a.seq, 1);
        assert_ne!(a.hash, b.hash);
        assert_eq!(entry_hash(&a), a.hash);
    }
}
