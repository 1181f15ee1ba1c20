//! Several instances on one database: they start together on an empty one,
//! and the audit check never reports tampering that did not happen while
//! they write.

use accord_api::config::Settings;
use accord_api::server;
use accord_domain::DraftState;
use accord_migration::{Migrator, MigratorTrait};
use accord_workflow::audit::{Verdict, verify};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::helpers::{Backend, SECRET, all_at_once, fresh_database, spawn_app};
use crate::on_both_backends;

on_both_backends!(
    started_together =>
        instances_started_together_on_an_empty_database_all_come_up_sqlite,
        instances_started_together_on_an_empty_database_all_come_up_postgres
);
on_both_backends!(
    verified_under_load =>
        verification_while_instances_write_never_cries_wolf_sqlite,
        verification_while_instances_write_never_cries_wolf_postgres
);

/// Instances started at once on an empty database.
const INSTANCES: usize = 4;

async fn started_together(backend: Backend) {
    let Some(fresh) = fresh_database(backend).await else {
        return;
    };
    let starts = (0..INSTANCES)
        .map(|_| {
            let settings = Settings::for_tests(fresh.url.clone(), SECRET);
            async move { server::connect(&settings).await.map_err(|e| format!("{e:#}")) }
        })
        .collect();
    let stores = all_at_once(starts).await;
    for (n, store) in stores.iter().enumerate() {
        assert!(store.is_ok(), "instance {n}: {:?}", store.as_ref().err());
    }
    // Every migration applied exactly once, and a usable, intact database.
    let db = Database::connect(fresh.url.as_str()).await.unwrap();
    let applied = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(applied, Migrator::migrations().len() as i64);
    assert_eq!(verify(&db).await.unwrap(), Verdict::Intact { entries: 0 });
    db.close().await.ok();
    for store in stores.into_iter().flatten() {
        store.db().clone().close().await.ok();
    }
}

async fn verified_under_load(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let other = app.another_instance().await;
    let (draft, _) = app.draft_in_state(DraftState::Circulated).await;
    let writes: Vec<_> = (0..40)
        .map(|n| {
            let (instance, token) = if n % 2 == 0 {
                (app.base.clone(), app.delegate("KAZ"))
            } else {
                (other.base.clone(), other.delegate("RUS"))
            };
            let draft = draft.clone();
            async move {
                let body = json!({
                    "query": "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }",
                    "variables": { "i": { "draftId": draft, "version": 1, "body": format!("Remark {n}.") } },
                });
                reqwest::Client::new()
                    .post(format!("{instance}/graphql"))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            }
        })
        .collect();
    let writer = tokio::spawn(all_at_once(writes));
    let db = app.db().await;
    let mut runs = 0;
    while !writer.is_finished() {
        let verdict = verify(&db).await.unwrap();
        assert!(matches!(verdict, Verdict::Intact { .. }), "{verdict:?}");
        runs += 1;
    }
    let statuses = writer.await.unwrap();
    assert!(statuses.iter().all(|s| matches!(s, Ok(200))), "{statuses:?}");
    assert!(runs > 0);
    assert!(matches!(verify(&db).await.unwrap(), Verdict::Intact { .. }));
    db.close().await.ok();
}
