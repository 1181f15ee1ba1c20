//! Plans of Implementation of confidence building measures: plans, their
//! events, the submission rules adopted by the SOC, the due dates they give
//! each event, the documents received, and the words of the reminder the
//! Secretariat sends about what is missing (`reminders` sends it as a note).
//!
//! - A plan is one per year, approved by a decision. Its events are
//!   numbered 1…n in the order added, organised by one or more member
//!   states.
//! - Submission rules are data (`submission_rules`): per document kind, an
//!   anchor (start or end of the event) and a signed offset in days, in
//!   force from a date. An event's due dates are computed when it is added,
//!   from the rules in force on that day (Astana), and remember the rule
//!   they came from: moving or postponing the event recomputes them under
//!   the same rules, and only `rebaseEvent` picks the rules in force today.
//!   Every recomputation that changes a due date writes a
//!   `due_date_changes` row saying why.
//! - Submissions are never overwritten: each is a new revision 1, 2, … per
//!   (event, kind), taken inside the write lock, so concurrent recordings
//!   never share a number (a unique index backs it). The first revision's
//!   day of receipt decides whether the document came on time.
//! - Statuses (`accord_domain::status`) are computed when read, for a day
//!   in Astana (today unless asked otherwise), never stored.
//! - Everyone authenticated reads plans, events and submissions (the
//!   Guidelines share the documents "with all Member States").

use std::collections::{BTreeMap, HashMap};

use accord_domain::{
    DocumentKind, DocumentStatus, EventDates, EventStatus, Lang, NoteSeries, OrgCode, OrgKind,
    RuleAnchor, SubmissionRule, Texts, format_date,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::astana_date;
use crate::db::is_id;
use crate::db::{from_json, to_json};
use crate::engine::{Engine, Outcome};
use crate::entity::{
    decision, due_date, due_date_change, plan, plan_event, plan_event_change, plan_event_organiser,
    submission, submission_rule,
};
use crate::error::{Result, WorkflowError};
use crate::events::{check_member_states, find_event, parse_kind, parse_status};
use crate::permissions::{self, Action, EventFacts};
use crate::read::Reader;
use crate::store::{WriteTx, expect_one, find_by_id};

pub use crate::events::{
    EventChange, EventFilter, EventRecord, RequiredDocument, StoredFile, SubmissionRecord,
};

/// The Secretariat's time zone, in which due dates and statuses are days.
pub const TIME_ZONE: &str = "Asia/Almaty, UTC+05:00";
/// The longest title, venue, notes or CBM area, per language, in characters.
pub const MAX_PLAN_TEXT_CHARS: usize = 2_000;
/// The most organising states of one event.
pub const MAX_ORGANISERS: usize = 28;
/// The most events of one plan.
pub const MAX_EVENTS: usize = 200;

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

/// A reminder to draft for the events starting in a period.
#[derive(Debug, Clone)]
pub struct ReminderRequest {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The note's series.
    pub series: NoteSeries,
}

/// A plan as read.
#[derive(Debug, Clone)]
pub struct PlanRecord {
    /// Its id.
    pub id: String,
    /// The year.
    pub year: i32,
    /// The title per language.
    pub title: Texts,
    /// The approving decision's id.
    pub decision_id: Option<String>,
    /// How many events it has.
    pub event_count: u64,
    /// Compared by edits.
    pub revision: i32,
}

/// A submission rule as read.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    /// Its id.
    pub id: String,
    /// The rule.
    pub rule: SubmissionRule,
    /// The adopting decision's id.
    pub decision_id: Option<String>,
    /// The day adopted.
    pub adopted_on: NaiveDate,
    /// The adopting document's title.
    pub title: Option<Texts>,
}

/// What the due-documents dashboard is filtered by.
#[derive(Debug, Clone, Default)]
pub struct DueFilter {
    /// Organised by this member state.
    pub organiser: Option<String>,
    /// Of this event.
    pub event_id: Option<String>,
    /// In one of these statuses (default: due soon and overdue).
    pub statuses: Vec<DocumentStatus>,
    /// Due on or after.
    pub from: Option<NaiveDate>,
    /// Due on or before.
    pub to: Option<NaiveDate>,
}

/// A required document with its event, for dashboards.
#[derive(Debug, Clone)]
pub struct DueDocument {
    /// The event.
    pub event: EventRecord,
    /// The document.
    pub document: RequiredDocument,
    /// Its status on the day asked.
    pub status: DocumentStatus,
}

/// Counts of required documents of a plan, on the day asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Received on or before the due date.
    pub on_time: u64,
    /// Received after the due date.
    pub late: u64,
    /// Not received and overdue.
    pub missing: u64,
    /// Not received and not yet overdue.
    pub pending: u64,
}

impl Tally {
    fn add(&mut self, status: DocumentStatus) {
        match status {
            DocumentStatus::SubmittedOnTime => self.on_time += 1,
            DocumentStatus::SubmittedLate => self.late += 1,
            DocumentStatus::Overdue => self.missing += 1,
            DocumentStatus::NotYetDue | DocumentStatus::DueSoon => self.pending += 1,
        }
    }
}

/// A plan's compliance on a day: per document kind and per organising state.
#[derive(Debug, Clone)]
pub struct Compliance {
    /// The plan.
    pub plan: PlanRecord,
    /// Every required document.
    pub total: Tally,
    /// Per document kind.
    pub by_kind: BTreeMap<DocumentKind, Tally>,
    /// Per organising member state (a document of an event organised by
    /// two states counts for both).
    pub by_state: BTreeMap<String, Tally>,
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

    /// The words of the reminder for `request`, written as of now, and how
    /// many documents it lists as missing.
    pub(crate) async fn compose_reminder(
        &self,
        actor: &Actor,
        request: &ReminderRequest,
    ) -> Result<Reminder> {
        if request.from > request.to {
            return Err(WorkflowError::bad_input(format!(
                "from {} is after to {}",
                request.from, request.to
            )));
        }
        let reader = Reader::new(self.store().clone(), actor.clone());
        let events = reader
            .event_rows(&EventFilter {
                from: Some(request.from),
                to: Some(request.to),
                ..EventFilter::default()
            })
            .await?;
        let events: Vec<EventRecord> = reader
            .event_records(events)
            .await?
            .into_iter()
            .filter(|e| e.start >= request.from && e.status != EventStatus::Cancelled)
            .collect();
        let names: HashMap<String, String> = self
            .store()
            .organizations()
            .await?
            .iter()
            .map(|o| (o.code.clone(), o.name.clone()))
            .collect();
        let plan_decision = reminder_context(self.store().db(), &events).await?;
        let mut subject = Vec::new();
        let mut body = Vec::new();
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            subject.push((lang, reminder_subject(lang, request.from, request.to)));
            body.push((
                lang,
                reminder_body(lang, &events, &names, plan_decision.as_ref(), request),
            ));
        }
        let missing = events
            .iter()
            .flat_map(|e| &e.documents)
            .filter(|d| d.first_received_on.is_none())
            .count();
        Ok(Reminder {
            subject: Texts::from_pairs(subject)?,
            body: Texts::from_pairs(body)?,
            events: events.len(),
            missing,
        })
    }
}

/// A reminder composed for a period: the words of its note (which
/// `reminders` writes) and what they cover.
#[derive(Debug, Clone)]
pub(crate) struct Reminder {
    /// The note's subject, per language.
    pub(crate) subject: Texts,
    /// The note's body, per language.
    pub(crate) body: Texts,
    /// How many events of the period it covers.
    pub(crate) events: usize,
    /// How many of their documents it lists as not received.
    pub(crate) missing: usize,
}

/// Which rules an event's due dates are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// The rules each due date was computed from before (the rule in force
    /// today for a kind that has none yet).
    Kept,
    /// The rules in force today.
    InForce,
}

/// Sets the due dates of `event_id` for `dates` on `basis`, writing a
/// `due_date_changes` row, with `reason`, for each one set or changed.
/// Returns the due dates as JSON for the audit record.
async fn set_due_dates(
    tx: &WriteTx,
    event_id: &str,
    dates: EventDates,
    basis: Basis,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<serde_json::Value> {
    let rules = all_rules(tx.conn()).await?;
    let existing = due_date::Entity::find()
        .filter(due_date::Column::EventId.eq(event_id))
        .all(tx.conn())
        .await?;
    let today = astana_date(now);
    let mut out = serde_json::Map::new();
    for kind in DocumentKind::ALL {
        let old = existing.iter().find(|d| d.kind == kind.as_str());
        let kept = match (basis, old) {
            (Basis::Kept, Some(old)) => rules.iter().find(|r| r.id == old.rule_id),
            _ => None,
        };
        let Some(rule) = kept.or_else(|| {
            accord_domain::rule_in_force(&rules, kind, today, |r: &RuleRecord| &r.rule)
        }) else {
            continue;
        };
        let due = accord_domain::due_date(&rule.rule, dates);
        out.insert(kind.as_str().into(), json!({ "due": due, "rule": rule.id }));
        if old.is_some_and(|o| o.due_on == due && o.rule_id == rule.id) {
            continue;
        }
        if old.is_some() {
            due_date::Entity::update_many()
                .col_expr(due_date::Column::DueOn, Expr::value(due))
                .col_expr(due_date::Column::RuleId, Expr::value(rule.id.as_str()))
                .col_expr(due_date::Column::ComputedAt, Expr::value(now))
                .filter(due_date::Column::EventId.eq(event_id))
                .filter(due_date::Column::Kind.eq(kind.as_str()))
                .exec(tx.conn())
                .await?;
        } else {
            due_date::Entity::insert(due_date::ActiveModel {
                event_id: Set(event_id.to_owned()),
                kind: Set(kind.as_str().to_owned()),
                rule_id: Set(rule.id.clone()),
                due_on: Set(due),
                computed_at: Set(now),
            })
            .exec_without_returning(tx.conn())
            .await?;
        }
        due_date_change::Entity::insert(due_date_change::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            event_id: Set(event_id.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            from_due: Set(old.map(|o| o.due_on)),
            to_due: Set(due),
            from_rule: Set(old.map(|o| o.rule_id.clone())),
            to_rule: Set(rule.id.clone()),
            reason: Set(reason.to_owned()),
            at: Set(now),
        })
        .exec_without_returning(tx.conn())
        .await?;
    }
    Ok(serde_json::Value::Object(out))
}

async fn all_rules<C: ConnectionTrait>(conn: &C) -> Result<Vec<RuleRecord>> {
    submission_rule::Entity::find()
        .order_by_asc(submission_rule::Column::Kind)
        .order_by_asc(submission_rule::Column::InForceFrom)
        .all(conn)
        .await?
        .into_iter()
        .map(rule_record)
        .collect()
}

fn rule_record(row: submission_rule::Model) -> Result<RuleRecord> {
    let rule = SubmissionRule::new(
        parse_kind(&row.kind)?,
        row.anchor
            .parse::<RuleAnchor>()
            .map_err(|e| WorkflowError::Corrupt(e.to_string()))?,
        row.offset_days,
        row.in_force_from,
    )
    .map_err(|e| WorkflowError::Corrupt(e.to_string()))?;
    Ok(RuleRecord {
        id: row.id,
        rule,
        decision_id: row.decision_id,
        adopted_on: row.adopted_on,
        title: row
            .title
            .as_deref()
            .map(|t| from_json(t, "rule title"))
            .transpose()?,
    })
}

/// Decides a plan action (on no event when `event` is `None`) and turns a
/// refusal into the error the client sees.
pub(crate) fn check_plan(actor: &Actor, action: Action, event: Option<&EventFacts>) -> Result<()> {
    Ok(permissions::decide_on_plan(actor, action, event)?)
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

async fn find_plan<C: ConnectionTrait>(conn: &C, id: &str) -> Result<plan::Model> {
    find_by_id::<plan::Entity, _>(conn, id, "plan").await
}

/// The plan decision the reminder recalls: (number, date, year) of the
/// decision approving the plan of the first event, if recorded.
async fn reminder_context<C: ConnectionTrait>(
    conn: &C,
    events: &[EventRecord],
) -> Result<Option<(String, NaiveDate, i32)>> {
    let Some(first) = events.first() else {
        return Ok(None);
    };
    let plan_row = find_plan(conn, &first.plan_id).await?;
    let Some(decision_id) = plan_row.decision_id else {
        return Ok(None);
    };
    Ok(decision::Entity::find_by_id(decision_id)
        .one(conn)
        .await?
        .map(|d| (d.number, d.date, plan_row.year)))
}

fn reminder_subject(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    let (from, to) = (format_date(lang, from), format_date(lang, to));
    match lang {
        Lang::Ru => {
            format!("Материалы к мероприятиям Плана по реализации мер доверия с {from} по {to}")
        }
        Lang::Kk => format!("Сенім шаралары жоспарының {from} – {to} іс-шараларына материалдар"),
        _ => format!(
            "Materials for the events of the Plan of Implementation of CBMs from {from} to {to}"
        ),
    }
}

fn kind_name(lang: Lang, kind: DocumentKind) -> &'static str {
    match (lang, kind) {
        (Lang::Ru, DocumentKind::ConceptPaper) => "концепция мероприятия",
        (Lang::Ru, DocumentKind::TentativeProgramme) => "предварительная программа",
        (Lang::Ru, DocumentKind::PostEventReport) => "отчет об итогах мероприятия",
        (Lang::Kk, DocumentKind::ConceptPaper) => "іс-шараның тұжырымдамасы",
        (Lang::Kk, DocumentKind::TentativeProgramme) => "алдын ала бағдарлама",
        (Lang::Kk, DocumentKind::PostEventReport) => "іс-шараның нәтижелері туралы есеп",
        (_, DocumentKind::ConceptPaper) => "concept paper",
        (_, DocumentKind::TentativeProgramme) => "tentative programme",
        (_, DocumentKind::PostEventReport) => "post-event report",
    }
}

/// The reminder's body in `lang`: the plan's decision recalled as SOC/19
/// does, then one paragraph per event (its organisers, title, dates and the
/// documents not yet received with their due dates), then the request.
fn reminder_body(
    lang: Lang,
    events: &[EventRecord],
    names: &HashMap<String, String>,
    decision: Option<&(String, NaiveDate, i32)>,
    request: &ReminderRequest,
) -> String {
    let (from, to) = (
        format_date(lang, request.from),
        format_date(lang, request.to),
    );
    let mut paragraphs = Vec::new();
    if let Some((number, date, year)) = decision {
        let date = format_date(lang, *date);
        paragraphs.push(match lang {
            Lang::Ru => format!(
                "Решением КСДЛ №{number} от {date} был утвержден План СВМДА по реализации мер доверия на {year} год, включая мероприятия, запланированные на период с {from} по {to}."
            ),
            Lang::Kk => format!(
                "АЛТК-нің {date} №{number} шешімімен {from} – {to} кезеңіне жоспарланған іс-шараларды қоса алғанда {year} жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар бекітілді."
            ),
            _ => format!(
                "By Decision No. {number} of {date}, the SOC approved the CICA Plan of Implementation of Confidence Building Measures for {year}, including events scheduled from {from} to {to}."
            ),
        });
    }
    paragraphs.push(match lang {
        Lang::Ru => "Секретариат любезно напоминает, что согласно Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА организующим мероприятия государствам-членам следует направить в Секретариат следующие материалы для рассылки всем государствам-членам:".to_owned(),
        Lang::Kk => "Хатшылық Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылығына сәйкес іс-шараларды ұйымдастыратын мүше мемлекеттер барлық мүше мемлекеттерге тарату үшін Хатшылыққа келесі материалдарды жіберуі керектігін еске салады:".to_owned(),
        _ => "The Secretariat kindly reminds that, according to the General guidelines for conducting events on implementation of CICA confidence building measures, the organizing Member States are required to submit to the Secretariat the following materials, for sharing with all Member States:".to_owned(),
    });
    let mut listed = 0;
    for event in events {
        let missing: Vec<String> = event
            .documents
            .iter()
            .filter(|d| d.first_received_on.is_none())
            .map(|d| {
                let due = format_date(lang, d.due_on);
                match lang {
                    Lang::Ru => format!("{} – до {due}", kind_name(lang, d.kind)),
                    Lang::Kk => format!("{} – {due} дейін", kind_name(lang, d.kind)),
                    _ => format!("the {} by {due}", kind_name(lang, d.kind)),
                }
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        listed += 1;
        let organisers: Vec<String> = event
            .organisers
            .iter()
            .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect();
        let title = event.title.pick(Some(lang)).unwrap_or_default();
        let (start, end) = (format_date(lang, event.start), format_date(lang, event.end));
        let when = if event.start == event.end {
            start
        } else {
            match lang {
                Lang::Ru => format!("{start} – {end}"),
                Lang::Kk => format!("{start} – {end}"),
                _ => format!("{start} to {end}"),
            }
        };
        paragraphs.push(format!(
            "{listed}. {} — «{title}», {when}: {}.",
            organisers.join(", "),
            missing.join("; ")
        ));
    }
    if listed == 0 {
        paragraphs.push(match lang {
            Lang::Ru => "Все материалы к мероприятиям этого периода получены.".to_owned(),
            Lang::Kk => "Осы кезеңдегі іс-шаралардың барлық материалдары алынды.".to_owned(),
            _ => "All materials for the events of this period have been received.".to_owned(),
        });
    }
    paragraphs.push(match lang {
        Lang::Ru => "В этой связи Секретариат просит государства-члены заблаговременно направить необходимые материалы для своевременной подготовки и участия представителей государств-членов на запланированных мероприятиях.".to_owned(),
        Lang::Kk => "Осыған байланысты Хатшылық мүше мемлекеттерден мүше мемлекеттер өкілдерінің жоспарланған іс-шараларға уақтылы дайындалуы және қатысуы үшін қажетті материалдарды алдын ала жолдауды сұрайды.".to_owned(),
        _ => "In this regard, the Secretariat requests the Member States to submit in advance the required materials for the timely preparation and participation of the Member States' representatives in the scheduled events.".to_owned(),
    });
    paragraphs.join("\n\n")
}

impl Reader {
    /// Every plan, newest year first.
    pub async fn plans(&self) -> Result<Vec<PlanRecord>> {
        let rows = plan::Entity::find()
            .order_by_desc(plan::Column::Year)
            .all(&self.conn().await?)
            .await?;
        self.plan_records(rows).await
    }

    /// The plan of `year`, or `NOT_FOUND`.
    pub async fn plan_of_year(&self, year: i32) -> Result<PlanRecord> {
        let rows = plan::Entity::find()
            .filter(plan::Column::Year.eq(year))
            .all(&self.conn().await?)
            .await?;
        self.plan_records(rows)
            .await?
            .pop()
            .ok_or_else(|| WorkflowError::NotFound(format!("no plan for {year}")))
    }

    /// One plan by id, or `NOT_FOUND`.
    pub async fn plan(&self, id: &str) -> Result<PlanRecord> {
        let row = find_plan(&self.conn().await?, id).await?;
        self.plan_records(vec![row])
            .await?
            .pop()
            .ok_or_else(|| WorkflowError::NotFound(format!("plan {id} not found")))
    }

    async fn plan_records(&self, rows: Vec<plan::Model>) -> Result<Vec<PlanRecord>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let event_count = plan_event::Entity::find()
                .filter(plan_event::Column::PlanId.eq(row.id.as_str()))
                .count(&self.conn().await?)
                .await?;
            out.push(PlanRecord {
                title: from_json(&row.title, "plan title")?,
                id: row.id,
                year: row.year,
                decision_id: row.decision_id,
                event_count,
                revision: row.revision,
            });
        }
        Ok(out)
    }

    /// Every submission rule, by kind and the day it came into force.
    pub async fn submission_rules(&self) -> Result<Vec<RuleRecord>> {
        all_rules(&self.conn().await?).await
    }

    /// The required documents matching `filter`, with their status on
    /// `day`, by due date. With no statuses given, those due soon or
    /// overdue.
    pub async fn due_documents(
        &self,
        filter: &DueFilter,
        day: NaiveDate,
        due_soon_days: u32,
    ) -> Result<Vec<DueDocument>> {
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(WorkflowError::bad_input(format!(
                "from {from} is after to {to}"
            )));
        }
        let rows = match &filter.event_id {
            Some(id) => vec![find_event(&self.conn().await?, id).await?],
            None => {
                self.event_rows(&EventFilter {
                    organiser: filter.organiser.clone(),
                    ..EventFilter::default()
                })
                .await?
            }
        };
        let statuses = if filter.statuses.is_empty() {
            vec![DocumentStatus::DueSoon, DocumentStatus::Overdue]
        } else {
            filter.statuses.clone()
        };
        let mut out = Vec::new();
        for event in self.event_records(rows).await? {
            if let Some(org) = &filter.organiser
                && !event.organisers.contains(org)
            {
                continue;
            }
            for document in &event.documents {
                let status = document.status(day, due_soon_days);
                let in_range = filter.from.is_none_or(|f| document.due_on >= f)
                    && filter.to.is_none_or(|t| document.due_on <= t);
                if in_range && statuses.contains(&status) {
                    out.push(DueDocument {
                        event: event.clone(),
                        document: document.clone(),
                        status,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            (a.document.due_on, &a.event.id, a.document.kind).cmp(&(
                b.document.due_on,
                &b.event.id,
                b.document.kind,
            ))
        });
        Ok(out)
    }

    /// The compliance of the plan of `year` on `day`.
    pub async fn plan_compliance(
        &self,
        year: i32,
        day: NaiveDate,
        due_soon_days: u32,
    ) -> Result<Compliance> {
        let plan = self.plan_of_year(year).await?;
        let events = self.plan_events(&plan.id).await?;
        let mut compliance = Compliance {
            plan,
            total: Tally::default(),
            by_kind: BTreeMap::new(),
            by_state: BTreeMap::new(),
        };
        for event in &events {
            for document in &event.documents {
                let status = document.status(day, due_soon_days);
                compliance.total.add(status);
                compliance
                    .by_kind
                    .entry(document.kind)
                    .or_default()
                    .add(status);
                for org in &event.organisers {
                    compliance
                        .by_state
                        .entry(org.clone())
                        .or_default()
                        .add(status);
                }
            }
        }
        Ok(compliance)
    }
}
