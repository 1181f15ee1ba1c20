//! The root mutation: each field parses its input into a workflow
//! [`Command`], lets the engine decide and carry it out, and reads the
//! result back as the viewer sees it.

use accord_domain::{
    Anchor, Content, ContentHash, DecisionNumber, Item, NoteNumber, NoteSeries, OrgCode,
};
use accord_workflow::written::{CommentAfter, DraftAfter};
use accord_workflow::{Action, Command, NewComment, NewDraft, Outcome, Proposal};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::common::{LocalizedTextInput, note_numbers, reader, run, texts, unexpected};
use super::enums::{ProposalOperation, ProposalResolution};
use super::meetings::decision_by_id;
use super::objects::{Decision, Draft, Note};
use super::scalars::Date;
use super::stances::{CirculateCompilationInput, RecordObjectionWithdrawnInput, RecordStanceInput};
use super::types::{Comment, Signature};
use crate::error::{GqlResult, internal};

/// Every mutation and the permission-table action it performs. A test
/// checks that the schema has no mutation missing here and that each
/// action has a row in the table.
pub const MUTATIONS: &[(&str, Action)] = &[
    ("createDraft", Action::CreateDraft),
    ("reviseDraft", Action::Revise),
    ("circulateDraft", Action::Circulate),
    ("addComment", Action::Comment),
    ("editComment", Action::EditComment),
    ("withdrawComment", Action::WithdrawComment),
    ("resolveProposal", Action::ResolveProposal),
    ("openSwgDiscussion", Action::OpenSwgDiscussion),
    ("recordSocAgreement", Action::RecordSocAgreement),
    ("recordBodyDecision", Action::RecordBodyDecision),
    ("putUnderSilence", Action::PutUnderSilence),
    ("signDraft", Action::Sign),
    ("withdrawDraft", Action::Withdraw),
    ("recordStance", Action::RecordStance),
    ("recordObjectionWithdrawn", Action::RecordObjectionWithdrawn),
    ("circulateCompilation", Action::CirculateCompilation),
    ("continueNoteSeries", Action::ContinueNoteSeries),
    ("createNote", Action::CreateNote),
    ("editNote", Action::EditNote),
    ("issueNote", Action::IssueNote),
    ("scheduleMeeting", Action::ScheduleMeeting),
    ("editMeeting", Action::EditMeeting),
    ("addAgendaItem", Action::AddAgendaItem),
    ("moveAgendaItem", Action::MoveAgendaItem),
    ("removeAgendaItem", Action::RemoveAgendaItem),
    ("recordDecision", Action::RecordDecision),
    ("editDecision", Action::EditDecision),
    ("uploadFile", Action::UploadFile),
    ("createPlan", Action::CreatePlan),
    ("editPlan", Action::EditPlan),
    ("addEvent", Action::AddEvent),
    ("editEvent", Action::EditEvent),
    ("moveEvent", Action::MoveEvent),
    ("rebaseEvent", Action::RebaseEvent),
    ("setEventStatus", Action::SetEventStatus),
    ("adoptSubmissionRule", Action::AdoptSubmissionRule),
    ("recordSubmission", Action::RecordSubmission),
    ("draftReminder", Action::DraftReminder),
    ("createCalendarFeed", Action::CreateCalendarFeed),
    ("revokeCalendarFeed", Action::RevokeCalendarFeed),
    ("defineRoute", Action::DefineRoute),
    ("publishRoute", Action::PublishRoute),
    ("delegateSigning", Action::DelegateSigning),
    ("revokeSigningDelegation", Action::RevokeSigningDelegation),
];

/// One paragraph or table row; the anchor is stable across versions (e.g. item-3).
#[derive(InputObject, Debug, Clone)]
pub struct ItemInput {
    /// The stable anchor.
    pub anchor: String,
    /// The texts.
    pub texts: Vec<LocalizedTextInput>,
}

/// A new draft.
#[derive(InputObject, Debug, Clone)]
pub struct CreateDraftInput {
    /// The kind of document, e.g. ACTION_PLAN.
    pub kind: String,
    /// The title.
    pub title: Vec<LocalizedTextInput>,
    /// Organisation codes whose Secretaries General must sign, e.g. ["CICA", "SCO"].
    pub signatories: Vec<String>,
    /// The first version's items.
    pub items: Vec<ItemInput>,
}

/// A new version.
#[derive(InputObject, Debug, Clone)]
pub struct ReviseDraftInput {
    /// The draft.
    pub draft_id: ID,
    /// The version this edit was made on; if it is no longer the current one: CONFLICT.
    pub base_version: i32,
    /// The new version's items.
    pub items: Vec<ItemInput>,
    /// What changed.
    pub change_summary: Option<String>,
    /// Proposals this version accommodates; each becomes ACCOMMODATED.
    pub accommodates: Option<Vec<ID>>,
}

/// Circulation by note verbale.
#[derive(InputObject, Debug, Clone)]
pub struct CirculateDraftInput {
    /// The draft.
    pub draft_id: ID,
    /// Note verbale series, e.g. PAR; the number is issued by the server.
    pub series: String,
    /// The note's subject.
    pub subject: Option<Vec<LocalizedTextInput>>,
    /// Earlier notes this one refers to, by number, e.g. ["PAR/361"].
    pub references: Option<Vec<String>>,
    /// Until when comments are invited.
    pub comments_due_on: Option<Date>,
}

/// An amendment.
#[derive(InputObject, Debug, Clone)]
pub struct ProposalInput {
    /// What it does to the item.
    pub operation: ProposalOperation,
    /// The proposed text; required unless deleting.
    pub texts: Option<Vec<LocalizedTextInput>>,
}

/// A comment or proposal.
#[derive(InputObject, Debug, Clone)]
pub struct AddCommentInput {
    /// The draft.
    pub draft_id: ID,
    /// The version commented on.
    pub version: i32,
    /// An item anchor; absent means the draft as a whole.
    pub anchor: Option<String>,
    /// The text.
    pub body: String,
    /// Present for a proposal (amendment) to the anchored item.
    pub proposal: Option<ProposalInput>,
}

/// A change to one's own comment.
#[derive(InputObject, Debug, Clone)]
pub struct EditCommentInput {
    /// The comment.
    pub comment_id: ID,
    /// The new text.
    pub body: String,
}

/// Taking back one's own comment.
#[derive(InputObject, Debug, Clone)]
pub struct WithdrawCommentInput {
    /// The comment.
    pub comment_id: ID,
}

/// A disposition of a proposal.
#[derive(InputObject, Debug, Clone)]
pub struct ResolveProposalInput {
    /// The proposal.
    pub comment_id: ID,
    /// The disposition.
    pub resolution: ProposalResolution,
    /// The Secretariat's reply.
    pub reply: Option<String>,
}

/// Putting a draft on an SWG meeting's agenda.
#[derive(InputObject, Debug, Clone)]
pub struct OpenSwgDiscussionInput {
    /// The draft.
    pub draft_id: ID,
    /// The meeting's date.
    pub meeting_date: Date,
}

/// The SOC's agreement.
#[derive(InputObject, Debug, Clone)]
pub struct RecordSocAgreementInput {
    /// The draft.
    pub draft_id: ID,
    /// The SOC meeting's date.
    pub meeting_date: Date,
    /// e.g. SOC/2024-II/DEC/3; issued by the server when absent.
    pub decision_number: Option<String>,
}

/// The decision of a body other than the SOC (the Ministerial Council's
/// adoption of a declaration, the Summit's agreement) that the draft's
/// route leads to next.
#[derive(InputObject, Debug, Clone)]
pub struct RecordBodyDecisionInput {
    /// The draft.
    pub draft_id: ID,
    /// The date of that body's meeting.
    pub meeting_date: Date,
    /// e.g. MC/2024-I/DEC/1; issued by the server when absent.
    pub decision_number: Option<String>,
}

/// A signature.
#[derive(InputObject, Debug, Clone)]
pub struct SignDraftInput {
    /// The draft.
    pub draft_id: ID,
    /// The content hash of the agreed version, as the signer saw it.
    pub content_hash: String,
}

/// A withdrawal.
#[derive(InputObject, Debug, Clone)]
pub struct WithdrawDraftInput {
    /// The draft.
    pub draft_id: ID,
    /// Why.
    pub reason: String,
}

/// Continuing a note series from an earlier registry.
#[derive(InputObject, Debug, Clone)]
pub struct ContinueNoteSeriesInput {
    /// The series, e.g. PAR.
    pub series: String,
    /// The calendar year.
    pub year: i32,
    /// The last number already used outside Accord; the next note gets the one after.
    pub last_sequence: i32,
}

/// A draft after a change.
#[derive(SimpleObject, Debug, Clone)]
pub struct DraftPayload {
    /// The draft as it is now.
    pub draft: Draft,
}

/// A draft after circulation.
#[derive(SimpleObject, Debug, Clone)]
pub struct CirculateDraftPayload {
    /// The draft as it is now.
    pub draft: Draft,
    /// The note that circulated it.
    pub note: Note,
}

/// A comment after a change.
#[derive(SimpleObject, Debug, Clone)]
pub struct CommentPayload {
    /// The comment as it is now.
    pub comment: Comment,
}

/// A draft after another body's decision.
#[derive(SimpleObject)]
pub struct RecordBodyDecisionPayload {
    /// The draft as it is now.
    pub draft: Draft,
    /// The decision, numbered in that body's series.
    pub decision: Decision,
}

/// A draft after the SOC's agreement.
#[derive(SimpleObject)]
pub struct RecordSocAgreementPayload {
    /// The draft as it is now.
    pub draft: Draft,
    /// The decision.
    pub decision: Decision,
}

/// A draft after a signature.
#[derive(SimpleObject, Debug, Clone)]
pub struct SignDraftPayload {
    /// The draft as it is now.
    pub draft: Draft,
    /// The new signature.
    pub signature: Signature,
}

/// A continued note series.
#[derive(SimpleObject, Debug, Clone)]
pub struct ContinueNoteSeriesPayload {
    /// The series.
    pub series: String,
    /// The year.
    pub year: i32,
    /// The number the next note of the series will get in that year.
    pub next_number: String,
}

fn content(items: Vec<ItemInput>) -> Result<Content> {
    let items = items
        .into_iter()
        .map(|item| {
            Ok(Item {
                anchor: Anchor::parse(&item.anchor).gql()?,
                texts: texts(item.texts)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Content::new(items).gql()
}

/// The root mutation.
#[derive(Debug, Default)]
pub struct Mutation;

async fn draft(ctx: &Context<'_>, id: &str) -> Result<Draft> {
    Ok(Draft::new(reader(ctx)?.draft(id).await.gql()?))
}

/// The draft as the change left it, as the viewer sees it: not read back.
fn draft_after(ctx: &Context<'_>, after: &DraftAfter) -> Result<Draft> {
    Ok(Draft::new(reader(ctx)?.draft_after(after).gql()?))
}

/// The answer of a command that changes a draft: the draft as the change
/// left it, as the viewer sees it.
fn draft_payload(ctx: &Context<'_>, outcome: Outcome) -> Result<DraftPayload> {
    match outcome {
        Outcome::Draft { after, .. } => Ok(DraftPayload {
            draft: draft_after(ctx, &after)?,
        }),
        other => Err(unexpected(&other)),
    }
}

/// A decision number as given, checked; `None` when the server is to
/// issue the next one.
fn decision_number(given: Option<&str>) -> Result<Option<DecisionNumber>> {
    given.map(DecisionNumber::parse).transpose().gql()
}

/// What a recorded decision on a draft answers: the draft and the
/// decision.
async fn decided(ctx: &Context<'_>, outcome: Outcome) -> Result<(Draft, Decision)> {
    match outcome {
        Outcome::Agreed {
            draft_id,
            decision_id,
        } => Ok((
            draft(ctx, &draft_id).await?,
            decision_by_id(ctx, &decision_id).await?,
        )),
        other => Err(unexpected(&other)),
    }
}

/// The comment as the change left it, as the viewer sees it: not read back.
fn comment_after(ctx: &Context<'_>, after: &CommentAfter) -> Result<Comment> {
    let (view, draft) = reader(ctx)?.comment_after(after).gql()?;
    Ok(Comment::new(view, draft.current_version))
}

#[Object(name = "DraftsMutation")]
impl Mutation {
    /// Start a draft (Secretariat). It is internal (DRAFTING) until circulated.
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateDraftInput,
    ) -> Result<DraftPayload> {
        let signatories = input
            .signatories
            .iter()
            .map(|s| OrgCode::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        let command = Command::CreateDraft(NewDraft {
            kind: input.kind,
            title: texts(input.title)?,
            signatories,
            content: content(input.items)?,
        });
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Add a version made on `baseVersion` (Secretariat).
    async fn revise_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ReviseDraftInput,
    ) -> Result<DraftPayload> {
        let command = Command::ReviseDraft {
            draft_id: input.draft_id.to_string(),
            base_version: input.base_version,
            content: content(input.items)?,
            change_summary: input.change_summary,
            accommodates: input
                .accommodates
                .unwrap_or_default()
                .into_iter()
                .map(|id| id.to_string())
                .collect(),
        };
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Circulate the current version to member states by a new note verbale (Secretariat).
    async fn circulate_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CirculateDraftInput,
    ) -> Result<CirculateDraftPayload> {
        let command = Command::CirculateDraft {
            draft_id: input.draft_id.to_string(),
            series: NoteSeries::parse(&input.series).gql()?,
            subject: input.subject.map(texts).transpose()?,
            references: note_numbers(input.references)?,
            comments_due_on: input.comments_due_on.map(|d| d.0),
        };
        match run(ctx, command).await? {
            Outcome::Circulated { after, note, .. } => Ok(CirculateDraftPayload {
                draft: draft_after(ctx, &after)?,
                note: Note::new(reader(ctx)?.note_after(&note).gql()?),
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Comment on, or propose an amendment to, the current version. The
    /// comment speaks for the viewer's own organisation.
    async fn add_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddCommentInput,
    ) -> Result<CommentPayload> {
        let command = Command::AddComment(NewComment {
            draft_id: input.draft_id.to_string(),
            version: input.version,
            anchor: input
                .anchor
                .as_deref()
                .map(Anchor::parse)
                .transpose()
                .gql()?,
            body: input.body,
            proposal: input
                .proposal
                .map(|p| {
                    Ok::<_, async_graphql::Error>(Proposal {
                        operation: p.operation.into(),
                        texts: p.texts.map(texts).transpose()?,
                    })
                })
                .transpose()?,
        });
        match run(ctx, command).await? {
            Outcome::Comment { after, .. } => Ok(CommentPayload {
                comment: comment_after(ctx, &after)?,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Change the text of one's own unresolved comment.
    async fn edit_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: EditCommentInput,
    ) -> Result<CommentPayload> {
        let command = Command::EditComment {
            comment_id: input.comment_id.to_string(),
            body: input.body,
        };
        match run(ctx, command).await? {
            Outcome::Comment { after, .. } => Ok(CommentPayload {
                comment: comment_after(ctx, &after)?,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Take back one's own unresolved comment.
    async fn withdraw_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: WithdrawCommentInput,
    ) -> Result<CommentPayload> {
        let command = Command::WithdrawComment {
            comment_id: input.comment_id.to_string(),
        };
        match run(ctx, command).await? {
            Outcome::Comment { after, .. } => Ok(CommentPayload {
                comment: comment_after(ctx, &after)?,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Answer a proposal (Secretariat).
    async fn resolve_proposal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ResolveProposalInput,
    ) -> Result<CommentPayload> {
        let command = Command::ResolveProposal {
            comment_id: input.comment_id.to_string(),
            resolution: input.resolution.into(),
            reply: input.reply,
        };
        match run(ctx, command).await? {
            Outcome::Comment { after, .. } => Ok(CommentPayload {
                comment: comment_after(ctx, &after)?,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Put a circulated draft on the agenda of the SWG meeting on a date (Secretariat).
    async fn open_swg_discussion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: OpenSwgDiscussionInput,
    ) -> Result<DraftPayload> {
        let command = Command::OpenSwgDiscussion {
            draft_id: input.draft_id.to_string(),
            meeting_date: input.meeting_date.0,
        };
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Record the SOC's decision on the draft (agreement, or approval or
    /// adoption where its route says so); the current version is frozen
    /// (Secretariat).
    async fn record_soc_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordSocAgreementInput,
    ) -> Result<RecordSocAgreementPayload> {
        let command = Command::RecordSocAgreement {
            draft_id: input.draft_id.to_string(),
            meeting_date: input.meeting_date.0,
            decision_number: decision_number(input.decision_number.as_deref())?,
        };
        let (draft, decision) = decided(ctx, run(ctx, command).await?).await?;
        Ok(RecordSocAgreementPayload { draft, decision })
    }

    /// Record the decision of the body other than the SOC that the draft's
    /// route leads to next (the Ministerial Council's adoption, …),
    /// numbered in that body's series; the current version is frozen
    /// (Secretariat).
    async fn record_body_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordBodyDecisionInput,
    ) -> Result<RecordBodyDecisionPayload> {
        let command = Command::RecordBodyDecision {
            draft_id: input.draft_id.to_string(),
            meeting_date: input.meeting_date.0,
            decision_number: decision_number(input.decision_number.as_deref())?,
        };
        let (draft, decision) = decided(ctx, run(ctx, command).await?).await?;
        Ok(RecordBodyDecisionPayload { draft, decision })
    }

    /// Sign the agreed text for one's organisation (Secretary General).
    async fn sign_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SignDraftInput,
    ) -> Result<SignDraftPayload> {
        let command = Command::SignDraft {
            draft_id: input.draft_id.to_string(),
            content_hash: ContentHash::parse(&input.content_hash).gql()?,
        };
        match run(ctx, command).await? {
            Outcome::Signed { draft_id } => {
                let org = reader(ctx)?.actor().org().to_string();
                let draft = draft(ctx, &draft_id).await?;
                let signature = draft
                    .0
                    .signatures
                    .iter()
                    .find(|s| s.org_code == org)
                    .cloned()
                    .ok_or_else(|| internal(&"the signature vanished"))?;
                Ok(SignDraftPayload {
                    draft,
                    signature: Signature(signature),
                })
            }
            other => Err(unexpected(&other)),
        }
    }

    /// Withdraw a draft for good, with a reason (Secretariat).
    async fn withdraw_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: WithdrawDraftInput,
    ) -> Result<DraftPayload> {
        let command = Command::WithdrawDraft {
            draft_id: input.draft_id.to_string(),
            reason: input.reason,
        };
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Continue a note series from an earlier (paper) registry, so that
    /// Accord's numbers follow on without a clash (Secretariat).
    async fn continue_note_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ContinueNoteSeriesInput,
    ) -> Result<ContinueNoteSeriesPayload> {
        let series = NoteSeries::parse(&input.series).gql()?;
        let last = u32::try_from(input.last_sequence).map_err(|_| {
            crate::error::coded(
                crate::error::Code::BadUserInput,
                "lastSequence must be positive",
            )
        })?;
        let command = Command::ContinueNoteSeries {
            series: series.clone(),
            year: input.year,
            last_sequence: last,
        };
        run(ctx, command).await?;
        Ok(ContinueNoteSeriesPayload {
            next_number: NoteNumber::new(series.clone(), last + 1).gql()?.to_string(),
            series: series.to_string(),
            year: input.year,
        })
    }

    /// Record your member state's stance on the version under
    /// consideration (member-state delegates); it replaces the state's
    /// earlier stance on that version. A new version asks again.
    async fn record_stance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordStanceInput,
    ) -> Result<DraftPayload> {
        let command = Command::RecordStance(accord_workflow::stances::NewStance {
            draft_id: input.draft_id.to_string(),
            version: input.version,
            stance: input.stance.into(),
            text: input.text,
        });
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Record that a member state withdrew its objection at a meeting
    /// (Secretariat), so that the SOC may agree the version.
    async fn record_objection_withdrawn(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordObjectionWithdrawnInput,
    ) -> Result<DraftPayload> {
        let command = Command::RecordObjectionWithdrawn {
            draft_id: input.draft_id.to_string(),
            version: input.version,
            member_state: input.member_state,
            remark: input.remark,
        };
        draft_payload(ctx, run(ctx, command).await?)
    }

    /// Circulate a version's compilation of proposals by issuing its
    /// covering note (Secretariat). From then on every member state reads
    /// every state's proposals on that version and their dispositions.
    async fn circulate_compilation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CirculateCompilationInput,
    ) -> Result<CirculateDraftPayload> {
        let command = Command::CirculateCompilation {
            draft_id: input.draft_id.to_string(),
            version: input.version,
            note_id: input.note_id.to_string(),
            revision: input.revision,
        };
        match run(ctx, command).await? {
            Outcome::Circulated { after, note, .. } => Ok(CirculateDraftPayload {
                draft: draft_after(ctx, &after)?,
                note: Note::new(reader(ctx)?.note_after(&note).gql()?),
            }),
            other => Err(unexpected(&other)),
        }
    }
}
