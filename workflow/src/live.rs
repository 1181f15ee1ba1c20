//! Live updates: the audit log followed from a cursor, each entry re-read
//! through the subscriber's own [`Reader`].
//!
//! A [`Follower`] reads the audit log in sequence order after its cursor,
//! and waits on [`crate::commits::Commits`] when it has read everything
//! committed. The live part and the catching up are one loop over one
//! source, the audit log, whose sequence is gap-free and commit-ordered
//! (the write lock serialises writers, each appends its entries and
//! commits before the next begins): an entry is delivered at most once
//! (the cursor only moves forward) and none is skipped (everything after
//! the cursor is read, and a commit made after the read wakes the wait).
//! A client that reconnects with the cursor of the last event it saw
//! receives exactly what it missed, then what comes.
//!
//! What an entry says is only told to a viewer who may see its object
//! now, by the same rules as queries, applied by re-reading the object
//! through the viewer's `Reader`: a draft the viewer may not see is
//! `NOT_FOUND` there, and its events are skipped, not even its id shown;
//! a version, comment, note, agenda item or stance likewise. An entry
//! whose action this module does not know is shown only to those who see
//! a draft's work in progress (or, off drafts, to no one). Events carry
//! ids; the client reads the objects with queries, under the same rules.
//!
//! Visibility is judged when the event is delivered: an event replayed
//! after a draft was circulated may be shown to a delegate who, live, was
//! not told of it, when what it names is visible to them now (never the
//! creation of the draft, never an uncirculated version).
//!
//! This module sits above the features, beside `commands`: it reads
//! drafts, notes, meetings and events through their `Reader` methods.

use std::collections::{HashMap, VecDeque};

use accord_domain::NoteNumber;
use sea_orm::{ColumnTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use tokio::sync::watch;

use crate::entity::audit_log;
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action};
use crate::read::{DraftView, Reader};

/// The most entries a resumed subscription may have to catch up on; an
/// older cursor is refused (the client reloads instead).
pub const MAX_BACKLOG: i64 = 10_000;

/// How many entries are read from the audit log at a time.
const PAGE: u64 = 100;

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// Changes to drafts (one, or every draft the viewer may see).
    Drafts {
        /// Only this draft.
        draft_id: Option<String>,
    },
    /// Notes issued that the viewer may read.
    Notes,
    /// Changes to meetings' agendas (one meeting, or all).
    Agendas {
        /// Only this meeting.
        meeting_id: Option<String>,
    },
    /// Events' documents: due dates set or moved, documents submitted.
    Documents {
        /// Only this event.
        event_id: Option<String>,
    },
}

/// What changed on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftChange {
    /// It was created (told to its parties only).
    Created,
    /// It moved to another state.
    State,
    /// A version was made, or circulated without a change of state.
    Version,
    /// A comment or proposal was made, edited, withdrawn or resolved.
    Comment,
    /// It was signed.
    Signature,
    /// A member state's stance was recorded or its objection withdrawn.
    Stance,
    /// A compilation of proposals was circulated.
    Compilation,
    /// Something else (told to its parties only).
    Other,
}

/// What changed about an event's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentChange {
    /// The event's due dates were set or moved (the event was added, moved,
    /// re-based, postponed or cancelled).
    DueDates,
    /// A document was submitted.
    Submitted,
}

/// What an event is about: ids only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// A draft changed.
    Draft {
        /// The draft.
        draft_id: String,
        /// How.
        change: DraftChange,
        /// The version made or circulated, for those changes.
        version: Option<i32>,
        /// The comment, for a comment's change.
        comment_id: Option<String>,
    },
    /// A note was issued.
    Note {
        /// The note.
        note_id: String,
    },
    /// A meeting's agenda changed.
    Agenda {
        /// The meeting.
        meeting_id: String,
        /// The item added, moved or removed, when the change names one.
        item_id: Option<String>,
    },
    /// An event's documents: due or submitted.
    Document {
        /// The event.
        event_id: String,
        /// How.
        change: DocumentChange,
        /// The submission, for a document submitted.
        submission_id: Option<String>,
    },
}

/// One event as delivered: its place in the audit log, when, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// The audit sequence of the entry: the cursor to resume after.
    pub seq: i64,
    /// When it happened (RFC 3339, as recorded).
    pub at: String,
    /// The action recorded, e.g. `CIRCULATE`.
    pub action: String,
    /// What it is about.
    pub what: Happened,
}

/// What the log records a draft's own changes on.
const DRAFT_ENTITIES: [&str; 3] = ["draft", "comment", "stance"];

/// The columns of an audit entry a follower reads.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "audit_log::Entity")]
struct Entry {
    seq: i64,
    at: String,
    action: String,
    entity_type: String,
    entity_id: String,
    draft_id: Option<String>,
    from_state: Option<String>,
    to_state: Option<String>,
    after: Option<String>,
}

impl Entry {
    fn after(&self) -> Value {
        self.after
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or(Value::Null)
    }

    fn is(&self, action: Action) -> bool {
        self.action == action.as_str()
    }
}

/// A subscription's reading of the audit log, for one viewer.
#[derive(Debug)]
pub struct Follower {
    reader: Reader,
    topic: Topic,
    last: i64,
    head: watch::Receiver<i64>,
    pending: VecDeque<LiveEvent>,
    /// The drafts read for the page of the log being admitted.
    seen: HashMap<String, Option<DraftView>>,
}

impl Follower {
    /// Starts following `topic` for the viewer of `reader` (which should
    /// read through the pool: [`Reader::new`]) after the cursor `after`, or
    /// from now. A cursor beyond the log's end, or more than
    /// [`MAX_BACKLOG`] entries behind it, is `BAD_USER_INPUT`.
    pub async fn start(reader: Reader, topic: Topic, after: Option<i64>) -> Result<Follower> {
        // Watch first, then read the head: a commit after that reading
        // moves the watched value beyond it.
        let commits = reader.store().commits().clone();
        let head = commits.watch();
        let committed = crate::commits::committed_head(&reader.conn().await?).await?;
        commits.committed(committed);
        let last = match after {
            None => committed,
            Some(cursor) if cursor < 0 || cursor > committed => {
                return Err(WorkflowError::bad_input(format!(
                    "the cursor {cursor} names no event; resume after a cursor received, or omit it"
                )));
            }
            Some(cursor) if committed - cursor > MAX_BACKLOG => {
                return Err(WorkflowError::bad_input(format!(
                    "the cursor {cursor} is more than {MAX_BACKLOG} changes behind; read the data again and subscribe without a cursor"
                )));
            }
            Some(cursor) => cursor,
        };
        Ok(Follower {
            reader,
            topic,
            last,
            head,
            pending: VecDeque::new(),
            seen: HashMap::new(),
        })
    }

    /// The cursor: the last audit sequence read.
    pub fn cursor(&self) -> i64 {
        self.last
    }

    /// The next event the viewer may see, waiting for one as long as it
    /// takes.
    pub async fn next(&mut self) -> Result<LiveEvent> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(event);
            }
            // The head as known before the read: a commit after this point
            // moves it, so the wait below cannot miss it.
            let known = *self.head.borrow_and_update();
            let mut query = audit_log::Entity::find().filter(audit_log::Column::Seq.gt(self.last));
            // One draft's changes are found by the log's own columns (what
            // `draft_change` admits), not read and dropped one by one.
            if let Topic::Drafts {
                draft_id: Some(draft_id),
            } = &self.topic
            {
                query = query
                    .filter(audit_log::Column::DraftId.eq(draft_id.as_str()))
                    .filter(audit_log::Column::EntityType.is_in(DRAFT_ENTITIES));
            }
            let entries = query
                .order_by_asc(audit_log::Column::Seq)
                .limit(PAGE)
                .into_partial_model::<Entry>()
                .all(&self.reader.conn().await?)
                .await?;
            if entries.is_empty() {
                // Nothing up to `known` (committed before the read) is for
                // this topic: the cursor moves past it.
                self.last = self.last.max(known);
                let beyond = self.last;
                if self.head.wait_for(|head| *head > beyond).await.is_err() {
                    return Err(WorkflowError::Unavailable(
                        "live updates stopped; subscribe again".into(),
                    ));
                }
                continue;
            }
            // Each draft of the page is read once, as the viewer sees it now.
            self.seen.clear();
            for entry in entries {
                self.last = entry.seq;
                if let Some(what) = self.admit(&entry).await? {
                    self.pending.push_back(LiveEvent {
                        seq: entry.seq,
                        at: entry.at,
                        action: entry.action,
                        what,
                    });
                }
            }
        }
    }

    /// What `entry` tells this viewer under the topic, if anything.
    async fn admit(&mut self, entry: &Entry) -> Result<Option<Happened>> {
        match self.topic.clone() {
            Topic::Drafts { draft_id } => self.draft_change(entry, draft_id.as_deref()).await,
            Topic::Notes => self.note_issued(entry).await,
            Topic::Agendas { meeting_id } => self.agenda_change(entry, meeting_id.as_deref()).await,
            Topic::Documents { event_id } => self.document_change(entry, event_id.as_deref()).await,
        }
    }

    /// The draft `id` as the viewer sees it now, or `None` if hidden.
    async fn visible_draft(&mut self, id: &str) -> Result<Option<DraftView>> {
        if let Some(seen) = self.seen.get(id) {
            return Ok(seen.clone());
        }
        let view = match self.reader.draft(id).await {
            Ok(view) => Some(view),
            Err(WorkflowError::NotFound(_)) => None,
            Err(error) => return Err(error),
        };
        self.seen.insert(id.to_owned(), view.clone());
        Ok(view)
    }

    async fn draft_change(
        &mut self,
        entry: &Entry,
        only: Option<&str>,
    ) -> Result<Option<Happened>> {
        if !DRAFT_ENTITIES.contains(&entry.entity_type.as_str()) {
            return Ok(None);
        }
        let Some(draft_id) = entry.draft_id.as_deref() else {
            return Ok(None);
        };
        if only.is_some_and(|only| only != draft_id) {
            return Ok(None);
        }
        let Some(draft) = self.visible_draft(draft_id).await? else {
            return Ok(None);
        };
        let party = permissions::can_see_uncirculated(draft.facts.relation);
        let after = entry.after();
        let version = after
            .get("version")
            .and_then(Value::as_i64)
            .and_then(|v| i32::try_from(v).ok());
        let version_shown = version.is_some_and(|v| v <= draft.current_version);
        let transition = entry.from_state.is_some() && entry.from_state != entry.to_state;
        let told = |change: DraftChange, version: Option<i32>, comment_id: Option<String>| {
            Some(Happened::Draft {
                draft_id: draft_id.to_owned(),
                change,
                version,
                comment_id,
            })
        };
        Ok(match entry.action.as_str() {
            _ if entry.is(Action::CreateDraft) => party
                .then(|| told(DraftChange::Created, Some(1), None))
                .flatten(),
            _ if entry.is(Action::Revise) || entry.is(Action::Circulate) => {
                if !version_shown {
                    None
                } else if transition {
                    told(DraftChange::State, version, None)
                } else {
                    told(DraftChange::Version, version, None)
                }
            }
            _ if entry.entity_type == "comment" => {
                match self.reader.comment(&entry.entity_id).await {
                    Ok(_) => told(DraftChange::Comment, None, Some(entry.entity_id.clone())),
                    Err(WorkflowError::NotFound(_)) => None,
                    Err(error) => return Err(error),
                }
            }
            _ if entry.is(Action::Sign) => told(DraftChange::Signature, None, None),
            _ if entry.entity_type == "stance" => {
                // A stance's id is `<draft>/<version>/<state>`: told to the
                // parties and to the state itself.
                let own = entry
                    .entity_id
                    .rsplit('/')
                    .next()
                    .is_some_and(|org| org == self.reader.actor().org().as_str());
                (party || own)
                    .then(|| told(DraftChange::Stance, None, None))
                    .flatten()
            }
            _ if entry.is(Action::CirculateCompilation) => {
                told(DraftChange::Compilation, version, None)
            }
            _ if transition => told(DraftChange::State, None, None),
            _ => party
                .then(|| told(DraftChange::Other, None, None))
                .flatten(),
        })
    }

    async fn note_issued(&mut self, entry: &Entry) -> Result<Option<Happened>> {
        let found = if entry.is(Action::IssueNote) && entry.entity_type == "note" {
            self.reader.note(&entry.entity_id).await
        } else if entry.is(Action::Circulate) {
            // The circulation note is named by its number and dated.
            let after = entry.after();
            let number = after.get("note").and_then(Value::as_str);
            let year = after
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse::<i32>().ok());
            let Some(number) = number.and_then(|n| NoteNumber::parse(n).ok()) else {
                return Ok(None);
            };
            self.reader.note_by_number(&number, year).await
        } else {
            return Ok(None);
        };
        match found {
            Ok(note) => Ok(Some(Happened::Note { note_id: note.id })),
            Err(WorkflowError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    async fn agenda_change(
        &mut self,
        entry: &Entry,
        only: Option<&str>,
    ) -> Result<Option<Happened>> {
        let on_agenda = entry.is(Action::AddAgendaItem)
            || entry.is(Action::MoveAgendaItem)
            || entry.is(Action::RemoveAgendaItem);
        let meeting_id = if on_agenda && entry.entity_type == "meeting" {
            entry.entity_id.clone()
        } else if entry.is(Action::OpenSwgDiscussion)
            || entry.is(Action::RecordSocAgreement)
            || entry.is(Action::RecordBodyDecision)
        {
            // These put the draft on the meeting's agenda; the entry names
            // the meeting by its body and date.
            match self.meeting_taking_up(entry).await? {
                Some(id) => id,
                None => return Ok(None),
            }
        } else {
            return Ok(None);
        };
        if only.is_some_and(|only| only != meeting_id) {
            return Ok(None);
        }
        // An item naming a draft the viewer may not see is not on the
        // agenda for them.
        if let Some(draft_id) = entry.draft_id.as_deref()
            && self.visible_draft(draft_id).await?.is_none()
        {
            return Ok(None);
        }
        let item_id = on_agenda
            .then(|| {
                entry
                    .after()
                    .get("item")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .flatten();
        Ok(Some(Happened::Agenda {
            meeting_id,
            item_id,
        }))
    }

    /// The meeting whose agenda an SWG discussion or SOC agreement put the
    /// draft on, if the viewer sees the draft.
    async fn meeting_taking_up(&mut self, entry: &Entry) -> Result<Option<String>> {
        let Some(draft_id) = entry.draft_id.clone() else {
            return Ok(None);
        };
        let after = entry.after();
        // The body the draft's route took it to; entries written before
        // routes name none, and were the SWG's or the SOC's.
        let (body, date) = if entry.is(Action::OpenSwgDiscussion) {
            (
                after
                    .pointer("/meeting/body")
                    .and_then(Value::as_str)
                    .unwrap_or("SWG"),
                after.pointer("/meeting/date"),
            )
        } else {
            (
                after.get("body").and_then(Value::as_str).unwrap_or("SOC"),
                after.get("date"),
            )
        };
        let Some(date) = date.and_then(Value::as_str) else {
            return Ok(None);
        };
        if self.visible_draft(&draft_id).await?.is_none() {
            return Ok(None);
        }
        let meetings = self
            .reader
            .meetings(std::slice::from_ref(&draft_id))
            .await?;
        Ok(meetings
            .get(&draft_id)
            .into_iter()
            .flatten()
            .find(|m| m.body == body && m.date.to_string() == date)
            .map(|m| m.id.clone()))
    }

    async fn document_change(
        &mut self,
        entry: &Entry,
        only: Option<&str>,
    ) -> Result<Option<Happened>> {
        let (event_id, change, submission_id) =
            if entry.is(Action::RecordSubmission) && entry.entity_type == "submission" {
                let Some(event) = entry
                    .after()
                    .get("event")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                else {
                    return Ok(None);
                };
                (
                    event,
                    DocumentChange::Submitted,
                    Some(entry.entity_id.clone()),
                )
            } else if entry.entity_type == "event"
                && (entry.is(Action::AddEvent)
                    || entry.is(Action::MoveEvent)
                    || entry.is(Action::RebaseEvent)
                    || entry.is(Action::SetEventStatus))
            {
                (entry.entity_id.clone(), DocumentChange::DueDates, None)
            } else {
                return Ok(None);
            };
        if only.is_some_and(|only| only != event_id) {
            return Ok(None);
        }
        match self.reader.event(&event_id).await {
            Ok(_) => Ok(Some(Happened::Document {
                event_id,
                change,
                submission_id,
            })),
            Err(WorkflowError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

impl Reader {
    /// The audit sequence of the last change committed, as this reader
    /// sees the database (a query's reader: in its snapshot), so that a
    /// subscription resumed after it misses nothing the reading did not
    /// show.
    pub async fn live_cursor(&self) -> Result<i64> {
        crate::commits::committed_head(&self.conn().await?).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use accord_domain::{Anchor, Content, Item, Lang, OrgCode, OrgKind, Role, Texts};

    use super::*;
    use crate::audit::AuditRecord;
    use crate::testing::{fresh_store, officer};
    use crate::{Actor, Command, Engine, NewDraft, Outcome};

    fn english(text: &str) -> Texts {
        Texts::from_pairs([(Lang::En, text.to_owned())]).unwrap()
    }

    fn delegate() -> Actor {
        Actor::new(
            "delegate-kaz",
            "Delegate",
            OrgCode::parse("KAZ").unwrap(),
            OrgKind::MemberState,
            [Role::Delegate],
        )
        .unwrap()
    }

    async fn create(engine: &Engine) -> String {
        let content = Content::new(vec![Item {
            anchor: Anchor::parse("item-1").unwrap(),
            texts: english("A text."),
        }])
        .unwrap();
        let created = engine
            .execute(
                &officer(),
                Command::CreateDraft(NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: english("A draft"),
                    signatories: vec![OrgCode::parse("CICA").unwrap()],
                    content,
                }),
            )
            .await
            .unwrap();
        match created {
            Outcome::Draft { draft_id, .. } => draft_id,
            other => panic!("{other:?}"),
        }
    }

    async fn next(follower: &mut Follower) -> LiveEvent {
        tokio::time::timeout(Duration::from_secs(5), follower.next())
            .await
            .expect("an event in time")
            .unwrap()
    }

    async fn nothing_within(follower: &mut Follower, wait: Duration) {
        let got = tokio::time::timeout(wait, follower.next()).await;
        assert!(got.is_err(), "unexpected event: {got:?}");
    }

    fn drafts() -> Topic {
        Topic::Drafts { draft_id: None }
    }

    #[tokio::test]
    async fn a_resumed_follower_gets_every_later_event_once_then_live_ones() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        create(&engine).await;
        let second = create(&engine).await;
        let third = create(&engine).await;
        let reader = Reader::new(store.clone(), officer());
        let mut follower = Follower::start(reader, drafts(), Some(1)).await.unwrap();
        let (a, b) = (next(&mut follower).await, next(&mut follower).await);
        assert_eq!((a.seq, b.seq), (2, 3));
        let ids = |e: &LiveEvent| match &e.what {
            Happened::Draft {
                draft_id, change, ..
            } => (draft_id.clone(), *change),
            other => panic!("{other:?}"),
        };
        assert_eq!(ids(&a), (second, DraftChange::Created));
        assert_eq!(ids(&b), (third, DraftChange::Created));
        let fourth = create(&engine).await;
        let c = next(&mut follower).await;
        assert_eq!((c.seq, ids(&c)), (4, (fourth, DraftChange::Created)));
        nothing_within(&mut follower, Duration::from_millis(300)).await;
    }

    #[tokio::test]
    async fn a_rolled_back_write_is_never_followed() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let reader = Reader::new(store.clone(), officer());
        let mut follower = Follower::start(reader, drafts(), None).await.unwrap();
        {
            let mut tx = store.begin_write().await.unwrap();
            tx.audit(
                &officer(),
                AuditRecord {
                    action: "CREATE_DRAFT".into(),
                    entity_type: "draft",
                    entity_id: "never".into(),
                    draft_id: Some("never".into()),
                    ..AuditRecord::default()
                },
                crate::clock::now(),
            )
            .await
            .unwrap();
            // Dropped: rolled back.
        }
        nothing_within(&mut follower, Duration::from_millis(300)).await;
        let id = create(&engine).await;
        let event = next(&mut follower).await;
        assert_eq!(
            event.seq, 1,
            "the rolled-back entry took no place in the log"
        );
        assert!(matches!(event.what, Happened::Draft { draft_id, .. } if draft_id == id));
    }

    #[tokio::test]
    async fn a_delegate_is_told_nothing_of_an_uncirculated_draft() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let reader = Reader::new(store.clone(), delegate());
        let mut follower = Follower::start(reader, drafts(), None).await.unwrap();
        create(&engine).await;
        nothing_within(&mut follower, Duration::from_millis(300)).await;
        assert_eq!(follower.cursor(), 1, "the entry was read, and skipped");
    }

    #[tokio::test]
    async fn cursors_beyond_the_log_or_too_old_are_refused() {
        let store = fresh_store().await;
        let reader = Reader::new(store.clone(), officer());
        let beyond = Follower::start(reader.clone(), drafts(), Some(5)).await;
        assert!(
            matches!(beyond, Err(WorkflowError::Rejected(_))),
            "{beyond:?}"
        );
        let negative = Follower::start(reader, drafts(), Some(-1)).await;
        assert!(
            matches!(negative, Err(WorkflowError::Rejected(_))),
            "{negative:?}"
        );
    }
}
