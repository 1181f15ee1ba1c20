//! The root query.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::common::{PageInfo, reader};
use super::enums::DraftState;
use super::types::{Draft, Organization, Viewer};
use crate::error::GqlResult;

/// The default page size of `drafts`.
const DEFAULT_PAGE: i32 = 20;

/// What can be read.
#[derive(Debug, Default)]
pub struct Query;

/// A page of drafts, newest first.
#[derive(SimpleObject, Debug, Clone)]
pub struct DraftConnection {
    /// How many drafts match, in all pages.
    pub total_count: u64,
    /// Where this page ends.
    pub page_info: PageInfo,
    /// The drafts on this page.
    pub nodes: Vec<Draft>,
}

#[Object(name = "DraftsQuery")]
impl Query {
    /// The person making the request.
    async fn viewer(&self) -> Viewer {
        Viewer
    }

    /// Drafts the viewer may see, newest first; `first` is 1-100 (default 20).
    async fn drafts(
        &self,
        ctx: &Context<'_>,
        state: Option<DraftState>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DraftConnection> {
        let first = first.unwrap_or(DEFAULT_PAGE);
        let first = u64::try_from(first).unwrap_or(0);
        let page = reader(ctx)?
            .drafts(state.map(Into::into), first, after.as_deref())
            .await
            .gql()?;
        Ok(DraftConnection {
            total_count: page.total_count,
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor: page.end_cursor,
            },
            nodes: page.nodes.into_iter().map(Draft::new).collect(),
        })
    }

    /// One draft; `NOT_FOUND` if it does not exist or the viewer may not see it.
    async fn draft(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Draft>> {
        Ok(Some(Draft::new(reader(ctx)?.draft(&id).await.gql()?)))
    }

    /// Every organisation, by code.
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let all = reader(ctx)?.all_organizations().await.gql()?;
        Ok(Organization::every(&all))
    }
}
