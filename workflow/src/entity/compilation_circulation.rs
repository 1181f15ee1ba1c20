//! The `compilation_circulations` table: the note that circulated the
//! compilation of a version's proposals.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compilation_circulations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub note_id: String,
    pub circulated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
