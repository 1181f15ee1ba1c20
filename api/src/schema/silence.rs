//! The silence procedure: `putUnderSilence`, and the procedures run on a
//! draft (`Draft.silenceProcedures`). A member state breaks the silence
//! with the mutations it already has: `recordStance` with `OBJECTION`, or
//! `addComment` with a proposal.

use accord_domain::NoteSeries;
use accord_workflow::clock::astana_time;
use accord_workflow::read::DraftView;
use accord_workflow::silence::{NewSilence, SilenceView};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::common::{load, note_numbers, reader, run, unexpected};
use super::loaders::{DecisionById, MeetingById, NoteById, SilenceOf};
use super::objects::{Decision, Draft, Meeting, Note};
use super::scalars::{Date, DateTime};
use crate::error::GqlResult;

/// Where a silence procedure stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::SilenceStatus")]
pub enum SilenceStatus {
    /// The period runs: the text is under silence.
    Running,
    /// A member state broke the silence before the period ended.
    Broken,
    /// The period ended unbroken: the text is deemed agreed.
    Agreed,
    /// The draft was withdrawn while the period ran.
    Withdrawn,
}

/// How a member state broke the silence.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::Breach")]
pub enum Breach {
    /// By objecting to the text (`recordStance` with `OBJECTION`).
    Objection,
    /// By proposing an amendment (`addComment` with a proposal).
    Amendment,
}

/// Who broke a silence, and how.
#[derive(SimpleObject, Debug, Clone)]
pub struct SilenceBreach {
    /// The member state, e.g. `IND`.
    pub member_state: String,
    /// By objection or by amendment.
    pub how: Breach,
}

/// One attempt to have a draft's version agreed by silence procedure.
#[derive(Debug, Clone)]
pub struct SilenceProcedure(SilenceView);

/// One attempt to have a draft's version agreed by silence procedure: the
/// text is deemed agreed by the body unless a member state objects or
/// proposes an amendment before the period ends.
#[Object]
impl SilenceProcedure {
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The version put under silence.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The body on whose behalf silence runs, e.g. `SOC`.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// The exact instant the period ends.
    async fn ends_at(&self) -> DateTime {
        DateTime(self.0.ends_at)
    }

    /// The same instant on the wall clock in Astana, as the notes name it
    /// (UTC+5), e.g. `2024-03-15T18:00:00`.
    async fn ends_at_astana(&self) -> String {
        astana_time(self.0.ends_at)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    }

    /// Where it stands.
    async fn status(&self) -> SilenceStatus {
        self.0.status.into()
    }

    /// Who opened it.
    async fn opened_by(&self) -> &str {
        &self.0.opened_by
    }

    /// When.
    async fn opened_at(&self) -> DateTime {
        DateTime(self.0.opened_at)
    }

    /// The note that put the text under silence, if the viewer may read it.
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<Note>> {
        Ok(load(ctx, NoteById(self.0.note_id.clone()))
            .await?
            .map(Note::new))
    }

    /// The meeting of the body in whose session the decision is (or would
    /// be) numbered.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        Ok(load(ctx, MeetingById(self.0.meeting_id.clone()))
            .await?
            .map(Meeting::new))
    }

    /// When it closed: broken, agreed or withdrawn.
    async fn closed_at(&self) -> Option<DateTime> {
        self.0.closed_at.map(DateTime)
    }

    /// The member state that broke the silence, and how.
    async fn broken_by(&self) -> Option<SilenceBreach> {
        self.0
            .broken_by
            .as_ref()
            .map(|(member_state, how)| SilenceBreach {
                member_state: member_state.clone(),
                how: (*how).into(),
            })
    }

    /// The note that told the member states how it closed.
    async fn closing_note(&self, ctx: &Context<'_>) -> Result<Option<Note>> {
        let Some(id) = &self.0.closing_note_id else {
            return Ok(None);
        };
        Ok(load(ctx, NoteById(id.clone())).await?.map(Note::new))
    }

    /// The decision recording the text as agreed, once the period ended
    /// unbroken.
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<Decision>> {
        let Some(id) = &self.0.decision_id else {
            return Ok(None);
        };
        Ok(load(ctx, DecisionById(id.clone()))
            .await?
            .map(Decision::new))
    }
}

/// The silence procedures run on a draft, oldest first (batched over a
/// page of drafts).
pub(super) async fn procedures(
    ctx: &Context<'_>,
    draft: &DraftView,
) -> Result<Vec<SilenceProcedure>> {
    Ok(load(ctx, SilenceOf(draft.id.clone()))
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(SilenceProcedure)
        .collect())
}

/// A version to put under silence.
#[derive(InputObject, Debug, Clone)]
pub struct PutUnderSilenceInput {
    /// The draft; its current version, circulated, is put under silence.
    pub draft_id: ID,
    /// The exact instant the period ends, with its offset, e.g.
    /// `2024-03-15T18:00:00+05:00` (18:00 in Astana). In the future.
    pub ends_at: DateTime,
    /// The date of the meeting of the body (recorded if need be) in whose
    /// session the decision is numbered if the text passes: the session
    /// that entrusted the text to the silence procedure. Not after the
    /// period ends.
    pub meeting_date: Date,
    /// The series of the note to all member states that opens the
    /// procedure, e.g. PAR; the notes that close it follow in the same
    /// series.
    pub series: String,
    /// Earlier notes the note refers to, e.g. the circulation's.
    pub references: Option<Vec<String>>,
}

/// A draft put under silence.
#[derive(SimpleObject)]
pub struct PutUnderSilencePayload {
    /// The draft, now `UNDER_SILENCE`.
    pub draft: Draft,
    /// The procedure opened.
    pub silence_procedure: SilenceProcedure,
}

/// The silence procedure's mutation.
#[derive(Debug, Default)]
pub struct SilenceMutation;

#[Object]
impl SilenceMutation {
    /// Put the draft's circulated version under silence procedure, for the
    /// body of the silence stage its route leads to, until `endsAt`
    /// (Secretariat). A note to all member states encloses the text and
    /// names the instant in Astana time. Unless a member state objects
    /// (`recordStance`) or proposes an amendment (`addComment`) before
    /// then, the text is deemed agreed: the server records the numbered
    /// decision and a note when the period ends.
    async fn put_under_silence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: PutUnderSilenceInput,
    ) -> Result<PutUnderSilencePayload> {
        let command = Command::PutUnderSilence(NewSilence {
            draft_id: input.draft_id.to_string(),
            series: NoteSeries::parse(&input.series).gql()?,
            meeting_date: input.meeting_date.0,
            ends_at: input.ends_at.0,
            references: note_numbers(input.references)?,
        });
        match run(ctx, command).await? {
            Outcome::Silence {
                after,
                procedure_id,
                ..
            } => {
                let reader = reader(ctx)?;
                let view = reader.draft_after(&after).gql()?;
                let procedure = reader
                    .silence_procedures(std::slice::from_ref(&view.id))
                    .await
                    .gql()?
                    .remove(&view.id)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|p| p.id == procedure_id)
                    .ok_or_else(|| {
                        crate::error::internal(&"the procedure just opened is missing")
                    })?;
                Ok(PutUnderSilencePayload {
                    draft: Draft::new(view),
                    silence_procedure: SilenceProcedure(procedure),
                })
            }
            other => Err(unexpected(&other)),
        }
    }
}
