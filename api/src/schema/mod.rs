//! The GraphQL schema: built by one function that the server and the tests
//! both call, with the safety limits applied.

mod enums;
mod limits;
mod loaders;
pub mod mutation;
mod query;
mod scalars;
mod types;

use async_graphql::{EmptySubscription, Schema};

pub use loaders::Loaders;
pub use mutation::{MUTATIONS, Mutation};
pub use query::Query;

/// Accord's schema type.
pub type AccordSchema = Schema<Query, Mutation, EmptySubscription>;

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
/// and the engine are attached by the server.
pub fn build(limits: &Limits) -> AccordSchema {
    let mut builder = Schema::build(Query, Mutation, EmptySubscription)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_directives(limits.max_directives)
        .limit_recursive_depth(64)
        .extension(limits::AliasLimit::new(limits.max_aliases));
    if limits.production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build(&Limits::default()).sdl()
}
