//! The `job_leases` table: one row per background job, naming the instance
//! that holds it and until when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// The instance holding the lease, if any.
    pub holder: Option<String>,
    /// The lease's end, in milliseconds since the Unix epoch (0: free).
    pub lease_until: i64,
    /// When the job last started, in milliseconds since the Unix epoch.
    pub last_run_at: Option<i64>,
    /// How that run ended: `ok: …`, `error: …` or `panicked`.
    pub last_outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
