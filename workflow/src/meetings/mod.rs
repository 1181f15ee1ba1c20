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
//!   (`agenda::reorder`), so concurrent changes never produce a duplicate
//!   or a gap.
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
//!
//! Each job has its file: this one schedules and edits meetings and reads
//! them (`meeting_on` is here); `agenda` keeps the agendas; `decisions`
//! numbers, records, edits and reads decisions.

use std::collections::HashMap;

use accord_domain::{SessionNumber, Texts};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Order};
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
use crate::entity::{body, draft, meeting};
use crate::error::{Result, WorkflowError};
use crate::paging::{Page, Window, unknown_cursor};
use crate::permissions::Action;
use crate::read::{DraftView, Reader};
use crate::snapshot::snapshots;
use crate::store::{WriteTx, expect_one, find_by_id};

mod agenda;
mod decisions;

pub(crate) use agenda::put_draft_on_agenda;
pub use agenda::{AgendaEntry, AgendaSubject};
pub use decisions::{
    ApprovalKind, ApprovalView, Approved, DecisionFilter, DecisionRecord, NewDecision,
};
pub(crate) use decisions::{decision_number, insert_decision};

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
        let tx = self.store().begin_write().await?;
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
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::ScheduleMeeting,
                "meeting",
                &row.id,
                None,
                json!({
                    "body": new.body,
                    "date": new.date,
                    "session": session_text(&row)?,
                    "venue": venue,
                    "title": new.title,
                }),
            ),
            now,
        )
        .await?;
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
        let tx = self.store().begin_write().await?;
        let row = find_meeting(tx.conn(), meeting_id).await?;
        let mut update = meeting::Entity::update_many().filter(meeting::Column::Id.eq(meeting_id));
        if let Some(venue) = &new_venue {
            update = update.col_expr(meeting::Column::Venue, Expr::value(venue.as_str()));
        }
        if let Some(title) = &new_title {
            update = update.col_expr(meeting::Column::Title, Expr::value(to_json(title)?));
        }
        expect_one(tx.conn(), update, "the meeting vanished").await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(Action::EditMeeting, "meeting", &row.id, Some(json!({
                    "venue": row.venue,
                    "title": row.title.as_deref().map(|t| from_json::<Texts>(t, "meeting title")).transpose()?,
                })), json!({
                    "venue": new_venue.as_deref().unwrap_or(&row.venue),
                    "title": match &new_title {
                        Some(title) => Some(title.clone()),
                        None => row.title.as_deref().map(|t| from_json::<Texts>(t, "meeting title")).transpose()?,
                    },
                })),
            now,
        )
.await?;
        Ok(Outcome::Meeting { meeting_id: row.id })
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

/// The session of a stored meeting as written (`2024-II`).
pub(crate) fn session_text(row: &meeting::Model) -> Result<Option<String>> {
    row.session
        .map(|s| Ok(SessionNumber::new(row.year, s as u32)?.to_string()))
        .transpose()
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

    /// The meetings matching `filter`, newest first (by date), the page
    /// `window` asks for.
    pub async fn meetings_page(
        &self,
        filter: &MeetingFilter,
        window: &Window,
    ) -> Result<Page<MeetingRecord>> {
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(WorkflowError::bad_input(format!(
                "from {from} is after to {to}"
            )));
        }
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
        if let Some(cursor) = window.cursor() {
            let at = find_meeting(db, cursor)
                .await
                .map_err(|_| unknown_cursor(cursor))?;
            query = query.filter(window.past(
                Order::Desc,
                meeting::Column::Date,
                meeting::Column::Id,
                (at.date, at.id),
            ));
        }
        let order = window.order(Order::Desc);
        let rows = query
            .order_by(meeting::Column::Date, order.clone())
            .order_by(meeting::Column::Id, order)
            .limit(window.limit())
            .all(db)
            .await?;
        let (rows, page) = window.cut(rows, total, |m| m.id.clone()).split();
        Ok(page.with(self.meeting_records(rows).await?))
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
        for snap in snapshots(db, self.store().routes(), rows).await? {
            if let Some(view) = self.view(snap)? {
                out.insert(view.id.clone(), view);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use accord_domain::{Lang, OrgCode, OrgKind, Role};

    use super::*;
    use crate::Command;
    use crate::testing::{fresh_store, officer};

    pub(super) fn english(text: &str) -> Texts {
        Texts::from_pairs([(Lang::En, text.to_owned())]).unwrap()
    }

    pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(super) fn delegate() -> Actor {
        Actor::new(
            "kaz-delegate",
            "A Delegate",
            OrgCode::parse("KAZ").unwrap(),
            OrgKind::MemberState,
            [Role::Delegate],
        )
        .unwrap()
    }

    pub(super) async fn meeting(
        engine: &Engine,
        body: &str,
        day: NaiveDate,
        session: Option<&str>,
    ) -> String {
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
