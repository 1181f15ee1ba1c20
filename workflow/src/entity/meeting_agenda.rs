//! The `meeting_agenda` table.

use sea_orm::QuerySelect;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_agenda")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub draft_id: Option<String>,
    /// A plain item's title per language, as JSON `Texts`.
    pub title: Option<String>,
    /// The item's stable id.
    pub id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The agenda entries of the drafts `draft_ids` joined to their meetings,
/// selecting nothing yet: the caller names the columns it reads (of either
/// table), and may filter and order further.
pub fn of_drafts_with_their_meetings(
    draft_ids: impl IntoIterator<Item = String>,
) -> Select<Entity> {
    Entity::find()
        .select_only()
        .join(
            sea_orm::JoinType::InnerJoin,
            Entity::belongs_to(super::meeting::Entity)
                .from(Column::MeetingId)
                .to(super::meeting::Column::Id)
                .into(),
        )
        .filter(Column::DraftId.is_in(draft_ids))
}
