//! The silence procedure (OSCE Rules of Procedure, Annex 1(A)): agreement
//! between meetings, on behalf of the body of a silence stage of the
//! draft's route.
//!
//! - The Secretariat puts the circulated version under silence
//!   ([`Engine::put_under_silence`]) until an exact instant, by a note to
//!   all member states that encloses the text and names the instant in
//!   Astana time. The draft is `UNDER_SILENCE`, still at the circulation
//!   it came from; its text cannot be revised.
//! - A member state's delegate breaks the silence by objecting to the
//!   version (`recordStance` with `OBJECTION`) or proposing an amendment
//!   (`addComment` with a proposal) before that instant
//!   ([`Engine::break_silence`]): the stance or proposal is recorded, the
//!   draft goes back to the circulation it came from, and a note tells the
//!   member states that the text was not agreed and who broke the silence.
//! - If nobody did by the instant, the deadline job ([`silence_deadlines`],
//!   run under a lease, so on one instance at a time) records the text as
//!   agreed: a numbered decision of the body in the session named when
//!   the procedure opened, dated the day the period ended, and a note.
//!
//! Exactly one of a breach and the deadline wins, whatever the timing and
//! the number of instances: both take the write lock (write transactions
//! are serialised), and under it each finds the procedure still running
//! or gives up; a breach is also refused from the instant the period
//! ends. The audit log's order is the order in which they happened, and
//! the losing attempt leaves no trace but its error.

use std::collections::HashMap;
use std::sync::Arc;

use accord_domain::{
    Addressees, Breach, DraftState, Enclosed, Enclosure, NoteNumber, NotePurpose, NoteSeries,
    SilenceFacts, SilenceStatus, StageKindName, Texts, silence_agreed, silence_broken,
    silence_opened, silence_subject,
};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::clock::{astana_date, astana_time, stamp};
use crate::drafts::{NewComment, insert_comment};
use crate::engine::{Engine, Outcome, check_draft, compare_and_set};
use crate::entity::{body, draft, meeting, silence_procedure, version};
use crate::error::{Result, WorkflowError};
use crate::meetings::Approved;
use crate::notes::{Composed, Issue};
use crate::permissions::Action;
use crate::read::Reader;
use crate::snapshot::Snapshot;
use crate::stances::{NewStance, put_stance, stance_row};
use crate::store::{Store, WriteTx, expect_one};
use crate::written::{CommentAfter, NoteAfter};

/// The deadline job's name (its lease row).
pub const SILENCE_DEADLINES: &str = "silence-deadlines";

/// The audit action of a breach of silence.
pub const BREAK_SILENCE: &str = "BREAK_SILENCE";

/// The audit action of a text deemed agreed when the period ended.
pub const SILENCE_AGREED: &str = "SILENCE_AGREED";

/// The token subject of the Secretariat's silence-procedure clerk, which
/// issues the notes that close a procedure, as the audit log shows it.
pub const SILENCE_SUB: &str = "accord-silence-procedure";

/// A silence procedure to open.
#[derive(Debug, Clone)]
pub struct NewSilence {
    /// The draft, whose circulated version is put under silence.
    pub draft_id: String,
    /// The series of the note that opens it, e.g. `PAR`.
    pub series: NoteSeries,
    /// The date of the meeting of the body (recorded if need be) in whose
    /// session the decision will be numbered, if the text passes.
    pub meeting_date: NaiveDate,
    /// The instant the period ends.
    pub ends_at: DateTime<Utc>,
    /// Earlier notes the opening note refers to.
    pub references: Vec<NoteNumber>,
}

/// How a member state breaks the silence: the act, as it would be
/// recorded anyway.
#[derive(Debug, Clone)]
pub(crate) enum Breaking {
    /// An objection to the version under silence.
    Objection(NewStance),
    /// A proposal amending it.
    Amendment(NewComment),
}

impl Breaking {
    fn breach(&self) -> Breach {
        match self {
            Breaking::Objection(_) => Breach::Objection,
            Breaking::Amendment(_) => Breach::Amendment,
        }
    }

    fn version(&self) -> i32 {
        match self {
            Breaking::Objection(stance) => stance.version,
            Breaking::Amendment(comment) => comment.version,
        }
    }
}

/// A silence procedure as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceView {
    /// Its id.
    pub id: String,
    /// The version under silence.
    pub version: i32,
    /// The body on whose behalf silence runs.
    pub body: String,
    /// The meeting whose session numbers the decision.
    pub meeting_id: String,
    /// When the period ends.
    pub ends_at: DateTime<Utc>,
    /// Where it stands.
    pub status: SilenceStatus,
    /// Who opened it (name) and when.
    pub opened_by: String,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// The note that opened it.
    pub note_id: String,
    /// When it closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The member state that broke it, and how.
    pub broken_by: Option<(String, Breach)>,
    /// The note that told how it closed.
    pub closing_note_id: Option<String>,
    /// The decision recording the agreement.
    pub decision_id: Option<String>,
}

impl SilenceView {
    fn of(row: silence_procedure::Model) -> Result<SilenceView> {
        let corrupt = |what: &str| {
            WorkflowError::Corrupt(format!("silence procedure {}: bad {what}", row.id))
        };
        let status = row
            .status
            .parse::<SilenceStatus>()
            .map_err(|_| corrupt("status"))?;
        let broken_by = match (&row.broken_by_org, &row.broken_how) {
            (Some(org), Some(how)) => Some((
                org.clone(),
                how.parse::<Breach>().map_err(|_| corrupt("breach"))?,
            )),
            _ => None,
        };
        Ok(SilenceView {
            id: row.id,
            version: row.version,
            body: row.body,
            meeting_id: row.meeting_id,
            ends_at: row.ends_at,
            status,
            opened_by: row.opened_by_name,
            opened_at: row.opened_at,
            note_id: row.note_id,
            closed_at: row.closed_at,
            broken_by,
            closing_note_id: row.closing_note_id,
            decision_id: row.decision_id,
        })
    }
}

/// `instant` as a message names it: `18:00 (Astana time) on 2024-03-15`.
fn in_astana(instant: DateTime<Utc>) -> String {
    let local = astana_time(instant);
    format!(
        "{} (Astana time) on {}",
        local.format("%H:%M:%S"),
        local.date()
    )
}

/// The procedure running on draft `draft_id`, if any.
async fn running<C: ConnectionTrait>(
    conn: &C,
    draft_id: &str,
) -> Result<Option<silence_procedure::Model>> {
    Ok(silence_procedure::Entity::find()
        .filter(silence_procedure::Column::DraftId.eq(draft_id))
        .filter(silence_procedure::Column::Status.eq(SilenceStatus::Running.as_str()))
        .one(conn)
        .await?)
}

/// The body `code` as a note names it, checked to number its decisions.
async fn deciding_body<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Texts> {
    let row = body::Entity::find_by_id(code.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| WorkflowError::Corrupt(format!("the route names unknown body {code}")))?;
    if row.decision_numbering.is_none() {
        return Err(WorkflowError::bad_input(format!(
            "the {code} takes no decisions, so no text can be agreed on its behalf by silence"
        )));
    }
    let names = row
        .note_names
        .as_deref()
        .map(serde_json::from_str::<Texts>)
        .transpose()
        .map_err(|error| WorkflowError::Corrupt(format!("note names of {code}: {error}")))?;
    match names {
        Some(names) => Ok(names),
        None => Ok(Texts::from_pairs([(
            accord_domain::Lang::En,
            format!("the {}", row.code),
        )])?),
    }
}

fn title_of(snap: &Snapshot) -> Result<Texts> {
    serde_json::from_str::<Texts>(&snap.row.title)
        .map_err(|error| WorkflowError::Corrupt(format!("draft title: {error}")))
}

/// The audit record of issuing the note `note` (written by the caller's
/// command, numbered and sent at once).
fn note_issued(note: &NoteAfter) -> AuditRecord {
    AuditRecord::of(
        Action::IssueNote,
        "note",
        note.row.id.clone(),
        None,
        json!({
            "status": accord_domain::NoteStatus::Issued,
            "number": note.row.number,
            "date": note.row.date,
            "purpose": note.row.purpose,
        }),
    )
}

/// A note to all member states about draft `draft_id`, enclosing
/// `enclosed` (a version and its pages) if given, composed at `now`.
#[allow(clippy::too_many_arguments)]
async fn compose_note<C: ConnectionTrait>(
    conn: &C,
    series: NoteSeries,
    subject: Texts,
    body: Texts,
    reference_ids: Vec<String>,
    enclosed: Option<(&str, i32, u32)>,
    now: DateTime<Utc>,
) -> Result<(Composed, accord_domain::Formulae)> {
    let formulae = crate::notes::formulae(conn).await?;
    let enclosures = match enclosed {
        Some((draft_id, version, pages)) => vec![Enclosure::new(
            Enclosed::DraftVersion {
                draft_id: draft_id.to_owned(),
                version,
            },
            pages,
        )?],
        None => Vec::new(),
    };
    let composed = crate::notes::compose_issue(
        conn,
        Issue {
            id: uuid::Uuid::now_v7().to_string(),
            series,
            purpose: NotePurpose::Information,
            place: accord_domain::DEFAULT_PLACE.to_owned(),
            addressees: Addressees::AllMemberStates,
            subject: Some(subject),
            draft_title: None,
            body: Some(body),
            reference_ids,
            enclosures,
            comments_due_on: None,
        },
        &formulae,
        now,
    )
    .await?;
    Ok((composed, formulae))
}

/// The series the note opening procedure `procedure` was issued in, which
/// the notes closing it continue.
async fn series_of<C: ConnectionTrait>(
    conn: &C,
    procedure: &silence_procedure::Model,
) -> Result<NoteSeries> {
    let note = crate::entity::note::Entity::find_by_id(procedure.note_id.clone())
        .one(conn)
        .await?
        .ok_or_else(|| {
            WorkflowError::Corrupt(format!(
                "the note of silence procedure {} is missing",
                procedure.id
            ))
        })?;
    Ok(NoteSeries::parse(&note.series)?)
}

/// Writes how the running procedure `procedure` closed (`closed`: its
/// status, when, by whom, the closing note and decision); `CONFLICT` if
/// it closed meanwhile.
async fn close(
    tx: &WriteTx,
    procedure: &silence_procedure::Model,
    closed: silence_procedure::Model,
) -> Result<()> {
    let update = silence_procedure::Entity::update_many()
        .col_expr(
            silence_procedure::Column::Status,
            Expr::value(closed.status.clone()),
        )
        .col_expr(
            silence_procedure::Column::ClosedAt,
            Expr::value(closed.closed_at),
        )
        .col_expr(
            silence_procedure::Column::BrokenByOrg,
            Expr::value(closed.broken_by_org.clone()),
        )
        .col_expr(
            silence_procedure::Column::BrokenBySub,
            Expr::value(closed.broken_by_sub.clone()),
        )
        .col_expr(
            silence_procedure::Column::BrokenByName,
            Expr::value(closed.broken_by_name.clone()),
        )
        .col_expr(
            silence_procedure::Column::BrokenHow,
            Expr::value(closed.broken_how.clone()),
        )
        .col_expr(
            silence_procedure::Column::ClosingNoteId,
            Expr::value(closed.closing_note_id.clone()),
        )
        .col_expr(
            silence_procedure::Column::DecisionId,
            Expr::value(closed.decision_id.clone()),
        )
        .filter(silence_procedure::Column::Id.eq(procedure.id.as_str()))
        .filter(silence_procedure::Column::Status.eq(SilenceStatus::Running.as_str()));
    expect_one(
        tx.conn(),
        update,
        "the silence procedure closed meanwhile; reload the draft",
    )
    .await
}

/// Under the write lock: the procedure `procedure` still runs, or why not.
async fn still_running(tx: &WriteTx, procedure: &silence_procedure::Model) -> Result<()> {
    let now = silence_procedure::Entity::find_by_id(procedure.id.clone())
        .one(tx.conn())
        .await?
        .ok_or_else(|| WorkflowError::Corrupt("a silence procedure vanished".into()))?;
    match now.status.parse::<SilenceStatus>() {
        Ok(SilenceStatus::Running) => Ok(()),
        Ok(SilenceStatus::Agreed) => Err(WorkflowError::InvalidTransition(format!(
            "the silence period ended at {} unbroken: the text is deemed agreed",
            in_astana(procedure.ends_at)
        ))),
        Ok(SilenceStatus::Broken) => Err(WorkflowError::InvalidTransition(
            "the silence has already been broken; the draft is back in consultation".into(),
        )),
        Ok(SilenceStatus::Withdrawn) => Err(WorkflowError::InvalidTransition(
            "the draft was withdrawn".into(),
        )),
        Err(_) => Err(WorkflowError::Corrupt(format!(
            "silence procedure {}: bad status",
            procedure.id
        ))),
    }
}

impl Engine {
    /// Puts the draft's circulated version under silence procedure until
    /// `new.ends_at`, for the body of the silence stage its route leads
    /// to, by a note to all member states enclosing the text (Secretariat).
    pub(crate) async fn put_under_silence(
        &self,
        actor: &Actor,
        new: NewSilence,
    ) -> Result<Outcome> {
        let snap = self.snapshot(&new.draft_id).await?;
        let facts = check_draft(actor, Action::PutUnderSilence, &snap)?;
        let stage = snap
            .route
            .next_of_kind(snap.row.stage.as_deref(), StageKindName::Silence)
            .ok_or_else(|| {
                WorkflowError::InvalidTransition(
                    "the draft's route leads to no silence procedure from here".into(),
                )
            })?;
        let body_code = stage
            .kind
            .body()
            .ok_or_else(|| WorkflowError::Corrupt("a silence stage names no body".into()))?
            .to_owned();
        let stage_key = stage.key.clone();
        let now = self.now();
        let ends_at = new.ends_at.trunc_subsecs(6);
        if ends_at <= now {
            return Err(WorkflowError::bad_input(format!(
                "endsAt {} is not in the future (it is {} now)",
                in_astana(ends_at),
                in_astana(now)
            )));
        }
        let ends_on = astana_date(ends_at);
        if new.meeting_date > ends_on {
            return Err(WorkflowError::bad_input(format!(
                "meetingDate {} is after the silence period ends ({ends_on} in Astana): the decision is numbered in a session held by then",
                new.meeting_date
            )));
        }
        let db = self.store().db();
        let version = snap.row.current_version;
        let objecting = crate::stances::standing_objections(db, &new.draft_id, version).await?;
        if !objecting.is_empty() {
            return Err(WorkflowError::InvalidTransition(format!(
                "{} {} to version {version}; silence cannot pass over a standing objection",
                objecting.join(", "),
                if objecting.len() == 1 {
                    "objects"
                } else {
                    "object"
                },
            )));
        }
        let body_names = deciding_body(db, &body_code).await?;
        let title = title_of(&snap)?;
        let wording = SilenceFacts {
            title: &title,
            body: &body_names,
            ends_at: astana_time(ends_at),
        };
        let referenced = self.resolve_references(&new.references).await?;
        let pages = crate::notes::estimated_pages(db, &new.draft_id, version).await?;
        let (composed, formulae) = compose_note(
            db,
            new.series,
            silence_subject(&wording)?,
            silence_opened(&wording)?,
            referenced.iter().map(|(id, _)| id.clone()).collect(),
            Some((&new.draft_id, version, pages)),
            now,
        )
        .await?;
        let mut tx = self.store().begin_write().await?;
        let after = compare_and_set(
            &tx,
            &snap,
            draft::Model {
                state: DraftState::UnderSilence.as_str().to_owned(),
                revision: snap.row.revision + 1,
                updated_at: now,
                ..snap.row.clone()
            },
        )
        .await?;
        // Under the draft's lock: a stance recorded meanwhile is seen here,
        // or makes one of the two CONFLICT.
        let objecting =
            crate::stances::standing_objections(tx.conn(), &new.draft_id, version).await?;
        if !objecting.is_empty() {
            return Err(WorkflowError::Conflict(format!(
                "{} objected to version {version} meanwhile",
                objecting.join(", ")
            )));
        }
        let (meeting, _) =
            crate::meetings::meeting_on(&tx, &body_code, new.meeting_date, None, now).await?;
        // The session must be able to number the decision to come.
        crate::meetings::decision_number(&tx, &meeting, None).await?;
        let (number, note) = crate::notes::issue(&tx, actor, composed, &formulae, now).await?;
        let id = uuid::Uuid::now_v7().to_string();
        silence_procedure::Entity::insert(silence_procedure::ActiveModel::from(
            silence_procedure::Model {
                id: id.clone(),
                draft_id: new.draft_id.clone(),
                version,
                stage: stage_key.clone(),
                body: body_code.clone(),
                meeting_id: meeting.id.clone(),
                ends_at,
                opened_by_sub: actor.sub().to_owned(),
                opened_by_name: actor.name().to_owned(),
                opened_at: now,
                note_id: note.row.id.clone(),
                status: SilenceStatus::Running.as_str().to_owned(),
                closed_at: None,
                broken_by_org: None,
                broken_by_sub: None,
                broken_by_name: None,
                broken_how: None,
                closing_note_id: None,
                decision_id: None,
            },
        ))
        .exec_without_returning(tx.conn())
        .await?;
        tx.audit(actor, note_issued(&note), now).await?;
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::PutUnderSilence,
                &new.draft_id,
                facts.state.as_str(),
                DraftState::UnderSilence.as_str(),
                None,
                json!({
                    "procedure": id,
                    "note": number.to_string(),
                    "version": version,
                    "body": body_code,
                    "stage": stage_key,
                    "meeting": { "body": body_code, "date": new.meeting_date },
                    "endsAt": stamp(ends_at),
                    "endsAtAstana": astana_time(ends_at).format("%Y-%m-%d %H:%M:%S").to_string(),
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Silence {
            draft_id: new.draft_id,
            procedure_id: id,
            after,
        })
    }

    /// Breaks the silence running on the draft `snap` by `breaking`, the
    /// objection or proposal of `actor`'s member state: records it, takes
    /// the draft back to the circulation it came from and tells the member
    /// states by note. Refused from the instant the period ends, and once
    /// the procedure closed.
    pub(crate) async fn break_silence(
        &self,
        actor: &Actor,
        snap: Snapshot,
        breaking: Breaking,
    ) -> Result<Outcome> {
        let action = match &breaking {
            Breaking::Objection(_) => Action::RecordStance,
            Breaking::Amendment(_) => Action::Comment,
        };
        let facts = check_draft(actor, action, &snap)?;
        let db = self.store().db();
        // None when the procedure closed since the draft was read.
        let procedure = running(db, &snap.row.id)
            .await?
            .ok_or_else(|| WorkflowError::Conflict(crate::engine::CHANGED.into()))?;
        let now = self.now();
        if now >= procedure.ends_at {
            return Err(WorkflowError::InvalidTransition(format!(
                "the silence period ended at {}: it can no longer be broken, and the text is deemed agreed",
                in_astana(procedure.ends_at)
            )));
        }
        if breaking.version() != procedure.version {
            return Err(WorkflowError::Conflict(format!(
                "version {} is not the version under silence; version {} is",
                breaking.version(),
                procedure.version
            )));
        }
        let back_to = snap
            .route
            .returns_to(&procedure.stage)
            .ok_or_else(|| {
                WorkflowError::Corrupt(format!(
                    "silence stage {:?} returns to no circulation",
                    procedure.stage
                ))
            })?
            .key
            .clone();
        let (stance, comment) = match &breaking {
            Breaking::Objection(new) => (Some(stance_row(actor, &snap, new, now)?), None),
            Breaking::Amendment(new) => (
                None,
                Some(self.comment_to_add(actor, &snap, &facts, new, now).await?),
            ),
        };
        let title = title_of(&snap)?;
        let body_names = deciding_body(db, &procedure.body).await?;
        let wording = SilenceFacts {
            title: &title,
            body: &body_names,
            ends_at: astana_time(procedure.ends_at),
        };
        let state_names = self
            .store()
            .organization(actor.org().as_str())
            .await?
            .and_then(|org| org.names.clone())
            .map_or_else(
                || Texts::from_pairs([(accord_domain::Lang::En, actor.org().to_string())]),
                Ok,
            )?;
        let how = breaking.breach();
        let (composed, formulae) = compose_note(
            db,
            series_of(db, &procedure).await?,
            silence_subject(&wording)?,
            silence_broken(&wording, &state_names, astana_time(now), how)?,
            vec![procedure.note_id.clone()],
            None,
            now,
        )
        .await?;
        let clerk =
            crate::jobs::system_actor(self.store(), SILENCE_SUB, "Silence procedure").await?;
        let mut tx = self.store().begin_write().await?;
        still_running(&tx, &procedure).await?;
        let draft = compare_and_set(
            &tx,
            &snap,
            draft::Model {
                state: DraftState::Circulated.as_str().to_owned(),
                stage: Some(back_to.clone()),
                revision: snap.row.revision + 1,
                updated_at: now,
                ..snap.row.clone()
            },
        )
        .await?;
        let act = match (&stance, &comment) {
            (Some(row), _) => put_stance(&tx, &snap, row.clone()).await?,
            (_, Some((row, record))) => {
                insert_comment(&tx, row).await?;
                record.clone()
            }
            _ => return Err(WorkflowError::Corrupt("a breach records nothing".into())),
        };
        let (number, note) = crate::notes::issue(&tx, &clerk, composed, &formulae, now).await?;
        close(
            &tx,
            &procedure,
            silence_procedure::Model {
                status: SilenceStatus::Broken.as_str().to_owned(),
                closed_at: Some(now),
                broken_by_org: Some(actor.org().to_string()),
                broken_by_sub: Some(actor.sub().to_owned()),
                broken_by_name: Some(actor.name().to_owned()),
                broken_how: Some(how.as_str().to_owned()),
                closing_note_id: Some(note.row.id.clone()),
                ..procedure.clone()
            },
        )
        .await?;
        tx.audit(actor, act, now).await?;
        tx.audit(
            actor,
            AuditRecord {
                action: BREAK_SILENCE.to_owned(),
                ..AuditRecord::of_draft(
                    action,
                    &snap.row.id,
                    facts.state.as_str(),
                    DraftState::Circulated.as_str(),
                    None,
                    json!({
                        "procedure": procedure.id,
                        "version": procedure.version,
                        "by": actor.org().as_str(),
                        "how": how,
                        "at": stamp(now),
                        "endsAt": stamp(procedure.ends_at),
                        "stage": back_to,
                        "note": number.to_string(),
                    }),
                )
            },
            now,
        )
        .await?;
        tx.commit_audited(&clerk, note_issued(&note), now).await?;
        Ok(match comment {
            Some((row, _)) => Outcome::Comment {
                comment_id: row.id.clone(),
                after: CommentAfter {
                    comment: Box::new(row),
                    draft,
                },
            },
            None => Outcome::Draft {
                draft_id: snap.row.id.clone(),
                after: draft,
            },
        })
    }

    /// Ends the procedure `procedure` whose period ended by `now` (the
    /// engine's clock), unbroken: records the text as agreed by a numbered
    /// decision of its body and tells the member states by note. `None`
    /// when there was nothing to do: the procedure closed meanwhile (a
    /// breach came first), or its period has not ended.
    async fn end_silence(&self, procedure: &silence_procedure::Model) -> Result<Option<String>> {
        let now = self.now();
        if procedure.ends_at > now {
            return Ok(None);
        }
        let snap = self.snapshot(&procedure.draft_id).await?;
        if snap.row.state != DraftState::UnderSilence.as_str() {
            // A breach (or a withdrawal) closed it since it was listed.
            let now_stored = silence_procedure::Entity::find_by_id(procedure.id.clone())
                .one(self.store().db())
                .await?;
            if now_stored.is_some_and(|p| p.status != SilenceStatus::Running.as_str()) {
                return Ok(None);
            }
            return Err(WorkflowError::Corrupt(format!(
                "silence procedure {} runs on draft {}, which is {}",
                procedure.id, procedure.draft_id, snap.row.state
            )));
        }
        let stage = snap.route.stage(&procedure.stage).ok_or_else(|| {
            WorkflowError::Corrupt(format!(
                "the draft's route has no stage {:?}",
                procedure.stage
            ))
        })?;
        let to_state = stage.state();
        let db = self.store().db();
        let title = title_of(&snap)?;
        let body_names = deciding_body(db, &procedure.body).await?;
        let series = series_of(db, procedure).await?;
        let clerk =
            crate::jobs::system_actor(self.store(), SILENCE_SUB, "Silence procedure").await?;
        let mut tx = self.store().begin_write().await?;
        if still_running(&tx, procedure).await.is_err() {
            return Ok(None);
        }
        compare_and_set(
            &tx,
            &snap,
            draft::Model {
                state: to_state.as_str().to_owned(),
                stage: Some(procedure.stage.clone()),
                agreed_version: Some(procedure.version),
                revision: snap.row.revision + 1,
                updated_at: now,
                ..snap.row.clone()
            },
        )
        .await?;
        let meeting = meeting::Entity::find_by_id(procedure.meeting_id.clone())
            .one(tx.conn())
            .await?
            .ok_or_else(|| {
                WorkflowError::Corrupt(format!(
                    "the meeting of silence procedure {} is missing",
                    procedure.id
                ))
            })?;
        let number = crate::meetings::decision_number(&tx, &meeting, None).await?;
        let decided_on = astana_date(procedure.ends_at);
        let decision_id = crate::meetings::insert_decision(
            &tx,
            &meeting,
            decided_on,
            &number,
            None,
            None,
            &[Approved::Draft(procedure.draft_id.clone())],
            now,
        )
        .await?;
        // Composed under the lock: only here is the decision's number known.
        let wording = SilenceFacts {
            title: &title,
            body: &body_names,
            ends_at: astana_time(procedure.ends_at),
        };
        let (composed, formulae) = compose_note(
            tx.conn(),
            series,
            silence_subject(&wording)?,
            silence_agreed(&wording, &number.to_string())?,
            vec![procedure.note_id.clone()],
            None,
            now,
        )
        .await?;
        let (note_number, note) =
            crate::notes::issue(&tx, &clerk, composed, &formulae, now).await?;
        close(
            &tx,
            procedure,
            silence_procedure::Model {
                status: SilenceStatus::Agreed.as_str().to_owned(),
                closed_at: Some(now),
                closing_note_id: Some(note.row.id.clone()),
                decision_id: Some(decision_id),
                ..procedure.clone()
            },
        )
        .await?;
        let agreed_hash =
            version::Entity::find_by_id((procedure.draft_id.clone(), procedure.version))
                .one(tx.conn())
                .await?
                .map(|v| v.content_hash);
        tx.audit(
            &clerk,
            AuditRecord {
                action: SILENCE_AGREED.to_owned(),
                ..AuditRecord::of_draft(
                    Action::PutUnderSilence,
                    &procedure.draft_id,
                    DraftState::UnderSilence.as_str(),
                    to_state.as_str(),
                    None,
                    json!({
                        "procedure": procedure.id,
                        "decision": number.to_string(),
                        "body": procedure.body,
                        "verb": accord_domain::DecisionVerb::Agree.as_str(),
                        "stage": procedure.stage,
                        "date": decided_on,
                        "endsAt": stamp(procedure.ends_at),
                        "agreedVersion": procedure.version,
                        "contentHash": agreed_hash,
                        "note": note_number.to_string(),
                    }),
                )
            },
            now,
        )
        .await?;
        tx.commit_audited(&clerk, note_issued(&note), now).await?;
        Ok(Some(number.to_string()))
    }
}

/// The deadline job: every running procedure whose period ended by `now`
/// is closed as agreed ([`Engine::end_silence`]), oldest deadline first.
/// A procedure that fails is logged and left running, to be tried again
/// on the next run; the job then fails, naming it.
pub async fn silence_deadlines(store: Store, now: DateTime<Utc>) -> Result<String> {
    let due = silence_procedure::Entity::find()
        .filter(silence_procedure::Column::Status.eq(SilenceStatus::Running.as_str()))
        .filter(silence_procedure::Column::EndsAt.lte(now))
        .order_by_asc(silence_procedure::Column::EndsAt)
        .all(store.db())
        .await?;
    let engine = Engine::with_clock(store, Arc::new(move || now));
    let mut agreed = Vec::new();
    let mut failed = Vec::new();
    for procedure in &due {
        match engine.end_silence(procedure).await {
            Ok(Some(decision)) => agreed.push(decision),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(procedure = %procedure.id, draft = %procedure.draft_id, %error, "could not end a silence procedure");
                failed.push(format!("{} ({error})", procedure.id));
            }
        }
    }
    if !failed.is_empty() {
        return Err(WorkflowError::Unavailable(format!(
            "silence procedures not ended, to retry: {}",
            failed.join("; ")
        )));
    }
    Ok(if agreed.is_empty() {
        "no silence period ended".to_owned()
    } else {
        format!("texts agreed by silence: {}", agreed.join(", "))
    })
}

/// What the dispatcher asks before a comment or a stance: whether it
/// breaks a silence running on its draft (a member state's proposal or
/// objection while the draft is under silence), and if so the draft as
/// read.
pub(crate) async fn breaks_silence(
    engine: &Engine,
    actor: &Actor,
    draft_id: &str,
    breaching: bool,
) -> Result<Option<Snapshot>> {
    if !breaching || actor.org_kind() != accord_domain::OrgKind::MemberState {
        return Ok(None);
    }
    let snap = engine.snapshot(draft_id).await?;
    Ok((snap.row.state == DraftState::UnderSilence.as_str()).then_some(snap))
}

impl Reader {
    /// The silence procedures run on each of `draft_ids` (drafts the
    /// viewer sees), oldest first, in one statement.
    pub async fn silence_procedures(
        &self,
        draft_ids: &[String],
    ) -> Result<HashMap<String, Vec<SilenceView>>> {
        let mut found: HashMap<String, Vec<SilenceView>> = HashMap::new();
        if draft_ids.is_empty() {
            return Ok(found);
        }
        let rows = silence_procedure::Entity::find()
            .filter(silence_procedure::Column::DraftId.is_in(draft_ids.iter().map(String::as_str)))
            .order_by_asc(silence_procedure::Column::OpenedAt)
            .all(&self.conn().await?)
            .await?;
        for row in rows {
            found
                .entry(row.draft_id.clone())
                .or_default()
                .push(SilenceView::of(row)?);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use accord_domain::{Anchor, Content, Item, Lang, OrgCode, OrgKind, Role, Stance};
    use accord_migration::{Migrator, MigratorTrait};
    use sea_orm::PaginatorTrait;

    use chrono::Duration;

    use super::*;
    use crate::entity::{audit_log, decision, note};
    use crate::routes::NewRoute;
    use crate::stances::NewStance;
    use crate::store::StoreConfig;
    use crate::testing::{
        POSTGRES_ENV, at, drop_postgres, fresh_store_and_url, officer, postgres_url,
    };
    use crate::{Command, NewDraft};

    /// When the Secretariat opens the procedures.
    const OPENED: &str = "2024-03-11T09:00:00Z";
    /// When they end: 18:00 in Astana.
    const ENDS: &str = "2024-03-15T13:00:00Z";

    fn engine_at(store: &Store, instant: DateTime<Utc>) -> Engine {
        Engine::with_clock(store.clone(), Arc::new(move || instant))
    }

    fn delegate(org: &str) -> Actor {
        Actor::new(
            format!("{}-delegate", org.to_lowercase()),
            "A Delegate",
            OrgCode::parse(org).unwrap(),
            OrgKind::MemberState,
            [Role::Delegate],
        )
        .unwrap()
    }

    fn texts(text: &str) -> Texts {
        Texts::from_pairs([(Lang::En, text.to_owned())]).unwrap()
    }

    /// Puts in force, for concept papers, a route that circulates them and
    /// has the SOC agree them by silence.
    async fn silence_route(store: &Store) {
        let engine = engine_at(store, at("2024-01-10T09:00:00Z"));
        let definition = serde_json::from_value(json!({ "stages": [
            { "key": "circulation", "kind": "CIRCULATION", "next": ["silence"] },
            { "key": "silence", "kind": "SILENCE", "body": "SOC", "next": [] }
        ] }))
        .unwrap();
        let Outcome::Route { route_id } = engine
            .execute(
                &officer(),
                Command::DefineRoute(NewRoute {
                    document_kind: Some("CONCEPT_PAPER".into()),
                    definition,
                }),
            )
            .await
            .unwrap()
        else {
            panic!("no route");
        };
        engine
            .execute(&officer(), Command::PublishRoute { route_id })
            .await
            .unwrap();
    }

    /// A circulated concept paper put under silence at [`OPENED`] until
    /// [`ENDS`]; its id.
    async fn under_silence(store: &Store) -> String {
        let engine = engine_at(store, at(OPENED));
        let content = Content::new(vec![Item {
            anchor: Anchor::parse("item-1").unwrap(),
            texts: texts("A text."),
        }])
        .unwrap();
        let Outcome::Draft { draft_id, .. } = engine
            .execute(
                &officer(),
                Command::CreateDraft(NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: texts("Concept of the CICA Youth Council"),
                    signatories: vec![OrgCode::parse("CICA").unwrap()],
                    content,
                }),
            )
            .await
            .unwrap()
        else {
            panic!("no draft");
        };
        engine
            .execute(
                &officer(),
                Command::CirculateDraft {
                    draft_id: draft_id.clone(),
                    series: NoteSeries::parse("PAR").unwrap(),
                    subject: None,
                    references: Vec::new(),
                    comments_due_on: None,
                },
            )
            .await
            .unwrap();
        let opened = engine
            .execute(
                &officer(),
                Command::PutUnderSilence(NewSilence {
                    draft_id: draft_id.clone(),
                    series: NoteSeries::parse("PAR").unwrap(),
                    meeting_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                    ends_at: at(ENDS),
                    references: Vec::new(),
                }),
            )
            .await
            .unwrap();
        assert!(matches!(opened, Outcome::Silence { .. }), "{opened:?}");
        draft_id
    }

    fn objection(draft_id: &str) -> Command {
        Command::RecordStance(NewStance {
            draft_id: draft_id.to_owned(),
            version: 1,
            stance: Stance::Objection,
            text: Some("The text needs more work.".into()),
        })
    }

    async fn state(store: &Store, draft_id: &str) -> String {
        draft::Entity::find_by_id(draft_id.to_owned())
            .one(store.db())
            .await
            .unwrap()
            .unwrap()
            .state
    }

    async fn procedure(store: &Store, draft_id: &str) -> silence_procedure::Model {
        silence_procedure::Entity::find()
            .filter(silence_procedure::Column::DraftId.eq(draft_id))
            .one(store.db())
            .await
            .unwrap()
            .unwrap()
    }

    /// The audit actions that closed the draft's silence, in log order.
    async fn endings(store: &Store, draft_id: &str) -> Vec<String> {
        audit_log::Entity::find()
            .filter(audit_log::Column::DraftId.eq(draft_id))
            .filter(audit_log::Column::Action.is_in([BREAK_SILENCE, SILENCE_AGREED]))
            .all(store.db())
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.action)
            .collect()
    }

    #[tokio::test]
    async fn an_unbroken_silence_is_agreed_once_when_the_period_ends() {
        let (store, _) = fresh_store_and_url().await;
        silence_route(&store).await;
        let draft_id = under_silence(&store).await;
        assert_eq!(state(&store, &draft_id).await, "UNDER_SILENCE");
        let opening = note::Entity::find_by_id(procedure(&store, &draft_id).await.note_id)
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(opening.number, "PAR/2");
        assert!(
            opening
                .body
                .unwrap()
                .contains("ends at 18:00 (Astana time) on 15 March 2024")
        );

        let early = silence_deadlines(store.clone(), at(ENDS) - Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!(early, "no silence period ended");
        assert_eq!(state(&store, &draft_id).await, "UNDER_SILENCE");

        let run = silence_deadlines(store.clone(), at(ENDS)).await.unwrap();
        assert_eq!(run, "texts agreed by silence: SOC/2024-I/DEC/1");
        assert_eq!(state(&store, &draft_id).await, "SOC_AGREED");
        let closed = procedure(&store, &draft_id).await;
        assert_eq!(closed.status, "AGREED");
        let decision = decision::Entity::find_by_id(closed.decision_id.unwrap())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(decision.number, "SOC/2024-I/DEC/1");
        assert_eq!(decision.date, NaiveDate::from_ymd_opt(2024, 3, 15).unwrap());
        assert_eq!(decision.draft_id.as_deref(), Some(draft_id.as_str()));
        let closing = note::Entity::find_by_id(closed.closing_note_id.unwrap())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(closing.number, "PAR/3");
        assert!(closing.body.unwrap().contains(
            "deemed agreed by the CICA Senior Officials Committee (decision SOC/2024-I/DEC/1)"
        ));

        let again = silence_deadlines(store.clone(), at(ENDS) + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(again, "no silence period ended");
        assert_eq!(endings(&store, &draft_id).await, [SILENCE_AGREED]);
        assert!(matches!(
            crate::audit::verify(store.db()).await.unwrap(),
            crate::audit::Verdict::Intact { .. }
        ));
    }

    #[tokio::test]
    async fn an_objection_breaks_the_silence_before_the_instant_and_not_at_it() {
        let (store, _) = fresh_store_and_url().await;
        silence_route(&store).await;
        let draft_id = under_silence(&store).await;
        let late = engine_at(&store, at(ENDS))
            .execute(&delegate("KAZ"), objection(&draft_id))
            .await;
        assert!(
            matches!(&late, Err(WorkflowError::InvalidTransition(m)) if m.contains("ended at 18:00:00 (Astana time) on 2024-03-15")),
            "{late:?}"
        );
        assert_eq!(state(&store, &draft_id).await, "UNDER_SILENCE");

        // A member state's stance that is no objection leaves it running.
        engine_at(&store, at(ENDS) - Duration::hours(1))
            .execute(
                &delegate("IND"),
                Command::RecordStance(NewStance {
                    draft_id: draft_id.clone(),
                    version: 1,
                    stance: Stance::NoObjection,
                    text: None,
                }),
            )
            .await
            .unwrap();
        assert_eq!(state(&store, &draft_id).await, "UNDER_SILENCE");

        let just_in_time = at(ENDS) - Duration::microseconds(1);
        engine_at(&store, just_in_time)
            .execute(&delegate("KAZ"), objection(&draft_id))
            .await
            .unwrap();
        assert_eq!(state(&store, &draft_id).await, "CIRCULATED");
        let broken = procedure(&store, &draft_id).await;
        assert_eq!(broken.status, "BROKEN");
        assert_eq!(broken.broken_by_org.as_deref(), Some("KAZ"));
        assert_eq!(broken.broken_how.as_deref(), Some("OBJECTION"));
        let closing = note::Entity::find_by_id(broken.closing_note_id.unwrap())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        assert!(closing.body.unwrap().contains(
            "was broken on 15 March 2024 at 17:59 (Astana time), before the silence period ended: the Member State Kazakhstan raised an objection."
        ));
        // The objection stands like any other: the SOC cannot agree the
        // version over it.
        let objecting = crate::stances::standing_objections(store.db(), &draft_id, 1)
            .await
            .unwrap();
        assert_eq!(objecting, ["KAZ"]);

        let run = silence_deadlines(store.clone(), at(ENDS)).await.unwrap();
        assert_eq!(run, "no silence period ended");
        assert_eq!(endings(&store, &draft_id).await, [BREAK_SILENCE]);
        let decisions = decision::Entity::find().count(store.db()).await.unwrap();
        assert_eq!(decisions, 0);
    }

    #[tokio::test]
    async fn withdrawing_the_draft_ends_its_silence_and_the_deadline_finds_nothing() {
        let (store, _) = fresh_store_and_url().await;
        silence_route(&store).await;
        let draft_id = under_silence(&store).await;
        engine_at(&store, at(ENDS) - Duration::days(1))
            .execute(
                &officer(),
                Command::WithdrawDraft {
                    draft_id: draft_id.clone(),
                    reason: "Superseded by the Chairmanship's text.".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(procedure(&store, &draft_id).await.status, "WITHDRAWN");
        let run = silence_deadlines(store.clone(), at(ENDS)).await.unwrap();
        assert_eq!(run, "no silence period ended");
        assert_eq!(state(&store, &draft_id).await, "WITHDRAWN");
    }

    /// Objections made a microsecond before the instant, on one instance,
    /// race the deadline job on another: each draft's silence ends once,
    /// broken or agreed, and the audit log holds that one ending.
    async fn a_breach_racing_the_deadline_has_one_outcome(url: &str) {
        let first = Store::connect(&StoreConfig::new(url)).await.unwrap();
        Migrator::up(first.db(), None).await.unwrap();
        let second = Store::connect(&StoreConfig::new(url)).await.unwrap();
        silence_route(&first).await;
        let mut drafts = Vec::new();
        for _ in 0..6 {
            drafts.push(under_silence(&first).await);
        }
        let objecting = engine_at(&first, at(ENDS) - Duration::microseconds(1));
        let objections = async {
            let mut results = Vec::new();
            for draft_id in drafts.iter().rev() {
                results.push(
                    objecting
                        .execute(&delegate("KAZ"), objection(draft_id))
                        .await,
                );
            }
            results.reverse();
            results
        };
        let (results, job) = tokio::join!(objections, silence_deadlines(second.clone(), at(ENDS)));
        let job = job.unwrap();
        let mut broken = 0;
        for (draft_id, result) in drafts.iter().zip(&results) {
            let closed = procedure(&first, draft_id).await;
            let endings = endings(&first, draft_id).await;
            match result {
                Ok(_) => {
                    broken += 1;
                    assert_eq!(closed.status, "BROKEN");
                    assert_eq!(endings, [BREAK_SILENCE]);
                    assert_eq!(state(&first, draft_id).await, "CIRCULATED");
                    assert!(closed.decision_id.is_none());
                }
                Err(error) => {
                    assert!(
                        matches!(
                            error,
                            WorkflowError::InvalidTransition(_) | WorkflowError::Conflict(_)
                        ),
                        "{error:?}"
                    );
                    assert_eq!(closed.status, "AGREED");
                    assert_eq!(endings, [SILENCE_AGREED]);
                    assert_eq!(state(&first, draft_id).await, "SOC_AGREED");
                    assert!(closed.decision_id.is_some());
                }
            }
        }
        let agreed = drafts.len() - broken;
        println!("{broken} silences broken, {agreed} agreed: {job}");
        let decisions = decision::Entity::find().count(first.db()).await.unwrap();
        assert_eq!(decisions as usize, agreed, "{job}");
        // Nothing is left to end.
        let again = silence_deadlines(first.clone(), at(ENDS) + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(again, "no silence period ended");
        assert!(matches!(
            crate::audit::verify(first.db()).await.unwrap(),
            crate::audit::Verdict::Intact { .. }
        ));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_breach_racing_the_deadline_has_one_outcome_on_sqlite() {
        let (store, url) = fresh_store_and_url().await;
        store.db().clone().close().await.ok();
        // The first instance migrates the fresh file again: nothing to do.
        a_breach_racing_the_deadline_has_one_outcome(&url).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_breach_racing_the_deadline_has_one_outcome_on_postgres() {
        let Some((url, admin_url, name)) = postgres_url().await else {
            println!("skipped: {POSTGRES_ENV} not set");
            return;
        };
        a_breach_racing_the_deadline_has_one_outcome(&url).await;
        drop_postgres(&admin_url, &name).await;
    }
}
