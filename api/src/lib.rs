//! Accord's API: the poem server, identity verification, the GraphQL schema,
//! configuration and the command line. It holds no SQL and no permission
//! rules; those live in `workflow`.

pub mod auth;
mod calendar;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
mod graphiql;
pub mod headers;
mod http;
pub mod jwks;
pub mod live;
pub mod metrics;
mod multipart;
mod print;
pub mod redact;
mod request_log;
pub mod schema;
pub mod server;
mod state;
pub mod telemetry;
