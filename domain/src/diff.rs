//! The difference between two versions' contents, item by item and
//! language by language.

use std::collections::HashMap;

use serde::Serialize;

use crate::{Anchor, Content, Item, Lang};

string_enum! {
    /// What happened to an item between two versions.
    pub enum ChangeKind ("change kind") {
        /// The item is new in the later version.
        Added => "ADDED",
        /// The item is gone from the later version.
        Removed => "REMOVED",
        /// The item is in both versions with different texts.
        Changed => "CHANGED",
    }
}

/// One language of one item that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// The item's anchor.
    pub anchor: Anchor,
    /// What happened to the item as a whole.
    pub change: ChangeKind,
    /// The language this entry is about; always `Some` from [`diff`].
    pub lang: Option<Lang>,
    /// The text in the earlier version, `None` if the item or language was absent.
    pub before: Option<String>,
    /// The text in the later version, `None` if the item or language is absent.
    pub after: Option<String>,
}

/// Lists what differs from `from` to `to`, one entry per item and language.
///
/// - An item only in `to` gives one [`ChangeKind::Added`] entry per language
///   (`before` is `None`).
/// - An item only in `from` gives one [`ChangeKind::Removed`] entry per
///   language (`after` is `None`).
/// - An item in both gives one [`ChangeKind::Changed`] entry per language
///   whose text differs, was added (`before` is `None`) or was removed
///   (`after` is `None`); an item whose texts are all equal gives nothing.
///
/// Order: items follow `to`'s document order; a removed item comes right
/// after the nearest item before it in `from` that is still in `to` (or first
/// of all, if there is none), so it shows where it used to be. Within an item,
/// languages go EN, RU, KK, ZH. Items are matched by anchor, so a moved item
/// with the same texts is not reported.
pub fn diff(from: &Content, to: &Content) -> Vec<ItemChange> {
    let old: HashMap<&Anchor, &Item> = from.items().iter().map(|i| (&i.anchor, i)).collect();
    let new: HashMap<&Anchor, &Item> = to.items().iter().map(|i| (&i.anchor, i)).collect();

    // Removed items, keyed by the last surviving item before them in `from`.
    let mut removed_after: HashMap<Option<&Anchor>, Vec<&Item>> = HashMap::new();
    let mut last_kept = None;
    for item in from.items() {
        if new.contains_key(&item.anchor) {
            last_kept = Some(&item.anchor);
        } else {
            removed_after.entry(last_kept).or_default().push(item);
        }
    }

    let mut changes = Vec::new();
    let push_removed = |changes: &mut Vec<ItemChange>, after: Option<&Anchor>| {
        for item in removed_after.get(&after).into_iter().flatten() {
            compare(changes, &item.anchor, ChangeKind::Removed, Some(item), None);
        }
    };
    push_removed(&mut changes, None);
    for item in to.items() {
        match old.get(&item.anchor) {
            Some(before) => {
                compare(
                    &mut changes,
                    &item.anchor,
                    ChangeKind::Changed,
                    Some(before),
                    Some(item),
                );
                push_removed(&mut changes, Some(&item.anchor));
            }
            None => compare(
                &mut changes,
                &item.anchor,
                ChangeKind::Added,
                None,
                Some(item),
            ),
        }
    }
    changes
}

/// Appends one entry per language whose text differs between `before` and `after`.
fn compare(
    changes: &mut Vec<ItemChange>,
    anchor: &Anchor,
    change: ChangeKind,
    before: Option<&Item>,
    after: Option<&Item>,
) {
    for lang in Lang::ALL {
        let old = before.and_then(|item| item.texts.get(lang));
        let new = after.and_then(|item| item.texts.get(lang));
        if old != new {
            changes.push(ItemChange {
                anchor: anchor.clone(),
                change,
                lang: Some(lang),
                before: old.map(str::to_owned),
                after: new.map(str::to_owned),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Texts;

    fn content(items: &[(&str, &[(Lang, &str)])]) -> Content {
        Content::new(
            items
                .iter()
                .map(|(anchor, texts)| Item {
                    anchor: Anchor::parse(anchor).unwrap(),
                    texts: Texts::from_pairs(texts.iter().map(|(l, t)| (*l, (*t).to_owned())))
                        .unwrap(),
                })
                .collect(),
        )
        .unwrap()
    }

    /// `(anchor, kind, lang, before, after)` of one entry.
    type Summary<'a> = (String, ChangeKind, Lang, Option<&'a str>, Option<&'a str>);

    /// The [`Summary`] of each entry, for compact assertions.
    fn summary(changes: &[ItemChange]) -> Vec<Summary<'_>> {
        changes
            .iter()
            .map(|c| {
                (
                    c.anchor.to_string(),
                    c.change,
                    c.lang.unwrap(),
                    c.before.as_deref(),
                    c.after.as_deref(),
                )
            })
            .collect()
    }

    #[test]
    fn identical_contents_have_no_differences() {
        let a = content(&[("a", &[(Lang::En, "x"), (Lang::Ru, "х")])]);
        assert!(diff(&a, &a.clone()).is_empty());
    }

    #[test]
    fn added_items_give_one_entry_per_language() {
        let from = content(&[("a", &[(Lang::En, "x")])]);
        let to = content(&[
            ("a", &[(Lang::En, "x")]),
            ("b", &[(Lang::Ru, "р"), (Lang::En, "e")]),
        ]);
        assert_eq!(
            summary(&diff(&from, &to)),
            [
                ("b".into(), ChangeKind::Added, Lang::En, None, Some("e")),
                ("b".into(), ChangeKind::Added, Lang::Ru, None, Some("р")),
            ]
        );
    }

    #[test]
    fn removed_items_give_one_entry_per_language() {
        let from = content(&[
            ("a", &[(Lang::En, "x")]),
            ("b", &[(Lang::En, "y"), (Lang::Zh, "z")]),
        ]);
        let to = content(&[("a", &[(Lang::En, "x")])]);
        assert_eq!(
            summary(&diff(&from, &to)),
            [
                ("b".into(), ChangeKind::Removed, Lang::En, Some("y"), None),
                ("b".into(), ChangeKind::Removed, Lang::Zh, Some("z"), None),
            ]
        );
    }

    #[test]
    fn changed_items_list_only_the_languages_that_differ() {
        let from = content(&[(
            "a",
            &[(Lang::En, "same"), (Lang::Ru, "старый"), (Lang::Kk, "ескі")],
        )]);
        let to = content(&[(
            "a",
            &[(Lang::En, "same"), (Lang::Ru, "новый"), (Lang::Zh, "新")],
        )]);
        assert_eq!(
            summary(&diff(&from, &to)),
            [
                (
                    "a".into(),
                    ChangeKind::Changed,
                    Lang::Ru,
                    Some("старый"),
                    Some("новый")
                ),
                (
                    "a".into(),
                    ChangeKind::Changed,
                    Lang::Kk,
                    Some("ескі"),
                    None
                ),
                ("a".into(), ChangeKind::Changed, Lang::Zh, None, Some("新")),
            ]
        );
    }

    #[test]
    fn removed_items_stay_where_they_were_among_the_new_order() {
        let en = |t| -> &[(Lang, &str)] {
            match t {
                "x" => &[(Lang::En, "x")],
                _ => &[(Lang::En, "changed")],
            }
        };
        let from = content(&[
            ("gone-first", en("x")),
            ("a", en("x")),
            ("gone-mid", en("x")),
            ("b", en("x")),
        ]);
        let to = content(&[
            ("new-first", en("x")),
            ("a", en("changed")),
            ("b", en("x")),
            ("new-last", en("x")),
        ]);
        let order: Vec<(String, ChangeKind)> = diff(&from, &to)
            .into_iter()
            .map(|c| (c.anchor.to_string(), c.change))
            .collect();
        assert_eq!(
            order,
            [
                ("gone-first".into(), ChangeKind::Removed),
                ("new-first".into(), ChangeKind::Added),
                ("a".into(), ChangeKind::Changed),
                ("gone-mid".into(), ChangeKind::Removed),
                ("new-last".into(), ChangeKind::Added),
            ]
        );
    }
}
