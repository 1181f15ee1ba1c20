//! Meetings and decisions in GraphQL: the `Body`, `Meeting`, `AgendaItem`,
//! `Decision` and `Approval` types; the `bodies`, `meeting`, `meetings`,
//! `decision` and `decisions` queries; and the Secretariat's mutations that
//! record meetings, keep their agendas and record decisions. Merged into
//! the root `Query` and `Mutation` by `schema::build`.

use accord_domain::{DecisionNumber, SessionNumber, Texts};
use accord_workflow::meetings::{
    AgendaEntry, AgendaSubject, ApprovalView, Approved, DecisionFilter as DecisionWhere,
    MeetingFilter as MeetingWhere, NewDecision, NewMeeting,
};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::common::{
    DEFAULT_PAGE, LocalizedTextInput, connection, load, reader, run, texts, unexpected, window,
};
use super::enums::{DraftState, Lang, RenderFormat};
use super::loaders::{AgendaOf, DecisionsAt, MeetingById};
use super::objects::{Decision, Draft, Meeting};
use super::scalars::Date;
use super::types::{LocalizedText, localized, text_in};
use crate::error::{Code, GqlResult, coded, internal};

/// What a decision approves.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_workflow::meetings::ApprovalKind")]
pub enum ApprovalKind {
    /// A draft: its agreed text.
    Draft,
    /// A plan, e.g. the Plan of Implementation of CBMs for a year.
    Plan,
    /// Guidelines or rules, e.g. the General Guidelines of 2021.
    Guidelines,
    /// Any other titled document.
    Document,
}

/// A body that meets: `SWG`, `SOC`, `MC` (Ministerial Council), `SUMMIT`.
#[derive(Debug, Clone)]
pub struct Body {
    code: String,
    names: Texts,
}

/// A body that meets, with its name per language.
#[Object]
impl Body {
    /// Its code, e.g. `SOC`.
    async fn code(&self) -> &str {
        &self.code
    }

    /// Its name in `lang`, else English.
    async fn name(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> String {
        text_in(&self.names, lang)
    }

    /// Its name in every language.
    async fn names(&self) -> Vec<LocalizedText> {
        localized(&self.names)
    }
}

/// A meeting of a body (`SWG`, `SOC`, `MC`, `SUMMIT`) on a date, with its
/// agenda and the decisions taken at it.
#[Object]
impl Meeting {
    /// The meeting's id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// The body's code: `SWG`, `SOC`, `MC` or `SUMMIT`.
    async fn body(&self) -> &str {
        &self.body
    }

    /// The body, with its names.
    async fn body_details(&self, ctx: &Context<'_>) -> Result<Body> {
        let record = self.record.get(ctx).await?;
        Ok(Body {
            code: record.body.clone(),
            names: record.body_names.clone(),
        })
    }

    /// The body's name in `lang`, else English.
    async fn body_name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> Result<String> {
        Ok(text_in(&self.record.get(ctx).await?.body_names, lang))
    }

    /// The date.
    async fn date(&self) -> Date {
        Date(self.date)
    }

    /// The session within the year, e.g. `2024-II`.
    async fn session(&self) -> Option<String> {
        use chrono::Datelike;
        let session = u32::try_from(self.session?).ok()?;
        SessionNumber::new(self.date.year(), session)
            .ok()
            .map(|s| s.to_string())
    }

    /// Where it is held (`Astana` unless recorded otherwise).
    async fn venue(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.record.get(ctx).await?.venue.clone())
    }

    /// Its title in `lang`, else English, if it has one.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> Result<Option<String>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .title
            .as_ref()
            .map(|t| text_in(t, lang)))
    }

    /// Its title in every language.
    async fn titles(&self, ctx: &Context<'_>) -> Result<Vec<LocalizedText>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .title
            .as_ref()
            .map(localized)
            .unwrap_or_default())
    }

    /// The agenda in order. An item whose draft the viewer may not see is
    /// left out, and the items shown are numbered 1, 2, 3, …
    async fn agenda(&self, ctx: &Context<'_>) -> Result<Vec<AgendaItem>> {
        Ok(load(ctx, AgendaOf(self.id.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(AgendaItem)
            .collect())
    }

    /// The decisions taken at it, by number.
    async fn decisions(&self, ctx: &Context<'_>) -> Result<Vec<Decision>> {
        Ok(load(ctx, DecisionsAt(self.id.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Decision::new)
            .collect())
    }
}

/// One item of an agenda.
#[derive(Debug, Clone)]
pub struct AgendaItem(AgendaEntry);

/// One item of a meeting's agenda: a draft, or a plain title.
#[Object]
impl AgendaItem {
    /// The item's id (for moving or removing it).
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Its place on the agenda: 1, 2, 3, …
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// A plain item's title, or the draft's title, in `lang`, else English.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> Option<String> {
        match (&self.0.title, &self.0.draft) {
            (Some(title), _) => Some(text_in(title, lang)),
            (None, Some(draft)) => Some(text_in(&draft.title, lang)),
            (None, None) => None,
        }
    }

    /// The draft discussed, if the item is a draft.
    async fn draft(&self) -> Option<Draft> {
        self.0.draft.clone().map(Draft::new)
    }

    /// The draft's current state, if the item is a draft.
    async fn draft_state(&self) -> Option<DraftState> {
        self.0.draft.as_ref().map(|d| d.state.into())
    }
}

/// A numbered decision of a body (the SOC, the Ministerial Council, …),
/// with what it approves.
#[Object]
impl Decision {
    /// The decision's id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// Its number, e.g. `SOC/2024-II/DEC/3`.
    async fn number(&self) -> &str {
        &self.number
    }

    /// The date (the meeting's).
    async fn date(&self) -> Date {
        Date(self.date)
    }

    /// The deciding body's code.
    async fn body(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.record.get(ctx).await?.body.clone())
    }

    /// The session, e.g. `2023-III`.
    async fn session(&self, ctx: &Context<'_>) -> Result<String> {
        let record = self.record.get(ctx).await?;
        let session = u32::try_from(record.session).map_err(|e| internal(&e))?;
        Ok(SessionNumber::new(record.year, session).gql()?.to_string())
    }

    /// The meeting that took it.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Meeting> {
        let meeting_id = self.record.get(ctx).await?.meeting_id.clone();
        let record = load(ctx, MeetingById(meeting_id))
            .await?
            .ok_or_else(|| internal(&"a decision's meeting is missing"))?;
        Ok(Meeting::new(record))
    }

    /// Its title in `lang`, else English; null until set.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> Result<Option<String>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .title
            .as_ref()
            .map(|t| text_in(t, lang)))
    }

    /// Its title in every language.
    async fn titles(&self, ctx: &Context<'_>) -> Result<Vec<LocalizedText>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .title
            .as_ref()
            .map(localized)
            .unwrap_or_default())
    }

    /// Its text in `lang`, else English; null until set.
    async fn text(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> Result<Option<String>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .text
            .as_ref()
            .map(|t| text_in(t, lang)))
    }

    /// Its text in every language.
    async fn texts(&self, ctx: &Context<'_>) -> Result<Vec<LocalizedText>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .text
            .as_ref()
            .map(localized)
            .unwrap_or_default())
    }

    /// The decision in `lang` (the body and its number as a heading, the
    /// place and date, the title, the text), as an HTML document that
    /// prints on A4 in the style of the notes, or as plain text. A decision
    /// lacking its title or text in `lang` is `BAD_USER_INPUT`, naming what
    /// is missing: a printed decision never mixes languages.
    async fn render(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language to render it in (one it was written in).")] lang: Lang,
        #[graphql(desc = "`HTML` (a page that prints on A4) or `TEXT`.")] format: RenderFormat,
    ) -> Result<String> {
        let record = self.record.get(ctx).await?;
        reader(ctx)?
            .render_decision(&record, lang.into(), format.into())
            .await
            .gql()
    }

    /// Where the decision's print-ready PDF in `lang` is served (`GET`
    /// with the same bearer token): `/print/decisions/<id>.pdf?lang=<lang>`.
    async fn pdf_path(&self, #[graphql(desc = "The language of the PDF.")] lang: Lang) -> String {
        crate::print::paths::decision_path(&self.id, lang.into())
    }

    /// The revision `editDecision` compares against.
    async fn revision(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(self.record.get(ctx).await?.revision)
    }

    /// What it approves, in order. A draft the viewer may not see is left
    /// out.
    async fn approvals(&self, ctx: &Context<'_>) -> Result<Vec<Approval>> {
        Ok(self
            .record
            .get(ctx)
            .await?
            .approvals
            .iter()
            .cloned()
            .map(Approval)
            .collect())
    }
}

/// One thing a decision approves.
#[derive(Debug, Clone)]
pub struct Approval(ApprovalView);

/// One thing a decision approves: a draft, or a titled document.
#[Object]
impl Approval {
    /// What kind of thing.
    async fn kind(&self) -> ApprovalKind {
        self.0.kind.into()
    }

    /// A titled document's title, or the draft's title, in `lang`, else
    /// English.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> Option<String> {
        match (&self.0.title, &self.0.draft) {
            (Some(title), _) => Some(text_in(title, lang)),
            (None, Some(draft)) => Some(text_in(&draft.title, lang)),
            (None, None) => None,
        }
    }

    /// The draft approved, for a draft.
    async fn draft(&self) -> Option<Draft> {
        self.0.draft.clone().map(Draft::new)
    }
}

connection! {
    /// A page of meetings, newest first.
    MeetingConnection, MeetingEdge of Meeting {
        total_count: "How many meetings match, in all pages.",
        edges: "The meetings on this page, each with its cursor.",
        nodes: "The meetings on this page.",
        edge: "A meeting on a page, with its cursor.",
        cursor: "The meeting's place in the listing: pass it as `after` or `before`.",
        node: "The meeting.",
    }
}

connection! {
    /// A page of decisions, newest first.
    DecisionConnection, DecisionEdge of Decision {
        total_count: "How many decisions match, in all pages.",
        edges: "The decisions on this page, each with its cursor.",
        nodes: "The decisions on this page.",
        edge: "A decision on a page, with its cursor.",
        cursor: "The decision's place in the listing: pass it as `after` or `before`.",
        node: "The decision.",
    }
}

/// Which meetings to list; every field narrows the list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct MeetingFilter {
    /// The body's code, e.g. SOC.
    pub body: Option<String>,
    /// The year.
    pub year: Option<i32>,
    /// Held on or after this date.
    pub from: Option<Date>,
    /// Held on or before this date.
    pub to: Option<Date>,
}

/// Which decisions to list; every field narrows the list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct DecisionFilter {
    /// The year.
    pub year: Option<i32>,
    /// The session, e.g. 2023-III.
    pub session: Option<String>,
    /// Approving this draft.
    pub approves_draft: Option<ID>,
}

/// The meetings and decisions queries.
#[derive(Debug, Default)]
pub struct MeetingsQuery;

#[Object]
impl MeetingsQuery {
    /// The bodies that meet.
    async fn bodies(&self, ctx: &Context<'_>) -> Result<Vec<Body>> {
        Ok(reader(ctx)?
            .bodies()
            .await
            .gql()?
            .into_iter()
            .map(|(code, names)| Body { code, names })
            .collect())
    }

    /// One meeting; `NOT_FOUND` if it does not exist.
    async fn meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's id.")] id: ID,
    ) -> Result<Meeting> {
        let record = reader(ctx)?.meeting(&id).await.gql()?;
        Ok(Meeting::new(record))
    }

    /// Meetings, newest first (by date); `first` is 1-100 (default 20).
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all the viewer may see when absent.")]
        filter: Option<MeetingFilter>,
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
    ) -> Result<MeetingConnection> {
        let filter = filter.unwrap_or_default();
        let filter = MeetingWhere {
            body: filter.body,
            year: filter.year,
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
        };
        let window = window(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            DEFAULT_PAGE,
        )?;
        let page = reader(ctx)?.meetings_page(&filter, &window).await.gql()?;
        Ok(MeetingConnection::of(page, |m| m.id.clone(), Meeting::new))
    }

    /// One decision, by `id` or by `number` (e.g. SOC/2023-III/DEC/2);
    /// exactly one of them. `NOT_FOUND` if it does not exist; a malformed
    /// number is `BAD_USER_INPUT`.
    async fn decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision's id (give this or `number`).")] id: Option<ID>,
        #[graphql(desc = "The decision's number, e.g. `SOC/2023-III/DEC/2` (give this or `id`).")]
        number: Option<String>,
    ) -> Result<Decision> {
        let reader = reader(ctx)?;
        let record = match (id, number) {
            (Some(id), None) => reader.decision(&id).await.gql()?,
            (None, Some(number)) => {
                let number = DecisionNumber::parse(&number).gql()?;
                reader.decision_by_number(&number).await.gql()?
            }
            _ => {
                return Err(coded(
                    Code::BadUserInput,
                    "give exactly one of id and number",
                ));
            }
        };
        Ok(Decision::new(record))
    }

    /// Decisions, newest first (by date); `first` is 1-100 (default 20).
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all the viewer may see when absent.")]
        filter: Option<DecisionFilter>,
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
    ) -> Result<DecisionConnection> {
        let filter = filter.unwrap_or_default();
        let filter = DecisionWhere {
            year: filter.year,
            session: filter
                .session
                .as_deref()
                .map(SessionNumber::parse)
                .transpose()
                .gql()?,
            approves_draft: filter.approves_draft.map(|id| id.to_string()),
        };
        let window = window(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            DEFAULT_PAGE,
        )?;
        let page = reader(ctx)?.decisions_page(&filter, &window).await.gql()?;
        Ok(DecisionConnection::of(
            page,
            |d| d.id.clone(),
            Decision::new,
        ))
    }
}

/// A meeting to record.
#[derive(InputObject, Debug, Clone)]
pub struct ScheduleMeetingInput {
    /// The body's code: SWG, SOC, MC or SUMMIT.
    pub body: String,
    /// The date.
    pub date: Date,
    /// The session, e.g. 2024-II; the next of the year when absent.
    pub session: Option<String>,
    /// The venue; Astana when absent.
    pub venue: Option<String>,
    /// A title, e.g. "Special Meeting".
    pub title: Option<Vec<LocalizedTextInput>>,
}

/// A change to a meeting; an absent field stays as it is.
#[derive(InputObject, Debug, Clone)]
pub struct EditMeetingInput {
    /// The meeting.
    pub meeting_id: ID,
    /// The new venue.
    pub venue: Option<String>,
    /// The new title.
    pub title: Option<Vec<LocalizedTextInput>>,
}

/// An item for an agenda: a draft (`draftId`) or a plain `title`.
#[derive(InputObject, Debug, Clone)]
pub struct AddAgendaItemInput {
    /// The meeting.
    pub meeting_id: ID,
    /// The draft to discuss.
    pub draft_id: Option<ID>,
    /// A plain item's title.
    pub title: Option<Vec<LocalizedTextInput>>,
    /// Where: 1 for the top; the end when absent.
    pub position: Option<i32>,
}

/// Moving an agenda item.
#[derive(InputObject, Debug, Clone)]
pub struct MoveAgendaItemInput {
    /// The item.
    pub item_id: ID,
    /// Its new position: 1 for the top.
    pub position: i32,
}

/// Taking an item off its agenda.
#[derive(InputObject, Debug, Clone)]
pub struct RemoveAgendaItemInput {
    /// The item.
    pub item_id: ID,
}

/// One thing a decision approves: a draft (`draftId`), or a titled
/// document (`kind` PLAN, GUIDELINES or DOCUMENT and `title`).
#[derive(InputObject, Debug, Clone)]
pub struct ApprovalInput {
    /// The draft approved.
    pub draft_id: Option<ID>,
    /// The kind of titled document.
    pub kind: Option<ApprovalKind>,
    /// The titled document's title.
    pub title: Option<Vec<LocalizedTextInput>>,
}

/// A decision to record.
#[derive(InputObject, Debug, Clone)]
pub struct RecordDecisionInput {
    /// The meeting that took it.
    pub meeting_id: ID,
    /// e.g. SOC/2023-III/DEC/2; issued by the server when absent.
    pub number: Option<String>,
    /// Its title.
    pub title: Vec<LocalizedTextInput>,
    /// Its text; blank lines separate paragraphs, and a title between
    /// asterisks (`*…*`) is set in italics (`\*` is an asterisk).
    pub text: Option<Vec<LocalizedTextInput>>,
    /// What it approves, in order.
    pub approves: Option<Vec<ApprovalInput>>,
}

/// A decision's new title and text (both replaced).
#[derive(InputObject, Debug, Clone)]
pub struct EditDecisionInput {
    /// The decision.
    pub decision_id: ID,
    /// The revision the edit was made on; if it is no longer current: CONFLICT.
    pub revision: i32,
    /// The new title.
    pub title: Vec<LocalizedTextInput>,
    /// The new text, as `text` of `recordDecision`; absent removes it.
    pub text: Option<Vec<LocalizedTextInput>>,
}

/// A meeting after a change.
#[derive(SimpleObject)]
pub struct MeetingPayload {
    /// The meeting as it is now.
    pub meeting: Meeting,
}

/// A decision after a change.
#[derive(SimpleObject)]
pub struct DecisionPayload {
    /// The decision as it is now.
    pub decision: Decision,
}

fn bad(message: impl Into<String>) -> async_graphql::Error {
    coded(Code::BadUserInput, message)
}

fn approved(input: ApprovalInput) -> Result<Approved> {
    match (input.draft_id, input.kind, input.title) {
        (Some(id), None | Some(ApprovalKind::Draft), None) => Ok(Approved::Draft(id.to_string())),
        (None, Some(kind), Some(title)) if kind != ApprovalKind::Draft => Ok(Approved::Document {
            kind: kind.into(),
            title: texts(title)?,
        }),
        _ => Err(bad(
            "an approval is either a draftId, or a kind (PLAN, GUIDELINES or DOCUMENT) with a title",
        )),
    }
}

async fn meeting_of(ctx: &Context<'_>, outcome: Outcome) -> Result<MeetingPayload> {
    match outcome {
        Outcome::Meeting { meeting_id } => {
            let record = reader(ctx)?.meeting(&meeting_id).await.gql()?;
            Ok(MeetingPayload {
                meeting: Meeting::new(record),
            })
        }
        other => Err(unexpected(&other)),
    }
}

async fn decision_of(ctx: &Context<'_>, outcome: Outcome) -> Result<DecisionPayload> {
    match outcome {
        Outcome::Decision { decision_id } => Ok(DecisionPayload {
            decision: decision_by_id(ctx, &decision_id).await?,
        }),
        other => Err(unexpected(&other)),
    }
}

/// A decision just written, read back as the viewer sees it.
pub(crate) async fn decision_by_id(ctx: &Context<'_>, id: &str) -> Result<Decision> {
    let record = reader(ctx)?.decision(id).await.gql()?;
    Ok(Decision::new(record))
}

/// The meetings and decisions mutations (Secretariat only).
#[derive(Debug, Default)]
pub struct MeetingsMutation;

#[Object]
impl MeetingsMutation {
    /// Record a meeting of a body on a date (Secretariat). The session is
    /// the next of the body's year unless given; the venue is Astana unless
    /// given. A second meeting of the same body on the same date is
    /// BAD_USER_INPUT.
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ScheduleMeetingInput,
    ) -> Result<MeetingPayload> {
        let command = Command::ScheduleMeeting(NewMeeting {
            body: input.body,
            date: input.date.0,
            session: input
                .session
                .as_deref()
                .map(SessionNumber::parse)
                .transpose()
                .gql()?,
            venue: input.venue,
            title: input.title.map(texts).transpose()?,
        });
        meeting_of(ctx, run(ctx, command).await?).await
    }

    /// Change a meeting's venue or title (Secretariat).
    async fn edit_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditMeetingInput,
    ) -> Result<MeetingPayload> {
        let command = Command::EditMeeting {
            meeting_id: input.meeting_id.to_string(),
            venue: input.venue,
            title: input.title.map(texts).transpose()?,
        };
        meeting_of(ctx, run(ctx, command).await?).await
    }

    /// Put a draft or a titled item on a meeting's agenda (Secretariat).
    /// The draft's state does not change (`openSwgDiscussion` does that).
    async fn add_agenda_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddAgendaItemInput,
    ) -> Result<MeetingPayload> {
        let subject = match (input.draft_id, input.title) {
            (Some(id), None) => AgendaSubject::Draft(id.to_string()),
            (None, Some(title)) => AgendaSubject::Titled(texts(title)?),
            _ => return Err(bad("give exactly one of draftId and title")),
        };
        let command = Command::AddAgendaItem {
            meeting_id: input.meeting_id.to_string(),
            subject,
            position: input.position,
        };
        meeting_of(ctx, run(ctx, command).await?).await
    }

    /// Move an agenda item to another position (Secretariat); the others
    /// close up.
    async fn move_agenda_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: MoveAgendaItemInput,
    ) -> Result<MeetingPayload> {
        let command = Command::MoveAgendaItem {
            item_id: input.item_id.to_string(),
            position: input.position,
        };
        meeting_of(ctx, run(ctx, command).await?).await
    }

    /// Take an item off its agenda (Secretariat); the others close up.
    async fn remove_agenda_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RemoveAgendaItemInput,
    ) -> Result<MeetingPayload> {
        let command = Command::RemoveAgendaItem {
            item_id: input.item_id.to_string(),
        };
        meeting_of(ctx, run(ctx, command).await?).await
    }

    /// Record a decision taken at a meeting (Secretariat), numbered
    /// `<BODY>/<year>-<session>/DEC/<n>` (the next of the session when no
    /// number is given). The SWG takes no decisions.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordDecisionInput,
    ) -> Result<DecisionPayload> {
        let command = Command::RecordDecision(NewDecision {
            meeting_id: input.meeting_id.to_string(),
            number: input
                .number
                .as_deref()
                .map(DecisionNumber::parse)
                .transpose()
                .gql()?,
            title: texts(input.title)?,
            text: input.text.map(texts).transpose()?,
            approves: input
                .approves
                .unwrap_or_default()
                .into_iter()
                .map(approved)
                .collect::<Result<_>>()?,
        });
        decision_of(ctx, run(ctx, command).await?).await
    }

    /// Replace a decision's title and text (Secretariat), e.g. to give a
    /// decision recorded with the SOC's agreement its wording. The number,
    /// date, meeting and approvals never change.
    async fn edit_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditDecisionInput,
    ) -> Result<DecisionPayload> {
        let command = Command::EditDecision {
            decision_id: input.decision_id.to_string(),
            revision: input.revision,
            title: texts(input.title)?,
            text: input.text.map(texts).transpose()?,
        };
        decision_of(ctx, run(ctx, command).await?).await
    }
}
