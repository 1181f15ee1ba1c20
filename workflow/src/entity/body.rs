//! The `bodies` table: the bodies that meet (`SWG`, `SOC`, `MC`, `SUMMIT`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bodies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// The name per language, as JSON `Texts`.
    pub names: String,
    pub position: i32,
    /// The name a circulation note gives it among the meetings it
    /// announces, per language, as JSON `Texts` ("the CICA Special Working
    /// Group", "Специальной рабочей группы СВМДА", …).
    pub note_names: Option<String>,
    /// How it numbers its decisions (`SESSION`: `BODY/YEAR-SESSION/DEC/N`);
    /// none for a body that takes no decisions (the SWG).
    pub decision_numbering: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
