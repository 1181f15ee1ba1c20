//! A limit async-graphql does not have built in: the number of aliases in
//! one document (alias-based batching multiplies work without adding depth).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

/// Refuses documents with more than `max` aliases.
#[derive(Debug, Clone, Copy)]
pub struct AliasLimit {
    max: usize,
}

impl AliasLimit {
    /// A limit of `max` aliases.
    pub fn new(max: usize) -> AliasLimit {
        AliasLimit { max }
    }
}

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_trait::async_trait]
impl Extension for AliasLimit {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let mut count = 0;
        for (_, operation) in document.operations.iter() {
            count += aliases(&operation.node.selection_set.node);
        }
        for fragment in document.fragments.values() {
            count += aliases(&fragment.node.selection_set.node);
        }
        if count > self.max {
            return Err(ServerError::new(
                format!(
                    "the query uses {count} aliases; at most {} are allowed",
                    self.max
                ),
                None,
            ));
        }
        Ok(document)
    }
}

fn aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}
