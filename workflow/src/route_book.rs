//! Route versions as read: the one in force for a new draft of a kind
//! ([`in_force`]), what a route is checked against ([`context`]), and
//! every version's stages kept once read ([`RouteBook`]). Below the
//! store and the snapshot, which keep and read them; defining and
//! publishing routes is `routes`'s.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use accord_domain::{OrgKind, Route, RouteContext, RouteDefinition};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{body, organization, route};
use crate::error::{Result, WorkflowError};

/// The document kind of the default route: every kind without a route of
/// its own.
pub const ANY_KIND: &str = "*";

/// The default route's id (migration `…_000019_routes`).
pub const DEFAULT_ROUTE_ID: &str = "00000000-0000-7000-8000-000000000001";

/// Whether a route version is in force or only written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum RouteStatus {
    /// Written, checked, not in force: drafts do not start on it.
    Draft,
    /// In force for new drafts of its kind, until a later version is
    /// published.
    Published,
}

impl RouteStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A route version as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteView {
    /// The version's id.
    pub id: String,
    /// The document kind, or `None` for the default route.
    pub document_kind: Option<String>,
    /// The version number, from 1 for each kind.
    pub version: i32,
    /// Written or in force.
    pub status: RouteStatus,
    /// The stages.
    pub route: Arc<Route>,
    /// Who wrote it (token subject), and when.
    pub created_by: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was published, if it was.
    pub published_at: Option<DateTime<Utc>>,
}

/// Every route version read so far, by id. Versions never change once
/// written, so what is kept here is what the database holds.
#[derive(Debug, Default)]
pub(crate) struct RouteBook {
    loaded: RwLock<HashMap<String, Arc<Route>>>,
}

impl RouteBook {
    /// The route version `id`, from memory or read through `conn`.
    pub(crate) async fn route<C: ConnectionTrait>(&self, conn: &C, id: &str) -> Result<Arc<Route>> {
        if let Some(route) = self.kept(id) {
            return Ok(route);
        }
        let row = route::Entity::find_by_id(id.to_owned())
            .one(conn)
            .await?
            .ok_or_else(|| WorkflowError::Corrupt(format!("route {id} does not exist")))?;
        self.keep(&row)
    }

    fn kept(&self, id: &str) -> Option<Arc<Route>> {
        self.loaded.read().ok()?.get(id).cloned()
    }

    /// The route of `row`, kept for later.
    fn keep(&self, row: &route::Model) -> Result<Arc<Route>> {
        if let Some(route) = self.kept(&row.id) {
            return Ok(route);
        }
        let definition: RouteDefinition = serde_json::from_str(&row.definition)
            .map_err(|e| WorkflowError::Corrupt(format!("route {}: {e}", row.id)))?;
        let route = Arc::new(Route::stored(definition));
        if let Ok(mut loaded) = self.loaded.write() {
            loaded.insert(row.id.clone(), Arc::clone(&route));
        }
        Ok(route)
    }

    /// A view of `row`.
    pub(crate) fn view(&self, row: route::Model) -> Result<RouteView> {
        let route = self.keep(&row)?;
        let status = row.status.parse().map_err(|_| {
            WorkflowError::Corrupt(format!("route {}: status {}", row.id, row.status))
        })?;
        Ok(RouteView {
            document_kind: (row.document_kind != ANY_KIND).then_some(row.document_kind),
            id: row.id,
            version: row.version,
            status,
            route,
            created_by: row.created_by,
            created_at: row.created_at,
            published_at: row.published_at,
        })
    }
}

/// The route version in force for drafts of `kind` started now: the
/// latest published version of the kind, else of the default route.
pub(crate) async fn in_force<C: ConnectionTrait>(conn: &C, kind: &str) -> Result<route::Model> {
    for of in [kind, ANY_KIND] {
        if let Some(row) = route::Entity::find()
            .filter(route::Column::DocumentKind.eq(of))
            .filter(route::Column::Status.eq(RouteStatus::Published.as_str()))
            .order_by_desc(route::Column::Version)
            .one(conn)
            .await?
        {
            return Ok(row);
        }
    }
    Err(WorkflowError::Corrupt(
        "no route is in force, not even the default route".into(),
    ))
}

/// What a route is checked against today: the bodies (and whether each
/// numbers decisions) and the organisations whose Secretaries General
/// sign.
pub(crate) async fn context<C: ConnectionTrait>(conn: &C) -> Result<RouteContext> {
    let bodies = body::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.code, b.decision_numbering.is_some()))
        .collect();
    let signing_orgs = organization::Entity::find()
        .filter(
            organization::Column::Kind
                .is_in([OrgKind::Secretariat.as_str(), OrgKind::Counterpart.as_str()]),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|o| o.code)
        .collect();
    Ok(RouteContext {
        bodies,
        signing_orgs,
    })
}
