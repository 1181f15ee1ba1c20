//! Accord end to end: the real server over HTTP with real tokens, on
//! SQLite and (when `ACCORD_TEST_POSTGRES_URL` is set) PostgreSQL.
//!
//! One test binary (see zero2prod's `tests/api`), one module per concern.

// The harness's helper functions are test code too, though not `#[test]`
// functions: a failed expectation there should panic with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acting;
mod attacks;
mod attacks_http;
mod attacks_input;
mod audit;
mod calendar;
mod concurrency;
mod contract;
mod files;
mod helpers;
mod idempotency;
mod input;
mod instances;
mod lifecycle;
mod limits;
mod live;
mod meetings;
mod operators;
mod oracle;
mod permissions;
mod plans;
mod print;
mod readme;
mod registry;
mod relay;
mod reminders;
mod routes;
mod silence;
mod stances;
mod tokens;
mod visibility;
