//! The registry of notes verbales (issue 4): notes of any purpose, written
//! and edited before they are issued, and the diplomatic formulae their
//! texts are built from.
//!
//! - `notes` keeps the issued notes. Its number, sequence and year stay
//!   `NOT NULL` and unique: an issued note always has them. New columns:
//!   `status` (always `ISSUED` here), `addressees`, `body`, `enclosures`
//!   (JSON), `texts` (the composed text in each language, frozen at issue)
//!   and `search_text` (subject and body lower-cased for full-text search).
//!   Rows written by circulation before this migration are backfilled:
//!   addressed to all member states, their circulated version as enclosure.
//! - `note_drafts` holds notes not yet issued, with a `revision` for
//!   compare-and-set edits. Issuing moves a row to `notes` under the same id.
//!   A separate table keeps `notes` free of nullable numbers and avoids
//!   rebuilding it on SQLite, which cannot drop a `NOT NULL` constraint.
//! - `note_formulae` holds the formulae (opening compliments, closing
//!   assurances, letterheads, …) per language, kind and purpose (`ANY` for
//!   every purpose), seeded with the wording of the Secretariat's notes
//!   (`shared/seeds`); an administrator may edit them without a release.

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
    Status,
    Addressees,
    Body,
    Enclosures,
    Texts,
    SearchText,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NoteDrafts {
    Table,
    Id,
    Series,
    Purpose,
    Place,
    Subject,
    Addressees,
    Body,
    Enclosures,
    ReferenceIds,
    DraftId,
    Version,
    CommentsDueOn,
    Revision,
    SearchText,
    CreatedBySub,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NoteFormulae {
    Table,
    Lang,
    Kind,
    Purpose,
    Text,
}

/// Every formula as (language, kind, purpose or `ANY`, text).
const FORMULAE: &[(&str, &str, &str, &str)] = &[
    // English, as in SOC/19 and PAR/713.
    (
        "EN",
        "LETTERHEAD",
        "ANY",
        "SECRETARIAT OF THE CONFERENCE ON INTERACTION\nAND CONFIDENCE BUILDING MEASURES IN ASIA",
    ),
    ("EN", "NUMBER_LINE", "ANY", "№ {number}"),
    (
        "EN",
        "SENDER",
        "ANY",
        "The Secretariat of the Conference on Interaction and Confidence Building Measures in Asia (CICA)",
    ),
    ("EN", "ALL_MEMBER_STATES", "ANY", "the CICA Member States"),
    (
        "EN",
        "ALL_MEMBER_STATES_BLOCK",
        "ANY",
        "MEMBER STATES\nOF THE CONFERENCE ON INTERACTION AND\nCONFIDENCE BUILDING MEASURES IN ASIA",
    ),
    (
        "EN",
        "OPENING",
        "ANY",
        "{sender} presents its compliments to {addressees} and{references} has the honour to inform the following.",
    ),
    (
        "EN",
        "OPENING",
        "CIRCULATION",
        "{sender} presents its compliments to {addressees} and{references} has the honour to forward for consideration the following document: {subject}.",
    ),
    (
        "EN",
        "OPENING",
        "INVITATION",
        "{sender} presents its compliments to {addressees} and{references} has the honour to extend the following invitation.",
    ),
    (
        "EN",
        "REFERENCES_ONE",
        "ANY",
        ", with reference to its note {list},",
    ),
    (
        "EN",
        "REFERENCES_MANY",
        "ANY",
        ", with reference to its notes {list},",
    ),
    ("EN", "REFERENCE", "ANY", "No. {number} of {date}"),
    (
        "EN",
        "CLOSING",
        "ANY",
        "The Secretariat avails itself of this opportunity to renew to {addressees} the assurances of its highest consideration.",
    ),
    (
        "EN",
        "ENCLOSURE",
        "ANY",
        "Enclosure:\n{what},\non {pages} p.",
    ),
    ("EN", "AS_STATED", "ANY", "as stated"),
    ("EN", "PLACE_DATE", "ANY", "{place}, {date}"),
    // Russian.
    (
        "RU",
        "LETTERHEAD",
        "ANY",
        "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ\nИ МЕРАМ ДОВЕРИЯ В АЗИИ",
    ),
    ("RU", "NUMBER_LINE", "ANY", "№ {number}"),
    (
        "RU",
        "SENDER",
        "ANY",
        "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА)",
    ),
    (
        "RU",
        "ALL_MEMBER_STATES",
        "ANY",
        "государствам-членам СВМДА",
    ),
    (
        "RU",
        "ALL_MEMBER_STATES_BLOCK",
        "ANY",
        "ГОСУДАРСТВА-ЧЛЕНЫ\nСОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И\nМЕРАМ ДОВЕРИЯ В АЗИИ",
    ),
    (
        "RU",
        "OPENING",
        "ANY",
        "{sender} свидетельствует свое уважение {addressees} и{references} имеет честь сообщить нижеследующее.",
    ),
    (
        "RU",
        "OPENING",
        "CIRCULATION",
        "{sender} свидетельствует свое уважение {addressees} и{references} имеет честь направить на рассмотрение следующий документ: {subject}.",
    ),
    (
        "RU",
        "OPENING",
        "INVITATION",
        "{sender} свидетельствует свое уважение {addressees} и{references} имеет честь направить нижеследующее приглашение.",
    ),
    (
        "RU",
        "REFERENCES_ONE",
        "ANY",
        ", ссылаясь на свою ноту {list},",
    ),
    (
        "RU",
        "REFERENCES_MANY",
        "ANY",
        ", ссылаясь на свои ноты {list},",
    ),
    ("RU", "REFERENCE", "ANY", "№{number} от {date}"),
    (
        "RU",
        "CLOSING",
        "ANY",
        "Секретариат пользуется случаем, чтобы возобновить {addressees} уверения в своем высоком уважении.",
    ),
    (
        "RU",
        "ENCLOSURE",
        "ANY",
        "Приложение:\n{what},\nна {pages} л.",
    ),
    ("RU", "AS_STATED", "ANY", "упомянутое"),
    ("RU", "PLACE_DATE", "ANY", "город {place}, {date}"),
    // Kazakh (the seeds show no Kazakh letterhead; notes carry the English
    // and Russian ones).
    ("KK", "NUMBER_LINE", "ANY", "№ {number}"),
    (
        "KK",
        "SENDER",
        "ANY",
        "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы",
    ),
    (
        "KK",
        "ALL_MEMBER_STATES",
        "ANY",
        "Азия Кеңесіне мүше мемлекеттерге",
    ),
    (
        "KK",
        "ALL_MEMBER_STATES_BLOCK",
        "ANY",
        "АЗИЯДАҒЫ ӨЗАРА ІС-ҚИМЫЛ ЖӘНЕ\nСЕНІМ ШАРАЛАРЫ КЕҢЕСІНЕ\nМҮШЕ МЕМЛЕКЕТТЕР",
    ),
    (
        "KK",
        "OPENING",
        "ANY",
        "{sender} {addressees} өзінің зор ілтипатын білдіре отырып,{references} келесі жайды хабарлауды өзіне мәртебе санайды.",
    ),
    (
        "KK",
        "OPENING",
        "CIRCULATION",
        "{sender} {addressees} өзінің зор ілтипатын білдіреді және{references} келесі құжатты қарау үшін жолдауды өзіне мәртебе санайды: {subject}.",
    ),
    (
        "KK",
        "OPENING",
        "INVITATION",
        "{sender} {addressees} өзінің зор ілтипатын білдіре отырып,{references} келесі шақыруды жолдауды өзіне мәртебе санайды.",
    ),
    (
        "KK",
        "REFERENCES_ONE",
        "ANY",
        " {list} нотасына сілтеме жасай отырып,",
    ),
    (
        "KK",
        "REFERENCES_MANY",
        "ANY",
        " {list} ноталарына сілтеме жасай отырып,",
    ),
    ("KK", "REFERENCE", "ANY", "{date} №{number}"),
    (
        "KK",
        "CLOSING",
        "ANY",
        "Хатшылық осы мүмкіндікті пайдалана отырып, {addressees} өзінің зор ілтипатын тағы да растайды.",
    ),
    ("KK", "ENCLOSURE", "ANY", "Қосымша:\n{what},\n{pages} п."),
    ("KK", "AS_STATED", "ANY", "аталған"),
    ("KK", "PLACE_DATE", "ANY", "{place} қаласы, {date}"),
];

/// Characters of stored item texts per estimated page of an enclosed
/// version (the workflow uses the same estimate when circulating).
const CHARS_PER_PAGE: i64 = 3_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(Notes::Status)
                .string_len(16)
                .not_null()
                .default("ISSUED")
                .to_owned(),
            ColumnDef::new(Notes::Addressees).text().null().to_owned(),
            ColumnDef::new(Notes::Body).text().null().to_owned(),
            ColumnDef::new(Notes::Enclosures).text().null().to_owned(),
            ColumnDef::new(Notes::Texts).text().null().to_owned(),
            ColumnDef::new(Notes::SearchText).text().null().to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notes::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        backfill(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table(NoteDrafts::Table)
                    .col(string_len(NoteDrafts::Id, 36).primary_key())
                    .col(string_len(NoteDrafts::Series, 16))
                    .col(string_len(NoteDrafts::Purpose, 32))
                    .col(string(NoteDrafts::Place))
                    .col(text_null(NoteDrafts::Subject))
                    .col(text(NoteDrafts::Addressees))
                    .col(text_null(NoteDrafts::Body))
                    .col(text(NoteDrafts::Enclosures))
                    .col(text(NoteDrafts::ReferenceIds))
                    .col(string_len_null(NoteDrafts::DraftId, 36))
                    .col(integer_null(NoteDrafts::Version))
                    .col(date_null(NoteDrafts::CommentsDueOn))
                    .col(integer(NoteDrafts::Revision))
                    .col(text(NoteDrafts::SearchText))
                    .col(string(NoteDrafts::CreatedBySub))
                    .col(timestamp_with_time_zone(NoteDrafts::CreatedAt))
                    .col(timestamp_with_time_zone(NoteDrafts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoteDrafts::Table, NoteDrafts::DraftId)
                            .to(Drafts::Table, Drafts::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NoteFormulae::Table)
                    .col(string_len(NoteFormulae::Lang, 8))
                    .col(string_len(NoteFormulae::Kind, 32))
                    .col(string_len(NoteFormulae::Purpose, 32))
                    .col(text(NoteFormulae::Text))
                    .primary_key(
                        Index::create()
                            .col(NoteFormulae::Lang)
                            .col(NoteFormulae::Kind)
                            .col(NoteFormulae::Purpose),
                    )
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(NoteFormulae::Table)
            .columns([
                NoteFormulae::Lang,
                NoteFormulae::Kind,
                NoteFormulae::Purpose,
                NoteFormulae::Text,
            ])
            .to_owned();
        for (lang, kind, purpose, text) in FORMULAE {
            insert
                .values([
                    (*lang).into(),
                    (*kind).into(),
                    (*purpose).into(),
                    (*text).into(),
                ])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoteFormulae::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NoteDrafts::Table).to_owned())
            .await?;
        for column in [
            Notes::SearchText,
            Notes::Texts,
            Notes::Enclosures,
            Notes::Body,
            Notes::Addressees,
            Notes::Status,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notes::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// Fills the new columns of the notes circulated before this migration:
/// addressed to all member states, enclosing the version they circulated
/// (its page count estimated from its length), searchable by subject.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, subject, draft_id, version FROM notes",
        ))
        .await?;
    for row in rows {
        let id: String = row.try_get("", "id")?;
        let subject: Option<String> = row.try_get("", "subject")?;
        let draft_id: Option<String> = row.try_get("", "draft_id")?;
        let version: Option<i32> = row.try_get("", "version")?;
        let enclosures = match (&draft_id, version) {
            (Some(draft_id), Some(version)) => {
                let length = db
                    .query_one_raw(Statement::from_sql_and_values(
                        backend,
                        match backend {
                            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                                "SELECT CAST(COALESCE(SUM(LENGTH(texts)), 0) AS BIGINT) AS n \
                                 FROM items WHERE draft_id = $1 AND version = $2"
                            }
                            _ => {
                                "SELECT COALESCE(SUM(LENGTH(texts)), 0) AS n \
                                 FROM items WHERE draft_id = ? AND version = ?"
                            }
                        },
                        [draft_id.as_str().into(), version.into()],
                    ))
                    .await?
                    .map(|r| r.try_get::<i64>("", "n"))
                    .transpose()?
                    .unwrap_or(0);
                let pages = (length + CHARS_PER_PAGE - 1) / CHARS_PER_PAGE;
                format!(
                    r#"[{{"enclosed":{{"draftVersion":{{"draftId":"{draft_id}","version":{version}}}}},"pages":{}}}]"#,
                    Ord::max(pages, 1)
                )
            }
            _ => "[]".to_owned(),
        };
        // The subject is stored as JSON keyed by language; lower-casing the
        // whole of it keeps every language's text searchable.
        let search = subject.as_deref().unwrap_or_default().to_lowercase();
        let update = Query::update()
            .table(Notes::Table)
            .value(Notes::Status, "ISSUED")
            .value(Notes::Addressees, "\"ALL_MEMBER_STATES\"")
            .value(Notes::Enclosures, enclosures)
            .value(Notes::SearchText, search)
            .and_where(Expr::col(Notes::Id).eq(id))
            .to_owned();
        manager.exec_stmt(update).await?;
    }
    Ok(())
}
