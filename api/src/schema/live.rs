//! Live updates: the subscriptions served on `/graphql/ws` (see
//! `crate::live` for the socket), and `liveCursor`, where a client that
//! has just read the data subscribes from.
//!
//! Each subscription follows the audit log from a cursor through
//! `accord_workflow::live::Follower`, which re-reads the object of every
//! entry through the subscriber's own `Reader` (the same visibility rules
//! as queries) and yields ids only.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use accord_workflow::live::{Follower, Happened, LiveEvent, Topic};
use accord_workflow::{Actor, Reader, Store};
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject, Subscription};
use futures_core::Stream;

use super::common::reader;
use crate::error::{Code, GqlResult, coded, from_workflow};

/// What a live updates' socket gives its subscriptions: who is connected,
/// the store, and the count of subscriptions against the limit.
pub struct SocketContext {
    actor: Actor,
    store: Store,
    running: Arc<AtomicUsize>,
    max_running: usize,
    active: Arc<AtomicUsize>,
}

impl std::fmt::Debug for SocketContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketContext")
            .field("actor", &self.actor.sub())
            .finish_non_exhaustive()
    }
}

impl SocketContext {
    /// The context of a socket opened by `actor`, allowing `max_running`
    /// subscriptions at once; `active` counts those of every socket of the
    /// instance.
    pub fn new(actor: Actor, store: Store, max_running: usize, active: Arc<AtomicUsize>) -> Self {
        SocketContext {
            actor,
            store,
            running: Arc::default(),
            max_running,
            active,
        }
    }

    /// Takes a place for one more subscription, or refuses (`BAD_USER_INPUT`
    /// naming the limit) when the socket runs as many as it may.
    fn take_place(&self) -> Result<Place> {
        let taken = self
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.max_running).then_some(n + 1)
            });
        if taken.is_err() {
            return Err(coded(
                Code::BadUserInput,
                format!(
                    "at most {} subscriptions may run at once on one socket; complete one first",
                    self.max_running
                ),
            ));
        }
        self.active.fetch_add(1, Ordering::SeqCst);
        Ok(Place {
            running: Arc::clone(&self.running),
            active: Arc::clone(&self.active),
        })
    }

    /// A follower of `topic` for the socket's person, after `after`.
    async fn follow(&self, topic: Topic, after: Option<String>) -> Result<(Follower, Place)> {
        let place = self.take_place()?;
        let after = after.as_deref().map(parse_cursor).transpose()?;
        let reader = Reader::new(self.store.clone(), self.actor.clone());
        let follower = Follower::start(reader, topic, after).await.gql()?;
        Ok((follower, place))
    }
}

/// A running subscription's place in its socket's count, given back when
/// the subscription ends (completed by the client, or the socket closed).
struct Place {
    running: Arc<AtomicUsize>,
    active: Arc<AtomicUsize>,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A cursor as the client sends it: an event's `cursor`.
fn parse_cursor(cursor: &str) -> Result<i64> {
    cursor.parse::<i64>().map_err(|_| {
        coded(
            Code::BadUserInput,
            "after: not a cursor; pass the cursor of an event received, or liveCursor",
        )
    })
}

/// The events the follower yields, as `shown` makes them, until an error
/// (sent, then the subscription completes).
fn events<T: Send + 'static>(
    follower: Follower,
    place: Place,
    shown: fn(LiveEvent) -> Option<T>,
) -> impl Stream<Item = Result<T>> {
    futures_util::stream::unfold(Some((follower, place)), move |state| async move {
        let (mut follower, place) = state?;
        loop {
            match follower.next().await {
                Ok(event) => {
                    if let Some(shown) = shown(event) {
                        return Some((Ok(shown), Some((follower, place))));
                    }
                }
                Err(error) => return Some((Err(from_workflow(error)), None)),
            }
        }
    })
}

/// What changed on a draft.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_workflow::live::DraftChange")]
pub enum DraftChange {
    /// It was created (told to its parties only).
    Created,
    /// It moved to another state (`action` says how).
    State,
    /// A version was made, or circulated without a change of state.
    Version,
    /// A comment or proposal was made, edited, withdrawn or resolved.
    Comment,
    /// An organisation signed it.
    Signature,
    /// A member state's stance was recorded, or its objection withdrawn
    /// (told to the parties and that state).
    Stance,
    /// A compilation of proposals on a version was circulated.
    Compilation,
    /// Something else (told to its parties only).
    Other,
}

/// What changed about an event's documents.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_workflow::live::DocumentChange")]
pub enum DocumentChange {
    /// The event's due dates were set or moved: the event was added,
    /// moved, re-based, postponed or cancelled.
    DueDates,
    /// A document was submitted.
    Submitted,
}

/// A change to a draft the viewer may see. Ids only: read the draft (and
/// the comment) with `draft(id:)`.
#[derive(SimpleObject, Debug)]
pub struct DraftEvent {
    /// Pass as `after` to resume after this event.
    pub cursor: String,
    /// When it happened (RFC 3339).
    pub at: String,
    /// The action recorded, e.g. `CIRCULATE`.
    pub action: String,
    /// The draft.
    pub draft_id: ID,
    /// What changed.
    pub change: DraftChange,
    /// The version made or circulated (`VERSION`, `STATE` by circulation,
    /// `COMPILATION`, `CREATED`).
    pub version: Option<i32>,
    /// The comment (`COMMENT`).
    pub comment_id: Option<ID>,
}

/// A note issued that the viewer may read (addressed to their
/// organisation; the home Secretariat reads every note).
#[derive(SimpleObject, Debug)]
pub struct NoteEvent {
    /// Pass as `after` to resume after this event.
    pub cursor: String,
    /// When it was issued (RFC 3339).
    pub at: String,
    /// The action recorded: `ISSUE_NOTE`, or `CIRCULATE` for a circulation
    /// note.
    pub action: String,
    /// The note: read it with `note(id:)`.
    pub note_id: ID,
}

/// A change to a meeting's agenda, as the viewer sees it (an item naming
/// a draft the viewer may not see is not told of).
#[derive(SimpleObject, Debug)]
pub struct AgendaEvent {
    /// Pass as `after` to resume after this event.
    pub cursor: String,
    /// When it happened (RFC 3339).
    pub at: String,
    /// The action recorded, e.g. `ADD_AGENDA_ITEM`.
    pub action: String,
    /// The meeting: read its agenda with `meeting(id:)`.
    pub meeting_id: ID,
    /// The item added, moved or removed, when the change names one.
    pub item_id: Option<ID>,
}

/// A document of an event falling due (its due dates set or moved) or
/// submitted.
#[derive(SimpleObject, Debug)]
pub struct DocumentEvent {
    /// Pass as `after` to resume after this event.
    pub cursor: String,
    /// When it happened (RFC 3339).
    pub at: String,
    /// The action recorded, e.g. `RECORD_SUBMISSION`.
    pub action: String,
    /// The event: read its documents and due dates with `event(id:)`.
    pub event_id: ID,
    /// What changed.
    pub change: DocumentChange,
    /// The submission (`SUBMITTED`).
    pub submission_id: Option<ID>,
}

fn draft_event(event: LiveEvent) -> Option<DraftEvent> {
    match event.what {
        Happened::Draft {
            draft_id,
            change,
            version,
            comment_id,
        } => Some(DraftEvent {
            cursor: event.seq.to_string(),
            at: event.at,
            action: event.action,
            draft_id: draft_id.into(),
            change: change.into(),
            version,
            comment_id: comment_id.map(ID::from),
        }),
        _ => None,
    }
}

fn note_event(event: LiveEvent) -> Option<NoteEvent> {
    match event.what {
        Happened::Note { note_id } => Some(NoteEvent {
            cursor: event.seq.to_string(),
            at: event.at,
            action: event.action,
            note_id: note_id.into(),
        }),
        _ => None,
    }
}

fn agenda_event(event: LiveEvent) -> Option<AgendaEvent> {
    match event.what {
        Happened::Agenda {
            meeting_id,
            item_id,
        } => Some(AgendaEvent {
            cursor: event.seq.to_string(),
            at: event.at,
            action: event.action,
            meeting_id: meeting_id.into(),
            item_id: item_id.map(ID::from),
        }),
        _ => None,
    }
}

fn document_event(event: LiveEvent) -> Option<DocumentEvent> {
    match event.what {
        Happened::Document {
            event_id,
            change,
            submission_id,
        } => Some(DocumentEvent {
            cursor: event.seq.to_string(),
            at: event.at,
            action: event.action,
            event_id: event_id.into(),
            change: change.into(),
            submission_id: submission_id.map(ID::from),
        }),
        _ => None,
    }
}

fn socket<'a>(ctx: &Context<'a>) -> Result<&'a SocketContext> {
    ctx.data::<SocketContext>().map_err(|_| {
        coded(
            Code::BadUserInput,
            "subscriptions are served on the live updates' socket, /graphql/ws (graphql-transport-ws)",
        )
    })
}

/// The `Subscription` root.
#[derive(Debug, Default)]
pub struct LiveSubscription;

/// Live updates, on `/graphql/ws` (protocol `graphql-transport-ws`).
/// Each event carries a `cursor`: subscribing again with `after:` that
/// cursor gives every event after it, then live ones, none twice and none
/// missed. Without `after`, events after the moment of subscribing.
#[Subscription(name = "Subscription")]
impl LiveSubscription {
    /// Changes to the drafts the viewer may see (or to one of them): state,
    /// versions, comments, signatures, stances, compilations.
    async fn draft_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this draft's changes.")] draft_id: Option<ID>,
        #[graphql(desc = "Resume after this cursor (an event's `cursor`, or `liveCursor`).")]
        after: Option<String>,
    ) -> Result<impl Stream<Item = Result<DraftEvent>>> {
        let topic = Topic::Drafts {
            draft_id: draft_id.map(|id| id.0),
        };
        let (follower, place) = socket(ctx)?.follow(topic, after).await?;
        Ok(events(follower, place, draft_event))
    }

    /// Notes issued that the viewer may read.
    async fn note_issued(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Resume after this cursor (an event's `cursor`, or `liveCursor`).")]
        after: Option<String>,
    ) -> Result<impl Stream<Item = Result<NoteEvent>>> {
        let (follower, place) = socket(ctx)?.follow(Topic::Notes, after).await?;
        Ok(events(follower, place, note_event))
    }

    /// Changes to meetings' agendas (or to one meeting's), as the viewer
    /// sees them.
    async fn agenda_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this meeting's agenda.")] meeting_id: Option<ID>,
        #[graphql(desc = "Resume after this cursor (an event's `cursor`, or `liveCursor`).")]
        after: Option<String>,
    ) -> Result<impl Stream<Item = Result<AgendaEvent>>> {
        let topic = Topic::Agendas {
            meeting_id: meeting_id.map(|id| id.0),
        };
        let (follower, place) = socket(ctx)?.follow(topic, after).await?;
        Ok(events(follower, place, agenda_event))
    }

    /// Documents of events falling due (due dates set or moved) or
    /// submitted (or those of one event).
    async fn document_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this event's documents.")] event_id: Option<ID>,
        #[graphql(desc = "Resume after this cursor (an event's `cursor`, or `liveCursor`).")]
        after: Option<String>,
    ) -> Result<impl Stream<Item = Result<DocumentEvent>>> {
        let topic = Topic::Documents {
            event_id: event_id.map(|id| id.0),
        };
        let (follower, place) = socket(ctx)?.follow(topic, after).await?;
        Ok(events(follower, place, document_event))
    }
}

/// Where live updates stand.
#[derive(Debug, Default)]
pub struct LiveQuery;

#[Object]
impl LiveQuery {
    /// The cursor of the last change committed, as seen by this query
    /// (read in the same snapshot as the rest of the query): subscribe with
    /// `after:` it to be told of every change after what the query read.
    async fn live_cursor(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(reader(ctx)?.live_cursor().await.gql()?.to_string())
    }
}
