//! Acting signatories: a Secretary General's signing delegated to a named
//! person for a period (`delegateSigning`, `revokeSigningDelegation`), and
//! the delegations of the viewer's organisation (`signingDelegations`).

use accord_workflow::delegations::{DelegationView, NewDelegation};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::common::{LocalizedTextInput, reader, run, texts, unexpected};
use super::enums::Lang;
use super::scalars::DateTime;
use super::types::{LocalizedText, localized, text_in};
use crate::error::GqlResult;

/// A Secretary General's signing delegated to a named person for a period.
#[derive(Debug, Clone)]
pub struct SigningDelegation(DelegationView);

/// A Secretary General's signing delegated to a named person for a period:
/// while it is in force, that person signs their organisation's drafts,
/// and the signature shows both names.
#[Object]
impl SigningDelegation {
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The organisation, e.g. `CICA`.
    async fn organization(&self) -> &str {
        &self.0.org_code
    }

    /// The Secretary General who delegated.
    async fn delegator_name(&self) -> &str {
        &self.0.delegator_name
    }

    /// The delegate's token subject.
    async fn delegate_sub(&self) -> &str {
        &self.0.delegate_sub
    }

    /// The delegate's name.
    async fn delegate_name(&self) -> &str {
        &self.0.delegate_name
    }

    /// The acting title in `lang`, else English.
    async fn acting_title(
        &self,
        #[graphql(desc = "The language wanted; English when absent or missing.")] lang: Option<
            Lang,
        >,
    ) -> String {
        text_in(&self.0.acting_title, lang)
    }

    /// The acting title in every language given.
    async fn acting_titles(&self) -> Vec<LocalizedText> {
        localized(&self.0.acting_title)
    }

    /// From when.
    async fn starts_at(&self) -> DateTime {
        DateTime(self.0.starts_at)
    }

    /// Until when (excluded).
    async fn ends_at(&self) -> DateTime {
        DateTime(self.0.ends_at)
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked.as_ref().map(|(at, _)| DateTime(*at))
    }

    /// Who revoked it.
    async fn revoked_by(&self) -> Option<&str> {
        self.0.revoked.as_ref().map(|(_, by)| by.as_str())
    }

    /// Whether it is in force now.
    async fn in_force(&self) -> bool {
        self.0.in_force_at(chrono::Utc::now())
    }
}

/// A delegation of signing.
#[derive(InputObject, Debug, Clone)]
pub struct DelegateSigningInput {
    /// The delegate's token subject (`sub`), e.g. `cica-deputy-sg`; of the
    /// same organisation.
    pub delegate_sub: String,
    /// The delegate's name, as signatures will show it.
    pub delegate_name: String,
    /// The acting title; "Acting Secretary General" (in English, Russian
    /// and Kazakh) when absent.
    pub acting_title: Option<Vec<LocalizedTextInput>>,
    /// From when, e.g. `2024-07-01T00:00:00+05:00`.
    pub starts_at: DateTime,
    /// Until when (excluded); after `startsAt`, and in the future.
    pub ends_at: DateTime,
}

/// A delegation to revoke.
#[derive(InputObject, Debug, Clone)]
pub struct RevokeSigningDelegationInput {
    /// The delegation.
    pub delegation_id: ID,
}

/// A delegation after a change.
#[derive(SimpleObject)]
pub struct SigningDelegationPayload {
    /// The delegation as it is now.
    pub delegation: SigningDelegation,
}

/// The delegations of signing of the viewer's organisation.
#[derive(Debug, Default)]
pub struct DelegationsQuery;

#[Object]
impl DelegationsQuery {
    /// The delegations of signing of the viewer's organisation, newest
    /// first; empty for member states and observers.
    async fn signing_delegations(&self, ctx: &Context<'_>) -> Result<Vec<SigningDelegation>> {
        Ok(reader(ctx)?
            .signing_delegations()
            .await
            .gql()?
            .into_iter()
            .map(SigningDelegation)
            .collect())
    }
}

/// Delegating signing (Secretaries General).
#[derive(Debug, Default)]
pub struct DelegationsMutation;

#[Object]
impl DelegationsMutation {
    /// Delegate one's signing, as Secretary General, to a named person of
    /// one's organisation for a period: while it is in force they sign
    /// for the organisation, and their signature shows both names.
    /// Periods of one organisation's delegations never overlap.
    async fn delegate_signing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: DelegateSigningInput,
    ) -> Result<SigningDelegationPayload> {
        let command = Command::DelegateSigning(NewDelegation {
            delegate_sub: input.delegate_sub,
            delegate_name: input.delegate_name,
            acting_title: input.acting_title.map(texts).transpose()?,
            starts_at: input.starts_at.0,
            ends_at: input.ends_at.0,
        });
        delegation_payload(ctx, run(ctx, command).await?).await
    }

    /// Revoke a delegation of one's organisation's signing (its Secretary
    /// General): its delegate signs no more; signatures made stay.
    async fn revoke_signing_delegation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RevokeSigningDelegationInput,
    ) -> Result<SigningDelegationPayload> {
        let command = Command::RevokeSigningDelegation {
            delegation_id: input.delegation_id.to_string(),
        };
        delegation_payload(ctx, run(ctx, command).await?).await
    }
}

async fn delegation_payload(
    ctx: &Context<'_>,
    outcome: Outcome,
) -> Result<SigningDelegationPayload> {
    match outcome {
        Outcome::Delegation { delegation_id } => Ok(SigningDelegationPayload {
            delegation: SigningDelegation(
                reader(ctx)?
                    .signing_delegation(&delegation_id)
                    .await
                    .gql()?,
            ),
        }),
        other => Err(unexpected(&other)),
    }
}
