//! The note registry's write side: writing, editing and issuing notes
//! verbales, continuing a series from an earlier registry, and [`issue`],
//! the one function that numbers, composes and stores an issued note, used
//! both by issuing and by circulating a draft.
//!
//! Unsent notes live in `note_drafts` with a revision that every edit
//! compares and sets. Issuing moves the note to `notes` under the same id,
//! with the next number of its series in the write lock (gap-free), and
//! freezes its text in every language as composed from the formulae then
//! in force: an issued note never changes, even when a formula does.

use std::collections::BTreeSet;

use accord_domain::{
    Addressees, DEFAULT_PLACE, Enclosed, Enclosure, MAX_ENCLOSURES, NoteNumber, NotePurpose,
    NoteSeries, NoteStatus, OrgKind, Texts,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::{from_json, from_json_opt, to_json};
use crate::engine::{Engine, Outcome, check};
use crate::entity::{draft, note, note_counter, note_draft, organization};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action};
use crate::store::{WriteTx, expect_one};

mod issue;

pub(crate) use issue::*;

/// The longest subject, per language, in characters.
pub const MAX_SUBJECT_CHARS: usize = 2_000;
/// The longest body, per language, in characters.
pub const MAX_NOTE_BODY_CHARS: usize = 50_000;
/// The most earlier notes one note may cite.
pub const MAX_REFERENCES: usize = 20;
/// Characters of an enclosed version's texts (all languages) per estimated
/// page: a bilingual joint document with its title, tables and signature
/// blocks fills an A4 page in 14 pt with about this much text.
pub const CHARS_PER_PAGE: usize = 1_000;

/// A note verbale as written by the Secretariat (not yet issued).
#[derive(Debug, Clone)]
pub struct NewNote {
    /// The series; the number is issued with the note.
    pub series: NoteSeries,
    /// Why it is sent; circulation notes come from `CirculateDraft` only.
    pub purpose: NotePurpose,
    /// Where it is dated; `Astana` when `None`.
    pub place: Option<String>,
    /// To whom.
    pub addressees: Addressees,
    /// The subject.
    pub subject: Texts,
    /// The paragraphs between the opening and the closing formulae.
    pub body: Texts,
    /// Earlier (issued) notes cited in the opening.
    pub references: Vec<NoteNumber>,
    /// What is enclosed.
    pub enclosures: Vec<Enclosure>,
}

/// A note found by id, unsent or issued.
pub(crate) enum Found {
    /// Not yet issued.
    Unsent(note_draft::Model),
    /// Issued.
    Issued(note::Model),
}

impl Found {
    pub(crate) fn status(&self) -> NoteStatus {
        match self {
            Found::Unsent(_) => NoteStatus::Draft,
            Found::Issued(_) => NoteStatus::Issued,
        }
    }

    pub(crate) fn addressees(&self) -> Result<Addressees> {
        let raw = match self {
            Found::Unsent(row) => Some(row.addressees.as_str()),
            Found::Issued(row) => row.addressees.as_deref(),
        };
        match raw {
            None => Ok(Addressees::AllMemberStates),
            Some(raw) => from_json(raw, "addressees"),
        }
    }
}

/// The note with `id`, if any, in either table.
pub(crate) async fn find<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<Found>> {
    if !crate::db::is_id(id) {
        return Ok(None);
    }
    if let Some(row) = note_draft::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
    {
        return Ok(Some(Found::Unsent(row)));
    }
    Ok(note::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(Found::Issued))
}

/// A note checked for writing: the unsent row and its resolved parts.
pub(crate) struct Checked {
    reference_ids: Vec<String>,
    place: String,
}

impl Engine {
    /// Writes a new, unsent note (Secretariat).
    pub(crate) async fn create_note(&self, actor: &Actor, new: NewNote) -> Result<Outcome> {
        let checked = self.check_new_note(actor, &new).await?;
        let mut tx = self.store().begin_write().await?;
        let id = self.insert_note(&mut tx, actor, &new, &checked).await?;
        tx.commit().await?;
        Ok(Outcome::Note { note_id: id })
    }

    /// Checks that `actor` may write `new` and that it is well formed, for
    /// [`Engine::insert_note`].
    pub(crate) async fn check_new_note(&self, actor: &Actor, new: &NewNote) -> Result<Checked> {
        check(actor, Action::CreateNote, None)?;
        self.check_note(new).await
    }

    /// Inserts the unsent note `new`, checked by [`Engine::check_new_note`],
    /// with its audit record, in `tx`; returns its id.
    pub(crate) async fn insert_note(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        new: &NewNote,
        checked: &Checked,
    ) -> Result<String> {
        let now = self.now();
        let id = uuid::Uuid::now_v7().to_string();
        let (draft_id, version) = first_draft(&new.enclosures);
        note_draft::Entity::insert(note_draft::ActiveModel {
            id: Set(id.clone()),
            series: Set(new.series.to_string()),
            purpose: Set(new.purpose.as_str().to_owned()),
            place: Set(checked.place.clone()),
            subject: Set(Some(to_json(&new.subject)?)),
            addressees: Set(to_json(&new.addressees)?),
            body: Set(Some(to_json(&new.body)?)),
            enclosures: Set(to_json(&new.enclosures)?),
            reference_ids: Set(to_json(&checked.reference_ids)?),
            draft_id: Set(draft_id),
            version: Set(version),
            comments_due_on: NotSet,
            revision: Set(1),
            search_text: Set(accord_domain::search_text(
                Some(&new.subject),
                Some(&new.body),
            )),
            created_by_sub: Set(actor.sub().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(tx.conn())
        .await?;
        tx.audit(
            actor,
            AuditRecord::of(
                Action::CreateNote,
                "note",
                &id,
                None,
                note_json(new, checked),
            ),
            now,
        )
        .await?;
        Ok(id)
    }

    /// Replaces the content of an unsent note, if it is still at `revision`.
    pub(crate) async fn edit_note(
        &self,
        actor: &Actor,
        note_id: &str,
        revision: i32,
        new: NewNote,
    ) -> Result<Outcome> {
        let row = self.unsent(actor, note_id, Action::EditNote).await?;
        if row.revision != revision {
            return Err(stale(row.revision, revision));
        }
        let checked = self.check_note(&new).await?;
        let now = self.now();
        let (draft_id, version) = first_draft(&new.enclosures);
        let tx = self.store().begin_write().await?;
        expect_one(
            tx.conn(),
            note_draft::Entity::update_many()
                .col_expr(note_draft::Column::Series, Expr::value(new.series.as_str()))
                .col_expr(
                    note_draft::Column::Purpose,
                    Expr::value(new.purpose.as_str()),
                )
                .col_expr(
                    note_draft::Column::Place,
                    Expr::value(checked.place.clone()),
                )
                .col_expr(
                    note_draft::Column::Subject,
                    Expr::value(Some(to_json(&new.subject)?)),
                )
                .col_expr(
                    note_draft::Column::Addressees,
                    Expr::value(to_json(&new.addressees)?),
                )
                .col_expr(
                    note_draft::Column::Body,
                    Expr::value(Some(to_json(&new.body)?)),
                )
                .col_expr(
                    note_draft::Column::Enclosures,
                    Expr::value(to_json(&new.enclosures)?),
                )
                .col_expr(
                    note_draft::Column::ReferenceIds,
                    Expr::value(to_json(&checked.reference_ids)?),
                )
                .col_expr(note_draft::Column::DraftId, Expr::value(draft_id))
                .col_expr(note_draft::Column::Version, Expr::value(version))
                .col_expr(
                    note_draft::Column::SearchText,
                    Expr::value(accord_domain::search_text(
                        Some(&new.subject),
                        Some(&new.body),
                    )),
                )
                .col_expr(note_draft::Column::Revision, Expr::value(revision + 1))
                .col_expr(note_draft::Column::UpdatedAt, Expr::value(now))
                .filter(note_draft::Column::Id.eq(note_id))
                .filter(note_draft::Column::Revision.eq(revision)),
            NOTE_CHANGED,
        )
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::EditNote,
                "note",
                note_id,
                Some(json!({
                    "revision": row.revision,
                    "series": row.series,
                    "purpose": row.purpose,
                    "subject": row.subject,
                    "body": row.body,
                    "addressees": row.addressees,
                    "enclosures": row.enclosures,
                })),
                note_json(&new, &checked),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Note {
            note_id: note_id.to_owned(),
        })
    }

    /// Issues an unsent note at `revision`: numbers it, dates it today
    /// (Astana) and freezes it.
    pub(crate) async fn issue_note(
        &self,
        actor: &Actor,
        note_id: &str,
        revision: i32,
    ) -> Result<Outcome> {
        let prepared = self.prepare_issue(actor, note_id, revision).await?;
        let now = prepared.now;
        let tx = self.store().begin_write().await?;
        let (record, _) = issue_prepared(&tx, actor, prepared).await?;
        tx.commit_audited(actor, record, now).await?;
        Ok(Outcome::Note {
            note_id: note_id.to_owned(),
        })
    }

    /// Everything issuing the unsent note `note_id` at `revision` needs,
    /// read and composed before the write lock to keep it short: the
    /// note's whole text, but for its number.
    pub(crate) async fn prepare_issue(
        &self,
        actor: &Actor,
        note_id: &str,
        revision: i32,
    ) -> Result<PreparedIssue> {
        let row = self.unsent(actor, note_id, Action::IssueNote).await?;
        if row.revision != revision {
            return Err(stale(row.revision, revision));
        }
        let corrupt = |what: &str| WorkflowError::Corrupt(format!("note {note_id}: bad {what}"));
        let issue_of = Issue {
            id: row.id.clone(),
            series: NoteSeries::parse(&row.series).map_err(|_| corrupt("series"))?,
            purpose: row.purpose.parse().map_err(|_| corrupt("purpose"))?,
            place: row.place.clone(),
            addressees: from_json(&row.addressees, "addressees")?,
            subject: from_json_opt(row.subject.as_deref(), "subject")?,
            draft_title: None,
            body: from_json_opt(row.body.as_deref(), "body")?,
            reference_ids: from_json(&row.reference_ids, "references")?,
            enclosures: from_json(&row.enclosures, "enclosures")?,
            comments_due_on: row.comments_due_on,
        };
        let addressees = issue_of.addressees.clone();
        let enclosures = issue_of.enclosures.clone();
        let now = self.now();
        let formulae = formulae(self.store().db()).await?;
        let composed = compose_issue(self.store().db(), issue_of, &formulae, now).await?;
        Ok(PreparedIssue {
            note_id: note_id.to_owned(),
            revision,
            addressees,
            enclosures,
            composed,
            formulae,
            now,
        })
    }

    /// Continues `series` in `year` from an earlier registry: its next note
    /// is numbered `last + 1` (Secretariat). A series only moves forward.
    pub(crate) async fn continue_series(
        &self,
        actor: &Actor,
        series: NoteSeries,
        year: i32,
        last: u32,
    ) -> Result<Outcome> {
        check(actor, Action::ContinueNoteSeries, None)?;
        if !(1990..=2999).contains(&year) {
            return Err(WorkflowError::bad_input(format!(
                "year {year} is out of range"
            )));
        }
        if last == 0 || last > 999_998 {
            return Err(WorkflowError::bad_input(
                "lastSequence must be between 1 and 999998",
            ));
        }
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let current = note_counter::Entity::find_by_id((series.to_string(), year))
            .one(tx.conn())
            .await?
            .map_or(0, |c| c.last_sequence);
        if current as u32 >= last {
            return Err(WorkflowError::bad_input(format!(
                "series {series} of {year} is already at {current}; a series only moves forward"
            )));
        }
        note_counter::Entity::insert(note_counter::ActiveModel {
            series: Set(series.to_string()),
            year: Set(year),
            last_sequence: Set(last as i32),
        })
        .on_conflict(
            OnConflict::columns([note_counter::Column::Series, note_counter::Column::Year])
                .update_column(note_counter::Column::LastSequence)
                .to_owned(),
        )
        .exec_without_returning(tx.conn())
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::ContinueNoteSeries,
                "note_series",
                format!("{series}/{year}"),
                Some(json!({ "lastSequence": current })),
                json!({ "lastSequence": last }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::SeriesContinued)
    }

    /// The unsent note `note_id`, after the checks every change of one
    /// makes, in the order that reveals nothing: an invisible note is
    /// `NOT_FOUND`, a visible one `FORBIDDEN` to anyone but the Secretariat,
    /// and an issued one `INVALID_TRANSITION`.
    async fn unsent(
        &self,
        actor: &Actor,
        note_id: &str,
        action: Action,
    ) -> Result<note_draft::Model> {
        let not_found = || WorkflowError::NotFound(format!("note {note_id} not found"));
        let found = find(self.store().db(), note_id)
            .await?
            .ok_or_else(not_found)?;
        if !permissions::can_see_note(actor, found.status(), &found.addressees()?) {
            return Err(not_found());
        }
        check(actor, action, None)?;
        match found {
            Found::Unsent(row) => Ok(row),
            Found::Issued(row) => Err(WorkflowError::InvalidTransition(format!(
                "note {} was issued on {} and is never changed again; write a new note that refers to it",
                row.number, row.date
            ))),
        }
    }

    /// Checks a note's content against the rules and the stored data.
    async fn check_note(&self, new: &NewNote) -> Result<Checked> {
        let db = self.store().db();
        if new.purpose == NotePurpose::Circulation {
            return Err(WorkflowError::bad_input(
                "circulation notes are issued by circulateDraft; choose REMINDER, INVITATION or INFORMATION",
            ));
        }
        let place = accord_domain::parse_place(new.place.as_deref().unwrap_or(DEFAULT_PLACE))?;
        for (_, text) in new.subject.iter() {
            accord_domain::non_blank("subject", text, MAX_SUBJECT_CHARS)?;
        }
        for (_, text) in new.body.iter() {
            accord_domain::non_blank("body", text, MAX_NOTE_BODY_CHARS)?;
        }
        if let Addressees::Organizations(codes) = &new.addressees {
            let known = organization::Entity::find()
                .filter(organization::Column::Code.is_in(codes.iter().map(ToString::to_string)))
                .all(db)
                .await?;
            for code in codes {
                match known.iter().find(|o| o.code == code.as_str()) {
                    None => {
                        return Err(WorkflowError::bad_input(format!(
                            "addressee {code} is not a known organisation"
                        )));
                    }
                    Some(org) if org.kind == OrgKind::Secretariat.as_str() => {
                        return Err(WorkflowError::bad_input(format!(
                            "addressee {code} is the sender; notes go to other organisations"
                        )));
                    }
                    Some(_) => {}
                }
            }
        }
        if new.enclosures.len() > MAX_ENCLOSURES {
            return Err(WorkflowError::bad_input(format!(
                "a note carries at most {MAX_ENCLOSURES} enclosures"
            )));
        }
        for enclosure in &new.enclosures {
            if let Enclosed::DraftVersion { draft_id, version } = enclosure.enclosed() {
                let current = draft::Entity::find_by_id(draft_id.clone())
                    .one(db)
                    .await?
                    .map(|d| d.current_version);
                match current {
                    None => {
                        return Err(WorkflowError::bad_input(format!(
                            "enclosed draft {draft_id} does not exist"
                        )));
                    }
                    Some(current) if *version > current => {
                        return Err(WorkflowError::bad_input(format!(
                            "enclosed draft {draft_id} has no version {version}; the latest is {current}"
                        )));
                    }
                    Some(_) => {}
                }
            }
        }
        if new.references.len() > MAX_REFERENCES {
            return Err(WorkflowError::bad_input(format!(
                "a note cites at most {MAX_REFERENCES} earlier notes"
            )));
        }
        let reference_ids = self
            .resolve_references(&new.references)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        Ok(Checked {
            reference_ids,
            place,
        })
    }

    /// Finds each referenced note; a number names the latest year's note
    /// with that series and sequence.
    pub(crate) async fn resolve_references(
        &self,
        references: &[NoteNumber],
    ) -> Result<Vec<(String, NoteNumber)>> {
        let mut found = Vec::with_capacity(references.len());
        let mut seen = BTreeSet::new();
        for number in references {
            if !seen.insert(number.to_string()) {
                return Err(WorkflowError::bad_input(format!(
                    "note {number} is referenced twice"
                )));
            }
            let row = note::Entity::find()
                .filter(note::Column::Number.eq(number.to_string()))
                .order_by_desc(note::Column::Year)
                .one(self.store().db())
                .await?
                .ok_or_else(|| WorkflowError::bad_input(format!("note {number} does not exist")))?;
            found.push((row.id, number.clone()));
        }
        Ok(found)
    }
}

const NOTE_CHANGED: &str = "the note changed while you were acting; reload it and try again";

fn stale(current: i32, given: i32) -> WorkflowError {
    WorkflowError::Conflict(format!(
        "revision {given} of the note is no longer current; revision {current} is"
    ))
}

fn note_json(new: &NewNote, checked: &Checked) -> serde_json::Value {
    json!({
        "series": new.series,
        "purpose": new.purpose,
        "place": checked.place,
        "addressees": new.addressees,
        "subject": new.subject,
        "body": new.body,
        "references": new.references,
        "enclosures": new.enclosures,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use accord_domain::{Lang, RenderFormat};
    use accord_migration::{Migrator, MigratorTrait};
    use chrono::NaiveDate;

    use super::*;
    use crate::Command;
    use crate::read::Reader;
    use crate::store::Store;

    /// SOC/19 as sent, from `shared/seeds`.
    const SEED: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/seeds/note-SOC-19-cbm-deadlines.txt"
    ));

    /// The seed's non-empty lines, without its bold and italic marks: the
    /// text as printed.
    fn seed_lines() -> Vec<String> {
        marked_seed_lines()
            .into_iter()
            .map(|l| l.replace('*', ""))
            .collect()
    }

    /// The seed's non-empty lines, without its bold marks (`**`): a body's
    /// italic titles keep theirs (`*…*`), as the body of a note marks them.
    fn marked_seed_lines() -> Vec<String> {
        SEED.lines()
            .map(|l| l.replace("**", "").trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The seed's body in one language, with its italics marked: the
    /// paragraphs between the line starting with `opening` and the one
    /// starting with `closing`.
    fn seed_body(opening: &str, closing: &str) -> String {
        let lines = marked_seed_lines();
        let start = lines.iter().position(|l| l.starts_with(opening)).unwrap();
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.starts_with(closing))
                .unwrap();
        lines[start + 1..end].join("\n\n")
    }

    use crate::testing::officer;

    async fn engine_at(day: NaiveDate) -> (Engine, Store) {
        let store = crate::testing::fresh_store().await;
        let instant = Arc::new(Mutex::new(day.and_hms_opt(6, 0, 0).unwrap().and_utc()));
        let clock: crate::engine::Clock = Arc::new(move || *instant.lock().unwrap());
        (Engine::with_clock(store.clone(), clock), store)
    }

    fn soc_19() -> NewNote {
        let body = Texts::from_pairs([
            (
                Lang::En,
                seed_body(
                    "The Secretariat of the Conference",
                    "The Secretariat avails",
                ),
            ),
            (
                Lang::Ru,
                seed_body("Секретариат Совещания по", "Секретариат пользуется"),
            ),
            (
                Lang::Kk,
                seed_body("Азиядағы өзара", "Хатшылық осы мүмкіндікті"),
            ),
        ])
        .unwrap();
        NewNote {
            series: NoteSeries::parse("SOC").unwrap(),
            purpose: NotePurpose::Reminder,
            place: None,
            addressees: Addressees::AllMemberStates,
            subject: Texts::from_pairs([(
                Lang::En,
                "Deadlines for submitting materials on CBM events".to_owned(),
            )])
            .unwrap(),
            body,
            references: Vec::new(),
            enclosures: Vec::new(),
        }
    }

    async fn created(engine: &Engine, new: NewNote) -> String {
        match engine
            .execute(&officer(), Command::CreateNote(new))
            .await
            .unwrap()
        {
            Outcome::Note { note_id } => note_id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn soc_19_renders_with_the_seed_formulae_in_english_russian_and_kazakh() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 8).unwrap();
        let (engine, store) = engine_at(day).await;
        engine
            .execute(
                &officer(),
                Command::ContinueNoteSeries {
                    series: NoteSeries::parse("SOC").unwrap(),
                    year: 2024,
                    last_sequence: 18,
                },
            )
            .await
            .unwrap();
        let id = created(&engine, soc_19()).await;
        engine
            .execute(
                &officer(),
                Command::IssueNote {
                    note_id: id.clone(),
                    revision: 1,
                },
            )
            .await
            .unwrap();
        let reader = Reader::new(store, officer());
        let note = reader.note(&id).await.unwrap();
        assert_eq!(note.number.as_deref(), Some("SOC/19"));
        assert_eq!(note.date, Some(day));

        let seed = seed_lines();
        let expected = [
            (
                Lang::En,
                "The Secretariat of the Conference on Interaction and Confidence Building Measures in Asia (CICA) presents its compliments to the CICA Member States and has the honour to inform the following.",
                "The Secretariat avails itself of this opportunity to renew to the CICA Member States the assurances of its highest consideration.",
                "Astana, 8 January 2024",
                [
                    "MEMBER STATES",
                    "OF THE CONFERENCE ON INTERACTION AND",
                    "CONFIDENCE BUILDING MEASURES IN ASIA",
                ],
            ),
            (
                Lang::Ru,
                "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) свидетельствует свое уважение государствам-членам СВМДА и имеет честь сообщить нижеследующее.",
                "Секретариат пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения в своем высоком уважении.",
                "город Астана, 8 января 2024 года",
                [
                    "ГОСУДАРСТВА-ЧЛЕНЫ",
                    "СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И",
                    "МЕРАМ ДОВЕРИЯ В АЗИИ",
                ],
            ),
            (
                Lang::Kk,
                "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы Азия Кеңесіне мүше мемлекеттерге өзінің зор ілтипатын білдіре отырып, келесі жайды хабарлауды өзіне мәртебе санайды.",
                "Хатшылық осы мүмкіндікті пайдалана отырып, Азия Кеңесіне мүше мемлекеттерге өзінің зор ілтипатын тағы да растайды.",
                "Астана қаласы, 2024 жылғы 8 қаңтар",
                [
                    "АЗИЯДАҒЫ ӨЗАРА ІС-ҚИМЫЛ ЖӘНЕ",
                    "СЕНІМ ШАРАЛАРЫ КЕҢЕСІНЕ",
                    "МҮШЕ МЕМЛЕКЕТТЕР",
                ],
            ),
        ];
        for (lang, opening, closing, place_date, block) in expected {
            let text = reader
                .render_note(&note, lang, RenderFormat::Text)
                .await
                .unwrap();
            let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
            // The letterhead (English, then Russian) and the number, as in the seed.
            assert_eq!(
                lines[..5],
                [
                    "SECRETARIAT OF THE CONFERENCE ON INTERACTION",
                    "AND CONFIDENCE BUILDING MEASURES IN ASIA",
                    "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ",
                    "И МЕРАМ ДОВЕРИЯ В АЗИИ",
                    "№ SOC/19",
                ],
                "{lang}"
            );
            assert_eq!(lines[5], opening, "{lang}");
            let n = lines.len();
            assert_eq!(lines[n - 5], closing, "{lang}");
            assert_eq!(lines[n - 4], place_date, "{lang}");
            assert_eq!(lines[n - 3..], block, "{lang}");
            // Every line rendered is a line of the seed.
            for line in &lines {
                assert!(
                    seed.iter().any(|s| s == line),
                    "{lang}: {line:?} is not in the seed"
                );
            }
            let html = reader
                .render_note(&note, lang, RenderFormat::Html)
                .await
                .unwrap();
            assert!(html.contains(opening) && html.contains(closing), "{lang}");
            // The cited title in italics, as the seed sets it.
            let title = match lang {
                Lang::En => {
                    "according to the <em>General guidelines for conducting events on implementation of CICA confidence building measures</em> adopted by the SOC"
                }
                Lang::Ru => {
                    "согласно <em>Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА</em>, принятым КСДЛ"
                }
                _ => "қабылдаған <em>Азия Кеңесінің",
            };
            assert!(html.contains(title), "{lang}: {html}");
        }
    }

    #[tokio::test]
    async fn the_registry_migration_rolls_back_and_forward_over_issued_notes() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 8).unwrap();
        let (engine, store) = engine_at(day).await;
        let id = created(&engine, soc_19()).await;
        engine
            .execute(
                &officer(),
                Command::IssueNote {
                    note_id: id.clone(),
                    revision: 1,
                },
            )
            .await
            .unwrap();
        // Rolls back every migration after the reference data (the
        // registry's among them), then applies them all again.
        let after_reference_data = u32::try_from(Migrator::migrations().len() - 2).unwrap();
        Migrator::down(store.db(), Some(after_reference_data))
            .await
            .unwrap();
        Migrator::up(store.db(), None).await.unwrap();
        // Backfilled as a note from before the registry: composed anew.
        let reader = Reader::new(store, officer());
        let note = reader.note(&id).await.unwrap();
        assert!(!note.frozen);
        assert_eq!(note.addressees, Addressees::AllMemberStates);
        let text = reader
            .render_note(&note, Lang::En, RenderFormat::Text)
            .await
            .unwrap();
        assert!(text.contains("№ SOC/1"), "{text}");
    }

    #[tokio::test]
    async fn an_unsent_note_is_edited_by_revision_and_an_issued_one_never() {
        let (engine, _store) = engine_at(NaiveDate::from_ymd_opt(2024, 1, 8).unwrap()).await;
        let id = created(&engine, soc_19()).await;
        let edit = |revision| Command::EditNote {
            note_id: id.clone(),
            revision,
            note: soc_19(),
        };
        engine.execute(&officer(), edit(1)).await.unwrap();
        assert!(matches!(
            engine.execute(&officer(), edit(1)).await,
            Err(WorkflowError::Conflict(_))
        ));
        assert!(matches!(
            engine
                .execute(
                    &officer(),
                    Command::IssueNote {
                        note_id: id.clone(),
                        revision: 1
                    }
                )
                .await,
            Err(WorkflowError::Conflict(_))
        ));
        engine
            .execute(
                &officer(),
                Command::IssueNote {
                    note_id: id.clone(),
                    revision: 2,
                },
            )
            .await
            .unwrap();
        assert!(matches!(
            engine.execute(&officer(), edit(2)).await,
            Err(WorkflowError::InvalidTransition(_))
        ));
        let mut circulation = soc_19();
        circulation.purpose = NotePurpose::Circulation;
        assert!(matches!(
            engine
                .execute(&officer(), Command::CreateNote(circulation))
                .await,
            Err(WorkflowError::Rejected(_))
        ));
    }
}
