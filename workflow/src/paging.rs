//! Cursor pagination, once for every listing (the Relay cursor
//! connections spec): the page asked for (`Window`: the `first` after a
//! cursor, or the `last` before one, at most `MAX_PAGE`), the opaque
//! cursor (a node's id, a time-ordered UUID), the order a window reads a
//! listing in, and the cut of one extra row that tells whether more
//! follow.

use sea_orm::sea_query::Order;
use sea_orm::{ColumnTrait, Condition, Value};

use crate::error::{Result, WorkflowError};

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The nodes of this page, in the listing's order.
    pub nodes: Vec<T>,
    /// Whether more follow: read forwards, whether rows were left after
    /// the page; read backwards, whether a `before` cursor was given.
    pub has_next_page: bool,
    /// Whether some precede: read backwards, whether rows were left
    /// before the page; read forwards, whether an `after` cursor was given.
    pub has_previous_page: bool,
    /// The cursor of the first node.
    pub start_cursor: Option<String>,
    /// The cursor of the last node.
    pub end_cursor: Option<String>,
    /// How many nodes match, in all pages.
    pub total_count: u64,
}

/// The largest page of any listing.
pub const MAX_PAGE: u64 = 100;

/// The page of a listing asked for: the `first` nodes after the cursor
/// `after` (from the start without one), or the `last` nodes before the
/// cursor `before` (from the end without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    size: u64,
    cursor: Option<String>,
    backward: bool,
}

impl Window {
    /// The first `first` nodes after `after`; a size outside
    /// `1..=MAX_PAGE` or a cursor not of this API is `BAD_USER_INPUT`.
    pub fn forward(first: u64, after: Option<&str>) -> Result<Window> {
        Ok(Window {
            size: checked_size("first", first)?,
            cursor: parse_cursor("after", after)?,
            backward: false,
        })
    }

    /// The last `last` nodes before `before`, checked as [`Window::forward`].
    pub fn backward(last: u64, before: Option<&str>) -> Result<Window> {
        Ok(Window {
            size: checked_size("last", last)?,
            cursor: parse_cursor("before", before)?,
            backward: true,
        })
    }

    /// The window of a connection's four arguments: `first`/`after`
    /// (`default` nodes when neither `first` nor `last` is given) or
    /// `last`/`before`; mixing the two directions is `BAD_USER_INPUT`.
    pub fn of_arguments(
        first: Option<u64>,
        after: Option<&str>,
        last: Option<u64>,
        before: Option<&str>,
        default: u64,
    ) -> Result<Window> {
        match (first, after, last, before) {
            (first, after, None, None) => Window::forward(first.unwrap_or(default), after),
            (None, None, Some(last), before) => Window::backward(last, before),
            (None, None, None, Some(_)) => Err(WorkflowError::bad_input(
                "before needs last: the last nodes before the cursor".to_owned(),
            )),
            _ => Err(WorkflowError::bad_input(
                "give first (and after) or last (and before), not both".to_owned(),
            )),
        }
    }

    /// The cursor the window starts from, if any.
    pub(crate) fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// How many rows to fetch: one more than the page, to tell whether
    /// more follow.
    pub(crate) fn limit(&self) -> u64 {
        self.size + 1
    }

    /// The order to read a listing in whose own order is `listing`:
    /// backwards, the reverse.
    pub(crate) fn order(&self, listing: Order) -> Order {
        match (listing, self.backward) {
            (Order::Desc, true) => Order::Asc,
            (_, true) => Order::Desc,
            (listing, false) => listing,
        }
    }

    /// The rows past the cursor `at` (the cursor node's sort key and id) in
    /// the order the window reads a listing ordered by (`key`, `id`) in
    /// `listing` order.
    pub(crate) fn past<C: ColumnTrait, V: Into<Value> + Clone>(
        &self,
        listing: Order,
        key: C,
        id: C,
        at: (V, String),
    ) -> Condition {
        let (key_value, id_value) = at;
        match self.order(listing) {
            Order::Asc => Condition::any()
                .add(key.gt(key_value.clone()))
                .add(Condition::all().add(key.eq(key_value)).add(id.gt(id_value))),
            _ => Condition::any()
                .add(key.lt(key_value.clone()))
                .add(Condition::all().add(key.eq(key_value)).add(id.lt(id_value))),
        }
    }

    /// The rows past the cursor `at` in the order the window reads a
    /// listing ordered by `id` alone in `listing` order.
    pub(crate) fn past_id<C: ColumnTrait>(&self, listing: Order, id: C, at: &str) -> Condition {
        match self.order(listing) {
            Order::Asc => Condition::all().add(id.gt(at)),
            _ => Condition::all().add(id.lt(at)),
        }
    }

    /// An empty page, for a filter that matches nothing.
    pub(crate) fn empty<T>(&self) -> Page<T> {
        self.cut(Vec::new(), 0, |_: &T| String::new())
    }

    /// Cuts `rows`, read in [`Window::order`] with [`Window::limit`], to a
    /// page in the listing's order; `id` gives a node's cursor.
    pub(crate) fn cut<T>(
        &self,
        mut rows: Vec<T>,
        total_count: u64,
        id: impl Fn(&T) -> String,
    ) -> Page<T> {
        let more = rows.len() as u64 > self.size;
        rows.truncate(usize::try_from(self.size).unwrap_or(usize::MAX));
        if self.backward {
            rows.reverse();
        }
        let from_a_cursor = self.cursor.is_some();
        Page {
            has_next_page: if self.backward { from_a_cursor } else { more },
            has_previous_page: if self.backward { more } else { from_a_cursor },
            start_cursor: rows.first().map(&id),
            end_cursor: rows.last().map(&id),
            nodes: rows,
            total_count,
        }
    }
}

impl<T> Page<T> {
    /// The page's nodes, and the page without them, which [`Page::with`]
    /// fills again (with the nodes made of them).
    pub fn split(self) -> (Vec<T>, Page<()>) {
        let nodes = self.nodes;
        let rest = Page {
            nodes: Vec::new(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.start_cursor,
            end_cursor: self.end_cursor,
            total_count: self.total_count,
        };
        (nodes, rest)
    }
}

impl Page<()> {
    /// This page's cursors with `nodes`.
    pub fn with<U>(self, nodes: Vec<U>) -> Page<U> {
        Page {
            nodes,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.start_cursor,
            end_cursor: self.end_cursor,
            total_count: self.total_count,
        }
    }
}

/// Refuses a page size outside `1..=MAX_PAGE`.
fn checked_size(name: &str, size: u64) -> Result<u64> {
    if (1..=MAX_PAGE).contains(&size) {
        Ok(size)
    } else {
        Err(WorkflowError::bad_input(format!(
            "{name} must be between 1 and {MAX_PAGE}"
        )))
    }
}

/// The id a cursor names; anything that is not a cursor of this API is
/// `BAD_USER_INPUT`.
fn parse_cursor(name: &str, cursor: Option<&str>) -> Result<Option<String>> {
    cursor
        .map(|cursor| {
            uuid::Uuid::parse_str(cursor)
                .map(|id| id.to_string())
                .map_err(|_| {
                    WorkflowError::bad_input(format!(
                        "{name} {cursor:?} is not a cursor from this API"
                    ))
                })
        })
        .transpose()
}

/// The error for a cursor that names no node of the listing.
pub(crate) fn unknown_cursor(cursor: &str) -> WorkflowError {
    WorkflowError::bad_input(format!("{cursor:?} is not a cursor from this API"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_size_outside_one_to_the_maximum_is_refused() {
        assert!(Window::forward(0, None).is_err());
        assert!(Window::forward(1, None).is_ok());
        assert!(Window::forward(MAX_PAGE, None).is_ok());
        assert!(Window::forward(MAX_PAGE + 1, None).is_err());
        assert!(Window::backward(0, None).is_err());
        assert!(Window::backward(MAX_PAGE + 1, None).is_err());
    }

    #[test]
    fn a_cursor_must_be_an_id() {
        assert!(Window::forward(1, Some("nope")).is_err());
        assert!(Window::backward(1, Some("nope")).is_err());
        let id = uuid::Uuid::now_v7().to_string();
        assert_eq!(
            Window::forward(1, Some(&id)).unwrap().cursor(),
            Some(id.as_str())
        );
    }

    #[test]
    fn the_arguments_ask_for_one_direction() {
        let id = uuid::Uuid::now_v7().to_string();
        let default = Window::of_arguments(None, None, None, None, 20).unwrap();
        assert_eq!(default, Window::forward(20, None).unwrap());
        let back = Window::of_arguments(None, None, Some(5), Some(&id), 20).unwrap();
        assert_eq!(back, Window::backward(5, Some(&id)).unwrap());
        assert!(Window::of_arguments(Some(5), None, Some(5), None, 20).is_err());
        assert!(Window::of_arguments(None, Some(&id), Some(5), None, 20).is_err());
        assert!(Window::of_arguments(None, None, None, Some(&id), 20).is_err());
    }

    #[test]
    fn the_extra_row_tells_that_more_follow() {
        let window = Window::forward(2, None).unwrap();
        let page = window.cut(vec![1, 2, 3], 3, ToString::to_string);
        assert_eq!(page.nodes, vec![1, 2]);
        assert!(page.has_next_page);
        assert!(!page.has_previous_page);
        assert_eq!(page.start_cursor.as_deref(), Some("1"));
        assert_eq!(page.end_cursor.as_deref(), Some("2"));
        let last = window.cut(vec![1], 1, ToString::to_string);
        assert!(!last.has_next_page);
    }

    #[test]
    fn a_backward_window_reads_in_reverse_and_answers_in_the_listings_order() {
        let id = uuid::Uuid::now_v7().to_string();
        let window = Window::backward(2, Some(&id)).unwrap();
        assert_eq!(window.order(Order::Desc), Order::Asc);
        assert_eq!(window.order(Order::Asc), Order::Desc);
        // Read in reverse: 7, 6, 5 of a listing 1, 2, … 7, 8 (before 8).
        let page = window.cut(vec![7, 6, 5], 8, ToString::to_string);
        assert_eq!(page.nodes, vec![6, 7]);
        assert!(page.has_previous_page);
        assert!(page.has_next_page, "the cursor's node follows");
        assert_eq!(page.start_cursor.as_deref(), Some("6"));
        assert_eq!(page.end_cursor.as_deref(), Some("7"));
        let from_the_end = Window::backward(2, None).unwrap();
        let page = from_the_end.cut(vec![8, 7], 8, ToString::to_string);
        assert_eq!(page.nodes, vec![7, 8]);
        assert!(!page.has_next_page);
        assert!(!page.has_previous_page);
    }
}
