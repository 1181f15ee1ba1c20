//! The command lane: one thread of its own on which the write lock's holder
//! runs when the database takes one writer at a time (SQLite).
//!
//! On SQLite one transaction holds the write lock at a time, and each of
//! its statements is a round trip between the task that holds the lock and
//! the connection's own thread. On the request threads each of those round
//! trips would also wait behind whatever else is queued there (parsing,
//! checking tokens, writing JSON for other requests), and every writer
//! would hold the lock that much longer.
//!
//! So a command carried out through [`run`] starts where it is called: it
//! reads and composes there, beside other requests. When it asks for the
//! write lock ([`enter`], called by `Store::begin_write`), it moves to the
//! lane and finishes there. On the lane it waits only for the lock and,
//! once it holds it, for its own statements: the other commands there are
//! waiting for the lock, not running. PostgreSQL runs writers side by side
//! and its sockets are driven by the request threads, so there commands
//! stay where they are called (the lane measured no better).
//!
//! A command that is already on the lane or inside another command's
//! [`run`] (a command carried out by another one's code, or a job run
//! there) runs in place, and so does every command if the thread could not
//! be started.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use tokio::runtime::{Builder, Runtime};
use tracing::Instrument as _;

/// Where the work polled on this thread stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hop {
    /// No work of [`run`] is being polled here.
    Idle,
    /// Work of [`run`] is being polled here, off the lane.
    Polling,
    /// That work asked to move to the lane ([`enter`]).
    WantsLane,
}

thread_local! {
    /// Whether this thread is the lane's.
    static ON_LANE: Cell<bool> = const { Cell::new(false) };
    /// What the work being polled on this thread asked for.
    static HOP: Cell<Hop> = const { Cell::new(Hop::Idle) };
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

/// Restores the thread's [`Hop`] when a poll ends, by return or by panic.
struct Restore(Hop);

impl Drop for Restore {
    fn drop(&mut self) {
        HOP.with(|hop| hop.set(self.0));
    }
}

/// Runs `work` and waits for its output: where it is called until it
/// calls [`enter`], then on the lane. Once started, `work` runs to its end
/// even if the caller stops waiting (a client that hangs up does not cut a
/// command in the middle). A panic in `work` is resumed in the caller.
/// `work` runs in the caller's span wherever it is polled: the tasks it is
/// spawned as would otherwise start with none, and a trace would lose it.
pub(crate) async fn run<F>(work: F) -> Result<F::Output, CutShort>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let work = work.in_current_span();
    let nested = ON_LANE.with(Cell::get) || HOP.with(Cell::get) != Hop::Idle;
    let (lane, here) = match (lane(), tokio::runtime::Handle::try_current()) {
        (Some(lane), Ok(here)) if !nested => (lane, here),
        _ => return Ok(work.await),
    };
    let carried = here.spawn(async move {
        let mut work = Box::pin(work);
        let done = std::future::poll_fn(|cx: &mut Context<'_>| {
            let restore = Restore(HOP.with(|hop| hop.replace(Hop::Polling)));
            let polled = work.as_mut().poll(cx);
            let wants_lane = HOP.with(Cell::get) == Hop::WantsLane;
            drop(restore);
            match polled {
                Poll::Ready(output) => Poll::Ready(Some(output)),
                Poll::Pending if wants_lane => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        match done {
            Some(output) => Ok(output),
            None => lane.spawn(work).await,
        }
    });
    match carried.await {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(error)) | Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(CutShort),
        },
    }
}

/// Moves the work of [`run`] being polled to the lane, before it takes
/// the write lock; anywhere else (on the lane, or outside [`run`]) it
/// returns at once. Awaited on its own, as `Store::begin_write` does: a
/// future polled beside it (in a `join!` or `select!`) would be left
/// waiting for a wake-up that reaches the task it moved from.
pub(crate) fn enter() -> impl Future<Output = ()> {
    Enter { asked: false }
}

/// The future of [`enter`]: pending once, with the move asked for.
struct Enter {
    asked: bool,
}

impl Future for Enter {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.asked || ON_LANE.with(Cell::get) || HOP.with(Cell::get) != Hop::Polling {
            return Poll::Ready(());
        }
        self.asked = true;
        HOP.with(|hop| hop.set(Hop::WantsLane));
        // Polled again on the lane; woken here too, in case it is not moved.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread() -> Option<String> {
        std::thread::current().name().map(str::to_owned)
    }

    #[tokio::test]
    async fn work_starts_in_place_and_moves_to_the_lane_when_it_enters() {
        let (before, after, nested) = run(async {
            let before = ON_LANE.with(Cell::get);
            enter().await;
            let after = thread();
            let nested = run(async { thread() }).await.unwrap();
            (before, after, nested)
        })
        .await
        .unwrap();
        assert!(!before, "work starts where it is called");
        assert_eq!(after.as_deref(), Some("accord-commands"));
        assert_eq!(nested.as_deref(), Some("accord-commands"));
        assert!(
            !ON_LANE.with(Cell::get),
            "the caller's thread is not the lane"
        );
    }

    #[tokio::test]
    async fn nested_work_moves_the_outer_work() {
        let (inner, outer) = run(async {
            let inner = run(async {
                enter().await;
                thread()
            })
            .await
            .unwrap();
            (inner, thread())
        })
        .await
        .unwrap();
        assert_eq!(inner.as_deref(), Some("accord-commands"));
        assert_eq!(outer.as_deref(), Some("accord-commands"));
    }

    #[tokio::test]
    async fn enter_outside_run_returns_at_once() {
        enter().await;
        assert!(!ON_LANE.with(Cell::get));
        assert_eq!(HOP.with(Cell::get), Hop::Idle);
    }

    #[tokio::test]
    async fn a_panic_before_or_after_the_move_reaches_the_caller() {
        let before = tokio::spawn(run(async { panic!("boom") })).await;
        assert!(before.is_err_and(|e| e.is_panic()));
        let after = tokio::spawn(run(async {
            enter().await;
            panic!("boom")
        }))
        .await;
        assert!(after.is_err_and(|e| e.is_panic()));
        assert_eq!(HOP.with(Cell::get), Hop::Idle);
    }

    #[tokio::test]
    async fn work_finishes_when_the_caller_stops_waiting() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let waiting = run(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            enter().await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let _ = tx.send(thread());
        });
        // Polled once (so spawned), then dropped.
        let _ = tokio::time::timeout(std::time::Duration::from_millis(1), waiting).await;
        assert_eq!(rx.await.unwrap().as_deref(), Some("accord-commands"));
    }
}
