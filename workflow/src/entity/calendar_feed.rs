//! The `calendar_feeds` table: read-only iCalendar feed tokens, stored as
//! their SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    /// A UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Lower-case hex SHA-256 of the token.
    pub token_sha256: String,
    /// The owner's name for it ("my phone").
    pub label: String,
    /// The member state whose due dates it shows; all when `None`.
    pub member_state: Option<String>,
    /// The owner's token subject.
    pub owner_sub: String,
    /// The owner's organisation code.
    pub owner_org: String,
    /// RFC 3339, UTC, microseconds.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
