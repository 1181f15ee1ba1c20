//! The `note_formulae` table: the diplomatic formulae notes are built from.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "note_formulae")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lang: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// A purpose, or `ANY` for every purpose without its own formula.
    #[sea_orm(primary_key, auto_increment = false)]
    pub purpose: String,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
