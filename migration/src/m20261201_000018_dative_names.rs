//! The member states' names as the opening and closing of a note address
//! them (`organizations.dative_names`, JSON keyed by language): "presents
//! its compliments to …" and "renew to … the assurances" govern the
//! dative in Russian ("свидетельствует свое уважение Казахстану") and in
//! Kazakh ("Қазақстанға … ілтипатын білдіреді"), as the formulae for all
//! member states already write it ("государствам-членам СВМДА", "Азия
//! Кеңесіне мүше мемлекеттерге"). English needs none; where a language
//! has no dative here, a note uses the name itself.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
    DativeNames,
}

/// (code, Russian, Kazakh), in the dative; the nominative is in `names`
/// (`…_000013_organization_names`).
const MEMBER_STATES: &[(&str, &str, &str)] = &[
    ("AFG", "Афганистану", "Ауғанстанға"),
    ("AZE", "Азербайджану", "Әзірбайжанға"),
    ("BHR", "Бахрейну", "Бахрейнге"),
    ("BGD", "Бангладеш", "Бангладешке"),
    ("KHM", "Камбодже", "Камбоджаға"),
    ("CHN", "Китаю", "Қытайға"),
    ("EGY", "Египту", "Мысырға"),
    ("IND", "Индии", "Үндістанға"),
    ("IRN", "Ирану", "Иранға"),
    ("IRQ", "Ираку", "Иракқа"),
    ("ISR", "Израилю", "Израильге"),
    ("JOR", "Иордании", "Иорданияға"),
    ("KAZ", "Казахстану", "Қазақстанға"),
    ("KGZ", "Кыргызстану", "Қырғызстанға"),
    ("KWT", "Кувейту", "Кувейтке"),
    ("MNG", "Монголии", "Моңғолияға"),
    ("PAK", "Пакистану", "Пәкістанға"),
    ("PSE", "Палестине", "Палестинаға"),
    ("QAT", "Катару", "Катарға"),
    ("RUS", "России", "Ресейге"),
    ("KOR", "Республике Корея", "Корея Республикасына"),
    ("LKA", "Шри-Ланке", "Шри-Ланкаға"),
    ("TJK", "Таджикистану", "Тәжікстанға"),
    ("THA", "Таиланду", "Тайландқа"),
    ("TUR", "Турции", "Түркияға"),
    (
        "ARE",
        "Объединенным Арабским Эмиратам",
        "Біріккен Араб Әмірліктеріне",
    ),
    ("UZB", "Узбекистану", "Өзбекстанға"),
    ("VNM", "Вьетнаму", "Вьетнамға"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(text_null(Organizations::DativeNames))
                    .to_owned(),
            )
            .await?;
        for (code, ru, kk) in MEMBER_STATES {
            let names = serde_json::json!({ "RU": ru, "KK": kk }).to_string();
            manager
                .exec_stmt(
                    Query::update()
                        .table(Organizations::Table)
                        .value(Organizations::DativeNames, names)
                        .and_where(Expr::col(Organizations::Code).eq(*code))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::DativeNames)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
