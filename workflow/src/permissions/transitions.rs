//! The drafts' state machine, written once: for each action on a draft,
//! the states it may be done from and the state it leaves the draft in.
//! [`decide`](super::decide) refuses an action from any other state, the
//! permission table ([`TABLE`](super::TABLE)) takes its states from here,
//! and the engine moves a draft to [`to_state`].

use accord_domain::DraftState;

use super::Action;

/// One action's place in the state machine.
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    /// The action.
    pub action: Action,
    /// The states it may be done from.
    pub from: &'static [DraftState],
    /// The state it leaves the draft in; `None` when it leaves the state as
    /// it is (a revision, a comment). A signature leaves the draft
    /// `SOC_AGREED` until the last one, which moves it here.
    pub to: Option<DraftState>,
}

use DraftState::{Circulated, Drafting, Signed, SocAgreed, SwgDiscussion, Withdrawn};

/// While comments are open.
const OPEN: &[DraftState] = &[Circulated, SwgDiscussion];
/// Before the SOC's agreement freezes the text.
const UNFROZEN: &[DraftState] = &[Drafting, Circulated, SwgDiscussion];

/// The drafts' state machine. Circulating from `CIRCULATED` or
/// `SWG_DISCUSSION` also needs a version not circulated yet, and agreeing
/// needs the current version circulated (see `decide`).
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::Revise,
        from: UNFROZEN,
        to: None,
    },
    Transition {
        action: Action::Circulate,
        from: UNFROZEN,
        to: Some(Circulated),
    },
    Transition {
        action: Action::OpenSwgDiscussion,
        from: &[Circulated],
        to: Some(SwgDiscussion),
    },
    Transition {
        action: Action::RecordSocAgreement,
        from: &[SwgDiscussion],
        to: Some(SocAgreed),
    },
    Transition {
        action: Action::Sign,
        from: &[SocAgreed],
        to: Some(Signed),
    },
    Transition {
        action: Action::Withdraw,
        from: &[Drafting, Circulated, SwgDiscussion, SocAgreed],
        to: Some(Withdrawn),
    },
    Transition {
        action: Action::Comment,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::EditComment,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::WithdrawComment,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::ResolveProposal,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::RecordStance,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::RecordObjectionWithdrawn,
        from: OPEN,
        to: None,
    },
    Transition {
        action: Action::CirculateCompilation,
        from: OPEN,
        to: None,
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

/// The state `action` leaves a draft in, if it moves it.
pub const fn to_state(action: Action) -> Option<DraftState> {
    match transition(action) {
        Some(t) => t.to,
        None => None,
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
    fn nothing_leaves_a_final_state_and_every_move_is_forward() {
        for t in TRANSITIONS {
            assert!(
                t.from.iter().all(|s| !s.is_final()),
                "{:?} from a final state",
                t.action
            );
            if let Some(to) = t.to {
                assert!(!t.from.is_empty(), "{:?} moves from nowhere", t.action);
                assert!(
                    to != Drafting,
                    "{:?}: nothing goes back to DRAFTING",
                    t.action
                );
            }
        }
    }

    #[test]
    fn every_state_but_the_first_is_reached_and_every_other_state_left() {
        for state in DraftState::ALL {
            let reached = TRANSITIONS.iter().any(|t| t.to == Some(state));
            let left = TRANSITIONS
                .iter()
                .any(|t| t.to.is_some_and(|to| to != state) && t.from.contains(&state));
            assert_eq!(reached, state != Drafting, "{state:?} reached");
            assert_eq!(left, !state.is_final(), "{state:?} left");
        }
    }
}
