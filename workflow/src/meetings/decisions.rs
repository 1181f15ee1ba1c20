//! Decisions: numbered once by [`decision_number`], recorded with what
//! they approve, their title and text edited by revision, and read.

use std::collections::{BTreeSet, HashMap};

use accord_domain::{DecisionNumber, SessionNumber, Texts};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::{MAX_APPROVALS, MAX_DECISION_TEXT_CHARS, MAX_TITLE_CHARS, check_texts, find_meeting};
use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::is_id;
use crate::db::{from_json, to_json};
use crate::engine::{Engine, Outcome, check};
use crate::entity::{body, decision, decision_approval, draft, meeting};
use crate::error::{Result, WorkflowError};
use crate::paging::{Page, Window, unknown_cursor};
use crate::permissions::Action;
use crate::read::{DraftView, Reader};
use crate::store::{WriteTx, expect_one, find_by_id};

/// The kind of thing a decision approves.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
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
    /// The stored name, e.g. `GUIDELINES`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn parse(stored: &str) -> Result<ApprovalKind> {
        stored
            .parse()
            .map_err(|_| WorkflowError::Corrupt(format!("unknown approval kind {stored:?}")))
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
        let tx = self.store().begin_write().await?;
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
            meeting.date,
            &number,
            Some(&new.title),
            new.text.as_ref(),
            &new.approves,
            now,
        )
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::RecordDecision,
                "decision",
                &decision_id,
                None,
                json!({
                    "number": number.to_string(),
                    "meeting": meeting.id,
                    "date": meeting.date,
                    "title": new.title,
                    "text": new.text,
                    "approves": approvals_json(&new.approves),
                }),
            ),
            now,
        )
        .await?;
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
        let tx = self.store().begin_write().await?;
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
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::EditDecision,
                "decision",
                &row.id,
                Some(json!({
                    "revision": row.revision,
                    "title": stored(&row.title, "decision title")?,
                    "text": stored(&row.text, "decision text")?,
                })),
                json!({ "revision": revision + 1, "title": title, "text": text }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Decision {
            decision_id: row.id,
        })
    }
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
    let numbering = body::Entity::find_by_id(meeting.body.clone())
        .one(tx.conn())
        .await?
        .and_then(|b| b.decision_numbering);
    if numbering.is_none() {
        return Err(WorkflowError::bad_input(format!(
            "the {} discusses drafts but takes no decisions",
            meeting.body
        )));
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

/// Stores a numbered decision of `meeting`'s session, dated `date` (the
/// meeting's, or the day a silence procedure ended), with what it
/// approves; its id. The first approved draft is also kept in
/// `decisions.draft_id`, which `Draft.decision` reads.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_decision(
    tx: &WriteTx,
    meeting: &meeting::Model,
    date: NaiveDate,
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
        date: Set(date),
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

fn approvals_json(approves: &[Approved]) -> serde_json::Value {
    approves
        .iter()
        .map(|a| match a {
            Approved::Draft(id) => json!({ "kind": "DRAFT", "draft": id }),
            Approved::Document { kind, title } => json!({ "kind": kind.as_str(), "title": title }),
        })
        .collect()
}

impl Reader {
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

    /// The decisions matching `filter`, newest first (by date), the page
    /// `window` asks for. A draft the viewer may not
    /// see approves nothing they can list.
    pub async fn decisions_page(
        &self,
        filter: &DecisionFilter,
        window: &Window,
    ) -> Result<Page<DecisionRecord>> {
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
                return Ok(window.empty());
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
        if let Some(cursor) = window.cursor() {
            let at = decision::Entity::find_by_id(cursor.to_owned())
                .one(db)
                .await?
                .ok_or_else(|| unknown_cursor(cursor))?;
            query = query.filter(window.past(
                Order::Desc,
                decision::Column::Date,
                decision::Column::Id,
                (at.date, at.id),
            ));
        }
        let order = window.order(Order::Desc);
        let rows = query
            .order_by(decision::Column::Date, order.clone())
            .order_by(decision::Column::Id, order)
            .limit(window.limit())
            .all(db)
            .await?;
        let (rows, page) = window.cut(rows, total, |d| d.id.clone()).split();
        Ok(page.with(self.decision_records(rows).await?))
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Command;
    use crate::meetings::tests::{date, delegate, english, meeting};
    use crate::testing::{fresh_store, officer};

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
}
