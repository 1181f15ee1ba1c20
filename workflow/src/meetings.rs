//! Meetings of bodies and their decisions: scheduling a meeting, keeping
//! its ordered agenda, recording and editing numbered decisions, and
//! reading them as a viewer may see them.
//!
//! - Bodies are data (`bodies`: `SWG`, `SOC`, `MC`, `SUMMIT`, names per
//!   language). A meeting is a session of one body on one date; its
//!   session numeral within the year is issued by [`meeting_on`], the one
//!   function that creates meetings (also used by `openSwgDiscussion` and
//!   `recordSocAgreement`).
//! - An agenda is an ordered list of items, each linking a draft or
//!   carrying a plain title. Positions are 1, 2, 3, … without gaps: every
//!   change reads the agenda inside the write lock and renumbers it there
//!   ([`reorder`]), so concurrent changes never produce a duplicate or a
//!   gap.
//! - A decision is numbered `<BODY>/<year>-<session>/DEC/<n>` by
//!   [`decision_number`], the one function that numbers decisions. Its
//!   number, date, meeting and approvals are fixed when it is recorded; its
//!   title and text (per language) may be set and corrected afterwards by
//!   the Secretariat, by revision (a stale revision is `CONFLICT`): a
//!   decision recorded together with the SOC's agreement has none at
//!   first, and the agreed text of the draft is frozen separately.
//! - Everyone authenticated reads meetings and decisions; the drafts on an
//!   agenda or approved by a decision follow the drafts' visibility: an
//!   item or approval naming a draft the viewer may not see is left out,
//!   and the items shown are numbered 1, 2, 3, … for that viewer.

use std::collections::{BTreeSet, HashMap};

use accord_domain::{DecisionNumber, SessionNumber, Texts};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::is_id;
use crate::db::{from_json, to_json};
use crate::engine::{Engine, Outcome, check};
use crate::entity::{body, decision, decision_approval, draft, meeting, meeting_agenda};
use crate::error::{Result, WorkflowError};
use crate::paging::{Page, check_first, cut, parse_cursor};
use crate::permissions::Action;
use crate::read::{DraftView, Reader};
use crate::snapshot::snapshots;
use crate::store::{WriteTx, expect_one, find_by_id};

/// The longest title of a meeting, agenda item, decision or approved
/// document, per language, in characters.
pub const MAX_TITLE_CHARS: usize = 2_000;
/// The longest decision text, per language, in characters.
pub const MAX_DECISION_TEXT_CHARS: usize = 100_000;
/// The longest venue, in characters.
pub const MAX_VENUE_CHARS: usize = 200;
/// The most items on one agenda.
pub const MAX_AGENDA_ITEMS: usize = 100;
/// The most things one decision approves.
pub const MAX_APPROVALS: usize = 50;

/// Where a meeting is held unless recorded otherwise.
pub const DEFAULT_VENUE: &str = accord_domain::DEFAULT_PLACE;

/// What an agenda item is about: a draft, or a plain title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaSubject {
    /// A draft, shown with its state.
    Draft(String),
    /// A plain title, per language.
    Titled(Texts),
}

/// The kind of thing a decision approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalKind {
    /// A draft (agreed text).
    Draft,
    /// A plan, e.g. a Plan of Implementation of CBMs.
    Plan,
    /// Guidelines or rules, e.g. the General Guidelines of 2021.
    Guidelines,
    /// Any other titled document.
    Document,
}

impl ApprovalKind {
    /// Every kind, in declaration order.
    pub const ALL: [ApprovalKind; 4] = [
        ApprovalKind::Draft,
        ApprovalKind::Plan,
        ApprovalKind::Guidelines,
        ApprovalKind::Document,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Draft => "DRAFT",
            ApprovalKind::Plan => "PLAN",
            ApprovalKind::Guidelines => "GUIDELINES",
            ApprovalKind::Document => "DOCUMENT",
        }
    }

    fn parse(stored: &str) -> Result<ApprovalKind> {
        ApprovalKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == stored)
            .ok_or_else(|| WorkflowError::Corrupt(format!("unknown approval kind {stored:?}")))
    }
}

/// One thing a decision approves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approved {
    /// A draft.
    Draft(String),
    /// A titled document of `kind` (not [`ApprovalKind::Draft`]).
    Document {
        /// Plan, guidelines or another document.
        kind: ApprovalKind,
        /// Its title per language.
        title: Texts,
    },
}

/// A meeting to record.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// The body's code, e.g. `SOC`.
    pub body: String,
    /// The date.
    pub date: NaiveDate,
    /// The session, when known (`2023-III`); else the next of its year.
    pub session: Option<SessionNumber>,
    /// The venue; `Astana` when `None`.
    pub venue: Option<String>,
    /// A title per language, e.g. "Special Meeting".
    pub title: Option<Texts>,
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision {
    /// The meeting that took it.
    pub meeting_id: String,
    /// Its number, or `None` to issue the next one of the session.
    pub number: Option<DecisionNumber>,
    /// Its title per language.
    pub title: Texts,
    /// Its text per language.
    pub text: Option<Texts>,
    /// What it approves, in order.
    pub approves: Vec<Approved>,
}

/// A meeting as read.
#[derive(Debug, Clone)]
pub struct MeetingRecord {
    /// The meeting's id.
    pub id: String,
    /// The body's code.
    pub body: String,
    /// The body's name per language.
    pub body_names: Texts,
    /// The date.
    pub date: NaiveDate,
    /// The session within the year.
    pub session: Option<i32>,
    /// The venue.
    pub venue: String,
    /// The title per language, if any.
    pub title: Option<Texts>,
}

/// An agenda item as one viewer sees it.
#[derive(Debug, Clone)]
pub struct AgendaEntry {
    /// The item's id.
    pub id: String,
    /// Its place on the agenda as shown to this viewer: 1, 2, 3, …
    pub position: i32,
    /// A plain item's title.
    pub title: Option<Texts>,
    /// The draft discussed, as the viewer sees it.
    pub draft: Option<DraftView>,
}

/// One thing a decision approves, as one viewer sees it.
#[derive(Debug, Clone)]
pub struct ApprovalView {
    /// What kind of thing.
    pub kind: ApprovalKind,
    /// A titled document's title.
    pub title: Option<Texts>,
    /// The draft approved, as the viewer sees it.
    pub draft: Option<DraftView>,
}

/// A decision as read.
#[derive(Debug, Clone)]
pub struct DecisionRecord {
    /// The decision's id.
    pub id: String,
    /// e.g. `SOC/2023-III/DEC/2`.
    pub number: String,
    /// The deciding body.
    pub body: String,
    /// The date.
    pub date: NaiveDate,
    /// The year of the session.
    pub year: i32,
    /// The session within the year.
    pub session: i32,
    /// The meeting that took it.
    pub meeting_id: String,
    /// The title per language, once set.
    pub title: Option<Texts>,
    /// The text per language, once set.
    pub text: Option<Texts>,
    /// The revision edits compare against.
    pub revision: i32,
    /// What it approves, in order, as the viewer may see it.
    pub approvals: Vec<ApprovalView>,
}

/// What the meetings listing is filtered by.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// The body's code.
    pub body: Option<String>,
    /// The year.
    pub year: Option<i32>,
    /// On or after.
    pub from: Option<NaiveDate>,
    /// On or before.
    pub to: Option<NaiveDate>,
}

/// What the decisions listing is filtered by.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    /// The year.
    pub year: Option<i32>,
    /// The session (its year included).
    pub session: Option<SessionNumber>,
    /// Approving this draft.
    pub approves_draft: Option<String>,
}

impl Engine {
    /// Records a meeting (Secretariat). A meeting of the same body on the
    /// same date already recorded is `BAD_USER_INPUT`.
    pub(crate) async fn schedule_meeting(&self, actor: &Actor, new: NewMeeting) -> Result<Outcome> {
        check(actor, Action::ScheduleMeeting, None)?;
        let venue = new.venue.as_deref().map(venue).transpose()?;
        if let Some(title) = &new.title {
            check_texts("title", title, MAX_TITLE_CHARS)?;
        }
        if let Some(session) = new.session
            && session.year() != new.date.year()
        {
            return Err(WorkflowError::bad_input(format!(
                "session {session} is not of {}, the year of the meeting",
                new.date.year()
            )));
        }
        known_body(self.store().db(), &new.body).await?;
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let session = new.session.map(|s| s.session() as i32);
        let (row, created) = meeting_on(&tx, &new.body, new.date, session, now).await?;
        if !created {
            return Err(WorkflowError::bad_input(format!(
                "the {} already meets on {}; edit that meeting instead",
                new.body, new.date
            )));
        }
        let venue = venue.unwrap_or_else(|| DEFAULT_VENUE.to_owned());
        let title = new.title.as_ref().map(to_json).transpose()?;
        expect_one(
            tx.conn(),
            meeting::Entity::update_many()
                .col_expr(meeting::Column::Venue, Expr::value(venue.as_str()))
                .col_expr(meeting::Column::Title, Expr::value(title))
                .filter(meeting::Column::Id.eq(row.id.as_str())),
            "the meeting vanished",
        )
        .await?;
        tx.audit(
            actor,
            AuditRecord {
                action: Action::ScheduleMeeting.as_str().into(),
                entity_type: "meeting",
                entity_id: row.id.clone(),
                after: Some(json!({
                    "body": new.body,
                    "date": new.date,
                    "session": session_text(&row)?,
                    "venue": venue,
                    "title": new.title,
                })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Meeting { meeting_id: row.id })
    }

    /// Changes a meeting's venue and title; `None` leaves one as it is.
    pub(crate) async fn edit_meeting(
        &self,
        actor: &Actor,
        meeting_id: &str,
        new_venue: Option<String>,
        new_title: Option<Texts>,
    ) -> Result<Outcome> {
        check(actor, Action::EditMeeting, None)?;
        let new_venue = new_venue.as_deref().map(venue).transpose()?;
        if let Some(title) = &new_title {
            check_texts("title", title, MAX_TITLE_CHARS)?;
        }
        if new_venue.is_none() && new_title.is_none() {
            return Err(WorkflowError::bad_input(
                "give a venue, a title or both to change",
            ));
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_meeting(tx.conn(), meeting_id).await?;
        let mut update = meeting::Entity::update_many().filter(meeting::Column::Id.eq(meeting_id));
        if let Some(venue) = &new_venue {
            update = update.col_expr(meeting::Column::Venue, Expr::value(venue.as_str()));
        }
        if let Some(title) = &new_title {
            update = update.col_expr(meeting::Column::Title, Expr::value(to_json(title)?));
        }
        expect_one(tx.conn(), update, "the meeting vanished").await?;
        tx.audit(
            actor,
            AuditRecord {
                action: Action::EditMeeting.as_str().into(),
                entity_type: "meeting",
                entity_id: row.id.clone(),
                before: Some(json!({
                    "venue": row.venue,
                    "title": row.title.as_deref().map(|t| from_json::<Texts>(t, "meeting title")).transpose()?,
                })),
                after: Some(json!({
                    "venue": new_venue.as_deref().unwrap_or(&row.venue),
                    "title": match &new_title {
                        Some(title) => Some(title.clone()),
                        None => row.title.as_deref().map(|t| from_json::<Texts>(t, "meeting title")).transpose()?,
                    },
                })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Meeting { meeting_id: row.id })
    }

    /// Puts a draft or a titled item on a meeting's agenda at `position`
    /// (1 for the top; the end when `None`); the items from there on move
    /// down by one.
    pub(crate) async fn add_agenda_item(
        &self,
        actor: &Actor,
        meeting_id: &str,
        subject: AgendaSubject,
        position: Option<i32>,
    ) -> Result<Outcome> {
        check(actor, Action::AddAgendaItem, None)?;
        if let AgendaSubject::Titled(title) = &subject {
            check_texts("title", title, MAX_TITLE_CHARS)?;
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_meeting(tx.conn(), meeting_id).await?;
        let draft_id = match &subject {
            AgendaSubject::Draft(id) => {
                if !is_id(id)
                    || draft::Entity::find_by_id(id.clone())
                        .one(tx.conn())
                        .await?
                        .is_none()
                {
                    return Err(WorkflowError::bad_input(format!(
                        "draft {id:?} does not exist"
                    )));
                }
                Some(id.clone())
            }
            AgendaSubject::Titled(_) => None,
        };
        let agenda = agenda_rows(tx.conn(), meeting_id).await?;
        if agenda.len() >= MAX_AGENDA_ITEMS {
            return Err(WorkflowError::bad_input(format!(
                "an agenda holds at most {MAX_AGENDA_ITEMS} items"
            )));
        }
        if let Some(id) = &draft_id
            && agenda.iter().any(|a| a.draft_id.as_ref() == Some(id))
        {
            return Err(WorkflowError::bad_input(format!(
                "draft {id} is already on this agenda"
            )));
        }
        let end = agenda.len() as i32 + 1;
        let position = position.unwrap_or(end);
        if !(1..=end).contains(&position) {
            return Err(WorkflowError::bad_input(format!(
                "position must be between 1 and {end}"
            )));
        }
        let item_id = append_to_agenda(&tx, meeting_id, &subject).await?;
        let mut order: Vec<String> = agenda.iter().map(item_id_of).collect::<Result<_>>()?;
        order.insert(position as usize - 1, item_id.clone());
        reorder(&tx, meeting_id, &order).await?;
        tx.audit(
            actor,
            AuditRecord {
                action: Action::AddAgendaItem.as_str().into(),
                entity_type: "meeting",
                entity_id: row.id.clone(),
                draft_id: draft_id.clone(),
                after: Some(json!({
                    "item": item_id,
                    "position": position,
                    "draft": draft_id,
                    "title": match &subject {
                        AgendaSubject::Titled(title) => Some(title),
                        AgendaSubject::Draft(_) => None,
                    },
                })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Meeting { meeting_id: row.id })
    }

    /// Moves an agenda item to `position` (`Some`) or takes it off the
    /// agenda (`None`); the other items close up.
    pub(crate) async fn change_agenda_item(
        &self,
        actor: &Actor,
        item_id: &str,
        position: Option<i32>,
    ) -> Result<Outcome> {
        let action = if position.is_some() {
            Action::MoveAgendaItem
        } else {
            Action::RemoveAgendaItem
        };
        check(actor, action, None)?;
        let not_found = || WorkflowError::NotFound(format!("agenda item {item_id} not found"));
        if !is_id(item_id) {
            return Err(not_found());
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let item = meeting_agenda::Entity::find()
            .filter(meeting_agenda::Column::Id.eq(item_id))
            .one(tx.conn())
            .await?
            .ok_or_else(not_found)?;
        let agenda = agenda_rows(tx.conn(), &item.meeting_id).await?;
        let mut order: Vec<String> = agenda.iter().map(item_id_of).collect::<Result<_>>()?;
        order.retain(|id| id != item_id);
        if let Some(position) = position {
            let last = agenda.len() as i32;
            if !(1..=last).contains(&position) {
                return Err(WorkflowError::bad_input(format!(
                    "position must be between 1 and {last}"
                )));
            }
            order.insert(position as usize - 1, item_id.to_owned());
        } else {
            meeting_agenda::Entity::delete_many()
                .filter(meeting_agenda::Column::Id.eq(item_id))
                .exec(tx.conn())
                .await?;
        }
        reorder(&tx, &item.meeting_id, &order).await?;
        tx.audit(
            actor,
            AuditRecord {
                action: action.as_str().into(),
                entity_type: "meeting",
                entity_id: item.meeting_id.clone(),
                draft_id: item.draft_id.clone(),
                before: Some(json!({ "item": item_id, "position": item.position })),
                after: Some(json!({ "item": item_id, "position": position })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Meeting {
            meeting_id: item.meeting_id,
        })
    }

    /// Records a decision taken at a meeting (Secretariat).
    pub(crate) async fn record_decision(&self, actor: &Actor, new: NewDecision) -> Result<Outcome> {
        check(actor, Action::RecordDecision, None)?;
        check_texts("title", &new.title, MAX_TITLE_CHARS)?;
        if let Some(text) = &new.text {
            check_texts("text", text, MAX_DECISION_TEXT_CHARS)?;
        }
        if new.approves.len() > MAX_APPROVALS {
            return Err(WorkflowError::bad_input(format!(
                "a decision approves at most {MAX_APPROVALS} things"
            )));
        }
        let mut drafts = BTreeSet::new();
        for approved in &new.approves {
            match approved {
                Approved::Draft(id) => {
                    if !drafts.insert(id.as_str()) {
                        return Err(WorkflowError::bad_input(format!(
                            "draft {id} is approved twice"
                        )));
                    }
                }
                Approved::Document { kind, title } => {
                    if *kind == ApprovalKind::Draft {
                        return Err(WorkflowError::bad_input(
                            "an approved draft is named by its id, not by a title",
                        ));
                    }
                    check_texts("title", title, MAX_TITLE_CHARS)?;
                }
            }
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let meeting = find_meeting(tx.conn(), &new.meeting_id).await?;
        for id in &drafts {
            if !is_id(id)
                || draft::Entity::find_by_id((*id).to_owned())
                    .one(tx.conn())
                    .await?
                    .is_none()
            {
                return Err(WorkflowError::bad_input(format!(
                    "draft {id:?} does not exist"
                )));
            }
        }
        let number = decision_number(&tx, &meeting, new.number).await?;
        let decision_id = insert_decision(
            &tx,
            &meeting,
            &number,
            Some(&new.title),
            new.text.as_ref(),
            &new.approves,
            now,
        )
        .await?;
        tx.audit(
            actor,
            AuditRecord {
                action: Action::RecordDecision.as_str().into(),
                entity_type: "decision",
                entity_id: decision_id.clone(),
                after: Some(json!({
                    "number": number.to_string(),
                    "meeting": meeting.id,
                    "date": meeting.date,
                    "title": new.title,
                    "text": new.text,
                    "approves": approvals_json(&new.approves),
                })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Decision { decision_id })
    }

    /// Replaces a decision's title and text if it is still at `revision`.
    pub(crate) async fn edit_decision(
        &self,
        actor: &Actor,
        decision_id: &str,
        revision: i32,
        title: Texts,
        text: Option<Texts>,
    ) -> Result<Outcome> {
        check(actor, Action::EditDecision, None)?;
        check_texts("title", &title, MAX_TITLE_CHARS)?;
        if let Some(text) = &text {
            check_texts("text", text, MAX_DECISION_TEXT_CHARS)?;
        }
        let now = self.now();
        let mut tx = self.store().begin_write().await?;
        let row = find_by_id::<decision::Entity, _>(tx.conn(), decision_id, "decision").await?;
        if row.revision != revision {
            return Err(WorkflowError::Conflict(format!(
                "the decision is at revision {}, not {revision}; reload it and try again",
                row.revision
            )));
        }
        expect_one(
            tx.conn(),
            decision::Entity::update_many()
                .col_expr(decision::Column::Title, Expr::value(to_json(&title)?))
                .col_expr(
                    decision::Column::Text,
                    Expr::value(text.as_ref().map(to_json).transpose()?),
                )
                .col_expr(decision::Column::Revision, Expr::value(revision + 1))
                .filter(decision::Column::Id.eq(decision_id))
                .filter(decision::Column::Revision.eq(revision)),
            "the decision changed meanwhile; reload it and try again",
        )
        .await?;
        let stored = |raw: &Option<String>, what: &str| {
            raw.as_deref()
                .map(|t| from_json::<Texts>(t, what))
                .transpose()
        };
        tx.audit(
            actor,
            AuditRecord {
                action: Action::EditDecision.as_str().into(),
                entity_type: "decision",
                entity_id: row.id.clone(),
                before: Some(json!({
                    "revision": row.revision,
                    "title": stored(&row.title, "decision title")?,
                    "text": stored(&row.text, "decision text")?,
                })),
                after: Some(json!({ "revision": revision + 1, "title": title, "text": text })),
                ..AuditRecord::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Outcome::Decision {
            decision_id: row.id,
        })
    }
}

/// The meeting of `body` on `date`, created if needed, and whether it was
/// created. A new meeting takes `session` if given, else the next session
/// number of its body and year; it is held in `Astana` until recorded
/// otherwise. This is the only code that creates meetings.
pub(crate) async fn meeting_on(
    tx: &WriteTx,
    body: &str,
    date: NaiveDate,
    session: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(meeting::Model, bool)> {
    if let Some(existing) = meeting::Entity::find()
        .filter(meeting::Column::Body.eq(body))
        .filter(meeting::Column::Date.eq(date))
        .one(tx.conn())
        .await?
    {
        return Ok((existing, false));
    }
    let session = match session {
        Some(session) => {
            let taken = meeting::Entity::find()
                .filter(meeting::Column::Body.eq(body))
                .filter(meeting::Column::Year.eq(date.year()))
                .filter(meeting::Column::Session.eq(session))
                .one(tx.conn())
                .await?;
            if let Some(other) = taken {
                return Err(WorkflowError::bad_input(format!(
                    "session {} of the {body} was held on {}, not {date}",
                    SessionNumber::new(date.year(), session as u32)?,
                    other.date
                )));
            }
            session
        }
        None => {
            let last: Option<i32> = meeting::Entity::find()
                .select_only()
                .column_as(meeting::Column::Session.max(), "max")
                .filter(meeting::Column::Body.eq(body))
                .filter(meeting::Column::Year.eq(date.year()))
                .into_tuple::<Option<i32>>()
                .one(tx.conn())
                .await?
                .flatten();
            last.unwrap_or(0) + 1
        }
    };
    let row = meeting::Model {
        id: uuid::Uuid::now_v7().to_string(),
        body: body.to_owned(),
        date,
        year: date.year(),
        session: Some(session),
        venue: DEFAULT_VENUE.to_owned(),
        title: None,
        created_at: now,
    };
    meeting::Entity::insert(meeting::ActiveModel {
        id: Set(row.id.clone()),
        body: Set(row.body.clone()),
        date: Set(date),
        year: Set(row.year),
        session: Set(row.session),
        venue: Set(row.venue.clone()),
        title: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok((row, true))
}

/// Puts a draft on a meeting's agenda at the end, unless it is there
/// already (for `openSwgDiscussion` and `recordSocAgreement`).
pub(crate) async fn put_draft_on_agenda(
    tx: &WriteTx,
    meeting_id: &str,
    draft_id: &str,
) -> Result<()> {
    let on_agenda = meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .filter(meeting_agenda::Column::DraftId.eq(draft_id))
        .count(tx.conn())
        .await?;
    if on_agenda == 0 {
        append_to_agenda(tx, meeting_id, &AgendaSubject::Draft(draft_id.to_owned())).await?;
    }
    Ok(())
}

/// Appends an item after the last one (positions are gap-free, so that is
/// the item count plus one, read inside the write lock); its id.
async fn append_to_agenda(
    tx: &WriteTx,
    meeting_id: &str,
    subject: &AgendaSubject,
) -> Result<String> {
    let count = meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .count(tx.conn())
        .await?;
    let id = uuid::Uuid::now_v7().to_string();
    let (draft_id, title) = match subject {
        AgendaSubject::Draft(draft_id) => (Some(draft_id.clone()), None),
        AgendaSubject::Titled(title) => (None, Some(to_json(title)?)),
    };
    meeting_agenda::Entity::insert(meeting_agenda::ActiveModel {
        meeting_id: Set(meeting_id.to_owned()),
        position: Set(count as i32 + 1),
        draft_id: Set(draft_id),
        title: Set(title),
        id: Set(Some(id.clone())),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(id)
}

/// Numbers a meeting's agenda 1, 2, 3, … in the order of `ids`. The
/// positions are first turned negative, so that no statement ever meets
/// the (meeting, position) key of a row not yet moved.
async fn reorder(tx: &WriteTx, meeting_id: &str, ids: &[String]) -> Result<()> {
    meeting_agenda::Entity::update_many()
        .col_expr(
            meeting_agenda::Column::Position,
            Expr::col(meeting_agenda::Column::Position).mul(-1),
        )
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .exec(tx.conn())
        .await?;
    for (index, id) in ids.iter().enumerate() {
        expect_one(
            tx.conn(),
            meeting_agenda::Entity::update_many()
                .col_expr(
                    meeting_agenda::Column::Position,
                    Expr::value(index as i32 + 1),
                )
                .filter(meeting_agenda::Column::Id.eq(id.as_str())),
            "the agenda changed meanwhile; reload it and try again",
        )
        .await?;
    }
    Ok(())
}

/// The next decision number of `meeting`'s session, or `given` checked
/// against the meeting (same body, year and session; not yet taken). This
/// is the only code that numbers decisions. The SWG discusses and decides
/// nothing: a decision of an SWG meeting is `BAD_USER_INPUT`.
pub(crate) async fn decision_number(
    tx: &WriteTx,
    meeting: &meeting::Model,
    given: Option<DecisionNumber>,
) -> Result<DecisionNumber> {
    if meeting.body == "SWG" {
        return Err(WorkflowError::bad_input(
            "the SWG discusses drafts but takes no decisions",
        ));
    }
    let session = meeting
        .session
        .ok_or_else(|| WorkflowError::Corrupt(format!("meeting {} has no session", meeting.id)))?;
    let session_number = SessionNumber::new(meeting.year, session as u32)?;
    match given {
        Some(number) => {
            if number.body() != meeting.body {
                return Err(WorkflowError::bad_input(format!(
                    "decision {number} is not a decision of the {}",
                    meeting.body
                )));
            }
            if number.year() != meeting.year {
                return Err(WorkflowError::bad_input(format!(
                    "decision {number} is of {} but the meeting is in {}",
                    number.year(),
                    meeting.year
                )));
            }
            if number.session() != session_number {
                return Err(WorkflowError::bad_input(format!(
                    "the {} meeting of {} is session {session_number}, not {}",
                    meeting.body,
                    meeting.date,
                    number.session()
                )));
            }
            let taken = decision::Entity::find()
                .filter(decision::Column::Number.eq(number.to_string()))
                .count(tx.conn())
                .await?;
            if taken > 0 {
                return Err(WorkflowError::bad_input(format!(
                    "decision {number} already exists"
                )));
            }
            Ok(number)
        }
        None => {
            let last: Option<i32> = decision::Entity::find()
                .select_only()
                .column_as(decision::Column::Sequence.max(), "max")
                .filter(decision::Column::Body.eq(meeting.body.as_str()))
                .filter(decision::Column::Year.eq(meeting.year))
                .filter(decision::Column::Session.eq(session))
                .into_tuple::<Option<i32>>()
                .one(tx.conn())
                .await?
                .flatten();
            Ok(DecisionNumber::new(
                &meeting.body,
                session_number,
                last.unwrap_or(0) as u32 + 1,
            )?)
        }
    }
}

/// Stores a numbered decision of `meeting` with what it approves; its id.
/// The first approved draft is also kept in `decisions.draft_id`, which
/// `Draft.decision` reads.
pub(crate) async fn insert_decision(
    tx: &WriteTx,
    meeting: &meeting::Model,
    number: &DecisionNumber,
    title: Option<&Texts>,
    text: Option<&Texts>,
    approves: &[Approved],
    now: DateTime<Utc>,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let first_draft = approves.iter().find_map(|a| match a {
        Approved::Draft(id) => Some(id.clone()),
        Approved::Document { .. } => None,
    });
    decision::Entity::insert(decision::ActiveModel {
        id: Set(id.clone()),
        number: Set(number.to_string()),
        body: Set(meeting.body.clone()),
        year: Set(number.year()),
        session: Set(number.session().session() as i32),
        sequence: Set(number.sequence() as i32),
        date: Set(meeting.date),
        meeting_id: Set(meeting.id.clone()),
        draft_id: Set(first_draft),
        created_at: Set(now),
        title: Set(title.map(to_json).transpose()?),
        text: Set(text.map(to_json).transpose()?),
        revision: Set(1),
    })
    .exec_without_returning(tx.conn())
    .await?;
    let rows = approves
        .iter()
        .enumerate()
        .map(|(index, approved)| {
            let (kind, draft_id, title) = match approved {
                Approved::Draft(draft_id) => (ApprovalKind::Draft, Some(draft_id.clone()), None),
                Approved::Document { kind, title } => (*kind, None, Some(to_json(title)?)),
            };
            Ok(decision_approval::ActiveModel {
                decision_id: Set(id.clone()),
                position: Set(index as i32 + 1),
                kind: Set(kind.as_str().to_owned()),
                draft_id: Set(draft_id),
                title: Set(title),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if !rows.is_empty() {
        decision_approval::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(id)
}

/// The session of a stored meeting as written (`2024-II`).
pub(crate) fn session_text(row: &meeting::Model) -> Result<Option<String>> {
    row.session
        .map(|s| Ok(SessionNumber::new(row.year, s as u32)?.to_string()))
        .transpose()
}

fn approvals_json(approves: &[Approved]) -> serde_json::Value {
    approves
        .iter()
        .map(|a| match a {
            Approved::Draft(id) => json!({ "kind": "DRAFT", "draft": id }),
            Approved::Document { kind, title } => json!({ "kind": kind.as_str(), "title": title }),
        })
        .collect()
}

/// A body's code must name a row of `bodies`.
async fn known_body<C: ConnectionTrait>(conn: &C, code: &str) -> Result<body::Model> {
    body::Entity::find_by_id(code.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| {
            WorkflowError::bad_input(format!(
                "body {code:?} is not known; the bodies are SWG, SOC, MC and SUMMIT"
            ))
        })
}

async fn find_meeting<C: ConnectionTrait>(conn: &C, id: &str) -> Result<meeting::Model> {
    find_by_id::<meeting::Entity, _>(conn, id, "meeting").await
}

async fn agenda_rows<C: ConnectionTrait>(
    conn: &C,
    meeting_id: &str,
) -> Result<Vec<meeting_agenda::Model>> {
    Ok(meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_agenda::Column::Position)
        .all(conn)
        .await?)
}

fn item_id_of(row: &meeting_agenda::Model) -> Result<String> {
    row.id.clone().ok_or_else(|| {
        WorkflowError::Corrupt(format!(
            "agenda item {} of meeting {} has no id",
            row.position, row.meeting_id
        ))
    })
}

fn venue(given: &str) -> Result<String> {
    Ok(accord_domain::one_line("venue", given, MAX_VENUE_CHARS)?)
}

fn check_texts(field: &str, texts: &Texts, max_chars: usize) -> Result<()> {
    for (lang, text) in texts.iter() {
        if text.chars().count() > max_chars {
            return Err(WorkflowError::bad_input(format!(
                "the {lang} {field} is longer than {max_chars} characters"
            )));
        }
    }
    Ok(())
}

/// Rows after the keyset cursor `(date, id)` of a listing ordered by date
/// and id, newest first.
fn before_cursor<C: ColumnTrait>(date: C, id: C, at: (NaiveDate, String)) -> Condition {
    Condition::any()
        .add(date.lt(at.0))
        .add(Condition::all().add(date.eq(at.0)).add(id.lt(at.1)))
}

impl Reader {
    /// Every body that meets, in the order of the reference data.
    pub async fn bodies(&self) -> Result<Vec<(String, Texts)>> {
        body::Entity::find()
            .order_by_asc(body::Column::Position)
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(|b| Ok((b.code, from_json(&b.names, "body names")?)))
            .collect()
    }

    /// One meeting, or `NOT_FOUND`.
    pub async fn meeting(&self, id: &str) -> Result<MeetingRecord> {
        let row = find_meeting(&self.conn().await?, id).await?;
        self.meeting_records(vec![row])
            .await?
            .pop()
            .ok_or_else(|| WorkflowError::NotFound(format!("meeting {id} not found")))
    }

    /// Meetings by id; unknown ids are left out.
    pub async fn meetings_by_id(&self, ids: &[String]) -> Result<HashMap<String, MeetingRecord>> {
        let rows = meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(ids.iter().filter(|id| is_id(id)).cloned()))
            .all(&self.conn().await?)
            .await?;
        Ok(self
            .meeting_records(rows)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect())
    }

    /// The meetings matching `filter`, newest first (by date), `first` at
    /// a time after the opaque `after` cursor.
    pub async fn meetings_page(
        &self,
        filter: &MeetingFilter,
        first: u64,
        after: Option<&str>,
    ) -> Result<Page<MeetingRecord>> {
        check_first(first)?;
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(WorkflowError::bad_input(format!(
                "from {from} is after to {to}"
            )));
        }
        let after = parse_cursor(after)?;
        let mut c = Condition::all();
        if let Some(body) = &filter.body {
            known_body(&self.conn().await?, body).await?;
            c = c.add(meeting::Column::Body.eq(body.as_str()));
        }
        if let Some(year) = filter.year {
            c = c.add(meeting::Column::Year.eq(year));
        }
        if let Some(from) = filter.from {
            c = c.add(meeting::Column::Date.gte(from));
        }
        if let Some(to) = filter.to {
            c = c.add(meeting::Column::Date.lte(to));
        }
        let db = &self.conn().await?;
        let total = meeting::Entity::find().filter(c.clone()).count(db).await?;
        let mut query = meeting::Entity::find().filter(c);
        if let Some(after) = after {
            let at = find_meeting(db, &after).await.map_err(|_| {
                WorkflowError::bad_input(format!("after {after:?} is not a cursor from this API"))
            })?;
            query = query.filter(before_cursor(
                meeting::Column::Date,
                meeting::Column::Id,
                (at.date, at.id),
            ));
        }
        let rows = query
            .order_by_desc(meeting::Column::Date)
            .order_by_desc(meeting::Column::Id)
            .limit(first + 1)
            .all(db)
            .await?;
        let page = cut(rows, first, total, |m| m.id.clone());
        Ok(Page {
            nodes: self.meeting_records(page.nodes).await?,
            has_next_page: page.has_next_page,
            end_cursor: page.end_cursor,
            total_count: page.total_count,
        })
    }

    /// The agenda of each meeting as the viewer may see it, in order.
    pub async fn agendas(
        &self,
        meeting_ids: &[String],
    ) -> Result<HashMap<String, Vec<AgendaEntry>>> {
        let rows = meeting_agenda::Entity::find()
            .filter(meeting_agenda::Column::MeetingId.is_in(meeting_ids.iter().cloned()))
            .order_by_asc(meeting_agenda::Column::MeetingId)
            .order_by_asc(meeting_agenda::Column::Position)
            .all(&self.conn().await?)
            .await?;
        let drafts = self
            .visible_drafts(rows.iter().filter_map(|r| r.draft_id.clone()).collect())
            .await?;
        let mut out: HashMap<String, Vec<AgendaEntry>> = HashMap::new();
        for row in rows {
            let draft = match &row.draft_id {
                Some(id) => match drafts.get(id) {
                    Some(view) => Some(view.clone()),
                    None => continue,
                },
                None => None,
            };
            let list = out.entry(row.meeting_id.clone()).or_default();
            list.push(AgendaEntry {
                id: item_id_of(&row)?,
                position: list.len() as i32 + 1,
                title: row
                    .title
                    .as_deref()
                    .map(|t| from_json(t, "agenda title"))
                    .transpose()?,
                draft,
            });
        }
        Ok(out)
    }

    /// The decisions taken at each meeting, in the order of their numbers.
    pub async fn decisions_at(
        &self,
        meeting_ids: &[String],
    ) -> Result<HashMap<String, Vec<DecisionRecord>>> {
        let rows = decision::Entity::find()
            .filter(decision::Column::MeetingId.is_in(meeting_ids.iter().cloned()))
            .order_by_asc(decision::Column::Sequence)
            .all(&self.conn().await?)
            .await?;
        let mut out: HashMap<String, Vec<DecisionRecord>> = HashMap::new();
        for record in self.decision_records(rows).await? {
            out.entry(record.meeting_id.clone())
                .or_default()
                .push(record);
        }
        Ok(out)
    }

    /// One decision by id, or `NOT_FOUND`.
    pub async fn decision(&self, id: &str) -> Result<DecisionRecord> {
        let not_found = || WorkflowError::NotFound(format!("decision {id} not found"));
        if !is_id(id) {
            return Err(not_found());
        }
        let rows = decision::Entity::find_by_id(id.to_owned())
            .all(&self.conn().await?)
            .await?;
        self.decision_records(rows)
            .await?
            .pop()
            .ok_or_else(not_found)
    }

    /// Decisions by id; unknown ids are left out.
    pub async fn decisions_by_id(&self, ids: &[String]) -> Result<HashMap<String, DecisionRecord>> {
        let rows = decision::Entity::find()
            .filter(decision::Column::Id.is_in(ids.iter().filter(|id| is_id(id)).cloned()))
            .all(&self.conn().await?)
            .await?;
        Ok(self
            .decision_records(rows)
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect())
    }

    /// One decision by number, or `NOT_FOUND`.
    pub async fn decision_by_number(&self, number: &DecisionNumber) -> Result<DecisionRecord> {
        let rows = decision::Entity::find()
            .filter(decision::Column::Number.eq(number.to_string()))
            .all(&self.conn().await?)
            .await?;
        self.decision_records(rows)
            .await?
            .pop()
            .ok_or_else(|| WorkflowError::NotFound(format!("decision {number} not found")))
    }

    /// The decisions matching `filter`, newest first (by date), `first` at
    /// a time after the opaque `after` cursor. A draft the viewer may not
    /// see approves nothing they can list.
    pub async fn decisions_page(
        &self,
        filter: &DecisionFilter,
        first: u64,
        after: Option<&str>,
    ) -> Result<Page<DecisionRecord>> {
        check_first(first)?;
        let after = parse_cursor(after)?;
        let db = &self.conn().await?;
        let mut c = Condition::all();
        if let Some(year) = filter.year {
            c = c.add(decision::Column::Year.eq(year));
        }
        if let Some(session) = filter.session {
            c = c
                .add(decision::Column::Year.eq(session.year()))
                .add(decision::Column::Session.eq(session.session() as i32));
        }
        if let Some(draft_id) = &filter.approves_draft {
            if self
                .visible_drafts(vec![draft_id.clone()])
                .await?
                .is_empty()
            {
                return Ok(cut(Vec::new(), first, 0, |d: &DecisionRecord| d.id.clone()));
            }
            c = c.add(
                decision::Column::Id.in_subquery(
                    Query::select()
                        .column(decision_approval::Column::DecisionId)
                        .from(decision_approval::Entity)
                        .and_where(
                            Expr::col(decision_approval::Column::DraftId).eq(draft_id.as_str()),
                        )
                        .to_owned(),
                ),
            );
        }
        let total = decision::Entity::find().filter(c.clone()).count(db).await?;
        let mut query = decision::Entity::find().filter(c);
        if let Some(after) = after {
            let at = decision::Entity::find_by_id(after.clone())
                .one(db)
                .await?
                .ok_or_else(|| {
                    WorkflowError::bad_input(format!(
                        "after {after:?} is not a cursor from this API"
                    ))
                })?;
            query = query.filter(before_cursor(
                decision::Column::Date,
                decision::Column::Id,
                (at.date, at.id),
            ));
        }
        let rows = query
            .order_by_desc(decision::Column::Date)
            .order_by_desc(decision::Column::Id)
            .limit(first + 1)
            .all(db)
            .await?;
        let page = cut(rows, first, total, |d| d.id.clone());
        Ok(Page {
            nodes: self.decision_records(page.nodes).await?,
            has_next_page: page.has_next_page,
            end_cursor: page.end_cursor,
            total_count: page.total_count,
        })
    }

    async fn meeting_records(&self, rows: Vec<meeting::Model>) -> Result<Vec<MeetingRecord>> {
        let names: HashMap<String, Texts> = self.bodies().await?.into_iter().collect();
        rows.into_iter()
            .map(|row| {
                let body_names = names.get(&row.body).cloned().ok_or_else(|| {
                    WorkflowError::Corrupt(format!(
                        "meeting {} of unknown body {}",
                        row.id, row.body
                    ))
                })?;
                Ok(MeetingRecord {
                    title: row
                        .title
                        .as_deref()
                        .map(|t| from_json(t, "meeting title"))
                        .transpose()?,
                    id: row.id,
                    body: row.body,
                    body_names,
                    date: row.date,
                    session: row.session,
                    venue: row.venue,
                })
            })
            .collect()
    }

    async fn decision_records(&self, rows: Vec<decision::Model>) -> Result<Vec<DecisionRecord>> {
        let approvals = decision_approval::Entity::find()
            .filter(decision_approval::Column::DecisionId.is_in(rows.iter().map(|d| d.id.clone())))
            .order_by_asc(decision_approval::Column::DecisionId)
            .order_by_asc(decision_approval::Column::Position)
            .all(&self.conn().await?)
            .await?;
        let drafts = self
            .visible_drafts(
                approvals
                    .iter()
                    .filter_map(|a| a.draft_id.clone())
                    .collect(),
            )
            .await?;
        let mut by_decision: HashMap<String, Vec<ApprovalView>> = HashMap::new();
        for row in approvals {
            let draft = match &row.draft_id {
                Some(id) => match drafts.get(id) {
                    Some(view) => Some(view.clone()),
                    None => continue,
                },
                None => None,
            };
            by_decision
                .entry(row.decision_id.clone())
                .or_default()
                .push(ApprovalView {
                    kind: ApprovalKind::parse(&row.kind)?,
                    title: row
                        .title
                        .as_deref()
                        .map(|t| from_json(t, "approval title"))
                        .transpose()?,
                    draft,
                });
        }
        rows.into_iter()
            .map(|row| {
                let texts = |raw: &Option<String>, what: &str| {
                    raw.as_deref().map(|t| from_json(t, what)).transpose()
                };
                Ok(DecisionRecord {
                    title: texts(&row.title, "decision title")?,
                    text: texts(&row.text, "decision text")?,
                    approvals: by_decision.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    number: row.number,
                    body: row.body,
                    date: row.date,
                    year: row.year,
                    session: row.session,
                    meeting_id: row.meeting_id,
                    revision: row.revision,
                })
            })
            .collect()
    }

    /// The drafts among `ids` that the viewer may see, in three statements
    /// whatever their number.
    async fn visible_drafts(&self, ids: Vec<String>) -> Result<HashMap<String, DraftView>> {
        let ids: Vec<String> = ids.into_iter().filter(|id| is_id(id)).collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let db = &self.conn().await?;
        let rows = draft::Entity::find()
            .filter(draft::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?;
        let mut out = HashMap::new();
        for snap in snapshots(db, rows).await? {
            if let Some(view) = self.view(snap)? {
                out.insert(view.id.clone(), view);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use accord_domain::{Anchor, Content, Item, Lang, OrgCode, OrgKind, Role};

    use super::*;
    use crate::entity::audit_log;
    use crate::store::Store;
    use crate::testing::{fresh_store, officer};
    use crate::{Command, NewDraft};

    fn english(text: &str) -> Texts {
        Texts::from_pairs([(Lang::En, text.to_owned())]).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn delegate() -> Actor {
        Actor::new(
            "kaz-delegate",
            "A Delegate",
            OrgCode::parse("KAZ").unwrap(),
            OrgKind::MemberState,
            [Role::Delegate],
        )
        .unwrap()
    }

    async fn draft(engine: &Engine) -> String {
        let content = Content::new(vec![Item {
            anchor: Anchor::parse("item-1").unwrap(),
            texts: english("A text."),
        }])
        .unwrap();
        match engine
            .execute(
                &officer(),
                Command::CreateDraft(NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: english("An internal draft"),
                    signatories: vec![OrgCode::parse("CICA").unwrap()],
                    content,
                }),
            )
            .await
            .unwrap()
        {
            Outcome::Draft { draft_id, .. } => draft_id,
            other => panic!("{other:?}"),
        }
    }

    async fn meeting(engine: &Engine, body: &str, day: NaiveDate, session: Option<&str>) -> String {
        let new = NewMeeting {
            body: body.into(),
            date: day,
            session: session.map(|s| SessionNumber::parse(s).unwrap()),
            venue: None,
            title: None,
        };
        match engine
            .execute(&officer(), Command::ScheduleMeeting(new))
            .await
            .unwrap()
        {
            Outcome::Meeting { meeting_id } => meeting_id,
            other => panic!("{other:?}"),
        }
    }

    async fn add(engine: &Engine, meeting_id: &str, title: &str, position: Option<i32>) {
        engine
            .execute(
                &officer(),
                Command::AddAgendaItem {
                    meeting_id: meeting_id.into(),
                    subject: AgendaSubject::Titled(english(title)),
                    position,
                },
            )
            .await
            .unwrap();
    }

    async fn titles(store: &Store, actor: Actor, meeting_id: &str) -> Vec<(i32, String)> {
        Reader::new(store.clone(), actor)
            .agendas(&[meeting_id.to_owned()])
            .await
            .unwrap()
            .remove(meeting_id)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let title = match (&a.title, &a.draft) {
                    (Some(t), _) => t.first().to_owned(),
                    (None, Some(d)) => d.title.first().to_owned(),
                    (None, None) => String::new(),
                };
                (a.position, title)
            })
            .collect()
    }

    fn numbered(titles: &[&str]) -> Vec<(i32, String)> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i32 + 1, (*t).to_owned()))
            .collect()
    }

    #[tokio::test]
    async fn an_agenda_stays_numbered_without_gaps_through_adds_moves_and_removals() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SOC", date(2024, 6, 27), Some("2024-II")).await;
        add(&engine, &id, "B", None).await;
        add(&engine, &id, "C", None).await;
        add(&engine, &id, "A", Some(1)).await;
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["A", "B", "C"])
        );
        let items = Reader::new(store.clone(), officer())
            .agendas(std::slice::from_ref(&id))
            .await
            .unwrap()
            .remove(&id)
            .unwrap();
        engine
            .execute(
                &officer(),
                Command::MoveAgendaItem {
                    item_id: items[0].id.clone(),
                    position: 3,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["B", "C", "A"])
        );
        engine
            .execute(
                &officer(),
                Command::RemoveAgendaItem {
                    item_id: items[1].id.clone(),
                },
            )
            .await
            .unwrap();
        assert_eq!(titles(&store, officer(), &id).await, numbered(&["C", "A"]));
        let refused = engine
            .execute(
                &officer(),
                Command::MoveAgendaItem {
                    item_id: items[0].id.clone(),
                    position: 3,
                },
            )
            .await;
        assert!(
            matches!(refused, Err(WorkflowError::Rejected(_))),
            "{refused:?}"
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::EntityId.eq(id.as_str()))
            .count(store.db())
            .await
            .unwrap();
        assert_eq!(audited, 6, "schedule, three adds, a move and a removal");
    }

    #[tokio::test]
    async fn concurrent_additions_get_distinct_consecutive_positions() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SWG", date(2024, 6, 25), None).await;
        let adds = (0..12).map(|n| {
            let engine = engine.clone();
            let id = id.clone();
            tokio::spawn(async move { add(&engine, &id, &format!("Item {n}"), None).await })
        });
        for handle in adds.collect::<Vec<_>>() {
            handle.await.unwrap();
        }
        let positions: Vec<i32> = titles(&store, officer(), &id)
            .await
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(positions, (1..=12).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_draft_the_viewer_may_not_see_is_left_off_the_agenda() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SWG", date(2024, 6, 25), None).await;
        let internal = draft(&engine).await;
        add(&engine, &id, "Opening", None).await;
        engine
            .execute(
                &officer(),
                Command::AddAgendaItem {
                    meeting_id: id.clone(),
                    subject: AgendaSubject::Draft(internal),
                    position: None,
                },
            )
            .await
            .unwrap();
        add(&engine, &id, "Closing", None).await;
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["Opening", "An internal draft", "Closing"])
        );
        assert_eq!(
            titles(&store, delegate(), &id).await,
            numbered(&["Opening", "Closing"])
        );
    }

    #[tokio::test]
    async fn decisions_are_numbered_per_session_and_checked_against_the_meeting() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let soc = meeting(&engine, "SOC", date(2023, 12, 12), Some("2023-III")).await;
        let record = |number: Option<&str>, meeting_id: &str| {
            Command::RecordDecision(NewDecision {
                meeting_id: meeting_id.to_owned(),
                number: number.map(|n| DecisionNumber::parse(n).unwrap()),
                title: english("On the Plan of Implementation for 2024"),
                text: None,
                approves: vec![Approved::Document {
                    kind: ApprovalKind::Plan,
                    title: english("Plan of Implementation of CBMs for 2024"),
                }],
            })
        };
        let reader = Reader::new(store.clone(), delegate());
        engine
            .execute(&officer(), record(Some("SOC/2023-III/DEC/2"), &soc))
            .await
            .unwrap();
        let Outcome::Decision { decision_id } = engine
            .execute(&officer(), record(None, &soc))
            .await
            .unwrap()
        else {
            panic!("not a decision");
        };
        assert_eq!(
            reader.decision(&decision_id).await.unwrap().number,
            "SOC/2023-III/DEC/3"
        );
        for (number, why) in [
            ("SOC/2023-III/DEC/2", "taken"),
            ("SOC/2023-II/DEC/9", "another session"),
            ("SOC/2024-III/DEC/9", "another year"),
            ("MC/2023-III/DEC/9", "another body"),
        ] {
            let refused = engine.execute(&officer(), record(Some(number), &soc)).await;
            assert!(
                matches!(refused, Err(WorkflowError::Rejected(_))),
                "{why}: {refused:?}"
            );
        }
        let swg = meeting(&engine, "SWG", date(2023, 12, 11), None).await;
        let refused = engine.execute(&officer(), record(None, &swg)).await;
        assert!(
            matches!(refused, Err(WorkflowError::Rejected(_))),
            "{refused:?}"
        );
        let refused = engine.execute(&delegate(), record(None, &soc)).await;
        assert!(
            matches!(refused, Err(WorkflowError::Forbidden(_))),
            "{refused:?}"
        );
        let found = reader
            .decision_by_number(&DecisionNumber::parse("SOC/2023-III/DEC/2").unwrap())
            .await
            .unwrap();
        assert_eq!(found.approvals[0].kind, ApprovalKind::Plan);
        assert_eq!(found.date, date(2023, 12, 12));
    }

    #[tokio::test]
    async fn a_meeting_is_recorded_once_per_body_and_date_with_a_known_body() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "MC", date(2024, 10, 1), None).await;
        let again = NewMeeting {
            body: "MC".into(),
            date: date(2024, 10, 1),
            session: None,
            venue: Some("Baku".into()),
            title: None,
        };
        let refused = engine
            .execute(&officer(), Command::ScheduleMeeting(again.clone()))
            .await;
        assert!(
            matches!(refused, Err(WorkflowError::Rejected(_))),
            "{refused:?}"
        );
        let unknown = NewMeeting {
            body: "UNGA".into(),
            ..again
        };
        let refused = engine
            .execute(&officer(), Command::ScheduleMeeting(unknown))
            .await;
        assert!(
            matches!(refused, Err(WorkflowError::Rejected(_))),
            "{refused:?}"
        );
        let read = Reader::new(store.clone(), delegate())
            .meeting(&id)
            .await
            .unwrap();
        assert_eq!(read.venue, DEFAULT_VENUE);
        assert_eq!(read.session, Some(1));
        assert_eq!(read.body_names.get(Lang::En), Some("Ministerial Council"));
    }
}
