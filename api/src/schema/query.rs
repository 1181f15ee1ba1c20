//! The root query.

use async_graphql::{Context, ID, Object, Result};

use super::common::{DEFAULT_PAGE, connection, reader, window};
use super::enums::DraftState;
use super::objects::Draft;
use super::types::{Organization, Viewer};
use crate::error::GqlResult;

/// What can be read.
#[derive(Debug, Default)]
pub struct Query;

connection! {
    /// A page of drafts, newest first.
    DraftConnection, DraftEdge of Draft {
        total_count: "How many drafts match, in all pages.",
        edges: "The drafts on this page, each with its cursor.",
        nodes: "The drafts on this page.",
        edge: "A draft on a page, with its cursor.",
        cursor: "The draft's place in the listing: pass it as `after` or `before`.",
        node: "The draft.",
    }
}

#[Object(name = "DraftsQuery")]
impl Query {
    /// The person making the request.
    async fn viewer(&self) -> Viewer {
        Viewer
    }

    /// Drafts the viewer may see, newest first, a page at a time: `first`
    /// (1-100, default 20) after `after`, or `last` before `before`.
    async fn drafts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only drafts in this state; every state when absent.")] state: Option<
            DraftState,
        >,
        #[graphql(
            desc = "How many to return from the start (or after `after`): 1 to 100 (default 20)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the ones after this cursor (a page's `endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "How many to return from the end (or before `before`): 1 to 100.")]
        last: Option<i32>,
        #[graphql(
            desc = "Return the ones before this cursor (a page's `startCursor`), with `last`."
        )]
        before: Option<String>,
    ) -> Result<DraftConnection> {
        let window = window(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            DEFAULT_PAGE,
        )?;
        let page = reader(ctx)?
            .drafts(state.map(Into::into), &window)
            .await
            .gql()?;
        Ok(DraftConnection::of(page, |d| d.id.clone(), Draft::new))
    }

    /// One draft; `NOT_FOUND` if it does not exist or the viewer may not see it.
    async fn draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The draft's id.")] id: ID,
    ) -> Result<Option<Draft>> {
        Ok(Some(Draft::new(reader(ctx)?.draft(&id).await.gql()?)))
    }

    /// Every organisation, by code.
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let all = reader(ctx)?.all_organizations().await.gql()?;
        Ok(Organization::every(&all))
    }
}
