//! Recording plans, events, submission rules and submissions: each
//! command checked by `permissions::decide_on_plan` and written with its
//! audit record; an event's dates set its due dates (`super::due`).

use accord_domain::{
    DocumentKind, EventDates, EventStatus, OrgCode, OrgKind, SubmissionRule, Texts,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::due::{Basis, set_due_dates};
use super::{MAX_EVENTS, MAX_ORGANISERS, MAX_PLAN_TEXT_CHARS, check_plan, find_plan};
use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::astana_date;
use crate::db::is_id;
use crate::db::{from_json, to_json};
use crate::engine::{Engine, Outcome};
use crate::entity::{
    decision, plan, plan_event, plan_event_change, plan_event_organiser, submission,
    submission_rule,
};
use crate::error::{Result, WorkflowError};
use crate::events::{StoredFile, check_member_states, find_event, parse_status};
use crate::permissions::{Action, EventFacts};
use crate::store::{WriteTx, expect_one};

/// A plan to create.
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// The year it covers.
    pub year: i32,
    /// Its title per language.
    pub title: Texts,
    /// The decision that approved it, if recorded.
    pub decision_id: Option<String>,
}

/// A change to a plan; `None` keeps a field.
#[derive(Debug, Clone)]
pub struct PlanChange {
    /// The plan.
    pub plan_id: String,
    /// The new title.
    pub title: Option<Texts>,
    /// The approving decision.
    pub decision_id: Option<String>,
}

/// An event to add to a plan.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The plan.
    pub plan_id: String,
    /// The title per language.
    pub title: Texts,
    /// The organising member states.
    pub organisers: Vec<OrgCode>,
    /// First and last day.
    pub dates: EventDates,
    /// Where, if known.
    pub venue: Option<String>,
    /// The CBM area, e.g. "New challenges and threats".
    pub cbm_area: Option<String>,
}

/// A change to an event's practical details; `None` keeps a field.
#[derive(Debug, Clone)]
pub struct EventDetails {
    /// The event.
    pub event_id: String,
    /// The venue.
    pub venue: Option<String>,
    /// Practical notes.
    pub notes: Option<String>,
}

/// New dates for an event.
#[derive(Debug, Clone)]
pub struct EventMove {
    /// The event.
    pub event_id: String,
    /// The new dates.
    pub dates: EventDates,
    /// Why, recorded with the change.
    pub reason: String,
}

/// Re-basing an event on the rules in force today.
#[derive(Debug, Clone)]
pub struct EventRebase {
    /// The event.
    pub event_id: String,
    /// Why.
    pub reason: String,
}

/// A change of an event's status.
#[derive(Debug, Clone)]
pub struct EventStatusChange {
    /// The event.
    pub event_id: String,
    /// `POSTPONED` (with `dates`), `HELD` or `CANCELLED`.
    pub status: EventStatus,
    /// The new dates of a postponed event.
    pub dates: Option<EventDates>,
    /// Why.
    pub reason: Option<String>,
}

/// A submission rule adopted by a decision.
#[derive(Debug, Clone)]
pub struct NewRule {
    /// The rule.
    pub rule: SubmissionRule,
    /// The decision adopting it, if recorded.
    pub decision_id: Option<String>,
    /// The day it was adopted.
    pub adopted_on: NaiveDate,
    /// The adopting document's title, if any.
    pub title: Option<Texts>,
    /// How a note cites the adopting document, per language, with `{date}`
    /// for the adoption date (e.g. "the General guidelines … adopted by the
    /// SOC on {date}"); the reminders recall the rule in these words.
    pub citation: Option<Texts>,
}

/// A document received for an event.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    /// The event.
    pub event_id: String,
    /// Which document.
    pub kind: DocumentKind,
    /// The day it was received (Astana); today when `None`.
    pub received_on: Option<NaiveDate>,
    /// The upload (`uploadFile`) the document's file came from, if any.
    pub upload_id: Option<String>,
    /// Free remarks, e.g. "received by note verbale No. 12".
    pub remarks: Option<String>,
}

impl Engine {
    /// Starts the plan of a year (Secretariat); one plan per year.
    pub(crate) async fn create_plan(&self, actor: &Actor, new: NewPlan) -> Result<Outcome> {
        check_plan(actor, Action::CreatePlan, None)?;
        check_texts("title", &new.title)?;
        if !(2000..=2100).contains(&new.year) {
            return Err(WorkflowError::bad_input(
                "year must be between 2000 and 2100",
            ));
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        if let Some(id) = &new.decision_id {
            known_decision(tx.conn(), id).await?;
        }
        if plan::Entity::find()
            .filter(plan::Column::Year.eq(new.year))
            .one(tx.conn())
            .await?
            .is_some()
        {
            return Err(WorkflowError::bad_input(format!(
                "the plan for {} already exists; edit it instead",
                new.year
            )));
        }
        let id = uuid::Uuid::now_v7().to_string();
        plan::Entity::insert(plan::ActiveModel {
            id: Set(id.clone()),
            year: Set(new.year),
            title: Set(to_json(&new.title)?),
            decision_id: Set(new.decision_id.clone()),
            created_at: Set(now),
            revision: Set(1),
        })
        .exec_without_returning(tx.conn())
        .await?;
        audit(
            &mut tx,
            actor,
            Action::CreatePlan,
            "plan",
            &id,
            None,
            json!({ "year": new.year, "title": new.title, "decision": new.decision_id }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Plan { plan_id: id })
    }

    /// Changes a plan's title or approving decision (Secretariat).
    pub(crate) async fn edit_plan(&self, actor: &Actor, change: PlanChange) -> Result<Outcome> {
        check_plan(actor, Action::EditPlan, None)?;
        if let Some(title) = &change.title {
            check_texts("title", title)?;
        }
        if change.title.is_none() && change.decision_id.is_none() {
            return Err(WorkflowError::bad_input(
                "give a title, a decision or both to change",
            ));
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_plan(tx.conn(), &change.plan_id).await?;
        let mut update = plan::Entity::update_many()
            .col_expr(plan::Column::Revision, Expr::value(row.revision + 1))
            .filter(plan::Column::Id.eq(row.id.as_str()))
            .filter(plan::Column::Revision.eq(row.revision));
        if let Some(title) = &change.title {
            update = update.col_expr(plan::Column::Title, Expr::value(to_json(title)?));
        }
        if let Some(id) = &change.decision_id {
            known_decision(tx.conn(), id).await?;
            update = update.col_expr(plan::Column::DecisionId, Expr::value(id.as_str()));
        }
        expect_one(tx.conn(), update, "the plan changed meanwhile").await?;
        audit(
            &mut tx,
            actor,
            Action::EditPlan,
            "plan",
            &row.id,
            Some(json!({ "title": from_json::<Texts>(&row.title, "plan title")?, "decision": row.decision_id })),
            json!({ "title": change.title, "decision": change.decision_id }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Plan { plan_id: row.id })
    }

    /// Adds an event at the end of a plan (Secretariat) and sets its due
    /// dates from the rules in force today.
    pub(crate) async fn add_event(&self, actor: &Actor, new: NewEvent) -> Result<Outcome> {
        check_plan(actor, Action::AddEvent, None)?;
        check_texts("title", &new.title)?;
        let venue = optional_line("venue", new.venue.as_deref())?;
        let cbm_area = optional_line("CBM area", new.cbm_area.as_deref())?;
        if new.organisers.is_empty() || new.organisers.len() > MAX_ORGANISERS {
            return Err(WorkflowError::bad_input(format!(
                "an event has between 1 and {MAX_ORGANISERS} organising member states"
            )));
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let plan_row = find_plan(tx.conn(), &new.plan_id).await?;
        check_member_states(tx.conn(), &new.organisers).await?;
        let count = plan_event::Entity::find()
            .filter(plan_event::Column::PlanId.eq(plan_row.id.as_str()))
            .count(tx.conn())
            .await?;
        if count as usize >= MAX_EVENTS {
            return Err(WorkflowError::bad_input(format!(
                "a plan holds at most {MAX_EVENTS} events"
            )));
        }
        let id = uuid::Uuid::now_v7().to_string();
        plan_event::Entity::insert(plan_event::ActiveModel {
            id: Set(id.clone()),
            plan_id: Set(plan_row.id.clone()),
            position: Set(count as i32 + 1),
            title: Set(to_json(&new.title)?),
            start_date: Set(new.dates.start()),
            end_date: Set(new.dates.end()),
            venue: Set(venue.clone()),
            notes: Set(None),
            cbm_area: Set(cbm_area.clone()),
            status: Set(EventStatus::Planned.as_str().to_owned()),
            created_at: Set(now),
            revision: Set(1),
        })
        .exec_without_returning(tx.conn())
        .await?;
        let mut organisers: Vec<String> = new.organisers.iter().map(ToString::to_string).collect();
        organisers.sort();
        organisers.dedup();
        plan_event_organiser::Entity::insert_many(organisers.iter().map(|code| {
            plan_event_organiser::ActiveModel {
                event_id: Set(id.clone()),
                org_code: Set(code.clone()),
            }
        }))
        .exec_without_returning(tx.conn())
        .await?;
        let due = set_due_dates(&tx, &id, new.dates, Basis::InForce, "event added", now).await?;
        audit(
            &mut tx,
            actor,
            Action::AddEvent,
            "event",
            &id,
            None,
            json!({
                "plan": plan_row.id,
                "position": count + 1,
                "title": new.title,
                "organisers": organisers,
                "start": new.dates.start(),
                "end": new.dates.end(),
                "venue": venue,
                "cbmArea": cbm_area,
                "due": due,
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Event { event_id: id })
    }

    /// Changes an event's venue or notes (Secretariat, or a delegate of an
    /// organising state).
    pub(crate) async fn edit_event(&self, actor: &Actor, change: EventDetails) -> Result<Outcome> {
        let venue = optional_line("venue", change.venue.as_deref())?;
        let notes = optional_text("notes", change.notes.as_deref())?;
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_event(tx.conn(), &change.event_id).await?;
        check_event(tx.conn(), actor, Action::EditEvent, &row).await?;
        if venue.is_none() && notes.is_none() {
            return Err(WorkflowError::bad_input(
                "give a venue, notes or both to change",
            ));
        }
        let mut update = bump(&row);
        if let Some(venue) = &venue {
            update = update.col_expr(plan_event::Column::Venue, Expr::value(venue.as_str()));
        }
        if let Some(notes) = &notes {
            update = update.col_expr(plan_event::Column::Notes, Expr::value(notes.as_str()));
        }
        expect_one(tx.conn(), update, "the event changed meanwhile").await?;
        audit(
            &mut tx,
            actor,
            Action::EditEvent,
            "event",
            &row.id,
            Some(json!({ "venue": row.venue, "notes": row.notes })),
            json!({ "venue": venue.or(row.venue.clone()), "notes": notes.or(row.notes.clone()) }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Event { event_id: row.id })
    }

    /// Moves an event to new dates (Secretariat); its due dates follow
    /// under the rules they were computed from.
    pub(crate) async fn move_event(&self, actor: &Actor, change: EventMove) -> Result<Outcome> {
        check_plan(actor, Action::MoveEvent, None)?;
        let reason = required_text("reason", &change.reason)?;
        self.change_dates(
            actor,
            &change.event_id,
            Action::MoveEvent,
            "MOVED",
            None,
            Some(change.dates),
            Some(reason),
            Basis::Kept,
        )
        .await
    }

    /// Recomputes an event's due dates under the rules in force today
    /// (Secretariat).
    pub(crate) async fn rebase_event(&self, actor: &Actor, change: EventRebase) -> Result<Outcome> {
        check_plan(actor, Action::RebaseEvent, None)?;
        let reason = required_text("reason", &change.reason)?;
        self.change_dates(
            actor,
            &change.event_id,
            Action::RebaseEvent,
            "REBASED",
            None,
            None,
            Some(reason),
            Basis::InForce,
        )
        .await
    }

    /// Marks an event postponed (to new dates), held or cancelled
    /// (Secretariat). A cancelled event changes no more; a held one is not
    /// postponed.
    pub(crate) async fn set_event_status(
        &self,
        actor: &Actor,
        change: EventStatusChange,
    ) -> Result<Outcome> {
        check_plan(actor, Action::SetEventStatus, None)?;
        let reason = optional_text("reason", change.reason.as_deref())?;
        let dates = match (change.status, change.dates) {
            (EventStatus::Postponed, Some(dates)) => Some(dates),
            (EventStatus::Postponed, None) => {
                return Err(WorkflowError::bad_input(
                    "a postponed event needs its new start and end dates",
                ));
            }
            (EventStatus::Held | EventStatus::Cancelled, None) => None,
            (EventStatus::Held | EventStatus::Cancelled, Some(_)) => {
                return Err(WorkflowError::bad_input(
                    "only a postponed event takes new dates",
                ));
            }
            (EventStatus::Planned, _) => {
                return Err(WorkflowError::bad_input(
                    "an event becomes PLANNED only when added; use moveEvent to change its dates",
                ));
            }
        };
        self.change_dates(
            actor,
            &change.event_id,
            Action::SetEventStatus,
            change.status.as_str(),
            Some(change.status),
            dates,
            reason,
            Basis::Kept,
        )
        .await
    }

    /// The one code path that changes an event's dates or status: records
    /// the change, recomputes the due dates on `basis` and audits it.
    #[allow(clippy::too_many_arguments)]
    async fn change_dates(
        &self,
        actor: &Actor,
        event_id: &str,
        action: Action,
        kind: &str,
        status: Option<EventStatus>,
        dates: Option<EventDates>,
        reason: Option<String>,
        basis: Basis,
    ) -> Result<Outcome> {
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_event(tx.conn(), event_id).await?;
        let current = parse_status(&row.status)?;
        if current == EventStatus::Cancelled {
            return Err(WorkflowError::InvalidTransition(
                "the event is cancelled; nothing changes any more".into(),
            ));
        }
        if current == EventStatus::Held && (dates.is_some() || status.is_some()) {
            return Err(WorkflowError::InvalidTransition(
                "the event has been held; its dates and status are final".into(),
            ));
        }
        let old = EventDates::new(row.start_date, row.end_date)?;
        let new = dates.unwrap_or(old);
        let mut update = bump(&row)
            .col_expr(plan_event::Column::StartDate, Expr::value(new.start()))
            .col_expr(plan_event::Column::EndDate, Expr::value(new.end()));
        if let Some(status) = status {
            update = update.col_expr(plan_event::Column::Status, Expr::value(status.as_str()));
        }
        expect_one(tx.conn(), update, "the event changed meanwhile").await?;
        plan_event_change::Entity::insert(plan_event_change::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            event_id: Set(row.id.clone()),
            kind: Set(kind.to_owned()),
            from_start: Set(old.start()),
            from_end: Set(old.end()),
            to_start: Set(new.start()),
            to_end: Set(new.end()),
            reason: Set(reason.clone()),
            recorded_by: Set(actor.sub().to_owned()),
            at: Set(now),
        })
        .exec_without_returning(tx.conn())
        .await?;
        let why = match &reason {
            Some(reason) => format!("{} ({kind}): {reason}", action.as_str()),
            None => format!("{} ({kind})", action.as_str()),
        };
        let due = set_due_dates(&tx, &row.id, new, basis, &why, now).await?;
        audit(
            &mut tx,
            actor,
            action,
            "event",
            &row.id,
            Some(json!({ "status": row.status, "start": old.start(), "end": old.end() })),
            json!({
                "status": status.map_or(row.status.as_str(), |s| s.as_str()),
                "start": new.start(),
                "end": new.end(),
                "reason": reason,
                "due": due,
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Event { event_id: row.id })
    }

    /// Records a submission rule adopted by a decision (Secretariat). Two
    /// rules for one kind in force from the same day are refused.
    pub(crate) async fn adopt_rule(&self, actor: &Actor, new: NewRule) -> Result<Outcome> {
        check_plan(actor, Action::AdoptSubmissionRule, None)?;
        if let Some(title) = &new.title {
            check_texts("title", title)?;
        }
        if let Some(citation) = &new.citation {
            check_texts("citation", citation)?;
            if let Some((lang, _)) = citation.iter().find(|(_, text)| !text.contains("{date}")) {
                return Err(WorkflowError::bad_input(format!(
                    "the {lang} citation must say where the adoption date goes, with {{date}}"
                )));
            }
        }
        if new.adopted_on > new.rule.in_force_from {
            return Err(WorkflowError::bad_input(
                "a rule cannot be in force before it was adopted",
            ));
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        if let Some(id) = &new.decision_id {
            known_decision(tx.conn(), id).await?;
        }
        let clash = submission_rule::Entity::find()
            .filter(submission_rule::Column::Kind.eq(new.rule.kind.as_str()))
            .filter(submission_rule::Column::InForceFrom.eq(new.rule.in_force_from))
            .one(tx.conn())
            .await?;
        if clash.is_some() {
            return Err(WorkflowError::bad_input(format!(
                "a rule for {} is already in force from {}",
                new.rule.kind, new.rule.in_force_from
            )));
        }
        let id = uuid::Uuid::now_v7().to_string();
        submission_rule::Entity::insert(submission_rule::ActiveModel {
            id: Set(id.clone()),
            kind: Set(new.rule.kind.as_str().to_owned()),
            anchor: Set(new.rule.anchor.as_str().to_owned()),
            offset_days: Set(new.rule.offset_days),
            in_force_from: Set(new.rule.in_force_from),
            decision_id: Set(new.decision_id.clone()),
            adopted_on: Set(new.adopted_on),
            title: Set(new.title.as_ref().map(to_json).transpose()?),
            citation: Set(new.citation.as_ref().map(to_json).transpose()?),
        })
        .exec_without_returning(tx.conn())
        .await?;
        audit(
            &mut tx,
            actor,
            Action::AdoptSubmissionRule,
            "submission_rule",
            &id,
            None,
            json!({
                "kind": new.rule.kind,
                "anchor": new.rule.anchor,
                "offsetDays": new.rule.offset_days,
                "inForceFrom": new.rule.in_force_from,
                "decision": new.decision_id,
                "adoptedOn": new.adopted_on,
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Rule { rule_id: id })
    }

    /// Records a document received for an event as its next revision
    /// (Secretariat, or a delegate of an organising state).
    pub(crate) async fn record_submission(
        &self,
        actor: &Actor,
        new: NewSubmission,
    ) -> Result<Outcome> {
        let remarks = optional_text("remarks", new.remarks.as_deref())?;
        let now = self.now();
        let today = astana_date(now);
        let received_on = new.received_on.unwrap_or(today);
        if received_on > today {
            return Err(WorkflowError::bad_input(format!(
                "received on {received_on} is after today ({today} in Astana)"
            )));
        }
        let mut tx = self.store().begin_write().await?;
        let row = find_event(tx.conn(), &new.event_id).await?;
        check_event(tx.conn(), actor, Action::RecordSubmission, &row).await?;
        if parse_status(&row.status)? == EventStatus::Cancelled {
            return Err(WorkflowError::InvalidTransition(
                "the event is cancelled; nothing is due for it".into(),
            ));
        }
        // Inside the write lock: concurrent recordings are serialised and
        // each takes the next revision.
        let last = submission::Entity::find()
            .filter(submission::Column::EventId.eq(row.id.as_str()))
            .filter(submission::Column::Kind.eq(new.kind.as_str()))
            .order_by_desc(submission::Column::Revision)
            .one(tx.conn())
            .await?
            .map_or(0, |s| s.revision);
        let upload = match new.upload_id.as_deref() {
            Some(upload_id) => Some(attachable_upload(tx.conn(), actor, upload_id).await?),
            None => None,
        };
        let id = uuid::Uuid::now_v7().to_string();
        let file = upload.as_ref().map(|u| StoredFile {
            sha256: u.sha256.clone(),
            size: u.size,
            content_type: u.content_type.clone(),
            file_name: u.file_name.clone(),
        });
        submission::Entity::insert(submission::ActiveModel {
            id: Set(id.clone()),
            event_id: Set(row.id.clone()),
            kind: Set(new.kind.as_str().to_owned()),
            revision: Set(last + 1),
            received_on: Set(received_on),
            recorded_by: Set(actor.sub().to_owned()),
            recorded_by_org: Set(actor.org().to_string()),
            sha256: Set(file.as_ref().map(|f| f.sha256.clone())),
            size: Set(file.as_ref().map(|f| f.size)),
            content_type: Set(file.as_ref().map(|f| f.content_type.clone())),
            file_name: Set(file.as_ref().map(|f| f.file_name.clone())),
            remarks: Set(remarks.clone()),
            upload_id: Set(upload.as_ref().map(|u| u.id.clone())),
            created_at: Set(now),
        })
        .exec_without_returning(tx.conn())
        .await?;
        audit(
            &mut tx,
            actor,
            Action::RecordSubmission,
            "submission",
            &id,
            None,
            json!({
                "event": row.id,
                "kind": new.kind,
                "revision": last + 1,
                "receivedOn": received_on,
                "upload": upload.as_ref().map(|u| &u.id),
                "sha256": file.as_ref().map(|f| &f.sha256),
                "remarks": remarks,
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Submission {
            submission_id: id,
            event_id: row.id,
        })
    }
}

/// Decides an action on an event, knowing whether the actor's
/// organisation organises it.
async fn check_event<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    action: Action,
    event: &plan_event::Model,
) -> Result<()> {
    let organiser = actor.org_kind() == OrgKind::MemberState
        && plan_event_organiser::Entity::find()
            .filter(plan_event_organiser::Column::EventId.eq(event.id.as_str()))
            .filter(plan_event_organiser::Column::OrgCode.eq(actor.org().as_str()))
            .one(conn)
            .await?
            .is_some();
    check_plan(actor, action, Some(&EventFacts { organiser }))
}

fn bump(row: &plan_event::Model) -> sea_orm::UpdateMany<plan_event::Entity> {
    plan_event::Entity::update_many()
        .col_expr(plan_event::Column::Revision, Expr::value(row.revision + 1))
        .filter(plan_event::Column::Id.eq(row.id.as_str()))
        .filter(plan_event::Column::Revision.eq(row.revision))
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    tx: &mut WriteTx,
    actor: &Actor,
    action: Action,
    entity_type: &'static str,
    id: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.audit(
        actor,
        AuditRecord {
            action: action.as_str().into(),
            entity_type,
            entity_id: id.to_owned(),
            before,
            after: Some(after),
            ..AuditRecord::default()
        },
        now,
    )
    .await
}

fn check_texts(field: &str, texts: &Texts) -> Result<()> {
    for (lang, text) in texts.iter() {
        if text.chars().count() > MAX_PLAN_TEXT_CHARS {
            return Err(WorkflowError::bad_input(format!(
                "the {lang} {field} is longer than {MAX_PLAN_TEXT_CHARS} characters"
            )));
        }
    }
    Ok(())
}

fn required_text(field: &'static str, given: &str) -> Result<String> {
    Ok(accord_domain::non_blank(field, given, MAX_PLAN_TEXT_CHARS)?)
}

/// An optional one-line text (a venue, an area).
fn optional_line(field: &'static str, given: Option<&str>) -> Result<Option<String>> {
    given
        .map(|g| accord_domain::one_line(field, g, MAX_PLAN_TEXT_CHARS))
        .transpose()
        .map_err(Into::into)
}

fn optional_text(field: &'static str, given: Option<&str>) -> Result<Option<String>> {
    given.map(|g| required_text(field, g)).transpose()
}

/// The upload `id`, if the actor may attach it to a submission: an upload
/// made by the actor's own organisation, or any upload when the actor is the
/// Secretariat (which records documents received by other means). An
/// unknown id is bad input; another organisation's upload is forbidden.
async fn attachable_upload<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: &str,
) -> Result<crate::blobs::StoredFile> {
    let Some(upload) = crate::blobs::find_upload(conn, id).await? else {
        return Err(WorkflowError::bad_input(format!("no upload {id}")));
    };
    let own = upload.uploaded_by_org == actor.org().as_str();
    if !own && actor.org_kind() != OrgKind::Secretariat {
        return Err(WorkflowError::Forbidden(format!(
            "upload {id} was made by another organisation"
        )));
    }
    Ok(upload)
}

async fn known_decision<C: ConnectionTrait>(conn: &C, id: &str) -> Result<()> {
    if is_id(id)
        && decision::Entity::find_by_id(id.to_owned())
            .one(conn)
            .await?
            .is_some()
    {
        Ok(())
    } else {
        Err(WorkflowError::bad_input(format!(
            "decision {id:?} does not exist"
        )))
    }
}
