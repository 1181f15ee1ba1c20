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
//!
//! Each job has its file: `write` records plans, events, rules and
//! submissions; `due` reads the rules and computes an event's due dates;
//! `dashboard` reads the due documents and a plan's compliance;
//! `reminders` writes the words of the reminder for a period. Events as
//! read are in `crate::events`, shared with the calendar feeds.

use accord_domain::Texts;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::actor::Actor;
use crate::db::from_json;
use crate::entity::{plan, plan_event};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action, EventFacts};
use crate::read::Reader;
use crate::store::find_by_id;

mod dashboard;
mod due;
mod reminders;
mod write;

pub use crate::events::{
    EventChange, EventFilter, EventRecord, RequiredDocument, StoredFile, SubmissionRecord,
};
pub use dashboard::{Compliance, DueDocument, DueFilter, Tally};
pub use due::RuleRecord;
pub(crate) use reminders::Reminder;
pub use reminders::ReminderRequest;
pub use write::{
    EventDetails, EventMove, EventRebase, EventStatusChange, NewEvent, NewPlan, NewRule,
    NewSubmission, PlanChange,
};

/// The Secretariat's time zone, in which due dates and statuses are days.
pub const TIME_ZONE: &str = "Asia/Almaty, UTC+05:00";
/// The longest title, venue, notes or CBM area, per language, in characters.
pub const MAX_PLAN_TEXT_CHARS: usize = 2_000;
/// The most organising states of one event.
pub const MAX_ORGANISERS: usize = 28;
/// The most events of one plan.
pub const MAX_EVENTS: usize = 200;

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
}

/// Decides a plan action (on no event when `event` is `None`) and turns a
/// refusal into the error the client sees.
pub(crate) fn check_plan(actor: &Actor, action: Action, event: Option<&EventFacts>) -> Result<()> {
    Ok(permissions::decide_on_plan(actor, action, event)?)
}

async fn find_plan<C: ConnectionTrait>(conn: &C, id: &str) -> Result<plan::Model> {
    find_by_id::<plan::Entity, _>(conn, id, "plan").await
}
