//! Circulation notes as the Secretariat writes them (PAR/713):
//!
//! - the opening forwards "for consideration" what the subject names, in
//!   the subject's own words ("the updated draft Action Plan … accommodating
//!   proposals of Member States"), no longer "the following document: …";
//!   a circulation without a subject names the draft through
//!   `DRAFT_SUBJECT` ("the draft {title}");
//! - a paragraph announces the meetings at which the draft is to be
//!   discussed (`MEETINGS_ONE`, `MEETINGS_MANY`, `MEETING`, `MEETINGS_AND`),
//!   naming each body as `bodies.note_names` gives it in each language
//!   ("the CICA Special Working Group", "Специальной рабочей группы СВМДА",
//!   "Азия Кеңесі Арнаулы жұмыс тобының");
//! - the number line (English "№PAR/713"), the addressee block's line
//!   breaks and the Russian closing ("Секретариат СВМДА … в своем весьма
//!   высоком уважении") are those of PAR/713 for circulation notes; other
//!   notes keep SOC/19's.
//!
//! Notes already issued keep the texts frozen at their issue.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Bodies {
    Table,
    Code,
    NoteNames,
}

#[derive(DeriveIden)]
enum NoteFormulae {
    Table,
    Lang,
    Kind,
    Purpose,
    Text,
}

/// Each body as a circulation note names it among the meetings it
/// announces: (code, names as JSON keyed by language).
const NOTE_NAMES: &[(&str, &str)] = &[
    (
        "SWG",
        r#"{"EN":"the CICA Special Working Group","RU":"Специальной рабочей группы СВМДА","KK":"Азия Кеңесі Арнаулы жұмыс тобының"}"#,
    ),
    (
        "SOC",
        r#"{"EN":"the CICA Senior Officials Committee","RU":"Комитета старших должностных лиц СВМДА","KK":"Азия Кеңесі Аға лауазымды тұлғалар комитетінің"}"#,
    ),
    (
        "MC",
        r#"{"EN":"the CICA Ministerial Council","RU":"Совета министров иностранных дел СВМДА","KK":"Азия Кеңесі Сыртқы істер министрлері кеңесінің"}"#,
    ),
    (
        "SUMMIT",
        r#"{"EN":"the CICA Summit","RU":"Саммита СВМДА","KK":"Азия Кеңесі Саммитінің"}"#,
    ),
];

/// The circulation openings replaced: (language, before, after).
const OPENINGS: &[(&str, &str, &str)] = &[
    (
        "EN",
        "{sender} presents its compliments to {addressees} and{references} has the honour to forward for consideration the following document: {subject}.",
        "{sender} presents its compliments to {addressees} and{references} has the honour to forward for consideration {subject}.",
    ),
    (
        "RU",
        "{sender} свидетельствует свое уважение {addressees} и{references} имеет честь направить на рассмотрение следующий документ: {subject}.",
        "{sender} свидетельствует свое уважение {addressees} и{references} имеет честь направить на рассмотрение {subject}.",
    ),
    (
        "KK",
        "{sender} {addressees} өзінің зор ілтипатын білдіреді және{references} келесі құжатты қарау үшін жолдауды өзіне мәртебе санайды: {subject}.",
        "{sender} {addressees} өзінің зор ілтипатын білдіреді және{references} {subject} қарау үшін жолдауды өзіне мәртебе санайды.",
    ),
];

/// The formulae added, all for circulation notes: (language, kind, text).
const ADDED: &[(&str, &str, &str)] = &[
    ("EN", "DRAFT_SUBJECT", "the draft {title}"),
    ("RU", "DRAFT_SUBJECT", "проект документа «{title}»"),
    ("KK", "DRAFT_SUBJECT", "«{title}» құжатының жобасын"),
    (
        "EN",
        "MEETINGS_ONE",
        "This draft is expected to be discussed and agreed upon as part of the agenda for the next meeting of {list}.",
    ),
    (
        "EN",
        "MEETINGS_MANY",
        "This draft is expected to be discussed and agreed upon as part of the agenda for the next meetings of {list}.",
    ),
    ("EN", "MEETING", "{body} on {date}"),
    ("EN", "MEETINGS_AND", " and "),
    (
        "RU",
        "MEETINGS_ONE",
        "Указанный проект предполагается обсудить и согласовать в рамках повестки дня очередного заседания {list}.",
    ),
    (
        "RU",
        "MEETINGS_MANY",
        "Указанный проект предполагается обсудить и согласовать в рамках повестки дня очередных заседаний {list}.",
    ),
    ("RU", "MEETING", "{body} {date}"),
    ("RU", "MEETINGS_AND", " и "),
    (
        "KK",
        "MEETINGS_ONE",
        "Аталған жобаны {list} кезекті отырысының күн тәртібі аясында талқылау және келісу көзделеді.",
    ),
    (
        "KK",
        "MEETINGS_MANY",
        "Аталған жобаны {list} кезекті отырыстарының күн тәртібі аясында талқылау және келісу көзделеді.",
    ),
    ("KK", "MEETING", "{date} өтетін {body}"),
    ("KK", "MEETINGS_AND", " және "),
    ("EN", "NUMBER_LINE", "№{number}"),
    (
        "EN",
        "ALL_MEMBER_STATES_BLOCK",
        "MEMBER STATES\nOF THE CONFERENCE ON INTERACTION\nAND CONFIDENCE BUILDING MEASURES\nIN ASIA",
    ),
    (
        "RU",
        "ALL_MEMBER_STATES_BLOCK",
        "ГОСУДАРСТВА-ЧЛЕНЫ\nСОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ\nИ МЕРАМ ДОВЕРИЯ В АЗИИ",
    ),
    (
        "RU",
        "CLOSING",
        "Секретариат СВМДА пользуется случаем, чтобы возобновить {addressees} уверения в своем весьма высоком уважении.",
    ),
];

const CIRCULATION: &str = "CIRCULATION";

fn circulation_row(lang: &str, kind: &str) -> SimpleExpr {
    Expr::col(NoteFormulae::Lang)
        .eq(lang)
        .and(Expr::col(NoteFormulae::Kind).eq(kind))
        .and(Expr::col(NoteFormulae::Purpose).eq(CIRCULATION))
}

async fn set_openings(manager: &SchemaManager<'_>, forward: bool) -> Result<(), DbErr> {
    for (lang, before, after) in OPENINGS {
        let text = if forward { after } else { before };
        manager
            .exec_stmt(
                Query::update()
                    .table(NoteFormulae::Table)
                    .value(NoteFormulae::Text, *text)
                    .cond_where(circulation_row(lang, "OPENING"))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn set_note_names(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for (code, names) in NOTE_NAMES {
        manager
            .exec_stmt(
                Query::update()
                    .table(Bodies::Table)
                    .value(Bodies::NoteNames, *names)
                    .and_where(Expr::col(Bodies::Code).eq(*code))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Bodies::Table)
                    .add_column(text_null(Bodies::NoteNames))
                    .to_owned(),
            )
            .await?;
        set_note_names(manager).await?;
        set_openings(manager, true).await?;
        let mut insert = Query::insert()
            .into_table(NoteFormulae::Table)
            .columns([
                NoteFormulae::Lang,
                NoteFormulae::Kind,
                NoteFormulae::Purpose,
                NoteFormulae::Text,
            ])
            .to_owned();
        for (lang, kind, text) in ADDED {
            insert
                .values([
                    (*lang).into(),
                    (*kind).into(),
                    CIRCULATION.into(),
                    (*text).into(),
                ])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (lang, kind, _) in ADDED {
            manager
                .exec_stmt(
                    Query::delete()
                        .from_table(NoteFormulae::Table)
                        .cond_where(circulation_row(lang, kind))
                        .to_owned(),
                )
                .await?;
        }
        set_openings(manager, false).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Bodies::Table)
                    .drop_column(Bodies::NoteNames)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
