//! The Relay `Node` interface: drafts, comments, notes, meetings,
//! decisions, events and plans by their ids alone (`node(id:)`), under the
//! same visibility as the query of each kind.

use accord_workflow::WorkflowError;
use async_graphql::{Context, ID, Interface, Object, Result};

use super::common::reader;
use super::objects::{Decision, Draft, Meeting, Note};
use super::plans::{Event, Plan};
use super::types::Comment;
use crate::error::GqlResult;

/// An object with an id of its own, which `node(id:)` finds again. The id
/// is the one the object's own query takes (`draft(id:)`, `note(id:)`, …).
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's id: `node(id:)` and the query of its kind find it by it."
))]
pub enum Node {
    /// A draft.
    Draft(Draft),
    /// A comment or proposal on a draft.
    Comment(Comment),
    /// A note verbale.
    Note(Note),
    /// A meeting.
    Meeting(Meeting),
    /// A decision.
    Decision(Decision),
    /// An event of a plan.
    Event(Event),
    /// A plan of implementation.
    Plan(Plan),
}

/// `node(id:)`.
#[derive(Debug, Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with `id`, whatever its kind, when the viewer may see it;
    /// otherwise `NOT_FOUND` (and `null`), with the same words whether it
    /// does not exist or is hidden: a delegate asking for an uncirculated
    /// draft learns what `draft(id:)` would tell, nothing.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of a draft, comment, note, meeting, decision, event or plan.")]
        id: ID,
    ) -> Result<Option<Node>> {
        let reader = reader(ctx)?;
        // Each kind is asked in turn, through the reader of its own query
        // (so with its visibility); ids are UUIDs, unique across kinds.
        if let Some(draft) = found(reader.draft(&id).await)? {
            return Ok(Some(Node::Draft(Draft::new(draft))));
        }
        if let Some((comment, draft)) = found(reader.comment(&id).await)? {
            return Ok(Some(Node::Comment(Comment::new(
                comment,
                draft.current_version,
            ))));
        }
        if let Some(note) = found(reader.note(&id).await)? {
            return Ok(Some(Node::Note(Note::new(note))));
        }
        if let Some(meeting) = found(reader.meeting(&id).await)? {
            return Ok(Some(Node::Meeting(Meeting::new(meeting))));
        }
        if let Some(decision) = found(reader.decision(&id).await)? {
            return Ok(Some(Node::Decision(Decision::new(decision))));
        }
        if let Some(event) = found(reader.event(&id).await)? {
            return Ok(Some(Node::Event(Event(event))));
        }
        if let Some(plan) = found(reader.plan(&id).await)? {
            return Ok(Some(Node::Plan(Plan(plan))));
        }
        Err(WorkflowError::node_not_found(&id)).gql()
    }
}

/// What a lookup found; `None` when it found nothing the viewer may see.
fn found<T>(result: accord_workflow::Result<T>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(WorkflowError::NotFound(_)) => Ok(None),
        Err(other) => Err(other).gql(),
    }
}
