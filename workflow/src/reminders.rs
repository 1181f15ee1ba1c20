//! Reminder notes: what `plans` composes for a period (the events starting
//! in it and the documents they still lack), written as an unsent REMINDER
//! note to all member states by `reminder_note`, either on request
//! (`DraftReminder`) or by the monthly background job.
//!
//! Each month the Secretariat reminds the member states of the materials
//! due for the next month's events (SOC/19 of 8 January 2024 was about
//! February's). The job [`monthly_reminder`] runs on every scheduler tick;
//! on the first tick of a month (in Astana) whose next month has events with
//! documents not yet received, it drafts the reminder for that month as an
//! unsent REMINDER note, written by the Secretariat's scheduler
//! ([`crate::jobs::system_actor`]), for an officer to review and issue.
//!
//! Once per period, whatever the number of instances or ticks: the
//! `scheduled_reminders` row of the period is looked for and written in the
//! same write transaction as the note and its audit record. Write
//! transactions are serialised (the audit head is locked first), so a second
//! run waits for the first to commit and then finds the row; the primary key
//! on the period backs it. A period with nothing missing drafts nothing and
//! is looked at again on the next tick, so an event added later is still
//! reminded of.
//!
//! Statuses (due soon, overdue…) are computed when read, for the day read,
//! so no job has to re-evaluate them; the job reports how many documents of
//! the period are missing.

use std::sync::Arc;

use accord_domain::{Addressees, NotePurpose, NoteSeries};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::astana_date;
use crate::engine::{Engine, Outcome};
use crate::entity::scheduled_reminder;
use crate::error::{Result, WorkflowError};
use crate::jobs::JobFuture;
use crate::notes::NewNote;
use crate::permissions::Action;
use crate::plans::{Reminder, ReminderRequest, check_plan};
use crate::store::Store;

/// The job's name (its lease row).
pub const MONTHLY_REMINDER: &str = "monthly-reminder";

/// The token subject of the scheduler acting for the Secretariat, as the
/// audit log shows it.
pub const SCHEDULER_SUB: &str = "accord-scheduler";

/// The audit action of a scheduled reminder.
const ACTION: &str = "SCHEDULE_REMINDER";

impl Engine {
    /// Writes an unsent REMINDER note to all member states listing, per
    /// event starting in the period, its organisers and the documents not
    /// yet received with their due dates (Secretariat). Issued later with
    /// `issueNote`, like any note.
    pub(crate) async fn draft_reminder(
        &self,
        actor: &Actor,
        request: ReminderRequest,
    ) -> Result<Outcome> {
        check_plan(actor, Action::DraftReminder, None)?;
        let reminder = self.compose_reminder(actor, &request).await?;
        self.create_note(actor, reminder_note(&request.series, &reminder))
            .await
    }
}

/// The unsent note that sends `reminder`: a REMINDER in `series` to all
/// member states, dated in Astana, citing and enclosing nothing.
fn reminder_note(series: &NoteSeries, reminder: &Reminder) -> NewNote {
    NewNote {
        series: series.clone(),
        purpose: NotePurpose::Reminder,
        place: None,
        addressees: Addressees::AllMemberStates,
        subject: reminder.subject.clone(),
        body: reminder.body.clone(),
        references: Vec::new(),
        enclosures: Vec::new(),
    }
}

/// What a run of the job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// Drafted the reminder for `period` as note `note_id`.
    Drafted {
        /// `YYYY-MM`.
        period: String,
        /// The unsent note.
        note_id: String,
        /// Documents listed as missing.
        missing: usize,
    },
    /// The reminder for `period` was drafted before, as `note_id`.
    AlreadyDrafted {
        /// `YYYY-MM`.
        period: String,
        /// The note drafted then.
        note_id: String,
    },
    /// No event of `period` misses a document: nothing to remind of yet.
    NothingMissing {
        /// `YYYY-MM`.
        period: String,
        /// Events of the period.
        events: usize,
    },
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Run::Drafted {
                period,
                note_id,
                missing,
            } => write!(
                f,
                "drafted the reminder for {period} ({missing} documents missing) as note {note_id}"
            ),
            Run::AlreadyDrafted { period, note_id } => {
                write!(f, "the reminder for {period} was drafted as note {note_id}")
            }
            Run::NothingMissing { period, events } => write!(
                f,
                "nothing to remind of for {period} ({events} events, no document missing)"
            ),
        }
    }
}

/// The month a reminder drafted on `today` covers: the next one, as its
/// first and last days.
pub fn period_after(today: NaiveDate) -> Result<(NaiveDate, NaiveDate)> {
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .ok_or_else(|| WorkflowError::bad_input(format!("no month follows {today}")))?;
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| WorkflowError::bad_input(format!("no month follows {first}")))?;
    Ok((first, last))
}

/// Drafts, at `now`, the reminder for the next month's events in `series`
/// unless it was drafted before or nothing is missing.
pub async fn draft_for_next_month(
    store: &Store,
    series: &NoteSeries,
    now: DateTime<Utc>,
) -> Result<Run> {
    let (from, to) = period_after(astana_date(now))?;
    let period = from.format("%Y-%m").to_string();
    // Most ticks find the month done: say so without composing anything.
    if let Some(note_id) = drafted(store.db(), &period).await? {
        return Ok(Run::AlreadyDrafted { period, note_id });
    }
    let actor = crate::jobs::system_actor(store, SCHEDULER_SUB, "Scheduled reminders").await?;
    let engine = Engine::with_clock(store.clone(), Arc::new(move || now));
    let request = ReminderRequest {
        from,
        to,
        series: series.clone(),
    };
    // Composing reads only; the decision to write is taken below, under
    // the write lock.
    let reminder = engine.compose_reminder(&actor, &request).await?;
    if reminder.missing == 0 {
        return Ok(Run::NothingMissing {
            period,
            events: reminder.events,
        });
    }
    let note = reminder_note(series, &reminder);
    let checked = engine.check_new_note(&actor, &note).await?;
    let mut tx = store.begin_write().await?;
    // The check that counts: under the write lock, another run may have
    // drafted the month since the look above.
    if let Some(note_id) = drafted(tx.conn(), &period).await? {
        // Nothing written: dropping the transaction rolls it back.
        return Ok(Run::AlreadyDrafted { period, note_id });
    }
    let note_id = engine.insert_note(&mut tx, &actor, &note, &checked).await?;
    scheduled_reminder::Entity::insert(scheduled_reminder::ActiveModel {
        period: Set(period.clone()),
        note_id: Set(note_id.clone()),
        drafted_at: Set(crate::clock::stamp(now)),
    })
    .exec_without_returning(tx.conn())
    .await?;
    tx.commit_audited(
        &actor,
        AuditRecord {
            action: ACTION.into(),
            entity_type: "scheduled_reminder",
            entity_id: period.clone(),
            after: Some(json!({
                "period": period,
                "from": from,
                "to": to,
                "note": note_id,
                "missing": reminder.missing,
            })),
            ..AuditRecord::default()
        },
        now,
    )
    .await?;
    Ok(Run::Drafted {
        period,
        note_id,
        missing: reminder.missing,
    })
}

/// The note drafted for `period` (`YYYY-MM`), if one was.
async fn drafted<C: ConnectionTrait>(conn: &C, period: &str) -> Result<Option<String>> {
    Ok(scheduled_reminder::Entity::find_by_id(period.to_owned())
        .one(conn)
        .await?
        .map(|row| row.note_id))
}

/// The job: [`draft_for_next_month`] in `series` at each tick's instant.
pub fn monthly_reminder(
    series: NoteSeries,
) -> impl Fn(Store, DateTime<Utc>) -> JobFuture + Send + Sync + 'static {
    move |store, now| {
        let series = series.clone();
        Box::pin(async move {
            draft_for_next_month(&store, &series, now)
                .await
                .map(|run| run.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_period_is_the_next_month() {
        assert_eq!(
            period_after(day(2024, 1, 8)).unwrap(),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
        assert_eq!(
            period_after(day(2024, 12, 31)).unwrap(),
            (day(2025, 1, 1), day(2025, 1, 31))
        );
        assert_eq!(
            period_after(day(2025, 1, 31)).unwrap(),
            (day(2025, 2, 1), day(2025, 2, 28))
        );
    }

    #[test]
    fn a_run_says_what_it_did() {
        let run = Run::Drafted {
            period: "2024-02".into(),
            note_id: "n".into(),
            missing: 3,
        };
        assert_eq!(
            run.to_string(),
            "drafted the reminder for 2024-02 (3 documents missing) as note n"
        );
    }
}
