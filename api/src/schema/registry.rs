//! The registry of notes verbales in GraphQL: the `Note` type, the
//! `note`, `noteByNumber` and `notes` queries, and the `createNote`,
//! `editNote` and `issueNote` mutations. Merged into the root `Query` and
//! `Mutation` by `schema::build`.

use accord_domain::{Addressees, Enclosed, Enclosure, NoteNumber, NoteSeries, OrgCode, Texts};
use accord_workflow::registry::NoteFilter as Filter;
use accord_workflow::{Command, NewNote, Outcome};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::common::{
    DEFAULT_PAGE, LocalizedTextInput, connection, load, note_numbers, reader, run, texts,
    unexpected, window,
};
use super::enums::{Lang, NotePurpose, NoteStatus, RenderFormat};
use super::loaders::{CitingNotes, FrozenTexts, NoteById};
use super::objects::{Draft, Note};
use super::scalars::{Date, DateTime};
use super::types::{LocalizedText, Organization, localized, organization, text_in};
use crate::error::{Code, GqlResult, coded};

/// An earlier note cited, or a later note citing this one.
#[derive(Debug, Clone)]
pub struct NoteReference {
    id: String,
    number: String,
    date: chrono::NaiveDate,
}

/// An earlier note cited, or a later note citing this one.
#[Object]
impl NoteReference {
    /// Its number, e.g. `PAR/361`.
    async fn number(&self) -> &str {
        &self.number
    }

    /// Its date.
    async fn date(&self) -> Date {
        Date(self.date)
    }

    /// The note itself, when the viewer may see it.
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<Note>> {
        Ok(load(ctx, NoteById(self.id.clone())).await?.map(Note::new))
    }
}

/// To whom a note is addressed.
#[derive(Debug, Clone)]
pub struct NoteAddressees(Addressees);

/// To whom a note is addressed: all member states, or named organisations.
#[Object]
impl NoteAddressees {
    /// Whether it is addressed to every member state.
    async fn all_member_states(&self) -> bool {
        matches!(self.0, Addressees::AllMemberStates)
    }

    /// The organisations named (empty when addressed to all member states).
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let Addressees::Organizations(codes) = &self.0 else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            out.push(organization(ctx, code.as_str()).await?);
        }
        Ok(out)
    }
}

/// Something a note encloses, and its length.
#[derive(Debug, Clone)]
pub struct NoteEnclosure(Enclosure);

/// Something a note encloses: a version of a draft, or a titled document.
#[Object]
impl NoteEnclosure {
    /// Its length in pages ("on 4 p.").
    async fn pages(&self) -> i32 {
        i32::try_from(self.0.pages()).unwrap_or(i32::MAX)
    }

    /// The title of an enclosed document in `lang`; null for a draft version.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> Option<String> {
        match self.0.enclosed() {
            Enclosed::Document { title } => Some(text_in(title, lang)),
            Enclosed::DraftVersion { .. } => None,
        }
    }

    /// The enclosed draft, when the viewer may see it.
    async fn draft(&self, ctx: &Context<'_>) -> Result<Option<Draft>> {
        match self.0.enclosed() {
            Enclosed::DraftVersion { draft_id, .. } => visible_draft(ctx, draft_id).await,
            Enclosed::Document { .. } => Ok(None),
        }
    }

    /// The enclosed version of the draft.
    async fn version(&self) -> Option<i32> {
        match self.0.enclosed() {
            Enclosed::DraftVersion { version, .. } => Some(*version),
            Enclosed::Document { .. } => None,
        }
    }
}

/// The draft `id` if the viewer may see it, else `None`.
async fn visible_draft(ctx: &Context<'_>, id: &str) -> Result<Option<Draft>> {
    match reader(ctx)?.draft(id).await {
        Ok(view) => Ok(Some(Draft::new(view))),
        Err(accord_workflow::WorkflowError::NotFound(_)) => Ok(None),
        Err(error) => Err(crate::error::from_workflow(error)),
    }
}

/// A note verbale of the Secretariat.
#[Object]
impl Note {
    /// The note's id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Written (DRAFT) or sent (ISSUED).
    async fn status(&self) -> NoteStatus {
        self.0.status.into()
    }

    /// The series, e.g. `PAR`.
    async fn series(&self) -> &str {
        &self.0.series
    }

    /// The note's number: series and per-year sequence, e.g. `PAR/713`;
    /// null until issued.
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }

    /// The year of the number; null until issued.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }

    /// The note's date (Astana); null until issued.
    async fn date(&self) -> Option<Date> {
        self.0.date.map(Date)
    }

    /// Where the note is dated, e.g. `Astana`.
    async fn place(&self) -> &str {
        &self.0.place
    }

    /// Why it is sent.
    async fn purpose(&self) -> NotePurpose {
        self.0.purpose.into()
    }

    /// To whom it is addressed.
    async fn addressees(&self) -> NoteAddressees {
        NoteAddressees(self.0.addressees.clone())
    }

    /// The subject in `lang`, else English, else the first language given.
    async fn subject(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> Option<String> {
        self.0.subject.as_ref().map(|s| text_in(s, lang))
    }

    /// The subject in every language given.
    async fn subjects(&self) -> Vec<LocalizedText> {
        self.0.subject.as_ref().map(localized).unwrap_or_default()
    }

    /// The body as written (the paragraphs between the opening and closing
    /// formulae) in `lang`, else English, else the first language given;
    /// null for circulation notes, whose opening says it all.
    async fn body(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> Option<String> {
        self.0.body.as_ref().map(|b| text_in(b, lang))
    }

    /// The body in every language given.
    async fn bodies(&self) -> Vec<LocalizedText> {
        self.0.body.as_ref().map(localized).unwrap_or_default()
    }

    /// The version it circulated (or its first enclosed draft version).
    async fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// The draft it circulated (or its first enclosed draft), when the
    /// viewer may see it.
    async fn draft(&self, ctx: &Context<'_>) -> Result<Option<Draft>> {
        match &self.0.draft_id {
            Some(id) => visible_draft(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Until when comments are invited.
    async fn comments_due_on(&self) -> Option<Date> {
        self.0.comments_due_on.map(Date)
    }

    /// Earlier notes it refers to, newest first.
    async fn references(&self) -> Vec<NoteReference> {
        self.0
            .references
            .iter()
            .map(|(id, number, date)| NoteReference {
                id: id.clone(),
                number: number.clone(),
                date: *date,
            })
            .collect()
    }

    /// Later notes the viewer may see that refer to this one, oldest first.
    async fn referenced_by(&self, ctx: &Context<'_>) -> Result<Vec<NoteReference>> {
        Ok(load(ctx, CitingNotes(self.0.id.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|(id, number, date)| NoteReference { id, number, date })
            .collect())
    }

    /// What it encloses.
    async fn enclosures(&self) -> Vec<NoteEnclosure> {
        self.0
            .enclosures
            .iter()
            .cloned()
            .map(NoteEnclosure)
            .collect()
    }

    /// The revision `editNote` and `issueNote` must name; null once issued.
    async fn revision(&self) -> Option<i32> {
        self.0.revision
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// The whole note in `lang` (letterhead, number, opening compliments,
    /// body, enclosures, closing assurances, place and date, addressees),
    /// as an HTML document that prints on A4, or as plain text. An issued
    /// note renders as it was issued; an unsent one with the formulae in
    /// force.
    async fn render(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language to render it in (one it was written in).")] lang: Lang,
        #[graphql(desc = "`HTML` (a page that prints on A4) or `TEXT`.")] format: RenderFormat,
    ) -> Result<String> {
        let frozen = if self.0.frozen {
            load(ctx, FrozenTexts(self.0.id.clone())).await?
        } else {
            None
        };
        reader(ctx)?
            .render_note_from(&self.0, frozen.as_deref(), lang.into(), format.into())
            .await
            .gql()
    }

    /// Where the note's print-ready PDF in `lang` is served (`GET` with the
    /// same bearer token): `/print/notes/<id>.pdf?lang=<lang>`.
    async fn pdf_path(&self, #[graphql(desc = "The language of the PDF.")] lang: Lang) -> String {
        crate::print::paths::note_path(&self.0.id, lang.into())
    }
}

connection! {
    /// A page of notes verbales, newest first.
    NoteConnection, NoteEdge of Note {
        total_count: "How many notes match, in all pages.",
        edges: "The notes on this page, each with its cursor.",
        nodes: "The notes on this page.",
        edge: "A note on a page, with its cursor.",
        cursor: "The note's place in the listing: pass it as `after` or `before`.",
        node: "The note.",
    }
}

/// What to list; every field given narrows the list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct NoteFilter {
    /// Series, e.g. SOC.
    pub series: Option<String>,
    /// Year of issue.
    pub year: Option<i32>,
    /// Purpose.
    pub purpose: Option<NotePurpose>,
    /// DRAFT or ISSUED.
    pub status: Option<NoteStatus>,
    /// Addressed to this organisation, e.g. KAZ (a member state also gets
    /// the notes to all member states).
    pub addressee: Option<String>,
    /// Circulating or enclosing this draft.
    pub draft_id: Option<ID>,
    /// Issued on or after this date.
    pub date_from: Option<Date>,
    /// Issued on or before this date.
    pub date_to: Option<Date>,
    /// Words in the subject or body, any language, any case.
    pub text: Option<String>,
}

/// The notes queries.
#[derive(Debug, Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// One note; `NOT_FOUND` if it does not exist or the viewer may not see
    /// it (unsent notes are the Secretariat's; others see issued notes
    /// addressed to them).
    async fn note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The note's id.")] id: ID,
    ) -> Result<Note> {
        Ok(Note::new(reader(ctx)?.note(&id).await.gql()?))
    }

    /// The issued note with `number` (e.g. `SOC/19`) of `year` (the latest
    /// year when absent).
    async fn note_by_number(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The note's number, e.g. `SOC/19`.")] number: String,
        #[graphql(
            desc = "The year it was issued in; the latest year with that number when absent."
        )]
        year: Option<i32>,
    ) -> Result<Note> {
        let number = NoteNumber::parse(&number).gql()?;
        Ok(Note::new(
            reader(ctx)?.note_by_number(&number, year).await.gql()?,
        ))
    }

    /// The notes the viewer may see, newest first; `first` is 1-100
    /// (default 20).
    async fn notes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all the viewer may see when absent.")]
        filter: Option<NoteFilter>,
        #[graphql(
            desc = "How many to return from the start (or after `after`): 1 to 100 (default 20)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the ones after this cursor (a page's `endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "How many to return from the end (or before `before`): 1 to 100.")]
        last: Option<i32>,
        #[graphql(
            desc = "Return the ones before this cursor (a page's `startCursor`), with `last`."
        )]
        before: Option<String>,
    ) -> Result<NoteConnection> {
        let filter = filter.unwrap_or_default();
        let filter = Filter {
            series: filter
                .series
                .as_deref()
                .map(NoteSeries::parse)
                .transpose()
                .gql()?,
            year: filter.year,
            purpose: filter.purpose.map(Into::into),
            status: filter.status.map(Into::into),
            addressee: filter
                .addressee
                .as_deref()
                .map(OrgCode::parse)
                .transpose()
                .gql()?,
            draft_id: filter.draft_id.map(|id| id.to_string()),
            date_from: filter.date_from.map(|d| d.0),
            date_to: filter.date_to.map(|d| d.0),
            text: filter.text,
        };
        let window = window(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            DEFAULT_PAGE,
        )?;
        let page = reader(ctx)?.registry(&filter, &window).await.gql()?;
        Ok(NoteConnection::of(page, |n| n.id.clone(), Note::new))
    }
}

/// An enclosure: either a draft version (`draftId` and `version`) or a
/// titled document (`title`), with its page count.
#[derive(InputObject, Debug, Clone)]
pub struct EnclosureInput {
    /// The enclosed draft.
    pub draft_id: Option<ID>,
    /// The enclosed version of that draft.
    pub version: Option<i32>,
    /// The title of an enclosed document.
    pub title: Option<Vec<LocalizedTextInput>>,
    /// Its length in pages, at least 1.
    pub pages: i32,
}

/// A note verbale's content.
#[derive(InputObject, Debug, Clone)]
pub struct CreateNoteInput {
    /// Note verbale series, e.g. SOC; the number is issued with the note.
    pub series: String,
    /// REMINDER, INVITATION or INFORMATION (circulation notes come from circulateDraft).
    pub purpose: NotePurpose,
    /// Where it is dated; Astana when absent.
    pub place: Option<String>,
    /// Organisation codes; absent for all member states.
    pub addressees: Option<Vec<String>>,
    /// The subject.
    pub subject: Vec<LocalizedTextInput>,
    /// The paragraphs between the opening and closing formulae; blank lines
    /// separate paragraphs, and a title between asterisks (`*…*`) is set in
    /// italics (`\*` is an asterisk).
    pub body: Vec<LocalizedTextInput>,
    /// Earlier notes this one refers to, by number, e.g. ["PAR/361"].
    pub references: Option<Vec<String>>,
    /// What it encloses.
    pub enclosures: Option<Vec<EnclosureInput>>,
}

/// New content for an unsent note.
#[derive(InputObject, Debug, Clone)]
pub struct EditNoteInput {
    /// The note.
    pub note_id: ID,
    /// The revision the edit was made on; if it is no longer current: CONFLICT.
    pub revision: i32,
    /// The new content, replacing the old.
    pub note: CreateNoteInput,
}

/// Issuing a note.
#[derive(InputObject, Debug, Clone)]
pub struct IssueNoteInput {
    /// The note.
    pub note_id: ID,
    /// The revision being issued; if it is no longer current: CONFLICT.
    pub revision: i32,
}

/// A note after a change.
#[derive(SimpleObject, Debug, Clone)]
pub struct NotePayload {
    /// The note as it is now.
    pub note: Note,
}

fn bad(message: impl Into<String>) -> async_graphql::Error {
    coded(Code::BadUserInput, message)
}

fn enclosure(input: EnclosureInput) -> Result<Enclosure> {
    let pages = u32::try_from(input.pages)
        .map_err(|_| bad(format!("pages must be at least 1, not {}", input.pages)))?;
    let enclosed = match (input.draft_id, input.version, input.title) {
        (Some(draft_id), Some(version), None) => Enclosed::DraftVersion {
            draft_id: draft_id.to_string(),
            version,
        },
        (None, None, Some(title)) => Enclosed::Document {
            title: texts(title)?,
        },
        _ => {
            return Err(bad(
                "an enclosure is either a draft version (draftId and version) or a document (title)",
            ));
        }
    };
    Enclosure::new(enclosed, pages).gql()
}

fn new_note(input: CreateNoteInput) -> Result<NewNote> {
    let addressees = match input.addressees {
        None => Addressees::AllMemberStates,
        Some(codes) => Addressees::organizations(
            codes
                .iter()
                .map(|c| OrgCode::parse(c))
                .collect::<Result<Vec<_>, _>>()
                .gql()?,
        )
        .gql()?,
    };
    let body: Texts = texts(input.body).map_err(|error| {
        if input_is_empty(&error) {
            bad("body must not be empty: give the text in at least one language")
        } else {
            error
        }
    })?;
    Ok(NewNote {
        series: NoteSeries::parse(&input.series).gql()?,
        purpose: input.purpose.into(),
        place: input.place,
        addressees,
        subject: texts(input.subject)?,
        body,
        references: note_numbers(input.references)?,
        enclosures: input
            .enclosures
            .unwrap_or_default()
            .into_iter()
            .map(enclosure)
            .collect::<Result<Vec<_>>>()?,
    })
}

fn input_is_empty(error: &async_graphql::Error) -> bool {
    error
        .message
        .contains("the list of texts must not be empty")
}

pub(crate) async fn note_of(ctx: &Context<'_>, outcome: Outcome) -> Result<NotePayload> {
    match outcome {
        Outcome::Note { note_id } => Ok(NotePayload {
            note: Note::new(reader(ctx)?.note(&note_id).await.gql()?),
        }),
        other => Err(unexpected(&other)),
    }
}

/// The notes mutations.
#[derive(Debug, Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Write a note verbale (Secretariat): a reminder, an invitation or an
    /// information. It stays unsent (DRAFT), editable and visible to the
    /// Secretariat only, until issued.
    async fn create_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateNoteInput,
    ) -> Result<NotePayload> {
        let command = Command::CreateNote(new_note(input)?);
        note_of(ctx, run(ctx, command).await?).await
    }

    /// Replace the content of an unsent note (Secretariat). An issued note
    /// is never edited: INVALID_TRANSITION.
    async fn edit_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditNoteInput,
    ) -> Result<NotePayload> {
        let command = Command::EditNote {
            note_id: input.note_id.to_string(),
            revision: input.revision,
            note: new_note(input.note)?,
        };
        note_of(ctx, run(ctx, command).await?).await
    }

    /// Issue an unsent note (Secretariat): it gets the next number of its
    /// series for this year and today's date, and is frozen.
    async fn issue_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: IssueNoteInput,
    ) -> Result<NotePayload> {
        let command = Command::IssueNote {
            note_id: input.note_id.to_string(),
            revision: input.revision,
        };
        note_of(ctx, run(ctx, command).await?).await
    }
}
