//! The dashboards: the documents due (by status on a day) and a plan's
//! compliance, counted per document kind and per organising state.

use std::collections::BTreeMap;

use accord_domain::{DocumentKind, DocumentStatus};
use chrono::NaiveDate;

use super::PlanRecord;
use crate::error::{Result, WorkflowError};
use crate::events::{EventFilter, EventRecord, RequiredDocument, find_event};
use crate::read::Reader;

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

impl Reader {
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
            for document in event.documents_on(day) {
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
            for document in event.documents_on(day) {
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
