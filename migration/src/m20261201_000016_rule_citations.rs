//! How a note cites the document that adopted a submission rule:
//! `submission_rules.citation`, JSON `Texts` per language, with `{date}`
//! where the adoption date goes (written as the language writes the day
//! something happened: Kazakh takes the locative). The reminder notes recall
//! the rules in force in these words, as SOC/19 recalls the General
//! Guidelines of 23 June 2021 (seeded here for the three rules of
//! `…_000006_plans`). Russian and Kazakh need the title in the case the
//! sentence governs ("согласно … принципам", "… басшылыққа сәйкес"), which
//! is why the citation is data and not the title.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SubmissionRules {
    Table,
    Id,
    Citation,
}

/// The General Guidelines of 2021 as SOC/19 cites them.
const GUIDELINES_2021_CITATION: &str = r#"{"EN":"the General guidelines for conducting events on implementation of CICA confidence building measures adopted by the SOC on {date}","RU":"Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА, принятым КСДЛ {date}","KK":"{date} АЛТК қабылдаған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа"}"#;

/// The ids of the three rules of the 2021 Guidelines (`…_000006_plans`).
const GUIDELINES_2021: [&str; 3] = [
    "00000000-0000-7000-8000-000000002101",
    "00000000-0000-7000-8000-000000002102",
    "00000000-0000-7000-8000-000000002103",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SubmissionRules::Table)
                    .add_column(text_null(SubmissionRules::Citation))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(SubmissionRules::Table)
                    .value(SubmissionRules::Citation, GUIDELINES_2021_CITATION)
                    .and_where(Expr::col(SubmissionRules::Id).is_in(GUIDELINES_2021))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SubmissionRules::Table)
                    .drop_column(SubmissionRules::Citation)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
