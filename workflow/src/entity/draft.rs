//! The `drafts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub title: String,
    pub state: String,
    pub revision: i64,
    pub home_org: String,
    pub current_version: i32,
    pub circulated_version: Option<i32>,
    pub agreed_version: Option<i32>,
    pub withdrawn_reason: Option<String>,
    /// The route version the draft started on.
    pub route_id: String,
    /// The key of the last stage of its route it reached; none while
    /// drafting.
    pub stage: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
