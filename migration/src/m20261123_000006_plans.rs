//! Plans of Implementation, their events and the submission deadlines
//! (issue 5):
//!
//! - `plans`: one per year, a title per language (JSON `Texts`) and the
//!   SOC decision that approved it (nullable until recorded).
//! - `plan_events`: the plan's items; each is an event with a title per
//!   language, start and end dates, venue, practical notes, CBM area and
//!   status (`PLANNED`, `POSTPONED`, `HELD`, `CANCELLED`), positioned 1…n
//!   in its plan. `plan_event_organisers` lists the organising member
//!   states; `plan_event_changes` keeps every move, postponement, status
//!   change and re-basing with its reason.
//! - `submission_rules`: per document kind (`CONCEPT_PAPER`,
//!   `TENTATIVE_PROGRAMME`, `POST_EVENT_REPORT`), an anchor (`START` or
//!   `END` of the event), a signed offset in days, the date from which it
//!   is in force and the decision (and date) that adopted it. Rules are
//!   data: a later decision adds a row in force from a later date.
//! - `due_dates`: one per (event, kind), with the rule it was computed
//!   from; `due_date_changes` records why it was recomputed.
//! - `submissions`: what was received, per (event, kind), numbered by
//!   `revision` 1, 2, … and never overwritten. A file is attached by its
//!   SHA-256 (`sha256`, 64 lower-case hex digits, naming the content in the
//!   content-addressed file store), `size`, `content_type` and `file_name`;
//!   all four are null for a document received by other means (e.g. by
//!   note verbale) and recorded by the Secretariat.
//!
//! Seeded: the General Guidelines for conducting events on implementation
//! of CICA confidence building measures, adopted by the SOC on 23 June
//! 2021: concept paper 60 days before the start, tentative programme 45
//! days before the start, and the post-event report **30 days after the
//! end**. The Guidelines (as recalled by note SOC/19) give no number for
//! the report; 30 days is Accord's documented default, and being data it
//! is changed by `adoptSubmissionRule` like any other rule.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    Year,
    Title,
    DecisionId,
    CreatedAt,
    Revision,
}

#[derive(DeriveIden)]
enum PlanEvents {
    Table,
    Id,
    PlanId,
    Position,
    Title,
    StartDate,
    EndDate,
    Venue,
    Notes,
    CbmArea,
    Status,
    CreatedAt,
    Revision,
}

#[derive(DeriveIden)]
enum PlanEventOrganisers {
    Table,
    EventId,
    OrgCode,
}

#[derive(DeriveIden)]
enum PlanEventChanges {
    Table,
    Id,
    EventId,
    Kind,
    FromStart,
    FromEnd,
    ToStart,
    ToEnd,
    Reason,
    RecordedBy,
    At,
}

#[derive(DeriveIden)]
enum SubmissionRules {
    Table,
    Id,
    Kind,
    Anchor,
    OffsetDays,
    InForceFrom,
    DecisionId,
    AdoptedOn,
    Title,
}

#[derive(DeriveIden)]
enum DueDates {
    Table,
    EventId,
    Kind,
    RuleId,
    DueOn,
    ComputedAt,
}

#[derive(DeriveIden)]
enum DueDateChanges {
    Table,
    Id,
    EventId,
    Kind,
    FromDue,
    ToDue,
    FromRule,
    ToRule,
    Reason,
    At,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    EventId,
    Kind,
    Revision,
    ReceivedOn,
    RecordedBy,
    RecordedByOrg,
    Sha256,
    Size,
    ContentType,
    FileName,
    Remarks,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
}

/// The General Guidelines of 23 June 2021 as (id, kind, anchor, offset).
const GUIDELINES_2021: &[(&str, &str, &str, i32)] = &[
    (
        "00000000-0000-7000-8000-000000002101",
        "CONCEPT_PAPER",
        "START",
        -60,
    ),
    (
        "00000000-0000-7000-8000-000000002102",
        "TENTATIVE_PROGRAMME",
        "START",
        -45,
    ),
    (
        "00000000-0000-7000-8000-000000002103",
        "POST_EVENT_REPORT",
        "END",
        30,
    ),
];

const GUIDELINES_TITLE: &str = r#"{"EN":"General guidelines for conducting events on implementation of CICA confidence building measures","RU":"Общие руководящие принципы проведения мероприятий по осуществлению мер доверия СВМДА","KK":"Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылығы"}"#;

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
                    .table(Plans::Table)
                    .col(string_len(Plans::Id, 36).primary_key())
                    .col(integer(Plans::Year).unique_key())
                    .col(text(Plans::Title))
                    .col(string_len_null(Plans::DecisionId, 36))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .col(integer(Plans::Revision).default(1))
                    .foreign_key(&mut fk(
                        Plans::Table,
                        Plans::DecisionId,
                        Decisions::Table,
                        Decisions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanEvents::Table)
                    .col(string_len(PlanEvents::Id, 36).primary_key())
                    .col(string_len(PlanEvents::PlanId, 36))
                    .col(integer(PlanEvents::Position))
                    .col(text(PlanEvents::Title))
                    .col(date(PlanEvents::StartDate))
                    .col(date(PlanEvents::EndDate))
                    .col(string_len_null(PlanEvents::Venue, 200))
                    .col(text_null(PlanEvents::Notes))
                    .col(string_len_null(PlanEvents::CbmArea, 200))
                    .col(string_len(PlanEvents::Status, 16))
                    .col(timestamp_with_time_zone(PlanEvents::CreatedAt))
                    .col(integer(PlanEvents::Revision).default(1))
                    .foreign_key(&mut fk(
                        PlanEvents::Table,
                        PlanEvents::PlanId,
                        Plans::Table,
                        Plans::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plan_events_position")
                    .table(PlanEvents::Table)
                    .col(PlanEvents::PlanId)
                    .col(PlanEvents::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plan_events_start")
                    .table(PlanEvents::Table)
                    .col(PlanEvents::StartDate)
                    .col(PlanEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanEventOrganisers::Table)
                    .col(string_len(PlanEventOrganisers::EventId, 36))
                    .col(string_len(PlanEventOrganisers::OrgCode, 16))
                    .primary_key(
                        Index::create()
                            .col(PlanEventOrganisers::EventId)
                            .col(PlanEventOrganisers::OrgCode),
                    )
                    .foreign_key(&mut fk(
                        PlanEventOrganisers::Table,
                        PlanEventOrganisers::EventId,
                        PlanEvents::Table,
                        PlanEvents::Id,
                    ))
                    .foreign_key(&mut fk(
                        PlanEventOrganisers::Table,
                        PlanEventOrganisers::OrgCode,
                        Organizations::Table,
                        Organizations::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plan_event_organisers_org")
                    .table(PlanEventOrganisers::Table)
                    .col(PlanEventOrganisers::OrgCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanEventChanges::Table)
                    .col(string_len(PlanEventChanges::Id, 36).primary_key())
                    .col(string_len(PlanEventChanges::EventId, 36))
                    .col(string_len(PlanEventChanges::Kind, 16))
                    .col(date(PlanEventChanges::FromStart))
                    .col(date(PlanEventChanges::FromEnd))
                    .col(date(PlanEventChanges::ToStart))
                    .col(date(PlanEventChanges::ToEnd))
                    .col(text_null(PlanEventChanges::Reason))
                    .col(string_len(PlanEventChanges::RecordedBy, 200))
                    .col(timestamp_with_time_zone(PlanEventChanges::At))
                    .foreign_key(&mut fk(
                        PlanEventChanges::Table,
                        PlanEventChanges::EventId,
                        PlanEvents::Table,
                        PlanEvents::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubmissionRules::Table)
                    .col(string_len(SubmissionRules::Id, 36).primary_key())
                    .col(string_len(SubmissionRules::Kind, 32))
                    .col(string_len(SubmissionRules::Anchor, 8))
                    .col(integer(SubmissionRules::OffsetDays))
                    .col(date(SubmissionRules::InForceFrom))
                    .col(string_len_null(SubmissionRules::DecisionId, 36))
                    .col(date(SubmissionRules::AdoptedOn))
                    .col(text_null(SubmissionRules::Title))
                    .foreign_key(&mut fk(
                        SubmissionRules::Table,
                        SubmissionRules::DecisionId,
                        Decisions::Table,
                        Decisions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("submission_rules_in_force")
                    .table(SubmissionRules::Table)
                    .col(SubmissionRules::Kind)
                    .col(SubmissionRules::InForceFrom)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(SubmissionRules::Table)
            .columns([
                SubmissionRules::Id,
                SubmissionRules::Kind,
                SubmissionRules::Anchor,
                SubmissionRules::OffsetDays,
                SubmissionRules::InForceFrom,
                SubmissionRules::AdoptedOn,
                SubmissionRules::Title,
            ])
            .to_owned();
        let adopted = sea_orm_migration::sea_orm::prelude::Date::from_ymd_opt(2021, 6, 23)
            .ok_or(DbErr::Custom("date".into()))?;
        for (id, kind, anchor, offset) in GUIDELINES_2021 {
            insert
                .values([
                    (*id).into(),
                    (*kind).into(),
                    (*anchor).into(),
                    (*offset).into(),
                    adopted.into(),
                    adopted.into(),
                    GUIDELINES_TITLE.into(),
                ])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table(DueDates::Table)
                    .col(string_len(DueDates::EventId, 36))
                    .col(string_len(DueDates::Kind, 32))
                    .col(string_len(DueDates::RuleId, 36))
                    .col(date(DueDates::DueOn))
                    .col(timestamp_with_time_zone(DueDates::ComputedAt))
                    .primary_key(Index::create().col(DueDates::EventId).col(DueDates::Kind))
                    .foreign_key(&mut fk(
                        DueDates::Table,
                        DueDates::EventId,
                        PlanEvents::Table,
                        PlanEvents::Id,
                    ))
                    .foreign_key(&mut fk(
                        DueDates::Table,
                        DueDates::RuleId,
                        SubmissionRules::Table,
                        SubmissionRules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DueDateChanges::Table)
                    .col(string_len(DueDateChanges::Id, 36).primary_key())
                    .col(string_len(DueDateChanges::EventId, 36))
                    .col(string_len(DueDateChanges::Kind, 32))
                    .col(date_null(DueDateChanges::FromDue))
                    .col(date(DueDateChanges::ToDue))
                    .col(string_len_null(DueDateChanges::FromRule, 36))
                    .col(string_len(DueDateChanges::ToRule, 36))
                    .col(text(DueDateChanges::Reason))
                    .col(timestamp_with_time_zone(DueDateChanges::At))
                    .foreign_key(&mut fk(
                        DueDateChanges::Table,
                        DueDateChanges::EventId,
                        PlanEvents::Table,
                        PlanEvents::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("due_date_changes_event")
                    .table(DueDateChanges::Table)
                    .col(DueDateChanges::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Submissions::Table)
                    .col(string_len(Submissions::Id, 36).primary_key())
                    .col(string_len(Submissions::EventId, 36))
                    .col(string_len(Submissions::Kind, 32))
                    .col(integer(Submissions::Revision))
                    .col(date(Submissions::ReceivedOn))
                    .col(string_len(Submissions::RecordedBy, 200))
                    .col(string_len(Submissions::RecordedByOrg, 16))
                    .col(string_len_null(Submissions::Sha256, 64))
                    .col(big_integer_null(Submissions::Size))
                    .col(string_len_null(Submissions::ContentType, 200))
                    .col(string_len_null(Submissions::FileName, 255))
                    .col(text_null(Submissions::Remarks))
                    .col(timestamp_with_time_zone(Submissions::CreatedAt))
                    .foreign_key(&mut fk(
                        Submissions::Table,
                        Submissions::EventId,
                        PlanEvents::Table,
                        PlanEvents::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("submissions_revision")
                    .table(Submissions::Table)
                    .col(Submissions::EventId)
                    .col(Submissions::Kind)
                    .col(Submissions::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("submissions_sha256")
                    .table(Submissions::Table)
                    .col(Submissions::Sha256)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Submissions::Table.into_iden(),
            DueDateChanges::Table.into_iden(),
            DueDates::Table.into_iden(),
            SubmissionRules::Table.into_iden(),
            PlanEventChanges::Table.into_iden(),
            PlanEventOrganisers::Table.into_iden(),
            PlanEvents::Table.into_iden(),
            Plans::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
