//! Drafts: creating and revising a joint document, commenting on it and
//! answering proposals, signing and withdrawing it; each step checked by
//! [`permissions::decide`] and written by compare-and-set
//! (`engine::compare_and_set`) with its audit record.
//!
//! Circulating a draft, opening its SWG discussion and recording the SOC's
//! agreement also write a note or a meeting's agenda and decision: those
//! three are composed in `commands`, which knows both features.

use std::collections::BTreeSet;

use accord_domain::{
    Anchor, CommentKind, CommentStatus, Content, ContentHash, DraftState, OrgCode, OrgKind,
    ProposalOperation, ProposalResolution, Role, Route, Signatories, SignatureRule, SilenceStatus,
    StageKind, Texts,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::{is_id, to_json};
use crate::engine::{
    CHANGED, Engine, Outcome, check, check_draft, check_facts, compare_and_set, moved, touch,
};
use crate::entity::{
    comment, draft, draft_signatory, item, organization, signature, silence_procedure, version,
};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action, DraftFacts};
use crate::snapshot::Snapshot;
use crate::store::{WriteTx, expect_one};
use crate::written::{CommentAfter, DraftAfter, changed};

/// The longest comment, reply or change summary, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// The longest withdrawal reason, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewDraft {
    /// The kind of document, e.g. `ACTION_PLAN`.
    pub kind: String,
    /// The title in one or more languages.
    pub title: Texts,
    /// Organisations whose Secretaries General must sign.
    pub signatories: Vec<OrgCode>,
    /// The first version's content.
    pub content: Content,
}

/// A new comment or proposal.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// The draft commented on.
    pub draft_id: String,
    /// The version commented on; must be the viewer's current version.
    pub version: i32,
    /// The item, if any.
    pub anchor: Option<Anchor>,
    /// The comment's text.
    pub body: String,
    /// Proposed text, for a proposal.
    pub proposal: Option<Proposal>,
}

/// The amendment a proposal carries.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Replace, insert after, or delete the anchored item.
    pub operation: ProposalOperation,
    /// The proposed text; required unless deleting.
    pub texts: Option<Texts>,
}

impl Engine {
    pub(crate) async fn create_draft(&self, actor: &Actor, new: NewDraft) -> Result<Outcome> {
        check(actor, Action::CreateDraft, None)?;
        let kind = parse_kind(&new.kind)?;
        self.check_signatories(&new.signatories).await?;
        let db = self.store().db();
        let in_force = crate::route_book::in_force(db, &kind).await?;
        let route = self.store().routes().route(db, &in_force.id).await?;
        signatories_fit(&route, &kind, &new.signatories)?;
        let now = self.now();
        let id = uuid::Uuid::now_v7().to_string();
        let title = to_json(&new.title)?;
        let row = draft::Model {
            id: id.clone(),
            kind: kind.clone(),
            title,
            state: DraftState::Drafting.as_str().to_owned(),
            revision: 1,
            home_org: actor.org().to_string(),
            current_version: 1,
            circulated_version: None,
            agreed_version: None,
            withdrawn_reason: None,
            route_id: in_force.id.clone(),
            stage: None,
            created_by: actor.sub().to_owned(),
            created_at: now,
            updated_at: now,
        };
        let tx = self.store().begin_write().await?;
        draft::Entity::insert(draft::ActiveModel::from(row.clone()))
            .exec_without_returning(tx.conn())
            .await?;
        let signatories: Vec<draft_signatory::ActiveModel> = new
            .signatories
            .iter()
            .enumerate()
            .map(|(position, org)| draft_signatory::ActiveModel {
                draft_id: Set(id.clone()),
                org_code: Set(org.to_string()),
                position: Set(position as i32),
            })
            .collect();
        draft_signatory::Entity::insert_many(signatories)
            .exec_without_returning(tx.conn())
            .await?;
        insert_version(&tx, actor, &id, 1, &new.content, None, now).await?;
        tx.commit_audited(
            actor,
            AuditRecord {
                action: Action::CreateDraft.as_str().into(),
                entity_type: "draft",
                entity_id: id.clone(),
                draft_id: Some(id.clone()),
                from_state: None,
                to_state: Some(DraftState::Drafting.as_str().into()),
                before: None,
                after: Some(json!({
                    "kind": kind,
                    "title": new.title,
                    "signatories": new.signatories,
                    "route": { "id": in_force.id, "version": in_force.version },
                    "version": 1,
                    "contentHash": new.content.hash(),
                })),
            },
            now,
        )
        .await?;
        Ok(Outcome::Draft {
            draft_id: id,
            after: DraftAfter::new(Snapshot {
                row,
                signatories: new.signatories.iter().map(ToString::to_string).collect(),
                signatures: Vec::new(),
                route,
            }),
        })
    }

    async fn check_signatories(&self, signatories: &[OrgCode]) -> Result<()> {
        if signatories.is_empty() {
            return Err(WorkflowError::bad_input(
                "signatories must name at least one organisation",
            ));
        }
        let unique: BTreeSet<&str> = signatories.iter().map(OrgCode::as_str).collect();
        if unique.len() != signatories.len() {
            return Err(WorkflowError::bad_input("signatories must not repeat"));
        }
        let known = organization::Entity::find()
            .filter(organization::Column::Code.is_in(unique.iter().copied()))
            .all(self.store().db())
            .await?;
        for code in &unique {
            match known.iter().find(|org| org.code == *code) {
                None => {
                    return Err(WorkflowError::bad_input(format!(
                        "signatory {code} is not a known organisation"
                    )));
                }
                Some(org)
                    if !matches!(
                        org.kind.parse::<OrgKind>(),
                        Ok(OrgKind::Secretariat | OrgKind::Counterpart)
                    ) =>
                {
                    return Err(WorkflowError::bad_input(format!(
                        "signatory {code} is not a secretariat; only secretariats sign"
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    pub(crate) async fn revise(
        &self,
        actor: &Actor,
        draft_id: &str,
        base_version: i32,
        content: Content,
        change_summary: Option<String>,
        accommodates: Vec<String>,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        check_draft(actor, Action::Revise, &snap)?;
        let current = snap.row.current_version;
        if base_version != current {
            return Err(WorkflowError::Conflict(format!(
                "version {base_version} is no longer current; version {current} is"
            )));
        }
        let current_hash = self.content_hash(draft_id, current).await?;
        if current_hash == content.hash().as_str() {
            return Err(WorkflowError::bad_input(format!(
                "the new text is identical to version {current}"
            )));
        }
        let change_summary = change_summary
            .map(|s| accord_domain::non_blank("changeSummary", &s, MAX_BODY_CHARS))
            .transpose()?;
        let unique: BTreeSet<&String> = accommodates.iter().collect();
        if unique.len() != accommodates.len() {
            return Err(WorkflowError::bad_input(
                "accommodates must not repeat a proposal",
            ));
        }
        let proposals = if accommodates.is_empty() {
            Vec::new()
        } else {
            comment::Entity::find()
                .filter(comment::Column::Id.is_in(accommodates.iter().cloned()))
                .filter(comment::Column::DraftId.eq(draft_id))
                .all(self.store().db())
                .await?
        };
        for id in &accommodates {
            let Some(found) = proposals.iter().find(|c| &c.id == id) else {
                return Err(WorkflowError::bad_input(format!(
                    "proposal {id} does not exist on this draft"
                )));
            };
            if found.kind != CommentKind::Proposal.as_str() {
                return Err(WorkflowError::bad_input(format!(
                    "comment {id} is not a proposal"
                )));
            }
            if found.status != CommentStatus::Open.as_str() {
                return Err(WorkflowError::bad_input(format!(
                    "proposal {id} is already {}; only open proposals can be accommodated",
                    found.status
                )));
            }
        }
        let now = self.now();
        let next = current + 1;
        let tx = self.store().begin_write().await?;
        let after = compare_and_set(
            &tx,
            &snap,
            draft::Model {
                current_version: next,
                revision: snap.row.revision + 1,
                updated_at: now,
                ..snap.row.clone()
            },
        )
        .await?;
        insert_version(
            &tx,
            actor,
            draft_id,
            next,
            &content,
            change_summary.clone(),
            now,
        )
        .await?;
        for id in &accommodates {
            expect_one(
                tx.conn(),
                comment::Entity::update_many()
                    .col_expr(
                        comment::Column::Status,
                        Expr::value(CommentStatus::Accommodated.as_str()),
                    )
                    .col_expr(comment::Column::AccommodatedInVersion, Expr::value(next))
                    .col_expr(comment::Column::ResolvedBySub, Expr::value(actor.sub()))
                    .col_expr(comment::Column::ResolvedAt, Expr::value(now))
                    .col_expr(comment::Column::UpdatedAt, Expr::value(now))
                    .filter(comment::Column::Id.eq(id.as_str()))
                    .filter(comment::Column::Status.eq(CommentStatus::Open.as_str())),
                "a proposal changed while you were revising; reload and try again",
            )
            .await?;
        }
        let state = snap.state()?;
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::Revise,
                draft_id,
                state.as_str(),
                state.as_str(),
                Some(json!({ "version": current, "contentHash": current_hash })),
                json!({
                    "version": next,
                    "contentHash": content.hash(),
                    "changeSummary": change_summary,
                    "accommodates": accommodates,
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Draft {
            draft_id: draft_id.to_owned(),
            after,
        })
    }

    pub(crate) async fn add_comment(&self, actor: &Actor, new: NewComment) -> Result<Outcome> {
        let snap = self.snapshot(&new.draft_id).await?;
        let facts = check_draft(actor, Action::Comment, &snap)?;
        let now = self.now();
        let (row, record) = self.comment_to_add(actor, &snap, &facts, &new, now).await?;
        let tx = self.store().begin_write().await?;
        // Locks the draft row and re-checks that nothing changed: comments
        // are still open on this version. A comment is no new revision, so
        // comments made at once all count.
        let draft = touch(&tx, &snap, now).await?;
        insert_comment(&tx, &row).await?;
        tx.commit_audited(actor, record, now).await?;
        Ok(Outcome::Comment {
            comment_id: row.id.clone(),
            after: CommentAfter {
                comment: Box::new(row),
                draft,
            },
        })
    }

    /// The comment `new` as `actor` adds it at `now` to the draft `snap`
    /// (which `facts` describe), checked, with the audit record of its
    /// addition; the caller inserts it ([`insert_comment`]) with the
    /// draft's row locked.
    pub(crate) async fn comment_to_add(
        &self,
        actor: &Actor,
        snap: &Snapshot,
        facts: &DraftFacts,
        new: &NewComment,
        now: DateTime<Utc>,
    ) -> Result<(comment::Model, AuditRecord)> {
        let current = crate::read::visible_current_version(&snap.row, facts.relation);
        if new.version != current {
            return Err(WorkflowError::Conflict(format!(
                "version {} is not the current version; comment on version {current}",
                new.version
            )));
        }
        let body = accord_domain::non_blank("body", &new.body, MAX_BODY_CHARS)?;
        if let Some(anchor) = &new.anchor {
            let exists = item::Entity::find()
                .filter(item::Column::DraftId.eq(new.draft_id.as_str()))
                .filter(item::Column::Version.eq(new.version))
                .filter(item::Column::Anchor.eq(anchor.as_str()))
                .count(self.store().db())
                .await?;
            if exists == 0 {
                return Err(WorkflowError::bad_input(format!(
                    "version {} has no item {anchor}",
                    new.version
                )));
            }
        }
        let (kind, operation, proposal_texts) = match &new.proposal {
            None => (CommentKind::Comment, None, None),
            Some(proposal) => {
                if new.anchor.is_none() {
                    return Err(WorkflowError::bad_input(
                        "a proposal must name the item (anchor) it amends",
                    ));
                }
                match (proposal.operation, &proposal.texts) {
                    (ProposalOperation::Delete, Some(_)) => {
                        return Err(WorkflowError::bad_input(
                            "a proposal to delete carries no text",
                        ));
                    }
                    (ProposalOperation::Replace | ProposalOperation::InsertAfter, None) => {
                        return Err(WorkflowError::bad_input(format!(
                            "a proposal to {} must carry the proposed text",
                            proposal.operation.as_str().to_lowercase().replace('_', " ")
                        )));
                    }
                    _ => {}
                }
                (
                    CommentKind::Proposal,
                    Some(proposal.operation.as_str().to_owned()),
                    proposal.texts.as_ref().map(to_json).transpose()?,
                )
            }
        };
        let id = uuid::Uuid::now_v7().to_string();
        let row = comment::Model {
            id: id.clone(),
            draft_id: new.draft_id.clone(),
            version: new.version,
            anchor: new.anchor.as_ref().map(ToString::to_string),
            kind: kind.as_str().to_owned(),
            status: CommentStatus::Open.as_str().to_owned(),
            body: body.clone(),
            org_code: actor.org().to_string(),
            author_sub: actor.sub().to_owned(),
            author_name: actor.name().to_owned(),
            proposal_operation: operation.clone(),
            proposal_texts,
            reply: None,
            resolved_by_sub: None,
            resolved_at: None,
            accommodated_in_version: None,
            created_at: now,
            updated_at: now,
        };
        let record = AuditRecord::of_comment(
            Action::Comment,
            &id,
            &new.draft_id,
            None,
            json!({
                "kind": kind,
                "version": new.version,
                "anchor": new.anchor,
                "body": body,
                "operation": operation,
                "texts": new.proposal.as_ref().and_then(|p| p.texts.clone()),
            }),
        );
        Ok((row, record))
    }

    /// Edits (`Some(body)`) or withdraws (`None`) the author's own comment.
    pub(crate) async fn change_comment(
        &self,
        actor: &Actor,
        comment_id: &str,
        body: Option<String>,
    ) -> Result<Outcome> {
        let action = if body.is_some() {
            Action::EditComment
        } else {
            Action::WithdrawComment
        };
        let (found, snap) = self.comment_snapshot(actor, comment_id).await?;
        check_draft(actor, action, &snap)?;
        if found.author_sub != actor.sub() || found.org_code != actor.org().as_str() {
            return Err(WorkflowError::Forbidden(
                "only the author may change a comment".into(),
            ));
        }
        still_open(&found, "comment")?;
        let body = body
            .map(|b| accord_domain::non_blank("body", &b, MAX_BODY_CHARS))
            .transpose()?;
        let now = self.now();
        let after = match &body {
            Some(text) => comment::Model {
                body: text.clone(),
                updated_at: now,
                ..found.clone()
            },
            None => comment::Model {
                status: CommentStatus::Withdrawn.as_str().to_owned(),
                updated_at: now,
                ..found.clone()
            },
        };
        let record = AuditRecord::of_comment(
            action,
            comment_id,
            &found.draft_id,
            Some(json!({ "status": found.status, "body": found.body })),
            match &body {
                Some(text) => json!({ "status": found.status, "body": text }),
                None => json!({ "status": CommentStatus::Withdrawn }),
            },
        );
        self.rewrite_open_comment(
            actor,
            snap,
            &found,
            after,
            record,
            "the comment changed meanwhile; reload and try again",
        )
        .await
    }

    pub(crate) async fn resolve(
        &self,
        actor: &Actor,
        comment_id: &str,
        resolution: ProposalResolution,
        reply: Option<String>,
    ) -> Result<Outcome> {
        let (found, snap) = self.comment_snapshot(actor, comment_id).await?;
        check_draft(actor, Action::ResolveProposal, &snap)?;
        if found.kind != CommentKind::Proposal.as_str() {
            return Err(WorkflowError::bad_input(format!(
                "comment {comment_id} is not a proposal; only proposals are resolved"
            )));
        }
        still_open(&found, "proposal")?;
        let reply = reply
            .map(|r| accord_domain::non_blank("reply", &r, MAX_BODY_CHARS))
            .transpose()?;
        let status = resolution.status();
        let now = self.now();
        let after = comment::Model {
            status: status.as_str().to_owned(),
            reply: reply.clone(),
            resolved_by_sub: Some(actor.sub().to_owned()),
            resolved_at: Some(now),
            updated_at: now,
            ..found.clone()
        };
        let record = AuditRecord::of_comment(
            Action::ResolveProposal,
            comment_id,
            &found.draft_id,
            Some(json!({ "status": found.status })),
            json!({ "status": status, "reply": reply }),
        );
        self.rewrite_open_comment(
            actor,
            snap,
            &found,
            after,
            record,
            "the proposal was edited, resolved or withdrawn meanwhile; reload it",
        )
        .await
    }

    /// Writes `after` over the open comment `found` with its audit
    /// `record`, unless the comment changed since it was read (`conflict`),
    /// and answers the comment and its draft.
    async fn rewrite_open_comment(
        &self,
        actor: &Actor,
        snap: Snapshot,
        found: &comment::Model,
        after: comment::Model,
        record: AuditRecord,
        conflict: &str,
    ) -> Result<Outcome> {
        let tx = self.store().begin_write().await?;
        let update = comment::Entity::update_many()
            .filter(comment::Column::Id.eq(&found.id))
            .filter(comment::Column::Status.eq(CommentStatus::Open.as_str()))
            .filter(comment::Column::UpdatedAt.eq(found.updated_at));
        expect_one(tx.conn(), changed(update, found, &after), conflict).await?;
        tx.commit_audited(actor, record, after.updated_at).await?;
        Ok(Outcome::Comment {
            comment_id: found.id.clone(),
            after: CommentAfter {
                comment: Box::new(after),
                draft: DraftAfter::new(snap),
            },
        })
    }

    pub(crate) async fn sign(
        &self,
        actor: &Actor,
        draft_id: &str,
        content_hash: ContentHash,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        let now = self.now();
        // Someone other than a Secretary General signs only for theirs,
        // under a delegation in force.
        let delegation = if actor.has(Role::SecretaryGeneral) {
            None
        } else {
            crate::delegations::in_force(self.store().db(), actor, now).await?
        };
        let facts = check_facts(
            actor,
            Action::Sign,
            &snap,
            DraftFacts {
                viewer_acting: delegation.is_some(),
                ..snap.facts(actor)?
            },
        )?;
        let from = facts.state;
        let stage = crate::engine::destination(&snap, Action::Sign)?;
        let required = match stage.map(|s| &s.kind) {
            Some(StageKind::Signature { rule, .. }) => rule.required(snap.signatories.len()),
            _ => snap.signatories.len(),
        };
        let agreed = snap.row.agreed_version.ok_or_else(|| {
            WorkflowError::Corrupt(format!("agreed draft {draft_id} has no agreed version"))
        })?;
        let agreed_hash = self.content_hash(draft_id, agreed).await?;
        if agreed_hash != content_hash.as_str() {
            return Err(WorkflowError::Conflict(format!(
                "the agreed text's content hash is {agreed_hash}, not {content_hash}; reload the agreed version before signing"
            )));
        }
        let tx = self.store().begin_write().await?;
        // Under the write lock: a revocation committed since is seen.
        if let Some(delegation) = &delegation {
            let still = crate::delegations::in_force(tx.conn(), actor, now).await?;
            if still.as_ref().map(|d| &d.id) != Some(&delegation.id) {
                return Err(WorkflowError::Conflict(
                    "your delegation of signing was revoked meanwhile".into(),
                ));
            }
        }
        // Signatures do not compare revisions: two Secretaries General may
        // sign at the same instant, and both must count.
        expect_one(
            tx.conn(),
            draft::Entity::update_many()
                .col_expr(draft::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    draft::Column::Revision,
                    Expr::col(draft::Column::Revision).add(1),
                )
                .filter(draft::Column::Id.eq(draft_id))
                .filter(draft::Column::State.eq(from.as_str())),
            CHANGED,
        )
        .await?;
        let org = actor.org().to_string();
        let inserted = signature::Entity::insert(signature::ActiveModel {
            draft_id: Set(draft_id.to_owned()),
            org_code: Set(org.clone()),
            signer_sub: Set(actor.sub().to_owned()),
            signer_name: Set(actor.name().to_owned()),
            content_hash: Set(agreed_hash.clone()),
            signed_at: Set(now),
            delegation_id: Set(delegation.as_ref().map(|d| d.id.clone())),
            acting_for: Set(delegation.as_ref().map(|d| d.delegator_name.clone())),
            acting_title: Set(delegation.as_ref().map(|d| d.acting_title.clone())),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(tx.conn())
        .await?;
        if !matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
            return Err(WorkflowError::Conflict(format!(
                "{org} has already signed this draft"
            )));
        }
        let signed = signature::Entity::find()
            .filter(signature::Column::DraftId.eq(draft_id))
            .count(tx.conn())
            .await?;
        // The signature that meets the stage's rule (every signatory, or
        // N of them) moves the draft on; the others leave it agreed. Two
        // signatures racing for the last place: the second finds the state
        // moved and is refused, so no more are recorded than required.
        let complete = signed as usize >= required;
        let to = match stage {
            Some(stage) if complete => stage.state(),
            _ => from,
        };
        if let (Some(stage), true) = (stage, complete) {
            expect_one(
                tx.conn(),
                draft::Entity::update_many()
                    .col_expr(draft::Column::State, Expr::value(to.as_str()))
                    .col_expr(draft::Column::Stage, Expr::value(stage.key.as_str()))
                    .filter(draft::Column::Id.eq(draft_id))
                    .filter(draft::Column::State.eq(from.as_str())),
                CHANGED,
            )
            .await?;
        }
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::Sign,
                draft_id,
                from.as_str(),
                to.as_str(),
                None,
                json!({
                    "organization": org,
                    "contentHash": agreed_hash,
                    "signatures": signed,
                    "required": required,
                    "signer": actor.name(),
                    "delegation": delegation.as_ref().map(|d| json!({
                        "id": d.id,
                        "actingFor": d.delegator_name,
                        "actingTitle": serde_json::from_str::<serde_json::Value>(&d.acting_title).ok(),
                    })),
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Signed {
            draft_id: draft_id.to_owned(),
        })
    }

    pub(crate) async fn withdraw(
        &self,
        actor: &Actor,
        draft_id: &str,
        reason: &str,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        let facts = check_draft(actor, Action::Withdraw, &snap)?;
        let reason = accord_domain::non_blank("reason", reason, MAX_REASON_CHARS)?;
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let next = moved(&snap, Action::Withdraw, now)?;
        let to_state = next.state.clone();
        let after = compare_and_set(
            &tx,
            &snap,
            draft::Model {
                withdrawn_reason: Some(reason.clone()),
                ..next
            },
        )
        .await?;
        // A silence procedure running on the text ends with the draft.
        if facts.state == DraftState::UnderSilence {
            silence_procedure::Entity::update_many()
                .col_expr(
                    silence_procedure::Column::Status,
                    Expr::value(SilenceStatus::Withdrawn.as_str()),
                )
                .col_expr(silence_procedure::Column::ClosedAt, Expr::value(Some(now)))
                .filter(silence_procedure::Column::DraftId.eq(draft_id))
                .filter(silence_procedure::Column::Status.eq(SilenceStatus::Running.as_str()))
                .exec(tx.conn())
                .await?;
        }
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::Withdraw,
                draft_id,
                facts.state.as_str(),
                to_state,
                None,
                json!({ "reason": reason }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Draft {
            draft_id: draft_id.to_owned(),
            after,
        })
    }

    /// The content hash of version `number` of `draft_id`, which exists.
    async fn content_hash(&self, draft_id: &str, number: i32) -> Result<String> {
        version::Entity::find_by_id((draft_id.to_owned(), number))
            .one(self.store().db())
            .await?
            .map(|v| v.content_hash)
            .ok_or_else(|| {
                WorkflowError::Corrupt(format!("draft {draft_id} lacks version {number}"))
            })
    }

    /// Reads a comment and its draft; a comment the actor may not see is
    /// `NOT_FOUND`, exactly like one that does not exist.
    async fn comment_snapshot(
        &self,
        actor: &Actor,
        comment_id: &str,
    ) -> Result<(comment::Model, Snapshot)> {
        let not_found = || WorkflowError::comment_not_found(comment_id);
        if !is_id(comment_id) {
            return Err(not_found());
        }
        let found = comment::Entity::find_by_id(comment_id.to_owned())
            .one(self.store().db())
            .await?
            .ok_or_else(not_found)?;
        let snap = self
            .snapshot(&found.draft_id)
            .await
            .map_err(|error| match error {
                WorkflowError::NotFound(_) => not_found(),
                other => other,
            })?;
        let facts = snap.facts(actor)?;
        let compiled = facts.relation == permissions::Relation::MemberState
            && crate::compilations::in_circulated_compilation(
                self.store().db(),
                &found.kind,
                &found.draft_id,
                found.version,
            )
            .await?;
        if !permissions::can_see(&facts)
            || !permissions::can_see_comment(facts.relation, actor, &found.org_code, compiled)
        {
            return Err(not_found());
        }
        Ok((found, snap))
    }
}

/// Stores a comment made by [`Engine::comment_to_add`].
pub(crate) async fn insert_comment(tx: &WriteTx, row: &comment::Model) -> Result<()> {
    comment::Entity::insert(comment::ActiveModel::from(row.clone()))
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

async fn insert_version(
    tx: &WriteTx,
    actor: &Actor,
    draft_id: &str,
    number: i32,
    content: &Content,
    change_summary: Option<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    version::Entity::insert(version::ActiveModel {
        draft_id: Set(draft_id.to_owned()),
        number: Set(number),
        content_hash: Set(content.hash().to_string()),
        change_summary: Set(change_summary),
        created_by_sub: Set(actor.sub().to_owned()),
        created_by_name: Set(actor.name().to_owned()),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    let mut rows = Vec::with_capacity(content.items().len());
    for (position, it) in content.items().iter().enumerate() {
        rows.push(item::ActiveModel {
            draft_id: Set(draft_id.to_owned()),
            version: Set(number),
            position: Set(position as i32),
            anchor: Set(it.anchor.to_string()),
            texts: Set(to_json(&it.texts)?),
        });
    }
    // Keeps each statement well under SQLite's limit on bound parameters.
    for chunk in rows.chunks(500) {
        item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}
/// Refuses signatories that the signature stages of a `kind` draft's
/// route cannot work with: a stage naming its signatories wants exactly
/// those, and a rule of N signatures at least N of them.
fn signatories_fit(route: &Route, kind: &str, signatories: &[OrgCode]) -> Result<()> {
    let given: BTreeSet<&str> = signatories.iter().map(OrgCode::as_str).collect();
    for stage in route.stages() {
        let StageKind::Signature {
            signatories: wanted,
            rule,
            ..
        } = &stage.kind
        else {
            continue;
        };
        if let Signatories::Named { orgs } = wanted {
            let named: BTreeSet<&str> = orgs.iter().map(String::as_str).collect();
            if named != given {
                return Err(WorkflowError::bad_input(format!(
                    "the route of a {kind} is signed by {}; signatories must be those",
                    orgs.join(", ")
                )));
            }
        }
        if let SignatureRule::AtLeast { count } = rule
            && *count as usize > signatories.len()
        {
            return Err(WorkflowError::bad_input(format!(
                "the route of a {kind} needs {count} signatures; name at least {count} signatories"
            )));
        }
    }
    Ok(())
}

/// A draft kind: 1-64 upper-case letters, digits and underscores.
pub(crate) fn parse_kind(kind: &str) -> Result<String> {
    let valid = (1..=64).contains(&kind.len())
        && kind.starts_with(|c: char| c.is_ascii_uppercase())
        && kind
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(kind.to_owned())
    } else {
        Err(WorkflowError::bad_input(format!(
            "kind {kind:?} must be 1-64 upper-case letters, digits or underscores, e.g. ACTION_PLAN"
        )))
    }
}

/// Refuses to change a comment (`what`: "comment", "proposal") that is no
/// longer open.
fn still_open(found: &comment::Model, what: &str) -> Result<()> {
    if found.status == CommentStatus::Open.as_str() {
        return Ok(());
    }
    Err(WorkflowError::InvalidTransition(format!(
        "the {what} is {} and can no longer be changed",
        found.status
    )))
}
