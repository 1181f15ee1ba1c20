//! The `audit_log` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// RFC 3339 with microseconds, as hashed.
    pub at: String,
    pub actor_sub: String,
    pub actor_name: String,
    pub actor_org: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub draft_id: Option<String>,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
