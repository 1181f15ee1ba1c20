//! The committed end of the audit log, as this instance knows it: what
//! live updates wait on.
//!
//! Every change ends with its audit records, and write transactions are
//! serialised by the write lock, so the audit sequence numbers a prefix of
//! committed changes: when entry `n` is committed, so is every entry before
//! it, and none after it is being written. [`Commits`] holds the highest
//! sequence known to be committed, and is moved forward only **after** a
//! commit succeeded:
//!
//! - by [`crate::store::WriteTx::commit`] of this process, once the
//!   database answered the commit (a write that rolls back, or whose
//!   commit fails, moves nothing);
//! - on PostgreSQL, by `NOTIFY accord_commits, '<seq>'`, sent inside the
//!   write transaction: PostgreSQL delivers a notification only when its
//!   transaction commits, and never for one that rolls back. Each instance
//!   listens on a dedicated connection ([`Commits::follow`]), so a change
//!   committed through another instance reaches this one;
//! - by reading `audit_head` every [`POLL_EVERY`] and after the listening
//!   connection was lost and found again (notifications sent meanwhile are
//!   lost), so that nothing is waited for longer than that, whatever
//!   happened to a notification, and on SQLite a change made by another
//!   process (`accord demo` on the same file) is seen too.
//!
//! Only the sequence travels; what happened is read from the audit log
//! (`crate::live`), through each subscriber's own `Reader`.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use tokio::sync::watch;

use crate::error::Result;

/// The PostgreSQL channel on which a committed change's last audit
/// sequence is announced.
pub const CHANNEL: &str = "accord_commits";

/// How often the audit head is read, whatever was announced.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// The highest audit sequence known to be committed, shared by the store
/// and every subscriber of this instance.
#[derive(Debug, Clone)]
pub struct Commits {
    head: Arc<watch::Sender<i64>>,
}

impl Default for Commits {
    fn default() -> Self {
        Commits {
            head: Arc::new(watch::Sender::new(0)),
        }
    }
}

impl Commits {
    /// Records that every entry up to `seq` is committed. Never moves back.
    pub fn committed(&self, seq: i64) {
        self.head.send_if_modified(|head| {
            if seq > *head {
                *head = seq;
                true
            } else {
                false
            }
        });
    }

    /// A receiver that wakes when the known head moves.
    pub fn watch(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }

    /// The highest sequence known here to be committed.
    pub fn known(&self) -> i64 {
        *self.head.borrow()
    }

    /// Keeps the known head up to date with changes committed elsewhere:
    /// on PostgreSQL by listening on [`CHANNEL`] on a dedicated connection
    /// to `database_url`, on both databases by reading the audit head every
    /// [`POLL_EVERY`]. Runs until the returned guard is dropped.
    pub fn follow(&self, db: &DatabaseConnection, database_url: &str) -> Following {
        let commits = self.clone();
        let db = db.clone();
        let backend = sea_orm::ConnectionTrait::get_database_backend(&db);
        let url = (backend == DatabaseBackend::Postgres).then(|| database_url.to_owned());
        Following(tokio::spawn(async move {
            match url {
                Some(url) => listen(&commits, &db, &url).await,
                None => loop {
                    poll(&commits, &db).await;
                    tokio::time::sleep(POLL_EVERY).await;
                },
            }
        }))
    }
}

/// The task that follows commits made elsewhere; dropping it stops the task.
#[derive(Debug)]
pub struct Following(tokio::task::JoinHandle<()>);

impl Drop for Following {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The last committed sequence, as the database says.
pub async fn committed_head<C: sea_orm::ConnectionTrait>(conn: &C) -> Result<i64> {
    Ok(crate::audit::head(conn).await?.last_seq)
}

async fn poll(commits: &Commits, db: &DatabaseConnection) {
    match committed_head(db).await {
        Ok(seq) => commits.committed(seq),
        Err(error) => tracing::warn!(%error, "reading the audit head for live updates"),
    }
}

/// Listens on [`CHANNEL`], reconnecting as needed, and polls meanwhile.
async fn listen(commits: &Commits, db: &DatabaseConnection, url: &str) {
    loop {
        let mut listener = match PgListener::connect(url).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "connecting to listen for commits; polling meanwhile");
                poll(commits, db).await;
                tokio::time::sleep(POLL_EVERY).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::warn!(%error, "listening for commits; polling meanwhile");
            poll(commits, db).await;
            tokio::time::sleep(POLL_EVERY).await;
            continue;
        }
        // What was committed before the listening began.
        poll(commits, db).await;
        loop {
            match tokio::time::timeout(POLL_EVERY, listener.try_recv()).await {
                Ok(Ok(Some(notification))) => match notification.payload().parse::<i64>() {
                    Ok(seq) => commits.committed(seq),
                    Err(_) => poll(commits, db).await,
                },
                // The connection was lost and is found again: what was
                // announced meanwhile is read from the head.
                Ok(Ok(None)) => poll(commits, db).await,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "listening for commits; reconnecting");
                    break;
                }
                Err(_) => poll(commits, db).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use accord_migration::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Database};

    use super::*;
    use crate::audit::AuditRecord;
    use crate::store::{Store, StoreConfig};
    use crate::testing::{fresh_store, officer};

    fn record() -> AuditRecord {
        AuditRecord {
            action: "TEST".into(),
            entity_type: "test",
            entity_id: "x".into(),
            ..AuditRecord::default()
        }
    }

    /// Appends one record and either commits or drops (rolls back).
    async fn write(store: &Store, commit: bool) {
        let mut tx = store.begin_write().await.unwrap();
        tx.audit(&officer(), record(), crate::clock::now())
            .await
            .unwrap();
        if commit {
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn the_head_moves_after_a_commit_and_never_for_a_rollback() {
        let store = fresh_store().await;
        let mut watch = store.commits().watch();
        write(&store, false).await;
        assert_eq!(store.commits().known(), 0);
        assert!(!watch.has_changed().unwrap(), "a rollback woke a watcher");
        write(&store, true).await;
        assert_eq!(
            store.commits().known(),
            1,
            "the rolled-back entry took no sequence"
        );
        assert!(watch.has_changed().unwrap());
        assert_eq!(*watch.borrow_and_update(), 1);
        store.commits().committed(0);
        assert_eq!(store.commits().known(), 1, "the head never moves back");
    }

    #[tokio::test]
    async fn another_store_on_the_same_database_learns_of_a_commit() {
        let (a, url) = crate::testing::fresh_store_and_url().await;
        let b = Store::connect(&StoreConfig::new(url.clone()))
            .await
            .unwrap();
        let _following = b.commits().follow(b.db(), &url);
        let mut watch = b.commits().watch();
        write(&a, true).await;
        tokio::time::timeout(POLL_EVERY * 3, watch.wait_for(|head| *head >= 1))
            .await
            .expect("the other store learns of the commit by polling")
            .unwrap();
    }

    /// On PostgreSQL: a commit is announced on the channel with its
    /// sequence, a rollback never; another instance learns of the commit
    /// without waiting for the poll.
    #[tokio::test]
    async fn postgres_announces_commits_and_never_rollbacks() {
        let Ok(admin_url) = std::env::var("ACCORD_TEST_POSTGRES_URL") else {
            println!("skipped: ACCORD_TEST_POSTGRES_URL not set");
            return;
        };
        let name = format!("accord_c_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(admin_url.as_str()).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let (head, query) = match admin_url.split_once('?') {
            Some((head, query)) => (head.to_owned(), format!("?{query}")),
            None => (admin_url.clone(), String::new()),
        };
        let server = head.rsplit_once('/').map_or(head.as_str(), |(s, _)| s);
        let url = format!("{server}/{name}{query}");
        let outcome = tokio::spawn({
            let url = url.clone();
            async move {
                let a = Store::connect(&StoreConfig::new(url.clone()))
                    .await
                    .unwrap();
                Migrator::up(a.db(), None).await.unwrap();
                let b = Store::connect(&StoreConfig::new(url.clone()))
                    .await
                    .unwrap();
                let mut listener = PgListener::connect(&url).await.unwrap();
                listener.listen(CHANNEL).await.unwrap();
                let _following = b.commits().follow(b.db(), &url);
                // Let the follower connect and take the first poll.
                tokio::time::sleep(Duration::from_millis(500)).await;
                let mut watch = b.commits().watch();
                write(&a, false).await;
                write(&a, true).await;
                let first = tokio::time::timeout(Duration::from_secs(5), listener.recv())
                    .await
                    .expect("a commit is announced")
                    .unwrap();
                assert_eq!(
                    first.payload(),
                    "1",
                    "the rollback was announced, or not the commit"
                );
                tokio::time::timeout(POLL_EVERY / 2, watch.wait_for(|head| *head >= 1))
                    .await
                    .expect("the other instance learns of the commit before any poll")
                    .unwrap();
                let nothing =
                    tokio::time::timeout(Duration::from_millis(500), listener.recv()).await;
                assert!(nothing.is_err(), "one commit, one announcement");
            }
        })
        .await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    }
}
