//! Cursor pagination, once for every listing: the page size check, the
//! opaque cursor (the id of the last node shown, a time-ordered UUID) and
//! the cut of one extra row that tells whether more follow.

use crate::error::{Result, WorkflowError};

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The nodes of this page, in the listing's order.
    pub nodes: Vec<T>,
    /// Whether more follow.
    pub has_next_page: bool,
    /// The cursor of the last node.
    pub end_cursor: Option<String>,
    /// How many nodes match, in all pages.
    pub total_count: u64,
}

/// The largest page of any listing.
pub const MAX_PAGE: u64 = 100;

/// Refuses a page size outside `1..=MAX_PAGE`.
pub(crate) fn check_first(first: u64) -> Result<()> {
    if (1..=MAX_PAGE).contains(&first) {
        Ok(())
    } else {
        Err(WorkflowError::bad_input(format!(
            "first must be between 1 and {MAX_PAGE}"
        )))
    }
}

/// The id an `after` cursor names; anything that is not a cursor of this
/// API is `BAD_USER_INPUT`.
pub(crate) fn parse_cursor(after: Option<&str>) -> Result<Option<String>> {
    after
        .map(|cursor| {
            uuid::Uuid::parse_str(cursor)
                .map(|id| id.to_string())
                .map_err(|_| {
                    WorkflowError::bad_input(format!(
                        "after {cursor:?} is not a cursor from this API"
                    ))
                })
        })
        .transpose()
}

/// Cuts `rows` (fetched with `first + 1` as the limit) to a page; `id`
/// gives a node's cursor.
pub(crate) fn cut<T>(
    mut rows: Vec<T>,
    first: u64,
    total_count: u64,
    id: impl Fn(&T) -> String,
) -> Page<T> {
    let has_next_page = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    Page {
        end_cursor: rows.last().map(id),
        nodes: rows,
        has_next_page,
        total_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_size_outside_one_to_the_maximum_is_refused() {
        assert!(check_first(0).is_err());
        assert!(check_first(1).is_ok());
        assert!(check_first(MAX_PAGE).is_ok());
        assert!(check_first(MAX_PAGE + 1).is_err());
    }

    #[test]
    fn a_cursor_must_be_an_id() {
        assert!(parse_cursor(Some("nope")).is_err());
        assert_eq!(parse_cursor(None).unwrap(), None);
        let id = uuid::Uuid::now_v7().to_string();
        assert_eq!(parse_cursor(Some(&id)).unwrap(), Some(id));
    }

    #[test]
    fn the_extra_row_tells_that_more_follow() {
        let page = cut(vec![1, 2, 3], 2, 3, ToString::to_string);
        assert_eq!(page.nodes, vec![1, 2]);
        assert!(page.has_next_page);
        assert_eq!(page.end_cursor.as_deref(), Some("2"));
        let last = cut(vec![1], 2, 1, ToString::to_string);
        assert!(!last.has_next_page);
    }
}
