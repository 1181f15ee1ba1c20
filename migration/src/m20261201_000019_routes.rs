//! Routes as data: the road each kind of document takes.
//!
//! - `routes` holds every version of every route: the document kind it is
//!   for (`*`: every kind without a route of its own), its version, its
//!   stages as JSON (`accord_domain::RouteDefinition`), and when and by
//!   whom it was defined and published. A row never changes but to be
//!   published; a change of road is a new version.
//! - The default route, today's road (circulation, SWG discussion, SOC
//!   agreement, signature by every party), is version 1 of `*`, published.
//! - `drafts.route_id` is the route version a draft started on, and
//!   `drafts.stage` the key of the last stage it reached (none while
//!   drafting). Existing drafts are on the default route, at the stage
//!   their state shows; a withdrawn draft at the last stage its record
//!   shows it reached (agreed, discussed by the SWG, circulated).
//! - `bodies.decision_numbering` says how a body numbers its decisions
//!   (`SESSION`: `BODY/YEAR-SESSION/DEC/N`); none for the SWG, which
//!   takes no decisions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Routes {
    Table,
    Id,
    DocumentKind,
    Version,
    Definition,
    Status,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    RouteId,
    Stage,
}

#[derive(DeriveIden)]
enum Bodies {
    Table,
    Code,
    DecisionNumbering,
}

/// The default route's id.
const DEFAULT_ROUTE: &str = "00000000-0000-7000-8000-000000000001";

/// The default route's stages, as `RouteDefinition` writes them.
const DEFAULT_DEFINITION: &str = r#"{"stages":[{"key":"circulation","kind":"CIRCULATION","next":["swg"]},{"key":"swg","kind":"CONSIDERATION","body":"SWG","next":["circulation","soc"]},{"key":"soc","kind":"DECISION","body":"SOC","verb":"AGREE","next":["signature"]},{"key":"signature","kind":"SIGNATURE","signatories":{"kind":"PARTIES"},"role":"SECRETARY_GENERAL","rule":{"kind":"ALL"},"next":[]}]}"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Bodies::Table)
                    .add_column(string_len_null(Bodies::DecisionNumbering, 16))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Bodies::Table)
                    .value(Bodies::DecisionNumbering, "SESSION")
                    .and_where(Expr::col(Bodies::Code).is_in(["SOC", "MC", "SUMMIT"]))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Routes::Table)
                    .col(string_len(Routes::Id, 36).primary_key())
                    .col(string_len(Routes::DocumentKind, 64))
                    .col(integer(Routes::Version))
                    .col(text(Routes::Definition))
                    .col(string_len(Routes::Status, 16))
                    .col(string_len(Routes::CreatedBy, 200))
                    .col(timestamp_with_time_zone(Routes::CreatedAt))
                    .col(string_len_null(Routes::PublishedBy, 200))
                    .col(timestamp_with_time_zone_null(Routes::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("routes_kind_version")
                    .table(Routes::Table)
                    .col(Routes::DocumentKind)
                    .col(Routes::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Routes::Table)
                    .columns([
                        Routes::Id,
                        Routes::DocumentKind,
                        Routes::Version,
                        Routes::Definition,
                        Routes::Status,
                        Routes::CreatedBy,
                        Routes::CreatedAt,
                        Routes::PublishedBy,
                        Routes::PublishedAt,
                    ])
                    .values_panic([
                        DEFAULT_ROUTE.into(),
                        "*".into(),
                        1.into(),
                        DEFAULT_DEFINITION.into(),
                        "PUBLISHED".into(),
                        "system".into(),
                        Expr::current_timestamp(),
                        "system".into(),
                        Expr::current_timestamp(),
                    ])
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Drafts::Table)
                    .add_column(string_len(Drafts::RouteId, 36).default(DEFAULT_ROUTE))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Drafts::Table)
                    .add_column(string_len_null(Drafts::Stage, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE drafts SET stage = CASE \
                   WHEN state = 'CIRCULATED' THEN 'circulation' \
                   WHEN state = 'SWG_DISCUSSION' THEN 'swg' \
                   WHEN state = 'SOC_AGREED' THEN 'soc' \
                   WHEN state = 'SIGNED' THEN 'signature' \
                   WHEN agreed_version IS NOT NULL THEN 'soc' \
                   WHEN EXISTS (SELECT 1 FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id \
                                WHERE a.draft_id = drafts.id AND m.body = 'SWG') THEN 'swg' \
                   WHEN circulated_version IS NOT NULL THEN 'circulation' \
                   ELSE NULL END",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("drafts_route")
                    .table(Drafts::Table)
                    .col(Drafts::RouteId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("drafts_route")
                    .table(Drafts::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Drafts::Stage, Drafts::RouteId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Drafts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Routes::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Bodies::Table)
                    .drop_column(Bodies::DecisionNumbering)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
