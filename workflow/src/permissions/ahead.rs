//! What a draft's route offers next from where the draft stands: the
//! part of the facts ([`super::DraftFacts`]) that the route decides. The
//! rules ask it whether a move is on the draft's road; the engine then
//! asks the route for the stage itself (`Route::next_of_kind`).

use accord_domain::{Route, StageKind};

/// The kinds of stage a draft's route leads to from its current stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ahead {
    /// A circulation to the member states.
    pub circulation: bool,
    /// Consideration by a body at a meeting.
    pub consideration: bool,
    /// A decision of the Senior Officials Committee.
    pub soc_decision: bool,
    /// A decision of another body (the Ministerial Council, the Summit).
    pub other_decision: bool,
    /// A silence procedure.
    pub silence: bool,
    /// Signature.
    pub signature: bool,
    /// The draft stands at the last stage of its route: nothing follows.
    pub at_end: bool,
}

impl Ahead {
    /// What `route` offers a draft standing at `stage` (`None`: drafting).
    pub fn of(route: &Route, stage: Option<&str>) -> Ahead {
        let mut ahead = Ahead {
            at_end: stage.is_some_and(|s| route.ends_at(s)),
            ..Ahead::default()
        };
        for next in route.next(stage) {
            match &next.kind {
                StageKind::Circulation => ahead.circulation = true,
                StageKind::Consideration { .. } => ahead.consideration = true,
                StageKind::Decision { body, .. } if body == SOC => ahead.soc_decision = true,
                StageKind::Decision { .. } => ahead.other_decision = true,
                StageKind::Silence { .. } => ahead.silence = true,
                StageKind::Signature { .. } => ahead.signature = true,
            }
        }
        ahead
    }
}

/// The Senior Officials Committee's code: its decisions are recorded by
/// their own action (`RECORD_SOC_AGREEMENT`).
pub const SOC: &str = "SOC";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_the_default_route_each_state_leads_where_it_always_did() {
        let route = Route::stored(Route::default_definition());
        let at = |stage| Ahead::of(&route, stage);
        assert!(at(None).circulation && !at(None).consideration);
        assert!(at(Some("circulation")).consideration);
        let swg = at(Some("swg"));
        assert!(swg.circulation && swg.soc_decision && !swg.other_decision);
        assert!(at(Some("soc")).signature && !at(Some("soc")).at_end);
        assert_eq!(
            at(Some("signature")),
            Ahead {
                at_end: true,
                ..Ahead::default()
            }
        );
    }
}
