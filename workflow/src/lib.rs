//! Accord's workflow engine.
//!
//! - [`permissions`]: who may do what from which state, as one pure
//!   function, and the permission table the tests are generated from.
//! - [`engine`]: the kernel every feature builds on: the [`Engine`], its
//!   clock, the [`Outcome`] of a command, and the compare-and-set a draft
//!   is written with.
//! - [`drafts`]: drafts, their versions, comments and signatures.
//! - [`commands`]: the closed set of commands, each carried out in one
//!   write transaction with its audit record; the one module that knows
//!   every feature.
//! - [`read`]: what a viewer may see, loaded in batches.
//! - [`audit`]: the hash-chained audit log and its verification.
//! - [`notes`] and [`registry`]: the note registry (writing, editing and
//!   issuing notes verbales; reading, searching and rendering them).
//! - [`meetings`]: meetings of bodies, their agendas and decisions.
//! - [`plans`]: Plans of Implementation, their events, submission rules,
//!   due dates, submissions, dashboards and the words of reminder notes.
//! - `events`: events as read (re-exported by [`plans`]), shared by plans
//!   and calendar feeds.
//! - [`paging`]: cursor pagination shared by the listings.
//! - [`store`]: the database handle and write transactions (below it,
//!   `db`: ids and read snapshots shared by every reader and writer).
//! - `snapshot`: a draft as read before a decision.
//! - [`blobs`]: stored files, content-addressed by SHA-256.
//! - [`jobs`]: background jobs run by one instance at a time under a lease.
//! - [`reminders`]: the reminder note, drafted on request, or by the
//!   monthly job once per period.
//! - [`calendar`]: read-only calendar feed tokens and what a feed shows.
//! - [`stances`]: member states' stances on the version under
//!   consideration; circulating a version's compilation of proposals
//!   (below it, [`compilations`]: which compilations have circulated, a
//!   fact the visibility of proposals depends on).
//! - [`written`]: what a change left behind, for its answer.
//! - [`commits`]: the audit sequence known to be committed, moved after
//!   each commit (and, across instances, by PostgreSQL `NOTIFY`);
//!   [`live`]: live updates, the audit log followed from a cursor and each
//!   entry re-read through the subscriber's `Reader`.
//!
//! The modules are layered one way: the kernel ([`engine`]) imports no
//! feature; the features ([`drafts`], [`notes`] with [`registry`],
//! [`meetings`], [`plans`], [`calendar`], [`stances`]) import the kernel and the shared
//! modules beneath them, never one another; [`commands`] and [`reminders`]
//! compose features on top, [`live`] reads them all, and nothing below
//! imports them.
//!
//! This crate knows nothing of GraphQL, HTTP or JWT.

pub mod actor;
pub mod audit;
pub mod blobs;
pub mod calendar;
pub mod clock;
pub mod commands;
pub mod commits;
pub mod compilations;
mod db;
pub mod delegations;
pub mod drafts;
pub mod engine;
pub mod entity;
pub mod error;
mod events;
pub mod idempotency;
pub mod jobs;
mod lane;
pub mod live;
pub mod meetings;
pub mod notes;
pub mod paging;
pub mod permissions;
pub mod plans;
pub mod printed;
pub mod read;
pub mod registry;
pub mod reminders;
mod route_book;
pub mod routes;
pub mod silence;
mod snapshot;
pub mod stances;
pub mod store;
#[cfg(test)]
mod testing;
pub mod written;

pub use actor::Actor;
pub use commands::Command;
pub use drafts::{NewComment, NewDraft, Proposal};
pub use engine::{Engine, Outcome};
pub use error::{Result, WorkflowError};
pub use notes::NewNote;
pub use permissions::{Action, Relation};
pub use read::Reader;
pub use routes::{NewRoute, RouteStatus, RouteView};
pub use silence::{NewSilence, SilenceView};
pub use store::{PoolUse, Store, StoreConfig};
