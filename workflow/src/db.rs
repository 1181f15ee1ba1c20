//! Below the store: what every reader and writer of the database shares.

use sea_orm::{
    AccessMode, DatabaseBackend, DatabaseConnection, DatabaseTransaction, IsolationLevel,
    TransactionOptions, TransactionTrait,
};

use crate::error::{Result, WorkflowError};

/// Whether `id` has the shape of the ids Accord issues (UUIDs). Anything
/// else cannot name an object and is answered as not found without a query.
pub(crate) fn is_id(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok()
}

/// Starts a read transaction on `db` (see [`Store::begin_read`]).
pub(crate) async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let options = match db.get_database_backend() {
        DatabaseBackend::Postgres => TransactionOptions {
            isolation_level: Some(IsolationLevel::RepeatableRead),
            access_mode: Some(AccessMode::ReadOnly),
            ..TransactionOptions::default()
        },
        _ => TransactionOptions::default(),
    };
    Ok(db.begin_with_options(options).await?)
}

/// `value` as the JSON text a column stores.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|error| WorkflowError::Corrupt(error.to_string()))
}

/// The JSON text of a note's column `what`, read back.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(raw: &str, what: &str) -> Result<T> {
    serde_json::from_str(raw)
        .map_err(|error| WorkflowError::Corrupt(format!("note {what}: {error}")))
}

/// [`from_json`] of a column that may be empty.
pub(crate) fn from_json_opt<T: serde::de::DeserializeOwned>(
    raw: Option<&str>,
    what: &str,
) -> Result<Option<T>> {
    raw.map(|raw| from_json(raw, what)).transpose()
}
