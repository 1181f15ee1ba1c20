//! The `note_drafts` table: notes verbales not yet issued.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "note_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub series: String,
    pub purpose: String,
    pub place: String,
    /// The subject as a JSON object keyed by language code.
    pub subject: Option<String>,
    /// `"ALL_MEMBER_STATES"` or a JSON array of organisation codes.
    pub addressees: String,
    /// The body as a JSON object keyed by language code.
    pub body: Option<String>,
    /// The enclosures as a JSON array.
    pub enclosures: String,
    /// The ids of the issued notes it refers to, as a JSON array.
    pub reference_ids: String,
    /// The first draft it encloses, for filtering.
    pub draft_id: Option<String>,
    pub version: Option<i32>,
    pub comments_due_on: Option<Date>,
    /// Bumped by every edit; edits compare and set it.
    pub revision: i32,
    pub search_text: String,
    pub created_by_sub: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
