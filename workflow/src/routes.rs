//! Routes as data: defining and publishing the versions of a document
//! kind's route, and reading them.
//!
//! A route version is written once (`DefineRoute`, checked against the
//! bodies and organisations of the day) and may then be published
//! (`PublishRoute`, checked again): the latest published version of a kind
//! is the one its new drafts start on (`route_book::in_force`), and a
//! draft keeps the version it started on. Kinds without a route of their
//! own take the default route (kind `*`, version 1, today's road).

use std::collections::HashMap;

use accord_domain::RouteDefinition;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::engine::{Engine, Outcome, check};
use crate::entity::route;
use crate::error::{Result, WorkflowError};
use crate::permissions::Action;
use crate::read::Reader;
use crate::route_book::context;
use crate::store::expect_one;

pub use crate::route_book::{ANY_KIND, DEFAULT_ROUTE_ID, RouteStatus, RouteView};

/// A new route version.
#[derive(Debug, Clone)]
pub struct NewRoute {
    /// The document kind, e.g. `DECLARATION`; `None` for a new version of
    /// the default route.
    pub document_kind: Option<String>,
    /// The stages.
    pub definition: RouteDefinition,
}

/// A document kind as a route names it: 1-64 upper-case letters, digits
/// and underscores (as a draft's), or none for the default route.
fn kind_of(kind: Option<&str>) -> Result<String> {
    match kind {
        None => Ok(ANY_KIND.to_owned()),
        Some(kind) => crate::drafts::parse_kind(kind),
    }
}

impl Engine {
    /// Writes a new version of a kind's route, checked, not yet in force.
    pub(crate) async fn define_route(&self, actor: &Actor, new: NewRoute) -> Result<Outcome> {
        check(actor, Action::DefineRoute, None)?;
        let kind = kind_of(new.document_kind.as_deref())?;
        let db = self.store().db();
        let route = new
            .definition
            .validate(&context(db).await?)
            .map_err(|e| WorkflowError::bad_input(format!("the route is refused: {e}")))?;
        let definition = serde_json::to_string(&route.definition())
            .map_err(|e| WorkflowError::Corrupt(e.to_string()))?;
        let now = self.now();
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.store().begin_write().await?;
        // Under the write lock: two definitions of one kind at once take
        // consecutive versions (and the unique index would refuse a tie).
        let last: Option<i32> = route::Entity::find()
            .select_only()
            .column_as(route::Column::Version.max(), "version")
            .filter(route::Column::DocumentKind.eq(kind.as_str()))
            .into_tuple::<Option<i32>>()
            .one(tx.conn())
            .await?
            .flatten();
        let version = last.unwrap_or(0) + 1;
        route::Entity::insert(route::ActiveModel {
            id: Set(id.clone()),
            document_kind: Set(kind.clone()),
            version: Set(version),
            definition: Set(definition),
            status: Set(RouteStatus::Draft.as_str().to_owned()),
            created_by: Set(actor.sub().to_owned()),
            created_at: Set(now),
            published_by: Set(None),
            published_at: Set(None),
        })
        .exec_without_returning(tx.conn())
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::DefineRoute,
                "route",
                &id,
                None,
                json!({
                    "documentKind": kind,
                    "version": version,
                    "stages": route.definition().stages,
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Route { route_id: id })
    }

    /// Puts a written route version in force for new drafts of its kind,
    /// after checking it again against today's bodies and organisations.
    pub(crate) async fn publish_route(&self, actor: &Actor, route_id: &str) -> Result<Outcome> {
        check(actor, Action::PublishRoute, None)?;
        let not_found = || WorkflowError::NotFound(format!("route {route_id} does not exist"));
        if !crate::db::is_id(route_id) {
            return Err(not_found());
        }
        let db = self.store().db();
        let row = route::Entity::find_by_id(route_id.to_owned())
            .one(db)
            .await?
            .ok_or_else(not_found)?;
        if row.status != RouteStatus::Draft.as_str() {
            return Err(WorkflowError::InvalidTransition(format!(
                "version {} of the route is already published",
                row.version
            )));
        }
        let definition: RouteDefinition = serde_json::from_str(&row.definition)
            .map_err(|e| WorkflowError::Corrupt(format!("route {route_id}: {e}")))?;
        definition
            .validate(&context(db).await?)
            .map_err(|e| WorkflowError::bad_input(format!("the route no longer holds: {e}")))?;
        let now = self.now();
        let tx = self.store().begin_write().await?;
        expect_one(
            tx.conn(),
            route::Entity::update_many()
                .col_expr(
                    route::Column::Status,
                    Expr::value(RouteStatus::Published.as_str()),
                )
                .col_expr(route::Column::PublishedBy, Expr::value(actor.sub()))
                .col_expr(route::Column::PublishedAt, Expr::value(now))
                .filter(route::Column::Id.eq(route_id))
                .filter(route::Column::Status.eq(RouteStatus::Draft.as_str())),
            "the route was published meanwhile",
        )
        .await?;
        tx.commit_audited(
            actor,
            AuditRecord::of(
                Action::PublishRoute,
                "route",
                route_id,
                Some(json!({ "status": RouteStatus::Draft.as_str() })),
                json!({
                    "status": RouteStatus::Published.as_str(),
                    "documentKind": row.document_kind,
                    "version": row.version,
                }),
            ),
            now,
        )
        .await?;
        Ok(Outcome::Route {
            route_id: route_id.to_owned(),
        })
    }
}

impl Reader {
    /// Every version of every route, or of `kind`'s (`Some("*")`: the
    /// default route's), by kind and version. Routes are no secret: every
    /// signed-in person may read them.
    pub async fn routes(&self, kind: Option<&str>) -> Result<Vec<RouteView>> {
        let mut find = route::Entity::find();
        if let Some(kind) = kind {
            find = find.filter(route::Column::DocumentKind.eq(kind));
        }
        let rows = find
            .order_by_asc(route::Column::DocumentKind)
            .order_by_asc(route::Column::Version)
            .all(&self.conn().await?)
            .await?;
        rows.into_iter()
            .map(|row| self.store().routes().view(row))
            .collect()
    }

    /// The route versions of `ids` that exist, in one statement: those of
    /// a page of drafts.
    pub async fn routes_by_id(&self, ids: &[String]) -> Result<HashMap<String, RouteView>> {
        let ids: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| crate::db::is_id(id))
            .collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        route::Entity::find()
            .filter(route::Column::Id.is_in(ids))
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .map(|row| {
                let view = self.store().routes().view(row)?;
                Ok((view.id.clone(), view))
            })
            .collect()
    }

    /// One route version; `NOT_FOUND` if there is none with that id.
    pub async fn route(&self, id: &str) -> Result<RouteView> {
        let not_found = || WorkflowError::NotFound(format!("route {id} does not exist"));
        if !crate::db::is_id(id) {
            return Err(not_found());
        }
        let row = route::Entity::find_by_id(id.to_owned())
            .one(&self.conn().await?)
            .await?
            .ok_or_else(not_found)?;
        self.store().routes().view(row)
    }
}
