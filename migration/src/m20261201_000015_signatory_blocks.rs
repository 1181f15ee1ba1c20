//! How each organisation's Secretary General signs a joint document
//! (`signatory_blocks`), per language, as in the signature copy of the
//! CICA–SCO Action Plan (`shared/seeds`, PAR/713): the approval above the
//! signature ("APPROVED", "УТВЕРЖДАЮ", "БЕКІТЕМІН"), the title as the
//! organisation writes it ("Secretary General" for CICA,
//! "Secretary-General" for the SCO), the organisation in the form the
//! title governs ("of the …", the Russian and Kazakh genitive), and the
//! office holder's name as written in each language. Each value is JSON
//! keyed by language; line breaks are where the copy breaks the line.
//!
//! The holders are those who signed in 2024; an administrator updates the
//! row when the office changes hands (a signature records who actually
//! signed, whatever this table says).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignatoryBlocks {
    Table,
    OrgCode,
    Approved,
    Title,
    Organization,
    Holder,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
}

/// The approval, the same for every organisation.
const APPROVED: &str = r#"{"EN":"APPROVED","RU":"УТВЕРЖДАЮ","KK":"БЕКІТЕМІН"}"#;

/// (code, title, organisation, holder), each JSON keyed by language.
const BLOCKS: &[(&str, &str, &str, &str)] = &[
    (
        "CICA",
        r#"{"EN":"Secretary General","RU":"Генеральный секретарь","KK":"Бас хатшысы"}"#,
        r#"{"EN":"of the Conference on Interaction and\nConfidence Building Measures in Asia","RU":"Совещания по взаимодействию и мерам\nдоверия в Азии","KK":"Азиядағы өзара іс-қимыл және\nсенім шаралары кеңесінің"}"#,
        r#"{"EN":"Kairat Sarybay","RU":"Кайрат Сарыбай","KK":"Қайрат Сарыбай"}"#,
    ),
    (
        "SCO",
        r#"{"EN":"Secretary-General","RU":"Генеральный секретарь","KK":"Бас хатшысы"}"#,
        r#"{"EN":"of the Shanghai Cooperation Organisation","RU":"Шанхайской организации сотрудничества","KK":"Шанхай ынтымақтастық ұйымының"}"#,
        r#"{"EN":"Zhang Ming","RU":"Чжан Мин","KK":"Чжан Мин"}"#,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignatoryBlocks::Table)
                    .col(string_len(SignatoryBlocks::OrgCode, 16).primary_key())
                    .col(text(SignatoryBlocks::Approved))
                    .col(text(SignatoryBlocks::Title))
                    .col(text(SignatoryBlocks::Organization))
                    .col(text_null(SignatoryBlocks::Holder))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SignatoryBlocks::Table, SignatoryBlocks::OrgCode)
                            .to(Organizations::Table, Organizations::Code),
                    )
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(SignatoryBlocks::Table)
            .columns([
                SignatoryBlocks::OrgCode,
                SignatoryBlocks::Approved,
                SignatoryBlocks::Title,
                SignatoryBlocks::Organization,
                SignatoryBlocks::Holder,
            ])
            .to_owned();
        for (code, title, organization, holder) in BLOCKS {
            insert
                .values([
                    (*code).into(),
                    APPROVED.into(),
                    (*title).into(),
                    (*organization).into(),
                    (*holder).into(),
                ])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignatoryBlocks::Table).to_owned())
            .await
    }
}
