//! What a change left behind, carried in its [`Outcome`](crate::Outcome) so
//! that the answer to a mutation is built without reading back what was
//! just written.
//!
//! A change reads its rows before the write lock, decides, and writes with
//! a compare-and-set; when the write succeeds nobody changed those rows in
//! between, so the rows as read with the change's own columns applied are
//! exactly what the database holds at commit. [`changed`] derives the
//! columns a statement writes from the difference between the row before
//! and after, so the written row and the answer come from one value.
//!
//! The values here are opaque: they become views only through the
//! [`Reader`](crate::Reader) of the person asking, which applies the same
//! visibility rules as any read.

use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, Iterable, ModelTrait, UpdateMany};

use crate::entity::{comment, note};
use crate::snapshot::Snapshot;

/// A draft as a change left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftAfter(pub(crate) Box<Snapshot>);

impl DraftAfter {
    pub(crate) fn new(snap: Snapshot) -> DraftAfter {
        DraftAfter(Box::new(snap))
    }

    /// The draft's id.
    pub fn id(&self) -> &str {
        &self.0.row.id
    }
}

/// A comment as a change left it, with its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentAfter {
    pub(crate) comment: Box<comment::Model>,
    pub(crate) draft: DraftAfter,
}

impl CommentAfter {
    /// The comment's id.
    pub fn id(&self) -> &str {
        &self.comment.id
    }
}

/// An issued note as the change that issued it stored it, with the
/// numbers and dates of the notes it cites, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteAfter {
    pub(crate) row: Box<note::Model>,
    pub(crate) references: Vec<(String, String, chrono::NaiveDate)>,
}

impl NoteAfter {
    /// The note's id.
    pub fn id(&self) -> &str {
        &self.row.id
    }
}

/// `update` setting every column in which `after` differs from `before`.
pub(crate) fn changed<E>(
    mut update: UpdateMany<E>,
    before: &E::Model,
    after: &E::Model,
) -> UpdateMany<E>
where
    E: EntityTrait,
    E::Model: ModelTrait<Entity = E>,
{
    for column in E::Column::iter() {
        let value = after.get(column);
        if value != before.get(column) {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    update
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};
    use sea_orm::{DbBackend, QueryTrait as _};

    use super::*;
    use crate::entity::draft;

    fn row() -> draft::Model {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
            .single()
            .unwrap();
        draft::Model {
            id: "d".into(),
            kind: "ACTION_PLAN".into(),
            title: "{}".into(),
            state: "DRAFTING".into(),
            revision: 1,
            home_org: "CICA".into(),
            current_version: 1,
            circulated_version: None,
            agreed_version: None,
            withdrawn_reason: None,
            route_id: crate::route_book::DEFAULT_ROUTE_ID.into(),
            stage: None,
            created_by: "s".into(),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn only_the_columns_that_differ_are_written() {
        let before = row();
        let after = draft::Model {
            state: "CIRCULATED".into(),
            circulated_version: Some(1),
            revision: 2,
            ..before.clone()
        };
        let sql = changed(draft::Entity::update_many(), &before, &after)
            .build(DbBackend::Sqlite)
            .to_string();
        assert_eq!(
            sql,
            r#"UPDATE "drafts" SET "state" = 'CIRCULATED', "revision" = 2, "circulated_version" = 1"#
        );
    }

    #[test]
    fn a_column_set_back_to_null_is_written() {
        let before = draft::Model {
            withdrawn_reason: Some("x".into()),
            ..row()
        };
        let after = row();
        let sql = changed(draft::Entity::update_many(), &before, &after)
            .build(DbBackend::Sqlite)
            .to_string();
        assert_eq!(sql, r#"UPDATE "drafts" SET "withdrawn_reason" = NULL"#);
    }
}
