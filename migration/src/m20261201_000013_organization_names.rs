//! The member states' names in English, Russian and Kazakh
//! (`organizations.names`, JSON keyed by language), as the Secretariat's
//! notes name them, so that a note lists states in its own language.
//! Other organisations keep only their English `name` until an
//! administrator gives them more.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
    Name,
    Names,
}

/// (code, Russian, Kazakh); the English is the row's `name`.
const MEMBER_STATES: &[(&str, &str, &str)] = &[
    ("AFG", "Афганистан", "Ауғанстан"),
    ("AZE", "Азербайджан", "Әзірбайжан"),
    ("BHR", "Бахрейн", "Бахрейн"),
    ("BGD", "Бангладеш", "Бангладеш"),
    ("KHM", "Камбоджа", "Камбоджа"),
    ("CHN", "Китай", "Қытай"),
    ("EGY", "Египет", "Мысыр"),
    ("IND", "Индия", "Үндістан"),
    ("IRN", "Иран", "Иран"),
    ("IRQ", "Ирак", "Ирак"),
    ("ISR", "Израиль", "Израиль"),
    ("JOR", "Иордания", "Иордания"),
    ("KAZ", "Казахстан", "Қазақстан"),
    ("KGZ", "Кыргызстан", "Қырғызстан"),
    ("KWT", "Кувейт", "Кувейт"),
    ("MNG", "Монголия", "Моңғолия"),
    ("PAK", "Пакистан", "Пәкістан"),
    ("PSE", "Палестина", "Палестина"),
    ("QAT", "Катар", "Катар"),
    ("RUS", "Россия", "Ресей"),
    ("KOR", "Республика Корея", "Корея Республикасы"),
    ("LKA", "Шри-Ланка", "Шри-Ланка"),
    ("TJK", "Таджикистан", "Тәжікстан"),
    ("THA", "Таиланд", "Тайланд"),
    ("TUR", "Турция", "Түркия"),
    (
        "ARE",
        "Объединенные Арабские Эмираты",
        "Біріккен Араб Әмірліктері",
    ),
    ("UZB", "Узбекистан", "Өзбекстан"),
    ("VNM", "Вьетнам", "Вьетнам"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(text_null(Organizations::Names))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for (code, ru, kk) in MEMBER_STATES {
            let english: Option<String> = db
                .query_one_raw(
                    backend.build(
                        Query::select()
                            .column(Organizations::Name)
                            .from(Organizations::Table)
                            .and_where(Expr::col(Organizations::Code).eq(*code)),
                    ),
                )
                .await?
                .map(|row| row.try_get("", "name"))
                .transpose()?;
            let Some(english) = english else {
                continue;
            };
            let names = serde_json::json!({ "EN": english, "RU": ru, "KK": kk }).to_string();
            manager
                .exec_stmt(
                    Query::update()
                        .table(Organizations::Table)
                        .value(Organizations::Names, names)
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
                    .drop_column(Organizations::Names)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
