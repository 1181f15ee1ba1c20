//! The `signatory_blocks` table: how each organisation's Secretary General
//! signs, per language (migration 15).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signatory_blocks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_code: String,
    /// "APPROVED" per language, as JSON `Texts`.
    pub approved: String,
    /// The title per language, as JSON `Texts`.
    pub title: String,
    /// The organisation in the form the title governs, as JSON `Texts`.
    pub organization: String,
    /// The office holder's name per language, as JSON `Texts`.
    pub holder: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
