//! Scheduled reminders and calendar feeds:
//!
//! - `scheduled_reminders`: one row per period (`YYYY-MM`, the month whose
//!   events the reminder covers) for which the monthly job drafted a
//!   reminder note (`note_id`), and when (`drafted_at`). The primary key
//!   keeps it to one per period; the job checks and writes it in the same
//!   transaction as the note.
//! - `calendar_feeds`: read-only iCalendar feed tokens. Only the token's
//!   SHA-256 (`token_sha256`, unique) is stored, never the token. A feed
//!   shows the events and the due dates of one member state
//!   (`member_state`), or of all of them when null; it belongs to the person
//!   who made it (`owner_sub`, of `owner_org`), and stops answering once
//!   `revoked_at` is set.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScheduledReminders {
    Table,
    Period,
    NoteId,
    DraftedAt,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    Id,
    TokenSha256,
    Label,
    MemberState,
    OwnerSub,
    OwnerOrg,
    CreatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScheduledReminders::Table)
                    .col(string_len(ScheduledReminders::Period, 7).primary_key())
                    .col(string_len(ScheduledReminders::NoteId, 36))
                    .col(string_len(ScheduledReminders::DraftedAt, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(string_len(CalendarFeeds::Id, 36).primary_key())
                    .col(string_len(CalendarFeeds::TokenSha256, 64).unique_key())
                    .col(string_len(CalendarFeeds::Label, 200))
                    .col(string_len_null(CalendarFeeds::MemberState, 16))
                    .col(string_len(CalendarFeeds::OwnerSub, 200))
                    .col(string_len(CalendarFeeds::OwnerOrg, 16))
                    .col(string_len(CalendarFeeds::CreatedAt, 40))
                    .col(string_len_null(CalendarFeeds::RevokedAt, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_calendar_feeds_owner")
                    .table(CalendarFeeds::Table)
                    .col(CalendarFeeds::OwnerSub)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarFeeds::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ScheduledReminders::Table).to_owned())
            .await?;
        Ok(())
    }
}
