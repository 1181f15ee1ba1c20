//! Member states' stances on the version under consideration, and the
//! compilations of proposals the Secretariat has circulated.
//!
//! A member state's delegate records the state's stance on the circulated
//! version (no objection, ad referendum, a reservation in words, an
//! objection); a new stance replaces the state's earlier one on that
//! version, and a new version asks every state again. The SOC's agreement
//! is refused while an objection stands on the version agreed (see
//! `commands::record_soc`), unless the Secretariat records that it was
//! withdrawn at the meeting.
//!
//! Once the Secretariat has circulated a version's compilation of proposals
//! (by note verbale, `commands::circulate_compilation`), every member state
//! reads every state's proposals on that version and their dispositions
//! ([`permissions::can_see_comment`]).

use std::collections::HashMap;

use accord_domain::{OrgKind, Stance};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::compilations::{CirculatedCompilation, circulated_compilations, circulated_versions};
use crate::engine::{Engine, Outcome, check_draft, touch};
use crate::entity::{compilation_circulation, draft_stance};
use crate::error::{Result, WorkflowError};
use crate::permissions::{Action, Relation};
use crate::read::{DraftView, Reader};
use crate::snapshot::Snapshot;
use crate::store::{WriteTx, expect_one};

/// The longest reservation, remark or withdrawal remark, in characters.
const MAX_STANCE_CHARS: usize = 20_000;

/// A stance as a member state's delegate states it.
#[derive(Debug, Clone)]
pub struct NewStance {
    /// The draft.
    pub draft_id: String,
    /// The version it answers: the one circulated for consideration.
    pub version: i32,
    /// The stance.
    pub stance: Stance,
    /// A reservation's wording (required for one), or remarks.
    pub text: Option<String>,
}

/// One member state's line in the table of stances on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceView {
    /// The member state, e.g. `KAZ`.
    pub org_code: String,
    /// Its stance; `None` while it has not answered.
    pub stance: Option<Stance>,
    /// A reservation's wording, or remarks.
    pub text: Option<String>,
    /// Who recorded it, and when.
    pub recorded: Option<(String, DateTime<Utc>)>,
    /// For an objection withdrawn at a meeting: who recorded that, when,
    /// and the remark.
    pub withdrawn: Option<(String, DateTime<Utc>, Option<String>)>,
}

impl StanceView {
    /// Whether this is an objection that still stands.
    pub fn objects(&self) -> bool {
        self.stance == Some(Stance::Objection) && self.withdrawn.is_none()
    }
}

/// The version a stance may answer: the one circulated for consideration.
fn under_consideration(snap: &Snapshot, version: i32) -> Result<()> {
    match snap.row.circulated_version {
        Some(circulated) if circulated == version => Ok(()),
        Some(circulated) => Err(WorkflowError::Conflict(format!(
            "version {version} is not the version under consideration; state a stance on version {circulated}"
        ))),
        None => Err(WorkflowError::InvalidTransition(
            "the draft has not been circulated".into(),
        )),
    }
}

fn stance_json(row: &draft_stance::Model) -> Value {
    json!({
        "stance": row.stance,
        "text": row.text,
        "withdrawnAt": row.withdrawn_at,
        "withdrawalRemark": row.withdrawal_remark,
    })
}

/// The audit record of a change of `org`'s stance on `version`.
fn stance_record(
    action: Action,
    snap: &Snapshot,
    version: i32,
    org: &str,
    before: Option<&draft_stance::Model>,
    after: Value,
) -> AuditRecord {
    AuditRecord {
        draft_id: Some(snap.row.id.clone()),
        ..AuditRecord::of(
            action,
            "stance",
            format!("{}/{version}/{org}", snap.row.id),
            before.map(stance_json),
            after,
        )
    }
}

/// The stance `new` of `actor`'s state on the draft `snap`, as recorded
/// at `now`, checked: on the version under consideration, a reservation
/// with its wording.
pub(crate) fn stance_row(
    actor: &Actor,
    snap: &Snapshot,
    new: &NewStance,
    now: DateTime<Utc>,
) -> Result<draft_stance::Model> {
    under_consideration(snap, new.version)?;
    let text = match (new.stance, new.text.as_deref()) {
        (Stance::Reservation, None) => {
            return Err(WorkflowError::bad_input(
                "a reservation needs its wording (text)",
            ));
        }
        (_, text) => text
            .map(|t| accord_domain::non_blank("text", t, MAX_STANCE_CHARS))
            .transpose()?,
    };
    Ok(draft_stance::Model {
        draft_id: new.draft_id.clone(),
        version: new.version,
        org_code: actor.org().to_string(),
        stance: new.stance.as_str().to_owned(),
        text,
        recorded_by_sub: actor.sub().to_owned(),
        recorded_by_name: actor.name().to_owned(),
        recorded_at: now,
        withdrawn_by_sub: None,
        withdrawn_by_name: None,
        withdrawn_at: None,
        withdrawal_remark: None,
    })
}

/// Records the stance `row` on the draft `snap` in `tx`, replacing the
/// state's earlier stance on that version; the audit record. The caller
/// holds the draft's row.
pub(crate) async fn put_stance(
    tx: &WriteTx,
    snap: &Snapshot,
    row: draft_stance::Model,
) -> Result<AuditRecord> {
    let before =
        draft_stance::Entity::find_by_id((row.draft_id.clone(), row.version, row.org_code.clone()))
            .one(tx.conn())
            .await?;
    use draft_stance::Column as C;
    draft_stance::Entity::insert(draft_stance::ActiveModel::from(row.clone()))
        .on_conflict(
            OnConflict::columns([C::DraftId, C::Version, C::OrgCode])
                .update_columns([
                    C::Stance,
                    C::Text,
                    C::RecordedBySub,
                    C::RecordedByName,
                    C::RecordedAt,
                    C::WithdrawnBySub,
                    C::WithdrawnByName,
                    C::WithdrawnAt,
                    C::WithdrawalRemark,
                ])
                .to_owned(),
        )
        .exec_without_returning(tx.conn())
        .await?;
    Ok(stance_record(
        Action::RecordStance,
        snap,
        row.version,
        &row.org_code,
        before.as_ref(),
        stance_json(&row),
    ))
}

impl Engine {
    /// Records the stance of the delegate's own state on the version under
    /// consideration, replacing the state's earlier stance on it.
    pub(crate) async fn record_stance(&self, actor: &Actor, new: NewStance) -> Result<Outcome> {
        let snap = self.snapshot(&new.draft_id).await?;
        check_draft(actor, Action::RecordStance, &snap)?;
        let now = self.now();
        let row = stance_row(actor, &snap, &new, now)?;
        let tx = self.store().begin_write().await?;
        let after = touch(&tx, &snap, now).await?;
        let record = put_stance(&tx, &snap, row).await?;
        tx.commit_audited(actor, record, now).await?;
        Ok(Outcome::Draft {
            draft_id: snap.row.id.clone(),
            after,
        })
    }

    /// Records that `member_state` withdrew its objection to `version` at
    /// a meeting (Secretariat), so that the SOC may agree the text.
    pub(crate) async fn record_objection_withdrawn(
        &self,
        actor: &Actor,
        draft_id: &str,
        version: i32,
        member_state: &str,
        remark: Option<String>,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        check_draft(actor, Action::RecordObjectionWithdrawn, &snap)?;
        let remark = remark
            .map(|r| accord_domain::non_blank("remark", &r, MAX_STANCE_CHARS))
            .transpose()?;
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let draft_after = touch(&tx, &snap, now).await?;
        let key = (draft_id.to_owned(), version, member_state.to_owned());
        let found = draft_stance::Entity::find_by_id(key)
            .one(tx.conn())
            .await?
            .filter(|row| row.stance == Stance::Objection.as_str() && row.withdrawn_at.is_none())
            .ok_or_else(|| {
                WorkflowError::InvalidTransition(format!(
                    "{member_state} has no standing objection to version {version}"
                ))
            })?;
        let after = draft_stance::Model {
            withdrawn_by_sub: Some(actor.sub().to_owned()),
            withdrawn_by_name: Some(actor.name().to_owned()),
            withdrawn_at: Some(now),
            withdrawal_remark: remark,
            ..found.clone()
        };
        use draft_stance::Column as C;
        let update = draft_stance::Entity::update_many()
            .filter(C::DraftId.eq(draft_id))
            .filter(C::Version.eq(version))
            .filter(C::OrgCode.eq(member_state))
            .filter(C::RecordedAt.eq(found.recorded_at))
            .filter(C::WithdrawnAt.is_null());
        expect_one(
            tx.conn(),
            crate::written::changed(update, &found, &after),
            "the stance changed meanwhile; reload it",
        )
        .await?;
        let record = stance_record(
            Action::RecordObjectionWithdrawn,
            &snap,
            version,
            member_state,
            Some(&found),
            stance_json(&after),
        );
        tx.commit_audited(actor, record, now).await?;
        Ok(Outcome::Draft {
            draft_id: snap.row.id.clone(),
            after: draft_after,
        })
    }
}

/// The member states whose objection to `version` of `draft_id` stands,
/// read in `conn` (inside the SOC's write transaction, after its
/// compare-and-set, so that a stance recorded meanwhile is seen or makes
/// one of the two `CONFLICT`).
pub(crate) async fn standing_objections<C: ConnectionTrait>(
    conn: &C,
    draft_id: &str,
    version: i32,
) -> Result<Vec<String>> {
    use draft_stance::Column as C;
    Ok(draft_stance::Entity::find()
        .filter(C::DraftId.eq(draft_id))
        .filter(C::Version.eq(version))
        .filter(C::Stance.eq(Stance::Objection.as_str()))
        .filter(C::WithdrawnAt.is_null())
        .order_by_asc(C::OrgCode)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.org_code)
        .collect())
}

impl Reader {
    /// The table of stances on `version` of a visible draft: for the
    /// Secretariat and party counterparts, one line per member state (those
    /// that have not answered too), in code order; for a member state, its
    /// own line; for anyone else, nothing.
    pub async fn stances(&self, draft: &DraftView, version: i32) -> Result<Vec<StanceView>> {
        self.check_version(draft, version)?;
        let own = self.actor().org().to_string();
        let lines: Vec<String> = match draft.facts.relation {
            Relation::HomeSecretariat | Relation::PartyCounterpart => self
                .store()
                .organizations()
                .await?
                .iter()
                .filter(|o| o.kind == OrgKind::MemberState.as_str())
                .map(|o| o.code.clone())
                .collect(),
            Relation::MemberState => vec![own],
            Relation::OtherCounterpart | Relation::Observer => return Ok(Vec::new()),
        };
        use draft_stance::Column as C;
        let mut recorded: HashMap<String, draft_stance::Model> = draft_stance::Entity::find()
            .filter(C::DraftId.eq(draft.id.as_str()))
            .filter(C::Version.eq(version))
            .filter(C::OrgCode.is_in(lines.clone()))
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(|row| (row.org_code.clone(), row))
            .collect();
        let mut out = Vec::with_capacity(lines.len());
        for code in lines {
            out.push(match recorded.remove(&code) {
                None => StanceView {
                    org_code: code,
                    stance: None,
                    text: None,
                    recorded: None,
                    withdrawn: None,
                },
                Some(row) => StanceView {
                    stance: Some(row.stance.parse().map_err(|_| {
                        WorkflowError::Corrupt(format!("stance of {code}: {}", row.stance))
                    })?),
                    org_code: code,
                    text: row.text,
                    recorded: Some((row.recorded_by_name, row.recorded_at)),
                    withdrawn: match (row.withdrawn_by_name, row.withdrawn_at) {
                        (Some(name), Some(at)) => Some((name, at, row.withdrawal_remark)),
                        _ => None,
                    },
                },
            });
        }
        out.sort_by(|a, b| a.org_code.cmp(&b.org_code));
        Ok(out)
    }

    /// The compilations of a visible draft circulated so far, by version.
    pub async fn circulated_compilations(
        &self,
        draft: &DraftView,
    ) -> Result<Vec<CirculatedCompilation>> {
        Ok(
            circulated_compilations(&self.conn().await?, [draft.id.clone()])
                .await?
                .remove(&draft.id)
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.version <= draft.current_version)
                .collect(),
        )
    }
}

/// Refuses a compilation that cannot be circulated: of a version not yet
/// circulated, or one already circulated.
pub(crate) async fn check_compilation<C: ConnectionTrait>(
    conn: &C,
    snap: &Snapshot,
    version: i32,
) -> Result<()> {
    let circulated = snap.row.circulated_version.unwrap_or(0);
    if !(1..=circulated).contains(&version) {
        return Err(WorkflowError::bad_input(format!(
            "version {version} has not been circulated; the latest circulated is {circulated}"
        )));
    }
    if circulated_versions(conn, &snap.row.id)
        .await?
        .contains(&version)
    {
        return Err(WorkflowError::InvalidTransition(format!(
            "the compilation of version {version} has already been circulated"
        )));
    }
    Ok(())
}

/// Records that `note_id` circulated the compilation of `version`, in `tx`.
pub(crate) async fn record_compilation(
    tx: &WriteTx,
    draft_id: &str,
    version: i32,
    note_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    compilation_circulation::Entity::insert(compilation_circulation::ActiveModel {
        draft_id: Set(draft_id.to_owned()),
        version: Set(version),
        note_id: Set(note_id.to_owned()),
        circulated_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}
