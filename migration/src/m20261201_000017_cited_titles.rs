//! The titles in the citations of the 2021 Guidelines, marked for italics
//! as SOC/19 sets them ("the *General guidelines for conducting events …*
//! adopted by the SOC on 23 June 2021"): a body's `*…*` is a cited title
//! (`accord_domain::runs`). A citation an administrator has changed since
//! `…_000016_rule_citations` seeded it is left as it is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SubmissionRules {
    Table,
    Id,
    Citation,
}

/// The citation as `…_000016_rule_citations` seeded it.
const SEEDED: &str = r#"{"EN":"the General guidelines for conducting events on implementation of CICA confidence building measures adopted by the SOC on {date}","RU":"Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА, принятым КСДЛ {date}","KK":"{date} АЛТК қабылдаған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа"}"#;

/// The same citation with its title marked. (In the Kazakh text of SOC/19
/// the italics run on to the end of the paragraph, a slip of the seed's
/// conversion; the title alone is marked here, as in English and Russian.)
const MARKED: &str = r#"{"EN":"the *General guidelines for conducting events on implementation of CICA confidence building measures* adopted by the SOC on {date}","RU":"*Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА*, принятым КСДЛ {date}","KK":"{date} АЛТК қабылдаған *Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа*"}"#;

/// The ids of the three rules of the 2021 Guidelines (`…_000006_plans`).
const GUIDELINES_2021: [&str; 3] = [
    "00000000-0000-7000-8000-000000002101",
    "00000000-0000-7000-8000-000000002102",
    "00000000-0000-7000-8000-000000002103",
];

async fn replace(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    manager
        .exec_stmt(
            Query::update()
                .table(SubmissionRules::Table)
                .value(SubmissionRules::Citation, to)
                .and_where(Expr::col(SubmissionRules::Id).is_in(GUIDELINES_2021))
                .and_where(Expr::col(SubmissionRules::Citation).eq(from))
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, SEEDED, MARKED).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, MARKED, SEEDED).await
    }
}
