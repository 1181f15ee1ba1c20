//! The `uploads` table: one row per upload; many may name one blob.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    /// A UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The stored content (`blobs.sha256`).
    pub sha256: String,
    /// The file name the client gave (last path component).
    pub file_name: String,
    /// The sniffed MIME type.
    pub content_type: String,
    /// The uploader's token subject.
    pub uploaded_by: String,
    /// The uploader's organisation code.
    pub uploaded_by_org: String,
    /// RFC 3339, UTC, microseconds.
    pub uploaded_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
