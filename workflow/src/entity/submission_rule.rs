//! The `submission_rules` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submission_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub anchor: String,
    pub offset_days: i32,
    pub in_force_from: Date,
    pub decision_id: Option<String>,
    pub adopted_on: Date,
    /// The adopting document's title per language, as JSON `Texts`.
    pub title: Option<String>,
    /// How a note cites the adopting document, per language, as JSON
    /// `Texts` with `{date}` for the adoption date.
    pub citation: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
