//! The `draft_stances` table: a member state's stance on a version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_stances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_code: String,
    pub stance: String,
    pub text: Option<String>,
    pub recorded_by_sub: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTimeUtc,
    pub withdrawn_by_sub: Option<String>,
    pub withdrawn_by_name: Option<String>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawal_remark: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
