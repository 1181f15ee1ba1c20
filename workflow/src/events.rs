//! Events of the Plans of Implementation as read: [`EventRecord`], with
//! its required documents, submissions and changes, the [`EventFilter`] of
//! the listings, and the `Reader` methods that load them (one event, a
//! plan's events, a page of events, the events a filter matches). `plans`
//! (its dashboards and reminders) and `calendar` (what a feed shows) both
//! read events through here; [`check_member_states`] checks an event's
//! organisers and a calendar's member state alike.

use std::collections::HashMap;

use accord_domain::{DocumentKind, DocumentStatus, EventStatus, OrgCode, OrgKind, Texts};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Order;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::db::from_json;
use crate::entity::{
    due_date, organization, plan, plan_event, plan_event_change, plan_event_organiser, submission,
};
use crate::error::{Result, WorkflowError};
use crate::paging::{Page, Window, unknown_cursor};
use crate::read::Reader;
use crate::store::find_by_id;

/// A file in the content-addressed store, as a submission refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// SHA-256 of the content, 64 lower-case hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// The content type.
    pub content_type: String,
    /// The file name as uploaded.
    pub file_name: String,
}

/// A submission as read.
#[derive(Debug, Clone)]
pub struct SubmissionRecord {
    /// Its id.
    pub id: String,
    /// The event.
    pub event_id: String,
    /// Which document.
    pub kind: DocumentKind,
    /// 1, 2, … per (event, kind).
    pub revision: i32,
    /// The day received.
    pub received_on: NaiveDate,
    /// Who recorded it (person id).
    pub recorded_by: String,
    /// Their organisation.
    pub recorded_by_org: String,
    /// The stored file, if any.
    pub file: Option<StoredFile>,
    /// Remarks.
    pub remarks: Option<String>,
}

/// A required document of an event.
#[derive(Debug, Clone)]
pub struct RequiredDocument {
    /// Which document.
    pub kind: DocumentKind,
    /// Its due date.
    pub due_on: NaiveDate,
    /// The rule it was computed from.
    pub rule_id: String,
    /// The day the first revision was received.
    pub first_received_on: Option<NaiveDate>,
}

impl RequiredDocument {
    /// Its status on `day` with a due-soon window of `due_soon_days`.
    pub fn status(&self, day: NaiveDate, due_soon_days: u32) -> DocumentStatus {
        accord_domain::status(self.due_on, self.first_received_on, day, due_soon_days)
    }
}

/// A recorded change of an event's dates or status.
#[derive(Debug, Clone)]
pub struct EventChange {
    /// `MOVED`, `POSTPONED`, `HELD`, `CANCELLED` or `REBASED`.
    pub kind: String,
    /// Dates before.
    pub from: (NaiveDate, NaiveDate),
    /// Dates after.
    pub to: (NaiveDate, NaiveDate),
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// An event as read, with everything its dashboards need.
#[derive(Debug, Clone)]
pub struct EventRecord {
    /// Its id.
    pub id: String,
    /// The plan.
    pub plan_id: String,
    /// Its number in the plan.
    pub position: i32,
    /// The title per language.
    pub title: Texts,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Venue.
    pub venue: Option<String>,
    /// Practical notes.
    pub notes: Option<String>,
    /// CBM area.
    pub cbm_area: Option<String>,
    /// Status.
    pub status: EventStatus,
    /// Organising member states, by code.
    pub organisers: Vec<String>,
    /// The documents required, by kind (none for a cancelled event).
    pub documents: Vec<RequiredDocument>,
    /// The documents that were required until the event was cancelled
    /// (none for an event that was not): due on the days before.
    pub dropped: Vec<RequiredDocument>,
    /// Every submission, by kind and revision.
    pub submissions: Vec<SubmissionRecord>,
    /// Changes of dates and status, oldest first.
    pub changes: Vec<EventChange>,
    /// Compared by edits.
    pub revision: i32,
}

impl EventRecord {
    /// The event's status at the end of `day` (Astana): the last change of
    /// status recorded on or before it, else `PLANNED`.
    pub fn status_on(&self, day: NaiveDate) -> EventStatus {
        self.changes
            .iter()
            .rev()
            .filter(|c| crate::clock::astana_date(c.at) <= day)
            .find_map(|c| c.kind.parse::<EventStatus>().ok())
            .unwrap_or(EventStatus::Planned)
    }

    /// The documents required of the event as of `day`: those of a
    /// cancelled event count until the day it was cancelled.
    pub fn documents_on(&self, day: NaiveDate) -> Vec<&RequiredDocument> {
        let status = self.status_on(day);
        let mut all: Vec<&RequiredDocument> = self
            .documents
            .iter()
            .chain(&self.dropped)
            .filter(|d| accord_domain::is_required(status, d.kind))
            .collect();
        all.sort_by_key(|d| d.kind);
        all
    }
}

/// What the events listing is filtered by.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Ending on or after.
    pub from: Option<NaiveDate>,
    /// Starting on or before.
    pub to: Option<NaiveDate>,
    /// Organised by this member state.
    pub organiser: Option<String>,
    /// In this status.
    pub status: Option<EventStatus>,
    /// Of the plan of this year.
    pub year: Option<i32>,
}

impl Reader {
    /// One event, or `NOT_FOUND`.
    pub async fn event(&self, id: &str) -> Result<EventRecord> {
        let row = find_event(&self.conn().await?, id).await?;
        self.event_records(vec![row])
            .await?
            .pop()
            .ok_or_else(|| WorkflowError::NotFound(format!("event {id} not found")))
    }

    /// The events of a plan, in plan order.
    pub async fn plan_events(&self, plan_id: &str) -> Result<Vec<EventRecord>> {
        let rows = plan_event::Entity::find()
            .filter(plan_event::Column::PlanId.eq(plan_id))
            .order_by_asc(plan_event::Column::Position)
            .all(&self.conn().await?)
            .await?;
        self.event_records(rows).await
    }

    /// The events matching `filter`, soonest first (by start date), the
    /// page `window` asks for.
    pub async fn events_page(
        &self,
        filter: &EventFilter,
        window: &Window,
    ) -> Result<Page<EventRecord>> {
        let condition = self.event_condition(filter).await?;
        let db = &self.conn().await?;
        let total = plan_event::Entity::find()
            .filter(condition.clone())
            .count(db)
            .await?;
        let mut query = plan_event::Entity::find().filter(condition);
        if let Some(cursor) = window.cursor() {
            let at = find_event(db, cursor)
                .await
                .map_err(|_| unknown_cursor(cursor))?;
            query = query.filter(window.past(
                Order::Asc,
                plan_event::Column::StartDate,
                plan_event::Column::Id,
                (at.start_date, at.id),
            ));
        }
        let order = window.order(Order::Asc);
        let rows = query
            .order_by(plan_event::Column::StartDate, order.clone())
            .order_by(plan_event::Column::Id, order)
            .limit(window.limit())
            .all(db)
            .await?;
        let (rows, page) = window.cut(rows, total, |e| e.id.clone()).split();
        Ok(page.with(self.event_records(rows).await?))
    }

    /// Every event matching `filter`, soonest first.
    pub(crate) async fn event_rows(&self, filter: &EventFilter) -> Result<Vec<plan_event::Model>> {
        let condition = self.event_condition(filter).await?;
        Ok(plan_event::Entity::find()
            .filter(condition)
            .order_by_asc(plan_event::Column::StartDate)
            .order_by_asc(plan_event::Column::Id)
            .all(&self.conn().await?)
            .await?)
    }

    async fn event_condition(&self, filter: &EventFilter) -> Result<Condition> {
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(WorkflowError::bad_input(format!(
                "from {from} is after to {to}"
            )));
        }
        let mut c = Condition::all();
        if let Some(from) = filter.from {
            c = c.add(plan_event::Column::EndDate.gte(from));
        }
        if let Some(to) = filter.to {
            c = c.add(plan_event::Column::StartDate.lte(to));
        }
        if let Some(status) = filter.status {
            c = c.add(plan_event::Column::Status.eq(status.as_str()));
        }
        if let Some(year) = filter.year {
            let ids: Vec<String> = plan::Entity::find()
                .filter(plan::Column::Year.eq(year))
                .all(&self.conn().await?)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
            c = c.add(plan_event::Column::PlanId.is_in(ids));
        }
        if let Some(org) = &filter.organiser {
            let ids: Vec<String> = plan_event_organiser::Entity::find()
                .filter(plan_event_organiser::Column::OrgCode.eq(org.as_str()))
                .all(&self.conn().await?)
                .await?
                .into_iter()
                .map(|o| o.event_id)
                .collect();
            c = c.add(plan_event::Column::Id.is_in(ids));
        }
        Ok(c)
    }

    /// Event rows with their organisers, due dates, submissions and
    /// changes, loaded in one statement per kind.
    pub(crate) async fn event_records(
        &self,
        rows: Vec<plan_event::Model>,
    ) -> Result<Vec<EventRecord>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let db = &self.conn().await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut organisers: HashMap<String, Vec<String>> = HashMap::new();
        for o in plan_event_organiser::Entity::find()
            .filter(plan_event_organiser::Column::EventId.is_in(ids.clone()))
            .order_by_asc(plan_event_organiser::Column::OrgCode)
            .all(db)
            .await?
        {
            organisers.entry(o.event_id).or_default().push(o.org_code);
        }
        let mut submissions: HashMap<String, Vec<SubmissionRecord>> = HashMap::new();
        for s in submission::Entity::find()
            .filter(submission::Column::EventId.is_in(ids.clone()))
            .order_by_asc(submission::Column::Kind)
            .order_by_asc(submission::Column::Revision)
            .all(db)
            .await?
        {
            let record = submission_record(s)?;
            submissions
                .entry(record.event_id.clone())
                .or_default()
                .push(record);
        }
        let mut dues: HashMap<String, Vec<due_date::Model>> = HashMap::new();
        for d in due_date::Entity::find()
            .filter(due_date::Column::EventId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            dues.entry(d.event_id.clone()).or_default().push(d);
        }
        let mut changes: HashMap<String, Vec<EventChange>> = HashMap::new();
        for c in plan_event_change::Entity::find()
            .filter(plan_event_change::Column::EventId.is_in(ids))
            .order_by_asc(plan_event_change::Column::Id)
            .all(db)
            .await?
        {
            changes.entry(c.event_id).or_default().push(EventChange {
                kind: c.kind,
                from: (c.from_start, c.from_end),
                to: (c.to_start, c.to_end),
                reason: c.reason,
                at: c.at,
            });
        }
        rows.into_iter()
            .map(|row| {
                let status = parse_status(&row.status)?;
                let submitted = submissions.remove(&row.id).unwrap_or_default();
                let (mut documents, mut dropped) = (Vec::new(), Vec::new());
                for d in dues.remove(&row.id).unwrap_or_default() {
                    let kind = parse_kind(&d.kind)?;
                    let list = if accord_domain::is_required(status, kind) {
                        &mut documents
                    } else {
                        &mut dropped
                    };
                    list.push(RequiredDocument {
                        kind,
                        due_on: d.due_on,
                        rule_id: d.rule_id,
                        first_received_on: submitted
                            .iter()
                            .filter(|s| s.kind == kind)
                            .map(|s| s.received_on)
                            .min(),
                    });
                }
                documents.sort_by_key(|d| d.kind);
                dropped.sort_by_key(|d| d.kind);
                Ok(EventRecord {
                    title: from_json(&row.title, "event title")?,
                    organisers: organisers.remove(&row.id).unwrap_or_default(),
                    changes: changes.remove(&row.id).unwrap_or_default(),
                    submissions: submitted,
                    documents,
                    dropped,
                    id: row.id,
                    plan_id: row.plan_id,
                    position: row.position,
                    start: row.start_date,
                    end: row.end_date,
                    venue: row.venue,
                    notes: row.notes,
                    cbm_area: row.cbm_area,
                    status,
                    revision: row.revision,
                })
            })
            .collect()
    }
}

fn submission_record(row: submission::Model) -> Result<SubmissionRecord> {
    let file = match (row.sha256, row.size, row.content_type, row.file_name) {
        (Some(sha256), Some(size), Some(content_type), Some(file_name)) => Some(StoredFile {
            sha256,
            size,
            content_type,
            file_name,
        }),
        _ => None,
    };
    Ok(SubmissionRecord {
        kind: parse_kind(&row.kind)?,
        id: row.id,
        event_id: row.event_id,
        revision: row.revision,
        received_on: row.received_on,
        recorded_by: row.recorded_by,
        recorded_by_org: row.recorded_by_org,
        file,
        remarks: row.remarks,
    })
}

/// Event `id`, or `NOT_FOUND`.
pub(crate) async fn find_event<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<plan_event::Model> {
    find_by_id::<plan_event::Entity, _>(conn, id, "event").await
}

/// `BAD_USER_INPUT` unless every one of `codes` is a member state.
pub(crate) async fn check_member_states<C: ConnectionTrait>(
    conn: &C,
    codes: &[OrgCode],
) -> Result<()> {
    let rows = organization::Entity::find()
        .filter(organization::Column::Code.is_in(codes.iter().map(ToString::to_string)))
        .all(conn)
        .await?;
    for code in codes {
        let member = rows
            .iter()
            .any(|r| r.code == code.as_str() && r.kind == OrgKind::MemberState.as_str());
        if !member {
            return Err(WorkflowError::bad_input(format!(
                "{code} is not a member state"
            )));
        }
    }
    Ok(())
}

/// A document kind as stored; anything else is corrupt data.
pub(crate) fn parse_kind(stored: &str) -> Result<DocumentKind> {
    stored
        .parse()
        .map_err(|e: accord_domain::DomainError| WorkflowError::Corrupt(e.to_string()))
}

/// An event status as stored; anything else is corrupt data.
pub(crate) fn parse_status(stored: &str) -> Result<EventStatus> {
    stored
        .parse()
        .map_err(|e: accord_domain::DomainError| WorkflowError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn change(kind: &str, at: DateTime<Utc>) -> EventChange {
        EventChange {
            kind: kind.into(),
            from: (day(2024, 9, 10), day(2024, 9, 11)),
            to: (day(2024, 9, 10), day(2024, 9, 11)),
            reason: None,
            at,
        }
    }

    fn document(kind: DocumentKind) -> RequiredDocument {
        RequiredDocument {
            kind,
            due_on: day(2024, 7, 12),
            rule_id: "r".into(),
            first_received_on: None,
        }
    }

    /// Postponed on 1 June, cancelled at 20:00 UTC on 30 June, which is
    /// already 1 July in Astana.
    fn cancelled() -> EventRecord {
        EventRecord {
            id: "e".into(),
            plan_id: "p".into(),
            position: 1,
            title: Texts::from_pairs([(accord_domain::Lang::En, "Seminar".into())]).unwrap(),
            start: day(2024, 9, 10),
            end: day(2024, 9, 11),
            venue: None,
            notes: None,
            cbm_area: None,
            status: EventStatus::Cancelled,
            organisers: vec!["KAZ".into()],
            documents: vec![],
            dropped: vec![
                document(DocumentKind::TentativeProgramme),
                document(DocumentKind::ConceptPaper),
            ],
            submissions: vec![],
            changes: vec![
                change("MOVED", Utc.with_ymd_and_hms(2024, 5, 1, 9, 0, 0).unwrap()),
                change(
                    "POSTPONED",
                    Utc.with_ymd_and_hms(2024, 6, 1, 9, 0, 0).unwrap(),
                ),
                change(
                    "CANCELLED",
                    Utc.with_ymd_and_hms(2024, 6, 30, 20, 0, 0).unwrap(),
                ),
            ],
            revision: 4,
        }
    }

    #[test]
    fn the_status_on_a_day_is_the_last_change_of_status_by_its_end_in_astana() {
        let event = cancelled();
        assert_eq!(event.status_on(day(2024, 5, 15)), EventStatus::Planned);
        assert_eq!(event.status_on(day(2024, 6, 1)), EventStatus::Postponed);
        assert_eq!(event.status_on(day(2024, 6, 30)), EventStatus::Postponed);
        assert_eq!(event.status_on(day(2024, 7, 1)), EventStatus::Cancelled);
    }

    #[test]
    fn a_cancelled_events_documents_count_until_its_cancellation() {
        let event = cancelled();
        let kinds = |d: NaiveDate| -> Vec<DocumentKind> {
            event.documents_on(d).iter().map(|doc| doc.kind).collect()
        };
        assert_eq!(
            kinds(day(2024, 6, 30)),
            [DocumentKind::ConceptPaper, DocumentKind::TentativeProgramme]
        );
        assert!(kinds(day(2024, 7, 1)).is_empty());
    }
}
