//! Which versions' compilations of proposals have been circulated: a fact
//! the visibility of proposals depends on, shared by the reader, the
//! drafts' comment checks and the stances feature.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::compilation_circulation;
use crate::error::Result;

/// A compilation of proposals circulated by a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CirculatedCompilation {
    /// The version whose proposals it compiles.
    pub version: i32,
    /// The note that circulated it.
    pub note_id: String,
    /// When.
    pub circulated_at: DateTime<Utc>,
}

/// The versions of each draft among `draft_ids` whose compilation has been
/// circulated, with the notes that did it.
pub async fn circulated_compilations<C: ConnectionTrait>(
    conn: &C,
    draft_ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, Vec<CirculatedCompilation>>> {
    use compilation_circulation::Column as C;
    let mut out: HashMap<String, Vec<CirculatedCompilation>> = HashMap::new();
    for row in compilation_circulation::Entity::find()
        .filter(C::DraftId.is_in(draft_ids))
        .order_by_asc(C::Version)
        .all(conn)
        .await?
    {
        out.entry(row.draft_id)
            .or_default()
            .push(CirculatedCompilation {
                version: row.version,
                note_id: row.note_id,
                circulated_at: row.circulated_at,
            });
    }
    Ok(out)
}

/// The versions of `draft_id` whose compilation has been circulated.
pub async fn circulated_versions<C: ConnectionTrait>(
    conn: &C,
    draft_id: &str,
) -> Result<BTreeSet<i32>> {
    Ok(circulated_compilations(conn, [draft_id.to_owned()])
        .await?
        .remove(draft_id)
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.version)
        .collect())
}

/// Whether a comment of `kind` on `version` of `draft_id` is a proposal in
/// a circulated compilation (read only for a proposal).
pub async fn in_circulated_compilation<C: ConnectionTrait>(
    conn: &C,
    kind: &str,
    draft_id: &str,
    version: i32,
) -> Result<bool> {
    if kind != accord_domain::CommentKind::Proposal.as_str() {
        return Ok(false);
    }
    Ok(circulated_versions(conn, draft_id)
        .await?
        .contains(&version))
}
