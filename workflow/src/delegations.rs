//! Acting signatories: a Secretary General delegates their signing to a
//! named person of their organisation for a period (a mission abroad, a
//! leave), recorded, revocable and audited.
//!
//! While a delegation is in force (`starts_at <= now < ends_at`, not
//! revoked), its delegate signs the drafts their organisation signs, as
//! the Secretary General would; the signature records the delegation, the
//! Secretary General signed for and the acting title, so that it reads
//! "for the Secretary General …, …, Acting Secretary General" for ever
//! after, whatever becomes of the delegation. One delegation of an
//! organisation may be in force at a time: periods of unrevoked
//! delegations never overlap.
//!
//! Below the features: `drafts` asks [`in_force`] when someone signs, and
//! `viewerActions` asks [`Reader::acting`], once per request.

use accord_domain::{Lang, OrgKind, Texts};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::stamp;
use crate::db::{is_id, to_json};
use crate::engine::{Engine, Outcome, check};
use crate::entity::signing_delegation;
use crate::error::{Result, WorkflowError};
use crate::permissions::{Action, DraftFacts};
use crate::read::{DraftView, Reader};
use crate::store::expect_one;

/// The longest name or token subject, in characters.
const MAX_NAME_CHARS: usize = 200;
/// The longest acting title, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// A delegation to record.
#[derive(Debug, Clone)]
pub struct NewDelegation {
    /// The delegate's token subject (`sub`), as their tokens carry it.
    pub delegate_sub: String,
    /// The delegate's name, as signatures will show it.
    pub delegate_name: String,
    /// The acting title per language; "Acting Secretary General" (and its
    /// Russian and Kazakh) when `None`.
    pub acting_title: Option<Texts>,
    /// From when.
    pub starts_at: DateTime<Utc>,
    /// Until when (excluded).
    pub ends_at: DateTime<Utc>,
}

/// A delegation as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationView {
    /// Its id.
    pub id: String,
    /// The organisation, e.g. `CICA`.
    pub org_code: String,
    /// The Secretary General who delegated (name).
    pub delegator_name: String,
    /// The delegate's token subject.
    pub delegate_sub: String,
    /// The delegate's name.
    pub delegate_name: String,
    /// The acting title per language.
    pub acting_title: Texts,
    /// From when.
    pub starts_at: DateTime<Utc>,
    /// Until when (excluded).
    pub ends_at: DateTime<Utc>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, and by whom.
    pub revoked: Option<(DateTime<Utc>, String)>,
}

impl DelegationView {
    fn of(row: signing_delegation::Model) -> Result<DelegationView> {
        Ok(DelegationView {
            acting_title: serde_json::from_str(&row.acting_title).map_err(|error| {
                WorkflowError::Corrupt(format!("acting title of delegation {}: {error}", row.id))
            })?,
            revoked: row
                .revoked_at
                .map(|at| (at, row.revoked_by_name.unwrap_or_default())),
            id: row.id,
            org_code: row.org_code,
            delegator_name: row.delegator_name,
            delegate_sub: row.delegate_sub,
            delegate_name: row.delegate_name,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            created_at: row.created_at,
        })
    }

    /// Whether it is in force at `now`.
    pub fn in_force_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked.is_none() && self.starts_at <= now && now < self.ends_at
    }
}

/// The acting title when none is given.
pub fn default_acting_title() -> Result<Texts> {
    Ok(Texts::from_pairs([
        (Lang::En, "Acting Secretary General".to_owned()),
        (
            Lang::Ru,
            "Исполняющий обязанности Генерального секретаря".to_owned(),
        ),
        (Lang::Kk, "Бас хатшының міндетін атқарушы".to_owned()),
    ])?)
}

/// The delegation in force at `now` under which `actor` signs for their
/// organisation's Secretary General, if any. Only a secretariat's or a
/// counterpart's people can hold one.
pub(crate) async fn in_force<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<signing_delegation::Model>> {
    if !matches!(
        actor.org_kind(),
        OrgKind::Secretariat | OrgKind::Counterpart
    ) {
        return Ok(None);
    }
    use signing_delegation::Column as C;
    Ok(signing_delegation::Entity::find()
        .filter(C::OrgCode.eq(actor.org().as_str()))
        .filter(C::DelegateSub.eq(actor.sub()))
        .filter(C::RevokedAt.is_null())
        .filter(C::StartsAt.lte(now))
        .filter(C::EndsAt.gt(now))
        .one(conn)
        .await?)
}

fn delegation_json(row: &signing_delegation::Model) -> Result<Value> {
    Ok(json!({
        "organization": row.org_code,
        "delegator": row.delegator_name,
        "delegateSub": row.delegate_sub,
        "delegate": row.delegate_name,
        "actingTitle": serde_json::from_str::<Value>(&row.acting_title)
            .map_err(|e| WorkflowError::Corrupt(format!("acting title: {e}")))?,
        "startsAt": stamp(row.starts_at),
        "endsAt": stamp(row.ends_at),
        "revokedAt": row.revoked_at.map(stamp),
        "revokedBy": row.revoked_by_name,
    }))
}

impl Engine {
    /// Records that `actor`, a Secretary General, delegates their signing
    /// to `new.delegate_sub` from `new.starts_at` until `new.ends_at`.
    pub(crate) async fn delegate_signing(
        &self,
        actor: &Actor,
        new: NewDelegation,
    ) -> Result<Outcome> {
        check(actor, Action::DelegateSigning, None)?;
        let delegate_sub =
            accord_domain::one_line("delegateSub", &new.delegate_sub, MAX_NAME_CHARS)?;
        let delegate_name =
            accord_domain::one_line("delegateName", &new.delegate_name, MAX_NAME_CHARS)?;
        if delegate_sub == actor.sub() {
            return Err(WorkflowError::bad_input(
                "a Secretary General does not delegate signing to themselves",
            ));
        }
        let acting_title = match new.acting_title {
            Some(title) => {
                for (_, text) in title.iter() {
                    accord_domain::one_line("actingTitle", text, MAX_TITLE_CHARS)?;
                }
                title
            }
            None => default_acting_title()?,
        };
        let (starts_at, ends_at) = (new.starts_at.trunc_subsecs(6), new.ends_at.trunc_subsecs(6));
        if ends_at <= starts_at {
            return Err(WorkflowError::bad_input(format!(
                "endsAt {} is not after startsAt {}",
                stamp(ends_at),
                stamp(starts_at)
            )));
        }
        let now = self.now();
        if ends_at <= now {
            return Err(WorkflowError::bad_input(format!(
                "endsAt {} is in the past",
                stamp(ends_at)
            )));
        }
        let row = signing_delegation::Model {
            id: uuid::Uuid::now_v7().to_string(),
            org_code: actor.org().to_string(),
            delegator_sub: actor.sub().to_owned(),
            delegator_name: actor.name().to_owned(),
            delegate_sub,
            delegate_name,
            acting_title: to_json(&acting_title)?,
            starts_at,
            ends_at,
            created_at: now,
            revoked_at: None,
            revoked_by_name: None,
        };
        let tx = self.store().begin_write().await?;
        // Under the write lock: two overlapping delegations recorded at
        // once cannot both pass.
        use signing_delegation::Column as C;
        let overlapping = signing_delegation::Entity::find()
            .filter(C::OrgCode.eq(row.org_code.as_str()))
            .filter(C::RevokedAt.is_null())
            .filter(C::StartsAt.lt(ends_at))
            .filter(C::EndsAt.gt(starts_at))
            .one(tx.conn())
            .await?;
        if let Some(other) = overlapping {
            return Err(WorkflowError::Conflict(format!(
                "{}'s signing is already delegated to {} from {} until {}; revoke that delegation first",
                other.org_code,
                other.delegate_name,
                stamp(other.starts_at),
                stamp(other.ends_at)
            )));
        }
        signing_delegation::Entity::insert(signing_delegation::ActiveModel::from(row.clone()))
            .exec_without_returning(tx.conn())
            .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::DelegateSigning,
                "signing_delegation",
                row.id.clone(),
                None,
                delegation_json(&row)?,
            ),
            now,
        )
        .await?;
        Ok(Outcome::Delegation {
            delegation_id: row.id,
        })
    }

    /// Revokes delegation `id` of `actor`'s organisation (its Secretary
    /// General): from now on its delegate signs no more. A signature made
    /// under it stays as made.
    pub(crate) async fn revoke_signing_delegation(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Outcome> {
        check(actor, Action::RevokeSigningDelegation, None)?;
        let not_found = || WorkflowError::NotFound(format!("signing delegation {id:?} not found"));
        if !is_id(id) {
            return Err(not_found());
        }
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let found = signing_delegation::Entity::find_by_id(id.to_owned())
            .one(tx.conn())
            .await?
            .filter(|row| row.org_code == actor.org().as_str())
            .ok_or_else(not_found)?;
        if found.revoked_at.is_some() {
            return Err(WorkflowError::InvalidTransition(
                "the delegation is already revoked".into(),
            ));
        }
        if found.ends_at <= now {
            return Err(WorkflowError::InvalidTransition(
                "the delegation has already ended".into(),
            ));
        }
        let after = signing_delegation::Model {
            revoked_at: Some(now),
            revoked_by_name: Some(actor.name().to_owned()),
            ..found.clone()
        };
        use signing_delegation::Column as C;
        expect_one(
            tx.conn(),
            signing_delegation::Entity::update_many()
                .col_expr(C::RevokedAt, Expr::value(after.revoked_at))
                .col_expr(C::RevokedByName, Expr::value(after.revoked_by_name.clone()))
                .filter(C::Id.eq(id))
                .filter(C::RevokedAt.is_null()),
            "the delegation changed meanwhile; reload it",
        )
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::RevokeSigningDelegation,
                "signing_delegation",
                id,
                Some(delegation_json(&found)?),
                delegation_json(&after)?,
            ),
            now,
        )
        .await?;
        Ok(Outcome::Delegation {
            delegation_id: id.to_owned(),
        })
    }
}

impl Reader {
    /// The delegations of signing of the viewer's organisation, newest
    /// first: for anyone of a secretariat or a counterpart secretariat
    /// (the people who sign, delegate or act), none for others.
    pub async fn signing_delegations(&self) -> Result<Vec<DelegationView>> {
        let actor = self.actor();
        if !matches!(
            actor.org_kind(),
            OrgKind::Secretariat | OrgKind::Counterpart
        ) || !crate::permissions::reads_documents(actor)
        {
            return Ok(Vec::new());
        }
        signing_delegation::Entity::find()
            .filter(signing_delegation::Column::OrgCode.eq(actor.org().as_str()))
            .order_by_desc(signing_delegation::Column::StartsAt)
            .order_by_desc(signing_delegation::Column::Id)
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(DelegationView::of)
            .collect()
    }

    /// One delegation of the viewer's organisation.
    pub async fn signing_delegation(&self, id: &str) -> Result<DelegationView> {
        self.signing_delegations()
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| WorkflowError::NotFound(format!("signing delegation {id:?} not found")))
    }

    /// What the viewer may do to `draft` now (`viewerActions`): the
    /// delegations in force are asked of the database only where acting
    /// for the Secretary General would let the viewer sign.
    pub async fn viewer_actions(&self, draft: &DraftView) -> Result<Vec<Action>> {
        let mut facts = draft.facts;
        let if_acting = DraftFacts {
            viewer_acting: true,
            ..facts
        };
        if crate::permissions::decide(self.actor(), Action::Sign, Some(&if_acting)).is_ok() {
            facts.viewer_acting = self.acting().await?;
        }
        Ok(crate::permissions::viewer_actions(self.actor(), &facts))
    }

    /// Whether the viewer signs now for their organisation's Secretary
    /// General under a delegation in force: asked of the database once
    /// per reader (one request), and only of a person who could.
    pub async fn acting(&self) -> Result<bool> {
        let actor = self.actor();
        if actor.has(accord_domain::Role::SecretaryGeneral) {
            return Ok(false);
        }
        self.memo_acting(|| async {
            Ok(in_force(&self.conn().await?, actor, crate::clock::now())
                .await?
                .is_some())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::at;

    fn view(revoked: bool) -> DelegationView {
        DelegationView {
            id: "d".into(),
            org_code: "CICA".into(),
            delegator_name: "Kairat Sarybay".into(),
            delegate_sub: "cica-deputy-sg".into(),
            delegate_name: "Daniyar Seitkali".into(),
            acting_title: default_acting_title().unwrap(),
            starts_at: at("2023-12-18T06:00:00Z"),
            ends_at: at("2023-12-29T19:00:00Z"),
            created_at: at("2023-12-18T06:00:00Z"),
            revoked: revoked.then(|| (at("2023-12-19T06:00:00Z"), "Kairat Sarybay".into())),
        }
    }

    #[test]
    fn a_delegation_is_in_force_from_its_start_until_just_before_its_end_unless_revoked() {
        let delegation = view(false);
        assert!(!delegation.in_force_at(at("2023-12-18T05:59:59Z")));
        assert!(delegation.in_force_at(at("2023-12-18T06:00:00Z")));
        assert!(delegation.in_force_at(at("2023-12-29T18:59:59Z")));
        assert!(!delegation.in_force_at(at("2023-12-29T19:00:00Z")));
        assert!(!view(true).in_force_at(at("2023-12-20T06:00:00Z")));
    }

    #[test]
    fn the_default_acting_title_is_written_in_english_russian_and_kazakh() {
        let title = default_acting_title().unwrap();
        assert_eq!(title.get(Lang::En), Some("Acting Secretary General"));
        assert_eq!(
            title.get(Lang::Ru),
            Some("Исполняющий обязанности Генерального секретаря")
        );
        assert!(title.get(Lang::Kk).is_some());
    }
}
