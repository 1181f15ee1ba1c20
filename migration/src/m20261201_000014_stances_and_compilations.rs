//! Member states' stances on circulated versions, and the compilations of
//! proposals the Secretariat has circulated.
//!
//! `draft_stances` holds one row per draft, version and member state: the
//! state's stance (`NO_OBJECTION`, `AD_REFERENDUM`, `RESERVATION`,
//! `OBJECTION`), its text (a reservation's wording, or remarks), who
//! recorded it and when; and, for an objection the Secretariat records as
//! withdrawn at a meeting, who recorded that, when, and the remark. A state
//! that changes its stance overwrites its row (the audit log keeps each).
//!
//! `compilation_circulations` holds, per draft and version, the note that
//! circulated the compilation of its proposals: from then on every member
//! state reads every state's proposals on that version.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DraftStances {
    Table,
    DraftId,
    Version,
    OrgCode,
    Stance,
    Text,
    RecordedBySub,
    RecordedByName,
    RecordedAt,
    WithdrawnBySub,
    WithdrawnByName,
    WithdrawnAt,
    WithdrawalRemark,
}

#[derive(DeriveIden)]
enum CompilationCirculations {
    Table,
    DraftId,
    Version,
    NoteId,
    CirculatedAt,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DraftStances::Table)
                    .col(string_len(DraftStances::DraftId, 36))
                    .col(integer(DraftStances::Version))
                    .col(string_len(DraftStances::OrgCode, 16))
                    .col(string_len(DraftStances::Stance, 20))
                    .col(text_null(DraftStances::Text))
                    .col(string_len(DraftStances::RecordedBySub, 200))
                    .col(string_len(DraftStances::RecordedByName, 200))
                    .col(timestamp_with_time_zone(DraftStances::RecordedAt))
                    .col(string_len_null(DraftStances::WithdrawnBySub, 200))
                    .col(string_len_null(DraftStances::WithdrawnByName, 200))
                    .col(timestamp_with_time_zone_null(DraftStances::WithdrawnAt))
                    .col(text_null(DraftStances::WithdrawalRemark))
                    .primary_key(
                        Index::create()
                            .col(DraftStances::DraftId)
                            .col(DraftStances::Version)
                            .col(DraftStances::OrgCode),
                    )
                    .foreign_key(&mut fk(
                        DraftStances::Table,
                        DraftStances::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .foreign_key(&mut fk(
                        DraftStances::Table,
                        DraftStances::OrgCode,
                        Organizations::Table,
                        Organizations::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompilationCirculations::Table)
                    .col(string_len(CompilationCirculations::DraftId, 36))
                    .col(integer(CompilationCirculations::Version))
                    .col(string_len(CompilationCirculations::NoteId, 36))
                    .col(timestamp_with_time_zone(
                        CompilationCirculations::CirculatedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(CompilationCirculations::DraftId)
                            .col(CompilationCirculations::Version),
                    )
                    .foreign_key(&mut fk(
                        CompilationCirculations::Table,
                        CompilationCirculations::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .foreign_key(&mut fk(
                        CompilationCirculations::Table,
                        CompilationCirculations::NoteId,
                        Notes::Table,
                        Notes::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CompilationCirculations::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(DraftStances::Table).to_owned())
            .await?;
        Ok(())
    }
}
