//! The states each action on a draft may be done from: the part of the
//! state machine that holds on every route. [`decide`](super::decide)
//! refuses an action from any other state; where a move leads (and whether
//! the draft's route leads there at all) is the route's to say
//! (`accord_domain::Route`, [`super::Ahead`]). The permission table
//! ([`TABLE`](super::TABLE)) narrows these states to those where its
//! canonical situations allow the action.

use accord_domain::DraftState;

use super::Action;

/// One action's place in the state machine.
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    /// The action.
    pub action: Action,
    /// The states it may be done from, on some route.
    pub from: &'static [DraftState],
}

use DraftState::{
    Adopted, Agreed, Approved, Circulated, Drafting, SocAgreed, SwgDiscussion, UnderConsideration,
    UnderSilence,
};

/// While comments are open: circulated, before a body, under silence.
const OPEN: &[DraftState] = &[Circulated, SwgDiscussion, UnderConsideration, UnderSilence];
/// Before a decision freezes the text (and not while silence runs on it).
const UNFROZEN: &[DraftState] = &[Drafting, Circulated, SwgDiscussion, UnderConsideration];
/// Where a body may take up a circulated text: after circulation, after
/// another body's consideration or decision.
const BEFORE_A_BODY: &[DraftState] = &[
    Circulated,
    SwgDiscussion,
    UnderConsideration,
    SocAgreed,
    Agreed,
    Adopted,
    Approved,
];
/// Once a decision froze the text.
const DECIDED: &[DraftState] = &[SocAgreed, Agreed, Adopted, Approved];
/// Every state but the final ones.
const LIVE: &[DraftState] = &[
    Drafting,
    Circulated,
    SwgDiscussion,
    UnderConsideration,
    UnderSilence,
    SocAgreed,
    Agreed,
    Adopted,
    Approved,
];

/// The states each action on a draft may be done from. Circulating from
/// anywhere but drafting also needs a version not circulated yet; deciding
/// needs the current version circulated (see `decide`).
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::Revise,
        from: UNFROZEN,
    },
    Transition {
        action: Action::Circulate,
        from: UNFROZEN,
    },
    Transition {
        action: Action::OpenSwgDiscussion,
        from: &[Circulated, SwgDiscussion, UnderConsideration],
    },
    Transition {
        action: Action::RecordSocAgreement,
        from: BEFORE_A_BODY,
    },
    Transition {
        action: Action::RecordBodyDecision,
        from: BEFORE_A_BODY,
    },
    Transition {
        action: Action::PutUnderSilence,
        from: &[Circulated],
    },
    Transition {
        action: Action::Sign,
        from: DECIDED,
    },
    Transition {
        action: Action::Withdraw,
        from: LIVE,
    },
    Transition {
        action: Action::Comment,
        from: OPEN,
    },
    Transition {
        action: Action::EditComment,
        from: OPEN,
    },
    Transition {
        action: Action::WithdrawComment,
        from: OPEN,
    },
    Transition {
        action: Action::ResolveProposal,
        from: OPEN,
    },
    Transition {
        action: Action::RecordStance,
        from: OPEN,
    },
    Transition {
        action: Action::RecordObjectionWithdrawn,
        from: OPEN,
    },
    Transition {
        action: Action::CirculateCompilation,
        from: OPEN,
    },
];

/// The row of [`TRANSITIONS`] for `action`, if it acts on a draft.
pub const fn transition(action: Action) -> Option<&'static Transition> {
    let mut i = 0;
    while i < TRANSITIONS.len() {
        // `==` on the enum is not callable in a const fn; its discriminant is.
        if TRANSITIONS[i].action as u8 == action as u8 {
            return Some(&TRANSITIONS[i]);
        }
        i += 1;
    }
    None
}

/// The states `action` may be done from (none for an action that does not
/// act on a draft).
pub const fn from_states(action: Action) -> &'static [DraftState] {
    match transition(action) {
        Some(t) => t.from,
        None => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_draft_action_and_none_for_the_others() {
        for &action in Action::ALL {
            let rows = TRANSITIONS.iter().filter(|t| t.action == action).count();
            assert!(rows <= 1, "{action:?} has {rows} rows");
            assert_eq!(
                transition(action).is_some(),
                rows == 1,
                "{action:?}: the lookup finds its row"
            );
        }
    }

    #[test]
    fn nothing_is_done_from_a_final_state_and_nothing_changes_a_frozen_text() {
        for t in TRANSITIONS {
            assert!(
                t.from.iter().all(|s| !s.is_final()),
                "{:?} from a final state",
                t.action
            );
        }
        for frozen in DECIDED {
            assert!(!from_states(Action::Revise).contains(frozen));
            assert!(!from_states(Action::Circulate).contains(frozen));
            assert!(!from_states(Action::Comment).contains(frozen));
        }
        assert!(!from_states(Action::Revise).contains(&UnderSilence));
    }
}
