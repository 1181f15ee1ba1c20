//! Member states' stances on a draft's version under consideration, and the
//! compilations of proposals the Secretariat circulates by note verbale.

use accord_workflow::compilations::CirculatedCompilation as CirculatedRecord;
use accord_workflow::read::DraftView;
use accord_workflow::stances::StanceView;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::common::{load, reader};
use super::loaders::NoteById;
use super::objects::Note;
use super::scalars::DateTime;
use crate::error::GqlResult;

/// A member state's stance on a circulated version.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::Stance")]
pub enum Stance {
    /// The state does not object to the text.
    NoObjection,
    /// Agreed ad referendum: pending confirmation by the state's capital.
    AdReferendum,
    /// Joins the text with a reservation, stated in words.
    Reservation,
    /// Objects to the text; the SOC cannot agree it while this stands.
    Objection,
}

/// An objection the Secretariat recorded as withdrawn at a meeting.
#[derive(SimpleObject, Debug, Clone)]
pub struct ObjectionWithdrawal {
    /// Who recorded the withdrawal.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime,
    /// A remark, e.g. "withdrawn at the SOC meeting of 27 June".
    pub remark: Option<String>,
}

/// One member state's line in the table of stances on a version.
#[derive(SimpleObject, Debug, Clone)]
pub struct StanceLine {
    /// The member state's code, e.g. `KAZ`.
    pub member_state: String,
    /// Its stance; null while it has not answered.
    pub stance: Option<Stance>,
    /// A reservation's wording, or remarks.
    pub text: Option<String>,
    /// The delegate who recorded it.
    pub recorded_by: Option<String>,
    /// When.
    pub recorded_at: Option<DateTime>,
    /// For an objection withdrawn at a meeting, that record.
    pub withdrawal: Option<ObjectionWithdrawal>,
    /// Whether this is an objection that still stands (the SOC cannot
    /// agree the version while one does).
    pub standing_objection: bool,
}

impl From<StanceView> for StanceLine {
    fn from(view: StanceView) -> StanceLine {
        StanceLine {
            standing_objection: view.objects(),
            member_state: view.org_code,
            stance: view.stance.map(Into::into),
            text: view.text,
            recorded_by: view.recorded.as_ref().map(|(name, _)| name.clone()),
            recorded_at: view.recorded.map(|(_, at)| DateTime(at)),
            withdrawal: view
                .withdrawn
                .map(|(recorded_by, at, remark)| ObjectionWithdrawal {
                    recorded_by,
                    recorded_at: DateTime(at),
                    remark,
                }),
        }
    }
}

/// The table of stances on `version` of a draft, as the viewer may see it.
pub(super) async fn stances(
    ctx: &Context<'_>,
    draft: &DraftView,
    version: Option<i32>,
) -> Result<Vec<StanceLine>> {
    let version = version.unwrap_or(draft.current_version);
    Ok(reader(ctx)?
        .stances(draft, version)
        .await
        .gql()?
        .into_iter()
        .map(StanceLine::from)
        .collect())
}

/// A compilation of proposals circulated by note verbale.
#[derive(Debug, Clone)]
pub struct CirculatedCompilation(CirculatedRecord);

/// A compilation of proposals circulated by note verbale.
#[Object]
impl CirculatedCompilation {
    /// The version whose proposals it compiles.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was circulated.
    async fn circulated_at(&self) -> DateTime {
        DateTime(self.0.circulated_at)
    }

    /// The note that circulated it, if the viewer may read it.
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<Note>> {
        Ok(load(ctx, NoteById(self.0.note_id.clone()))
            .await?
            .map(Note::new))
    }
}

/// The compilations of a draft circulated so far.
pub(super) async fn circulated_compilations(
    ctx: &Context<'_>,
    draft: &DraftView,
) -> Result<Vec<CirculatedCompilation>> {
    Ok(reader(ctx)?
        .circulated_compilations(draft)
        .await
        .gql()?
        .into_iter()
        .map(CirculatedCompilation)
        .collect())
}

/// A member state's stance, stated by its delegate.
#[derive(InputObject, Debug, Clone)]
pub struct RecordStanceInput {
    /// The draft.
    pub draft_id: ID,
    /// The version under consideration (the latest circulated).
    pub version: i32,
    /// The stance.
    pub stance: Stance,
    /// A reservation's wording (required for RESERVATION), or remarks.
    pub text: Option<String>,
}

/// An objection withdrawn at a meeting.
#[derive(InputObject, Debug, Clone)]
pub struct RecordObjectionWithdrawnInput {
    /// The draft.
    pub draft_id: ID,
    /// The version objected to.
    pub version: i32,
    /// The member state whose objection it was, e.g. `KAZ`.
    pub member_state: String,
    /// e.g. "withdrawn at the SOC meeting of 27 June".
    pub remark: Option<String>,
}

/// A compilation to circulate.
#[derive(InputObject, Debug, Clone)]
pub struct CirculateCompilationInput {
    /// The draft.
    pub draft_id: ID,
    /// The version whose proposals are compiled.
    pub version: i32,
    /// The covering note, written with createNote: addressed to all member
    /// states and enclosing that version. It is issued here.
    pub note_id: ID,
    /// The note's revision, as last read.
    pub revision: i32,
}
