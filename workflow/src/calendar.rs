//! Calendar feeds: read-only tokens that let a calendar program subscribe
//! to the events of the Plans of Implementation and the documents' due
//! dates, without the person's JWT.
//!
//! - A feed is made by a Secretariat officer or a member-state delegate
//!   for themselves, scoped to one member state (every event of the plans,
//!   since representatives of every state take part, and the documents
//!   that state owes as an organiser) or to all of them (every document).
//! - The token (`cal_` and 64 hex digits, 256 random bits) is shown once,
//!   when the feed is made; only its SHA-256 is stored. It reads the feed
//!   and nothing else: it is not a JWT and the GraphQL endpoint refuses it.
//! - A feed answers until it is revoked, by its owner or by the
//!   Secretariat. Another person's feed is `NOT_FOUND` to a delegate.
//!
//! Making and revoking a feed are commands, audited like any other change;
//! reading one is not.

use accord_domain::{OrgCode, OrgKind, Role};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::{parse_stamp, stamp};
use crate::engine::{Engine, Outcome, check};
use crate::entity::calendar_feed;
use crate::error::{Result, WorkflowError};
use crate::events::{EventFilter, EventRecord, check_member_states};
use crate::permissions::Action;
use crate::read::{Reader, organization_kind};
use crate::store::{Store, WriteTx, find_by_id};

/// What every feed token starts with.
pub const TOKEN_PREFIX: &str = "cal_";

/// The longest label.
pub const MAX_LABEL_CHARS: usize = 200;

/// The most feeds one person may hold unrevoked.
pub const MAX_FEEDS_PER_PERSON: u64 = 20;

/// A feed to make.
#[derive(Debug, Clone)]
pub struct NewFeed {
    /// The owner's name for it, e.g. "office calendar".
    pub label: String,
    /// The member state whose events and due dates it shows; all when
    /// `None`.
    pub member_state: Option<OrgCode>,
}

/// A feed as read (never with its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRecord {
    /// A UUID.
    pub id: String,
    /// The owner's name for it.
    pub label: String,
    /// The member state it is scoped to; all when `None`.
    pub member_state: Option<String>,
    /// The owner's token subject.
    pub owner_sub: String,
    /// The owner's organisation.
    pub owner_org: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<calendar_feed::Model> for FeedRecord {
    type Error = WorkflowError;

    fn try_from(row: calendar_feed::Model) -> Result<FeedRecord> {
        let what = format!("calendar feed {}", row.id);
        Ok(FeedRecord {
            created_at: parse_stamp(&row.created_at, &what)?,
            revoked_at: row
                .revoked_at
                .as_deref()
                .map(|at| parse_stamp(at, &what))
                .transpose()?,
            id: row.id,
            label: row.label,
            member_state: row.member_state,
            owner_sub: row.owner_sub,
            owner_org: row.owner_org,
        })
    }
}

/// The SHA-256 of a token, as stored.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh token: [`TOKEN_PREFIX`] and 32 random bytes in hex.
fn new_token() -> Result<String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| WorkflowError::Corrupt(format!("no randomness for a token: {error}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

fn feed_json(row: &calendar_feed::Model) -> serde_json::Value {
    json!({
        "label": row.label,
        "memberState": row.member_state,
        "owner": row.owner_sub,
        "ownerOrg": row.owner_org,
        "revokedAt": row.revoked_at,
    })
}

/// Appends the audit record of `action` on a feed, `before` and `after`.
async fn audit_feed(
    tx: &mut WriteTx,
    actor: &Actor,
    action: Action,
    before: Option<&calendar_feed::Model>,
    after: &calendar_feed::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.audit(
        actor,
        AuditRecord::of(
            action,
            "calendar_feed",
            &after.id,
            before.map(feed_json),
            feed_json(after),
        ),
        now,
    )
    .await
}

impl Engine {
    /// Makes a feed for `actor`; the outcome carries its token, shown this
    /// once.
    pub(crate) async fn create_calendar_feed(
        &self,
        actor: &Actor,
        new: NewFeed,
    ) -> Result<Outcome> {
        check(actor, Action::CreateCalendarFeed, None)?;
        let label = accord_domain::one_line("label", &new.label, MAX_LABEL_CHARS)?;
        let label = label.as_str();
        if let Some(code) = &new.member_state {
            check_member_states(self.store().db(), std::slice::from_ref(code)).await?;
        }
        let now = self.now();
        let token = new_token()?;
        let row = calendar_feed::Model {
            id: uuid::Uuid::now_v7().to_string(),
            token_sha256: token_hash(&token),
            label: label.to_owned(),
            member_state: new.member_state.map(|c| c.to_string()),
            owner_sub: actor.sub().to_owned(),
            owner_org: actor.org().to_string(),
            created_at: stamp(now),
            revoked_at: None,
        };
        let mut tx = self.store().begin_write().await?;
        // Counted under the write lock, so concurrent requests cannot pass
        // the limit together.
        let held = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::OwnerSub.eq(actor.sub()))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .count(tx.conn())
            .await?;
        if held >= MAX_FEEDS_PER_PERSON {
            return Err(WorkflowError::Conflict(format!(
                "you hold {held} calendar feeds, the most allowed; revoke one first"
            )));
        }
        calendar_feed::Entity::insert(calendar_feed::ActiveModel::from(row.clone()).reset_all())
            .exec_without_returning(tx.conn())
            .await?;
        audit_feed(&mut tx, actor, Action::CreateCalendarFeed, None, &row, now).await?;
        tx.commit().await?;
        Ok(Outcome::CalendarFeed {
            feed_id: row.id,
            token: Some(token),
        })
    }

    /// Revokes feed `feed_id`: `actor`'s own, or anyone's for the
    /// Secretariat. Revoking a revoked feed is `INVALID_TRANSITION`.
    pub(crate) async fn revoke_calendar_feed(
        &self,
        actor: &Actor,
        feed_id: &str,
    ) -> Result<Outcome> {
        check(actor, Action::RevokeCalendarFeed, None)?;
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_feed(tx.conn(), actor, feed_id).await?;
        if row.revoked_at.is_some() {
            return Err(WorkflowError::InvalidTransition(
                "this calendar feed is already revoked".into(),
            ));
        }
        let revoked_at = stamp(now);
        calendar_feed::Entity::update_many()
            .col_expr(
                calendar_feed::Column::RevokedAt,
                Expr::value(Some(revoked_at.clone())),
            )
            .filter(calendar_feed::Column::Id.eq(feed_id))
            .exec(tx.conn())
            .await?;
        let after = calendar_feed::Model {
            revoked_at: Some(revoked_at),
            ..row.clone()
        };
        audit_feed(
            &mut tx,
            actor,
            Action::RevokeCalendarFeed,
            Some(&row),
            &after,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::CalendarFeed {
            feed_id: row.id,
            token: None,
        })
    }
}

impl Reader {
    /// The viewer's own feeds, newest first, revoked ones included.
    pub async fn calendar_feeds(&self) -> Result<Vec<FeedRecord>> {
        calendar_feed::Entity::find()
            .filter(calendar_feed::Column::OwnerSub.eq(self.actor().sub()))
            .order_by_desc(calendar_feed::Column::Id)
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(FeedRecord::try_from)
            .collect()
    }

    /// One of the viewer's own feeds (any feed for the Secretariat), or
    /// `NOT_FOUND`.
    pub async fn calendar_feed(&self, id: &str) -> Result<FeedRecord> {
        find_feed(&self.conn().await?, self.actor(), id)
            .await?
            .try_into()
    }

    /// The calendar the viewer asks for: of `member_state`, or else of
    /// their own state for a delegate and of all states for anyone else.
    /// Returns the state it is of (`None`: all) and its events.
    /// `BAD_USER_INPUT` when `member_state` names no member state.
    pub async fn viewer_calendar(
        &self,
        member_state: Option<&str>,
    ) -> Result<(Option<String>, Vec<EventRecord>)> {
        let scope = match member_state {
            Some(code) => {
                let code = OrgCode::parse(code)?;
                check_member_states(&self.conn().await?, std::slice::from_ref(&code)).await?;
                Some(code.to_string())
            }
            None if self.actor().org_kind() == OrgKind::MemberState => {
                Some(self.actor().org().to_string())
            }
            None => None,
        };
        let events = self.calendar_events(scope.as_deref()).await?;
        Ok((scope, events))
    }

    /// The events a calendar of `member_state` (all states when `None`)
    /// shows, soonest first: every event (representatives of every state
    /// take part), with the documents due for it only where `member_state`
    /// organises it (every document when `None`).
    pub async fn calendar_events(&self, member_state: Option<&str>) -> Result<Vec<EventRecord>> {
        let rows = self.event_rows(&EventFilter::default()).await?;
        let mut events = self.event_records(rows).await?;
        if let Some(code) = member_state {
            for event in &mut events {
                if !event.organisers.iter().any(|o| o == code) {
                    event.documents.clear();
                }
            }
        }
        Ok(events)
    }
}

/// Feed `id` if `actor` owns it or is of the Secretariat; else (and for
/// an id that is not one) `NOT_FOUND`, so that others' feeds stay unseen.
async fn find_feed<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: &str,
) -> Result<calendar_feed::Model> {
    let row = find_by_id::<calendar_feed::Entity, _>(conn, id, "calendar feed").await?;
    if row.owner_sub == actor.sub() || actor.org_kind() == OrgKind::Secretariat {
        Ok(row)
    } else {
        Err(WorkflowError::NotFound(format!(
            "calendar feed {id} not found"
        )))
    }
}

/// The unrevoked feed `token` opens, with a reader acting as its owner, or
/// `None` for anything else (a malformed, unknown or revoked token).
pub async fn open_feed(store: &Store, token: &str) -> Result<Option<(FeedRecord, Reader)>> {
    let well_formed = token
        .strip_prefix(TOKEN_PREFIX)
        .is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Ok(None);
    }
    let Some(row) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenSha256.eq(token_hash(token)))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(store.db())
        .await?
    else {
        return Ok(None);
    };
    // Only Secretariat officers and delegates make feeds; the owner acts
    // with the role they made it with.
    let (kind, role) = match organization_kind(store, &row.owner_org).await? {
        Some(OrgKind::Secretariat) => (OrgKind::Secretariat, Role::Secretariat),
        Some(OrgKind::MemberState) => (OrgKind::MemberState, Role::Delegate),
        _ => return Ok(None),
    };
    let actor = Actor::new(
        row.owner_sub.clone(),
        row.label.clone(),
        OrgCode::parse(&row.owner_org)?,
        kind,
        [role],
    )?;
    Ok(Some((row.try_into()?, Reader::new(store.clone(), actor))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_prefixed_and_hashed() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
