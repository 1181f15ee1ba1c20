//! The `idempotency_keys` table: what a request with an `Idempotency-Key`
//! did, per person and key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// The person's token subject.
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    /// The key the client chose.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Lower-case hex SHA-256 of the request (document, operation, variables).
    pub request_sha256: String,
    /// RFC 3339, UTC, microseconds.
    pub created_at: String,
    /// The JSON answer sent, once recorded.
    pub response: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
