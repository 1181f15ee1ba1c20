//! A draft as read before a decision: its row, its signatories and its
//! signatures, read in one or two statements. Commands decide on it,
//! readers turn it into a view, and a change's answer is it with the
//! change applied ([`crate::written`]).

use std::collections::HashMap;
use std::sync::Arc;

use accord_domain::{DraftState, Route};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};

use crate::actor::Actor;
use crate::db::is_id;
use crate::entity::{draft, draft_signatory, signature};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Ahead, DraftFacts, Relation};
use crate::route_book::RouteBook;

/// A draft as read before a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) row: draft::Model,
    pub(crate) signatories: Vec<String>,
    /// The signatures so far, in the order given.
    pub(crate) signatures: Vec<signature::Model>,
    /// The route version the draft started on.
    pub(crate) route: Arc<Route>,
}

impl Snapshot {
    pub(crate) fn state(&self) -> Result<DraftState> {
        parse_state(&self.row.state)
    }

    pub(crate) fn facts(&self, actor: &Actor) -> Result<DraftFacts> {
        let org = actor.org().as_str();
        let viewer_signs = self.signatories.iter().any(|s| s == org);
        Ok(DraftFacts {
            state: self.state()?,
            relation: Relation::of(actor.org_kind(), viewer_signs),
            ever_circulated: self.row.circulated_version.is_some(),
            has_uncirculated_version: self
                .row
                .circulated_version
                .is_none_or(|c| c < self.row.current_version),
            viewer_signs,
            viewer_signed: self.signatures.iter().any(|s| s.org_code == org),
            // Known only from the delegations in force: the sign command
            // and `viewerActions` ask (`delegations`).
            viewer_acting: false,
            viewer_reads: permissions::reads_documents(actor),
            ahead: Ahead::of(&self.route, self.row.stage.as_deref()),
        })
    }
}

/// Reads a draft with its signatories and signatures: the draft joined to
/// its signatories in one statement, then its signatures if it has any.
pub(crate) async fn snapshot<C: ConnectionTrait>(
    conn: &C,
    routes: &RouteBook,
    draft_id: &str,
) -> Result<Snapshot> {
    let not_found = || WorkflowError::draft_not_found(draft_id);
    if !is_id(draft_id) {
        return Err(not_found());
    }
    let joined = draft::Entity::find_by_id(draft_id.to_owned())
        .select_also(draft_signatory::Entity)
        .join(
            JoinType::LeftJoin,
            RelationDef::from(
                draft_signatory::Entity::belongs_to(draft::Entity)
                    .from(draft_signatory::Column::DraftId)
                    .to(draft::Column::Id),
            )
            .rev(),
        )
        .order_by_asc(draft_signatory::Column::Position)
        .all(conn)
        .await?;
    let signatories = joined
        .iter()
        .filter_map(|(_, s)| s.as_ref().map(|s| s.org_code.clone()))
        .collect();
    let row = joined.into_iter().next().ok_or_else(not_found)?.0;
    let signatures = signatures_of(conn, std::slice::from_ref(&row))
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let route = routes.route(conn, &row.route_id).await?;
    Ok(Snapshot {
        row,
        signatories,
        signatures,
        route,
    })
}

/// Snapshots of many drafts at once: their signatories and signatures in
/// one statement each, whatever the number of drafts.
pub(crate) async fn snapshots<C: ConnectionTrait>(
    conn: &C,
    routes: &RouteBook,
    rows: Vec<draft::Model>,
) -> Result<Vec<Snapshot>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut signatories: HashMap<String, Vec<String>> = HashMap::new();
    for s in draft_signatory::Entity::find()
        .filter(draft_signatory::Column::DraftId.is_in(ids))
        .order_by_asc(draft_signatory::Column::Position)
        .all(conn)
        .await?
    {
        signatories.entry(s.draft_id).or_default().push(s.org_code);
    }
    let mut signatures = signatures_of(conn, &rows).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Snapshot {
            signatories: signatories.remove(&row.id).unwrap_or_default(),
            signatures: signatures.remove(&row.id).unwrap_or_default(),
            route: routes.route(conn, &row.route_id).await?,
            row,
        });
    }
    Ok(out)
}

/// The signatures of each of `rows`, in the order given. Only a draft with
/// an agreed version can have been signed: signing checks the agreed
/// version, and `agreed_version` is set once, on the SOC's agreement, and
/// never cleared. Drafts before agreement (every draft a circulation, a
/// comment or a withdrawal before agreement reads) cost no statement.
async fn signatures_of<C: ConnectionTrait>(
    conn: &C,
    rows: &[draft::Model],
) -> Result<HashMap<String, Vec<signature::Model>>> {
    let agreed: Vec<String> = rows
        .iter()
        .filter(|r| r.agreed_version.is_some())
        .map(|r| r.id.clone())
        .collect();
    let mut signatures: HashMap<String, Vec<signature::Model>> = HashMap::new();
    if agreed.is_empty() {
        return Ok(signatures);
    }
    for s in signature::Entity::find()
        .filter(signature::Column::DraftId.is_in(agreed))
        .order_by_asc(signature::Column::SignedAt)
        .order_by_asc(signature::Column::OrgCode)
        .all(conn)
        .await?
    {
        signatures.entry(s.draft_id.clone()).or_default().push(s);
    }
    Ok(signatures)
}

pub(crate) fn parse_state(state: &str) -> Result<DraftState> {
    state.parse().map_err(|_| {
        WorkflowError::Corrupt(format!("unknown draft state {state:?} in the database"))
    })
}
