//! The permission table: the rules of `decide` and `decide_on_plan`
//! written as data, one row per action. The end-to-end suite's oracle
//! (`tests/tests/e2e/oracle.rs`) derives from it the outcome of each
//! (role × relation × action × state) cell and checks `decide` and the
//! server against every one.

use accord_domain::{DecisionVerb, DraftState, Role, Route, RouteDefinition, Stage, StageKind};

use super::{Action, Ahead, DraftFacts, Relation, from_states};
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
    /// situation of that state: on its canonical route, at its canonical
    /// stage (see [`canonical_facts`]).
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
        // Where the canonical route leads to a consideration.
        states: &[DraftState::Circulated],
    },
    Rule {
        action: Action::RecordSocAgreement,
        who: SECRETARIAT,
        // Where the canonical route leads to a decision of the SOC.
        states: &[DraftState::SwgDiscussion],
    },
    Rule {
        action: Action::RecordBodyDecision,
        who: SECRETARIAT,
        // Where the canonical route leads to a decision of another body.
        states: &[DraftState::UnderConsideration],
    },
    Rule {
        action: Action::PutUnderSilence,
        who: SECRETARIAT,
        // No canonical route leads from a circulation to silence: the
        // default route's circulation leads to the SWG, and a draft under
        // silence is past the move. The end-to-end suite puts drafts on a
        // route with silence (`tests/tests/e2e/silence.rs`).
        states: &[],
    },
    Rule {
        action: Action::Sign,
        // Or a person acting for one under a delegation in force, which
        // no canonical situation has (see `DraftFacts::viewer_acting`).
        who: &[
            (Role::SecretaryGeneral, Relation::HomeSecretariat),
            (Role::SecretaryGeneral, Relation::PartyCounterpart),
        ],
        // Where the canonical route leads to a signature.
        states: &[DraftState::SocAgreed, DraftState::Agreed],
    },
    Rule {
        action: Action::Withdraw,
        who: SECRETARIAT,
        // Every live state but those where the canonical route ends.
        states: &[
            DraftState::Drafting,
            DraftState::Circulated,
            DraftState::SwgDiscussion,
            DraftState::UnderConsideration,
            DraftState::UnderSilence,
            DraftState::SocAgreed,
            DraftState::Agreed,
        ],
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
    Rule {
        action: Action::DefineRoute,
        who: ROUTE_KEEPERS,
        states: &[],
    },
    Rule {
        action: Action::PublishRoute,
        who: ROUTE_KEEPERS,
        states: &[],
    },
    Rule {
        action: Action::DelegateSigning,
        who: SECRETARIES_GENERAL,
        states: &[],
    },
    Rule {
        action: Action::RevokeSigningDelegation,
        who: SECRETARIES_GENERAL,
        states: &[],
    },
];

/// The Secretaries General of the home and counterpart secretariats: who
/// sign, and who delegate their signing.
const SECRETARIES_GENERAL: &[(Role, Relation)] = &[
    (Role::SecretaryGeneral, Relation::HomeSecretariat),
    (Role::SecretaryGeneral, Relation::PartyCounterpart),
    (Role::SecretaryGeneral, Relation::OtherCounterpart),
];

/// Who defines and publishes routes: the Secretariat, and an
/// administrator wherever they are.
const ROUTE_KEEPERS: &[(Role, Relation)] = &[
    (Role::Secretariat, Relation::HomeSecretariat),
    (Role::Admin, Relation::HomeSecretariat),
    (Role::Admin, Relation::PartyCounterpart),
    (Role::Admin, Relation::OtherCounterpart),
    (Role::Admin, Relation::MemberState),
    (Role::Admin, Relation::Observer),
];

/// The table's row for `action`, if any.
pub fn rule(action: Action) -> Option<&'static Rule> {
    TABLE.iter().find(|rule| rule.action == action)
}

/// The facts of the draft that the table assumes for a state: one reached
/// by the shortest path on its canonical route ([`canonical_route`],
/// [`canonical_stage`]; withdrawn after circulation), signed by CICA and
/// SCO, with nothing signed yet where a signature is ahead, and no
/// uncirculated version except while drafting.
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
        viewer_acting: false,
        viewer_reads: true,
        ahead: Ahead::of(&canonical_route(state), canonical_stage(state)),
    }
}

/// The route the table's cells assume for a draft in `state`: the default
/// route for the states it has, and for the others the shortest route
/// that has them:
///
/// - `UNDER_CONSIDERATION`, `AGREED`: circulation, consideration by the
///   Ministerial Council (which may send the text back to circulation),
///   agreement by the Summit, signature by every party;
/// - `UNDER_SILENCE`: circulation, then silence procedure for the SOC;
/// - `ADOPTED`: the default route to the SOC's agreement, then adoption
///   by the Ministerial Council, which ends it;
/// - `APPROVED`: circulation, then approval by the SOC, which ends it.
pub fn canonical_route(state: DraftState) -> Route {
    let stage = Stage::new;
    let decision = |body: &str, verb| StageKind::Decision {
        body: body.to_owned(),
        verb,
    };
    let stages = match state {
        DraftState::UnderConsideration | DraftState::Agreed => vec![
            stage("circulation", StageKind::Circulation, &["mc"]),
            stage(
                "mc",
                StageKind::Consideration { body: "MC".into() },
                &["circulation", "summit"],
            ),
            stage(
                "summit",
                decision("SUMMIT", DecisionVerb::Agree),
                &["signature"],
            ),
            stage("signature", StageKind::signed_by_every_party(), &[]),
        ],
        DraftState::UnderSilence => vec![
            stage("circulation", StageKind::Circulation, &["silence"]),
            stage("silence", StageKind::Silence { body: "SOC".into() }, &[]),
        ],
        DraftState::Adopted => {
            let mut stages = Route::default_definition().stages;
            stages.truncate(3);
            stages[2].next = vec!["mc".into()];
            stages.push(stage("mc", decision("MC", DecisionVerb::Adopt), &[]));
            stages
        }
        DraftState::Approved => vec![
            stage("circulation", StageKind::Circulation, &["soc"]),
            stage("soc", decision("SOC", DecisionVerb::Approve), &[]),
        ],
        _ => Route::default_definition().stages,
    };
    Route::stored(RouteDefinition { stages })
}

/// The stage the table's cells assume a draft in `state` stands at, on
/// its [`canonical_route`]: none while drafting, the circulation while
/// silence runs on it (and once withdrawn), else the stage whose state
/// it is.
pub fn canonical_stage(state: DraftState) -> Option<&'static str> {
    match state {
        DraftState::Drafting => None,
        DraftState::Circulated | DraftState::UnderSilence | DraftState::Withdrawn => {
            Some("circulation")
        }
        DraftState::SwgDiscussion => Some("swg"),
        DraftState::UnderConsideration | DraftState::Adopted => Some("mc"),
        DraftState::SocAgreed | DraftState::Approved => Some("soc"),
        DraftState::Agreed => Some("summit"),
        DraftState::Signed => Some("signature"),
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
    fn every_canonical_route_is_a_valid_route() {
        let context = accord_domain::RouteContext {
            bodies: [
                ("SWG", false),
                ("SOC", true),
                ("MC", true),
                ("SUMMIT", true),
            ]
            .into_iter()
            .map(|(body, decides)| (body.to_owned(), decides))
            .collect(),
            signing_orgs: ["CICA", "SCO"].into_iter().map(str::to_owned).collect(),
        };
        for state in DraftState::ALL {
            let route = canonical_route(state);
            let checked = route.definition().validate(&context);
            assert_eq!(checked, Ok(route), "{state:?}");
        }
    }

    #[test]
    fn each_state_stands_at_a_stage_of_its_canonical_route_that_shows_it() {
        for state in DraftState::ALL {
            let route = canonical_route(state);
            let Some(key) = canonical_stage(state) else {
                assert_eq!(state, DraftState::Drafting);
                continue;
            };
            let stage = route.stage(key).unwrap();
            if !matches!(state, DraftState::UnderSilence | DraftState::Withdrawn) {
                assert_eq!(stage.state(), state, "{state:?}");
            }
        }
    }

    #[test]
    fn every_action_has_a_row_in_the_table() {
        for &action in Action::ALL {
            assert!(rule(action).is_some(), "{action:?} is missing from TABLE");
        }
        assert_eq!(TABLE.len(), Action::ALL.len(), "one row per action");
    }
}
