//! The `signatures` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_code: String,
    pub signer_sub: String,
    pub signer_name: String,
    pub content_hash: String,
    pub signed_at: DateTimeUtc,
    /// The delegation signed under, for an acting signatory.
    pub delegation_id: Option<String>,
    /// The Secretary General signed for, under a delegation.
    pub acting_for: Option<String>,
    /// The acting title per language (JSON `Texts`), under a delegation.
    pub acting_title: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
