//! Composing and issuing a note: what an issued note is made of
//! ([`Issue`]), its text in every language composed from the formulae and
//! reference data ([`compose_issue`], [`compose_all`]), and [`issue`], the
//! one function that numbers and stores an issued note, used by issuing
//! ([`issue_prepared`]) and by circulating a draft.

use std::collections::BTreeMap;

use accord_domain::{
    AddresseeName, Addressees, Enclosed, Enclosure, Formula, FormulaKind, Formulae, Lang,
    MeetingLine, NoteFacts, NoteNumber, NotePurpose, NoteSeries, NoteStatus, NoteText, Texts,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::{from_json_opt, to_json};
use crate::engine::next_note_number;
use crate::entity::{
    body, item, meeting, meeting_agenda, note, note_draft, note_formula, note_reference,
    organization,
};
use crate::error::{Result, WorkflowError};
use crate::permissions::Action;
use crate::store::{OrgView, WriteTx};
use crate::written::NoteAfter;

use super::{CHARS_PER_PAGE, NOTE_CHANGED};

/// Everything an issued note is made of, checked and resolved.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    /// The note's id (kept from its unsent form, or new).
    pub(crate) id: String,
    pub(crate) series: NoteSeries,
    pub(crate) purpose: NotePurpose,
    pub(crate) place: String,
    pub(crate) addressees: Addressees,
    pub(crate) subject: Option<Texts>,
    /// The title of the draft a circulation forwards (named through the
    /// `DRAFT_SUBJECT` formula when there is no subject).
    pub(crate) draft_title: Option<Texts>,
    pub(crate) body: Option<Texts>,
    /// Ids of the issued notes cited.
    pub(crate) reference_ids: Vec<String>,
    pub(crate) enclosures: Vec<Enclosure>,
    pub(crate) comments_due_on: Option<NaiveDate>,
}

impl Issue {
    /// The first enclosed draft version, which the note is filed under.
    fn draft_version(&self) -> (Option<String>, Option<i32>) {
        first_draft(&self.enclosures)
    }
}

pub(super) fn first_draft(enclosures: &[Enclosure]) -> (Option<String>, Option<i32>) {
    enclosures
        .iter()
        .find_map(|e| match e.enclosed() {
            Enclosed::DraftVersion { draft_id, version } => {
                Some((Some(draft_id.clone()), Some(*version)))
            }
            Enclosed::Document { .. } => None,
        })
        .unwrap_or((None, None))
}

/// A note to be issued, composed before the write lock: what it cites and
/// whom it addresses resolved, its text written in every language but for
/// the number, which only the write lock can give.
pub(crate) struct Composed {
    note: Issue,
    today: NaiveDate,
    references: Vec<(String, NoteNumber, NaiveDate)>,
    texts: BTreeMap<Lang, NoteText>,
}

/// Composes `note` to be issued at `now` (dated today in Astana), reading
/// the notes it cites (issued, so unchanging) and its addressees' names
/// (reference data) through `conn`.
pub(crate) async fn compose_issue<C: ConnectionTrait>(
    conn: &C,
    note: Issue,
    formulae: &Formulae,
    now: DateTime<Utc>,
) -> Result<Composed> {
    let today = crate::clock::astana_date(now);
    let references = cited(conn, &note.reference_ids).await?;
    let meetings = match (note.purpose, note.draft_version()) {
        (NotePurpose::Circulation, (Some(draft_id), _)) => {
            announced_meetings(conn, &draft_id, today).await?
        }
        _ => Vec::new(),
    };
    let facts = NoteFacts {
        series: note.series.clone(),
        number: None,
        date: Some(today),
        place: note.place.clone(),
        purpose: note.purpose,
        addressee_names: addressee_names(conn, &note.addressees).await?,
        subject: note.subject.clone(),
        draft_title: note.draft_title.clone(),
        body: note.body.clone(),
        references: references.iter().map(|(_, n, d)| (n.clone(), *d)).collect(),
        enclosures: enclosure_lines(&note.enclosures),
        meetings,
    };
    let texts = compose_all(formulae, &facts)?;
    Ok(Composed {
        note,
        today,
        references,
        texts,
    })
}

/// An unsent note made ready to issue ([`Engine::prepare_issue`]).
pub(crate) struct PreparedIssue {
    pub(super) note_id: String,
    pub(super) revision: i32,
    /// To whom it goes.
    pub(crate) addressees: Addressees,
    /// What it encloses.
    pub(crate) enclosures: Vec<Enclosure>,
    pub(super) composed: Composed,
    pub(super) formulae: Formulae,
    /// The instant it is issued at.
    pub(crate) now: DateTime<Utc>,
}

/// Issues a prepared note in `tx`, if it is still unsent at the revision
/// it was prepared at (else `CONFLICT`); the audit record of its issue and
/// the note as issued. The caller commits.
pub(crate) async fn issue_prepared(
    tx: &WriteTx,
    actor: &Actor,
    prepared: PreparedIssue,
) -> Result<(AuditRecord, NoteAfter)> {
    let PreparedIssue {
        note_id,
        revision,
        composed,
        formulae,
        now,
        ..
    } = prepared;
    let removed = note_draft::Entity::delete_many()
        .filter(note_draft::Column::Id.eq(note_id.as_str()))
        .filter(note_draft::Column::Revision.eq(revision))
        .exec(tx.conn())
        .await?;
    if removed.rows_affected != 1 {
        return Err(WorkflowError::Conflict(NOTE_CHANGED.into()));
    }
    let (number, note) = issue(tx, actor, composed, &formulae, now).await?;
    let record = AuditRecord::of(
        Action::IssueNote,
        "note",
        note_id,
        Some(json!({ "status": NoteStatus::Draft, "revision": revision })),
        json!({
            "status": NoteStatus::Issued,
            "number": number.to_string(),
            "date": crate::clock::astana_date(now),
        }),
    );
    Ok((record, note))
}

/// Numbers and stores the note `composed` (at `now`, the instant it was
/// composed for) in the write transaction `tx`, with its references, and
/// returns its number and the note as stored. The caller writes the audit
/// record. This is the only code that issues note numbers.
pub(crate) async fn issue(
    tx: &WriteTx,
    actor: &Actor,
    composed: Composed,
    formulae: &Formulae,
    now: DateTime<Utc>,
) -> Result<(NoteNumber, NoteAfter)> {
    let Composed {
        note,
        today,
        references,
        mut texts,
    } = composed;
    let number = next_note_number(tx, &note.series, today.year()).await?;
    for (lang, text) in &mut texts {
        text.number_line =
            accord_domain::number_line(formulae, note.purpose, *lang, &note.series, Some(&number))?;
    }
    let (draft_id, version) = note.draft_version();
    let row = note::Model {
        id: note.id.clone(),
        series: note.series.to_string(),
        year: today.year(),
        sequence: number.sequence() as i32,
        number: number.to_string(),
        date: today,
        place: note.place.clone(),
        purpose: note.purpose.as_str().to_owned(),
        subject: note.subject.as_ref().map(to_json).transpose()?,
        draft_id,
        version,
        comments_due_on: note.comments_due_on,
        created_by_sub: actor.sub().to_owned(),
        created_at: now,
        status: NoteStatus::Issued.as_str().to_owned(),
        addressees: Some(to_json(&note.addressees)?),
        body: note.body.as_ref().map(to_json).transpose()?,
        enclosures: Some(to_json(&note.enclosures)?),
        texts: Some(to_json(&texts)?),
        search_text: Some(accord_domain::search_text(
            note.subject.as_ref(),
            note.body.as_ref(),
        )),
    };
    note::Entity::insert(note::ActiveModel::from(row.clone()))
        .exec_without_returning(tx.conn())
        .await?;
    if !note.reference_ids.is_empty() {
        note_reference::Entity::insert_many(note.reference_ids.iter().enumerate().map(
            |(position, target)| note_reference::ActiveModel {
                note_id: Set(note.id.clone()),
                referenced_note_id: Set(target.clone()),
                position: Set(position as i32),
            },
        ))
        .exec_without_returning(tx.conn())
        .await?;
    }
    let references = references
        .into_iter()
        .map(|(id, number, date)| (id, number.to_string(), date))
        .collect();
    Ok((
        number,
        NoteAfter {
            row: Box::new(row),
            references,
        },
    ))
}

/// Composes a note in every language it can be written in: those with
/// formulae in which every text it carries exists
/// ([`NoteFacts::missing_in`]). A note written in no language is refused,
/// saying what each language lacks.
pub(crate) fn compose_all(
    formulae: &Formulae,
    facts: &NoteFacts,
) -> Result<BTreeMap<Lang, NoteText>> {
    let with_formulae = formulae.langs(facts.purpose);
    let langs: Vec<Lang> = with_formulae
        .iter()
        .copied()
        .filter(|lang| facts.missing_in(formulae, *lang).is_none())
        .collect();
    if langs.is_empty() {
        let lacks: Vec<String> = with_formulae
            .iter()
            .filter_map(|lang| facts.missing_in(formulae, *lang))
            .collect();
        return Err(WorkflowError::bad_input(format!(
            "the note can be written in no language: a note is written in a language only when every text it carries exists in it; there is {}",
            lacks.join("; ")
        )));
    }
    langs
        .into_iter()
        .map(|lang| Ok((lang, accord_domain::compose(formulae, facts, lang)?)))
        .collect()
}

/// The meetings a circulation of `draft_id` dated `date` announces: those
/// after `date` with the draft on their agenda, by date, each with its
/// body as notes name it.
pub(crate) async fn announced_meetings<C: ConnectionTrait>(
    conn: &C,
    draft_id: &str,
    date: NaiveDate,
) -> Result<Vec<MeetingLine>> {
    let rows: Vec<(NaiveDate, Option<String>)> =
        meeting_agenda::of_drafts_with_their_meetings([draft_id.to_owned()])
            .column(meeting::Column::Date)
            .column(body::Column::NoteNames)
            .join(
                JoinType::InnerJoin,
                meeting::Entity::belongs_to(body::Entity)
                    .from(meeting::Column::Body)
                    .to(body::Column::Code)
                    .into(),
            )
            .filter(meeting::Column::Date.gt(date))
            .order_by_asc(meeting::Column::Date)
            .into_tuple()
            .all(conn)
            .await?;
    rows.into_iter()
        .map(|(date, names)| {
            Ok(MeetingLine {
                body: from_json_opt(names.as_deref(), "body's names in notes")?,
                date,
            })
        })
        .collect()
}

/// The formulae in force.
pub(crate) async fn formulae<C: ConnectionTrait>(conn: &C) -> Result<Formulae> {
    let rows = note_formula::Entity::find().all(conn).await?;
    let corrupt = |what: &str, value: &str| {
        WorkflowError::Corrupt(format!("note formula with unknown {what} {value:?}"))
    };
    let mut formulae = Vec::with_capacity(rows.len());
    for row in rows {
        formulae.push(Formula {
            lang: row
                .lang
                .parse()
                .map_err(|_| corrupt("language", &row.lang))?,
            kind: row
                .kind
                .parse::<FormulaKind>()
                .map_err(|_| corrupt("kind", &row.kind))?,
            purpose: match row.purpose.as_str() {
                "ANY" => None,
                other => Some(other.parse().map_err(|_| corrupt("purpose", other))?),
            },
            text: row.text,
        });
    }
    Ok(Formulae::new(formulae))
}

/// The cited notes as (id, number, date), in the order given.
pub(crate) async fn cited<C: ConnectionTrait>(
    conn: &C,
    ids: &[String],
) -> Result<Vec<(String, NoteNumber, NaiveDate)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = note::Entity::find()
        .filter(note::Column::Id.is_in(ids.iter().cloned()))
        .all(conn)
        .await?;
    ids.iter()
        .map(|id| {
            let row = rows
                .iter()
                .find(|r| &r.id == id)
                .ok_or_else(|| WorkflowError::Corrupt(format!("cited note {id} is missing")))?;
            let number = NoteNumber::parse(&row.number)
                .map_err(|e| WorkflowError::Corrupt(format!("note {id}: {e}")))?;
            Ok((row.id.clone(), number, row.date))
        })
        .collect()
}

/// The names the text gives the addressees, in every language known, and
/// as addressed where a language inflects them: `None` for all member
/// states.
pub(crate) async fn addressee_names<C: ConnectionTrait>(
    conn: &C,
    addressees: &Addressees,
) -> Result<Option<Vec<AddresseeName>>> {
    let Addressees::Organizations(codes) = addressees else {
        return Ok(None);
    };
    let orgs = organization::Entity::find()
        .filter(organization::Column::Code.is_in(codes.iter().map(ToString::to_string)))
        .all(conn)
        .await?
        .into_iter()
        .map(OrgView::of)
        .collect::<Result<Vec<_>>>()?;
    codes
        .iter()
        .map(|code| {
            let Some(org) = orgs.iter().find(|o| o.code == code.as_str()) else {
                return Ok(AddresseeName {
                    name: Texts::from_pairs([(Lang::En, code.to_string())])?,
                    dative: None,
                });
            };
            let mut names: Vec<(Lang, String)> = org
                .names
                .iter()
                .flat_map(|names| names.iter())
                .map(|(lang, name)| (lang, name.to_owned()))
                .collect();
            if names.iter().all(|(lang, _)| *lang != Lang::En) {
                names.push((Lang::En, org.name.clone()));
            }
            Ok(AddresseeName {
                name: Texts::from_pairs(names)?,
                dative: org.dative.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// The enclosures as the text lists them.
pub(crate) fn enclosure_lines(enclosures: &[Enclosure]) -> Vec<accord_domain::EnclosureLine> {
    enclosures
        .iter()
        .map(|e| accord_domain::EnclosureLine {
            title: match e.enclosed() {
                Enclosed::DraftVersion { .. } => None,
                Enclosed::Document { title } => Some(title.clone()),
            },
            pages: e.pages(),
        })
        .collect()
}

/// An estimate of the pages of a draft version: its texts in every
/// language, [`CHARS_PER_PAGE`] characters a page, at least one.
pub(crate) async fn estimated_pages<C: ConnectionTrait>(
    conn: &C,
    draft_id: &str,
    version: i32,
) -> Result<u32> {
    let rows = item::Entity::find()
        .filter(item::Column::DraftId.eq(draft_id))
        .filter(item::Column::Version.eq(version))
        .all(conn)
        .await?;
    let mut chars = 0usize;
    for row in rows {
        let texts: Texts = serde_json::from_str(&row.texts)
            .map_err(|e| WorkflowError::Corrupt(format!("item texts: {e}")))?;
        chars += texts.iter().map(|(_, t)| t.chars().count()).sum::<usize>();
    }
    Ok(u32::try_from(chars.div_ceil(CHARS_PER_PAGE))
        .unwrap_or(u32::MAX)
        .clamp(1, accord_domain::MAX_PAGES))
}
