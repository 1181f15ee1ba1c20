//! The audit log after a real lifecycle: intact, and an edit, a gap or a
//! truncation is found at its exact entry.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use accord_workflow::audit::{Verdict, verify};
use accord_workflow::entity::audit_log;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::lifecycle::run_full_path;
use crate::on_both_backends;

on_both_backends!(
    audit_chain =>
        the_audit_log_finds_an_edit_a_gap_and_a_truncation_sqlite,
        the_audit_log_finds_an_edit_a_gap_and_a_truncation_postgres
);

async fn verdict(db: &DatabaseConnection) -> Verdict {
    verify(db).await.expect("the audit log can be read")
}

fn broken_at(verdict: &Verdict) -> Option<i64> {
    match verdict {
        Verdict::Broken { seq, .. } => Some(*seq),
        Verdict::Intact { .. } => None,
    }
}

async fn entry(db: &DatabaseConnection, seq: i64) -> audit_log::Model {
    audit_log::Entity::find_by_id(seq)
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("audit entry {seq}"))
}

async fn audit_chain(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    run_full_path(&app).await;
    let db = app.db().await;
    let entries = audit_log::Entity::find().count(&db).await.unwrap() as i64;
    // 13 changes to the signed draft, 4 to the agreed one.
    assert_eq!(entries, 17, "the lifecycle's audit entries");
    assert_eq!(verdict(&db).await, Verdict::Intact { entries });
    check_with_the_binary(&app, Some(0));

    // An edit of one entry's content.
    let third = entry(&db, 3).await;
    db.execute_unprepared(r#"UPDATE audit_log SET "after" = '{}' WHERE seq = 3"#)
        .await
        .unwrap();
    let found = verdict(&db).await;
    assert_eq!(broken_at(&found), Some(3), "{found:?}");
    check_with_the_binary(&app, Some(1));
    audit_log::Entity::update_many()
        .col_expr(audit_log::Column::After, Expr::value(third.after.clone()))
        .filter(audit_log::Column::Seq.eq(3))
        .exec(&db)
        .await
        .unwrap();
    assert_eq!(verdict(&db).await, Verdict::Intact { entries }, "restored");

    // An edit that recomputes the entry's own hash still breaks the next link.
    let fifth = entry(&db, 5).await;
    let mut forged = fifth.clone();
    forged.actor_name = "Someone Else".into();
    forged.hash = accord_workflow::audit::entry_hash(&forged);
    audit_log::Entity::update_many()
        .col_expr(
            audit_log::Column::ActorName,
            Expr::value(forged.actor_name.clone()),
        )
        .col_expr(audit_log::Column::Hash, Expr::value(forged.hash.clone()))
        .filter(audit_log::Column::Seq.eq(5))
        .exec(&db)
        .await
        .unwrap();
    let found = verdict(&db).await;
    assert_eq!(broken_at(&found), Some(6), "{found:?}");
    audit_log::Entity::update_many()
        .col_expr(
            audit_log::Column::ActorName,
            Expr::value(fifth.actor_name.clone()),
        )
        .col_expr(audit_log::Column::Hash, Expr::value(fifth.hash.clone()))
        .filter(audit_log::Column::Seq.eq(5))
        .exec(&db)
        .await
        .unwrap();
    assert_eq!(verdict(&db).await, Verdict::Intact { entries }, "restored");

    // A gap in the middle.
    let middle = entries / 2;
    let removed = entry(&db, middle).await;
    audit_log::Entity::delete_by_id(middle)
        .exec(&db)
        .await
        .unwrap();
    let found = verdict(&db).await;
    assert_eq!(broken_at(&found), Some(middle), "{found:?}");
    audit_log::Entity::insert(audit_log::ActiveModel::from(removed))
        .exec_without_returning(&db)
        .await
        .unwrap();
    assert_eq!(verdict(&db).await, Verdict::Intact { entries }, "restored");

    // The end cut off.
    audit_log::Entity::delete_by_id(entries)
        .exec(&db)
        .await
        .unwrap();
    let found = verdict(&db).await;
    assert_eq!(broken_at(&found), Some(entries), "{found:?}");
    db.close().await.ok();
}

/// Runs `accord audit verify` on the app's database when a binary built
/// from the current sources is at hand (an integration test of another
/// crate cannot ask Cargo to build it), and checks its exit code.
fn check_with_the_binary(app: &TestApp, want: Option<i32>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary = target.join("debug").join("accord");
    let Ok(built) = std::fs::metadata(&binary).and_then(|m| m.modified()) else {
        println!("skipped the binary: {} does not exist", binary.display());
        return;
    };
    let newest_source = ["api/src", "workflow/src", "domain/src", "migration/src"]
        .iter()
        .filter_map(|dir| newest(&root.join(dir)))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    if built < newest_source {
        println!(
            "skipped the binary: {} is older than the sources",
            binary.display()
        );
        return;
    }
    let output = std::process::Command::new(&binary)
        .args(["audit", "verify", "--database-url", &app.db_url])
        .env("ACCORD_JWT_SECRET", crate::helpers::SECRET)
        .output()
        .expect("run accord audit verify");
    assert_eq!(
        output.status.code(),
        want,
        "accord audit verify: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn newest(dir: &Path) -> Option<SystemTime> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                newest(&path)
            } else {
                entry.metadata().and_then(|m| m.modified()).ok()
            }
        })
        .max()
}
