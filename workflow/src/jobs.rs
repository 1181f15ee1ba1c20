//! Background jobs, run by one instance at a time under a lease.
//!
//! Several Accord instances may share one database; a due job must run
//! once, not once per instance. Each job has a row in `job_leases`: the
//! instance holding it (`holder`), until when (`lease_until`), when the job
//! last started (`last_run_at`) and how it ended (`last_outcome`); instants
//! are milliseconds since the Unix epoch.
//!
//! Taking a lease is one conditional `UPDATE … WHERE name = ? AND
//! (lease_until < now OR holder = me) [AND the job is due]`, after an
//! `INSERT … ON CONFLICT DO NOTHING` that creates the row on first use. The
//! database runs a single `UPDATE` atomically (SQLite has one writer;
//! PostgreSQL row-locks the row and re-checks the condition after waiting),
//! so of several instances asking at once exactly one sees one row changed.
//! The holder runs the job, then records its start and outcome and frees
//! the lease in one `UPDATE … WHERE holder = me`; an instance asking after
//! that finds the job no longer due. A job that outlives its lease may be
//! started by another instance: the lease (default ten minutes) must be
//! longer than any run, and the instances' clocks must roughly agree.
//!
//! [`Scheduler`] runs registered jobs on an interval, logs a failing or
//! panicking job and goes on, and stops between runs when asked.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use accord_domain::{OrgCode, OrgKind, Role};

use crate::actor::Actor;
use crate::audit::{self, Verdict};
use crate::entity::job_lease;
use crate::error::{Result, WorkflowError};
use crate::store::Store;

/// The default lease: longer than any job is expected to run.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(600);

/// The name of the job that verifies the audit chain.
pub const VERIFY_AUDIT_CHAIN: &str = "verify-audit-chain";

/// A job's row, as last recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStatus {
    /// The job.
    pub name: String,
    /// The instance holding the lease, if any.
    pub holder: Option<String>,
    /// The lease's end (0 when free), in milliseconds since the epoch.
    pub lease_until: i64,
    /// When the job last started, in milliseconds since the epoch.
    pub last_run_at: Option<i64>,
    /// How its last run ended.
    pub last_outcome: Option<String>,
}

/// Takes the lease on job `name` for `holder` until `now + ttl` if it is
/// free, expired, or already `holder`'s. Exactly one of several instances
/// asking at once gets it.
pub async fn try_acquire(
    store: &Store,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<bool> {
    acquire(store, name, holder, ttl, now, None).await
}

/// Like [`try_acquire`], and only when the job is due: it never ran, or
/// last started at least `every` before `now`.
pub async fn try_acquire_due(
    store: &Store,
    name: &str,
    holder: &str,
    ttl: Duration,
    every: Duration,
    now: DateTime<Utc>,
) -> Result<bool> {
    acquire(store, name, holder, ttl, now, Some(every)).await
}

async fn acquire(
    store: &Store,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
    due_every: Option<Duration>,
) -> Result<bool> {
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(None),
        lease_until: Set(0),
        last_run_at: Set(None),
        last_outcome: Set(None),
    })
    .on_conflict_do_nothing_on([job_lease::Column::Name])
    .exec_without_returning(store.db())
    .await?;
    let now_ms = now.timestamp_millis();
    let mut update = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder.to_owned()))
        .col_expr(
            job_lease::Column::LeaseUntil,
            Expr::value(now_ms.saturating_add(millis(ttl))),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::LeaseUntil.lt(now_ms))
                .add(job_lease::Column::Holder.eq(holder)),
        );
    if let Some(every) = due_every {
        update = update.filter(
            Condition::any()
                .add(job_lease::Column::LastRunAt.is_null())
                .add(job_lease::Column::LastRunAt.lte(now_ms.saturating_sub(millis(every)))),
        );
    }
    Ok(update.exec(store.db()).await?.rows_affected == 1)
}

/// Records that `holder` ran job `name` starting at `started`, with
/// `outcome`, and frees the lease. `false` when `holder` no longer held it
/// (the lease ran out and another instance took it): nothing is recorded.
pub async fn finish(
    store: &Store,
    name: &str,
    holder: &str,
    started: DateTime<Utc>,
    outcome: &str,
) -> Result<bool> {
    let result = job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Holder,
            Expr::value(Option::<String>::None),
        )
        .col_expr(job_lease::Column::LeaseUntil, Expr::value(0_i64))
        .col_expr(
            job_lease::Column::LastRunAt,
            Expr::value(Some(started.timestamp_millis())),
        )
        .col_expr(
            job_lease::Column::LastOutcome,
            Expr::value(Some(outcome.to_owned())),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(store.db())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Frees `holder`'s lease on job `name` without recording a run.
pub async fn release(store: &Store, name: &str, holder: &str) -> Result<()> {
    job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Holder,
            Expr::value(Option::<String>::None),
        )
        .col_expr(job_lease::Column::LeaseUntil, Expr::value(0_i64))
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(store.db())
        .await?;
    Ok(())
}

/// Job `name`'s row, if it ever ran or was asked for.
pub async fn status(store: &Store, name: &str) -> Result<Option<JobStatus>> {
    Ok(job_lease::Entity::find_by_id(name.to_owned())
        .one(store.db())
        .await?
        .map(|row| JobStatus {
            name: row.name,
            holder: row.holder,
            lease_until: row.lease_until,
            last_run_at: row.last_run_at,
            last_outcome: row.last_outcome,
        }))
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// What a job's run returns: a short summary, or why it failed.
pub type JobFuture = Pin<Box<dyn Future<Output = Result<String>> + Send>>;

type JobFn = Arc<dyn Fn(Store, DateTime<Utc>) -> JobFuture + Send + Sync>;

struct Registered {
    name: String,
    every: Duration,
    run: JobFn,
}

/// Runs registered jobs on an interval, each only while holding its lease.
pub struct Scheduler {
    store: Store,
    instance: String,
    lease: Duration,
    jobs: Vec<Registered>,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("instance", &self.instance)
            .field(
                "jobs",
                &self
                    .jobs
                    .iter()
                    .map(|j| j.name.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Scheduler {
    /// A scheduler without jobs for the instance named `instance` (unique
    /// among the instances sharing the database), with [`DEFAULT_LEASE`].
    pub fn new(store: Store, instance: impl Into<String>) -> Scheduler {
        Scheduler {
            store,
            instance: instance.into(),
            lease: DEFAULT_LEASE,
            jobs: Vec::new(),
        }
    }

    /// The same scheduler with leases of `lease`.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Scheduler {
        self.lease = lease;
        self
    }

    /// Adds a job named `name` (unique; the lease row's key) to run every
    /// `every`, given the store and the tick's instant. Its error is logged
    /// and recorded as its outcome.
    pub fn register<F, Fut>(&mut self, name: impl Into<String>, every: Duration, job: F)
    where
        F: Fn(Store, DateTime<Utc>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String>> + Send + 'static,
    {
        self.jobs.push(Registered {
            name: name.into(),
            every,
            run: Arc::new(move |store, now| Box::pin(job(store, now))),
        });
    }

    /// Runs, one after the other, every job that is due at `now` and
    /// whose lease this instance gets; returns the names of those run
    /// (whatever their outcome). A job's failure or panic is logged and
    /// recorded; it does not stop the others.
    pub async fn tick_at(&self, now: DateTime<Utc>) -> Vec<String> {
        let mut ran = Vec::new();
        for job in &self.jobs {
            let acquired = try_acquire_due(
                &self.store,
                &job.name,
                &self.instance,
                self.lease,
                job.every,
                now,
            )
            .await;
            match acquired {
                Ok(true) => {}
                Ok(false) => continue,
                Err(error) => {
                    tracing::error!(job = %job.name, %error, "could not take the job's lease");
                    continue;
                }
            }
            // Run as a task of its own, so that a panic is caught here.
            let outcome = match tokio::spawn((job.run)(self.store.clone(), now)).await {
                Ok(Ok(summary)) => {
                    tracing::info!(job = %job.name, %summary, "job done");
                    format!("ok: {summary}")
                }
                Ok(Err(error)) => {
                    tracing::error!(job = %job.name, %error, "job failed");
                    format!("error: {error}")
                }
                Err(error) => {
                    tracing::error!(job = %job.name, %error, "job panicked");
                    "panicked".to_owned()
                }
            };
            match finish(&self.store, &job.name, &self.instance, now, &outcome).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job = %job.name, "the job outlived its lease; its run was not recorded");
                }
                Err(error) => {
                    tracing::error!(job = %job.name, %error, "could not record the job's run");
                }
            }
            ran.push(job.name.clone());
        }
        ran
    }

    /// How often the loop looks for due jobs: a quarter of the shortest
    /// interval, between 1 and 60 seconds, so that a job runs at most a
    /// quarter of its interval late.
    fn poll(&self) -> Duration {
        self.jobs
            .iter()
            .map(|job| job.every / 4)
            .min()
            .unwrap_or(Duration::from_secs(60))
            .clamp(Duration::from_secs(1), Duration::from_secs(60))
    }

    /// Runs the jobs in the background until [`SchedulerHandle::stop`].
    pub fn spawn(self) -> SchedulerHandle {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let mut interval = tokio::time::interval(self.poll());
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = interval.tick() => {}
                    _ = stopped.changed() => break,
                }
                if *stopped.borrow() {
                    break;
                }
                self.tick_at(crate::clock::now()).await;
            }
            tracing::info!(instance = %self.instance, "scheduler stopped");
        });
        SchedulerHandle { stop, task }
    }
}

/// A running [`Scheduler`].
#[derive(Debug)]
pub struct SchedulerHandle {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl SchedulerHandle {
    /// Stops the loop at once, cutting short a job being run (whose
    /// transaction then rolls back); for tests that drop a server.
    pub fn abort(&self) {
        self.task.abort();
    }

    /// Stops the loop, waiting for a job being run to finish.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the scheduler ended abnormally");
        }
    }
}

/// The Secretariat's scheduler as an actor: an officer of the home
/// secretariat, `sub` as the audit log names it, with the display `name`.
pub async fn system_actor(store: &Store, sub: &str, name: &str) -> Result<Actor> {
    let orgs = store.organizations().await?;
    let home = orgs
        .iter()
        .find(|o| o.kind == OrgKind::Secretariat.as_str())
        .ok_or_else(|| WorkflowError::Corrupt("no secretariat is registered".into()))?;
    Actor::new(
        sub,
        name,
        OrgCode::parse(&home.code)?,
        OrgKind::Secretariat,
        [Role::Secretariat],
    )
}

/// The job that walks the audit chain ([`audit::verify`]); a broken chain
/// is logged as an error and recorded as the job's failure.
pub async fn verify_audit_chain(store: Store, _now: DateTime<Utc>) -> Result<String> {
    match audit::verify(store.db()).await? {
        Verdict::Intact { entries } => Ok(format!("audit log intact: {entries} entries")),
        Verdict::Broken { seq, reason } => {
            tracing::error!(seq, %reason, "the audit log is broken");
            Err(WorkflowError::Corrupt(format!(
                "audit log broken at entry {seq}: {reason}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use accord_migration::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;

    use super::*;
    use crate::store::StoreConfig;
    use crate::testing::{POSTGRES_ENV, drop_postgres, postgres_url};

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + seconds, 0).unwrap()
    }

    fn sqlite_url() -> String {
        let path =
            std::env::temp_dir().join(format!("accord-jobs-{}.db", uuid::Uuid::new_v4().simple()));
        format!("sqlite://{}?mode=rwc", path.display())
    }

    /// Two stores on one database, as two instances would have.
    async fn two_instances(url: &str) -> (Store, Store) {
        let a = Store::connect(&StoreConfig::new(url)).await.unwrap();
        Migrator::up(a.db(), None).await.unwrap();
        let b = Store::connect(&StoreConfig::new(url)).await.unwrap();
        (a, b)
    }

    #[tokio::test]
    async fn a_lease_is_held_until_it_runs_out_or_is_freed() {
        let (a, b) = two_instances(&sqlite_url()).await;
        let ttl = Duration::from_secs(60);
        assert!(try_acquire(&a, "j", "a", ttl, at(0)).await.unwrap());
        assert!(!try_acquire(&b, "j", "b", ttl, at(1)).await.unwrap());
        assert!(
            try_acquire(&a, "j", "a", ttl, at(2)).await.unwrap(),
            "the holder renews"
        );
        assert!(
            try_acquire(&b, "j", "b", ttl, at(63)).await.unwrap(),
            "an expired lease is taken over"
        );
        assert!(!finish(&a, "j", "a", at(0), "ok").await.unwrap());
        assert!(finish(&b, "j", "b", at(63), "ok: done").await.unwrap());
        let row = status(&a, "j").await.unwrap().unwrap();
        assert_eq!(row.holder, None);
        assert_eq!(row.last_run_at, Some(at(63).timestamp_millis()));
        assert_eq!(row.last_outcome.as_deref(), Some("ok: done"));
        assert!(
            !try_acquire_due(&a, "j", "a", ttl, Duration::from_secs(300), at(100))
                .await
                .unwrap(),
            "not due yet"
        );
        assert!(
            try_acquire_due(&a, "j", "a", ttl, Duration::from_secs(300), at(363))
                .await
                .unwrap()
        );
        release(&a, "j", "a").await.unwrap();
        assert!(try_acquire(&b, "j", "b", ttl, at(364)).await.unwrap());
    }

    /// Two schedulers on one database tick at the same instants; each due
    /// period the job runs once.
    async fn two_schedulers_run_a_due_job_once(url: &str) {
        let (a, b) = two_instances(url).await;
        let runs = Arc::new(AtomicUsize::new(0));
        let every = Duration::from_secs(300);
        let scheduler = |store: Store, instance: &str| {
            let mut scheduler = Scheduler::new(store, instance);
            let runs = Arc::clone(&runs);
            scheduler.register("count", every, move |_store, _now| {
                let runs = Arc::clone(&runs);
                async move {
                    // Long enough for the other instance to ask meanwhile.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    runs.fetch_add(1, Ordering::SeqCst);
                    Ok("counted".to_owned())
                }
            });
            scheduler
        };
        let (first, second) = (
            scheduler(a.clone(), "instance-a"),
            scheduler(b, "instance-b"),
        );
        for period in 0..4_i64 {
            // Several ticks within the period, both instances at once.
            for offset in [0, 30, 120] {
                let now = at(period * 300 + offset);
                let (x, y) = tokio::join!(first.tick_at(now), second.tick_at(now));
                assert!(x.len() + y.len() <= 1, "period {period}: {x:?} {y:?}");
            }
            assert_eq!(
                runs.load(Ordering::SeqCst),
                usize::try_from(period + 1).unwrap(),
                "period {period}"
            );
        }
        let row = status(&a, "count").await.unwrap().unwrap();
        assert_eq!(row.last_outcome.as_deref(), Some("ok: counted"));
        assert_eq!(row.holder, None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_run_a_due_job_once_on_sqlite() {
        two_schedulers_run_a_due_job_once(&sqlite_url()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_run_a_due_job_once_on_postgres() {
        let Some((url, admin_url, name)) = postgres_url().await else {
            println!("skipped: {POSTGRES_ENV} not set");
            return;
        };
        two_schedulers_run_a_due_job_once(&url).await;
        drop_postgres(&admin_url, &name).await;
    }

    #[tokio::test]
    async fn a_failing_or_panicking_job_is_recorded_and_the_others_run() {
        let (store, _) = two_instances(&sqlite_url()).await;
        let mut scheduler = Scheduler::new(store.clone(), "solo");
        let every = Duration::from_secs(60);
        scheduler.register("fails", every, |_store, _now| async {
            Err(WorkflowError::Rejected("nothing to do".into()))
        });
        scheduler.register("panics", every, |_store, _now| async {
            panic!("a bug");
        });
        scheduler.register(VERIFY_AUDIT_CHAIN, every, verify_audit_chain);
        let ran = scheduler.tick_at(at(0)).await;
        assert_eq!(ran.len(), 3);
        let outcome = |name: &'static str| {
            let store = store.clone();
            async move { status(&store, name).await.unwrap().unwrap().last_outcome }
        };
        assert_eq!(
            outcome("fails").await.as_deref(),
            Some("error: nothing to do")
        );
        assert_eq!(outcome("panics").await.as_deref(), Some("panicked"));
        assert!(
            outcome(VERIFY_AUDIT_CHAIN)
                .await
                .unwrap()
                .starts_with("ok: audit log intact")
        );
    }

    #[tokio::test]
    async fn a_broken_audit_chain_fails_the_verification_job() {
        let (store, _) = two_instances(&sqlite_url()).await;
        store
            .db()
            .execute_unprepared("UPDATE audit_head SET last_seq = 5")
            .await
            .unwrap();
        assert!(matches!(
            verify_audit_chain(store, at(0)).await,
            Err(WorkflowError::Corrupt(_))
        ));
    }

    #[tokio::test]
    async fn a_spawned_scheduler_runs_and_stops() {
        let (store, _) = two_instances(&sqlite_url()).await;
        let runs = Arc::new(AtomicUsize::new(0));
        let mut scheduler = Scheduler::new(store.clone(), "solo");
        let counter = Arc::clone(&runs);
        scheduler.register("count", Duration::from_secs(3600), move |_store, _now| {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(String::new())
            }
        });
        let handle = scheduler.spawn();
        for _ in 0..100 {
            if runs.load(Ordering::SeqCst) > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::timeout(Duration::from_secs(5), handle.stop())
            .await
            .unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 1, "run at once, then not due");
    }
}
