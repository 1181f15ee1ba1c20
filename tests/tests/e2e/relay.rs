//! The Relay conventions: `node(id:)` finds every kind of object by the id
//! its own query takes, under the same visibility, and every listing pages
//! forwards (`first`/`after`) and backwards (`last`/`before`) with `edges`
//! and a full `pageInfo`.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_demo_app};
use crate::on_both_backends;

on_both_backends!(
    nodes => node_finds_every_kind_under_the_visibility_of_its_query_sqlite,
    node_finds_every_kind_under_the_visibility_of_its_query_postgres
);
on_both_backends!(
    pages => every_listing_pages_forwards_and_backwards_alike_sqlite,
    every_listing_pages_forwards_and_backwards_alike_postgres
);

/// The demo person `role` of `org`.
fn demo_token(app: &TestApp, role: &str, org: &str) -> String {
    let person = accord_api::demo::PEOPLE
        .iter()
        .find(|p| p.role.claim_name() == role && p.org == org)
        .expect("a demo person");
    app.token(person.sub, person.name, person.org, &[role])
}

/// The answer's `data`, which must come without errors.
fn data(body: Value) -> Value {
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

async fn nodes(backend: Backend) {
    let Some(app) = spawn_demo_app(backend).await else {
        return;
    };
    let officer = demo_token(&app, "secretariat", "CICA");
    let kaz = demo_token(&app, "delegate", "KAZ");
    let rus = demo_token(&app, "delegate", "RUS");
    let ids = data(
        app.gql(
            &officer,
            "{ drafts(first: 10) { nodes { id state comments { id organization { code } } } }
               notes(first: 1) { nodes { id } }
               meetings(first: 1) { nodes { id } }
               decisions(first: 1) { nodes { id } }
               events(first: 1) { nodes { id } }
               plan(year: 2024) { id } }",
            json!({}),
        )
        .await,
    );
    let drafts = ids["drafts"]["nodes"].as_array().unwrap();
    let hidden = drafts
        .iter()
        .find(|d| d["state"] == "DRAFTING")
        .expect("the demo's draft in DRAFTING")["id"]
        .clone();
    let kaz_comment = drafts
        .iter()
        .flat_map(|d| d["comments"].as_array().unwrap().clone())
        .find(|c| c["organization"]["code"] == "KAZ")
        .expect("a comment of Kazakhstan in the demo")["id"]
        .clone();
    let expected = [
        ("Draft", hidden.clone()),
        ("Comment", kaz_comment.clone()),
        ("Note", ids["notes"]["nodes"][0]["id"].clone()),
        ("Meeting", ids["meetings"]["nodes"][0]["id"].clone()),
        ("Decision", ids["decisions"]["nodes"][0]["id"].clone()),
        ("Event", ids["events"]["nodes"][0]["id"].clone()),
        ("Plan", ids["plan"]["id"].clone()),
    ];
    for (kind, id) in &expected {
        let found = data(app.gql(&officer, NODE, json!({ "id": id })).await);
        assert_eq!(
            found["node"],
            json!({ "__typename": kind, "id": id }),
            "node({id}) as the Secretariat"
        );
    }

    // What the typed query hides, node() hides, with the same code and the
    // same words for hidden and missing.
    let missing = uuid::Uuid::now_v7().to_string();
    let refusal = |body: &Value, id: &Value| {
        assert_eq!(body["data"]["node"], Value::Null, "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        (
            body["errors"][0]["extensions"]["code"].clone(),
            message.replace(id.as_str().unwrap(), "<id>"),
        )
    };
    let hidden_draft = app.gql(&kaz, NODE, json!({ "id": hidden })).await;
    let draft_query = app
        .gql(
            &kaz,
            "query($id: ID!) { draft(id: $id) { id } }",
            json!({ "id": hidden }),
        )
        .await;
    assert_eq!(draft_query["data"]["draft"], Value::Null, "{draft_query}");
    assert_eq!(
        draft_query["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{draft_query}"
    );
    let missing = json!(missing);
    let nothing = app.gql(&kaz, NODE, json!({ "id": missing })).await;
    let not_found = refusal(&nothing, &missing);
    assert_eq!(not_found.0, json!("NOT_FOUND"));
    assert_eq!(refusal(&hidden_draft, &hidden), not_found);
    let not_an_id = json!("not-an-id");
    let answer = app.gql(&kaz, NODE, json!({ "id": not_an_id })).await;
    assert_eq!(refusal(&answer, &not_an_id).0, json!("NOT_FOUND"));

    // A delegate reads its own state's comment, not another state's (the
    // demo circulated no compilation).
    let own = data(app.gql(&kaz, NODE, json!({ "id": kaz_comment })).await);
    assert_eq!(own["node"]["__typename"], "Comment");
    let other_state = app.gql(&rus, NODE, json!({ "id": kaz_comment })).await;
    assert_eq!(refusal(&other_state, &kaz_comment), not_found);
}

/// Every node id of a listing read forwards a page of `size` at a time,
/// checking each page's edges and `pageInfo`.
async fn forwards(app: &TestApp, token: &str, listing: &str, size: usize) -> Vec<String> {
    let query = format!(
        "query($first: Int, $after: String) {{ {listing}(first: $first, after: $after) {{
            totalCount edges {{ cursor node {{ id }} }} nodes {{ id }}
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
    );
    let mut ids = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = data(
            app.gql(token, &query, json!({ "first": size, "after": after }))
                .await,
        )[listing]
            .clone();
        let page_ids = checked_page(&page, listing);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], json!(!after.is_null()));
        ids.extend(page_ids);
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            assert_eq!(ids.len() as u64, page["totalCount"].as_u64().unwrap());
            return ids;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// The same listing read backwards from its end with `last`/`before`.
async fn backwards(app: &TestApp, token: &str, listing: &str, size: usize) -> Vec<String> {
    let query = format!(
        "query($last: Int, $before: String) {{ {listing}(last: $last, before: $before) {{
            totalCount edges {{ cursor node {{ id }} }} nodes {{ id }}
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
    );
    let mut ids = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = data(
            app.gql(token, &query, json!({ "last": size, "before": before }))
                .await,
        )[listing]
            .clone();
        let mut page_ids = checked_page(&page, listing);
        assert_eq!(page["pageInfo"]["hasNextPage"], json!(!before.is_null()));
        page_ids.extend(ids);
        ids = page_ids;
        if page["pageInfo"]["hasPreviousPage"] != json!(true) {
            return ids;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
}

/// A page's node ids, after checking that `edges` and `nodes` agree and
/// that the cursors are the first and last edges'.
fn checked_page(page: &Value, listing: &str) -> Vec<String> {
    let edges = page["edges"].as_array().unwrap();
    let nodes = page["nodes"].as_array().unwrap();
    assert_eq!(edges.len(), nodes.len(), "{listing}: {page}");
    assert!(!edges.is_empty(), "{listing}: an empty page: {page}");
    for (edge, node) in edges.iter().zip(nodes) {
        assert_eq!(edge["node"], *node, "{listing}");
        assert_eq!(
            edge["cursor"], node["id"],
            "{listing}: a cursor is its node's id"
        );
    }
    assert_eq!(
        page["pageInfo"]["startCursor"], edges[0]["cursor"],
        "{listing}"
    );
    assert_eq!(
        page["pageInfo"]["endCursor"],
        edges[edges.len() - 1]["cursor"],
        "{listing}"
    );
    nodes
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn pages(backend: Backend) {
    let Some(app) = spawn_demo_app(backend).await else {
        return;
    };
    let officer = demo_token(&app, "secretariat", "CICA");
    for listing in ["drafts", "notes", "meetings", "decisions", "events"] {
        let all = forwards(&app, &officer, listing, 100).await;
        assert!(
            all.len() >= 2,
            "{listing}: the demo has a few ({})",
            all.len()
        );
        for size in [1, 2] {
            assert_eq!(
                forwards(&app, &officer, listing, size).await,
                all,
                "{listing}"
            );
            assert_eq!(
                backwards(&app, &officer, listing, size).await,
                all,
                "{listing}"
            );
        }
        assert_eq!(
            backwards(&app, &officer, listing, 100).await,
            all,
            "{listing}"
        );
    }
    let both = app
        .gql(
            &officer,
            "{ drafts(first: 1, last: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        both["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{both}"
    );
    let before_alone = app
        .gql(
            &officer,
            "query($c: String) { drafts(before: $c) { totalCount } }",
            json!({ "c": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(
        before_alone["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{before_alone}"
    );
}
