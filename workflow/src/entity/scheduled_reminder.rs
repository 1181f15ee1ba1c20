//! The `scheduled_reminders` table: the periods for which the monthly job
//! drafted a reminder note.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_reminders")]
pub struct Model {
    /// The month whose events the reminder covers, `YYYY-MM`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    /// The unsent note drafted (`note_drafts.id`, later `notes.id`).
    pub note_id: String,
    /// RFC 3339, UTC, microseconds.
    pub drafted_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
