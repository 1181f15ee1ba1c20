//! The `comments` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub draft_id: String,
    pub version: i32,
    pub anchor: Option<String>,
    pub kind: String,
    pub status: String,
    pub body: String,
    pub org_code: String,
    pub author_sub: String,
    pub author_name: String,
    pub proposal_operation: Option<String>,
    /// Proposed texts as a JSON object keyed by language code.
    pub proposal_texts: Option<String>,
    pub reply: Option<String>,
    pub resolved_by_sub: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub accommodated_in_version: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
