//! The `silence_procedures` table: one attempt to have a text deemed
//! agreed by silence.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "silence_procedures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub draft_id: String,
    pub version: i32,
    /// The key of the route's silence stage.
    pub stage: String,
    pub body: String,
    /// The meeting whose session numbers the decision.
    pub meeting_id: String,
    pub ends_at: DateTimeUtc,
    pub opened_by_sub: String,
    pub opened_by_name: String,
    pub opened_at: DateTimeUtc,
    pub note_id: String,
    /// `RUNNING`, `BROKEN`, `AGREED` or `WITHDRAWN`.
    pub status: String,
    pub closed_at: Option<DateTimeUtc>,
    pub broken_by_org: Option<String>,
    pub broken_by_sub: Option<String>,
    pub broken_by_name: Option<String>,
    /// `OBJECTION` or `AMENDMENT`.
    pub broken_how: Option<String>,
    pub closing_note_id: Option<String>,
    pub decision_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
