//! The first schema: organisations, drafts and their versions, comments,
//! notes verbales, meetings, decisions, signatures and the audit log.
//!
//! States and kinds are stored as strings (see `domain`) so that SQLite and
//! PostgreSQL hold the same values. Instants are `timestamp with time zone`;
//! the audit log keeps its instant as RFC 3339 text because its hash covers
//! the exact characters.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
    Kind,
    Name,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
    Kind,
    Title,
    State,
    Revision,
    HomeOrg,
    CurrentVersion,
    CirculatedVersion,
    AgreedVersion,
    WithdrawnReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DraftSignatories {
    Table,
    DraftId,
    OrgCode,
    Position,
}

#[derive(DeriveIden)]
enum Versions {
    Table,
    DraftId,
    Number,
    ContentHash,
    ChangeSummary,
    CreatedBySub,
    CreatedByName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    DraftId,
    Version,
    Position,
    Anchor,
    Texts,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    DraftId,
    Version,
    Anchor,
    Kind,
    Status,
    Body,
    OrgCode,
    AuthorSub,
    AuthorName,
    ProposalOperation,
    ProposalTexts,
    Reply,
    ResolvedBySub,
    ResolvedAt,
    AccommodatedInVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
    Series,
    Year,
    Sequence,
    Number,
    Date,
    Place,
    Purpose,
    Subject,
    DraftId,
    Version,
    CommentsDueOn,
    CreatedBySub,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NoteCounters {
    Table,
    Series,
    Year,
    LastSequence,
}

#[derive(DeriveIden)]
enum NoteReferences {
    Table,
    NoteId,
    ReferencedNoteId,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    Body,
    Date,
    Year,
    Session,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MeetingAgenda {
    Table,
    MeetingId,
    Position,
    DraftId,
    Title,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    Number,
    Body,
    Year,
    Session,
    Sequence,
    Date,
    MeetingId,
    DraftId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Signatures {
    Table,
    DraftId,
    OrgCode,
    SignerSub,
    SignerName,
    ContentHash,
    SignedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorSub,
    ActorName,
    ActorOrg,
    Action,
    EntityType,
    EntityId,
    DraftId,
    FromState,
    ToState,
    Before,
    After,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    LastSeq,
    LastHash,
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
                    .table(Organizations::Table)
                    .col(string_len(Organizations::Code, 16).primary_key())
                    .col(string_len(Organizations::Kind, 32))
                    .col(string(Organizations::Name))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Drafts::Table)
                    .col(string_len(Drafts::Id, 36).primary_key())
                    .col(string_len(Drafts::Kind, 64))
                    .col(text(Drafts::Title))
                    .col(string_len(Drafts::State, 32))
                    .col(big_integer(Drafts::Revision))
                    .col(string_len(Drafts::HomeOrg, 16))
                    .col(integer(Drafts::CurrentVersion))
                    .col(integer_null(Drafts::CirculatedVersion))
                    .col(integer_null(Drafts::AgreedVersion))
                    .col(text_null(Drafts::WithdrawnReason))
                    .col(string(Drafts::CreatedBy))
                    .col(timestamp_with_time_zone(Drafts::CreatedAt))
                    .col(timestamp_with_time_zone(Drafts::UpdatedAt))
                    .foreign_key(&mut fk(
                        Drafts::Table,
                        Drafts::HomeOrg,
                        Organizations::Table,
                        Organizations::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("drafts_state_id")
                    .table(Drafts::Table)
                    .col(Drafts::State)
                    .col(Drafts::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DraftSignatories::Table)
                    .col(string_len(DraftSignatories::DraftId, 36))
                    .col(string_len(DraftSignatories::OrgCode, 16))
                    .col(integer(DraftSignatories::Position))
                    .primary_key(
                        Index::create()
                            .col(DraftSignatories::DraftId)
                            .col(DraftSignatories::OrgCode),
                    )
                    .foreign_key(&mut fk(
                        DraftSignatories::Table,
                        DraftSignatories::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .foreign_key(&mut fk(
                        DraftSignatories::Table,
                        DraftSignatories::OrgCode,
                        Organizations::Table,
                        Organizations::Code,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Versions::Table)
                    .col(string_len(Versions::DraftId, 36))
                    .col(integer(Versions::Number))
                    .col(string_len(Versions::ContentHash, 64))
                    .col(text_null(Versions::ChangeSummary))
                    .col(string(Versions::CreatedBySub))
                    .col(string(Versions::CreatedByName))
                    .col(timestamp_with_time_zone(Versions::CreatedAt))
                    .primary_key(Index::create().col(Versions::DraftId).col(Versions::Number))
                    .foreign_key(&mut fk(
                        Versions::Table,
                        Versions::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Items::Table)
                    .col(string_len(Items::DraftId, 36))
                    .col(integer(Items::Version))
                    .col(integer(Items::Position))
                    .col(string_len(Items::Anchor, 64))
                    .col(text(Items::Texts))
                    .primary_key(
                        Index::create()
                            .col(Items::DraftId)
                            .col(Items::Version)
                            .col(Items::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Items::Table, (Items::DraftId, Items::Version))
                            .to(Versions::Table, (Versions::DraftId, Versions::Number))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("items_anchor")
                    .table(Items::Table)
                    .col(Items::DraftId)
                    .col(Items::Version)
                    .col(Items::Anchor)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Comments::Table)
                    .col(string_len(Comments::Id, 36).primary_key())
                    .col(string_len(Comments::DraftId, 36))
                    .col(integer(Comments::Version))
                    .col(string_len_null(Comments::Anchor, 64))
                    .col(string_len(Comments::Kind, 32))
                    .col(string_len(Comments::Status, 32))
                    .col(text(Comments::Body))
                    .col(string_len(Comments::OrgCode, 16))
                    .col(string(Comments::AuthorSub))
                    .col(string(Comments::AuthorName))
                    .col(string_len_null(Comments::ProposalOperation, 32))
                    .col(text_null(Comments::ProposalTexts))
                    .col(text_null(Comments::Reply))
                    .col(string_null(Comments::ResolvedBySub))
                    .col(timestamp_with_time_zone_null(Comments::ResolvedAt))
                    .col(integer_null(Comments::AccommodatedInVersion))
                    .col(timestamp_with_time_zone(Comments::CreatedAt))
                    .col(timestamp_with_time_zone(Comments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, (Comments::DraftId, Comments::Version))
                            .to(Versions::Table, (Versions::DraftId, Versions::Number))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(&mut fk(
                        Comments::Table,
                        Comments::OrgCode,
                        Organizations::Table,
                        Organizations::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("comments_draft")
                    .table(Comments::Table)
                    .col(Comments::DraftId)
                    .col(Comments::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notes::Table)
                    .col(string_len(Notes::Id, 36).primary_key())
                    .col(string_len(Notes::Series, 16))
                    .col(integer(Notes::Year))
                    .col(integer(Notes::Sequence))
                    .col(string_len(Notes::Number, 32))
                    .col(date(Notes::Date))
                    .col(string(Notes::Place))
                    .col(string_len(Notes::Purpose, 32))
                    .col(text_null(Notes::Subject))
                    .col(string_len_null(Notes::DraftId, 36))
                    .col(integer_null(Notes::Version))
                    .col(date_null(Notes::CommentsDueOn))
                    .col(string(Notes::CreatedBySub))
                    .col(timestamp_with_time_zone(Notes::CreatedAt))
                    .foreign_key(&mut fk(
                        Notes::Table,
                        Notes::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notes_series_year_sequence")
                    .table(Notes::Table)
                    .col(Notes::Series)
                    .col(Notes::Year)
                    .col(Notes::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notes_number")
                    .table(Notes::Table)
                    .col(Notes::Number)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notes_draft")
                    .table(Notes::Table)
                    .col(Notes::DraftId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NoteCounters::Table)
                    .col(string_len(NoteCounters::Series, 16))
                    .col(integer(NoteCounters::Year))
                    .col(integer(NoteCounters::LastSequence))
                    .primary_key(
                        Index::create()
                            .col(NoteCounters::Series)
                            .col(NoteCounters::Year),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NoteReferences::Table)
                    .col(string_len(NoteReferences::NoteId, 36))
                    .col(string_len(NoteReferences::ReferencedNoteId, 36))
                    .primary_key(
                        Index::create()
                            .col(NoteReferences::NoteId)
                            .col(NoteReferences::ReferencedNoteId),
                    )
                    .foreign_key(&mut fk(
                        NoteReferences::Table,
                        NoteReferences::NoteId,
                        Notes::Table,
                        Notes::Id,
                    ))
                    .foreign_key(&mut fk(
                        NoteReferences::Table,
                        NoteReferences::ReferencedNoteId,
                        Notes::Table,
                        Notes::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(string_len(Meetings::Id, 36).primary_key())
                    .col(string_len(Meetings::Body, 16))
                    .col(date(Meetings::Date))
                    .col(integer(Meetings::Year))
                    .col(integer_null(Meetings::Session))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_body_date")
                    .table(Meetings::Table)
                    .col(Meetings::Body)
                    .col(Meetings::Date)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_body_year_session")
                    .table(Meetings::Table)
                    .col(Meetings::Body)
                    .col(Meetings::Year)
                    .col(Meetings::Session)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingAgenda::Table)
                    .col(string_len(MeetingAgenda::MeetingId, 36))
                    .col(integer(MeetingAgenda::Position))
                    .col(string_len_null(MeetingAgenda::DraftId, 36))
                    .col(text_null(MeetingAgenda::Title))
                    .primary_key(
                        Index::create()
                            .col(MeetingAgenda::MeetingId)
                            .col(MeetingAgenda::Position),
                    )
                    .foreign_key(&mut fk(
                        MeetingAgenda::Table,
                        MeetingAgenda::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(
                        MeetingAgenda::Table,
                        MeetingAgenda::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meeting_agenda_draft")
                    .table(MeetingAgenda::Table)
                    .col(MeetingAgenda::DraftId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(string_len(Decisions::Id, 36).primary_key())
                    .col(string_len(Decisions::Number, 64).unique_key())
                    .col(string_len(Decisions::Body, 16))
                    .col(integer(Decisions::Year))
                    .col(integer(Decisions::Session))
                    .col(integer(Decisions::Sequence))
                    .col(date(Decisions::Date))
                    .col(string_len(Decisions::MeetingId, 36))
                    .col(string_len_null(Decisions::DraftId, 36))
                    .col(timestamp_with_time_zone(Decisions::CreatedAt))
                    .foreign_key(&mut fk(
                        Decisions::Table,
                        Decisions::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(
                        Decisions::Table,
                        Decisions::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("decisions_body_year_session_sequence")
                    .table(Decisions::Table)
                    .col(Decisions::Body)
                    .col(Decisions::Year)
                    .col(Decisions::Session)
                    .col(Decisions::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("decisions_draft")
                    .table(Decisions::Table)
                    .col(Decisions::DraftId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Signatures::Table)
                    .col(string_len(Signatures::DraftId, 36))
                    .col(string_len(Signatures::OrgCode, 16))
                    .col(string(Signatures::SignerSub))
                    .col(string(Signatures::SignerName))
                    .col(string_len(Signatures::ContentHash, 64))
                    .col(timestamp_with_time_zone(Signatures::SignedAt))
                    .primary_key(
                        Index::create()
                            .col(Signatures::DraftId)
                            .col(Signatures::OrgCode),
                    )
                    .foreign_key(&mut fk(
                        Signatures::Table,
                        Signatures::DraftId,
                        Drafts::Table,
                        Drafts::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_integer(AuditLog::Seq).primary_key())
                    .col(string_len(AuditLog::At, 40))
                    .col(string(AuditLog::ActorSub))
                    .col(string(AuditLog::ActorName))
                    .col(string_len(AuditLog::ActorOrg, 16))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::EntityType, 32))
                    .col(string_len(AuditLog::EntityId, 64))
                    .col(string_len_null(AuditLog::DraftId, 36))
                    .col(string_len_null(AuditLog::FromState, 32))
                    .col(string_len_null(AuditLog::ToState, 32))
                    .col(text_null(AuditLog::Before))
                    .col(text_null(AuditLog::After))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_draft")
                    .table(AuditLog::Table)
                    .col(AuditLog::DraftId)
                    .col(AuditLog::Seq)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::LastSeq))
                    .col(string_len(AuditHead::LastHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::LastSeq, AuditHead::LastHash])
                    .values([1.into(), 0i64.into(), "0".repeat(64).into()])
                    .map_err(|error| DbErr::Migration(error.to_string()))?
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
