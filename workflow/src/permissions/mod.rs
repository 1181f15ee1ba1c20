//! Who may do what to a draft, from which state: the workflow engine's rules
//! as one pure function, [`decide`], with no IO.
//!
//! The same function answers `viewerActions`, so what a front-end offers is
//! exactly what the engine will accept. [`TABLE`] (in `table`) states the
//! same rules as data, cell by cell; tests generated from it check `decide`
//! (there) and the whole server over HTTP (in `tests/`), so a rule changed
//! in one place and not the other fails the build.

use accord_domain::{Addressees, DraftState, NoteStatus, OrgKind, Role};

use crate::actor::Actor;
use crate::error::WorkflowError;

mod ahead;
mod table;
mod transitions;

pub use ahead::{Ahead, SOC};
pub use table::{
    Rule, TABLE, canonical_facts, canonical_route, canonical_stage, person_in, rule, valid_pairs,
};
pub use transitions::{TRANSITIONS, Transition, from_states, transition};

/// Everything that can be done to a draft or its comments.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Action {
    /// Start a new draft (no draft exists yet).
    CreateDraft,
    /// Add a new version.
    Revise,
    /// Send the current version to member states by note verbale.
    Circulate,
    /// Put the draft on a Special Working Group meeting's agenda.
    OpenSwgDiscussion,
    /// Record the Senior Officials Committee's decision on the draft
    /// (agreement, adoption or approval, as its route says); freezes the
    /// text.
    RecordSocAgreement,
    /// Record the decision of another body (the Ministerial Council, the
    /// Summit) that its route leads the draft to; freezes the text.
    RecordBodyDecision,
    /// Put the circulated version under silence procedure, by a note to
    /// all member states, for the body of the silence stage its route
    /// leads to.
    PutUnderSilence,
    /// Sign the agreed text for one's organisation.
    Sign,
    /// Withdraw the draft for good.
    Withdraw,
    /// Comment on, or propose an amendment to, a version.
    Comment,
    /// Answer a proposal.
    ResolveProposal,
    /// Change one's own unresolved comment.
    EditComment,
    /// Take back one's own unresolved comment.
    WithdrawComment,
    /// Record one's member state's stance on the version under
    /// consideration (no objection, ad referendum, reservation, objection).
    RecordStance,
    /// Record that a member state withdrew its objection at a meeting.
    RecordObjectionWithdrawn,
    /// Circulate a version's compilation of proposals by note verbale.
    CirculateCompilation,
    /// Continue a note series from an earlier (paper) registry.
    ContinueNoteSeries,
    /// Write a new note verbale (not yet issued).
    CreateNote,
    /// Change a note verbale that has not been issued.
    EditNote,
    /// Number, date and send a note verbale; it is frozen from then on.
    IssueNote,
    /// Record a meeting of a body on a date.
    ScheduleMeeting,
    /// Change a meeting's venue or title.
    EditMeeting,
    /// Put a draft or a titled item on a meeting's agenda.
    AddAgendaItem,
    /// Move an agenda item to another position.
    MoveAgendaItem,
    /// Take an item off a meeting's agenda.
    RemoveAgendaItem,
    /// Record a numbered decision taken at a meeting.
    RecordDecision,
    /// Change a decision's title or text.
    EditDecision,
    /// Store a document (a concept paper, programme or report) in the file
    /// store, to be attached to a submission.
    UploadFile,
    /// Start the Plan of Implementation of a year.
    CreatePlan,
    /// Change a plan's title or approving decision.
    EditPlan,
    /// Add an event to a plan; its due dates are set from the rules in force.
    AddEvent,
    /// Change an event's practical details (venue and notes).
    EditEvent,
    /// Move an event to new dates; its due dates follow, under the same rules.
    MoveEvent,
    /// Recompute an event's due dates under the rules in force today.
    RebaseEvent,
    /// Mark an event postponed (with new dates), held or cancelled.
    SetEventStatus,
    /// Record a decision's submission rule in force from a date.
    AdoptSubmissionRule,
    /// Record a document received for an event.
    RecordSubmission,
    /// Write an unsent reminder note listing the documents missing for a period.
    DraftReminder,
    /// Make a read-only iCalendar feed of events and due dates, for oneself.
    CreateCalendarFeed,
    /// Revoke a calendar feed: one's own, or anyone's for the Secretariat.
    RevokeCalendarFeed,
    /// Write a new version of a document kind's route (not yet in force).
    DefineRoute,
    /// Put a route version in force for the drafts of its kind started
    /// from then on.
    PublishRoute,
    /// Delegate one's signing, as Secretary General, to a named person for
    /// a period.
    DelegateSigning,
    /// Revoke a delegation of signing made for one's organisation.
    RevokeSigningDelegation,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: &'static [Action] = <Action as strum::VariantArray>::VARIANTS;

    /// The actions on Plans of Implementation, their events, submission
    /// rules and submissions.
    pub const ON_PLANS: [Action; 10] = [
        Action::CreatePlan,
        Action::EditPlan,
        Action::AddEvent,
        Action::EditEvent,
        Action::MoveEvent,
        Action::RebaseEvent,
        Action::SetEventStatus,
        Action::AdoptSubmissionRule,
        Action::RecordSubmission,
        Action::DraftReminder,
    ];

    /// The actions on plans that a delegate of an event's organising member
    /// state may also do, for that event only.
    pub const BY_ORGANISERS: [Action; 2] = [Action::EditEvent, Action::RecordSubmission];

    /// The actions that keep the record of meetings and decisions.
    pub const ON_MEETINGS: [Action; 7] = [
        Action::ScheduleMeeting,
        Action::EditMeeting,
        Action::AddAgendaItem,
        Action::MoveAgendaItem,
        Action::RemoveAgendaItem,
        Action::RecordDecision,
        Action::EditDecision,
    ];

    /// The actions a front-end offers on a draft (`viewerActions`).
    pub const ON_DRAFT: [Action; 10] = [
        Action::Revise,
        Action::Circulate,
        Action::OpenSwgDiscussion,
        Action::RecordSocAgreement,
        Action::RecordBodyDecision,
        Action::PutUnderSilence,
        Action::Sign,
        Action::Withdraw,
        Action::Comment,
        Action::ResolveProposal,
    ];

    /// Whether the action names an existing comment. Such an action by
    /// someone who reads no comments at all (observers, counterparts not
    /// party to the draft) is `NOT_FOUND`: the comment is hidden from them.
    pub fn targets_a_comment(self) -> bool {
        matches!(
            self,
            Action::ResolveProposal | Action::EditComment | Action::WithdrawComment
        )
    }

    /// A stable upper-case name, used in the audit log (the variant's
    /// name in SCREAMING_SNAKE_CASE, e.g. `OPEN_SWG_DISCUSSION`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the action is decided without a draft (`decide(actor,
    /// action, None)`): creating a draft, keeping the note registry, and
    /// keeping the record of meetings and decisions.
    pub fn is_draftless(self) -> bool {
        matches!(
            self,
            Action::CreateDraft
                | Action::ContinueNoteSeries
                | Action::CreateNote
                | Action::EditNote
                | Action::IssueNote
                | Action::UploadFile
                | Action::CreateCalendarFeed
                | Action::RevokeCalendarFeed
                | Action::DefineRoute
                | Action::PublishRoute
                | Action::DelegateSigning
                | Action::RevokeSigningDelegation
        ) || self.keeps_meetings()
            || self.on_plans()
    }

    /// Whether the action concerns plans, events, rules or submissions
    /// (decided by [`decide_on_plan`]).
    pub fn on_plans(self) -> bool {
        Action::ON_PLANS.contains(&self)
    }

    /// Whether the action keeps the record of meetings and decisions.
    pub fn keeps_meetings(self) -> bool {
        Action::ON_MEETINGS.contains(&self)
    }
}

/// How the acting organisation stands to a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray)]
pub enum Relation {
    /// The secretariat that drafts the text (`CICA`).
    HomeSecretariat,
    /// A counterpart secretariat listed among the draft's signatories.
    PartyCounterpart,
    /// A counterpart secretariat that is not a party to this draft.
    OtherCounterpart,
    /// A member state.
    MemberState,
    /// An observer state or organisation.
    Observer,
}

impl Relation {
    /// Every relation, in declaration order.
    pub const ALL: &'static [Relation] = <Relation as strum::VariantArray>::VARIANTS;

    /// The relation of an organisation of `kind` that is (or is not) among
    /// the draft's signatories.
    pub fn of(kind: OrgKind, is_signatory: bool) -> Relation {
        match kind {
            OrgKind::Secretariat => Relation::HomeSecretariat,
            OrgKind::Counterpart if is_signatory => Relation::PartyCounterpart,
            OrgKind::Counterpart => Relation::OtherCounterpart,
            OrgKind::MemberState => Relation::MemberState,
            OrgKind::Observer => Relation::Observer,
        }
    }

    /// The kind of organisation that can stand in this relation.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Relation::HomeSecretariat => OrgKind::Secretariat,
            Relation::PartyCounterpart | Relation::OtherCounterpart => OrgKind::Counterpart,
            Relation::MemberState => OrgKind::MemberState,
            Relation::Observer => OrgKind::Observer,
        }
    }
}

/// What the rules need to know about a draft, as seen by one viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftFacts {
    /// The draft's state.
    pub state: DraftState,
    /// The viewer's organisation's relation to the draft.
    pub relation: Relation,
    /// Whether any version was ever circulated (a never-circulated draft is
    /// internal, even once withdrawn).
    pub ever_circulated: bool,
    /// Whether the current version is newer than the last circulated one.
    pub has_uncirculated_version: bool,
    /// Whether the viewer's organisation is a required signatory.
    pub viewer_signs: bool,
    /// Whether the viewer's organisation has already signed.
    pub viewer_signed: bool,
    /// Whether the viewer signs for their organisation's Secretary General
    /// now, under a delegation in force (an acting Secretary General).
    pub viewer_acting: bool,
    /// Whether the viewer reads documents at all ([`reads_documents`]).
    pub viewer_reads: bool,
    /// What the draft's route offers next from its current stage.
    pub ahead: Ahead,
}

/// Whether the person reads documents at all. Every role does but `admin`:
/// an administrator manages reference data and configuration only (SPEC
/// §1), so a person holding no other role sees no draft, comment or note,
/// whatever the organisation.
pub fn reads_documents(actor: &Actor) -> bool {
    actor.roles().iter().any(|role| *role != Role::Admin)
}

impl From<Refusal> for WorkflowError {
    /// The error a refusal of an action on no particular object becomes
    /// (for a draft, see `engine::check_draft`, which names it).
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotFound => WorkflowError::NotFound("not found".into()),
            Refusal::Forbidden(reason) => WorkflowError::Forbidden(reason),
            Refusal::InvalidTransition(reason) => WorkflowError::InvalidTransition(reason),
        }
    }
}

/// Why [`decide`] said no, by the error code the client will see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The viewer may not know that the draft exists.
    NotFound,
    /// The viewer's role or organisation may not do this.
    Forbidden(String),
    /// Not possible from the current state.
    InvalidTransition(String),
}

/// Which drafts a viewer may know of: draft visibility stated once. The
/// check on one draft ([`can_see`]) and the reader's SQL conditions (its
/// lists and their totals) are both derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftScope {
    /// None (a person who reads no documents: an administrator).
    Nothing,
    /// Every draft (the home secretariat).
    All,
    /// The drafts ever circulated, and those the viewer's organisation
    /// signs (counterparts).
    CirculatedOrSigned,
    /// The drafts ever circulated (member states, observers).
    Circulated,
}

impl DraftScope {
    /// The scope of a viewer who reads documents (or not, `reads`) from an
    /// organisation in `relation` to the drafts.
    pub fn of(reads: bool, relation: Relation) -> DraftScope {
        if !reads {
            return DraftScope::Nothing;
        }
        match relation {
            Relation::HomeSecretariat => DraftScope::All,
            Relation::PartyCounterpart | Relation::OtherCounterpart => {
                DraftScope::CirculatedOrSigned
            }
            Relation::MemberState | Relation::Observer => DraftScope::Circulated,
        }
    }

    /// The scope of `actor`.
    pub fn of_actor(actor: &Actor) -> DraftScope {
        DraftScope::of(reads_documents(actor), Relation::of(actor.org_kind(), true))
    }

    /// Whether a draft ever circulated (or not), which the viewer's
    /// organisation signs (or not), is in the scope.
    pub fn admits(self, ever_circulated: bool, signed_by_viewer: bool) -> bool {
        match self {
            DraftScope::Nothing => false,
            DraftScope::All => true,
            DraftScope::CirculatedOrSigned => ever_circulated || signed_by_viewer,
            DraftScope::Circulated => ever_circulated,
        }
    }
}

/// Whether a viewer may see a draft at all. Internal drafts (never
/// circulated) are visible only to the home secretariat and the
/// counterparts that are parties to them ([`DraftScope`]).
pub fn can_see(facts: &DraftFacts) -> bool {
    DraftScope::of(facts.viewer_reads, facts.relation).admits(
        facts.ever_circulated,
        facts.relation == Relation::PartyCounterpart,
    )
}

/// Whether a viewer may read a comment made by organisation `author_org`:
/// the Secretariat and party counterparts read all comments; a member state
/// reads its own, and every state's proposals on a version whose
/// compilation the Secretariat has circulated (`in_circulated_compilation`);
/// observers and other counterparts read none.
pub fn can_see_comment(
    relation: Relation,
    actor: &Actor,
    author_org: &str,
    in_circulated_compilation: bool,
) -> bool {
    match relation {
        Relation::HomeSecretariat | Relation::PartyCounterpart => true,
        Relation::MemberState => in_circulated_compilation || actor.org().as_str() == author_org,
        Relation::OtherCounterpart | Relation::Observer => false,
    }
}

/// Whether a viewer in `relation` reads any comments at all.
fn reads_comments(relation: Relation) -> bool {
    !matches!(relation, Relation::OtherCounterpart | Relation::Observer)
}

/// Whether a viewer may read versions that have not been circulated yet
/// (the Secretariat's work in progress).
pub fn can_see_uncirculated(relation: Relation) -> bool {
    matches!(
        relation,
        Relation::HomeSecretariat | Relation::PartyCounterpart
    )
}

/// Whether a viewer may see a note verbale: the home secretariat sees every
/// note; anyone else sees only issued notes addressed to their
/// organisation (a note to all member states is addressed to every member
/// state). An unsent note, or one addressed to others, is `NOT_FOUND`.
pub fn can_see_note(actor: &Actor, status: NoteStatus, addressees: &Addressees) -> bool {
    NoteScope::of(actor).admits(status, addressees)
}

/// Which notes verbales a viewer may see: note visibility stated once. The
/// check on one note ([`can_see_note`]) and the registry's SQL conditions
/// are both derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteScope<'a> {
    /// None (a person who reads no documents: an administrator).
    Nothing,
    /// Every note, unsent ones included (the Secretariat).
    All,
    /// The issued notes addressed to `org`, and, for a member state
    /// (`member_state`), those to all member states.
    IssuedTo {
        /// The viewer's organisation.
        org: &'a accord_domain::OrgCode,
        /// Whether it is a member state.
        member_state: bool,
    },
}

impl NoteScope<'_> {
    /// The scope of `actor`.
    pub fn of(actor: &Actor) -> NoteScope<'_> {
        if !reads_documents(actor) {
            NoteScope::Nothing
        } else if actor.org_kind() == OrgKind::Secretariat {
            NoteScope::All
        } else {
            NoteScope::IssuedTo {
                org: actor.org(),
                member_state: actor.org_kind() == OrgKind::MemberState,
            }
        }
    }

    /// Whether a note in `status` addressed to `addressees` is in the scope.
    pub fn admits(&self, status: NoteStatus, addressees: &Addressees) -> bool {
        match self {
            NoteScope::Nothing => false,
            NoteScope::All => true,
            NoteScope::IssuedTo { org, member_state } => {
                status == NoteStatus::Issued
                    && match addressees {
                        Addressees::AllMemberStates => *member_state,
                        Addressees::Organizations(codes) => codes.contains(org),
                    }
            }
        }
    }
}

/// The permission rules. `facts` is `None` for the actions that concern no
/// draft ([`Action::is_draftless`]): creating a draft and keeping the note
/// registry. The engine checks that a note is visible (else `NOT_FOUND`)
/// before asking, and that it is unsent (else `INVALID_TRANSITION`) after.
pub fn decide(actor: &Actor, action: Action, facts: Option<&DraftFacts>) -> Result<(), Refusal> {
    let Some(facts) = facts else {
        return match action {
            Action::CreateDraft if is_secretariat(actor) => Ok(()),
            Action::CreateDraft => Err(forbidden("only the Secretariat creates drafts")),
            Action::ContinueNoteSeries
            | Action::CreateNote
            | Action::EditNote
            | Action::IssueNote
                if is_secretariat(actor) =>
            {
                Ok(())
            }
            Action::ContinueNoteSeries
            | Action::CreateNote
            | Action::EditNote
            | Action::IssueNote => Err(forbidden("only the Secretariat keeps the note registry")),
            Action::UploadFile if is_secretariat(actor) || is_delegate(actor) => Ok(()),
            Action::UploadFile => Err(forbidden(
                "only the Secretariat and member-state delegates upload documents",
            )),
            // A delegate revoking another person's feed is `NOT_FOUND`
            // (the engine looks the feed up for the owner first).
            Action::CreateCalendarFeed | Action::RevokeCalendarFeed
                if is_secretariat(actor) || is_delegate(actor) =>
            {
                Ok(())
            }
            Action::CreateCalendarFeed | Action::RevokeCalendarFeed => Err(forbidden(
                "only the Secretariat and member-state delegates keep calendar feeds",
            )),
            Action::DefineRoute | Action::PublishRoute
                if is_secretariat(actor) || actor.has(Role::Admin) =>
            {
                Ok(())
            }
            Action::DefineRoute | Action::PublishRoute => Err(forbidden(
                "only the Secretariat and administrators define and publish routes",
            )),
            Action::DelegateSigning | Action::RevokeSigningDelegation
                if is_secretary_general(actor) =>
            {
                Ok(())
            }
            Action::DelegateSigning | Action::RevokeSigningDelegation => Err(forbidden(
                "only a Secretary General delegates their signing, for their own organisation",
            )),
            action if action.on_plans() => decide_on_plan(actor, action, None),
            action if action.keeps_meetings() && is_secretariat(actor) => Ok(()),
            action if action.keeps_meetings() => Err(forbidden(
                "only the Secretariat records meetings, agendas and decisions",
            )),
            _ => Err(Refusal::NotFound),
        };
    };
    if !can_see(facts)
        || !reads_documents(actor)
        || (action.targets_a_comment() && !reads_comments(facts.relation))
    {
        return Err(Refusal::NotFound);
    }
    let home = facts.relation == Relation::HomeSecretariat && is_secretariat(actor);
    let state = facts.state;
    use DraftState::*;
    match action {
        Action::CreateDraft
        | Action::ContinueNoteSeries
        | Action::CreateNote
        | Action::EditNote
        | Action::IssueNote
        | Action::ScheduleMeeting
        | Action::EditMeeting
        | Action::AddAgendaItem
        | Action::MoveAgendaItem
        | Action::RemoveAgendaItem
        | Action::RecordDecision
        | Action::EditDecision
        | Action::UploadFile
        | Action::CreatePlan
        | Action::EditPlan
        | Action::AddEvent
        | Action::EditEvent
        | Action::MoveEvent
        | Action::RebaseEvent
        | Action::SetEventStatus
        | Action::AdoptSubmissionRule
        | Action::RecordSubmission
        | Action::DraftReminder
        | Action::CreateCalendarFeed
        | Action::RevokeCalendarFeed
        | Action::DefineRoute
        | Action::PublishRoute
        | Action::DelegateSigning
        | Action::RevokeSigningDelegation => {
            Err(forbidden("this action does not apply to a draft"))
        }
        Action::Revise => {
            require(home, "only the Secretariat revises drafts")?;
            in_states(state, action, "revised")
        }
        Action::Circulate => {
            require(home, "only the Secretariat circulates drafts")?;
            in_states(state, action, "circulated")?;
            if state != Drafting && !facts.has_uncirculated_version {
                return Err(Refusal::InvalidTransition(
                    "the current version has already been circulated; revise the draft first"
                        .into(),
                ));
            }
            // Circulating again at a circulation stage keeps the draft
            // there; from elsewhere its route must lead to a circulation.
            on_route(
                facts.ahead.circulation || state == Circulated,
                state,
                "circulation",
            )
        }
        Action::OpenSwgDiscussion => {
            require(
                home,
                "only the Secretariat puts drafts on a meeting's agenda",
            )?;
            in_states(state, action, "put on a meeting's agenda for consideration")?;
            on_route(
                facts.ahead.consideration,
                state,
                "consideration at a meeting",
            )
        }
        Action::RecordSocAgreement | Action::RecordBodyDecision => {
            let soc = action == Action::RecordSocAgreement;
            require(home, "only the Secretariat records decisions on drafts")?;
            in_states(state, action, "decided on")?;
            if soc {
                on_route(facts.ahead.soc_decision, state, "a decision of the SOC")?;
            } else {
                on_route(
                    facts.ahead.other_decision,
                    state,
                    "a decision of a body other than the SOC",
                )?;
            }
            if facts.has_uncirculated_version {
                return Err(Refusal::InvalidTransition(
                    "the current version has not been circulated; circulate it before a body decides on it"
                        .into(),
                ));
            }
            Ok(())
        }
        Action::PutUnderSilence => {
            require(
                home,
                "only the Secretariat puts texts under silence procedure",
            )?;
            in_states(state, action, "put under silence procedure")?;
            on_route(facts.ahead.silence, state, "a silence procedure")?;
            if facts.has_uncirculated_version {
                return Err(Refusal::InvalidTransition(
                    "the current version has not been circulated; circulate it before putting it under silence"
                        .into(),
                ));
            }
            Ok(())
        }
        Action::Sign => {
            require(
                (actor.has(Role::SecretaryGeneral) || facts.viewer_acting) && facts.viewer_signs,
                "only the Secretary General of a required signatory organisation signs, or the person they delegated signing to, during the delegation",
            )?;
            in_states(state, action, "signed")?;
            on_route(facts.ahead.signature, state, "signature")?;
            if facts.viewer_signed {
                return Err(Refusal::InvalidTransition(format!(
                    "{} has already signed this draft",
                    actor.org()
                )));
            }
            Ok(())
        }
        Action::Withdraw => {
            require(home, "only the Secretariat withdraws drafts")?;
            in_states(state, action, "withdrawn")?;
            if facts.ahead.at_end {
                return Err(Refusal::InvalidTransition(format!(
                    "a draft in state {state} has reached the end of its route and cannot be withdrawn"
                )));
            }
            Ok(())
        }
        Action::Comment | Action::EditComment | Action::WithdrawComment => {
            require(
                may_comment(actor, facts.relation),
                "only member-state delegates, party counterparts and the Secretariat comment",
            )?;
            in_states(state, action, "commented on")
        }
        Action::ResolveProposal => {
            require(home, "only the Secretariat resolves proposals")?;
            in_states(state, action, "have proposals resolved")
        }
        Action::RecordStance => {
            require(
                facts.relation == Relation::MemberState && is_delegate(actor),
                "only a member state's delegate records its state's stance",
            )?;
            in_states(state, action, "answered with a stance")
        }
        Action::RecordObjectionWithdrawn => {
            require(
                home,
                "only the Secretariat records an objection withdrawn at a meeting",
            )?;
            in_states(state, action, "have objections withdrawn")
        }
        Action::CirculateCompilation => {
            require(home, "only the Secretariat circulates compilations")?;
            in_states(state, action, "have its compilation circulated")
        }
    }
}

/// What the rules need to know about an event: whether the viewer's
/// organisation is one of its organising member states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFacts {
    /// The viewer's organisation organises the event.
    pub organiser: bool,
}

/// The permission rules of plans ([`Action::ON_PLANS`]): the Secretariat
/// manages plans, events, rules and reminders; a delegate of a member
/// state organising an event may also change its practical details and
/// record its submissions ([`Action::BY_ORGANISERS`]). `event` is `None`
/// for actions naming no event. Everyone else is `FORBIDDEN`: plans and
/// events are read by everyone authenticated, so nothing is hidden.
pub fn decide_on_plan(
    actor: &Actor,
    action: Action,
    event: Option<&EventFacts>,
) -> Result<(), Refusal> {
    if !action.on_plans() {
        return Err(forbidden("this action does not concern plans"));
    }
    if is_secretariat(actor) {
        return Ok(());
    }
    let organiser = event.is_some_and(|e| e.organiser) && is_delegate(actor);
    if organiser && Action::BY_ORGANISERS.contains(&action) {
        return Ok(());
    }
    if Action::BY_ORGANISERS.contains(&action) {
        Err(forbidden(
            "only the Secretariat and delegates of the organising member states do this",
        ))
    } else {
        Err(forbidden("only the Secretariat manages the plan"))
    }
}

/// The actions on a draft that [`decide`] would allow the viewer now.
pub fn viewer_actions(actor: &Actor, facts: &DraftFacts) -> Vec<Action> {
    Action::ON_DRAFT
        .into_iter()
        .filter(|action| decide(actor, *action, Some(facts)).is_ok())
        .collect()
}

fn is_secretariat(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Secretariat && actor.has(Role::Secretariat)
}

/// A Secretary General of a secretariat or a counterpart secretariat.
fn is_secretary_general(actor: &Actor) -> bool {
    matches!(
        actor.org_kind(),
        OrgKind::Secretariat | OrgKind::Counterpart
    ) && actor.has(Role::SecretaryGeneral)
}

fn is_delegate(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::MemberState && actor.has(Role::Delegate)
}

fn may_comment(actor: &Actor, relation: Relation) -> bool {
    match relation {
        Relation::HomeSecretariat => actor.has(Role::Secretariat),
        Relation::PartyCounterpart => actor.has(Role::Counterpart),
        Relation::MemberState => actor.has(Role::Delegate),
        Relation::OtherCounterpart | Relation::Observer => false,
    }
}

fn forbidden(reason: &str) -> Refusal {
    Refusal::Forbidden(reason.to_owned())
}

fn require(condition: bool, reason: &str) -> Result<(), Refusal> {
    if condition {
        Ok(())
    } else {
        Err(forbidden(reason))
    }
}

/// Whether `action` may be done from `state`, by the state machine
/// ([`TRANSITIONS`]); if not, why ("a draft in state … cannot be `what`").
fn in_states(state: DraftState, action: Action, what: &str) -> Result<(), Refusal> {
    if from_states(action).contains(&state) {
        Ok(())
    } else {
        Err(not_from(state, what))
    }
}

/// Whether the draft's route leads on to `what` from where it stands
/// (`leads`); if not, why.
fn on_route(leads: bool, state: DraftState, what: &str) -> Result<(), Refusal> {
    if leads {
        Ok(())
    } else {
        Err(Refusal::InvalidTransition(format!(
            "the route of a draft in state {state} does not lead to {what} from here"
        )))
    }
}

fn not_from(state: DraftState, what: &str) -> Refusal {
    Refusal::InvalidTransition(format!("a draft in state {state} cannot be {what}"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_viewers_note_scope_follows_their_organisation() {
        for (role, relation) in valid_pairs() {
            let who = actor(role, relation);
            let scope = NoteScope::of(&who);
            let want = if role == Role::Admin {
                NoteScope::Nothing
            } else if relation == Relation::HomeSecretariat {
                NoteScope::All
            } else {
                NoteScope::IssuedTo {
                    org: who.org(),
                    member_state: relation == Relation::MemberState,
                }
            };
            assert_eq!(scope, want, "{role:?} as {relation:?}");
        }
    }

    #[test]
    fn a_viewers_scope_is_the_scope_of_their_relation_to_any_draft() {
        // What the reader's SQL uses (the actor's scope) and what one
        // draft's check uses (the scope of the viewer's relation to it) are
        // the same scope, whether or not the viewer's organisation signs.
        for (role, relation) in valid_pairs() {
            let who = actor(role, relation);
            let party = relation == Relation::PartyCounterpart;
            for ever_circulated in [false, true] {
                let facts = DraftFacts {
                    ever_circulated,
                    ..canonical_facts(DraftState::Withdrawn, relation)
                };
                let facts = DraftFacts {
                    viewer_reads: reads_documents(&who),
                    ..facts
                };
                assert_eq!(
                    can_see(&facts),
                    DraftScope::of_actor(&who).admits(ever_circulated, party),
                    "{role:?} as {relation:?}, circulated: {ever_circulated}"
                );
            }
        }
    }
    use accord_domain::OrgCode;

    use super::*;

    pub(super) fn actor(role: Role, relation: Relation) -> Actor {
        person_in(role, relation).unwrap()
    }

    #[test]
    fn a_never_circulated_withdrawn_draft_stays_internal() {
        let facts = DraftFacts {
            ever_circulated: false,
            ..canonical_facts(DraftState::Withdrawn, Relation::MemberState)
        };
        let delegate = actor(Role::Delegate, Relation::MemberState);
        assert_eq!(
            decide(&delegate, Action::Comment, Some(&facts)),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn a_revised_circulated_draft_can_be_recirculated() {
        let facts = DraftFacts {
            has_uncirculated_version: true,
            ..canonical_facts(DraftState::SwgDiscussion, Relation::HomeSecretariat)
        };
        let officer = actor(Role::Secretariat, Relation::HomeSecretariat);
        assert_eq!(decide(&officer, Action::Circulate, Some(&facts)), Ok(()));
    }

    #[test]
    fn an_organisation_signs_only_once() {
        let facts = DraftFacts {
            viewer_signed: true,
            ..canonical_facts(DraftState::SocAgreed, Relation::PartyCounterpart)
        };
        let sg = actor(Role::SecretaryGeneral, Relation::PartyCounterpart);
        assert!(matches!(
            decide(&sg, Action::Sign, Some(&facts)),
            Err(Refusal::InvalidTransition(_))
        ));
    }

    #[test]
    fn an_acting_secretary_general_signs_only_under_a_delegation_in_force() {
        let deputy = actor(Role::Counterpart, Relation::PartyCounterpart);
        let agreed = canonical_facts(DraftState::SocAgreed, Relation::PartyCounterpart);
        assert!(matches!(
            decide(&deputy, Action::Sign, Some(&agreed)),
            Err(Refusal::Forbidden(_))
        ));
        let acting = DraftFacts {
            viewer_acting: true,
            ..agreed
        };
        assert_eq!(decide(&deputy, Action::Sign, Some(&acting)), Ok(()));
        // Not for an organisation that does not sign the draft.
        let other = DraftFacts {
            viewer_acting: true,
            ..canonical_facts(DraftState::SocAgreed, Relation::OtherCounterpart)
        };
        let outsider = actor(Role::Counterpart, Relation::OtherCounterpart);
        assert!(decide(&outsider, Action::Sign, Some(&other)).is_err());
    }

    #[test]
    fn an_administrator_alone_sees_no_draft_and_no_note() {
        let admin = actor(Role::Admin, Relation::HomeSecretariat);
        assert!(!reads_documents(&admin));
        for state in DraftState::ALL {
            let facts = DraftFacts {
                viewer_reads: false,
                ..canonical_facts(state, Relation::HomeSecretariat)
            };
            assert!(!can_see(&facts), "{state:?}");
            assert_eq!(
                decide(&admin, Action::Comment, Some(&facts)),
                Err(Refusal::NotFound)
            );
        }
        for status in [NoteStatus::Draft, NoteStatus::Issued] {
            assert!(!can_see_note(&admin, status, &note_to(&["CICA"])));
        }
    }

    fn note_to(codes: &[&str]) -> Addressees {
        Addressees::organizations(codes.iter().map(|c| OrgCode::parse(c).unwrap()).collect())
            .unwrap()
    }

    #[test]
    fn the_secretariat_sees_every_note_even_unsent() {
        for role in [Role::Secretariat, Role::SecretaryGeneral] {
            let who = actor(role, Relation::HomeSecretariat);
            for status in NoteStatus::ALL {
                assert!(can_see_note(&who, status, &Addressees::AllMemberStates));
                assert!(can_see_note(&who, status, &note_to(&["RUS"])));
            }
        }
    }

    #[test]
    fn others_see_only_issued_notes_addressed_to_them() {
        let kaz = actor(Role::Delegate, Relation::MemberState);
        let sco = actor(Role::Counterpart, Relation::PartyCounterpart);
        let jpn = actor(Role::Observer, Relation::Observer);
        let issued = NoteStatus::Issued;
        assert!(can_see_note(&kaz, issued, &Addressees::AllMemberStates));
        assert!(can_see_note(&kaz, issued, &note_to(&["RUS", "KAZ"])));
        assert!(!can_see_note(&kaz, issued, &note_to(&["RUS"])));
        assert!(!can_see_note(
            &kaz,
            NoteStatus::Draft,
            &Addressees::AllMemberStates
        ));
        assert!(!can_see_note(&kaz, NoteStatus::Draft, &note_to(&["KAZ"])));
        assert!(!can_see_note(&sco, issued, &Addressees::AllMemberStates));
        assert!(can_see_note(&sco, issued, &note_to(&["SCO"])));
        assert!(!can_see_note(&jpn, issued, &Addressees::AllMemberStates));
        assert!(can_see_note(&jpn, issued, &note_to(&["JPN"])));
    }

    #[test]
    fn only_the_secretariat_keeps_the_note_registry() {
        for (role, relation) in valid_pairs() {
            let who = actor(role, relation);
            for action in [Action::CreateNote, Action::EditNote, Action::IssueNote] {
                let allowed = role == Role::Secretariat;
                assert_eq!(
                    decide(&who, action, None).is_ok(),
                    allowed,
                    "{role:?} {relation:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_secretariat_keeps_the_record_of_meetings_and_decisions() {
        for (role, relation) in valid_pairs() {
            let who = actor(role, relation);
            for action in Action::ON_MEETINGS {
                assert!(action.is_draftless(), "{action:?}");
                let allowed = role == Role::Secretariat && relation == Relation::HomeSecretariat;
                assert_eq!(
                    decide(&who, action, None).is_ok(),
                    allowed,
                    "{role:?} {relation:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn viewer_actions_of_a_delegate_on_a_circulated_draft_is_comment_only() {
        let facts = canonical_facts(DraftState::Circulated, Relation::MemberState);
        let delegate = actor(Role::Delegate, Relation::MemberState);
        assert_eq!(viewer_actions(&delegate, &facts), vec![Action::Comment]);
    }
}
