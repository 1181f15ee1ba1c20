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

use std::time::{Duration, Instant};

use crate::attacks::spawn_custom;
use crate::helpers::{Backend, SECRET, all_at_once, error_code, fresh_database, spawn_app};
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
            async move {
                server::connect(&settings)
                    .await
                    .map_err(|e| format!("{e:#}"))
            }
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
    assert!(
        statuses.iter().all(|s| matches!(s, Ok(200))),
        "{statuses:?}"
    );
    assert!(runs > 0);
    assert!(matches!(verify(&db).await.unwrap(), Verdict::Intact { .. }));
    db.close().await.ok();
}

/// A connection of another process holding the write lock, as a frozen
/// instance in the middle of a write would; `ROLLBACK` on it frees it.
async fn hold_the_write_lock(backend: Backend, db_url: &str) -> sea_orm::DatabaseConnection {
    let holder = Database::connect(db_url).await.unwrap();
    let lock = match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN; SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE",
    };
    holder.execute_unprepared(lock).await.unwrap();
    holder
}

on_both_backends!(
    stuck_writer =>
        a_held_write_lock_is_a_bounded_wait_and_reads_go_on_sqlite,
        a_held_write_lock_is_a_bounded_wait_and_reads_go_on_postgres
);

/// Another process holds the write lock (a frozen instance in the middle
/// of a write): a write here waits at most the lock timeout and answers
/// `UNAVAILABLE` with `Retry-After`, writing nothing; reads and the
/// readiness check are not queued behind it.
async fn stuck_writer(backend: Backend) {
    let Some(server) = spawn_custom(backend, None, |settings| {
        settings.db_lock_timeout_ms = 300;
    })
    .await
    else {
        return;
    };
    let app = &server.app;
    let (draft, _) = app.draft_in_state(DraftState::Circulated).await;
    let before = app.audit_entries().await;

    let holder = hold_the_write_lock(backend, &app.db_url).await;

    let comment = json!({
        "query": "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }",
        "variables": { "i": { "draftId": draft, "version": 1, "body": "Blocked?" } },
    });
    let started = Instant::now();
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .bearer_auth(app.delegate("KAZ"))
        .json(&comment)
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error_code(&body).as_deref(), Some("UNAVAILABLE"), "{body}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");

    // Reads and readiness answer while the lock is held.
    let started = Instant::now();
    let body = app
        .gql(
            &app.delegate("KAZ"),
            "{ drafts(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let ready = server
        .client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    holder.execute_unprepared("ROLLBACK").await.unwrap();
    holder.close().await.ok();
    assert_eq!(app.audit_entries().await, before, "the refused write wrote");
    // Once the lock is free, the same write goes through.
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .bearer_auth(app.delegate("KAZ"))
        .json(&comment)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["errors"].is_null(), "{body}");
}

on_both_backends!(
    many_stuck_writers =>
        writers_waiting_for_the_lock_leave_connections_for_reads_sqlite,
        writers_waiting_for_the_lock_leave_connections_for_reads_postgres
);

/// With the write lock held elsewhere and more writers waiting than the
/// pool has connections, reads and the readiness check still answer at
/// once, and every writer gets `UNAVAILABLE` within its bound.
async fn many_stuck_writers(backend: Backend) {
    let Some(server) = spawn_custom(backend, None, |settings| {
        settings.db_lock_timeout_ms = 1_500;
        settings.db_max_connections = 4;
    })
    .await
    else {
        return;
    };
    let app = &server.app;
    let (draft, _) = app.draft_in_state(DraftState::Circulated).await;
    let before = app.audit_entries().await;
    let holder = hold_the_write_lock(backend, &app.db_url).await;

    let writers: Vec<_> = (0..12)
        .map(|n| {
            let client = server.client.clone();
            let url = format!("{}/graphql", server.base);
            let token = app.delegate("KAZ");
            let body = json!({
                "query": "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }",
                "variables": { "i": { "draftId": draft, "version": 1, "body": format!("Waiting {n}.") } },
            });
            async move {
                let response = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
                let body: serde_json::Value = response.json().await.unwrap();
                error_code(&body)
            }
        })
        .collect();
    let writers = tokio::spawn(all_at_once(writers));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    for _ in 0..3 {
        let body = app
            .gql(
                &app.delegate("KAZ"),
                "{ drafts(first: 5) { totalCount } }",
                json!({}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let ready = server
            .client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(ready.status().as_u16(), 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "reads waited behind writers: {:?}",
        started.elapsed()
    );
    let codes = writers.await.unwrap();
    assert!(
        codes.iter().all(|c| c.as_deref() == Some("UNAVAILABLE")),
        "{codes:?}"
    );
    holder.execute_unprepared("ROLLBACK").await.unwrap();
    holder.close().await.ok();
    assert_eq!(app.audit_entries().await, before);
}
