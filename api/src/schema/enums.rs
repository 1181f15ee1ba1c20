//! GraphQL enums mirroring the domain's, with the contract's names.

use async_graphql::Enum;

/// A language of the texts. English and Russian are equally authentic.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::Lang")]
pub enum Lang {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
    /// Chinese.
    Zh,
}

/// Where a draft is in its life: the state its route's current stage
/// shows (`Draft.stage` names the stage itself).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::DraftState")]
pub enum DraftState {
    /// Internal to the Secretariat and the party counterparts.
    Drafting,
    /// Sent to member states by note verbale.
    Circulated,
    /// On the agenda of a Special Working Group meeting.
    SwgDiscussion,
    /// On the agenda of a meeting of another body that considers it
    /// without a decision (a consideration stage of its route).
    UnderConsideration,
    /// Under silence procedure: deemed agreed unless a member state
    /// breaks silence before the deadline.
    UnderSilence,
    /// Agreed by the Senior Officials Committee; the text is frozen.
    SocAgreed,
    /// Agreed by a decision of another body; the text is frozen.
    Agreed,
    /// Adopted by a body's decision (a Ministerial Council declaration);
    /// the text is frozen.
    Adopted,
    /// Approved by a body's decision (a Plan of Implementation); the text
    /// is frozen.
    Approved,
    /// Signed by the signatories its route requires.
    Signed,
    /// Withdrawn for good.
    Withdrawn,
}

/// A role carried in the token.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::Role")]
pub enum Role {
    /// Secretariat officer.
    Secretariat,
    /// Secretary General of a secretariat.
    SecretaryGeneral,
    /// Member-state delegate.
    Delegate,
    /// Counterpart secretariat officer.
    Counterpart,
    /// Observer.
    Observer,
    /// Administrator of reference data.
    Admin,
}

/// What kind of organisation.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::OrgKind")]
pub enum OrganizationKind {
    /// The home secretariat (CICA).
    Secretariat,
    /// A counterpart secretariat (SCO).
    Counterpart,
    /// A member state.
    MemberState,
    /// An observer state or organisation.
    Observer,
}

/// A comment, or a proposal carrying amended text.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::CommentKind")]
pub enum CommentKind {
    /// A remark.
    Comment,
    /// An amendment to an item.
    Proposal,
}

/// A comment's status: open, its disposition, or withdrawn by its author.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::CommentStatus")]
pub enum CommentStatus {
    /// Not yet answered.
    Open,
    /// Taken into the text.
    Accommodated,
    /// Taken in part.
    PartiallyAccommodated,
    /// Not taken.
    NotAccommodated,
    /// Taken back by its author.
    Withdrawn,
}

/// The Secretariat's disposition of a proposal.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::ProposalResolution")]
pub enum ProposalResolution {
    /// Taken into the text.
    Accommodated,
    /// Taken in part.
    PartiallyAccommodated,
    /// Not taken.
    NotAccommodated,
}

/// What a proposal does to its item.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::ProposalOperation")]
pub enum ProposalOperation {
    /// Replace the item's text.
    Replace,
    /// Insert a new item after it.
    InsertAfter,
    /// Delete the item.
    Delete,
}

/// How an item changed between two versions.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::ChangeKind")]
pub enum ChangeKind {
    /// New in the later version.
    Added,
    /// Gone from the later version.
    Removed,
    /// Text differs.
    Changed,
}

/// What the viewer may do to a draft now (the workflow engine's answer).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum DraftAction {
    /// Add a new version.
    Revise,
    /// Circulate the current version by note verbale.
    Circulate,
    /// Put it on the agenda of a meeting of the body that considers it
    /// next (the SWG).
    OpenSwgDiscussion,
    /// Record the SOC's decision (agreement, approval, adoption).
    RecordSocAgreement,
    /// Record the decision of the other body its route leads to next
    /// (the Ministerial Council's adoption, …).
    RecordBodyDecision,
    /// Put the circulated version under silence procedure.
    PutUnderSilence,
    /// Sign the agreed text.
    Sign,
    /// Withdraw the draft.
    Withdraw,
    /// Comment or propose.
    Comment,
    /// Resolve proposals.
    ResolveProposal,
}

impl DraftAction {
    /// The GraphQL value of a workflow action offered on drafts: the one
    /// of the same name, if it is one of them.
    pub fn of(action: accord_workflow::Action) -> Option<DraftAction> {
        use async_graphql::resolver_utils::EnumType;
        DraftAction::items()
            .iter()
            .find(|item| item.name == action.as_str())
            .map(|item| item.value)
    }
}

/// Why a note verbale is sent.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::NotePurpose")]
pub enum NotePurpose {
    /// Circulates a draft version (issued by `circulateDraft`).
    Circulation,
    /// Reminds of a rule or a deadline.
    Reminder,
    /// Invites to a meeting or an event.
    Invitation,
    /// Informs of something.
    Information,
}

/// Whether a note verbale has been issued.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::NoteStatus")]
pub enum NoteStatus {
    /// Being written; seen by the Secretariat only; no number yet.
    Draft,
    /// Numbered, dated and sent; never edited again.
    Issued,
}

/// A format a note verbale, a decision or a signature copy can be rendered in.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::RenderFormat")]
pub enum RenderFormat {
    /// A complete HTML document that prints on A4 from a browser.
    Html,
    /// Plain text, in the layout of the Secretariat's notes.
    Text,
}

#[cfg(test)]
mod tests {
    use super::DraftAction;
    use async_graphql::resolver_utils::EnumType;

    #[test]
    fn every_draft_action_is_the_workflow_action_of_its_name() {
        for item in DraftAction::items() {
            let action = accord_workflow::Action::ALL
                .iter()
                .find(|a| a.as_str() == item.name)
                .copied();
            let action = action.unwrap_or_else(|| panic!("no workflow action {}", item.name));
            assert_eq!(DraftAction::of(action), Some(item.value));
        }
        let offered = accord_workflow::Action::ALL
            .iter()
            .filter(|a| DraftAction::of(**a).is_some())
            .count();
        assert_eq!(offered, DraftAction::items().len());
    }
}
