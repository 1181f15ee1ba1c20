//! The engine's kernel: the [`Engine`] (a store and a clock), the
//! [`Outcome`] every command returns, `check` (a refusal turned into the
//! error the client sees), and what every transition shares: reading a
//! draft (`Engine::snapshot`), deciding on it (`check_draft`), and writing
//! it by compare-and-set (`compare_and_set`, `moved`); and the note
//! counter (`next_note_number`).
//!
//! A transition reads the draft, decides, and then writes with a
//! compare-and-set on the draft's state and revision: when two people act on
//! the same draft at once, one succeeds and the other gets `CONFLICT`, and
//! nothing of the loser's attempt remains.
//!
//! The kernel knows no feature: the features (`drafts`, `notes`,
//! `meetings`, `plans`, `calendar`) build on it, and `commands`, on top,
//! dispatches each [`crate::Command`] to them.

use std::sync::Arc;

use accord_domain::{DraftState, NoteNumber, NoteSeries, Stage, StageKindName};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::actor::Actor;
use crate::entity::{draft, note_counter};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action, DraftFacts, Refusal};
use crate::snapshot::{Snapshot, snapshot};
use crate::store::{Store, WriteTx, expect_one};
use crate::written::{CommentAfter, DraftAfter, changed};

/// What a command produced: by id, and for the drafts and comments a
/// change writes, the rows as it left them ([`crate::written`]), so that
/// the answer is built without reading them back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The draft changed.
    Draft {
        /// The draft's id.
        draft_id: String,
        /// The draft as the change left it.
        after: DraftAfter,
    },
    /// The draft was circulated by a new note.
    Circulated {
        /// The draft's id.
        draft_id: String,
        /// The note's id.
        note_id: String,
        /// The draft as the circulation left it.
        after: DraftAfter,
        /// The note as issued.
        note: crate::written::NoteAfter,
    },
    /// A comment was created or changed.
    Comment {
        /// The comment's id.
        comment_id: String,
        /// The comment and its draft as the change left them.
        after: CommentAfter,
    },
    /// The SOC's agreement was recorded.
    Agreed {
        /// The draft's id.
        draft_id: String,
        /// The decision's id.
        decision_id: String,
    },
    /// A silence procedure was opened on the draft.
    Silence {
        /// The draft's id.
        draft_id: String,
        /// The procedure's id.
        procedure_id: String,
        /// The draft as the change left it.
        after: DraftAfter,
    },
    /// A signature was added.
    Signed {
        /// The draft's id.
        draft_id: String,
    },
    /// A note series was continued.
    SeriesContinued,
    /// A note verbale was written, edited or issued.
    Note {
        /// The note's id.
        note_id: String,
    },
    /// A meeting or its agenda was recorded or changed.
    Meeting {
        /// The meeting's id.
        meeting_id: String,
    },
    /// A decision was recorded or edited.
    Decision {
        /// The decision's id.
        decision_id: String,
    },
    /// A plan was created or changed.
    Plan {
        /// The plan's id.
        plan_id: String,
    },
    /// An event was added or changed.
    Event {
        /// The event's id.
        event_id: String,
    },
    /// A submission rule was adopted.
    Rule {
        /// The rule's id.
        rule_id: String,
    },
    /// A submission was recorded.
    Submission {
        /// The submission's id.
        submission_id: String,
        /// Its event's id.
        event_id: String,
    },
    /// A route version was defined or published.
    Route {
        /// The route version's id.
        route_id: String,
    },
    /// A signing delegation was recorded or revoked.
    Delegation {
        /// The delegation's id.
        delegation_id: String,
    },
    /// A calendar feed was made or revoked.
    CalendarFeed {
        /// The feed's id.
        feed_id: String,
        /// The feed's token, when it was just made (shown this once).
        token: Option<String>,
    },
}

/// A source of the current instant; tests and the demo loader set their own.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Carries out commands against a [`Store`].
#[derive(Clone)]
pub struct Engine {
    store: Store,
    clock: Clock,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("store", &self.store)
            .finish()
    }
}

impl Engine {
    /// An engine using the system clock.
    pub fn new(store: Store) -> Engine {
        Engine {
            store,
            clock: Arc::new(crate::clock::now),
        }
    }

    /// An engine using `clock` (tests, demo data).
    pub fn with_clock(store: Store, clock: Clock) -> Engine {
        Engine { store, clock }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Reads a draft with its signatories and signatures.
    pub(crate) async fn snapshot(&self, draft_id: &str) -> Result<Snapshot> {
        snapshot(self.store.db(), self.store.routes(), draft_id).await
    }
}

/// What a draft's compare-and-set answers when someone acted first.
pub(crate) const CHANGED: &str = "the draft changed while you were acting; reload it and try again";

/// Runs `decide` for an action on no draft and turns a refusal into the
/// error the client sees.
pub(crate) fn check(actor: &Actor, action: Action, facts: Option<&DraftFacts>) -> Result<()> {
    permissions::decide(actor, action, facts).map_err(WorkflowError::from)
}

/// Runs `decide` for an action on the draft `snap` and returns the facts it
/// decided on. A draft the actor may not know of is answered exactly as a
/// draft that does not exist.
pub(crate) fn check_draft(actor: &Actor, action: Action, snap: &Snapshot) -> Result<DraftFacts> {
    check_facts(actor, action, snap, snap.facts(actor)?)
}

/// [`check_draft`] on `facts` of the draft `snap` that the caller
/// completed (whether the actor acts for their Secretary General).
pub(crate) fn check_facts(
    actor: &Actor,
    action: Action,
    snap: &Snapshot,
    facts: DraftFacts,
) -> Result<DraftFacts> {
    permissions::decide(actor, action, Some(&facts)).map_err(|refusal| match refusal {
        Refusal::NotFound => WorkflowError::draft_not_found(&snap.row.id),
        other => other.into(),
    })?;
    Ok(facts)
}

/// The stage of the draft's route that `action` takes it to from where it
/// stands: the next circulation (or, circulating again, the circulation
/// it stands at), consideration, decision or signature. `None` for a
/// withdrawal, which leaves the draft at its stage. Asked of an action
/// the route does not lead to (which `decide` refuses first), a refusal.
pub(crate) fn destination(snap: &Snapshot, action: Action) -> Result<Option<&Stage>> {
    let route = &snap.route;
    let at = snap.row.stage.as_deref();
    let kind = match action {
        Action::Withdraw => return Ok(None),
        Action::Circulate => StageKindName::Circulation,
        Action::OpenSwgDiscussion => StageKindName::Consideration,
        Action::RecordSocAgreement | Action::RecordBodyDecision => StageKindName::Decision,
        Action::Sign => StageKindName::Signature,
        other => {
            return Err(WorkflowError::Corrupt(format!(
                "{} does not move a draft",
                other.as_str()
            )));
        }
    };
    let here = at
        .and_then(|key| route.stage(key))
        .filter(|stage| stage.kind.name() == kind);
    route
        .next_of_kind(at, kind)
        .or(here)
        .map(Some)
        .ok_or_else(|| {
            WorkflowError::InvalidTransition(format!(
                "the draft's route leads to no {} stage from here",
                kind.as_str().to_lowercase()
            ))
        })
}

/// The draft `snap` moved by `action` at `now` to its [`destination`] (or,
/// withdrawn, to `WITHDRAWN` at the stage it stood at): its next revision.
pub(crate) fn moved(snap: &Snapshot, action: Action, now: DateTime<Utc>) -> Result<draft::Model> {
    let (stage, state) = match destination(snap, action)? {
        Some(stage) => (Some(stage.key.clone()), stage.state()),
        None => (snap.row.stage.clone(), DraftState::Withdrawn),
    };
    Ok(draft::Model {
        state: state.as_str().to_owned(),
        stage,
        revision: snap.row.revision + 1,
        updated_at: now,
        ..snap.row.clone()
    })
}

/// Writes `after` over the draft as `before` read it: the columns in which
/// they differ, compare-and-set on its state and revision, so that a draft
/// someone changed meanwhile is `CONFLICT` and nothing is written. Returns
/// the draft as it now stands.
pub(crate) async fn compare_and_set(
    tx: &WriteTx,
    before: &Snapshot,
    after: draft::Model,
) -> Result<DraftAfter> {
    let update = draft::Entity::update_many()
        .filter(draft::Column::Id.eq(before.row.id.as_str()))
        .filter(draft::Column::State.eq(before.row.state.as_str()))
        .filter(draft::Column::Revision.eq(before.row.revision));
    expect_one(tx.conn(), changed(update, &before.row, &after), CHANGED).await?;
    Ok(DraftAfter::new(Snapshot {
        row: after,
        signatories: before.signatories.clone(),
        signatures: before.signatures.clone(),
        route: Arc::clone(&before.route),
    }))
}

/// Locks the draft's row for a change that leaves its state and revision
/// as they are (a comment, a stance, a compilation): only `updated_at`
/// moves, and a concurrent transition makes one of the two `CONFLICT`.
pub(crate) async fn touch(
    tx: &WriteTx,
    snap: &Snapshot,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DraftAfter> {
    compare_and_set(
        tx,
        snap,
        draft::Model {
            updated_at: now,
            ..snap.row.clone()
        },
    )
    .await
}

/// Issues the next number of `series` in `year`, inside the write lock, so
/// numbers are unique and gap-free: a rolled-back transaction rolls the
/// counter back too.
pub(crate) async fn next_note_number(
    tx: &WriteTx,
    series: &NoteSeries,
    year: i32,
) -> Result<NoteNumber> {
    note_counter::Entity::insert(note_counter::ActiveModel {
        series: Set(series.to_string()),
        year: Set(year),
        last_sequence: Set(1),
    })
    .on_conflict(
        OnConflict::columns([note_counter::Column::Series, note_counter::Column::Year])
            .value(
                note_counter::Column::LastSequence,
                Expr::col((note_counter::Entity, note_counter::Column::LastSequence)).add(1),
            )
            .to_owned(),
    )
    .exec_without_returning(tx.conn())
    .await?;
    let counter = note_counter::Entity::find_by_id((series.to_string(), year))
        .one(tx.conn())
        .await?
        .ok_or_else(|| WorkflowError::Corrupt("the note counter vanished".into()))?;
    Ok(NoteNumber::new(
        series.clone(),
        counter.last_sequence as u32,
    )?)
}
