//! The `plan_events` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub plan_id: String,
    pub position: i32,
    /// The title per language, as JSON `Texts`.
    pub title: String,
    pub start_date: Date,
    pub end_date: Date,
    pub venue: Option<String>,
    pub notes: Option<String>,
    pub cbm_area: Option<String>,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
