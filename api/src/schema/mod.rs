//! The GraphQL schema: built by one function that the server and the tests
//! both call, with the safety limits applied.

pub mod calendar;
mod common;
#[cfg(test)]
mod conventions;
pub mod delegations;
mod enums;
pub mod files;
mod limits;
pub mod live;
mod loaders;
pub mod meetings;
pub mod mutation;
mod node;
mod objects;
pub mod plans;
mod query;
pub mod registry;
pub mod routes;
mod scalars;
pub mod silence;
pub mod stances;
mod types;

use std::sync::Arc;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{MergedObject, Schema};

pub use limits::{is_mutation, is_subscription, root_field_names};
pub use loaders::{Loaders, RequestLoader, request_loader};
pub use mutation::{MUTATIONS, Mutation};
pub use query::Query as DraftQuery;

/// What can be read: drafts, organisations and the viewer, the note
/// registry, meetings and decisions, plans and calendar feeds, any of
/// them by id alone (`node`), and where live updates stand.
#[derive(MergedObject, Debug, Default)]
#[graphql(name = "Query")]
pub struct Query(
    DraftQuery,
    registry::RegistryQuery,
    meetings::MeetingsQuery,
    routes::RoutesQuery,
    delegations::DelegationsQuery,
    plans::PlansQuery,
    calendar::CalendarQuery,
    live::LiveQuery,
    node::NodeQuery,
);

/// Everything that can be changed: drafts and their comments, the note
/// registry, meetings and decisions, files, plans and calendar feeds.
#[derive(MergedObject, Debug, Default)]
#[graphql(name = "Mutation")]
pub struct RootMutation(
    Mutation,
    registry::RegistryMutation,
    meetings::MeetingsMutation,
    routes::RoutesMutation,
    silence::SilenceMutation,
    delegations::DelegationsMutation,
    files::FilesMutation,
    plans::PlansMutation,
    calendar::CalendarMutation,
);

/// Accord's schema type.
pub type AccordSchema = Schema<Query, RootMutation, live::LiveSubscription>;

/// The limits a request must stay within.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest query depth.
    pub max_depth: usize,
    /// Largest query complexity.
    pub max_complexity: usize,
    /// Most aliases in one document.
    pub max_aliases: usize,
    /// Most directives on one field.
    pub max_directives: usize,
    /// Production mode: no introspection, no suggestions.
    pub production: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 10,
            max_complexity: 500,
            max_aliases: 15,
            max_directives: 5,
            production: false,
        }
    }
}

/// Builds the schema. Per-request data (the viewer's reader and loaders)
/// and the engine are attached by the server; the alias limit is checked
/// by [`Schemas::prepare`] on the parsed document.
pub fn build(limits: &Limits) -> AccordSchema {
    let mut builder = Schema::build(
        Query::default(),
        RootMutation::default(),
        live::LiveSubscription,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_directives(limits.max_directives)
    .limit_recursive_depth(64);
    if limits.production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The depth allowed to introspection-only requests: the standard
/// introspection query (GraphiQL's) nests `ofType` to depth 13.
pub const INTROSPECTION_MAX_DEPTH: usize = 15;

/// The schemas a server executes with: the main one, and, outside
/// production, one for introspection-only requests whose depth limit fits
/// GraphiQL's schema query. Every other limit is the same.
#[derive(Clone)]
pub struct Schemas {
    main: AccordSchema,
    introspection: Option<AccordSchema>,
    max_aliases: usize,
    documents: Arc<DocumentCache>,
}

/// The parsed documents of recent queries, by query text. Parsing is a
/// function of the text alone, so a document parsed once serves every
/// request with the same text (front-ends send a handful of fixed
/// queries); validation and execution still run on every request.
type DocumentCache = quick_cache::sync::Cache<String, Arc<ExecutableDocument>, QueryLength>;

/// Queries longer than this are parsed every time and never cached.
const MAX_CACHED_QUERY_BYTES: usize = 16 * 1024;
/// The cache holds documents of at most this many query bytes in all.
const DOCUMENT_CACHE_BYTES: u64 = 1024 * 1024;

/// Weighs a cached document by the length of its query text.
#[derive(Debug, Clone, Copy)]
struct QueryLength;

impl quick_cache::Weighter<String, Arc<ExecutableDocument>> for QueryLength {
    fn weight(&self, query: &String, _: &Arc<ExecutableDocument>) -> u64 {
        u64::try_from(query.len()).unwrap_or(u64::MAX).max(1)
    }
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("introspection", &self.introspection.is_some())
            .finish_non_exhaustive()
    }
}

impl Schemas {
    /// Builds both schemas from `limits`.
    pub fn build(limits: &Limits) -> Schemas {
        let introspection = (!limits.production).then(|| {
            build(&Limits {
                max_depth: limits.max_depth.max(INTROSPECTION_MAX_DEPTH),
                ..limits.clone()
            })
        });
        Schemas {
            main: build(limits),
            introspection,
            max_aliases: limits.max_aliases,
            documents: Arc::new(DocumentCache::with_weighter(
                256,
                DOCUMENT_CACHE_BYTES,
                QueryLength,
            )),
        }
    }

    /// Parses `request` once (execution reuses the document), checks the
    /// limits async-graphql does not check itself, and picks the schema to
    /// execute it with. A request counts as introspection-only when every
    /// root field of its operation, looked up through fragments by the
    /// fields themselves and never by fragment names, is `__schema`,
    /// `__type` or `__typename`. A document that does not parse goes to the
    /// main schema, whose execution reports the syntax error.
    pub fn prepare(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<Prepared<'_>, async_graphql::ServerError> {
        let operation = request.operation_name.clone();
        match self.documents.get(request.query.as_str()) {
            Some(document) => request.set_parsed_query(ExecutableDocument::clone(&document)),
            None if request.query.len() <= MAX_CACHED_QUERY_BYTES => {
                let query = request.query.clone();
                if let Ok(document) = request.parsed_query() {
                    self.documents.insert(query, Arc::new(document.clone()));
                }
            }
            None => {}
        }
        let Ok(document) = request.parsed_query() else {
            return Ok(Prepared {
                schema: &self.main,
                writes: false,
            });
        };
        let aliases = limits::alias_count(document);
        if aliases > self.max_aliases {
            return Err(async_graphql::ServerError::new(
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.max_aliases
                ),
                None,
            ));
        }
        let writes = limits::is_mutation(document, operation.as_deref());
        let schema = match &self.introspection {
            Some(schema) if limits::is_introspection_only(document, operation.as_deref()) => schema,
            _ => &self.main,
        };
        Ok(Prepared { schema, writes })
    }
}

impl async_graphql::Executor for Schemas {
    /// A request over HTTP goes through the server's own path
    /// ([`Schemas::prepare`] first); this one, for completeness, does the
    /// same.
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let mut request = request;
        match self.prepare(&mut request) {
            Ok(prepared) => prepared.schema.execute(request).await,
            Err(refused) => async_graphql::Response::from_errors(vec![refused]),
        }
    }

    /// An operation sent on the live updates' socket: the limits of
    /// [`Schemas::prepare`], and subscriptions only (queries and mutations
    /// go to `POST /graphql`, with its checks).
    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt as _;
        let refused = |error: async_graphql::ServerError| {
            futures_util::stream::once(
                async move { async_graphql::Response::from_errors(vec![error]) },
            )
            .boxed()
        };
        let mut request = request;
        let operation = request.operation_name.clone();
        let prepared = match self.prepare(&mut request) {
            Ok(prepared) => prepared,
            Err(error) => return refused(error),
        };
        let subscribes = request
            .parsed_query()
            .is_ok_and(|document| limits::is_subscription(document, operation.as_deref()));
        if !subscribes && request.parsed_query().is_ok() {
            let mut error = async_graphql::ServerError::new(
                "only subscriptions are served on /graphql/ws; send queries and mutations to POST /graphql",
                None,
            );
            error.extensions = Some({
                let mut ext = async_graphql::ErrorExtensionValues::default();
                ext.set("code", crate::error::Code::BadUserInput.as_str());
                ext
            });
            return refused(error);
        }
        async_graphql::Executor::execute_stream(prepared.schema, request, session_data)
    }
}

/// A parsed request that passed [`Schemas::prepare`].
#[derive(Clone, Copy)]
pub struct Prepared<'a> {
    /// The schema to execute it with.
    pub schema: &'a AccordSchema,
    /// Whether it runs a mutation (whose reads must see its own writes).
    pub writes: bool,
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("writes", &self.writes)
            .finish_non_exhaustive()
    }
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build(&Limits::default()).sdl()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn committed_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql")
    }

    /// Regenerate with `cargo run -- schema > schema.graphql`.
    #[test]
    fn the_committed_schema_graphql_equals_the_schema() {
        let committed =
            std::fs::read_to_string(committed_path()).expect("schema.graphql is committed");
        assert!(
            committed == sdl(),
            "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
        );
    }

    #[test]
    fn a_cached_document_is_checked_again_for_each_request() {
        let schemas = Schemas::build(&Limits {
            max_aliases: 1,
            ..Limits::default()
        });
        let document = "query Q { viewer { id } } mutation M { __typename }";
        for _ in 0..2 {
            let mut query = async_graphql::Request::new(document).operation_name("Q");
            let prepared = schemas.prepare(&mut query).unwrap();
            assert!(!prepared.writes);
            let mut mutation = async_graphql::Request::new(document).operation_name("M");
            assert!(schemas.prepare(&mut mutation).unwrap().writes);
        }
        let aliased = "{ a: viewer { b: id } }";
        for _ in 0..2 {
            let mut request = async_graphql::Request::new(aliased);
            assert!(schemas.prepare(&mut request).is_err());
        }
        assert!(schemas.documents.get(document).is_some());
        assert!(schemas.documents.get(aliased).is_some());
    }

    #[test]
    fn long_and_unparsable_queries_are_not_cached() {
        let schemas = Schemas::build(&Limits::default());
        let long = format!(
            "{{ viewer {{ id }} }}{}",
            " ".repeat(MAX_CACHED_QUERY_BYTES)
        );
        let mut request = async_graphql::Request::new(long.clone());
        assert!(schemas.prepare(&mut request).is_ok());
        assert!(schemas.documents.get(long.as_str()).is_none());
        let mut broken = async_graphql::Request::new("{ viewer {");
        assert!(schemas.prepare(&mut broken).is_ok());
        assert!(schemas.documents.get("{ viewer {").is_none());
    }

    #[tokio::test]
    async fn every_mutation_is_mapped_to_an_action_of_the_permission_table() {
        let response = build(&Limits::default())
            .execute("{ __schema { mutationType { fields { name } } } }")
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let names: Vec<String> = data["__schema"]["mutationType"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect();
        for name in &names {
            let (_, action) = MUTATIONS
                .iter()
                .find(|(m, _)| m == name)
                .unwrap_or_else(|| panic!("mutation {name} is missing from MUTATIONS"));
            assert!(
                accord_workflow::permissions::rule(*action).is_some(),
                "{action:?} (mutation {name}) has no row in the permission table"
            );
        }
        assert_eq!(
            names.len(),
            MUTATIONS.len(),
            "MUTATIONS lists a mutation the schema lacks"
        );
    }
}
