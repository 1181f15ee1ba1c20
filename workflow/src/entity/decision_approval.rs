//! The `decision_approvals` table: what a decision approves, in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decision_approvals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub decision_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// `DRAFT`, `PLAN`, `GUIDELINES` or `DOCUMENT`.
    pub kind: String,
    pub draft_id: Option<String>,
    /// A titled document's title per language, as JSON `Texts`.
    pub title: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
