//! The object types that point at one another (a draft, the notes that
//! carry it, the meetings that discuss it and the decisions that agree it),
//! declared apart from their fields. Each feature's module resolves the
//! fields of its own (`#[Object] impl`) and takes the others from here, so
//! no two features' modules import each other.

use std::sync::Arc;

use accord_workflow::meetings::{DecisionRecord, MeetingRecord};
use accord_workflow::read::{DecisionView, DraftView, MeetingView};
use accord_workflow::registry::NoteRecord;

use super::common::Record;
use super::loaders::{DecisionById, MeetingById};

/// A joint document on its way from first draft to signature.
#[derive(Debug, Clone)]
pub struct Draft(pub Arc<DraftView>);

impl Draft {
    /// Wraps a read model.
    pub fn new(view: DraftView) -> Draft {
        Draft(Arc::new(view))
    }
}

/// A note verbale of the Secretariat: written, then issued (numbered,
/// dated and frozen).
#[derive(Debug, Clone)]
pub struct Note(pub Arc<NoteRecord>);

impl Note {
    /// Wraps a record.
    pub fn new(record: NoteRecord) -> Note {
        Note(Arc::new(record))
    }
}

/// A meeting of a body. What a draft's `meetings` shows (body, date,
/// session) is at hand; the rest is loaded when asked for, so the `Draft`
/// query costs no statement more for it.
#[derive(Clone)]
pub struct Meeting {
    pub(super) id: String,
    pub(super) body: String,
    pub(super) date: chrono::NaiveDate,
    pub(super) session: Option<i32>,
    pub(super) record: Record<MeetingById, MeetingRecord>,
}

impl Meeting {
    pub(crate) fn new(record: MeetingRecord) -> Meeting {
        Meeting {
            id: record.id.clone(),
            body: record.body.clone(),
            date: record.date,
            session: record.session,
            record: Record::held(MeetingById(record.id.clone()), record),
        }
    }

    /// A meeting of which only the basics have been read.
    pub(crate) fn basic(view: MeetingView) -> Meeting {
        Meeting {
            record: Record::to_load(MeetingById(view.id.clone())),
            id: view.id,
            body: view.body,
            date: view.date,
            session: view.session,
        }
    }
}

/// A numbered decision. What a draft's `decision` shows (number, date) is
/// at hand; the rest is loaded when asked for.
#[derive(Clone)]
pub struct Decision {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) date: chrono::NaiveDate,
    pub(super) record: Record<DecisionById, DecisionRecord>,
}

impl Decision {
    pub(crate) fn new(record: DecisionRecord) -> Decision {
        Decision {
            id: record.id.clone(),
            number: record.number.clone(),
            date: record.date,
            record: Record::held(DecisionById(record.id.clone()), record),
        }
    }

    /// A decision of which only the basics have been read.
    pub(crate) fn basic(view: DecisionView) -> Decision {
        Decision {
            record: Record::to_load(DecisionById(view.id.clone())),
            id: view.id,
            number: view.number,
            date: view.date,
        }
    }
}
