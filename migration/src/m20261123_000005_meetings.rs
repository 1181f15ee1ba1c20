//! Meetings and decisions (issue 4):
//!
//! - `bodies` names the bodies that meet, as data: `SWG`, `SOC`, `MC`
//!   (Ministerial Council) and `SUMMIT`, with their names in English,
//!   Russian and Kazakh (`names`, JSON keyed by language). `meetings.body`
//!   is checked against it by the engine (SQLite cannot add a foreign key
//!   to an existing table without rebuilding it).
//! - `meetings` gains `venue` (`Astana` unless recorded otherwise) and an
//!   optional `title` per language.
//! - `meeting_agenda` gains a stable `id` per item, so that moving or
//!   removing an item names the item, not a position that may have changed
//!   meanwhile; the `title` column (unused so far) holds a plain item's
//!   title per language. Items recorded before this migration get ids made
//!   from their meeting's id and position.
//! - `decisions` gains `title` and `text` per language and a `revision`
//!   that edits compare and set.
//! - `decision_approvals` lists what a decision approves, in order: a draft
//!   (`kind` `DRAFT`, `draft_id`) or a titled document (`PLAN`,
//!   `GUIDELINES`, `DOCUMENT`, `title`). Decisions recorded before this
//!   migration approve the draft they agreed.

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Bodies {
    Table,
    Code,
    Names,
    Position,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Venue,
    Title,
}

#[derive(DeriveIden)]
enum MeetingAgenda {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    Title,
    Text,
    Revision,
}

#[derive(DeriveIden)]
enum DecisionApprovals {
    Table,
    DecisionId,
    Position,
    Kind,
    DraftId,
    Title,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
}

/// Every body as (code, names as JSON keyed by language).
const BODIES: &[(&str, &str)] = &[
    (
        "SWG",
        r#"{"EN":"Special Working Group","RU":"Специальная рабочая группа","KK":"Арнаулы жұмыс тобы"}"#,
    ),
    (
        "SOC",
        r#"{"EN":"Senior Officials Committee","RU":"Комитет старших должностных лиц","KK":"Аға лауазымды тұлғалар комитеті"}"#,
    ),
    (
        "MC",
        r#"{"EN":"Ministerial Council","RU":"Совет министров иностранных дел","KK":"Сыртқы істер министрлері кеңесі"}"#,
    ),
    ("SUMMIT", r#"{"EN":"Summit","RU":"Саммит","KK":"Саммит"}"#),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bodies::Table)
                    .col(string_len(Bodies::Code, 16).primary_key())
                    .col(text(Bodies::Names))
                    .col(integer(Bodies::Position))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(Bodies::Table)
            .columns([Bodies::Code, Bodies::Names, Bodies::Position])
            .to_owned();
        for (position, (code, names)) in BODIES.iter().enumerate() {
            insert
                .values([(*code).into(), (*names).into(), (position as i32).into()])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(string_len(Meetings::Venue, 200).default("Astana"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(text_null(Meetings::Title))
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(MeetingAgenda::Table)
                    .add_column(string_len_null(MeetingAgenda::Id, 36))
                    .to_owned(),
            )
            .await?;
        backfill_agenda_ids(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("meeting_agenda_id")
                    .table(MeetingAgenda::Table)
                    .col(MeetingAgenda::Id)
                    .unique()
                    .to_owned(),
            )
            .await?;

        for column in [Decisions::Title, Decisions::Text] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Decisions::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Decisions::Table)
                    .add_column(integer(Decisions::Revision).default(1))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DecisionApprovals::Table)
                    .col(string_len(DecisionApprovals::DecisionId, 36))
                    .col(integer(DecisionApprovals::Position))
                    .col(string_len(DecisionApprovals::Kind, 16))
                    .col(string_len_null(DecisionApprovals::DraftId, 36))
                    .col(text_null(DecisionApprovals::Title))
                    .primary_key(
                        Index::create()
                            .col(DecisionApprovals::DecisionId)
                            .col(DecisionApprovals::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DecisionApprovals::Table, DecisionApprovals::DecisionId)
                            .to(Decisions::Table, Decisions::Id)
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DecisionApprovals::Table, DecisionApprovals::DraftId)
                            .to(Drafts::Table, Drafts::Id)
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("decision_approvals_draft")
                    .table(DecisionApprovals::Table)
                    .col(DecisionApprovals::DraftId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            "INSERT INTO decision_approvals (decision_id, position, kind, draft_id) \
             SELECT id, 1, 'DRAFT', draft_id FROM decisions WHERE draft_id IS NOT NULL",
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DecisionApprovals::Table).to_owned())
            .await?;
        for column in [Decisions::Revision, Decisions::Text, Decisions::Title] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Decisions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("meeting_agenda_id")
                    .table(MeetingAgenda::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MeetingAgenda::Table)
                    .drop_column(MeetingAgenda::Id)
                    .to_owned(),
            )
            .await?;
        for column in [Meetings::Title, Meetings::Venue] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Meetings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Bodies::Table).to_owned())
            .await
    }
}

/// Gives every agenda item recorded before this migration an id in the
/// shape of a UUID: its meeting's id (a UUID) with the last eight hex
/// digits replaced by the item's position. Meeting ids are random in those
/// digits, so the ids stay unique; new items get fresh UUIDs.
async fn backfill_agenda_ids(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT meeting_id, position FROM meeting_agenda",
        ))
        .await?;
    for row in rows {
        let meeting_id: String = row.try_get("", "meeting_id")?;
        let position: i32 = row.try_get("", "position")?;
        let prefix = meeting_id.get(..28).unwrap_or(&meeting_id);
        let update = Query::update()
            .table(MeetingAgenda::Table)
            .value(MeetingAgenda::Id, format!("{prefix}{position:08x}"))
            .and_where(Expr::col(Alias::new("meeting_id")).eq(meeting_id.as_str()))
            .and_where(Expr::col(Alias::new("position")).eq(position))
            .to_owned();
        manager.exec_stmt(update).await?;
    }
    Ok(())
}
