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
    /// A bound was hit (a lock, statement or pool wait, SQLite's busy
    /// timeout): nothing was written; the client may retry shortly.
    #[error("{0}")]
    Unavailable(String),
    /// The database failed; details are logged, never shown.
    #[error("database error: {0}")]
    Database(sea_orm::DbErr),
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

    /// The one answer for an id that names no object the viewer may see,
    /// whatever its kind (`node(id:)`).
    pub fn node_not_found(id: &str) -> Self {
        Self::NotFound(format!("node {} not found", shown_id(id)))
    }
}

impl From<sea_orm::DbErr> for WorkflowError {
    /// A database error, told apart by what the client can do about it: a
    /// bound hit (retry) or a failure (ours).
    fn from(error: sea_orm::DbErr) -> Self {
        match bound_hit(&error) {
            Some(what) => WorkflowError::Unavailable(format!(
                "the database is busy ({what}); nothing was written, retry shortly"
            )),
            None => WorkflowError::Database(error),
        }
    }
}

/// Which bound `error` hit, if it is one: the pool had no free connection
/// in time, a lock or statement timed out (PostgreSQL SQLSTATE 55P03,
/// 57014, 25P03), or SQLite stayed busy or locked beyond its busy timeout.
fn bound_hit(error: &sea_orm::DbErr) -> Option<&'static str> {
    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};
    let runtime = match error {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return Some("no connection free"),
        DbErr::Exec(runtime) | DbErr::Query(runtime) | DbErr::Conn(runtime) => runtime,
        _ => return None,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return None;
    };
    let code = sqlx.as_database_error()?.code()?;
    match code.as_ref() {
        "55P03" => Some("a lock wait timed out"),
        "57014" => Some("a statement timed out"),
        "25P03" => Some("a transaction stayed idle too long"),
        // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
        c if c == "5" || c == "6" || c.parse::<u32>().is_ok_and(|n| n & 0xff == 5) => {
            Some("the database file is locked")
        }
        _ => None,
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
