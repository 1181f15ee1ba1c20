//! The content of a draft version — ordered, anchored, multilingual items —
//! and its canonical form and SHA-256 content hash.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::{DomainError, Lang, Result, Texts};

/// The largest number of items in one version.
pub const MAX_ITEMS: usize = 2_000;

/// The largest number of characters of one item's text in one language.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// The stable id of an item within a draft, like Akoma Ntoso's eId:
/// `preamble-1`, `item-3`.
///
/// 1 to 64 characters: lower-case ASCII letters, digits and `-`, starting with
/// a letter, with no `--` and no trailing `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Anchor(String);

impl Anchor {
    /// Checks and wraps an anchor.
    pub fn parse(s: &str) -> Result<Anchor> {
        let invalid = |reason: &str| DomainError::invalid("anchor", s, reason);
        if s.is_empty() || s.len() > 64 {
            return Err(invalid("must be 1 to 64 characters long"));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(invalid("must start with a lower-case letter a-z"));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                "may only contain lower-case letters a-z, digits and '-'",
            ));
        }
        if s.contains("--") || s.ends_with('-') {
            return Err(invalid("must not contain \"--\" or end with '-'"));
        }
        Ok(Anchor(s.to_owned()))
    }

    /// The anchor as written, e.g. `"preamble-1"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_newtype!(Anchor);

/// One paragraph or table row of a version: its anchor and its texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The item's stable id.
    pub anchor: Anchor,
    /// The item's text in each language present.
    pub texts: Texts,
}

/// The content of one version: its items in document order.
///
/// Immutable; the canonical form and hash are computed once, when it is built.
/// Serialises as `{"items":[{"anchor":…,"texts":{…}},…]}` and deserialises
/// through [`Content::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ContentRepr")]
pub struct Content {
    items: Vec<Item>,
    #[serde(skip)]
    canonical: Vec<u8>,
    #[serde(skip)]
    hash: ContentHash,
}

/// The unchecked shape `Content` is deserialised from.
#[derive(Deserialize)]
struct ContentRepr {
    items: Vec<Item>,
}

impl TryFrom<ContentRepr> for Content {
    type Error = DomainError;

    fn try_from(repr: ContentRepr) -> Result<Content> {
        Content::new(repr.items)
    }
}

impl Content {
    /// Builds a version's content: 1 to 2000 items with unique anchors, each
    /// text at most 100000 characters.
    pub fn new(items: Vec<Item>) -> Result<Content> {
        if items.is_empty() {
            return Err(DomainError::Empty {
                field: "the list of items".into(),
            });
        }
        if items.len() > MAX_ITEMS {
            return Err(DomainError::TooMany {
                what: "items",
                max: MAX_ITEMS,
            });
        }
        let mut seen = HashSet::new();
        for item in &items {
            if !seen.insert(&item.anchor) {
                return Err(DomainError::Duplicate {
                    what: "anchor",
                    value: item.anchor.to_string(),
                });
            }
            for (lang, text) in item.texts.iter() {
                if text.chars().count() > MAX_TEXT_CHARS {
                    return Err(DomainError::TooLong {
                        field: format!("the {lang} text of item {}", item.anchor),
                        max: MAX_TEXT_CHARS,
                    });
                }
            }
        }
        let canonical = serde_json::to_vec(&CanonicalContent { items: &items }).map_err(|e| {
            // Only string keys and values are written, so serde_json cannot fail here.
            DomainError::invalid("content", "", e.to_string())
        })?;
        let hash = ContentHash::of(&canonical);
        Ok(Content {
            items,
            canonical,
            hash,
        })
    }

    /// The items in document order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The item with this anchor, if any.
    pub fn item(&self, anchor: &Anchor) -> Option<&Item> {
        self.items.iter().find(|item| &item.anchor == anchor)
    }

    /// The SHA-256 of [`Content::canonical_bytes`]: what is signed.
    pub fn hash(&self) -> ContentHash {
        self.hash.clone()
    }

    /// The canonical form of the content, from which its hash is computed.
    ///
    /// It is UTF-8 JSON with no insignificant whitespace (no spaces or
    /// newlines between tokens), of exactly this shape:
    ///
    /// ```text
    /// {"items":[{"anchor":"preamble-1","texts":{"EN":"…","RU":"…"}},{"anchor":"item-1","texts":{"EN":"…"}}]}
    /// ```
    ///
    /// - One top-level object with the single key `items`, an array of the
    ///   items in document order.
    /// - Each item is an object with the keys `anchor` then `texts`, in that order.
    /// - `texts` is an object keyed by language code, in the fixed order `EN`,
    ///   `RU`, `KK`, `ZH`, holding only the languages present.
    /// - Strings are escaped as serde_json does by default: `"` as `\"`, `\`
    ///   as `\\`, the control characters U+0000–U+001F as `\b`, `\t`, `\n`,
    ///   `\f`, `\r` or else `\u00xx` with lower-case hex; every other character
    ///   (including `/`, U+007F and all non-ASCII text) is written as is, in UTF-8.
    /// - Texts are as stored after [`Texts::from_pairs`]'s normalisation:
    ///   CRLF line endings turned into LF and trailing whitespace at the end of
    ///   each text removed (the only control characters a text may hold are LF
    ///   and TAB; see [`crate::check_characters`]). No Unicode normalisation (NFC or other)
    ///   is applied, so visually identical texts in different normal forms hash
    ///   differently.
    ///
    /// The content hash is the SHA-256 of these bytes, written as 64
    /// lower-case hex digits.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        self.canonical.clone()
    }
}

/// The canonical form's top level (see [`Content::canonical_bytes`]).
#[derive(Serialize)]
struct CanonicalContent<'a> {
    #[serde(serialize_with = "canonical_items")]
    items: &'a [Item],
}

/// The canonical form of one item; field order is the key order.
#[derive(Serialize)]
struct CanonicalItem<'a> {
    anchor: &'a str,
    #[serde(serialize_with = "canonical_texts")]
    texts: &'a Texts,
}

fn canonical_items<S: Serializer>(
    items: &&[Item],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_seq(items.iter().map(|item| CanonicalItem {
        anchor: item.anchor.as_str(),
        texts: &item.texts,
    }))
}

/// Writes texts keyed by language code in `Texts`' iteration order (EN, RU,
/// KK, ZH), independent of how any map type sorts its keys.
fn canonical_texts<S: Serializer>(
    texts: &&Texts,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(
        texts
            .iter()
            .map(|(lang, text): (Lang, &str)| (lang.as_str(), text)),
    )
}

/// A SHA-256 digest written as 64 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ContentHash(String);

impl ContentHash {
    /// Checks and wraps a hash: exactly 64 lower-case hex digits.
    pub fn parse(s: &str) -> Result<ContentHash> {
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(DomainError::invalid(
                "content hash",
                s,
                "must be 64 lower-case hexadecimal digits",
            ));
        }
        Ok(ContentHash(s.to_owned()))
    }

    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(hex::encode(Sha256::digest(bytes)))
    }

    /// The hash as 64 lower-case hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_newtype!(ContentHash);

#[cfg(test)]
mod tests {
    use super::*;

    fn item(anchor: &str, texts: &[(Lang, &str)]) -> Item {
        Item {
            anchor: Anchor::parse(anchor).unwrap(),
            texts: Texts::from_pairs(texts.iter().map(|(l, t)| (*l, (*t).to_owned()))).unwrap(),
        }
    }

    #[test]
    fn good_anchors_are_accepted() {
        for anchor in [
            "preamble-1",
            "item-3",
            "a",
            "annex-2-table-1-row-4",
            &"a".repeat(64),
        ] {
            assert_eq!(Anchor::parse(anchor).unwrap().as_str(), anchor);
        }
    }

    #[test]
    fn malformed_anchors_are_rejected() {
        for anchor in [
            "",
            "1-item",
            "-item",
            "item-",
            "item--1",
            "Item-1",
            "item_1",
            "item 1",
            "пункт",
            &"a".repeat(65),
        ] {
            assert!(Anchor::parse(anchor).is_err(), "{anchor:?}");
        }
    }

    #[test]
    fn anchor_error_names_the_anchor() {
        assert_eq!(
            Anchor::parse("item--1").unwrap_err().to_string(),
            "invalid anchor \"item--1\": must not contain \"--\" or end with '-'"
        );
    }

    #[test]
    fn canonical_form_and_hash_are_pinned() {
        // Texts are given out of language order and with CRLF and trailing
        // spaces, to show the normalisation; the quote, backslash, tab and
        // Cyrillic show the escaping.
        let content = Content::new(vec![
            item(
                "preamble-1",
                &[(Lang::Ru, "Стороны,\r\n"), (Lang::En, "The \"Parties\",  ")],
            ),
            item("item-1", &[(Lang::Zh, "合作"), (Lang::En, "a\\b\tc\r\nd")]),
        ])
        .unwrap();
        let expected = r#"{"items":[{"anchor":"preamble-1","texts":{"EN":"The \"Parties\",","RU":"Стороны,"}},{"anchor":"item-1","texts":{"EN":"a\\b\tc\nd","ZH":"合作"}}]}"#;
        assert_eq!(
            String::from_utf8(content.canonical_bytes()).unwrap(),
            expected
        );
        // Computed independently: printf '%s' '<expected>' | sha256sum
        assert_eq!(
            content.hash().as_str(),
            "448c2655db6354a163d28074a0d38bd860a0490a53210423ca5764b3648e1e99"
        );
    }

    #[test]
    fn every_language_is_ordered_en_ru_kk_zh_in_the_canonical_form() {
        let content = Content::new(vec![item(
            "a",
            &[
                (Lang::Zh, "z"),
                (Lang::Kk, "k"),
                (Lang::Ru, "r"),
                (Lang::En, "e"),
            ],
        )])
        .unwrap();
        assert_eq!(
            String::from_utf8(content.canonical_bytes()).unwrap(),
            r#"{"items":[{"anchor":"a","texts":{"EN":"e","RU":"r","KK":"k","ZH":"z"}}]}"#
        );
    }

    #[test]
    fn control_characters_are_escaped_as_serde_json_does() {
        let content = Content::new(vec![item("a", &[(Lang::En, "x\ty\n\"/z\\")])]).unwrap();
        assert_eq!(
            String::from_utf8(content.canonical_bytes()).unwrap(),
            "{\"items\":[{\"anchor\":\"a\",\"texts\":{\"EN\":\"x\\ty\\n\\\"/z\\\\\"}}]}"
        );
    }

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_bytes() {
        let content = Content::new(vec![item("a", &[(Lang::En, "x")])]).unwrap();
        assert_eq!(content.hash(), ContentHash::of(&content.canonical_bytes()));
    }

    #[test]
    fn item_order_changes_the_hash() {
        let a = item("a", &[(Lang::En, "x")]);
        let b = item("b", &[(Lang::En, "y")]);
        let ab = Content::new(vec![a.clone(), b.clone()]).unwrap();
        let ba = Content::new(vec![b, a]).unwrap();
        assert_ne!(ab.hash(), ba.hash());
    }

    #[test]
    fn content_without_items_is_rejected() {
        assert_eq!(
            Content::new(vec![]).unwrap_err().to_string(),
            "the list of items must not be empty"
        );
    }

    #[test]
    fn a_repeated_anchor_is_rejected() {
        let error = Content::new(vec![
            item("item-1", &[(Lang::En, "x")]),
            item("item-1", &[(Lang::En, "y")]),
        ])
        .unwrap_err();
        assert_eq!(error.to_string(), "duplicate anchor \"item-1\"");
    }

    #[test]
    fn more_than_two_thousand_items_are_rejected() {
        let items: Vec<Item> = (0..=MAX_ITEMS)
            .map(|i| item(&format!("item-{i}"), &[(Lang::En, "x")]))
            .collect();
        assert_eq!(
            Content::new(items).unwrap_err().to_string(),
            "too many items: at most 2000 are allowed"
        );
    }

    #[test]
    fn a_text_over_the_limit_is_rejected_naming_item_and_language() {
        let long = "я".repeat(MAX_TEXT_CHARS + 1);
        let error = Content::new(vec![item("item-2", &[(Lang::Ru, &long)])]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the RU text of item item-2 is longer than 100000 characters"
        );
        assert!(Content::new(vec![item("item-2", &[(Lang::Ru, &long[2..])])]).is_ok());
    }

    #[test]
    fn content_looks_up_items_by_anchor() {
        let content = Content::new(vec![
            item("a", &[(Lang::En, "x")]),
            item("b", &[(Lang::En, "y")]),
        ])
        .unwrap();
        assert_eq!(content.items().len(), 2);
        let b = Anchor::parse("b").unwrap();
        assert_eq!(content.item(&b).unwrap().texts.first(), "y");
        assert!(content.item(&Anchor::parse("c").unwrap()).is_none());
    }

    #[test]
    fn content_round_trips_through_json_and_is_checked_on_the_way_in() {
        let content = Content::new(vec![item("a", &[(Lang::Ru, "б"), (Lang::En, "a")])]).unwrap();
        let json = serde_json::to_string(&content).unwrap();
        assert_eq!(
            json,
            r#"{"items":[{"anchor":"a","texts":{"EN":"a","RU":"б"}}]}"#
        );
        let back: Content = serde_json::from_str(&json).unwrap();
        assert_eq!(back, content);
        assert!(serde_json::from_str::<Content>(r#"{"items":[]}"#).is_err());
        assert!(
            serde_json::from_str::<Content>(r#"{"items":[{"anchor":"A","texts":{"EN":"a"}}]}"#)
                .is_err()
        );
    }

    #[test]
    fn content_hashes_parse_only_in_lower_case_hex_of_the_right_length() {
        let hash = ContentHash::of(b"");
        assert_eq!(
            hash.as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(ContentHash::parse(hash.as_str()).unwrap(), hash);
        assert!(ContentHash::parse(&hash.as_str().to_uppercase()).is_err());
        assert!(ContentHash::parse(&hash.as_str()[1..]).is_err());
        assert!(ContentHash::parse(&format!("{}0", hash.as_str())).is_err());
        assert!(ContentHash::parse(&"g".repeat(64)).is_err());
    }
}
