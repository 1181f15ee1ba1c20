//! Decisions and signature copies as printed: the facts a printed text is
//! built from, read for one viewer and handed to the domain's composition
//! (`accord_domain::compose_decision`, `compose_signature_copy`), the way
//! `registry` renders notes. The PDF is drawn from the same composed texts
//! by `accord-print`, above this crate.

use accord_domain::{
    CopyFacts, DecisionFacts, DecisionText, DraftState, Lang, RenderFormat, SignatoryBlock,
    SignatoryFacts, SignatureCopy, Signed, StageKindName, Texts, compose_decision,
    compose_signature_copy, render_decision, render_signature_copy,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::clock::astana_date;
use crate::db::from_json;
use crate::entity::signatory_block;
use crate::error::{Result, WorkflowError};
use crate::meetings::DecisionRecord;
use crate::read::{DraftView, Reader};

impl Reader {
    /// The decision's text in `lang`: its body and number, the place (the
    /// meeting's venue) and date, its title and text. A text missing in
    /// `lang` is `BAD_USER_INPUT` naming it.
    pub async fn decision_text(&self, record: &DecisionRecord, lang: Lang) -> Result<DecisionText> {
        let meeting = self.meeting(&record.meeting_id).await?;
        let facts = DecisionFacts {
            number: record.number.clone(),
            body: meeting.body_names,
            date: record.date,
            place: meeting.venue,
            title: record.title.clone(),
            text: record.text.clone(),
        };
        Ok(compose_decision(&facts, lang)?)
    }

    /// The decision laid out in `lang` and `format`.
    pub async fn render_decision(
        &self,
        record: &DecisionRecord,
        lang: Lang,
        format: RenderFormat,
    ) -> Result<String> {
        Ok(render_decision(
            &self.decision_text(record, lang).await?,
            format,
        ))
    }

    /// The signature copy of `draft` in `lang`: the signatories' blocks
    /// (`signatory_blocks`) with the signatures given so far, the title and
    /// the agreed version's items, and what was agreed by which decision.
    /// Only a draft whose text is agreed by a decision (`SOC_AGREED`,
    /// `AGREED`, …, or `SIGNED`) and whose route has a signature stage
    /// has one; any other is `INVALID_TRANSITION`.
    pub async fn signature_copy(&self, draft: &DraftView, lang: Lang) -> Result<SignatureCopy> {
        let signed_on_its_route = draft
            .route
            .stages()
            .iter()
            .any(|s| s.kind.name() == StageKindName::Signature);
        let agreed = match (draft.state, draft.agreed_version) {
            (
                DraftState::SocAgreed
                | DraftState::Agreed
                | DraftState::Adopted
                | DraftState::Approved
                | DraftState::Signed,
                Some(agreed),
            ) if signed_on_its_route => agreed,
            (state, _) if !signed_on_its_route => {
                return Err(WorkflowError::InvalidTransition(format!(
                    "draft {} is {state}: its route has no signature, so it has no signature copy",
                    draft.id
                )));
            }
            (state, _) => {
                return Err(WorkflowError::InvalidTransition(format!(
                    "draft {} is {state}: only a text a decision agreed (SOC_AGREED, AGREED, ADOPTED, APPROVED) or signed has a signature copy",
                    draft.id
                )));
            }
        };
        let key = (draft.id.clone(), agreed);
        let (mut items, mut versions, mut decisions) = tokio::try_join!(
            self.items(std::slice::from_ref(&key)),
            self.versions(std::slice::from_ref(&key)),
            self.decisions(std::slice::from_ref(&draft.id)),
        )?;
        let corrupt = |what: &str| {
            WorkflowError::Corrupt(format!(
                "draft {}: agreed version {agreed} lacks {what}",
                draft.id
            ))
        };
        let version = versions
            .remove(&draft.id)
            .and_then(|list| list.into_iter().find(|v| v.number == agreed))
            .ok_or_else(|| corrupt("its row"))?;
        let items = items
            .remove(&key)
            .ok_or_else(|| corrupt("its items"))?
            .into_iter()
            .map(|item| (item.anchor, item.texts))
            .collect();
        let signatories = self
            .signatory_blocks(&draft.signatories)
            .await?
            .into_iter()
            .map(|block| SignatoryFacts {
                signed: draft
                    .signatures
                    .iter()
                    .find(|s| s.org_code == block.org)
                    .map(|s| Signed {
                        name: s.signer_name.clone(),
                        date: astana_date(s.signed_at),
                        acting: s.acting.clone(),
                    }),
                block,
            })
            .collect();
        let facts = CopyFacts {
            title: draft.title.clone(),
            items,
            signatories,
            version: agreed,
            content_hash: version.content_hash,
            agreed_by: decisions.remove(&draft.id).map(|d| (d.number, d.date)),
        };
        Ok(compose_signature_copy(&facts, lang)?)
    }

    /// The signature copy laid out in `lang` and `format`.
    pub async fn render_signature_copy(
        &self,
        draft: &DraftView,
        lang: Lang,
        format: RenderFormat,
    ) -> Result<String> {
        Ok(render_signature_copy(
            &self.signature_copy(draft, lang).await?,
            format,
        ))
    }

    /// How each of `orgs` signs, in the order given. An organisation
    /// without a recorded block is `BAD_USER_INPUT` naming it: the copy
    /// cannot be printed until an administrator records one.
    async fn signatory_blocks(&self, orgs: &[String]) -> Result<Vec<SignatoryBlock>> {
        let rows = signatory_block::Entity::find()
            .filter(signatory_block::Column::OrgCode.is_in(orgs.iter().cloned()))
            .all(&self.conn().await?)
            .await?;
        orgs.iter()
            .map(|org| {
                let row = rows.iter().find(|r| &r.org_code == org).ok_or_else(|| {
                    WorkflowError::bad_input(format!(
                        "no signature block is recorded for {org}: how its Secretary General signs (signatory_blocks) is needed to print the copy"
                    ))
                })?;
                Ok(SignatoryBlock {
                    org: org.clone(),
                    approved: from_json::<Texts>(&row.approved, "signatory approval")?,
                    title: from_json(&row.title, "signatory title")?,
                    organization: from_json(&row.organization, "signatory organisation")?,
                    holder: row
                        .holder
                        .as_deref()
                        .map(|h| from_json(h, "signatory holder"))
                        .transpose()?,
                })
            })
            .collect()
    }
}
