//! The note registry's read side: notes verbales as one viewer may see
//! them (the rule is `permissions::NoteScope`, applied here in SQL for
//! lists), looked up by id or number, listed with filters and full-text
//! search under cursor pagination, and rendered.
//!
//! Unsent notes (`note_drafts`) are seen by the Secretariat only; a list
//! that may hold both kinds reads both tables in id order and merges them.

use std::collections::{BTreeMap, HashMap};

use accord_domain::{
    Addressees, Enclosure, Lang, NoteFacts, NoteNumber, NotePurpose, NoteSeries, NoteStatus,
    NoteText, OrgCode, OrgKind, RenderFormat, Texts,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Order};
use sea_orm::{
    ColumnTrait, Condition, DerivePartialModel, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::db::{from_json, from_json_opt};
use crate::entity::{note, note_draft, note_reference};
use crate::error::{Result, WorkflowError};
use crate::notes;
use crate::paging::Window;
use crate::permissions::{self, NoteScope};
use crate::read::Reader;
use crate::written::NoteAfter;

/// A note verbale, unsent or issued, as stored.
#[derive(Debug, Clone)]
pub struct NoteRecord {
    /// The note's id (kept when it is issued).
    pub id: String,
    /// Unsent or issued.
    pub status: NoteStatus,
    /// The series, e.g. `PAR`.
    pub series: String,
    /// The number, once issued, e.g. `PAR/713`.
    pub number: Option<String>,
    /// The year of the number, once issued.
    pub year: Option<i32>,
    /// The date, once issued.
    pub date: Option<NaiveDate>,
    /// Where it is dated.
    pub place: String,
    /// Why it is sent.
    pub purpose: NotePurpose,
    /// To whom.
    pub addressees: Addressees,
    /// The subject.
    pub subject: Option<Texts>,
    /// The paragraphs between the formulae.
    pub body: Option<Texts>,
    /// What is enclosed.
    pub enclosures: Vec<Enclosure>,
    /// The draft it encloses (circulates), if any.
    pub draft_id: Option<String>,
    /// The version it encloses.
    pub version: Option<i32>,
    /// Until when comments are invited.
    pub comments_due_on: Option<NaiveDate>,
    /// The revision edits compare against; `None` once issued.
    pub revision: Option<i32>,
    /// Earlier notes cited, as (id, number, date), in the order cited.
    pub references: Vec<(String, String, NaiveDate)>,
    /// Whether its text in each language was frozen at issue (always,
    /// except while unsent and for notes issued before the registry
    /// existed). The texts are read only to render ([`Reader::frozen_texts`]).
    pub frozen: bool,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// What the registry is filtered by; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct NoteFilter {
    /// Series, e.g. `SOC`.
    pub series: Option<NoteSeries>,
    /// Year of issue.
    pub year: Option<i32>,
    /// Purpose.
    pub purpose: Option<NotePurpose>,
    /// Unsent or issued.
    pub status: Option<NoteStatus>,
    /// Addressed to this organisation (a member state also gets the notes
    /// to all member states).
    pub addressee: Option<OrgCode>,
    /// Circulating or enclosing this draft.
    pub draft_id: Option<String>,
    /// Issued on or after.
    pub date_from: Option<NaiveDate>,
    /// Issued on or before.
    pub date_to: Option<NaiveDate>,
    /// Words in the subject or body, in any language and case.
    pub text: Option<String>,
}

/// A page of the registry, newest first.
pub type NotePage = crate::paging::Page<NoteRecord>;

/// Builds the conditions of a filter for one of the two note tables.
macro_rules! filter_condition {
    ($entity:ident, $filter:expr, $pattern:expr, $addressee_kind:expr) => {{
        let filter: &NoteFilter = $filter;
        let mut c = Condition::all();
        if let Some(series) = &filter.series {
            c = c.add($entity::Column::Series.eq(series.as_str()));
        }
        if let Some(purpose) = filter.purpose {
            c = c.add($entity::Column::Purpose.eq(purpose.as_str()));
        }
        if let Some(draft_id) = &filter.draft_id {
            c = c.add($entity::Column::DraftId.eq(draft_id.as_str()));
        }
        if let Some(pattern) = $pattern {
            c = c.add(
                Expr::col(($entity::Entity, $entity::Column::SearchText))
                    .like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        if let Some(code) = &filter.addressee {
            c = c.add(addressed_to(
                Expr::col(($entity::Entity, $entity::Column::Addressees)),
                code,
                $addressee_kind == Some(OrgKind::MemberState),
            ));
        }
        c
    }};
}

/// `column` names `code`, or all member states when `member_state`.
fn addressed_to(column: sea_orm::sea_query::Expr, code: &OrgCode, member_state: bool) -> Condition {
    let named = column.clone().like(format!("%\"{code}\"%"));
    if member_state {
        Condition::any()
            .add(column.eq(Addressees::ALL_JSON))
            .add(named)
    } else {
        Condition::all().add(named)
    }
}

impl Reader {
    /// One note, or `NOT_FOUND` if it does not exist or is hidden.
    pub async fn note(&self, id: &str) -> Result<NoteRecord> {
        let not_found = || WorkflowError::NotFound(format!("note {id} not found"));
        let record = match notes::find(&self.conn().await?, id).await? {
            None => return Err(not_found()),
            Some(notes::Found::Unsent(row)) => self.unsent_records(vec![row]).await?,
            Some(notes::Found::Issued(row)) => self.issued_records(vec![row.into()]).await?,
        }
        .pop()
        .ok_or_else(not_found)?;
        if self.sees(&record) {
            Ok(record)
        } else {
            Err(not_found())
        }
    }

    /// The issued note numbered `number` in `year` (the latest year when
    /// `None`), or `NOT_FOUND`.
    pub async fn note_by_number(
        &self,
        number: &NoteNumber,
        year: Option<i32>,
    ) -> Result<NoteRecord> {
        let mut query = note::Entity::find().filter(note::Column::Number.eq(number.to_string()));
        if let Some(year) = year {
            query = query.filter(note::Column::Year.eq(year));
        }
        let row = query
            .order_by_desc(note::Column::Year)
            .into_partial_model::<IssuedRow>()
            .one(&self.conn().await?)
            .await?;
        let not_found = || WorkflowError::NotFound(format!("note {number} not found"));
        let record = self
            .issued_records(row.into_iter().collect())
            .await?
            .pop()
            .ok_or_else(not_found)?;
        if self.sees(&record) {
            Ok(record)
        } else {
            Err(not_found())
        }
    }

    /// The note a change issued, as this viewer sees it (`NOT_FOUND` if
    /// not addressed to the viewer).
    pub fn note_after(&self, after: &NoteAfter) -> Result<NoteRecord> {
        let record = issued_record((*after.row).clone().into(), after.references.clone())?;
        if self.sees(&record) {
            Ok(record)
        } else {
            Err(WorkflowError::NotFound(format!(
                "note {} not found",
                after.id()
            )))
        }
    }

    /// Whether the viewer may see `record`.
    fn sees(&self, record: &NoteRecord) -> bool {
        permissions::can_see_note(self.actor(), record.status, &record.addressees)
    }

    /// The notes the viewer may see that match `filter`, newest first
    /// (by creation), the page `window` asks for.
    pub async fn registry(&self, filter: &NoteFilter, window: &Window) -> Result<NotePage> {
        if let (Some(from), Some(to)) = (filter.date_from, filter.date_to)
            && from > to
        {
            return Err(WorkflowError::bad_input(format!(
                "dateFrom {from} is after dateTo {to}"
            )));
        }
        let pattern = filter
            .text
            .as_deref()
            .map(accord_domain::search_pattern)
            .transpose()?;
        let addressee_kind =
            match &filter.addressee {
                Some(code) => Some(self.organization_kind(code.as_str()).await?.ok_or_else(
                    || {
                        WorkflowError::bad_input(format!(
                            "addressee {code} is not a known organisation"
                        ))
                    },
                )?),
                None => None,
            };
        // A filter naming a draft the viewer may not know of matches
        // nothing, exactly as one naming no draft at all: a note the viewer
        // may read must not tell that such a draft exists.
        let matches_nothing = || window.empty();
        let scope = NoteScope::of(self.actor());
        if scope == NoteScope::Nothing {
            return Ok(matches_nothing());
        }
        if let Some(draft_id) = &filter.draft_id {
            match self.draft(draft_id).await {
                Ok(_) => {}
                Err(WorkflowError::NotFound(_)) => return Ok(matches_nothing()),
                Err(other) => return Err(other),
            }
        }
        let db = &self.conn().await?;

        // Issued notes.
        let wants_issued = filter.status != Some(NoteStatus::Draft);
        let (mut issued, issued_count) = if wants_issued {
            let mut c = filter_condition!(note, filter, pattern.clone(), addressee_kind);
            if let Some(year) = filter.year {
                c = c.add(note::Column::Year.eq(year));
            }
            if let Some(from) = filter.date_from {
                c = c.add(note::Column::Date.gte(from));
            }
            if let Some(to) = filter.date_to {
                c = c.add(note::Column::Date.lte(to));
            }
            if let NoteScope::IssuedTo { org, member_state } = scope {
                c = c.add(addressed_to(
                    Expr::col((note::Entity, note::Column::Addressees)),
                    org,
                    member_state,
                ));
            }
            let count = note::Entity::find().filter(c.clone()).count(db).await?;
            let mut query = note::Entity::find().filter(c);
            if let Some(cursor) = window.cursor() {
                query = query.filter(window.past_id(Order::Desc, note::Column::Id, cursor));
            }
            let rows = query
                .order_by(note::Column::Id, window.order(Order::Desc))
                .limit(window.limit())
                .into_partial_model::<IssuedRow>()
                .all(db)
                .await?;
            (self.issued_records(rows).await?, count)
        } else {
            (Vec::new(), 0)
        };

        // Unsent notes: the Secretariat's only, and undated, so a filter on
        // the year or dates excludes them.
        let wants_unsent = scope == NoteScope::All
            && filter.status != Some(NoteStatus::Issued)
            && filter.year.is_none()
            && filter.date_from.is_none()
            && filter.date_to.is_none();
        let (unsent, unsent_count) = if wants_unsent {
            let c = filter_condition!(note_draft, filter, pattern.clone(), addressee_kind);
            let count = note_draft::Entity::find()
                .filter(c.clone())
                .count(db)
                .await?;
            let mut query = note_draft::Entity::find().filter(c);
            if let Some(cursor) = window.cursor() {
                query = query.filter(window.past_id(Order::Desc, note_draft::Column::Id, cursor));
            }
            let rows = query
                .order_by(note_draft::Column::Id, window.order(Order::Desc))
                .limit(window.limit())
                .all(db)
                .await?;
            (self.unsent_records(rows).await?, count)
        } else {
            (Vec::new(), 0)
        };

        issued.extend(unsent);
        // In the order the window reads the listing (the ids are unique).
        match window.order(Order::Desc) {
            Order::Asc => issued.sort_by(|a, b| a.id.cmp(&b.id)),
            _ => issued.sort_by(|a, b| b.id.cmp(&a.id)),
        }
        Ok(window.cut(issued, issued_count + unsent_count, |n| n.id.clone()))
    }

    /// The notes filed under each draft, oldest first: whoever sees a draft
    /// sees the notes that circulated it; other notes enclosing it only if
    /// they are addressed to the viewer.
    pub async fn notes_of_drafts(
        &self,
        draft_ids: &[String],
    ) -> Result<HashMap<String, Vec<NoteRecord>>> {
        let rows = note::Entity::find()
            .filter(note::Column::DraftId.is_in(draft_ids.iter().cloned()))
            .order_by_asc(note::Column::CreatedAt)
            .order_by_asc(note::Column::Id)
            .into_partial_model::<IssuedRow>()
            .all(&self.conn().await?)
            .await?;
        let mut out: HashMap<String, Vec<NoteRecord>> = HashMap::new();
        for record in self.issued_records(rows).await? {
            if record.purpose != NotePurpose::Circulation && !self.sees(&record) {
                continue;
            }
            if let Some(draft_id) = record.draft_id.clone() {
                out.entry(draft_id).or_default().push(record);
            }
        }
        Ok(out)
    }

    /// The visible notes among `ids`, by id.
    pub async fn notes_by_id(&self, ids: &[String]) -> Result<HashMap<String, NoteRecord>> {
        let issued = note::Entity::find()
            .filter(note::Column::Id.is_in(ids.iter().cloned()))
            .into_partial_model::<IssuedRow>()
            .all(&self.conn().await?)
            .await?;
        let unsent = note_draft::Entity::find()
            .filter(note_draft::Column::Id.is_in(ids.iter().cloned()))
            .all(&self.conn().await?)
            .await?;
        let mut records = self.issued_records(issued).await?;
        records.extend(self.unsent_records(unsent).await?);
        Ok(records
            .into_iter()
            .filter(|r| self.sees(r))
            .map(|r| (r.id.clone(), r))
            .collect())
    }

    /// The visible issued notes citing each of `ids`, oldest first, as
    /// (id, number, date).
    pub async fn referenced_by(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<(String, String, NaiveDate)>>> {
        let links = note_reference::Entity::find()
            .filter(note_reference::Column::ReferencedNoteId.is_in(ids.iter().cloned()))
            .order_by_asc(note_reference::Column::NoteId)
            .all(&self.conn().await?)
            .await?;
        let citing = self
            .notes_by_id(&links.iter().map(|l| l.note_id.clone()).collect::<Vec<_>>())
            .await?;
        let mut out: HashMap<String, Vec<(String, String, NaiveDate)>> = HashMap::new();
        for link in links {
            if let Some(by) = citing.get(&link.note_id)
                && let (Some(number), Some(date)) = (&by.number, by.date)
            {
                out.entry(link.referenced_note_id).or_default().push((
                    by.id.clone(),
                    number.clone(),
                    date,
                ));
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        }
        Ok(out)
    }

    /// The note's text in `lang`: as frozen at issue, or (unsent, or issued
    /// before the registry) composed from the formulae in force.
    /// `frozen` is the note's frozen texts as [`Reader::frozen_texts`]
    /// reads them (`None` for a note with none).
    pub async fn note_text(
        &self,
        record: &NoteRecord,
        frozen: Option<&str>,
        lang: Lang,
    ) -> Result<NoteText> {
        if let Some(raw) = frozen {
            let texts: BTreeMap<Lang, NoteText> = from_json(raw, "texts")?;
            return texts.get(&lang).cloned().ok_or_else(|| {
                WorkflowError::bad_input(format!(
                    "note {} was issued in {} only (a note is written in a language only when every text it carries, its subject, body and enclosed titles, exists in it)",
                    record.number.as_deref().unwrap_or(&record.id),
                    texts
                        .keys()
                        .map(Lang::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
        }
        let db = &self.conn().await?;
        let formulae = notes::formulae(db).await?;
        let corrupt =
            |what: &str| WorkflowError::Corrupt(format!("note {}: bad {what}", record.id));
        let references = record
            .references
            .iter()
            .map(|(_, number, date)| {
                NoteNumber::parse(number)
                    .map(|n| (n, *date))
                    .map_err(|_| corrupt("reference"))
            })
            .collect::<Result<Vec<_>>>()?;
        let draft_title = match (&record.subject, &record.draft_id) {
            (None, Some(draft_id)) => crate::entity::draft::Entity::find_by_id(draft_id.clone())
                .one(db)
                .await?
                .map(|d| from_json::<Texts>(&d.title, "draft title"))
                .transpose()?,
            _ => None,
        };
        let meetings = match (record.purpose, &record.draft_id, record.date) {
            (NotePurpose::Circulation, Some(draft_id), Some(date)) => {
                notes::announced_meetings(db, draft_id, date).await?
            }
            _ => Vec::new(),
        };
        let facts = NoteFacts {
            series: NoteSeries::parse(&record.series).map_err(|_| corrupt("series"))?,
            number: record
                .number
                .as_deref()
                .map(NoteNumber::parse)
                .transpose()
                .map_err(|_| corrupt("number"))?,
            date: record.date,
            place: record.place.clone(),
            purpose: record.purpose,
            addressee_names: notes::addressee_names(db, &record.addressees).await?,
            subject: record.subject.clone(),
            draft_title,
            body: record.body.clone(),
            references,
            enclosures: notes::enclosure_lines(&record.enclosures),
            meetings,
        };
        Ok(accord_domain::compose(&formulae, &facts, lang)?)
    }

    /// The note laid out in `lang` and `format`.
    pub async fn render_note(
        &self,
        record: &NoteRecord,
        lang: Lang,
        format: RenderFormat,
    ) -> Result<String> {
        let frozen = if record.frozen {
            self.frozen_texts(std::slice::from_ref(&record.id))
                .await?
                .remove(&record.id)
        } else {
            None
        };
        self.render_note_from(record, frozen.as_deref(), lang, format)
            .await
    }

    /// [`Reader::render_note`] with the note's frozen texts already read
    /// (by [`Reader::frozen_texts`], for many notes at once).
    pub async fn render_note_from(
        &self,
        record: &NoteRecord,
        frozen: Option<&str>,
        lang: Lang,
        format: RenderFormat,
    ) -> Result<String> {
        let text = self.note_text(record, frozen, lang).await?;
        Ok(accord_domain::render(&text, format))
    }

    /// The texts frozen at issue of the notes among `ids` that have them
    /// (as stored, JSON), by id: read apart from the records, since only
    /// rendering needs them and they are most of a note's bytes.
    pub async fn frozen_texts(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        Ok(note::Entity::find()
            .select_only()
            .columns([note::Column::Id, note::Column::Texts])
            .filter(note::Column::Id.is_in(ids.iter().cloned()))
            .filter(note::Column::Texts.is_not_null())
            .into_tuple::<(String, String)>()
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .collect())
    }

    async fn issued_records(&self, rows: Vec<IssuedRow>) -> Result<Vec<NoteRecord>> {
        // Each note's references joined to the notes they cite, in one
        // statement, in the order cited.
        let links: Vec<(String, String, String, NaiveDate)> = note_reference::Entity::find()
            .select_only()
            .column(note_reference::Column::NoteId)
            .column(note_reference::Column::ReferencedNoteId)
            .column(note::Column::Number)
            .column(note::Column::Date)
            .join(
                JoinType::InnerJoin,
                note_reference::Entity::belongs_to(note::Entity)
                    .from(note_reference::Column::ReferencedNoteId)
                    .to(note::Column::Id)
                    .into(),
            )
            .filter(note_reference::Column::NoteId.is_in(rows.iter().map(|n| n.id.clone())))
            .order_by_asc(note_reference::Column::Position)
            .order_by_asc(note_reference::Column::ReferencedNoteId)
            .into_tuple()
            .all(&self.conn().await?)
            .await?;
        rows.into_iter()
            .map(|row| {
                let references = links
                    .iter()
                    .filter(|(citing, ..)| *citing == row.id)
                    .map(|(_, id, number, date)| (id.clone(), number.clone(), *date))
                    .collect();
                issued_record(row, references)
            })
            .collect()
    }

    async fn unsent_records(&self, rows: Vec<note_draft::Model>) -> Result<Vec<NoteRecord>> {
        let mut cited: Vec<Vec<String>> = Vec::with_capacity(rows.len());
        for row in &rows {
            cited.push(from_json(&row.reference_ids, "references")?);
        }
        let targets = self.targets(cited.iter().flatten().cloned()).await?;
        rows.into_iter()
            .zip(cited)
            .map(|(row, ids)| {
                let corrupt =
                    |what: &str| WorkflowError::Corrupt(format!("note {}: bad {what}", row.id));
                Ok(NoteRecord {
                    status: NoteStatus::Draft,
                    purpose: row.purpose.parse().map_err(|_| corrupt("purpose"))?,
                    addressees: from_json(&row.addressees, "addressees")?,
                    subject: from_json_opt(row.subject.as_deref(), "subject")?,
                    body: from_json_opt(row.body.as_deref(), "body")?,
                    enclosures: from_json(&row.enclosures, "enclosures")?,
                    references: ids
                        .iter()
                        .filter_map(|id| targets.get(id).cloned())
                        .collect(),
                    id: row.id,
                    series: row.series,
                    number: None,
                    year: None,
                    date: None,
                    place: row.place,
                    draft_id: row.draft_id,
                    version: row.version,
                    comments_due_on: row.comments_due_on,
                    revision: Some(row.revision),
                    frozen: false,
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    /// The issued notes with `ids`, as (id, number, date), by id.
    async fn targets(
        &self,
        ids: impl IntoIterator<Item = String>,
    ) -> Result<HashMap<String, (String, String, NaiveDate)>> {
        let ids: Vec<String> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(note::Entity::find()
            .select_only()
            .columns([note::Column::Id, note::Column::Number, note::Column::Date])
            .filter(note::Column::Id.is_in(ids))
            .into_tuple::<(String, String, NaiveDate)>()
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(|(id, number, date)| (id.clone(), (id, number, date)))
            .collect())
    }
}

/// An issued note's row without its frozen texts and search text: what a
/// record holds.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "note::Entity")]
pub(crate) struct IssuedRow {
    id: String,
    series: String,
    year: i32,
    number: String,
    date: NaiveDate,
    place: String,
    purpose: String,
    subject: Option<String>,
    draft_id: Option<String>,
    version: Option<i32>,
    comments_due_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    addressees: Option<String>,
    body: Option<String>,
    enclosures: Option<String>,
    #[sea_orm(from_expr = "Expr::col(note::Column::Texts).is_not_null()")]
    frozen: bool,
}

impl From<note::Model> for IssuedRow {
    fn from(row: note::Model) -> IssuedRow {
        IssuedRow {
            frozen: row.texts.is_some(),
            id: row.id,
            series: row.series,
            year: row.year,
            number: row.number,
            date: row.date,
            place: row.place,
            purpose: row.purpose,
            subject: row.subject,
            draft_id: row.draft_id,
            version: row.version,
            comments_due_on: row.comments_due_on,
            created_at: row.created_at,
            addressees: row.addressees,
            body: row.body,
            enclosures: row.enclosures,
        }
    }
}

/// The record of the issued note `row`, citing `references` (id, number,
/// date) in order.
fn issued_record(
    row: IssuedRow,
    references: Vec<(String, String, NaiveDate)>,
) -> Result<NoteRecord> {
    let corrupt = |what: &str| WorkflowError::Corrupt(format!("note {}: bad {what}", row.id));
    Ok(NoteRecord {
        status: NoteStatus::Issued,
        purpose: row.purpose.parse().map_err(|_| corrupt("purpose"))?,
        addressees: match &row.addressees {
            Some(raw) => from_json(raw, "addressees")?,
            None => Addressees::AllMemberStates,
        },
        subject: from_json_opt(row.subject.as_deref(), "subject")?,
        body: from_json_opt(row.body.as_deref(), "body")?,
        enclosures: match &row.enclosures {
            Some(raw) => from_json(raw, "enclosures")?,
            None => Vec::new(),
        },
        frozen: row.frozen,
        id: row.id,
        series: row.series,
        number: Some(row.number),
        year: Some(row.year),
        date: Some(row.date),
        place: row.place,
        draft_id: row.draft_id,
        version: row.version,
        comments_due_on: row.comments_due_on,
        revision: None,
        references,
        created_at: row.created_at,
    })
}
