//! Accord's vocabulary: the values every other crate speaks in.
//!
//! This crate is pure: it knows nothing of storage, HTTP or GraphQL. Every
//! value here is built by a constructor that checks it (`parse`, `new`,
//! `from_pairs`), so code holding one never has to validate it again.

#[macro_use]
mod macros;

mod content;
mod dates;
mod deadlines;
mod decision;
mod diff;
mod draft;
mod error;
mod inline;
mod note;
mod numbers;
mod org;
mod route;
mod signature_copy;
mod silence;
mod text;

pub use content::{Anchor, Content, ContentHash, Item, MAX_ITEMS, MAX_TEXT_CHARS};
pub use dates::{FIRST_YEAR, LAST_YEAR, check_date, check_instant};
pub use deadlines::{
    DEFAULT_DUE_SOON_DAYS, DocumentKind, DocumentStatus, EventDates, EventStatus, MAX_OFFSET_DAYS,
    RuleAnchor, SubmissionRule, due_date, is_required, rule_in_force, status,
};
pub use decision::{DecisionFacts, DecisionText, compose_decision, render_decision};
pub use diff::{ChangeKind, ItemChange, diff};
pub use draft::{
    CommentKind, CommentStatus, DraftState, ProposalOperation, ProposalResolution, Stance,
};
pub use error::{DomainError, Result};
pub use inline::{Run, plain, runs};
pub use note::{
    AddresseeName, Addressees, DEFAULT_PLACE, Enclosed, Enclosure, EnclosureLine, Formula,
    FormulaKind, Formulae, MAX_ADDRESSEES, MAX_ENCLOSURES, MAX_PAGES, MeetingLine, NoteFacts,
    NotePurpose, NoteStatus, NoteText, RenderFormat, compose, fill, format_cited_date, format_date,
    format_date_by, format_date_on, format_month_for, number_line, parse_place, render,
    russian_count, search_pattern, search_text,
};
pub use numbers::{DecisionNumber, NoteNumber, NoteSeries, SessionNumber, parse_roman, to_roman};
pub use org::{OrgCode, OrgKind, Role};
pub use route::{
    DecisionVerb, MAX_STAGES, Route, RouteContext, RouteDefinition, RouteError, Signatories,
    SignatureRule, Stage, StageKind, StageKindName,
};
pub use signature_copy::{
    CopyFacts, CopyItem, SignatoryBlock, SignatoryColumn, SignatoryFacts, SignatureCopy, Signed,
    compose_signature_copy, render_signature_copy,
};
pub use silence::{
    Breach, SilenceFacts, SilenceStatus, silence_agreed, silence_broken, silence_opened,
    silence_subject,
};
pub use text::{
    Lang, Lines, LocalizedText, Texts, check_characters, non_blank, one_line, printable,
};
