//! The live updates' state of one instance, which the server's shared
//! state holds: the open sockets counted per person, the subscriptions
//! running, and the task following commits made through other instances.
//! The socket's protocol is in the parent module.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use accord_workflow::Store;
use accord_workflow::commits::Following;

/// The live updates of one instance: its sockets, their limits, and the
/// task that learns of commits made through other instances.
pub struct Live {
    pub(super) sockets: Arc<Sockets>,
    pub(super) max_subscriptions_per_socket: usize,
    /// Subscriptions running on all sockets.
    pub(super) active: Arc<AtomicUsize>,
    _following: Following,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("open_sockets", &self.open_sockets())
            .field("active_subscriptions", &self.active_subscriptions())
            .finish_non_exhaustive()
    }
}

impl Live {
    /// Live updates for `store`, following commits of other instances on
    /// `database_url` (PostgreSQL `LISTEN`; see `accord_workflow::commits`).
    pub fn new(
        store: &Store,
        database_url: &str,
        max_sockets_per_person: usize,
        max_subscriptions_per_socket: usize,
    ) -> Live {
        Live {
            sockets: Arc::new(Sockets {
                open: Mutex::default(),
                total: AtomicUsize::new(0),
                max_per_person: max_sockets_per_person,
            }),
            max_subscriptions_per_socket,
            active: Arc::default(),
            _following: store.commits().follow(store.db(), database_url),
        }
    }

    /// What the metrics show of the live updates on this instance.
    pub(crate) fn counts(&self) -> crate::metrics::LiveCounts {
        crate::metrics::LiveCounts {
            sockets: self.open_sockets(),
            subscriptions: self.active_subscriptions(),
        }
    }

    /// Metrics hook: the live updates' sockets open on this instance
    /// (authenticated, `connection_ack` sent).
    pub fn open_sockets(&self) -> usize {
        self.sockets.total.load(Ordering::SeqCst)
    }

    /// Metrics hook: the subscriptions running on this instance's sockets.
    pub fn active_subscriptions(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }
}

/// The open sockets, counted per person (token subject).
pub(super) struct Sockets {
    open: Mutex<HashMap<String, usize>>,
    total: AtomicUsize,
    pub(super) max_per_person: usize,
}

impl Sockets {
    /// Counts one more socket of `person`, or `None` at the limit.
    pub(super) fn open(self: &Arc<Self>, person: &str) -> Option<SocketPlace> {
        let mut open = self.open.lock().ok()?;
        let count = open.entry(person.to_owned()).or_default();
        if *count >= self.max_per_person {
            return None;
        }
        *count += 1;
        self.total.fetch_add(1, Ordering::SeqCst);
        Some(SocketPlace {
            sockets: Arc::clone(self),
            person: person.to_owned(),
        })
    }
}

/// A socket's place in its person's count, given back when it closes.
pub(super) struct SocketPlace {
    sockets: Arc<Sockets>,
    person: String,
}

impl Drop for SocketPlace {
    fn drop(&mut self) {
        self.sockets.total.fetch_sub(1, Ordering::SeqCst);
        if let Ok(mut open) = self.sockets.open.lock()
            && let Some(count) = open.get_mut(&self.person)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.person);
            }
        }
    }
}
