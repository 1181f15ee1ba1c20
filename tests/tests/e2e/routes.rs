//! Routes as data, over HTTP on both databases: a declaration agreed by
//! the SOC and adopted by the Ministerial Council (no signatures), a plan
//! approved by the SOC alone, a memorandum that two of three Secretaries
//! General sign, and routes refused with a clear reason.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, error_code, meeting_year, soc_date, spawn_app, str_at, swg_date,
};
use crate::on_both_backends;

on_both_backends!(
    declaration =>
        a_declaration_is_agreed_by_the_soc_and_adopted_by_the_ministers_sqlite,
        a_declaration_is_agreed_by_the_soc_and_adopted_by_the_ministers_postgres
);
on_both_backends!(
    approval =>
        a_plan_is_approved_by_the_soc_alone_sqlite,
        a_plan_is_approved_by_the_soc_alone_postgres
);
on_both_backends!(
    two_of_three =>
        a_memorandum_is_complete_with_two_signatures_of_three_sqlite,
        a_memorandum_is_complete_with_two_signatures_of_three_postgres
);
on_both_backends!(
    refusals =>
        bad_routes_are_refused_with_their_reason_and_change_nothing_sqlite,
        bad_routes_are_refused_with_their_reason_and_change_nothing_postgres
);

const DEFINE: &str = "mutation Define($input: DefineRouteInput!) {
    defineRoute(input: $input) { route { id documentKind version status
        stages { key kind state body verb signatories signingRole signaturesRequired next } } } }";
const PUBLISH: &str = "mutation Publish($input: PublishRouteInput!) {
    publishRoute(input: $input) { route { id status publishedAt } } }";
const ROUTES: &str = "query Routes($kind: String) {
    routes(documentKind: $kind) { id documentKind version status stages { key } } }";
const CREATE: &str = "mutation Create($input: CreateDraftInput!) {
    createDraft(input: $input) { draft { id route { id documentKind version } stage { key }
        nextStages { key kind } currentVersion { contentHash } } } }";
const WHERE: &str = "query Where($id: ID!) {
    draft(id: $id) { state viewerActions stage { key kind body verb state }
        nextStages { key kind body } route { documentKind version } } }";
const BODY_DECISION: &str = "mutation Decide($input: RecordBodyDecisionInput!) {
    recordBodyDecision(input: $input) { draft { state stage { key } } decision { id number } } }";
const SOC: &str = "mutation Soc($input: RecordSocAgreementInput!) {
    recordSocAgreement(input: $input) { draft { state stage { key } } decision { number } } }";

/// The stages of a road through the SWG and the SOC, then `last`.
pub(crate) fn through_the_soc(soc_verb: &str, then: &[&str], last: Vec<Value>) -> Vec<Value> {
    let mut stages = vec![
        json!({ "key": "circulation", "kind": "CIRCULATION", "next": ["swg"] }),
        json!({ "key": "swg", "kind": "CONSIDERATION", "body": "SWG", "next": ["circulation", "soc"] }),
        json!({ "key": "soc", "kind": "DECISION", "body": "SOC", "verb": soc_verb, "next": then }),
    ];
    stages.extend(last);
    stages
}

/// Defines and publishes a route for `kind`; its id.
pub(crate) async fn route_in_force(app: &TestApp, kind: &str, stages: Vec<Value>) -> String {
    let secretariat = app.secretariat();
    let body = app
        .gql(
            &secretariat,
            DEFINE,
            json!({ "input": { "documentKind": kind, "stages": stages } }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let route = &body["data"]["defineRoute"]["route"];
    assert_eq!(route["status"], "DRAFT", "{body}");
    assert_eq!(route["documentKind"], kind);
    let id = str_at(route, "/id");
    let body = app
        .gql(&secretariat, PUBLISH, json!({ "input": { "routeId": id } }))
        .await;
    assert_eq!(
        body["data"]["publishRoute"]["route"]["status"], "PUBLISHED",
        "{body}"
    );
    id
}

/// Creates a `kind` draft signed by `signatories`, as the Secretariat.
pub(crate) async fn create(app: &TestApp, kind: &str, signatories: &[&str]) -> Value {
    app.gql(
        &app.secretariat(),
        CREATE,
        json!({ "input": {
            "kind": kind,
            "title": [
                { "lang": "EN", "text": format!("A {kind} for the tests") },
                { "lang": "RU", "text": "Документ для проверки" }
            ],
            "signatories": signatories,
            "items": crate::helpers::standard_items(""),
        }}),
    )
    .await
}

/// Where draft `id` stands, as the Secretariat sees it.
async fn at(app: &TestApp, id: &str) -> Value {
    let body = app
        .gql(&app.secretariat(), WHERE, json!({ "id": id }))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["draft"].clone()
}

async fn circulate_and_discuss(app: &TestApp, id: &str) {
    let secretariat = app.secretariat();
    app.op_ok(
        &secretariat,
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" } }),
    )
    .await;
    app.op_ok(
        &secretariat,
        "OpenSwgDiscussion",
        json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
    )
    .await;
}

fn keys(stages: &Value) -> Vec<String> {
    stages
        .as_array()
        .unwrap()
        .iter()
        .map(|s| str_at(s, "/key"))
        .collect()
}

async fn declaration(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let route = route_in_force(
        &app,
        "DECLARATION",
        through_the_soc(
            "AGREE",
            &["mc"],
            vec![json!({ "key": "mc", "kind": "DECISION", "body": "MC", "verb": "ADOPT" })],
        ),
    )
    .await;

    let body = create(&app, "DECLARATION", &["CICA"]).await;
    let draft = &body["data"]["createDraft"]["draft"];
    assert_eq!(draft["route"]["id"], route.as_str(), "{body}");
    assert!(draft["stage"].is_null());
    assert_eq!(keys(&draft["nextStages"]), ["circulation"]);
    let id = str_at(draft, "/id");

    // Another kind still takes the default route.
    let body = create(&app, "ACTION_PLAN", &["CICA", "SCO"]).await;
    let other = &body["data"]["createDraft"]["draft"];
    assert!(other["route"]["documentKind"].is_null(), "{body}");
    assert_eq!(other["route"]["version"], 1);

    circulate_and_discuss(&app, &id).await;
    let now = at(&app, &id).await;
    assert_eq!(now["state"], "SWG_DISCUSSION");
    assert_eq!(keys(&now["nextStages"]), ["circulation", "soc"]);

    // Before the SOC agrees, the Ministers cannot adopt it.
    let early = app
        .gql(
            &secretariat,
            BODY_DECISION,
            json!({ "input": { "draftId": id, "meetingDate": format!("{}-06-20", meeting_year()) } }),
        )
        .await;
    assert_eq!(
        error_code(&early).as_deref(),
        Some("INVALID_TRANSITION"),
        "{early}"
    );

    let agreed = app
        .gql(
            &secretariat,
            SOC,
            json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
        )
        .await;
    assert_eq!(
        agreed["data"]["recordSocAgreement"]["draft"]["state"], "SOC_AGREED",
        "{agreed}"
    );
    let now = at(&app, &id).await;
    assert_eq!(keys(&now["nextStages"]), ["mc"]);
    let offered: Vec<&str> = now["viewerActions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(offered.contains(&"RECORD_BODY_DECISION"), "{now}");
    assert!(
        !offered.contains(&"SIGN") && !offered.contains(&"RECORD_SOC_AGREEMENT"),
        "{now}"
    );

    // Nobody signs a declaration.
    let hash = str_at(
        &app.draft(&secretariat, &id).await,
        "/currentVersion/contentHash",
    );
    let sign = app
        .op(
            &app.sg("CICA"),
            "SignDraft",
            json!({ "input": { "draftId": id, "contentHash": hash } }),
        )
        .await;
    assert_eq!(
        error_code(&sign).as_deref(),
        Some("INVALID_TRANSITION"),
        "{sign}"
    );

    // The Ministers' meeting cannot come before the SOC's.
    let before = app
        .gql(
            &secretariat,
            BODY_DECISION,
            json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
        )
        .await;
    assert_eq!(
        error_code(&before).as_deref(),
        Some("BAD_USER_INPUT"),
        "{before}"
    );

    let audit_before = app.audit_entries().await;
    let adopted = app
        .gql(
            &secretariat,
            BODY_DECISION,
            json!({ "input": { "draftId": id, "meetingDate": format!("{}-06-20", meeting_year()) } }),
        )
        .await;
    assert!(adopted["errors"].is_null(), "{adopted}");
    let result = &adopted["data"]["recordBodyDecision"];
    assert_eq!(result["draft"]["state"], "ADOPTED");
    assert_eq!(result["draft"]["stage"]["key"], "mc");
    assert_eq!(
        result["decision"]["number"],
        format!("MC/{}-I/DEC/1", meeting_year())
    );
    assert_eq!(app.audit_entries().await, audit_before + 1);

    let now = at(&app, &id).await;
    assert_eq!(now["stage"]["verb"], "ADOPT");
    assert_eq!(now["nextStages"], json!([]));
    assert_eq!(now["viewerActions"], json!([]), "{now}");
    let withdraw = app
        .op(
            &secretariat,
            "WithdrawDraft",
            json!({ "input": { "draftId": id, "reason": "Too late." } }),
        )
        .await;
    assert_eq!(
        error_code(&withdraw).as_deref(),
        Some("INVALID_TRANSITION"),
        "{withdraw}"
    );

    // The audit line says which body decided what.
    let db = app.db().await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT after FROM audit_log WHERE draft_id = '{id}' AND action = 'RECORD_BODY_DECISION'"
            ),
        ))
        .await
        .unwrap()
        .expect("an audit line for the adoption");
    let after: String = row.try_get("", "after").unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["body"], "MC");
    assert_eq!(after["verb"], "ADOPT");
}

async fn approval(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    route_in_force(
        &app,
        "PLAN_OF_IMPLEMENTATION",
        vec![
            json!({ "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] }),
            json!({ "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "APPROVE" }),
        ],
    )
    .await;
    let body = create(&app, "PLAN_OF_IMPLEMENTATION", &["CICA"]).await;
    let id = str_at(&body["data"]["createDraft"]["draft"], "/id");
    let secretariat = app.secretariat();
    app.op_ok(
        &secretariat,
        "CirculateDraft",
        json!({ "input": { "draftId": id, "series": "PAR" } }),
    )
    .await;
    // No SWG on this road.
    let swg = app
        .op(
            &secretariat,
            "OpenSwgDiscussion",
            json!({ "input": { "draftId": id, "meetingDate": swg_date() } }),
        )
        .await;
    assert_eq!(
        error_code(&swg).as_deref(),
        Some("INVALID_TRANSITION"),
        "{swg}"
    );
    let approved = app
        .gql(
            &secretariat,
            SOC,
            json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
        )
        .await;
    assert!(approved["errors"].is_null(), "{approved}");
    let result = &approved["data"]["recordSocAgreement"];
    assert_eq!(result["draft"]["state"], "APPROVED");
    assert_eq!(
        result["decision"]["number"],
        format!("SOC/{}-I/DEC/1", meeting_year())
    );
    assert_eq!(at(&app, &id).await["nextStages"], json!([]));
}

async fn two_of_three(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // A third counterpart secretariat, for a trilateral memorandum.
    let db = app.db().await;
    db.execute_unprepared(
        "INSERT INTO organizations (code, kind, name) VALUES \
         ('CIS', 'COUNTERPART', 'Executive Committee of the Commonwealth of Independent States')",
    )
    .await
    .unwrap();
    route_in_force(
        &app,
        "MEMORANDUM",
        through_the_soc(
            "AGREE",
            &["signature"],
            vec![json!({
                "key": "signature", "kind": "SIGNATURE", "signaturesRequired": 2
            })],
        ),
    )
    .await;

    let too_few = create(&app, "MEMORANDUM", &["CICA"]).await;
    assert_eq!(
        error_code(&too_few).as_deref(),
        Some("BAD_USER_INPUT"),
        "{too_few}"
    );

    let body = create(&app, "MEMORANDUM", &["CICA", "SCO", "CIS"]).await;
    assert!(body["errors"].is_null(), "{body}");
    let id = str_at(&body["data"]["createDraft"]["draft"], "/id");
    circulate_and_discuss(&app, &id).await;
    let secretariat = app.secretariat();
    app.op_ok(
        &secretariat,
        "RecordSocAgreement",
        json!({ "input": { "draftId": id, "meetingDate": soc_date() } }),
    )
    .await;
    let hash = str_at(
        &app.draft(&secretariat, &id).await,
        "/currentVersion/contentHash",
    );
    let sign = |org: &'static str| {
        let app = &app;
        let hash = hash.clone();
        let id = id.clone();
        async move {
            app.op(
                &app.sg(org),
                "SignDraft",
                json!({ "input": { "draftId": id, "contentHash": hash } }),
            )
            .await
        }
    };
    let first = sign("CICA").await;
    assert!(first["errors"].is_null(), "{first}");
    assert_eq!(at(&app, &id).await["state"], "SOC_AGREED");
    let second = sign("CIS").await;
    assert!(second["errors"].is_null(), "{second}");
    let now = at(&app, &id).await;
    assert_eq!(now["state"], "SIGNED");
    assert_eq!(now["stage"]["key"], "signature");
    let third = sign("SCO").await;
    assert_eq!(
        error_code(&third).as_deref(),
        Some("INVALID_TRANSITION"),
        "{third}"
    );
    let signed = app.draft(&secretariat, &id).await;
    assert_eq!(
        signed["signatures"].as_array().unwrap().len(),
        2,
        "{signed}"
    );
}

async fn refusals(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let define = |stages: Value| {
        let app = &app;
        let secretariat = secretariat.clone();
        async move {
            app.gql(
                &secretariat,
                DEFINE,
                json!({ "input": { "documentKind": "CONCEPT_PAPER", "stages": stages } }),
            )
            .await
        }
    };
    let audit_before = app.audit_entries().await;
    let refused: Vec<(Value, &str)> = vec![
        (json!([]), "at least one stage"),
        (
            json!([{ "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE" }]),
            "circulation",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["swg"] },
                { "key": "swg", "kind": "CONSIDERATION", "body": "SWG" }
            ]),
            "swg",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "XYZ", "verb": "AGREE" }
            ]),
            "XYZ",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["swg"] },
                { "key": "swg", "kind": "DECISION", "body": "SWG", "verb": "AGREE" }
            ]),
            "SWG",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE" },
                { "key": "mc", "kind": "DECISION", "body": "MC", "verb": "ADOPT" }
            ]),
            "mc",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["nowhere"] }
            ]),
            "nowhere",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC" }
            ]),
            "verb",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "body": "SOC", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE" }
            ]),
            "body",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE", "next": ["signature"] },
                { "key": "signature", "kind": "SIGNATURE", "signatories": ["CICA", "KAZ"] }
            ]),
            "KAZ",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE", "next": ["signature"] },
                { "key": "signature", "kind": "SIGNATURE", "signaturesRequired": 0 }
            ]),
            "signature",
        ),
        (
            json!([
                { "key": "circulation", "kind": "CIRCULATION", "next": ["silence"] },
                { "key": "silence", "kind": "SILENCE", "body": "SWG" }
            ]),
            "takes no decisions",
        ),
    ];
    for (stages, names) in refused {
        let body = define(stages.clone()).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{stages}: {body}"
        );
        let message = str_at(&body, "/errors/0/message");
        assert!(message.contains(names), "{stages}: {message}");
    }
    let kind = app
        .gql(
            &secretariat,
            DEFINE,
            json!({ "input": { "documentKind": "not a kind", "stages": [
                { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
                { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE" }
            ] } }),
        )
        .await;
    assert_eq!(
        error_code(&kind).as_deref(),
        Some("BAD_USER_INPUT"),
        "{kind}"
    );

    // Only the Secretariat and administrators write routes.
    let good = json!({ "input": { "documentKind": "CONCEPT_PAPER", "stages": [
        { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
        { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE" }
    ] } });
    for token in [app.delegate("KAZ"), app.sg("CICA"), app.counterpart("SCO")] {
        let body = app.gql(&token, DEFINE, good.clone()).await;
        assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    }
    assert_eq!(app.audit_entries().await, audit_before, "a refusal wrote");
    let listed = app
        .gql(&secretariat, ROUTES, json!({ "kind": "CONCEPT_PAPER" }))
        .await;
    assert_eq!(listed["data"]["routes"], json!([]), "{listed}");

    // Publishing: an unknown id, then twice the same version.
    let unknown = app
        .gql(
            &secretariat,
            PUBLISH,
            json!({ "input": { "routeId": "00000000-0000-7000-8000-00000000ffff" } }),
        )
        .await;
    assert_eq!(
        error_code(&unknown).as_deref(),
        Some("NOT_FOUND"),
        "{unknown}"
    );
    let admin = app.person(accord_domain::Role::Admin, "CICA");
    let written = app.gql(&admin, DEFINE, good).await;
    assert!(written["errors"].is_null(), "{written}");
    let id = str_at(&written, "/data/defineRoute/route/id");
    assert_eq!(written["data"]["defineRoute"]["route"]["version"], 1);
    let delegate = app
        .gql(
            &app.delegate("KAZ"),
            PUBLISH,
            json!({ "input": { "routeId": id } }),
        )
        .await;
    assert_eq!(
        error_code(&delegate).as_deref(),
        Some("FORBIDDEN"),
        "{delegate}"
    );
    let first = app
        .gql(&secretariat, PUBLISH, json!({ "input": { "routeId": id } }))
        .await;
    assert!(first["errors"].is_null(), "{first}");
    let again = app
        .gql(&secretariat, PUBLISH, json!({ "input": { "routeId": id } }))
        .await;
    assert_eq!(
        error_code(&again).as_deref(),
        Some("INVALID_TRANSITION"),
        "{again}"
    );

    // Everyone reads routes; the default route is there from the start.
    let listed = app.gql(&app.delegate("KAZ"), ROUTES, json!({})).await;
    let routes = listed["data"]["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 2, "{listed}");
    let default = routes
        .iter()
        .find(|r| r["documentKind"].is_null())
        .expect("the default route");
    assert_eq!(
        keys(&default["stages"]),
        ["circulation", "swg", "soc", "signature"]
    );
    assert_eq!(default["status"], "PUBLISHED");
}
