//! A note cites earlier notes in a meaningful order ("with reference to its
//! notes No. PAR/361 … and No. PAR/1453 …"); `position` keeps it. Rows
//! written before this migration keep position 0 and fall back to the
//! referenced note's id (its creation order) as a tie-break.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NoteReferences {
    Table,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NoteReferences::Table)
                    .add_column(integer(NoteReferences::Position).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NoteReferences::Table)
                    .drop_column(NoteReferences::Position)
                    .to_owned(),
            )
            .await
    }
}
