//! Acting signatories over HTTP on both databases: a Secretary General
//! delegates signing for a period; the delegate signs, and the API, the
//! audit log and the signature copy show both names; outside the period,
//! once revoked, or for another organisation, nobody signs by delegation;
//! bad delegations are refused with their reason.

use accord_domain::DraftState;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, Token, error_code, spawn_app, str_at};
use crate::on_both_backends;

on_both_backends!(
    acting_signature =>
        an_acting_secretary_general_signs_and_both_names_show_sqlite,
        an_acting_secretary_general_signs_and_both_names_show_postgres
);
on_both_backends!(
    out_of_period =>
        nobody_signs_by_delegation_outside_its_period_or_once_revoked_sqlite,
        nobody_signs_by_delegation_outside_its_period_or_once_revoked_postgres
);

const DELEGATE: &str = "mutation Delegate($input: DelegateSigningInput!) {
    delegateSigning(input: $input) { delegation { id organization delegatorName delegateSub
        delegateName actingTitle(lang: EN) actingTitles { lang text } startsAt endsAt inForce } } }";
const REVOKE: &str = "mutation Revoke($input: RevokeSigningDelegationInput!) {
    revokeSigningDelegation(input: $input) { delegation { id revokedAt revokedBy inForce } } }";
const SIGNATURES: &str = "query Signatures($id: ID!) { draft(id: $id) { state viewerActions
    signatures { organization { code } signer { name } actingFor actingTitle(lang: RU)
        signedAs(lang: EN) }
    signatureCopy(lang: EN, format: TEXT) } }";
const DELEGATIONS: &str =
    "{ signingDelegations { id organization delegateName inForce revokedAt } }";

/// The CICA Deputy Secretary General, who acts for the Secretary General.
fn deputy(app: &TestApp) -> Token {
    app.token("cica-deputy", "Askar Zhumabayev", "CICA", &["secretariat"])
}

async fn delegate(app: &TestApp, sg: &Token, input: Value) -> Value {
    app.gql(sg, DELEGATE, json!({ "input": input })).await
}

fn period(from_minutes: i64, to_minutes: i64) -> (String, String) {
    let now = Utc::now();
    (
        (now + Duration::minutes(from_minutes)).to_rfc3339(),
        (now + Duration::minutes(to_minutes)).to_rfc3339(),
    )
}

async fn sign(app: &TestApp, token: &Token, id: &str, hash: &str) -> Value {
    app.op(
        token,
        "SignDraft",
        json!({ "input": { "draftId": id, "contentHash": hash } }),
    )
    .await
}

async fn acting_signature(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, hash) = app.draft_in_state(DraftState::SocAgreed).await;
    let sg = app.sg("CICA");
    let deputy = deputy(&app);
    // Before any delegation the deputy does not sign.
    let refused = sign(&app, &deputy, &id, &hash).await;
    assert_eq!(
        error_code(&refused).as_deref(),
        Some("FORBIDDEN"),
        "{refused}"
    );

    let (starts, ends) = period(-1, 60);
    let body = delegate(
        &app,
        &sg,
        json!({ "delegateSub": "cica-deputy", "delegateName": "Askar Zhumabayev",
            "startsAt": starts, "endsAt": ends }),
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");
    let delegation = &body["data"]["delegateSigning"]["delegation"];
    assert_eq!(delegation["organization"], "CICA");
    assert_eq!(delegation["delegatorName"], "Secretary General of CICA");
    assert_eq!(delegation["actingTitle"], "Acting Secretary General");
    assert_eq!(delegation["inForce"], true);
    assert_eq!(
        delegation["actingTitles"].as_array().unwrap().len(),
        3,
        "English, Russian and Kazakh by default"
    );
    let delegation_id = str_at(delegation, "/id");

    // The deputy is offered the signature and signs.
    let seen = app.gql(&deputy, SIGNATURES, json!({ "id": id })).await;
    assert!(
        seen["data"]["draft"]["viewerActions"]
            .as_array()
            .unwrap()
            .contains(&json!("SIGN")),
        "{seen}"
    );
    let signed = sign(&app, &deputy, &id, &hash).await;
    assert!(signed["errors"].is_null(), "{signed}");
    let seen = app.gql(&deputy, SIGNATURES, json!({ "id": id })).await;
    let draft = &seen["data"]["draft"];
    let signature = &draft["signatures"][0];
    assert_eq!(signature["organization"]["code"], "CICA");
    assert_eq!(signature["signer"]["name"], "Askar Zhumabayev");
    assert_eq!(signature["actingFor"], "Secretary General of CICA");
    assert_eq!(
        signature["actingTitle"],
        "Исполняющий обязанности Генерального секретаря"
    );
    assert_eq!(
        signature["signedAs"],
        "for the Secretary General Secretary General of CICA, Askar Zhumabayev, Acting Secretary General"
    );
    let copy = str_at(draft, "/signatureCopy");
    assert!(
        copy.contains("Askar Zhumabayev")
            && copy.contains(
                "For the Secretary General, Secretary General of CICA\nActing Secretary General"
            ),
        "{copy}"
    );
    // Once signed for CICA, nobody signs for it again.
    let again = sign(&app, &sg, &id, &hash).await;
    assert_eq!(
        error_code(&again).as_deref(),
        Some("INVALID_TRANSITION"),
        "{again}"
    );

    // The audit log names the delegation on the signature.
    use accord_workflow::entity::audit_log;
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::DraftId.eq(id.as_str()))
        .filter(audit_log::Column::Action.eq("SIGN"))
        .order_by_asc(audit_log::Column::Seq)
        .all(&app.db().await)
        .await
        .unwrap();
    let entry = entries.last().unwrap();
    assert_eq!(entry.actor_name, "Askar Zhumabayev");
    let after: Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["delegation"]["id"], delegation_id.as_str());
    assert_eq!(
        after["delegation"]["actingFor"],
        "Secretary General of CICA"
    );
    let delegated = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("DELEGATE_SIGNING"))
        .all(&app.db().await)
        .await
        .unwrap();
    assert_eq!(delegated.len(), 1);
    assert_eq!(delegated[0].entity_id, delegation_id);

    // The SCO completes the draft with its own Secretary General.
    let done = sign(&app, &app.sg("SCO"), &id, &hash).await;
    assert_eq!(
        done["data"]["signDraft"]["draft"]["state"], "SIGNED",
        "{done}"
    );

    // Bad delegations are refused and change nothing.
    let entries_before = app.audit_entries().await;
    let (starts, ends) = period(30, 90);
    let cases = [
        (
            &sg,
            json!({ "delegateSub": "cica-other", "delegateName": "Someone Else",
                "startsAt": starts, "endsAt": ends }),
            "CONFLICT",
            "already delegated to Askar Zhumabayev",
        ),
        (
            &sg,
            json!({ "delegateSub": "cica-deputy", "delegateName": "Askar Zhumabayev",
                "startsAt": ends, "endsAt": starts }),
            "BAD_USER_INPUT",
            "is not after startsAt",
        ),
        (
            &sg,
            json!({ "delegateSub": "sg-cica", "delegateName": "Myself",
                "startsAt": period(120, 180).0, "endsAt": period(120, 180).1 }),
            "BAD_USER_INPUT",
            "to themselves",
        ),
        (
            &sg,
            json!({ "delegateSub": "cica-deputy", "delegateName": "   ",
                "startsAt": period(120, 180).0, "endsAt": period(120, 180).1 }),
            "BAD_USER_INPUT",
            "delegateName",
        ),
        (
            &deputy,
            json!({ "delegateSub": "cica-other", "delegateName": "Someone Else",
                "startsAt": period(120, 180).0, "endsAt": period(120, 180).1 }),
            "FORBIDDEN",
            "only a Secretary General",
        ),
    ];
    for (token, input, code, says) in cases {
        let body = delegate(&app, token, input.clone()).await;
        assert_eq!(error_code(&body).as_deref(), Some(code), "{input}: {body}");
        assert!(
            str_at(&body, "/errors/0/message").contains(says),
            "{input}: {body}"
        );
    }
    let delegate_kaz = delegate(
        &app,
        &app.delegate("KAZ"),
        json!({ "delegateSub": "x", "delegateName": "X",
            "startsAt": period(120, 180).0, "endsAt": period(120, 180).1 }),
    )
    .await;
    assert_eq!(error_code(&delegate_kaz).as_deref(), Some("FORBIDDEN"));
    // Another organisation's Secretary General cannot revoke it.
    let foreign = app
        .gql(
            &app.sg("SCO"),
            REVOKE,
            json!({ "input": { "delegationId": delegation_id } }),
        )
        .await;
    assert_eq!(
        error_code(&foreign).as_deref(),
        Some("NOT_FOUND"),
        "{foreign}"
    );
    assert_eq!(app.audit_entries().await, entries_before);
    // Nor read it.
    let theirs = app.gql(&app.sg("SCO"), DELEGATIONS, json!({})).await;
    assert_eq!(theirs["data"]["signingDelegations"], json!([]), "{theirs}");
    let ours = app.gql(&deputy, DELEGATIONS, json!({})).await;
    assert_eq!(
        ours["data"]["signingDelegations"][0]["id"],
        delegation_id.as_str()
    );
}

async fn out_of_period(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (id, hash) = app.draft_in_state(DraftState::SocAgreed).await;
    let sg = app.sg("CICA");
    let deputy = deputy(&app);

    // A delegation that starts in an hour gives nothing now.
    let (starts, ends) = period(60, 120);
    let later = delegate(
        &app,
        &sg,
        json!({ "delegateSub": "cica-deputy", "delegateName": "Askar Zhumabayev",
            "actingTitle": [{ "lang": "EN", "text": "Officer-in-Charge" }],
            "startsAt": starts, "endsAt": ends }),
    )
    .await;
    assert!(later["errors"].is_null(), "{later}");
    assert_eq!(
        later["data"]["delegateSigning"]["delegation"]["inForce"],
        false
    );
    let seen = app.gql(&deputy, SIGNATURES, json!({ "id": id })).await;
    assert!(
        !seen["data"]["draft"]["viewerActions"]
            .as_array()
            .unwrap()
            .contains(&json!("SIGN")),
        "{seen}"
    );
    let early = sign(&app, &deputy, &id, &hash).await;
    assert_eq!(error_code(&early).as_deref(), Some("FORBIDDEN"), "{early}");

    // Revoked, the future delegation leaves room for one in force now;
    // revoked in turn, it gives nothing either.
    let later_id = str_at(&later, "/data/delegateSigning/delegation/id");
    let revoked = app
        .gql(
            &sg,
            REVOKE,
            json!({ "input": { "delegationId": later_id } }),
        )
        .await;
    assert!(revoked["errors"].is_null(), "{revoked}");
    assert_eq!(
        revoked["data"]["revokeSigningDelegation"]["delegation"]["revokedBy"],
        "Secretary General of CICA"
    );
    let (starts, ends) = period(-1, 60);
    let now = delegate(
        &app,
        &sg,
        json!({ "delegateSub": "cica-deputy", "delegateName": "Askar Zhumabayev",
            "startsAt": starts, "endsAt": ends }),
    )
    .await;
    assert!(now["errors"].is_null(), "{now}");
    let now_id = str_at(&now, "/data/delegateSigning/delegation/id");
    app.gql(&sg, REVOKE, json!({ "input": { "delegationId": now_id } }))
        .await;
    let after = sign(&app, &deputy, &id, &hash).await;
    assert_eq!(error_code(&after).as_deref(), Some("FORBIDDEN"), "{after}");
    let twice = app
        .gql(&sg, REVOKE, json!({ "input": { "delegationId": now_id } }))
        .await;
    assert_eq!(
        error_code(&twice).as_deref(),
        Some("INVALID_TRANSITION"),
        "{twice}"
    );
    // The Secretary General still signs themselves.
    let signed = sign(&app, &sg, &id, &hash).await;
    assert!(signed["errors"].is_null(), "{signed}");
    let seen = app.gql(&sg, SIGNATURES, json!({ "id": id })).await;
    let signature = &seen["data"]["draft"]["signatures"][0];
    assert!(signature["actingFor"].is_null());
    assert_eq!(signature["signedAs"], "Secretary General of CICA");
}
