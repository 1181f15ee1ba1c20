//! Checks on the parsed document that async-graphql does not have built
//! in: the number of aliases (alias-based batching multiplies work without
//! adding depth), and whether a request is introspection only.
//!
//! They run once on the document the server parses before execution
//! (`Schemas::prepare`), not as a schema extension: any extension makes
//! async-graphql run every field of every response through the extension
//! chain, a cost paid per field for a check made once per document.

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

/// The number of aliases in the document's operations and fragments.
pub fn alias_count(document: &ExecutableDocument) -> usize {
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, operation)| aliases(&operation.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| aliases(&fragment.node.selection_set.node))
        .sum();
    operations + fragments
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

/// Whether the operation `request` would run is a mutation: the named one,
/// or, without a name, any operation of the document (a document with
/// several operations and no name does not run at all).
pub fn is_mutation(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    document.operations.iter().any(|(name, op)| {
        op.node.ty == OperationType::Mutation
            && (operation.is_none() || name.map(|n| n.as_str()) == operation)
    })
}

/// Whether the operation a request runs is a subscription (and it runs
/// one: a document naming no runnable operation is not).
pub fn is_subscription(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    chosen_root_fields(document, operation).is_some_and(|(ty, _)| ty == OperationType::Subscription)
}

/// Whether every root field of the chosen operation is an introspection
/// field. Fragments are followed by what they select, so naming a fragment
/// `__schema` changes nothing.
pub fn is_introspection_only(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    chosen_root_fields(document, operation).is_some_and(|(_, names)| {
        !names.is_empty()
            && names
                .iter()
                .all(|n| matches!(n.as_str(), "__schema" | "__type" | "__typename"))
    })
}

/// Whether the chosen operation is a mutation whose root fields, followed
/// through fragments, are all among `fields` (and there is at least one).
pub fn is_mutation_of_only(
    document: &ExecutableDocument,
    operation: Option<&str>,
    fields: &[&str],
) -> bool {
    chosen_root_fields(document, operation).is_some_and(|(ty, names)| {
        ty == OperationType::Mutation
            && !names.is_empty()
            && names.iter().all(|n| fields.contains(&n.as_str()))
    })
}

/// The root field names of the operation a request with `operation` as
/// its name runs, followed through fragments (`None` as for
/// [`is_introspection_only`]).
pub fn root_field_names(
    document: &ExecutableDocument,
    operation: Option<&str>,
) -> Option<Vec<String>> {
    chosen_root_fields(document, operation).map(|(_, names)| names)
}

/// The type and root field names of the operation a request with
/// `operation` as its name runs, or `None` when it runs none (no such
/// operation, several without a name) or spreads an unknown fragment.
fn chosen_root_fields(
    document: &ExecutableDocument,
    operation: Option<&str>,
) -> Option<(OperationType, Vec<String>)> {
    let chosen = document
        .operations
        .iter()
        .filter(|(name, _)| operation.is_none() || name.map(|n| n.as_str()) == operation)
        .collect::<Vec<_>>();
    let [(_, op)] = chosen.as_slice() else {
        return None;
    };
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    root_fields(document, &op.node.selection_set.node, &mut names, &mut seen)
        .then_some((op.node.ty, names))
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
    use super::{alias_count, is_introspection_only as on_document, is_mutation_of_only};

    fn is_introspection_only(query: &str, operation: Option<&str>) -> bool {
        let document = async_graphql::parser::parse_query(query).unwrap();
        on_document(&document, operation)
    }

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query { a: viewer { b: id } ...F } fragment F on Query { c: drafts { totalCount } }",
        )
        .unwrap();
        assert_eq!(alias_count(&document), 3);
    }

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

    #[test]
    fn an_upload_operation_is_a_mutation_of_upload_fields_only() {
        let only = |query: &str, operation: Option<&str>| {
            let document = async_graphql::parser::parse_query(query).unwrap();
            is_mutation_of_only(&document, operation, &["uploadFile"])
        };
        let upload = "mutation ($f: Upload!) { uploadFile(file: $f) { id } }";
        assert!(only(upload, None));
        assert!(only(
            "mutation M($f: Upload!) { ...U } fragment U on Mutation { a: uploadFile(file: $f) { id } }",
            Some("M")
        ));
        assert!(!only("{ viewer { id } }", None));
        assert!(!only("query { uploadFile }", None));
        assert!(!only(
            "mutation ($f: Upload!) { uploadFile(file: $f) { id } createPlan { id } }",
            None
        ));
        assert!(!only(
            "mutation ($f: Upload!) { ...U } fragment U on Mutation { createPlan { id } }",
            None
        ));
        let two =
            "mutation A($f: Upload!) { uploadFile(file: $f) { id } } query B { viewer { id } }";
        assert!(only(two, Some("A")));
        assert!(!only(two, Some("B")));
        assert!(!only(two, None));
        assert!(!only("mutation { ...Missing }", None));
    }
}
