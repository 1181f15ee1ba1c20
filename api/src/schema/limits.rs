//! A limit async-graphql does not have built in: the number of aliases in
//! one document (alias-based batching multiplies work without adding depth).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use std::collections::HashSet;

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

/// Whether every root field of the chosen operation is an introspection
/// field. Fragments are followed by what they select, so naming a fragment
/// `__schema` changes nothing. Unparsable queries are not introspection.
pub fn is_introspection_only(query: &str, operation: Option<&str>) -> bool {
    // Every introspection field starts with `__`: a query without it needs
    // no parsing to be told apart.
    if !query.contains("__") {
        return false;
    }
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let chosen = document
        .operations
        .iter()
        .filter(|(name, _)| operation.is_none() || name.map(|n| n.as_str()) == operation)
        .collect::<Vec<_>>();
    let [(_, op)] = chosen.as_slice() else {
        return false;
    };
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    if !root_fields(
        &document,
        &op.node.selection_set.node,
        &mut names,
        &mut seen,
    ) {
        return false;
    }
    !names.is_empty()
        && names
            .iter()
            .all(|n| matches!(n.as_str(), "__schema" | "__type" | "__typename"))
}

/// Collects the root field names of `set`, following fragments once each.
/// Returns false on a spread of an unknown fragment.
fn root_fields(
    document: &ExecutableDocument,
    set: &SelectionSet,
    names: &mut Vec<String>,
    seen: &mut HashSet<String>,
) -> bool {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => names.push(field.node.name.node.to_string()),
            Selection::InlineFragment(fragment) => {
                if !root_fields(document, &fragment.node.selection_set.node, names, seen) {
                    return false;
                }
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                if !seen.insert(name.clone()) {
                    continue;
                }
                let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) else {
                    return false;
                };
                if !root_fields(document, &fragment.node.selection_set.node, names, seen) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_introspection_only;

    #[test]
    fn a_schema_query_is_introspection() {
        assert!(is_introspection_only(
            "{ __schema { queryType { name } } }",
            None
        ));
        assert!(is_introspection_only(
            "query A { ...F } fragment F on Query { __type(name: \"Draft\") { name } }",
            Some("A")
        ));
    }

    #[test]
    fn a_fragment_named_like_introspection_is_not_introspection() {
        let query = "query { ...__schema } fragment __schema on Query { drafts { totalCount } }";
        assert!(!is_introspection_only(query, None));
        let mixed = "{ __schema { queryType { name } } drafts { totalCount } }";
        assert!(!is_introspection_only(mixed, None));
    }

    #[test]
    fn the_operation_name_picks_the_operation() {
        let query = "query A { __typename } query B { viewer { id } }";
        assert!(is_introspection_only(query, Some("A")));
        assert!(!is_introspection_only(query, Some("B")));
        assert!(!is_introspection_only(query, None));
    }
}
