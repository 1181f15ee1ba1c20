//! The schema's conventions, checked on the schema itself: every type,
//! field, argument, input field and enum value says what it is.

use serde_json::Value;

use super::{Limits, build};

/// The scalars every GraphQL schema has; the specification describes them.
const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

/// Whether an introspected `description` is missing or blank.
fn undescribed(item: &Value) -> bool {
    item["description"]
        .as_str()
        .is_none_or(|text| text.trim().is_empty())
}

/// The names of `items` (fields, arguments, …) without a description,
/// each prefixed by `owner`.
fn undescribed_in(owner: &str, items: &Value) -> Vec<String> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter(|item| undescribed(item))
        .map(|item| format!("{owner}{}", item["name"].as_str().unwrap_or("?")))
        .collect()
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_has_a_description() {
    let response = build(&Limits::default())
        .execute(
            "{ __schema { types { name description
                fields(includeDeprecated: true) { name description args { name description } }
                inputFields { name description }
                enumValues(includeDeprecated: true) { name description } } } }",
        )
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let mut missing = Vec::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || BUILT_IN_SCALARS.contains(&name) {
            continue;
        }
        if undescribed(ty) {
            missing.push(format!("type {name}"));
        }
        missing.extend(undescribed_in(&format!("{name}."), &ty["fields"]));
        missing.extend(undescribed_in(&format!("{name}."), &ty["inputFields"]));
        missing.extend(undescribed_in(&format!("{name}."), &ty["enumValues"]));
        for field in ty["fields"].as_array().into_iter().flatten() {
            let field_name = field["name"].as_str().unwrap();
            missing.extend(undescribed_in(
                &format!("{name}.{field_name}(argument) "),
                &field["args"],
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "{} parts of the schema have no description (add `///` docs, or \
         `#[graphql(desc = …)]` on arguments):\n{}",
        missing.len(),
        missing.join("\n")
    );
}
