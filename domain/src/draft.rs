//! The states of a draft and of the comments and proposals made on it.

string_enum! {
    /// Where a draft stands on its path to signature (SPEC §2).
    pub enum DraftState ("draft state") {
        /// Internal to the secretariats that are parties to it.
        Drafting => "DRAFTING",
        /// Sent to member states by a note verbale; open for comments.
        Circulated => "CIRCULATED",
        /// On the agenda of a Special Working Group meeting.
        SwgDiscussion => "SWG_DISCUSSION",
        /// On the agenda of a meeting of another body that considers it
        /// without a decision (a route's consideration stage).
        UnderConsideration => "UNDER_CONSIDERATION",
        /// Under silence procedure: deemed agreed unless a member state
        /// breaks silence before the deadline.
        UnderSilence => "UNDER_SILENCE",
        /// Agreed by a Senior Officials Committee decision; the text is frozen.
        SocAgreed => "SOC_AGREED",
        /// Agreed by a decision of another body; the text is frozen.
        Agreed => "AGREED",
        /// Adopted by a body's decision (a Ministerial Council declaration);
        /// the text is frozen.
        Adopted => "ADOPTED",
        /// Approved by a body's decision (a Plan of Implementation); the
        /// text is frozen.
        Approved => "APPROVED",
        /// Signed by every required Secretary General.
        Signed => "SIGNED",
        /// Withdrawn, with a reason.
        Withdrawn => "WITHDRAWN",
    }
}

impl DraftState {
    /// Whether no transition can leave this state, on any route. (A
    /// draft also rests for good at the last stage of its route, a
    /// decision for instance: see `Route::ends_at`.)
    pub fn is_final(self) -> bool {
        matches!(self, DraftState::Signed | DraftState::Withdrawn)
    }
}

string_enum! {
    /// Whether a comment is a remark or carries proposed text.
    pub enum CommentKind ("comment kind") {
        /// A remark without proposed text.
        Comment => "COMMENT",
        /// A comment carrying proposed text for an item.
        Proposal => "PROPOSAL",
    }
}

string_enum! {
    /// The life of a comment: open until resolved or withdrawn by its author.
    pub enum CommentStatus ("comment status") {
        /// Not yet resolved; the author may still edit or withdraw it.
        Open => "OPEN",
        /// The proposal was taken in full.
        Accommodated => "ACCOMMODATED",
        /// The proposal was taken in part.
        PartiallyAccommodated => "PARTIALLY_ACCOMMODATED",
        /// The proposal was not taken.
        NotAccommodated => "NOT_ACCOMMODATED",
        /// Withdrawn by its author.
        Withdrawn => "WITHDRAWN",
    }
}

string_enum! {
    /// The secretariat's disposition of a proposal.
    pub enum ProposalResolution ("proposal resolution") {
        /// Taken in full.
        Accommodated => "ACCOMMODATED",
        /// Taken in part.
        PartiallyAccommodated => "PARTIALLY_ACCOMMODATED",
        /// Not taken.
        NotAccommodated => "NOT_ACCOMMODATED",
    }
}

impl ProposalResolution {
    /// The status a comment takes when resolved this way.
    pub fn status(self) -> CommentStatus {
        match self {
            ProposalResolution::Accommodated => CommentStatus::Accommodated,
            ProposalResolution::PartiallyAccommodated => CommentStatus::PartiallyAccommodated,
            ProposalResolution::NotAccommodated => CommentStatus::NotAccommodated,
        }
    }
}

string_enum! {
    /// What a proposal does to the item it is anchored to.
    pub enum ProposalOperation ("proposal operation") {
        /// Replace the item's text.
        Replace => "REPLACE",
        /// Insert a new item after it.
        InsertAfter => "INSERT_AFTER",
        /// Delete the item.
        Delete => "DELETE",
    }
}

string_enum! {
    /// A member state's stance on a circulated version.
    pub enum Stance ("stance") {
        /// The state does not object to the text.
        NoObjection => "NO_OBJECTION",
        /// Agreed ad referendum: pending confirmation by the state's capital.
        AdReferendum => "AD_REFERENDUM",
        /// Joins the text with a reservation, stated in words.
        Reservation => "RESERVATION",
        /// Objects to the text; the SOC cannot agree it while this stands.
        Objection => "OBJECTION",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signed_and_withdrawn_are_final() {
        let finals: Vec<_> = DraftState::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [DraftState::Signed, DraftState::Withdrawn]);
    }

    #[test]
    fn state_names_are_screaming_snake_case_everywhere() {
        assert_eq!(DraftState::SwgDiscussion.as_str(), "SWG_DISCUSSION");
        assert_eq!(DraftState::SocAgreed.to_string(), "SOC_AGREED");
        for state in DraftState::ALL {
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{state}\"")
            );
            assert_eq!(state.as_str().parse::<DraftState>(), Ok(state));
        }
    }

    #[test]
    fn an_unknown_state_is_rejected_with_the_accepted_list() {
        let error = "swg_discussion".parse::<DraftState>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown draft state \"swg_discussion\"; expected one of DRAFTING, CIRCULATED, \
             SWG_DISCUSSION, UNDER_CONSIDERATION, UNDER_SILENCE, SOC_AGREED, AGREED, ADOPTED, \
             APPROVED, SIGNED, WITHDRAWN"
        );
    }

    #[test]
    fn each_resolution_maps_to_the_comment_status_of_the_same_name() {
        for resolution in ProposalResolution::ALL {
            assert_eq!(resolution.status().as_str(), resolution.as_str());
        }
    }

    #[test]
    fn comment_and_proposal_enums_round_trip() {
        for kind in CommentKind::ALL {
            assert_eq!(kind.as_str().parse::<CommentKind>(), Ok(kind));
        }
        for status in CommentStatus::ALL {
            assert_eq!(status.as_str().parse::<CommentStatus>(), Ok(status));
        }
        for op in ProposalOperation::ALL {
            assert_eq!(op.as_str().parse::<ProposalOperation>(), Ok(op));
        }
        assert_eq!(ProposalOperation::InsertAfter.as_str(), "INSERT_AFTER");
    }
}
