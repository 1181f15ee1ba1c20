//! What the resolvers of every feature share: the request's reader and
//! loaders, running a command, text input, and where a page ends. Imports
//! no object type, so the features' resolvers import it without a loop.

use std::sync::Arc;

use accord_domain::{NoteNumber, Texts};
use accord_workflow::paging::{Page, Window};
use accord_workflow::{Command, Engine, Outcome, Reader};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputObject, Result, SimpleObject};

use super::enums::Lang;
use super::loaders::{LoadError, Loaders, RequestLoader};
use crate::error::{GqlResult, from_workflow, internal};

/// The request's loaders.
pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a RequestLoader> {
    ctx.data::<RequestLoader>()
}

/// The request's reader (the viewer's eyes).
pub(crate) fn reader<'a>(ctx: &Context<'a>) -> Result<&'a Reader> {
    ctx.data::<Reader>()
}

/// Loads one key through the request's loaders.
pub(crate) async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> Result<Option<<Loaders as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    Loaders: Loader<K, Error = LoadError>,
{
    loaders(ctx)?
        .load_one(key)
        .await
        .map_err(|error| match Arc::try_unwrap(error) {
            Ok(error) => from_workflow(error),
            Err(shared) => internal(&shared),
        })
}

/// The full record of an object: held if the object was built from it,
/// else loaded by `key` when a field first asks for it (an object built
/// from a list's basics costs no statement until then).
#[derive(Clone)]
pub(crate) struct Record<K, V> {
    key: K,
    full: Option<Arc<V>>,
}

impl<K, V> Record<K, V>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + std::fmt::Debug + 'static,
    Loaders: Loader<K, Error = LoadError, Value = V>,
{
    /// The record `full`, read whole.
    pub(crate) fn held(key: K, full: V) -> Record<K, V> {
        Record {
            key,
            full: Some(Arc::new(full)),
        }
    }

    /// The record `key` loads, when asked for.
    pub(crate) fn to_load(key: K) -> Record<K, V> {
        Record { key, full: None }
    }

    /// The record, held or loaded; gone is an internal error (it was read
    /// a moment ago).
    pub(crate) async fn get(&self, ctx: &Context<'_>) -> Result<Arc<V>> {
        if let Some(full) = &self.full {
            return Ok(Arc::clone(full));
        }
        load(ctx, self.key.clone())
            .await?
            .map(Arc::new)
            .ok_or_else(|| internal(&format!("{:?} is missing", self.key)))
    }
}

/// A text in one language.
#[derive(InputObject, Debug, Clone)]
pub struct LocalizedTextInput {
    /// The language.
    pub lang: Lang,
    /// The text.
    pub text: String,
}

/// The texts of an input, one per language (a language given twice is
/// refused).
pub(crate) fn texts(list: Vec<LocalizedTextInput>) -> Result<Texts> {
    Texts::from_pairs(list.into_iter().map(|t| (t.lang.into(), t.text))).gql()
}

/// The note numbers an input cites (`PAR/713`), each checked; none when
/// it cites none.
pub(crate) fn note_numbers(list: Option<Vec<String>>) -> Result<Vec<NoteNumber>> {
    list.unwrap_or_default()
        .iter()
        .map(|n| NoteNumber::parse(n))
        .collect::<Result<Vec<_>, _>>()
        .gql()
}

/// Runs `command` as the request's viewer.
pub(crate) async fn run(ctx: &Context<'_>, command: Command) -> Result<Outcome> {
    let engine = ctx.data::<Engine>()?;
    let actor = reader(ctx)?.actor();
    engine.execute(actor, command).await.gql()
}

/// The error for an outcome a mutation did not expect of its command.
pub(crate) fn unexpected(outcome: &Outcome) -> async_graphql::Error {
    internal(&format!("unexpected outcome {outcome:?}"))
}

/// The page size of a listing asked for without `first` or `last`.
pub(crate) const DEFAULT_PAGE: i32 = 20;

/// Where a page of a listing starts and ends (the Relay cursor
/// connections spec). A cursor is the id of the node it stands at.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether more items follow: asked for with `first`, whether items
    /// were left after this page; with `last`, whether `before` was given.
    pub has_next_page: bool,
    /// The cursor of the page's last node: pass it as `after` (with
    /// `first`) for the next page.
    pub end_cursor: Option<String>,
    /// Whether items precede: asked for with `last`, whether items were
    /// left before this page; with `first`, whether `after` was given.
    pub has_previous_page: bool,
    /// The cursor of the page's first node: pass it as `before` (with
    /// `last`) for the page before.
    pub start_cursor: Option<String>,
}

impl PageInfo {
    /// Where `page` starts and ends.
    pub(crate) fn of<T>(page: &Page<T>) -> PageInfo {
        PageInfo {
            has_next_page: page.has_next_page,
            end_cursor: page.end_cursor.clone(),
            has_previous_page: page.has_previous_page,
            start_cursor: page.start_cursor.clone(),
        }
    }
}

/// Declares a listing's Relay connection (as GitHub's API shapes them):
/// `$connection { totalCount pageInfo edges nodes }` and `$edge { cursor
/// node }` of `$node`, with the descriptions given (the schema describes
/// every part, `schema::conventions`), and `$connection::of(page, cursor,
/// node)`, the connection of a page, each edge's cursor its record's id.
macro_rules! connection {
    (
        $(#[doc = $doc:literal])*
        $connection:ident, $edge:ident of $node:ty {
            total_count: $total:literal,
            edges: $edges:literal,
            nodes: $nodes:literal,
            edge: $edge_doc:literal,
            cursor: $cursor:literal,
            node: $node_doc:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $connection {
            #[doc = $total]
            pub total_count: u64,
            /// Where this page starts and ends.
            pub page_info: $crate::schema::common::PageInfo,
            #[doc = $edges]
            pub edges: Vec<$edge>,
        }

        #[async_graphql::ComplexObject]
        impl $connection {
            #[doc = $nodes]
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }
        }

        #[doc = $edge_doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            #[doc = $cursor]
            pub cursor: String,
            #[doc = $node_doc]
            pub node: $node,
        }

        impl $connection {
            /// The connection of `page`: each record made a node by
            /// `node`, at the cursor `cursor` reads from it (its id).
            pub(crate) fn of<T>(
                page: accord_workflow::paging::Page<T>,
                cursor: impl Fn(&T) -> String,
                node: impl Fn(T) -> $node,
            ) -> $connection {
                $connection {
                    total_count: page.total_count,
                    page_info: $crate::schema::common::PageInfo::of(&page),
                    edges: page
                        .nodes
                        .into_iter()
                        .map(|record| $edge {
                            cursor: cursor(&record),
                            node: node(record),
                        })
                        .collect(),
                }
            }
        }
    };
}
pub(crate) use connection;

/// The page a connection's arguments ask for: `first` (1-100, `default`
/// when neither `first` nor `last` is given) after `after`, or `last`
/// before `before`.
pub(crate) fn window(
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
    default: i32,
) -> Result<Window> {
    // A negative size is out of range like zero.
    let size = |n: i32| u64::try_from(n).unwrap_or(0);
    Window::of_arguments(
        first.map(size),
        after,
        last.map(size),
        before,
        size(default),
    )
    .gql()
}
