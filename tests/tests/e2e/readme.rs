//! The README as a newcomer follows it: every GraphQL example of README.md,
//! taken from the README itself, runs in order against the demo data (a
//! fresh database loaded as `accord serve --demo` loads it), as the person
//! the README says, and answers without `errors`.
//!
//! The README marks its examples with HTML comments, invisible on GitHub:
//!
//! - `<!-- as: secretariat of CICA -->` before a ```` ```graphql ```` block:
//!   whose token sends it, written as `serve --demo` prints the person
//!   (`# Aigerim Nurlanovna, secretariat of CICA`);
//! - a ```` ```json ```` block right after it: its variables, in which a
//!   string `"<name>"` stands for a value an earlier step kept;
//! - `<!-- then: draftId = data.drafts.nodes[0].id -->` after the block
//!   (or its variables): what to keep from the answer for later steps
//!   (`;` between several);
//! - `<!-- not run: why -->` before a block that cannot run as written.
//!
//! A block may hold several named operations; they run in order, each with
//! the block's variables.

use std::collections::BTreeMap;

use async_graphql::parser::types::DocumentOperations;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_demo_app};
use crate::on_both_backends;

on_both_backends!(
    every_example => every_readme_example_runs_against_the_demo_sqlite,
    every_readme_example_runs_against_the_demo_postgres
);

const README: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"));

/// How many blocks may be marked `not run`: a few, each saying why.
const MOST_NOT_RUN: usize = 2;

/// Who sends a block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sender {
    /// `<!-- as: <role> of <ORG> -->`.
    As { role: String, org: String },
    /// `<!-- not run: … -->`.
    NotRun,
}

/// One ```` ```graphql ```` block of the README with its markers.
#[derive(Debug)]
struct Example {
    /// The README's line of its opening fence, for messages.
    line: usize,
    sender: Sender,
    document: String,
    variables: Value,
    /// (name, path) pairs to keep from the answer.
    then: Vec<(String, String)>,
}

/// The text of a marker comment `<!-- key: value -->` on `line`.
fn marker<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix(key)?
        .strip_prefix(':')
        .map(str::trim)
}

/// The README's GraphQL examples, in order.
fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut examples: Vec<Example> = Vec::new();
    let mut sender: Option<Sender> = None;
    // Whether the last non-blank line closed a graphql block.
    let mut after_graphql = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let fence = line.trim_start();
        if let Some(info) = fence.strip_prefix("```") {
            let start = i;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                body.push(lines[i]);
                i += 1;
            }
            let body = body.join("\n");
            match info.trim() {
                "graphql" => {
                    let sender = sender.take().unwrap_or_else(|| {
                        panic!(
                            "README.md line {}: a graphql block without `<!-- as: … -->` or \
                             `<!-- not run: … -->` before it",
                            start + 1
                        )
                    });
                    examples.push(Example {
                        line: start + 1,
                        sender,
                        document: body,
                        variables: json!({}),
                        then: Vec::new(),
                    });
                    after_graphql = true;
                }
                "json" if after_graphql => {
                    let example = examples.last_mut().expect("a graphql block came before");
                    example.variables = serde_json::from_str(&body).unwrap_or_else(|e| {
                        panic!("README.md line {}: variables are not JSON: {e}", start + 1)
                    });
                    after_graphql = false;
                }
                _ => after_graphql = false,
            }
        } else if let Some(as_whom) = marker(line, "as") {
            let (role, org) = as_whom
                .split_once(" of ")
                .unwrap_or_else(|| panic!("README.md line {}: write `as: <role> of <ORG>`", i + 1));
            sender = Some(Sender::As {
                role: role.trim().to_owned(),
                org: org.trim().to_owned(),
            });
            after_graphql = false;
        } else if marker(line, "not run").is_some() {
            sender = Some(Sender::NotRun);
            after_graphql = false;
        } else if let Some(keep) = marker(line, "then") {
            let example = examples
                .last_mut()
                .unwrap_or_else(|| panic!("README.md line {}: `then` before any example", i + 1));
            for assignment in keep.split(';') {
                let (name, path) = assignment.split_once('=').unwrap_or_else(|| {
                    panic!("README.md line {}: write `then: name = path`", i + 1)
                });
                example
                    .then
                    .push((name.trim().to_owned(), path.trim().to_owned()));
            }
            after_graphql = false;
        } else if !line.trim().is_empty() {
            after_graphql = false;
        }
        i += 1;
    }
    examples
}

/// The value at `path` (`data.drafts.nodes[0].id`) in `value`.
fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut here = value;
    for segment in path.split('.') {
        let (name, indices) = match segment.find('[') {
            Some(open) => (&segment[..open], &segment[open..]),
            None => (segment, ""),
        };
        here = here.get(name)?;
        for index in indices.split('[').skip(1) {
            let index: usize = index.strip_suffix(']')?.parse().ok()?;
            here = here.get(index)?;
        }
    }
    Some(here)
}

/// `variables` with every string `"<name>"` replaced by the kept value.
fn filled(variables: &Value, kept: &BTreeMap<String, Value>, line: usize) -> Value {
    match variables {
        Value::String(s) => match s.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            Some(name) => kept
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("README.md line {line}: no earlier step kept `{name}`")),
            None => variables.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| filled(v, kept, line)).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), filled(v, kept, line)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The operation names of `document` in the order written; `[None]` for a
/// document of one operation.
fn operations_in_order(document: &str, line: usize) -> Vec<Option<String>> {
    let parsed = async_graphql::parser::parse_query(document)
        .unwrap_or_else(|e| panic!("README.md line {line}: the example does not parse: {e}"));
    match parsed.operations {
        DocumentOperations::Single(_) => vec![None],
        DocumentOperations::Multiple(operations) => {
            let mut named: Vec<_> = operations
                .iter()
                .map(|(name, operation)| (operation.pos, name.to_string()))
                .collect();
            named.sort();
            named.into_iter().map(|(_, name)| Some(name)).collect()
        }
    }
}

/// The token of the demo person `role` of `org`.
fn token_of(app: &TestApp, role: &str, org: &str, line: usize) -> String {
    let person = accord_api::demo::PEOPLE
        .iter()
        .find(|p| p.role.claim_name() == role && p.org == org)
        .unwrap_or_else(|| {
            panic!("README.md line {line}: the demo has no {role} of {org} (see `serve --demo`)")
        });
    app.token(person.sub, person.name, person.org, &[role])
}

#[test]
fn the_readme_examples_are_read_with_their_markers() {
    let readme = "intro\n<!-- as: delegate of KAZ -->\n```graphql\nquery A($id: ID!) { draft(id: $id) { id } }\n```\n\n```json\n{ \"id\": \"<draftId>\" }\n```\n<!-- then: x = data.draft.id; y = data.draft -->\n\n```json\n{ \"Authorization\": \"Bearer …\" }\n```\n<!-- not run: needs a file -->\n```graphql\n{ viewer { name } }\n```\n";
    let found = examples(readme);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].sender,
        Sender::As {
            role: "delegate".into(),
            org: "KAZ".into()
        }
    );
    assert_eq!(found[0].variables, json!({ "id": "<draftId>" }));
    assert_eq!(found[0].then.len(), 2);
    assert_eq!(found[1].sender, Sender::NotRun);
    assert_eq!(found[1].variables, json!({}));
    let kept = BTreeMap::from([("draftId".to_owned(), json!("d-1"))]);
    assert_eq!(
        filled(&found[0].variables, &kept, 1),
        json!({ "id": "d-1" })
    );
    let answer = json!({ "data": { "drafts": { "nodes": [{ "id": "a" }, { "id": "b" }] } } });
    assert_eq!(at(&answer, "data.drafts.nodes[1].id"), Some(&json!("b")));
}

async fn every_example(backend: Backend) {
    let examples = examples(README);
    assert!(examples.len() >= 25, "found {} examples", examples.len());
    let not_run: Vec<usize> = examples
        .iter()
        .filter(|e| e.sender == Sender::NotRun)
        .map(|e| e.line)
        .collect();
    assert!(
        not_run.len() <= MOST_NOT_RUN,
        "too many examples marked `not run` (lines {not_run:?})"
    );
    let Some(app) = spawn_demo_app(backend).await else {
        return;
    };
    let mut kept: BTreeMap<String, Value> = BTreeMap::new();
    for example in &examples {
        let line = example.line;
        let Sender::As { role, org } = &example.sender else {
            continue;
        };
        assert!(
            !example.document.contains('…'),
            "README.md line {line}: an example to run holds a placeholder `…`; pass it as a variable"
        );
        let token = token_of(&app, role, org, line);
        let variables = filled(&example.variables, &kept, line);
        let mut data = serde_json::Map::new();
        for operation in operations_in_order(&example.document, line) {
            let mut request = json!({ "query": example.document, "variables": variables });
            if let Some(name) = &operation {
                request["operationName"] = json!(name);
            }
            let (status, body) = app.post(Some(&token), &request).await;
            assert!(
                status == 200 && body.get("errors").is_none(),
                "README.md line {line} ({}, as {role} of {org}) answered {status}: {body}",
                operation.as_deref().unwrap_or("the example")
            );
            if let Some(fields) = body["data"].as_object() {
                data.extend(fields.clone());
            }
        }
        let answer = json!({ "data": data });
        for (name, path) in &example.then {
            let value = at(&answer, path).unwrap_or_else(|| {
                panic!("README.md line {line}: the answer has nothing at {path}: {answer}")
            });
            assert!(!value.is_null(), "README.md line {line}: {path} is null");
            kept.insert(name.clone(), value.clone());
        }
    }
}
