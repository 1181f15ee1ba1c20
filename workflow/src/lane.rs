//! The command lane: one thread of its own on which commands are carried
//! out when the database takes one writer at a time (SQLite).
//!
//! On SQLite one transaction holds the write lock at a time, and each of
//! its statements is a round trip between the task that holds the lock and
//! the connection's own thread. On the request threads each of those round
//! trips would also wait behind whatever else is queued there (parsing,
//! checking tokens, writing JSON for other requests), and every writer
//! would hold the lock that much longer. On the lane, the holder of the
//! lock waits only behind other commands: transitions went from 0.54-0.59
//! to 0.72-0.76 of the hand-written handler's throughput (README,
//! Performance). PostgreSQL runs writers side by side and its sockets are
//! driven by the request threads, so there the lane measured no better
//! (0.67-0.71 against 0.70-0.78) and commands run where they are called.
//!
//! A command that is already on the lane (a command carried out by
//! another one's code, or a job run there) runs where it is, and so does
//! every command if the thread could not be started.

use std::cell::Cell;
use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

thread_local! {
    /// Whether this thread is the lane's.
    static ON_LANE: Cell<bool> = const { Cell::new(false) };
}

/// The lane's runtime, started on first use and kept for the life of the
/// process (one per process, shared by every engine in it).
fn lane() -> Option<&'static Runtime> {
    static LANE: OnceLock<Option<Runtime>> = OnceLock::new();
    LANE.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("accord-commands")
            .on_thread_start(|| ON_LANE.with(|on| on.set(true)))
            .enable_all()
            .build()
            .inspect_err(|error| {
                tracing::warn!(%error, "no command thread: commands run on the request threads");
            })
            .ok()
    })
    .as_ref()
}

/// `work` did not finish: the lane stopped under it.
#[derive(Debug)]
pub(crate) struct CutShort;

/// Runs `work` on the lane and waits for its output. Once started, `work`
/// runs to its end even if the caller stops waiting (a client that hangs
/// up does not cut a command in the middle). A panic in `work` is resumed
/// in the caller.
pub(crate) async fn run<F>(work: F) -> Result<F::Output, CutShort>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let lane = match lane() {
        Some(lane) if !ON_LANE.with(Cell::get) => lane,
        _ => return Ok(work.await),
    };
    match lane.spawn(work).await {
        Ok(output) => Ok(output),
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(CutShort),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_lane_and_nested_work_runs_in_place() {
        let (outer, inner) = run(async {
            let outer = std::thread::current().name().map(str::to_owned);
            let inner = run(async { std::thread::current().name().map(str::to_owned) })
                .await
                .unwrap();
            (outer, inner)
        })
        .await
        .unwrap();
        assert_eq!(outer.as_deref(), Some("accord-commands"));
        assert_eq!(inner.as_deref(), Some("accord-commands"));
        assert!(
            !ON_LANE.with(Cell::get),
            "the caller's thread is not the lane"
        );
    }

    #[tokio::test]
    async fn a_panic_on_the_lane_reaches_the_caller() {
        let caught = tokio::spawn(run(async { panic!("boom") })).await;
        assert!(caught.is_err_and(|e| e.is_panic()));
    }

    #[tokio::test]
    async fn work_finishes_when_the_caller_stops_waiting() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let waiting = run(async move {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let _ = tx.send("finished");
        });
        // Polled once (so spawned), then dropped.
        let _ = tokio::time::timeout(std::time::Duration::from_millis(1), waiting).await;
        assert_eq!(rx.await.unwrap(), "finished");
    }
}
