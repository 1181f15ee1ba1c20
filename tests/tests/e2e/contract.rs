//! The public contract (shared/contract): every operation validates against
//! the server's schema and runs, and the schema has the contract's enums
//! and input types with exactly its values and fields.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use serde_json::{Value, json};

use crate::helpers::{Backend, OPERATIONS, spawn_app, standard_items, year};
use crate::on_both_backends;

on_both_backends!(
    operations =>
        every_contract_operation_validates_and_runs_sqlite,
        every_contract_operation_validates_and_runs_postgres
);

const CONTRACT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/contract/contract.graphql"
));

/// The operation names in operations.graphql, in order.
fn operation_names() -> Vec<String> {
    OPERATIONS
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("query ")
                .or_else(|| line.strip_prefix("mutation "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// Plausible variables for each operation, using every optional input, on
/// a draft and a comment that do not exist.
fn plausible_variables() -> BTreeMap<&'static str, Value> {
    let missing = uuid::Uuid::now_v7().to_string();
    let hash = "ab".repeat(32);
    let texts = json!([{ "lang": "EN", "text": "Text." }, { "lang": "RU", "text": "Текст." }]);
    BTreeMap::from([
        ("Viewer", json!({})),
        ("Drafts", json!({ "state": "CIRCULATED", "first": 5 })),
        ("Draft", json!({ "id": missing, "lang": "RU" })),
        ("Compilation", json!({ "id": missing, "version": 1 })),
        ("VersionDiff", json!({ "id": missing, "from": 1, "to": 2 })),
        (
            "CreateDraft",
            json!({ "input": {
                "kind": "JOINT_STATEMENT", "title": texts, "signatories": ["CICA", "SCO"],
                "items": standard_items(""),
            }}),
        ),
        (
            "ReviseDraft",
            json!({ "input": {
                "draftId": missing, "baseVersion": 1, "items": standard_items(" (v2)"),
                "changeSummary": "Updated.", "accommodates": [uuid::Uuid::now_v7().to_string()],
            }}),
        ),
        (
            "CirculateDraft",
            json!({ "input": {
                "draftId": missing, "series": "PAR", "subject": texts,
                "references": ["PAR/361"], "commentsDueOn": format!("{}-12-31", year() + 1),
            }}),
        ),
        (
            "AddComment",
            json!({ "input": {
                "draftId": missing, "version": 1, "anchor": "item-1", "body": "Proposal.",
                "proposal": { "operation": "INSERT_AFTER", "texts": texts },
            }}),
        ),
        (
            "ResolveProposal",
            json!({ "input": { "commentId": missing, "resolution": "PARTIALLY_ACCOMMODATED", "reply": "Partly." }}),
        ),
        (
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": missing, "meetingDate": "2024-06-27" }}),
        ),
        (
            "RecordSocAgreement",
            json!({ "input": { "draftId": missing, "meetingDate": "2024-06-27", "decisionNumber": "SOC/2024-II/DEC/3" }}),
        ),
        (
            "SignDraft",
            json!({ "input": { "draftId": missing, "contentHash": hash }}),
        ),
        (
            "WithdrawDraft",
            json!({ "input": { "draftId": missing, "reason": "Superseded." }}),
        ),
    ])
}

async fn operations(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let names = operation_names();
    let variables = plausible_variables();
    assert_eq!(
        names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        variables.keys().copied().collect::<BTreeSet<_>>(),
        "operations.graphql and this test name different operations"
    );
    assert_eq!(names.len(), variables.len(), "operation names are unique");
    let mut wrong = Vec::new();
    for name in &names {
        let body = app
            .op(&app.secretariat(), name, variables[name.as_str()].clone())
            .await;
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        for error in &errors {
            // A validation error (the operation does not fit the schema)
            // has no path; a resolver's refusal has one.
            if !error["path"].is_array() {
                wrong.push(format!("{name}: {error}"));
            }
        }
        let reads_or_creates = matches!(name.as_str(), "Viewer" | "Drafts" | "CreateDraft");
        if reads_or_creates && !errors.is_empty() {
            wrong.push(format!("{name} failed: {body}"));
        }
        if !reads_or_creates
            && errors.first().and_then(|e| e.pointer("/extensions/code"))
                != Some(&json!("NOT_FOUND"))
        {
            wrong.push(format!("{name} on a missing draft or comment: {body}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "the contract's operations do not run as written:\n{}",
        wrong.join("\n")
    );
}

/// The type of an introspected field or argument, written as in SDL.
fn written(ty: &Value) -> String {
    match ty["kind"].as_str().unwrap() {
        "NON_NULL" => format!("{}!", written(&ty["ofType"])),
        "LIST" => format!("[{}]", written(&ty["ofType"])),
        _ => ty["name"].as_str().unwrap().to_owned(),
    }
}

/// The values the server adds to the contract's enums, and none other: the
/// states and the action of routes other than the default one (see
/// `routes.rs`). A draft on the default route never takes them, so a
/// front-end written against the contract meets them only on drafts of
/// other routes; adding an enum value is no breaking change (the schema
/// check's diff lists it as dangerous, not breaking).
const ADDED_VALUES: &[(&str, &[&str])] = &[
    (
        "DraftState",
        &[
            "UNDER_CONSIDERATION",
            "UNDER_SILENCE",
            "AGREED",
            "ADOPTED",
            "APPROVED",
        ],
    ),
    (
        "DraftAction",
        &["RECORD_BODY_DECISION", "PUT_UNDER_SILENCE"],
    ),
];

#[tokio::test]
async fn the_schema_has_the_contracts_enums_and_inputs_exactly() {
    let contract = async_graphql::parser::parse_schema(CONTRACT).expect("contract.graphql parses");
    let schema = accord_api::schema::build(&accord_api::schema::Limits::default());
    let response = schema
        .execute(
            "{ __schema { types { name kind enumValues { name } inputFields { name type {
               kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }",
        )
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let types: BTreeMap<String, Value> = data["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();

    let mut checked = 0;
    for definition in &contract.definitions {
        let TypeSystemDefinition::Type(definition) = definition else {
            continue;
        };
        let definition = &definition.node;
        let name = definition.name.node.as_str();
        let ours = types
            .get(name)
            .unwrap_or_else(|| panic!("the schema lacks the contract's {name}"));
        match &definition.kind {
            TypeKind::Scalar => assert_eq!(ours["kind"], "SCALAR", "{name}"),
            TypeKind::Enum(contract_enum) => {
                assert_eq!(ours["kind"], "ENUM", "{name}");
                let added = ADDED_VALUES
                    .iter()
                    .find(|(of, _)| *of == name)
                    .map_or(&[][..], |(_, values)| *values);
                let want: BTreeSet<String> = contract_enum
                    .values
                    .iter()
                    .map(|v| v.node.value.node.to_string())
                    .chain(added.iter().map(|v| (*v).to_owned()))
                    .collect();
                let got: BTreeSet<String> = ours["enumValues"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["name"].as_str().unwrap().to_owned())
                    .collect();
                assert_eq!(got, want, "the values of enum {name}");
            }
            TypeKind::InputObject(contract_input) => {
                assert_eq!(ours["kind"], "INPUT_OBJECT", "{name}");
                let got: BTreeMap<String, String> = ours["inputFields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| (f["name"].as_str().unwrap().to_owned(), written(&f["type"])))
                    .collect();
                for field in &contract_input.fields {
                    let field_name = field.node.name.node.to_string();
                    let want = field.node.ty.node.to_string();
                    assert_eq!(
                        got.get(&field_name),
                        Some(&want),
                        "{name}.{field_name} must be {want}"
                    );
                }
                // Fields the server adds must be optional.
                for (field_name, ty) in &got {
                    let in_contract = contract_input
                        .fields
                        .iter()
                        .any(|f| f.node.name.node.as_str() == field_name);
                    assert!(
                        in_contract || !ty.ends_with('!'),
                        "{name}.{field_name}: {ty} is required but not in the contract"
                    );
                }
            }
            other => {
                panic!("the contract defines {name} as {other:?}, which this test does not check")
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "checked {checked} contract types");
}
