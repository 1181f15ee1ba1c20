//! The permission table: the rules of `decide` and `decide_on_plan`
//! written as data, one row per action. The end-to-end suite's oracle
//! (`tests/tests/e2e/oracle.rs`) derives from it the outcome of each
//! (role × relation × action × state) cell and checks `decide` and the
//! server against every one.

use accord_domain::{DraftState, Role};

use super::{Action, DraftFacts, Relation, from_states};
use crate::actor::Actor;
use crate::error::Result;

/// One row of the permission table: who (role and relation to the draft)
/// may do `action` from which states. Everyone else who can see the draft
/// gets `FORBIDDEN`; allowed people in another state get
/// `INVALID_TRANSITION`; people who cannot see it get `NOT_FOUND`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The action.
    pub action: Action,
    /// The (role, relation) pairs that may do it.
    pub who: &'static [(Role, Relation)],
    /// The states it may be done from, for a draft in the canonical
    /// situation of that state (see [`canonical_facts`]).
    pub states: &'static [DraftState],
}

const SECRETARIAT: &[(Role, Relation)] = &[(Role::Secretariat, Relation::HomeSecretariat)];
const COMMENTERS: &[(Role, Relation)] = &[
    (Role::Secretariat, Relation::HomeSecretariat),
    (Role::Counterpart, Relation::PartyCounterpart),
    (Role::Delegate, Relation::MemberState),
];
/// For the plan actions of [`Action::BY_ORGANISERS`]: the Secretariat, and
/// a delegate of a member state that organises the event in question (a
/// delegate of another member state is `FORBIDDEN`; see
/// [`expected_on_plan`]).
const ORGANISERS: &[(Role, Relation)] = &[
    (Role::Secretariat, Relation::HomeSecretariat),
    (Role::Delegate, Relation::MemberState),
];
/// The Secretariat and member-state delegates: who uploads documents and
/// keeps calendar feeds.
const SECRETARIAT_AND_DELEGATES: &[(Role, Relation)] = &[
    (Role::Secretariat, Relation::HomeSecretariat),
    (Role::Delegate, Relation::MemberState),
];

/// The permission table: the rules of [`decide`](super::decide) written as
/// data, one row per action. Tests generate every (role × relation × action
/// × state) cell from it.
pub const TABLE: &[Rule] = &[
    Rule {
        action: Action::CreateDraft,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::Revise,
        who: SECRETARIAT,
        states: from_states(Action::Revise),
    },
    Rule {
        action: Action::Circulate,
        who: SECRETARIAT,
        // From CIRCULATED and SWG_DISCUSSION too, but only with a version
        // not circulated yet, which the canonical facts of those states
        // lack (see `TRANSITIONS`).
        states: &[DraftState::Drafting],
    },
    Rule {
        action: Action::OpenSwgDiscussion,
        who: SECRETARIAT,
        states: from_states(Action::OpenSwgDiscussion),
    },
    Rule {
        action: Action::RecordSocAgreement,
        who: SECRETARIAT,
        states: from_states(Action::RecordSocAgreement),
    },
    Rule {
        action: Action::Sign,
        who: &[
            (Role::SecretaryGeneral, Relation::HomeSecretariat),
            (Role::SecretaryGeneral, Relation::PartyCounterpart),
        ],
        states: from_states(Action::Sign),
    },
    Rule {
        action: Action::Withdraw,
        who: SECRETARIAT,
        states: from_states(Action::Withdraw),
    },
    Rule {
        action: Action::Comment,
        who: COMMENTERS,
        states: from_states(Action::Comment),
    },
    Rule {
        action: Action::ResolveProposal,
        who: SECRETARIAT,
        states: from_states(Action::ResolveProposal),
    },
    Rule {
        action: Action::EditComment,
        who: COMMENTERS,
        states: from_states(Action::EditComment),
    },
    Rule {
        action: Action::WithdrawComment,
        who: COMMENTERS,
        states: from_states(Action::WithdrawComment),
    },
    Rule {
        action: Action::RecordStance,
        who: &[(Role::Delegate, Relation::MemberState)],
        states: from_states(Action::RecordStance),
    },
    Rule {
        action: Action::RecordObjectionWithdrawn,
        who: SECRETARIAT,
        states: from_states(Action::RecordObjectionWithdrawn),
    },
    Rule {
        action: Action::CirculateCompilation,
        who: SECRETARIAT,
        states: from_states(Action::CirculateCompilation),
    },
    Rule {
        action: Action::ContinueNoteSeries,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::CreateNote,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::EditNote,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::IssueNote,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::ScheduleMeeting,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::EditMeeting,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::AddAgendaItem,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::MoveAgendaItem,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::RemoveAgendaItem,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::RecordDecision,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::EditDecision,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::UploadFile,
        who: SECRETARIAT_AND_DELEGATES,
        states: &[],
    },
    Rule {
        action: Action::CreatePlan,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::EditPlan,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::AddEvent,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::EditEvent,
        who: ORGANISERS,
        states: &[],
    },
    Rule {
        action: Action::MoveEvent,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::RebaseEvent,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::SetEventStatus,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::AdoptSubmissionRule,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::RecordSubmission,
        who: ORGANISERS,
        states: &[],
    },
    Rule {
        action: Action::DraftReminder,
        who: SECRETARIAT,
        states: &[],
    },
    Rule {
        action: Action::CreateCalendarFeed,
        who: SECRETARIAT_AND_DELEGATES,
        states: &[],
    },
    Rule {
        action: Action::RevokeCalendarFeed,
        who: SECRETARIAT_AND_DELEGATES,
        states: &[],
    },
];

/// The table's row for `action`, if any.
pub fn rule(action: Action) -> Option<&'static Rule> {
    TABLE.iter().find(|rule| rule.action == action)
}

/// The facts of the draft that the table assumes for a state: one reached
/// by the shortest path (withdrawn after circulation), signed by CICA and
/// SCO, with nothing signed yet in SOC_AGREED, and no uncirculated version
/// except while drafting.
pub fn canonical_facts(state: DraftState, relation: Relation) -> DraftFacts {
    DraftFacts {
        state,
        relation,
        ever_circulated: state != DraftState::Drafting,
        has_uncirculated_version: state == DraftState::Drafting,
        viewer_signs: matches!(
            relation,
            Relation::HomeSecretariat | Relation::PartyCounterpart
        ),
        viewer_signed: state == DraftState::Signed
            && matches!(
                relation,
                Relation::HomeSecretariat | Relation::PartyCounterpart
            ),
        viewer_reads: true,
    }
}

/// A person holding `role` in an organisation standing in `relation` to
/// the drafts the table's cells assume (a CICA draft that SCO co-signs):
/// CICA, SCO, KAZ for a member state, JPN for an observer.
pub fn person_in(role: Role, relation: Relation) -> Result<Actor> {
    let org = match relation {
        Relation::HomeSecretariat => "CICA",
        Relation::PartyCounterpart | Relation::OtherCounterpart => "SCO",
        Relation::MemberState => "KAZ",
        Relation::Observer => "JPN",
    };
    Actor::new(
        "person-1",
        "Person One",
        accord_domain::OrgCode::parse(org)?,
        relation.org_kind(),
        [role],
    )
}

/// Every (role, relation) pair an authenticated person can be in: the role
/// must fit the kind of organisation the relation implies.
pub fn valid_pairs() -> impl Iterator<Item = (Role, Relation)> {
    Relation::ALL.iter().copied().flat_map(|relation| {
        Role::ALL
            .into_iter()
            .filter(move |role| relation.org_kind().allows_role(*role))
            .map(move |role| (role, relation))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_row_in_the_table() {
        for &action in Action::ALL {
            assert!(rule(action).is_some(), "{action:?} is missing from TABLE");
        }
        assert_eq!(TABLE.len(), Action::ALL.len(), "one row per action");
    }
}
