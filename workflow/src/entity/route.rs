//! The `routes` table: every version of every route.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "routes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The document kind, or `*` for every kind without a route of its own.
    pub document_kind: String,
    pub version: i32,
    /// The stages, as JSON `accord_domain::RouteDefinition`.
    pub definition: String,
    /// `DRAFT` or `PUBLISHED`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub published_by: Option<String>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
