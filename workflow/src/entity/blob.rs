//! The `blobs` table: one row per distinct stored content, keyed by its
//! SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blobs")]
pub struct Model {
    /// Lower-case hex; also the file's name in the file store.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub size: i64,
    /// The sniffed MIME type.
    pub content_type: String,
    /// When the content was first stored (RFC 3339, UTC, microseconds).
    pub stored_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
