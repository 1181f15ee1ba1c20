//! The `decisions` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub number: String,
    pub body: String,
    pub year: i32,
    pub session: i32,
    pub sequence: i32,
    pub date: Date,
    pub meeting_id: String,
    pub draft_id: Option<String>,
    pub created_at: DateTimeUtc,
    /// The title per language, as JSON `Texts`.
    pub title: Option<String>,
    /// The text per language, as JSON `Texts`.
    pub text: Option<String>,
    /// Compared and set by every edit.
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
