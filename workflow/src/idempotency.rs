//! Idempotency keys: a mutation sent again with the same `Idempotency-Key`
//! is carried out at most once.
//!
//! The API looks the key up before it executes ([`earlier`]). When the key
//! is new, it executes inside [`with_claim`]: the first write transaction
//! of the request to commit records the key in the same transaction as its
//! change ([`crate::store::WriteTx::commit`] calls [`record_in`]), so a
//! change and its key are committed together or not at all, on any
//! instance. The answer is recorded after the commit ([`record_answer`])
//! and sent back to a retry of the same request. A key is kept for
//! [`KEY_LIFETIME`].

use std::cell::RefCell;
use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    SqlErr,
};

use crate::clock::stamp;
use crate::entity::idempotency_key;
use crate::error::{Result, WorkflowError};

/// How long a key is remembered; a key used again after that starts anew.
pub const KEY_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The longest key accepted, in characters.
pub const MAX_KEY_CHARS: usize = 255;

/// A key, for one person and one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The person's token subject.
    pub subject: String,
    /// The key the client chose.
    pub key: String,
    /// Lower-case hex SHA-256 of the request.
    pub request_sha256: String,
}

/// What an earlier use of a key tells about a request with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Earlier {
    /// The key is new (or expired): carry the request out.
    New,
    /// The same request was carried out; this was its answer.
    Answered(String),
    /// The same request was carried out, but its answer was not recorded
    /// (it failed after its commit, or is still being answered).
    DoneUnanswered,
    /// The key was used for another request.
    OtherRequest,
}

/// What the request being executed holds and has done.
#[derive(Debug, Default)]
struct Scope {
    /// Its key, until its first commit takes it.
    claim: Option<Claim>,
    /// Whether any of its writes committed.
    committed: bool,
}

/// What a request's writes did, as seen by [`with_claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Done {
    /// A write committed (so a failure after it must not read as "not done").
    pub committed: bool,
    /// The request's key was recorded with that write.
    pub key_recorded: bool,
}

tokio::task_local! {
    static SCOPE: RefCell<Scope>;
}

/// Checks a key as the client sent it: 1 to [`MAX_KEY_CHARS`] visible ASCII
/// characters.
pub fn check_key(key: &str) -> Result<()> {
    if !(1..=MAX_KEY_CHARS).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(WorkflowError::bad_input(format!(
            "an Idempotency-Key is 1 to {MAX_KEY_CHARS} visible ASCII characters"
        )));
    }
    Ok(())
}

/// What the key of `claim` was used for, forgetting first every key older
/// than [`KEY_LIFETIME`] at `now`.
pub async fn earlier(
    db: &DatabaseConnection,
    claim: &Claim,
    now: DateTime<Utc>,
) -> Result<Earlier> {
    // Every expired key goes, not only this one, so that keys never used
    // again do not pile up (the index on `created_at` keeps it cheap).
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(stamp(now - KEY_LIFETIME)))
        .exec(db)
        .await?;
    let found = idempotency_key::Entity::find_by_id((claim.subject.clone(), claim.key.clone()))
        .one(db)
        .await?;
    Ok(match found {
        None => Earlier::New,
        Some(row) if row.request_sha256 != claim.request_sha256 => Earlier::OtherRequest,
        Some(row) => match row.response {
            Some(answer) => Earlier::Answered(answer),
            None => Earlier::DoneUnanswered,
        },
    })
}

/// Runs `work` (a mutation's execution) with `claim`, if any, in hand for
/// the first write to commit; tells what its writes did.
pub async fn with_claim<F: Future>(claim: Option<Claim>, work: F) -> (F::Output, Done) {
    let had_claim = claim.is_some();
    let (output, left) = scoped(claim, work).await;
    let done = Done {
        committed: left.committed,
        key_recorded: had_claim && left.claim.is_none(),
    };
    (output, done)
}

/// Runs `work` in a scope holding `claim`; returns what is left of the
/// scope afterwards.
async fn scoped<F: Future>(claim: Option<Claim>, work: F) -> (F::Output, Scope) {
    SCOPE
        .scope(
            RefCell::new(Scope {
                claim,
                committed: false,
            }),
            async {
                let output = work.await;
                let left = SCOPE.with(|s| std::mem::take(&mut *s.borrow_mut()));
                (output, left)
            },
        )
        .await
}

/// The scope of the request being executed, on its way to the task that
/// carries out a command for it (see `lane`) and back: the key travels
/// with the command until a commit takes it.
#[derive(Debug)]
pub(crate) struct Carried(Option<Scope>);

/// Takes the request's scope, if there is one, to be [`carry`]-ed.
pub(crate) fn lend() -> Carried {
    Carried(
        SCOPE
            .try_with(|s| std::mem::take(&mut *s.borrow_mut()))
            .ok(),
    )
}

/// Runs `work` in the scope `carried` brought, and brings it back.
pub(crate) async fn carry<F: Future>(carried: Carried, work: F) -> (F::Output, Carried) {
    match carried.0 {
        None => (work.await, Carried(None)),
        Some(scope) => {
            let (output, left) = scoped(scope.claim, work).await;
            let committed = scope.committed || left.committed;
            let left = Scope {
                claim: left.claim,
                committed,
            };
            (output, Carried(Some(left)))
        }
    }
}

/// Puts the scope `carried` back into the request's.
pub(crate) fn give_back(carried: Carried) {
    if let Some(back) = carried.0 {
        let _ = SCOPE.try_with(|s| *s.borrow_mut() = back);
    }
}

/// The claim of the request being executed, taken by its first commit.
pub(crate) fn take() -> Option<Claim> {
    SCOPE
        .try_with(|s| s.borrow_mut().claim.take())
        .ok()
        .flatten()
}

/// Notes that a write of the request being executed committed.
pub(crate) fn committed() {
    // Outside a request's scope (jobs, tests) there is nobody to tell.
    let _ = SCOPE.try_with(|s| s.borrow_mut().committed = true);
}

/// Records `claim` in the write transaction `conn`. A second request with
/// the same key that got this far is refused (`CONFLICT`), and its
/// transaction rolls back.
pub(crate) async fn record_in<C: ConnectionTrait>(
    conn: &C,
    claim: &Claim,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = idempotency_key::ActiveModel {
        subject: Set(claim.subject.clone()),
        key: Set(claim.key.clone()),
        request_sha256: Set(claim.request_sha256.clone()),
        created_at: Set(stamp(now)),
        response: Set(None),
    };
    match idempotency_key::Entity::insert(row)
        .exec_without_returning(conn)
        .await
    {
        Ok(_) => Ok(()),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(WorkflowError::Conflict(
                "a request with this Idempotency-Key was carried out meanwhile; nothing more was written"
                    .into(),
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// Records the answer sent for `claim`'s request.
pub async fn record_answer(db: &DatabaseConnection, claim: &Claim, answer: &str) -> Result<()> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Response,
            sea_orm::sea_query::Expr::value(answer.to_owned()),
        )
        .filter(idempotency_key::Column::Subject.eq(claim.subject.as_str()))
        .filter(idempotency_key::Column::Key.eq(claim.key.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> Claim {
        Claim {
            subject: "kaz-delegate-1".into(),
            key: "retry-1".into(),
            request_sha256: "ab".repeat(32),
        }
    }

    #[tokio::test]
    async fn a_key_travels_with_a_command_to_another_task_and_back() {
        // Taken there by a commit: the request learns that it was recorded.
        let (taken, done) = with_claim(Some(claim()), async {
            let (taken, back) = tokio::spawn(carry(lend(), async {
                let taken = take();
                committed();
                taken
            }))
            .await
            .unwrap();
            give_back(back);
            taken
        })
        .await;
        assert_eq!(taken, Some(claim()));
        assert_eq!(
            done,
            Done {
                committed: true,
                key_recorded: true
            }
        );
        // Not taken there: it comes back, for the request's next commit.
        let (later, done) = with_claim(Some(claim()), async {
            let ((), back) = tokio::spawn(carry(lend(), async {})).await.unwrap();
            give_back(back);
            take()
        })
        .await;
        assert_eq!(later, Some(claim()));
        assert!(!done.committed);
        // Outside any request there is nothing to carry.
        let (nothing, back) = carry(lend(), async { take() }).await;
        give_back(back);
        assert_eq!(nothing, None);
    }

    #[test]
    fn keys_are_visible_ascii_and_bounded() {
        assert!(check_key("8e0f1b2c-retry-1").is_ok());
        assert!(check_key(&"k".repeat(MAX_KEY_CHARS)).is_ok());
        for bad in ["", " ", "tab\there", "ключ", &"k".repeat(MAX_KEY_CHARS + 1)] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn a_claim_is_taken_once_and_only_inside_its_scope() {
        assert_eq!(take(), None);
        let claim = Claim {
            subject: "s".into(),
            key: "k".into(),
            request_sha256: "h".into(),
        };
        let ((first, second), done) =
            with_claim(Some(claim.clone()), async { (take(), take()) }).await;
        assert_eq!(first, Some(claim.clone()));
        assert_eq!(second, None);
        assert!(done.key_recorded);
        let ((), done) = with_claim(Some(claim), async { committed() }).await;
        assert_eq!(
            done,
            Done {
                committed: true,
                key_recorded: false
            }
        );
        let (none, done) = with_claim(None, async { take() }).await;
        assert_eq!((none, done), (None, Done::default()));
    }
}
