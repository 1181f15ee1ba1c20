//! Plans of Implementation in GraphQL: the `Plan`, `Event`,
//! `RequiredDocument`, `Submission`, `SubmissionRule`, `DueDocument` and
//! `PlanCompliance` types; the `plan`, `plans`, `event`, `events`,
//! `dueDocuments`, `planCompliance` and `submissionRules` queries; and the
//! mutations that keep plans, events, rules and submissions and draft
//! reminder notes. Merged into the root `Query` and `Mutation`.
//!
//! Every day here is a calendar day in the Secretariat's time zone,
//! Asia/Almaty (UTC+05:00): due dates, days of receipt, and the day
//! (`asOf`, today by default) statuses are computed for.

use accord_domain::{EventDates, NoteSeries, OrgCode, SubmissionRule};
use accord_workflow::plans::{
    self as wf, Compliance, DueFilter as DueWhere, EventDetails, EventFilter as EventWhere,
    EventMove, EventRebase, EventRecord, EventStatusChange, NewEvent, NewPlan, NewRule,
    NewSubmission, PlanChange, PlanRecord, ReminderRequest, RuleRecord, Tally,
};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::common::{
    DEFAULT_PAGE, LocalizedTextInput, connection, reader, run, texts, unexpected, window,
};
use super::enums::Lang;
use super::meetings::decision_by_id;
use super::objects::Decision;
use super::registry::{NotePayload, note_of};
use super::scalars::Date;
use super::types::{LocalizedText, localized, text_in};
use crate::error::GqlResult;

/// A document the organising member state submits for an event.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::DocumentKind")]
pub enum DocumentKind {
    /// The concept paper.
    ConceptPaper,
    /// The tentative programme.
    TentativeProgramme,
    /// The post-event report.
    PostEventReport,
}

/// Where a required document stands on a day (Asia/Almaty, UTC+05:00).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::DocumentStatus")]
pub enum DocumentStatus {
    /// Not received; due later than the due-soon window.
    NotYetDue,
    /// Not received; due within the window (due today included).
    DueSoon,
    /// Received on or before the due date.
    SubmittedOnTime,
    /// Received after the due date.
    SubmittedLate,
    /// Not received; the due date has passed.
    Overdue,
}

/// Where an event stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::EventStatus")]
pub enum EventStatus {
    /// Scheduled on its dates.
    Planned,
    /// Moved to new dates.
    Postponed,
    /// Took place.
    Held,
    /// Will not take place; nothing is due for it.
    Cancelled,
}

/// The event date a submission rule counts from.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::RuleAnchor")]
pub enum RuleAnchor {
    /// The first day.
    Start,
    /// The last day.
    End,
}

/// The day statuses are computed for and the due-soon window: `asOf`
/// defaults to today in Asia/Almaty (UTC+05:00), `dueSoonDays` to 14.
fn day_and_window(as_of: Option<Date>, due_soon_days: Option<i32>) -> Result<(NaiveDate, u32)> {
    let day = as_of.map_or_else(
        || accord_workflow::clock::astana_date(accord_workflow::clock::now()),
        |d| d.0,
    );
    let window = match due_soon_days {
        None => accord_domain::DEFAULT_DUE_SOON_DAYS,
        Some(days) => u32::try_from(days)
            .ok()
            .filter(|d| *d <= 366)
            .ok_or_else(|| bad("dueSoonDays must be between 0 and 366"))?,
    };
    Ok((day, window))
}

fn bad(message: impl Into<String>) -> async_graphql::Error {
    crate::error::coded(crate::error::Code::BadUserInput, message)
}

/// A Plan of Implementation of confidence building measures for a year.
#[derive(Debug, Clone)]
pub struct Plan(pub(crate) PlanRecord);

/// A Plan of Implementation of confidence building measures for a year.
#[Object]
impl Plan {
    /// Its id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// Its title in `lang`, else English.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> String {
        text_in(&self.0.title, lang)
    }

    /// Its title in every language.
    async fn titles(&self) -> Vec<LocalizedText> {
        localized(&self.0.title)
    }

    /// The SOC decision that approved it, once recorded.
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<Decision>> {
        match &self.0.decision_id {
            Some(id) => Ok(Some(decision_by_id(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// How many items (events) it has.
    async fn event_count(&self) -> u64 {
        self.0.event_count
    }

    /// Its events, in plan order.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        Ok(reader(ctx)?
            .plan_events(&self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(Event)
            .collect())
    }

    /// Compared by edits.
    async fn revision(&self) -> i32 {
        self.0.revision
    }
}

/// An event (an item of a plan).
#[derive(Debug, Clone)]
pub struct Event(pub(crate) EventRecord);

/// An event (an item of a plan), with its organisers, required documents
/// and submissions.
#[Object]
impl Event {
    /// Its id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Its plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        Ok(Plan(reader(ctx)?.plan(&self.0.plan_id).await.gql()?))
    }

    /// Its item number in the plan.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Its title in `lang`, else English.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> String {
        text_in(&self.0.title, lang)
    }

    /// Its title in every language.
    async fn titles(&self) -> Vec<LocalizedText> {
        localized(&self.0.title)
    }

    /// The organising member states' codes.
    async fn organisers(&self) -> &[String] {
        &self.0.organisers
    }

    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start)
    }

    /// Last day.
    async fn end_date(&self) -> Date {
        Date(self.0.end)
    }

    /// Venue, if known.
    async fn venue(&self) -> Option<&str> {
        self.0.venue.as_deref()
    }

    /// Practical notes from the organisers or the Secretariat.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// The CBM area.
    async fn cbm_area(&self) -> Option<&str> {
        self.0.cbm_area.as_deref()
    }

    /// Status: now, or at the end of `asOf` (Asia/Almaty), from the
    /// changes of status recorded by then.
    async fn status(
        &self,
        #[graphql(
            desc = "The day (in Asia/Almaty) at whose end the status is read; today when absent."
        )]
        as_of: Option<Date>,
    ) -> EventStatus {
        match as_of {
            None => self.0.status.into(),
            Some(day) => self.0.status_on(day.0).into(),
        }
    }

    /// The documents required as of `asOf` (default today in Asia/Almaty,
    /// UTC+05:00; none once the event is cancelled, but those of a
    /// cancelled event on the days before), with their status on that day
    /// and a due-soon window of `dueSoonDays` (default 14).
    async fn documents(
        &self,
        #[graphql(
            desc = "The day (in Asia/Almaty) the statuses are computed for; today when absent."
        )]
        as_of: Option<Date>,
        #[graphql(desc = "How many days ahead a document counts as due soon (default 14).")]
        due_soon_days: Option<i32>,
    ) -> Result<Vec<RequiredDocument>> {
        let (day, window) = day_and_window(as_of, due_soon_days)?;
        Ok(self
            .0
            .documents_on(day)
            .into_iter()
            .map(|d| RequiredDocument {
                kind: d.kind.into(),
                due_on: Date(d.due_on),
                rule_id: ID(d.rule_id.clone()),
                first_received_on: d.first_received_on.map(Date),
                status: d.status(day, window).into(),
            })
            .collect())
    }

    /// Every submission (shared with all member states), by kind and revision.
    async fn submissions(&self) -> Vec<Submission> {
        self.0
            .submissions
            .iter()
            .map(|s| Submission {
                id: ID(s.id.clone()),
                kind: s.kind.into(),
                revision: s.revision,
                received_on: Date(s.received_on),
                recorded_by_org: s.recorded_by_org.clone(),
                sha256: s.file.as_ref().map(|f| f.sha256.clone()),
                size: s.file.as_ref().map(|f| f.size),
                content_type: s.file.as_ref().map(|f| f.content_type.clone()),
                file_name: s.file.as_ref().map(|f| f.file_name.clone()),
                download_path: s.file.as_ref().map(|f| format!("/files/{}", f.sha256)),
                remarks: s.remarks.clone(),
            })
            .collect()
    }

    /// Changes of its dates and status, oldest first.
    async fn changes(&self) -> Vec<EventChange> {
        self.0
            .changes
            .iter()
            .map(|c| EventChange {
                kind: c.kind.clone(),
                from_start: Date(c.from.0),
                from_end: Date(c.from.1),
                to_start: Date(c.to.0),
                to_end: Date(c.to.1),
                reason: c.reason.clone(),
            })
            .collect()
    }

    /// Compared by edits.
    async fn revision(&self) -> i32 {
        self.0.revision
    }
}

/// A document an event requires, with its due date and status.
#[derive(SimpleObject, Debug, Clone)]
pub struct RequiredDocument {
    /// Which document.
    pub kind: DocumentKind,
    /// Due on this day (Asia/Almaty, UTC+05:00).
    pub due_on: Date,
    /// The submission rule the due date was computed from.
    pub rule_id: ID,
    /// The day the first revision was received.
    pub first_received_on: Option<Date>,
    /// Its status on the day asked.
    pub status: DocumentStatus,
}

/// A document received for an event. Never overwritten: a new one is a
/// new revision.
#[derive(SimpleObject, Debug, Clone)]
pub struct Submission {
    /// Its id.
    pub id: ID,
    /// Which document.
    pub kind: DocumentKind,
    /// 1, 2, … per event and kind.
    pub revision: i32,
    /// The day received (Asia/Almaty, UTC+05:00).
    pub received_on: Date,
    /// The organisation that recorded it.
    pub recorded_by_org: String,
    /// SHA-256 of the stored file, when a file came with it.
    pub sha256: Option<String>,
    /// The file's size in bytes.
    pub size: Option<i64>,
    /// The file's content type.
    pub content_type: Option<String>,
    /// The file's name.
    pub file_name: Option<String>,
    /// Where any signed-in user downloads the file (`GET`, with the same
    /// bearer token): `/files/<sha256>`.
    pub download_path: Option<String>,
    /// Remarks, e.g. how it was received.
    pub remarks: Option<String>,
}

/// A change of an event's dates or status.
#[derive(SimpleObject, Debug, Clone)]
pub struct EventChange {
    /// MOVED, POSTPONED, HELD, CANCELLED or REBASED.
    pub kind: String,
    /// First day before.
    pub from_start: Date,
    /// Last day before.
    pub from_end: Date,
    /// First day after.
    pub to_start: Date,
    /// Last day after.
    pub to_end: Date,
    /// Why.
    pub reason: Option<String>,
}

/// A submission rule: submit `kind` `offsetDays` from the event's
/// `anchor` (negative: before), in force from `inForceFrom`.
#[derive(SimpleObject, Debug, Clone)]
pub struct SubmissionRuleView {
    /// Its id.
    pub id: ID,
    /// Which document.
    pub kind: DocumentKind,
    /// Counted from the start or the end of the event.
    pub anchor: RuleAnchor,
    /// Days from the anchor; negative is before.
    pub offset_days: i32,
    /// The first day it applies.
    pub in_force_from: Date,
    /// The adopting decision's id, if recorded.
    pub decision_id: Option<ID>,
    /// The day adopted.
    pub adopted_on: Date,
    /// The adopting document's title, per language.
    pub titles: Vec<LocalizedText>,
}

fn rule_view(r: RuleRecord) -> SubmissionRuleView {
    SubmissionRuleView {
        id: ID(r.id),
        kind: r.rule.kind.into(),
        anchor: r.rule.anchor.into(),
        offset_days: r.rule.offset_days,
        in_force_from: Date(r.rule.in_force_from),
        decision_id: r.decision_id.map(ID),
        adopted_on: Date(r.adopted_on),
        titles: r.title.as_ref().map(localized).unwrap_or_default(),
    }
}

/// A required document with its event, for the dashboards.
#[derive(SimpleObject, Debug, Clone)]
pub struct DueDocument {
    /// The event.
    pub event: Event,
    /// The document.
    pub document: RequiredDocument,
}

/// Counts of required documents.
#[derive(SimpleObject, Debug, Clone)]
pub struct ComplianceTally {
    /// Received on or before the due date.
    pub on_time: u64,
    /// Received after the due date.
    pub late: u64,
    /// Not received and overdue.
    pub missing: u64,
    /// Not received, not yet overdue.
    pub pending: u64,
}

impl From<&Tally> for ComplianceTally {
    fn from(t: &Tally) -> Self {
        ComplianceTally {
            on_time: t.on_time,
            late: t.late,
            missing: t.missing,
            pending: t.pending,
        }
    }
}

/// Counts for one document kind.
#[derive(SimpleObject, Debug, Clone)]
pub struct KindCompliance {
    /// The document kind.
    pub kind: DocumentKind,
    /// Its counts.
    pub tally: ComplianceTally,
}

/// Counts for one organising member state.
#[derive(SimpleObject, Debug, Clone)]
pub struct StateCompliance {
    /// The member state's code.
    pub state: String,
    /// Its counts.
    pub tally: ComplianceTally,
}

/// A plan's compliance on a day.
#[derive(SimpleObject, Debug, Clone)]
pub struct PlanCompliance {
    /// The plan's year.
    pub year: i32,
    /// The day counted for (Asia/Almaty, UTC+05:00).
    pub as_of: Date,
    /// Every required document.
    pub total: ComplianceTally,
    /// Per document kind.
    pub by_kind: Vec<KindCompliance>,
    /// Per organising member state.
    pub by_state: Vec<StateCompliance>,
}

fn compliance_view(c: Compliance, day: NaiveDate) -> PlanCompliance {
    PlanCompliance {
        year: c.plan.year,
        as_of: Date(day),
        total: (&c.total).into(),
        by_kind: c
            .by_kind
            .iter()
            .map(|(k, t)| KindCompliance {
                kind: (*k).into(),
                tally: t.into(),
            })
            .collect(),
        by_state: c
            .by_state
            .iter()
            .map(|(s, t)| StateCompliance {
                state: s.clone(),
                tally: t.into(),
            })
            .collect(),
    }
}

connection! {
    /// A page of events, soonest first.
    EventConnection, EventEdge of Event {
        total_count: "How many events match, in all pages.",
        edges: "The events on this page, each with its cursor.",
        nodes: "The events on this page.",
        edge: "An event on a page, with its cursor.",
        cursor: "The event's place in the listing: pass it as `after` or `before`.",
        node: "The event.",
    }
}

/// Which events to list; every field narrows the list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct EventFilter {
    /// Ending on or after this day.
    pub from: Option<Date>,
    /// Starting on or before this day.
    pub to: Option<Date>,
    /// Organised by this member state (e.g. KAZ).
    pub organiser: Option<String>,
    /// In this status.
    pub status: Option<EventStatus>,
    /// Of the plan of this year.
    pub year: Option<i32>,
}

/// Which required documents to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct DueDocumentFilter {
    /// Organised by this member state.
    pub state: Option<String>,
    /// Of this event.
    pub event: Option<ID>,
    /// In these statuses (default DUE_SOON and OVERDUE).
    pub status: Option<Vec<DocumentStatus>>,
    /// Due on or after this day.
    pub from: Option<Date>,
    /// Due on or before this day.
    pub to: Option<Date>,
}

/// The plans queries.
#[derive(Debug, Default)]
pub struct PlansQuery;

#[Object]
impl PlansQuery {
    /// The time zone of every day in plans, due dates and statuses:
    /// "Asia/Almaty, UTC+05:00" (the Secretariat's, in Astana).
    async fn plans_time_zone(&self) -> &'static str {
        wf::TIME_ZONE
    }

    /// The plan of `year`; `NOT_FOUND` if none.
    async fn plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's year.")] year: i32,
    ) -> Result<Plan> {
        Ok(Plan(reader(ctx)?.plan_of_year(year).await.gql()?))
    }

    /// Every plan, newest year first.
    async fn plans(&self, ctx: &Context<'_>) -> Result<Vec<Plan>> {
        Ok(reader(ctx)?
            .plans()
            .await
            .gql()?
            .into_iter()
            .map(Plan)
            .collect())
    }

    /// One event; `NOT_FOUND` if it does not exist.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's id.")] id: ID,
    ) -> Result<Event> {
        Ok(Event(reader(ctx)?.event(&id).await.gql()?))
    }

    /// Events, soonest first (by start date); `first` is 1-100 (default 20).
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all the viewer may see when absent.")]
        filter: Option<EventFilter>,
        #[graphql(
            desc = "How many to return from the start (or after `after`): 1 to 100 (default 20)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the ones after this cursor (a page's `endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "How many to return from the end (or before `before`): 1 to 100.")]
        last: Option<i32>,
        #[graphql(
            desc = "Return the ones before this cursor (a page's `startCursor`), with `last`."
        )]
        before: Option<String>,
    ) -> Result<EventConnection> {
        let filter = filter.unwrap_or_default();
        let filter = EventWhere {
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
            organiser: filter.organiser,
            status: filter.status.map(Into::into),
            year: filter.year,
        };
        let window = window(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            DEFAULT_PAGE,
        )?;
        let page = reader(ctx)?.events_page(&filter, &window).await.gql()?;
        Ok(EventConnection::of(page, |e| e.id.clone(), Event))
    }

    /// Required documents by due date, with their status on `asOf`
    /// (default today in Asia/Almaty, UTC+05:00); by default those due
    /// soon (within `dueSoonDays`, default 14) or overdue.
    async fn due_documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all the viewer may see when absent.")]
        filter: Option<DueDocumentFilter>,
        #[graphql(desc = "The day (in Asia/Almaty) to compute statuses for; today when absent.")]
        as_of: Option<Date>,
        #[graphql(desc = "How many days ahead a document counts as due soon (default 14).")]
        due_soon_days: Option<i32>,
    ) -> Result<Vec<DueDocument>> {
        let (day, window) = day_and_window(as_of, due_soon_days)?;
        let filter = filter.unwrap_or_default();
        let filter = DueWhere {
            organiser: filter.state,
            event_id: filter.event.map(|id| id.to_string()),
            statuses: filter
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
        };
        Ok(reader(ctx)?
            .due_documents(&filter, day, window)
            .await
            .gql()?
            .into_iter()
            .map(|d| DueDocument {
                document: RequiredDocument {
                    kind: d.document.kind.into(),
                    due_on: Date(d.document.due_on),
                    rule_id: ID(d.document.rule_id.clone()),
                    first_received_on: d.document.first_received_on.map(Date),
                    status: d.status.into(),
                },
                event: Event(d.event),
            })
            .collect())
    }

    /// The compliance of the plan of `year` on `asOf` (default today in
    /// Asia/Almaty, UTC+05:00): on time, late, missing and pending, per
    /// document kind and per organising state.
    async fn plan_compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's year.")] year: i32,
        #[graphql(
            desc = "The day (in Asia/Almaty) the tallies are computed for; today when absent."
        )]
        as_of: Option<Date>,
    ) -> Result<PlanCompliance> {
        let (day, window) = day_and_window(as_of, None)?;
        let compliance = reader(ctx)?
            .plan_compliance(year, day, window)
            .await
            .gql()?;
        Ok(compliance_view(compliance, day))
    }

    /// Every submission rule, by document kind and the day it came into force.
    async fn submission_rules(&self, ctx: &Context<'_>) -> Result<Vec<SubmissionRuleView>> {
        Ok(reader(ctx)?
            .submission_rules()
            .await
            .gql()?
            .into_iter()
            .map(rule_view)
            .collect())
    }
}

/// A new plan.
#[derive(InputObject, Debug, Clone)]
pub struct CreatePlanInput {
    /// The year.
    pub year: i32,
    /// The title.
    pub title: Vec<LocalizedTextInput>,
    /// The approving decision, if recorded.
    pub decision_id: Option<ID>,
}

/// A change to a plan.
#[derive(InputObject, Debug, Clone)]
pub struct EditPlanInput {
    /// The plan.
    pub plan_id: ID,
    /// The new title.
    pub title: Option<Vec<LocalizedTextInput>>,
    /// The approving decision.
    pub decision_id: Option<ID>,
}

/// A new event.
#[derive(InputObject, Debug, Clone)]
pub struct AddEventInput {
    /// The plan.
    pub plan_id: ID,
    /// The title.
    pub title: Vec<LocalizedTextInput>,
    /// The organising member states' codes.
    pub organisers: Vec<String>,
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
    /// Venue.
    pub venue: Option<String>,
    /// CBM area.
    pub cbm_area: Option<String>,
}

/// New practical details of an event.
#[derive(InputObject, Debug, Clone)]
pub struct EditEventInput {
    /// The event.
    pub event_id: ID,
    /// Venue.
    pub venue: Option<String>,
    /// Practical notes.
    pub notes: Option<String>,
}

/// New dates for an event.
#[derive(InputObject, Debug, Clone)]
pub struct MoveEventInput {
    /// The event.
    pub event_id: ID,
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
    /// Why.
    pub reason: String,
}

/// Re-basing an event on the rules in force today.
#[derive(InputObject, Debug, Clone)]
pub struct RebaseEventInput {
    /// The event.
    pub event_id: ID,
    /// Why.
    pub reason: String,
}

/// A new status of an event.
#[derive(InputObject, Debug, Clone)]
pub struct SetEventStatusInput {
    /// The event.
    pub event_id: ID,
    /// POSTPONED (with new dates), HELD or CANCELLED.
    pub status: EventStatus,
    /// New first day of a postponed event.
    pub start_date: Option<Date>,
    /// New last day of a postponed event.
    pub end_date: Option<Date>,
    /// Why.
    pub reason: Option<String>,
}

/// A submission rule adopted by a decision.
#[derive(InputObject, Debug, Clone)]
pub struct AdoptSubmissionRuleInput {
    /// Which document.
    pub kind: DocumentKind,
    /// Counted from the start or the end of the event.
    pub anchor: RuleAnchor,
    /// Days from the anchor; negative is before (-366..=366).
    pub offset_days: i32,
    /// The first day it applies.
    pub in_force_from: Date,
    /// The adopting decision.
    pub decision_id: Option<ID>,
    /// The day adopted.
    pub adopted_on: Date,
    /// The adopting document's title.
    pub title: Option<Vec<LocalizedTextInput>>,
    /// How a note cites the adopting document in each language, with
    /// `{date}` where the adoption date goes and the title between
    /// asterisks for italics, e.g. "the *General guidelines for conducting
    /// events …* adopted by the SOC on {date}" (in Russian and Kazakh in
    /// the case "согласно …" and "… сәйкес" govern). The reminder notes
    /// recall the rules in these words.
    pub citation: Option<Vec<LocalizedTextInput>>,
}

/// A document received for an event.
#[derive(InputObject, Debug, Clone)]
pub struct RecordSubmissionInput {
    /// The event.
    pub event_id: ID,
    /// Which document.
    pub kind: DocumentKind,
    /// The day received (Asia/Almaty); today when omitted.
    pub received_on: Option<Date>,
    /// The upload (from `uploadFile`) holding the document, if any: one
    /// made by the caller's organisation, or any when the caller is the
    /// Secretariat.
    pub upload_id: Option<ID>,
    /// Remarks, e.g. "received by note verbale".
    pub remarks: Option<String>,
}

/// The period a reminder covers: events starting in it.
#[derive(InputObject, Debug, Clone)]
pub struct PeriodInput {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// A plan after a change.
#[derive(SimpleObject, Debug, Clone)]
pub struct PlanPayload {
    /// The plan as it is now.
    pub plan: Plan,
}

/// An event after a change.
#[derive(SimpleObject, Debug, Clone)]
pub struct EventPayload {
    /// The event as it is now.
    pub event: Event,
}

/// A rule just adopted.
#[derive(SimpleObject, Debug, Clone)]
pub struct SubmissionRulePayload {
    /// The rule.
    pub rule: SubmissionRuleView,
}

/// A submission just recorded.
#[derive(SimpleObject, Debug, Clone)]
pub struct SubmissionPayload {
    /// The submission's id.
    pub submission_id: ID,
    /// Its event as it is now.
    pub event: Event,
}

fn dates(start: Date, end: Date) -> Result<EventDates> {
    EventDates::new(start.0, end.0).gql()
}

async fn plan_of(ctx: &Context<'_>, outcome: Outcome) -> Result<PlanPayload> {
    match outcome {
        Outcome::Plan { plan_id } => Ok(PlanPayload {
            plan: Plan(reader(ctx)?.plan(&plan_id).await.gql()?),
        }),
        other => Err(unexpected(&other)),
    }
}

async fn event_of(ctx: &Context<'_>, outcome: Outcome) -> Result<EventPayload> {
    match outcome {
        Outcome::Event { event_id } => Ok(EventPayload {
            event: Event(reader(ctx)?.event(&event_id).await.gql()?),
        }),
        other => Err(unexpected(&other)),
    }
}

/// The plans mutations.
#[derive(Debug, Default)]
pub struct PlansMutation;

#[Object]
impl PlansMutation {
    /// Start the Plan of Implementation of a year (Secretariat).
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreatePlanInput,
    ) -> Result<PlanPayload> {
        let command = Command::CreatePlan(NewPlan {
            year: input.year,
            title: texts(input.title)?,
            decision_id: input.decision_id.map(|id| id.to_string()),
        });
        plan_of(ctx, run(ctx, command).await?).await
    }

    /// Change a plan's title or approving decision (Secretariat).
    async fn edit_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditPlanInput,
    ) -> Result<PlanPayload> {
        let command = Command::EditPlan(PlanChange {
            plan_id: input.plan_id.to_string(),
            title: input.title.map(texts).transpose()?,
            decision_id: input.decision_id.map(|id| id.to_string()),
        });
        plan_of(ctx, run(ctx, command).await?).await
    }

    /// Add an event at the end of a plan (Secretariat); its due dates are
    /// computed from the submission rules in force today.
    async fn add_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddEventInput,
    ) -> Result<EventPayload> {
        let organisers = input
            .organisers
            .iter()
            .map(|c| OrgCode::parse(c))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        let command = Command::AddEvent(NewEvent {
            plan_id: input.plan_id.to_string(),
            title: texts(input.title)?,
            organisers,
            dates: dates(input.start_date, input.end_date)?,
            venue: input.venue,
            cbm_area: input.cbm_area,
        });
        event_of(ctx, run(ctx, command).await?).await
    }

    /// Change an event's venue or practical notes (Secretariat, or a
    /// delegate of an organising member state).
    async fn edit_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditEventInput,
    ) -> Result<EventPayload> {
        let command = Command::EditEvent(EventDetails {
            event_id: input.event_id.to_string(),
            venue: input.venue,
            notes: input.notes,
        });
        event_of(ctx, run(ctx, command).await?).await
    }

    /// Move an event to new dates (Secretariat). Its due dates follow
    /// under the rules they were computed from; the reason is recorded.
    async fn move_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: MoveEventInput,
    ) -> Result<EventPayload> {
        let command = Command::MoveEvent(EventMove {
            event_id: input.event_id.to_string(),
            dates: dates(input.start_date, input.end_date)?,
            reason: input.reason,
        });
        event_of(ctx, run(ctx, command).await?).await
    }

    /// Recompute an event's due dates under the rules in force today
    /// (Secretariat).
    async fn rebase_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RebaseEventInput,
    ) -> Result<EventPayload> {
        let command = Command::RebaseEvent(EventRebase {
            event_id: input.event_id.to_string(),
            reason: input.reason,
        });
        event_of(ctx, run(ctx, command).await?).await
    }

    /// Mark an event POSTPONED (with new dates), HELD or CANCELLED
    /// (Secretariat). A cancelled event requires nothing more.
    async fn set_event_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetEventStatusInput,
    ) -> Result<EventPayload> {
        let new_dates = match (input.start_date, input.end_date) {
            (Some(start), Some(end)) => Some(dates(start, end)?),
            (None, None) => None,
            _ => return Err(bad("give both startDate and endDate, or neither")),
        };
        let command = Command::SetEventStatus(EventStatusChange {
            event_id: input.event_id.to_string(),
            status: input.status.into(),
            dates: new_dates,
            reason: input.reason,
        });
        event_of(ctx, run(ctx, command).await?).await
    }

    /// Record a submission rule adopted by a decision, in force from a day
    /// (Secretariat). Events keep the rules their due dates came from
    /// until re-based.
    async fn adopt_submission_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AdoptSubmissionRuleInput,
    ) -> Result<SubmissionRulePayload> {
        let rule = SubmissionRule::new(
            input.kind.into(),
            input.anchor.into(),
            input.offset_days,
            input.in_force_from.0,
        )
        .gql()?;
        let command = Command::AdoptSubmissionRule(NewRule {
            rule,
            decision_id: input.decision_id.map(|id| id.to_string()),
            adopted_on: input.adopted_on.0,
            title: input.title.map(texts).transpose()?,
            citation: input.citation.map(texts).transpose()?,
        });
        match run(ctx, command).await? {
            Outcome::Rule { rule_id } => {
                let rule = reader(ctx)?
                    .submission_rules()
                    .await
                    .gql()?
                    .into_iter()
                    .find(|r| r.id == rule_id)
                    .ok_or_else(|| crate::error::internal(&"the rule just adopted is missing"))?;
                Ok(SubmissionRulePayload {
                    rule: rule_view(rule),
                })
            }
            other => Err(unexpected(&other)),
        }
    }

    /// Record a document received for an event as its next revision
    /// (Secretariat, e.g. received by note verbale; or a delegate of an
    /// organising member state). Shared with all member states.
    async fn record_submission(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordSubmissionInput,
    ) -> Result<SubmissionPayload> {
        let command = Command::RecordSubmission(NewSubmission {
            event_id: input.event_id.to_string(),
            kind: input.kind.into(),
            received_on: input.received_on.map(|d| d.0),
            upload_id: input.upload_id.map(|id| id.to_string()),
            remarks: input.remarks,
        });
        match run(ctx, command).await? {
            Outcome::Submission {
                submission_id,
                event_id,
            } => Ok(SubmissionPayload {
                submission_id: ID(submission_id),
                event: Event(reader(ctx)?.event(&event_id).await.gql()?),
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Write an unsent REMINDER note to all member states listing, for the
    /// events starting in `period`, the organising states and the
    /// documents not yet received with their due dates, in English,
    /// Russian and Kazakh (Secretariat). Issue it with issueNote.
    async fn draft_reminder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The days whose events the reminder covers.")] period: PeriodInput,
        #[graphql(
            desc = "The note series; the configured reminder series (`SOC` by default) when absent."
        )]
        series: Option<String>,
    ) -> Result<NotePayload> {
        let series = match series {
            Some(series) => NoteSeries::parse(&series).gql()?,
            None => NoteSeries::soc(),
        };
        let command = Command::DraftReminder(ReminderRequest {
            from: period.from.0,
            to: period.to.0,
            series,
        });
        note_of(ctx, run(ctx, command).await?).await
    }
}
