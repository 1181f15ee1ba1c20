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
}

/// The workflow's result type.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;
