//! The `submissions` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub event_id: String,
    pub kind: String,
    pub revision: i32,
    pub received_on: Date,
    pub recorded_by: String,
    pub recorded_by_org: String,
    /// The file's SHA-256 in the content-addressed store, when a file came with it.
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub content_type: Option<String>,
    pub file_name: Option<String>,
    pub remarks: Option<String>,
    /// The upload the file came from (`uploads.id`), when one did.
    pub upload_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
