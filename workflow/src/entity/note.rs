//! The `notes` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub series: String,
    pub year: i32,
    pub sequence: i32,
    pub number: String,
    pub date: Date,
    pub place: String,
    pub purpose: String,
    /// The subject as a JSON object keyed by language code.
    pub subject: Option<String>,
    pub draft_id: Option<String>,
    pub version: Option<i32>,
    pub comments_due_on: Option<Date>,
    pub created_by_sub: String,
    pub created_at: DateTimeUtc,
    /// Always `ISSUED` (unsent notes are in `note_drafts`).
    pub status: String,
    /// `"ALL_MEMBER_STATES"` or a JSON array of organisation codes.
    pub addressees: Option<String>,
    /// The body as a JSON object keyed by language code.
    pub body: Option<String>,
    /// The enclosures as a JSON array.
    pub enclosures: Option<String>,
    /// The composed text in each language, frozen at issue (JSON); `None`
    /// for notes issued before the registry existed.
    pub texts: Option<String>,
    /// Subject and body lower-cased, for full-text search.
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
