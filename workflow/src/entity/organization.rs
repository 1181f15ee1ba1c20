//! The `organizations` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub kind: String,
    pub name: String,
    /// The name per language, as JSON `Texts` (member states: EN, RU, KK).
    pub names: Option<String>,
    /// The name as a note's opening addresses it, per language, as JSON
    /// `Texts` (member states: RU, KK, in the dative).
    pub dative_names: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
