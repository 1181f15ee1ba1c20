//! The commands: the closed set of [`Command`]s, one per mutation, and
//! [`Engine::execute`], which dispatches each to the feature that carries
//! it out in one write transaction with its audit record.
//!
//! This is the one module that knows every feature; no feature imports it.
//! So the three draft transitions that also write to another feature are
//! here: circulating a draft issues a note (`notes::issue`), and opening
//! SWG discussion and recording the SOC's agreement put the draft on a
//! meeting's agenda (`meetings::meeting_on`, `meetings::decision_number`).

use accord_domain::{
    Content, ContentHash, DecisionNumber, DecisionVerb, NoteNumber, NoteSeries, ProposalResolution,
    Stage, StageKind, Stance, Texts,
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use tracing::Instrument as _;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::calendar::NewFeed;
use crate::delegations::NewDelegation;
use crate::drafts::{NewComment, NewDraft};
use crate::engine::{Engine, Outcome, check_draft, compare_and_set, destination, moved};
use crate::entity::{draft, meeting, meeting_agenda, note, version};
use crate::error::{Result, WorkflowError};
use crate::meetings::{AgendaSubject, Approved, NewDecision, NewMeeting};
use crate::notes::NewNote;
use crate::permissions::Action;
use crate::plans::{
    EventDetails, EventMove, EventRebase, EventStatusChange, NewEvent, NewPlan, NewRule,
    NewSubmission, PlanChange, ReminderRequest,
};
use crate::routes::NewRoute;
use crate::silence::{Breaking, NewSilence, breaks_silence};
use crate::stances::NewStance;

/// Everything that changes Accord's data. Each variant is one mutation.
#[derive(Debug, Clone)]
pub enum Command {
    /// Start a draft in DRAFTING with version 1.
    CreateDraft(NewDraft),
    /// Add a version made on `base_version`.
    ReviseDraft {
        /// The draft.
        draft_id: String,
        /// The version the edit was made on.
        base_version: i32,
        /// The new content.
        content: Content,
        /// What changed, in a sentence.
        change_summary: Option<String>,
        /// Proposals this version accommodates.
        accommodates: Vec<String>,
    },
    /// Circulate the current version by a new note verbale.
    CirculateDraft {
        /// The draft.
        draft_id: String,
        /// The note's series; the number is issued here.
        series: NoteSeries,
        /// The note's subject.
        subject: Option<Texts>,
        /// Earlier notes referred to.
        references: Vec<NoteNumber>,
        /// Until when comments are invited.
        comments_due_on: Option<NaiveDate>,
    },
    /// Comment on, or propose an amendment to, a version.
    AddComment(NewComment),
    /// Change one's own unresolved comment.
    EditComment {
        /// The comment.
        comment_id: String,
        /// The new text.
        body: String,
    },
    /// Take back one's own unresolved comment.
    WithdrawComment {
        /// The comment.
        comment_id: String,
    },
    /// Answer a proposal.
    ResolveProposal {
        /// The proposal.
        comment_id: String,
        /// The disposition.
        resolution: ProposalResolution,
        /// The Secretariat's reply.
        reply: Option<String>,
    },
    /// Put the draft on the agenda of the SWG meeting on a date.
    OpenSwgDiscussion {
        /// The draft.
        draft_id: String,
        /// The meeting's date.
        meeting_date: NaiveDate,
    },
    /// Record the SOC's agreement by decision; freezes the text.
    RecordSocAgreement {
        /// The draft.
        draft_id: String,
        /// The SOC meeting's date.
        meeting_date: NaiveDate,
        /// The decision's number, or `None` to issue the next one.
        decision_number: Option<DecisionNumber>,
    },
    /// Record the decision of a body other than the SOC that the draft's
    /// route leads to (the Ministerial Council's adoption, …); freezes the
    /// text.
    RecordBodyDecision {
        /// The draft.
        draft_id: String,
        /// The meeting's date.
        meeting_date: NaiveDate,
        /// The decision's number, or `None` to issue the next one.
        decision_number: Option<DecisionNumber>,
    },
    /// Put the circulated version under silence procedure.
    PutUnderSilence(NewSilence),
    /// Sign the agreed text for one's organisation.
    SignDraft {
        /// The draft.
        draft_id: String,
        /// The agreed version's hash, as the signer saw it.
        content_hash: ContentHash,
    },
    /// Withdraw the draft for good.
    WithdrawDraft {
        /// The draft.
        draft_id: String,
        /// Why.
        reason: String,
    },
    /// Record the stance of one's member state on the version under
    /// consideration.
    RecordStance(NewStance),
    /// Record that a member state withdrew its objection at a meeting.
    RecordObjectionWithdrawn {
        /// The draft.
        draft_id: String,
        /// The version objected to.
        version: i32,
        /// The member state, e.g. `KAZ`.
        member_state: String,
        /// e.g. "withdrawn at the SOC meeting of 27 June".
        remark: Option<String>,
    },
    /// Circulate a version's compilation of proposals by issuing the unsent
    /// note `note_id` (at `revision`), addressed to all member states and
    /// enclosing that version.
    CirculateCompilation {
        /// The draft.
        draft_id: String,
        /// The version whose proposals are compiled.
        version: i32,
        /// The covering note, written with `CreateNote`.
        note_id: String,
        /// The note's revision, as last read.
        revision: i32,
    },
    /// Continue a note series from an earlier registry: the next note of
    /// `series` in `year` gets number `last_sequence + 1`.
    ContinueNoteSeries {
        /// The series.
        series: NoteSeries,
        /// The calendar year.
        year: i32,
        /// The last number already used outside Accord.
        last_sequence: u32,
    },
    /// Write a note verbale, unsent until issued.
    CreateNote(NewNote),
    /// Replace the content of an unsent note that is still at `revision`.
    EditNote {
        /// The note.
        note_id: String,
        /// The revision the edit was made on; another one is `CONFLICT`.
        revision: i32,
        /// The new content.
        note: NewNote,
    },
    /// Number, date and send an unsent note that is still at `revision`.
    IssueNote {
        /// The note.
        note_id: String,
        /// The revision being issued; another one is `CONFLICT`.
        revision: i32,
    },
    /// Record a meeting of a body on a date.
    ScheduleMeeting(NewMeeting),
    /// Change a meeting's venue and title; `None` keeps one as it is.
    EditMeeting {
        /// The meeting.
        meeting_id: String,
        /// The new venue.
        venue: Option<String>,
        /// The new title.
        title: Option<Texts>,
    },
    /// Put a draft or a titled item on a meeting's agenda.
    AddAgendaItem {
        /// The meeting.
        meeting_id: String,
        /// What the item is about.
        subject: AgendaSubject,
        /// Where (1 for the top); the end when `None`.
        position: Option<i32>,
    },
    /// Move an agenda item to another position.
    MoveAgendaItem {
        /// The item.
        item_id: String,
        /// Its new position (1 for the top).
        position: i32,
    },
    /// Take an item off its agenda.
    RemoveAgendaItem {
        /// The item.
        item_id: String,
    },
    /// Record a numbered decision taken at a meeting.
    RecordDecision(NewDecision),
    /// Replace a decision's title and text if it is still at `revision`.
    EditDecision {
        /// The decision.
        decision_id: String,
        /// The revision the edit was made on; another one is `CONFLICT`.
        revision: i32,
        /// The new title.
        title: Texts,
        /// The new text; `None` removes it.
        text: Option<Texts>,
    },
    /// Start the Plan of Implementation of a year.
    CreatePlan(NewPlan),
    /// Change a plan's title or approving decision.
    EditPlan(PlanChange),
    /// Add an event to a plan.
    AddEvent(NewEvent),
    /// Change an event's venue or notes.
    EditEvent(EventDetails),
    /// Move an event to new dates, keeping its rules.
    MoveEvent(EventMove),
    /// Recompute an event's due dates under the rules in force today.
    RebaseEvent(EventRebase),
    /// Mark an event postponed, held or cancelled.
    SetEventStatus(EventStatusChange),
    /// Record a submission rule adopted by a decision.
    AdoptSubmissionRule(NewRule),
    /// Record a document received for an event.
    RecordSubmission(NewSubmission),
    /// Write an unsent reminder note about missing documents.
    DraftReminder(ReminderRequest),
    /// Make a calendar feed for oneself.
    CreateCalendarFeed(NewFeed),
    /// Revoke a calendar feed.
    RevokeCalendarFeed {
        /// The feed.
        feed_id: String,
    },
    /// Write a new version of a document kind's route.
    DefineRoute(NewRoute),
    /// Put a route version in force.
    PublishRoute {
        /// The route version.
        route_id: String,
    },
    /// Delegate one's signing as Secretary General for a period.
    DelegateSigning(NewDelegation),
    /// Revoke a delegation of signing of one's organisation.
    RevokeSigningDelegation {
        /// The delegation.
        delegation_id: String,
    },
}

impl Command {
    /// The permission-table action this command performs.
    pub fn action(&self) -> Action {
        match self {
            Command::CreateDraft(_) => Action::CreateDraft,
            Command::ReviseDraft { .. } => Action::Revise,
            Command::CirculateDraft { .. } => Action::Circulate,
            Command::AddComment(_) => Action::Comment,
            Command::EditComment { .. } => Action::EditComment,
            Command::WithdrawComment { .. } => Action::WithdrawComment,
            Command::ResolveProposal { .. } => Action::ResolveProposal,
            Command::OpenSwgDiscussion { .. } => Action::OpenSwgDiscussion,
            Command::RecordSocAgreement { .. } => Action::RecordSocAgreement,
            Command::RecordBodyDecision { .. } => Action::RecordBodyDecision,
            Command::PutUnderSilence(_) => Action::PutUnderSilence,
            Command::SignDraft { .. } => Action::Sign,
            Command::WithdrawDraft { .. } => Action::Withdraw,
            Command::RecordStance(_) => Action::RecordStance,
            Command::RecordObjectionWithdrawn { .. } => Action::RecordObjectionWithdrawn,
            Command::CirculateCompilation { .. } => Action::CirculateCompilation,
            Command::ContinueNoteSeries { .. } => Action::ContinueNoteSeries,
            Command::CreateNote(_) => Action::CreateNote,
            Command::EditNote { .. } => Action::EditNote,
            Command::IssueNote { .. } => Action::IssueNote,
            Command::ScheduleMeeting(_) => Action::ScheduleMeeting,
            Command::EditMeeting { .. } => Action::EditMeeting,
            Command::AddAgendaItem { .. } => Action::AddAgendaItem,
            Command::MoveAgendaItem { .. } => Action::MoveAgendaItem,
            Command::RemoveAgendaItem { .. } => Action::RemoveAgendaItem,
            Command::RecordDecision(_) => Action::RecordDecision,
            Command::EditDecision { .. } => Action::EditDecision,
            Command::CreatePlan(_) => Action::CreatePlan,
            Command::EditPlan(_) => Action::EditPlan,
            Command::AddEvent(_) => Action::AddEvent,
            Command::EditEvent(_) => Action::EditEvent,
            Command::MoveEvent(_) => Action::MoveEvent,
            Command::RebaseEvent(_) => Action::RebaseEvent,
            Command::SetEventStatus(_) => Action::SetEventStatus,
            Command::AdoptSubmissionRule(_) => Action::AdoptSubmissionRule,
            Command::RecordSubmission(_) => Action::RecordSubmission,
            Command::DraftReminder(_) => Action::DraftReminder,
            Command::CreateCalendarFeed(_) => Action::CreateCalendarFeed,
            Command::RevokeCalendarFeed { .. } => Action::RevokeCalendarFeed,
            Command::DefineRoute(_) => Action::DefineRoute,
            Command::PublishRoute { .. } => Action::PublishRoute,
            Command::DelegateSigning(_) => Action::DelegateSigning,
            Command::RevokeSigningDelegation { .. } => Action::RevokeSigningDelegation,
        }
    }
}

impl Engine {
    /// Checks and carries out one command, with the request's idempotency
    /// key in hand; on SQLite, from the moment it asks for the write lock,
    /// on the command thread (see `lane`). It runs in a `command` span
    /// named by its action, inside the caller's (a request's), so that a
    /// trace shows which command a request carried out and for how long.
    pub async fn execute(&self, actor: &Actor, command: Command) -> Result<Outcome> {
        let span = tracing::info_span!("command", command = command.action().as_str());
        // Boxed, so that a caller awaiting many commands (the demo loader,
        // a test) does not carry the largest command's state in its own.
        if !self.store().writes_one_at_a_time() {
            return Box::pin(self.carry_out(actor, command))
                .instrument(span)
                .await;
        }
        let engine = self.clone();
        let actor = actor.clone();
        let carried = crate::idempotency::lend();
        let work =
            Box::pin(
                async move {
                    crate::idempotency::carry(carried, engine.carry_out(&actor, command)).await
                }
                .instrument(span),
            );
        let (outcome, carried) = crate::lane::run(work).await.map_err(|_| {
            WorkflowError::Unavailable(
                "the server is stopping and the command was cut short; check whether it took effect before retrying"
                    .into(),
            )
        })?;
        crate::idempotency::give_back(carried);
        outcome
    }

    /// Checks and carries out one command where it is called.
    async fn carry_out(&self, actor: &Actor, command: Command) -> Result<Outcome> {
        let action = command.action();
        let result = match command {
            Command::CreateDraft(new) => self.create_draft(actor, new).await,
            Command::ReviseDraft {
                draft_id,
                base_version,
                content,
                change_summary,
                accommodates,
            } => {
                self.revise(
                    actor,
                    &draft_id,
                    base_version,
                    content,
                    change_summary,
                    accommodates,
                )
                .await
            }
            Command::CirculateDraft {
                draft_id,
                series,
                subject,
                references,
                comments_due_on,
            } => {
                self.circulate(
                    actor,
                    &draft_id,
                    series,
                    subject,
                    references,
                    comments_due_on,
                )
                .await
            }
            Command::AddComment(new) => {
                // A member state's proposal while silence runs breaks it.
                match breaks_silence(self, actor, &new.draft_id, new.proposal.is_some()).await? {
                    Some(snap) => {
                        self.break_silence(actor, snap, Breaking::Amendment(new))
                            .await
                    }
                    None => self.add_comment(actor, new).await,
                }
            }
            Command::EditComment { comment_id, body } => {
                self.change_comment(actor, &comment_id, Some(body)).await
            }
            Command::WithdrawComment { comment_id } => {
                self.change_comment(actor, &comment_id, None).await
            }
            Command::ResolveProposal {
                comment_id,
                resolution,
                reply,
            } => self.resolve(actor, &comment_id, resolution, reply).await,
            Command::RecordStance(new) => {
                // A member state's objection while silence runs breaks it.
                let objection = new.stance == Stance::Objection;
                match breaks_silence(self, actor, &new.draft_id, objection).await? {
                    Some(snap) => {
                        self.break_silence(actor, snap, Breaking::Objection(new))
                            .await
                    }
                    None => self.record_stance(actor, new).await,
                }
            }
            Command::PutUnderSilence(new) => self.put_under_silence(actor, new).await,
            Command::RecordObjectionWithdrawn {
                draft_id,
                version,
                member_state,
                remark,
            } => {
                self.record_objection_withdrawn(actor, &draft_id, version, &member_state, remark)
                    .await
            }
            Command::CirculateCompilation {
                draft_id,
                version,
                note_id,
                revision,
            } => {
                self.circulate_compilation(actor, &draft_id, version, &note_id, revision)
                    .await
            }
            Command::OpenSwgDiscussion {
                draft_id,
                meeting_date,
            } => self.take_up(actor, &draft_id, meeting_date).await,
            Command::RecordSocAgreement {
                draft_id,
                meeting_date,
                decision_number,
            } => {
                self.record_decision_on(
                    actor,
                    Action::RecordSocAgreement,
                    &draft_id,
                    meeting_date,
                    decision_number,
                )
                .await
            }
            Command::RecordBodyDecision {
                draft_id,
                meeting_date,
                decision_number,
            } => {
                self.record_decision_on(
                    actor,
                    Action::RecordBodyDecision,
                    &draft_id,
                    meeting_date,
                    decision_number,
                )
                .await
            }
            Command::DefineRoute(new) => self.define_route(actor, new).await,
            Command::PublishRoute { route_id } => self.publish_route(actor, &route_id).await,
            Command::DelegateSigning(new) => self.delegate_signing(actor, new).await,
            Command::RevokeSigningDelegation { delegation_id } => {
                self.revoke_signing_delegation(actor, &delegation_id).await
            }
            Command::SignDraft {
                draft_id,
                content_hash,
            } => self.sign(actor, &draft_id, content_hash).await,
            Command::WithdrawDraft { draft_id, reason } => {
                self.withdraw(actor, &draft_id, &reason).await
            }
            Command::ContinueNoteSeries {
                series,
                year,
                last_sequence,
            } => {
                self.continue_series(actor, series, year, last_sequence)
                    .await
            }
            Command::CreateNote(new) => self.create_note(actor, new).await,
            Command::EditNote {
                note_id,
                revision,
                note,
            } => self.edit_note(actor, &note_id, revision, note).await,
            Command::IssueNote { note_id, revision } => {
                self.issue_note(actor, &note_id, revision).await
            }
            Command::ScheduleMeeting(new) => self.schedule_meeting(actor, new).await,
            Command::EditMeeting {
                meeting_id,
                venue,
                title,
            } => self.edit_meeting(actor, &meeting_id, venue, title).await,
            Command::AddAgendaItem {
                meeting_id,
                subject,
                position,
            } => {
                self.add_agenda_item(actor, &meeting_id, subject, position)
                    .await
            }
            Command::MoveAgendaItem { item_id, position } => {
                self.change_agenda_item(actor, &item_id, Some(position))
                    .await
            }
            Command::RemoveAgendaItem { item_id } => {
                self.change_agenda_item(actor, &item_id, None).await
            }
            Command::RecordDecision(new) => self.record_decision(actor, new).await,
            Command::EditDecision {
                decision_id,
                revision,
                title,
                text,
            } => {
                self.edit_decision(actor, &decision_id, revision, title, text)
                    .await
            }
            Command::CreatePlan(new) => self.create_plan(actor, new).await,
            Command::EditPlan(change) => self.edit_plan(actor, change).await,
            Command::AddEvent(new) => self.add_event(actor, new).await,
            Command::EditEvent(change) => self.edit_event(actor, change).await,
            Command::MoveEvent(change) => self.move_event(actor, change).await,
            Command::RebaseEvent(change) => self.rebase_event(actor, change).await,
            Command::SetEventStatus(change) => self.set_event_status(actor, change).await,
            Command::AdoptSubmissionRule(new) => self.adopt_rule(actor, new).await,
            Command::RecordSubmission(new) => self.record_submission(actor, new).await,
            Command::DraftReminder(request) => self.draft_reminder(actor, request).await,
            Command::CreateCalendarFeed(new) => self.create_calendar_feed(actor, new).await,
            Command::RevokeCalendarFeed { feed_id } => {
                self.revoke_calendar_feed(actor, &feed_id).await
            }
        };
        if let Err(error) = &result {
            tracing::debug!(action = action.as_str(), actor = actor.sub(), %error, "command refused");
        }
        result
    }

    // The draft transitions below also write to another feature: a note, a
    // meeting, a decision. They are composed here, where both are known;
    // their draft half is the kernel's compare-and-set, like every other
    // transition's.

    /// Circulates the draft's current version by a CIRCULATION note to all
    /// member states, issued in the same write transaction.
    async fn circulate(
        &self,
        actor: &Actor,
        draft_id: &str,
        series: NoteSeries,
        subject: Option<Texts>,
        references: Vec<NoteNumber>,
        comments_due_on: Option<NaiveDate>,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        let facts = check_draft(actor, Action::Circulate, &snap)?;
        let now = self.now();
        let today = crate::clock::astana_date(now);
        if let Some(due) = comments_due_on
            && due < today
        {
            return Err(WorkflowError::bad_input(format!(
                "commentsDueOn {due} is in the past (today is {today} in Astana)"
            )));
        }
        let referenced = self.resolve_references(&references).await?;
        let version = snap.row.current_version;
        // A circulation without a subject forwards the draft under its title.
        let title = serde_json::from_str::<Texts>(&snap.row.title)
            .map_err(|error| WorkflowError::Corrupt(format!("draft title: {error}")))?;
        let state = facts.state;
        // Versions never change and the formulae are reference data: both
        // are read before the write lock, to keep it short.
        let pages = crate::notes::estimated_pages(self.store().db(), draft_id, version).await?;
        let formulae = crate::notes::formulae(self.store().db()).await?;
        let note_id = uuid::Uuid::now_v7().to_string();
        // Composed before the write lock, to keep it short; only the
        // number is added under it.
        let composed = crate::notes::compose_issue(
            self.store().db(),
            crate::notes::Issue {
                id: note_id.clone(),
                series,
                purpose: accord_domain::NotePurpose::Circulation,
                place: accord_domain::DEFAULT_PLACE.to_owned(),
                addressees: accord_domain::Addressees::AllMemberStates,
                subject,
                draft_title: Some(title),
                body: None,
                reference_ids: referenced.iter().map(|(id, _)| id.clone()).collect(),
                enclosures: vec![accord_domain::Enclosure::new(
                    accord_domain::Enclosed::DraftVersion {
                        draft_id: draft_id.to_owned(),
                        version,
                    },
                    pages,
                )?],
                comments_due_on,
            },
            &formulae,
            now,
        )
        .await?;
        let tx = self.store().begin_write().await?;
        let next = moved(&snap, Action::Circulate, now)?;
        let to_state = next.state.clone();
        let after = compare_and_set(
            &tx,
            &snap,
            draft::Model {
                circulated_version: Some(version),
                ..next
            },
        )
        .await?;
        let (number, note) = crate::notes::issue(&tx, actor, composed, &formulae, now).await?;
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::Circulate,
                draft_id,
                state.as_str(),
                to_state,
                None,
                json!({
                    "note": number.to_string(),
                    "date": today,
                    "version": version,
                    "references": references.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "commentsDueOn": comments_due_on,
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Circulated {
            draft_id: draft_id.to_owned(),
            note_id,
            after,
            note,
        })
    }

    /// Circulates the compilation of proposals on `version` by issuing the
    /// unsent note `note_id` at `revision`, which must go to all member
    /// states and enclose that version; from then on every member state
    /// reads every state's proposals on it.
    async fn circulate_compilation(
        &self,
        actor: &Actor,
        draft_id: &str,
        version: i32,
        note_id: &str,
        revision: i32,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        check_draft(actor, Action::CirculateCompilation, &snap)?;
        crate::stances::check_compilation(self.store().db(), &snap, version).await?;
        let prepared = self.prepare_issue(actor, note_id, revision).await?;
        if prepared.addressees != accord_domain::Addressees::AllMemberStates {
            return Err(WorkflowError::bad_input(
                "a compilation goes to all member states; address the note to them",
            ));
        }
        let encloses = prepared.enclosures.iter().any(|e| {
            matches!(
                e.enclosed(),
                accord_domain::Enclosed::DraftVersion { draft_id: d, version: v }
                    if d == draft_id && *v == version
            )
        });
        if !encloses {
            return Err(WorkflowError::bad_input(format!(
                "the note must enclose version {version} of the draft, whose proposals it compiles"
            )));
        }
        let now = prepared.now;
        let mut tx = self.store().begin_write().await?;
        let after = crate::engine::touch(&tx, &snap, now).await?;
        // Again under the draft's lock: two circulations of one compilation
        // cannot both pass.
        crate::stances::check_compilation(tx.conn(), &snap, version).await?;
        let (issued, note) = crate::notes::issue_prepared(&tx, actor, prepared).await?;
        crate::stances::record_compilation(&tx, draft_id, version, note_id, now).await?;
        tx.audit(actor, issued, now).await?;
        tx.commit_audited(
            actor,
            AuditRecord {
                draft_id: Some(draft_id.to_owned()),
                ..AuditRecord::of(
                    Action::CirculateCompilation,
                    "draft",
                    draft_id,
                    None,
                    json!({ "version": version, "note": note.row.number }),
                )
            },
            now,
        )
        .await?;
        Ok(Outcome::Circulated {
            draft_id: draft_id.to_owned(),
            note_id: note_id.to_owned(),
            after,
            note,
        })
    }

    /// Puts the draft before the body of the consideration stage its
    /// route leads to (the SWG), on the agenda of that body's meeting on
    /// `meeting_date`, recorded if need be.
    async fn take_up(
        &self,
        actor: &Actor,
        draft_id: &str,
        meeting_date: NaiveDate,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        let facts = check_draft(actor, Action::OpenSwgDiscussion, &snap)?;
        let body = body_of(destination(&snap, Action::OpenSwgDiscussion)?)?;
        // Read before the write lock: a new circulation would change the
        // draft's row, which the write compares.
        self.not_before_what_it_follows(draft_id, &body, false, meeting_date)
            .await?;
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let next = moved(&snap, Action::OpenSwgDiscussion, now)?;
        let to_state = next.state.clone();
        let stage = next.stage.clone();
        let after = compare_and_set(&tx, &snap, next).await?;
        let (meeting, _) = crate::meetings::meeting_on(&tx, &body, meeting_date, None, now).await?;
        crate::meetings::put_draft_on_agenda(&tx, &meeting.id, draft_id).await?;
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                Action::OpenSwgDiscussion,
                draft_id,
                facts.state.as_str(),
                to_state,
                None,
                json!({ "meeting": { "body": body, "date": meeting_date }, "stage": stage }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Draft {
            draft_id: draft_id.to_owned(),
            after,
        })
    }

    /// Records the decision of the body of the decision stage the draft's
    /// route leads to (`RECORD_SOC_AGREEMENT` for the SOC's,
    /// `RECORD_BODY_DECISION` for another body's): freezes the current
    /// version, puts the draft on the agenda of that body's meeting on
    /// `meeting_date` and records the decision, numbered `given` or else
    /// the next of the session.
    async fn record_decision_on(
        &self,
        actor: &Actor,
        action: Action,
        draft_id: &str,
        meeting_date: NaiveDate,
        given: Option<DecisionNumber>,
    ) -> Result<Outcome> {
        let snap = self.snapshot(draft_id).await?;
        let facts = check_draft(actor, action, &snap)?;
        let stage = destination(&snap, action)?;
        let body = body_of(stage)?;
        let verb = match stage.map(|s| &s.kind) {
            Some(StageKind::Decision { verb, .. }) => *verb,
            _ => DecisionVerb::Agree,
        };
        self.not_before_what_it_follows(draft_id, &body, true, meeting_date)
            .await?;
        let agreed = snap.row.current_version;
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let next = moved(&snap, action, now)?;
        let to_state = next.state.clone();
        let to_stage = next.stage.clone();
        compare_and_set(
            &tx,
            &snap,
            draft::Model {
                agreed_version: Some(agreed),
                ..next
            },
        )
        .await?;
        // Read after the compare-and-set, under the draft's lock: a stance
        // recorded meanwhile is seen here, or makes one of the two CONFLICT.
        let objecting = crate::stances::standing_objections(tx.conn(), draft_id, agreed).await?;
        if !objecting.is_empty() {
            return Err(WorkflowError::InvalidTransition(format!(
                "{} {} to version {agreed}; the {body} cannot decide on it unless the Secretariat records each objection as withdrawn at the meeting",
                objecting.join(", "),
                if objecting.len() == 1 {
                    "objects"
                } else {
                    "object"
                },
            )));
        }
        let (meeting, _) = crate::meetings::meeting_on(
            &tx,
            &body,
            meeting_date,
            given.as_ref().map(|n| n.session().session() as i32),
            now,
        )
        .await?;
        crate::meetings::put_draft_on_agenda(&tx, &meeting.id, draft_id).await?;
        let number = crate::meetings::decision_number(&tx, &meeting, given).await?;
        // The decision's title and text are set afterwards (`editDecision`).
        let decision_id = crate::meetings::insert_decision(
            &tx,
            &meeting,
            meeting.date,
            &number,
            None,
            None,
            &[Approved::Draft(draft_id.to_owned())],
            now,
        )
        .await?;
        let agreed_hash = version::Entity::find_by_id((draft_id.to_owned(), agreed))
            .one(tx.conn())
            .await?
            .map(|v| v.content_hash);
        tx.commit_audited(
            actor,
            AuditRecord::of_draft(
                action,
                draft_id,
                facts.state.as_str(),
                to_state,
                None,
                json!({
                    "decision": number.to_string(),
                    "body": body,
                    "verb": verb.as_str(),
                    "stage": to_stage,
                    "date": meeting_date,
                    "agreedVersion": agreed,
                    "contentHash": agreed_hash,
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Agreed {
            draft_id: draft_id.to_owned(),
            decision_id,
        })
    }

    /// Refuses a meeting of `body` on `date` that would discuss or agree
    /// the draft before what it follows: the draft's latest circulation
    /// and, for the SOC, the last SWG meeting that had it on its agenda.
    async fn not_before_what_it_follows(
        &self,
        draft_id: &str,
        body: &str,
        deciding: bool,
        date: NaiveDate,
    ) -> Result<()> {
        let db = self.store().db();
        let circulated: Option<(String, NaiveDate)> = note::Entity::find()
            .select_only()
            .columns([note::Column::Number, note::Column::Date])
            .filter(note::Column::DraftId.eq(draft_id))
            .filter(note::Column::Purpose.eq(accord_domain::NotePurpose::Circulation.as_str()))
            .order_by_desc(note::Column::Date)
            .order_by_desc(note::Column::Sequence)
            .into_tuple()
            .one(db)
            .await?;
        let mut follows =
            circulated.map(|(number, on)| (on, format!("its circulation by {number}")));
        if deciding {
            let discussed: Option<(String, NaiveDate)> =
                meeting_agenda::of_drafts_with_their_meetings([draft_id.to_owned()])
                    .columns([meeting::Column::Body, meeting::Column::Date])
                    .order_by_desc(meeting::Column::Date)
                    .into_tuple()
                    .one(db)
                    .await?;
            if let Some((by, on)) = discussed
                && follows.as_ref().is_none_or(|(after, _)| on > *after)
            {
                let what = if by == "SWG" {
                    "the SWG meeting that discussed it".to_owned()
                } else {
                    format!("the {by} meeting that took it up")
                };
                follows = Some((on, what));
            }
        }
        match follows {
            Some((after, what)) if date < after => Err(WorkflowError::bad_input(format!(
                "meetingDate {date} is before {what} on {after}: a {body} meeting cannot take up a draft before then"
            ))),
            _ => Ok(()),
        }
    }
}

/// The body acting at `stage`, which a consideration or decision names.
fn body_of(stage: Option<&Stage>) -> Result<String> {
    stage
        .and_then(|s| s.kind.body())
        .map(str::to_owned)
        .ok_or_else(|| WorkflowError::Corrupt("a meeting's stage names no body".into()))
}
