//! Silence procedures: a text put to the member states with a deadline,
//! deemed agreed by a body unless a member state breaks the silence.
//!
//! One row per attempt, never deleted: the draft and version put under
//! silence, the route's silence stage and its body, the meeting (session)
//! of that body whose decision series numbers the decision if the text
//! passes, the instant the period ends, who opened it and by which note;
//! then how it closed (`RUNNING` until it does; `BROKEN`, `AGREED` or
//! `WITHDRAWN`), when, by whom and how it was broken, the note that told
//! the member states, and the decision that recorded the agreement.
//!
//! The deadline job looks for running procedures whose period has ended
//! (`silence_procedures_due`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SilenceProcedures {
    Table,
    Id,
    DraftId,
    Version,
    Stage,
    Body,
    MeetingId,
    EndsAt,
    OpenedBySub,
    OpenedByName,
    OpenedAt,
    NoteId,
    Status,
    ClosedAt,
    BrokenByOrg,
    BrokenBySub,
    BrokenByName,
    BrokenHow,
    ClosingNoteId,
    DecisionId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SilenceProcedures as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(string_len(S::Id, 36).primary_key())
                    .col(string_len(S::DraftId, 36))
                    .col(integer(S::Version))
                    .col(string_len(S::Stage, 32))
                    .col(string_len(S::Body, 32))
                    .col(string_len(S::MeetingId, 36))
                    .col(timestamp_with_time_zone(S::EndsAt))
                    .col(string_len(S::OpenedBySub, 200))
                    .col(string_len(S::OpenedByName, 200))
                    .col(timestamp_with_time_zone(S::OpenedAt))
                    .col(string_len(S::NoteId, 36))
                    .col(string_len(S::Status, 16))
                    .col(timestamp_with_time_zone_null(S::ClosedAt))
                    .col(string_len_null(S::BrokenByOrg, 16))
                    .col(string_len_null(S::BrokenBySub, 200))
                    .col(string_len_null(S::BrokenByName, 200))
                    .col(string_len_null(S::BrokenHow, 16))
                    .col(string_len_null(S::ClosingNoteId, 36))
                    .col(string_len_null(S::DecisionId, 36))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("silence_procedures_draft")
                    .table(S::Table)
                    .col(S::DraftId)
                    .col(S::OpenedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("silence_procedures_due")
                    .table(S::Table)
                    .col(S::Status)
                    .col(S::EndsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SilenceProcedures::Table).to_owned())
            .await
    }
}
