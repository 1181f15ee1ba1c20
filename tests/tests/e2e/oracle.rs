//! The permission table's oracle: the outcome each cell of the table
//! prescribes, kept here, apart from the code it checks.
//!
//! The rows (who may do what, from which states) are
//! `permissions::TABLE`'s; who may know that a draft exists and who reads
//! comments are written out below as data, not taken from
//! `permissions::can_see` or the rules behind it, so that the `NOT_FOUND`
//! cells are checked independently of the code that decides them.

use accord_domain::{DraftState, Role};
use accord_workflow::permissions::{
    self, Action, EventFacts, Refusal, Relation, canonical_facts, rule, valid_pairs,
};

/// The expected outcome of one cell of the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The action is carried out.
    Allowed,
    /// `NOT_FOUND`: the viewer may not know the draft exists.
    NotFound,
    /// `FORBIDDEN`: the viewer may see the draft but not do this.
    Forbidden,
    /// `INVALID_TRANSITION`: not from this state.
    InvalidTransition,
}

/// Who knows of a draft that was never circulated (in the table's cells,
/// one in `DRAFTING`): the secretariats that are parties to it. Everyone
/// else who reads documents knows of it from its first circulation (in the
/// table's cells every later state, a withdrawn draft included, was
/// circulated first).
const KNOW_OF_UNCIRCULATED: [Relation; 2] = [Relation::HomeSecretariat, Relation::PartyCounterpart];

/// Who reads comments on a draft they know of: not observers, not a
/// counterpart that is no party to it.
const READ_COMMENTS: [Relation; 3] = [
    Relation::HomeSecretariat,
    Relation::PartyCounterpart,
    Relation::MemberState,
];

/// Whether a person in `relation` knows of a draft in `state`, in the
/// table's cells.
fn knows_of(role: Role, relation: Relation, state: DraftState) -> bool {
    // An administrator (a single role in these cells) reads no document.
    role != Role::Admin
        && (state != DraftState::Drafting || KNOW_OF_UNCIRCULATED.contains(&relation))
}

/// The outcome the table prescribes for one cell.
pub fn expected(
    role: Role,
    action: Action,
    state: Option<DraftState>,
    relation: Relation,
) -> Expect {
    let Some(rule) = rule(action) else {
        return Expect::Forbidden;
    };
    let permitted = rule.who.contains(&(role, relation));
    let Some(state) = state else {
        return allowed_or_forbidden(permitted);
    };
    if !knows_of(role, relation, state)
        || (action.targets_a_comment() && !READ_COMMENTS.contains(&relation))
    {
        Expect::NotFound
    } else if !permitted {
        Expect::Forbidden
    } else if rule.states.contains(&state) {
        Expect::Allowed
    } else {
        Expect::InvalidTransition
    }
}

/// The outcome the table prescribes for a plan action by `role` in
/// `relation`, whose organisation organises the event (`organiser`) or
/// not. A member state in the row's `who` stands for the organising
/// member states only.
pub fn expected_on_plan(role: Role, action: Action, relation: Relation, organiser: bool) -> Expect {
    let Some(rule) = rule(action) else {
        return Expect::Forbidden;
    };
    allowed_or_forbidden(
        rule.who.contains(&(role, relation)) && (relation != Relation::MemberState || organiser),
    )
}

/// A cell that depends on who acts only.
fn allowed_or_forbidden(permitted: bool) -> Expect {
    if permitted {
        Expect::Allowed
    } else {
        Expect::Forbidden
    }
}

fn outcome(result: Result<(), Refusal>) -> Expect {
    match result {
        Ok(()) => Expect::Allowed,
        Err(Refusal::NotFound) => Expect::NotFound,
        Err(Refusal::Forbidden(_)) => Expect::Forbidden,
        Err(Refusal::InvalidTransition(_)) => Expect::InvalidTransition,
    }
}

/// `decide` and `decide_on_plan` give every cell the outcome above,
/// without a server; the other modules replay the cells over HTTP.
#[test]
fn decide_agrees_with_every_cell_of_the_table() {
    let mut cells = 0;
    let mut not_found = 0;
    for (role, relation) in valid_pairs() {
        let who = permissions::person_in(role, relation).unwrap();
        for &action in Action::ALL {
            if action.on_plans() {
                for organiser in [false, true] {
                    let facts = EventFacts { organiser };
                    let got = outcome(permissions::decide_on_plan(&who, action, Some(&facts)));
                    assert_eq!(
                        got,
                        expected_on_plan(role, action, relation, organiser),
                        "{role:?} {relation:?} {action:?} organiser={organiser}"
                    );
                    cells += 1;
                }
                continue;
            }
            if action.is_draftless() {
                let got = outcome(permissions::decide(&who, action, None));
                assert_eq!(
                    got,
                    expected(role, action, None, relation),
                    "{role:?} {relation:?} {action:?}"
                );
                cells += 1;
                continue;
            }
            for state in DraftState::ALL {
                let facts = canonical_facts(state, relation);
                let got = outcome(permissions::decide(&who, action, Some(&facts)));
                let want = expected(role, action, Some(state), relation);
                assert_eq!(
                    got, want,
                    "{role:?} as {relation:?}: {action:?} in {state:?}"
                );
                cells += 1;
                not_found += usize::from(want == Expect::NotFound);
            }
        }
    }
    assert!(
        cells > 500,
        "the matrix should cover every cell, got {cells}"
    );
    assert!(
        not_found > 0 && not_found < cells,
        "some cells and not all are NOT_FOUND ({not_found} of {cells})"
    );
}
