//! The workflow's one error type. The API maps each variant to exactly one
//! `extensions.code`; see `api::error`.

use accord_domain::DomainError;

/// Why a command or query was not carried out. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The input is malformed or breaks a rule of the vocabulary.
    #[error(transparent)]
    BadInput(#[from] DomainError),
    /// The input breaks a rule checked against stored data.
    #[error("{0}")]
    Rejected(String),
    /// The object does not exist, or the viewer may not know that it does.
    #[error("{0}")]
    NotFound(String),
    /// The viewer may see the object but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// The action is not possible from the draft's current state.
    #[error("{0}")]
    InvalidTransition(String),
    /// Someone else changed the object first; reload and try again.
    #[error("{0}")]
    Conflict(String),
    /// The database failed; details are logged, never shown.
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The file store failed (disk full, permissions); details are
    /// logged, never shown.
    #[error("file store error: {0}")]
    Storage(String),
    /// Stored data broke an invariant (e.g. unparsable JSON in a row).
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl WorkflowError {
    /// A bad-input error with a message, for rules checked outside `domain`.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::Rejected(message.into())
    }

    /// The one answer for a draft that does not exist and for one the
    /// viewer may not know of: the same code and the same words, so that
    /// neither tells the other apart.
    pub fn draft_not_found(id: &str) -> Self {
        Self::NotFound(format!("draft {} not found", shown_id(id)))
    }

    /// The one answer for a comment that does not exist and for one the
    /// viewer may not see.
    pub fn comment_not_found(id: &str) -> Self {
        Self::NotFound(format!("comment {} not found", shown_id(id)))
    }
}

/// An id as a message quotes it: as given when it has the shape of an id,
/// else quoted and cut to a readable length.
fn shown_id(id: &str) -> String {
    if uuid::Uuid::try_parse(id).is_ok() {
        id.to_owned()
    } else {
        let cut: String = id.chars().take(60).collect();
        format!("{cut:?}")
    }
}

/// The workflow's result type.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;
