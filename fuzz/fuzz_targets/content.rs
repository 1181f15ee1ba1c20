//! Content canonicalisation from structured input: items built through
//! `Anchor::parse`, `Texts::from_pairs` and `Content::new`, as the engine
//! builds them.
//!
//! Properties, for every content `Content::new` accepts:
//! - `canonical_bytes` is valid JSON of the documented shape
//!   (`{"items":[{"anchor":…,"texts":{LANG:…}}]}`, languages in the order
//!   EN, RU, KK, ZH, texts as stored) and has no insignificant whitespace;
//! - it is deterministic: building the same items again gives the same bytes
//!   and hash;
//! - the hash is the SHA-256 of those bytes, as 64 lower-case hex digits;
//! - the content deserialised from its own canonical JSON is equal, with the
//!   same canonical bytes and the same hash;
//! - normalisation is idempotent: the stored texts, fed to
//!   `Texts::from_pairs` again, come back unchanged.

#![no_main]

use accord_domain::{Anchor, Content, ContentHash, Item, Lang, Texts};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|input: Vec<(&str, Vec<(u8, String)>)>| {
    let mut items = Vec::new();
    for (i, (anchor, texts)) in input.into_iter().enumerate() {
        // An invalid anchor is replaced, so that most inputs reach the
        // canonical form; `Anchor::parse` itself is fuzzed in `numbers`.
        let anchor = match Anchor::parse(anchor) {
            Ok(anchor) => anchor,
            Err(_) => match Anchor::parse(&format!("item-{i}")) {
                Ok(anchor) => anchor,
                Err(e) => panic!("a generated anchor is refused: {e}"),
            },
        };
        let pairs = texts
            .into_iter()
            .map(|(lang, text)| (Lang::ALL[usize::from(lang) % Lang::ALL.len()], text));
        let Ok(texts) = Texts::from_pairs(pairs) else {
            continue;
        };
        // Idempotent normalisation.
        let again = Texts::from_pairs(texts.iter().map(|(l, t)| (l, t.to_owned())));
        assert_eq!(again.as_ref().ok(), Some(&texts));
        items.push(Item { anchor, texts });
    }
    let Ok(content) = Content::new(items.clone()) else {
        return;
    };
    check(&content);
    let again = match Content::new(items) {
        Ok(again) => again,
        Err(e) => panic!("the same items were refused the second time: {e}"),
    };
    assert_eq!(again.canonical_bytes(), content.canonical_bytes());
    assert_eq!(again.hash(), content.hash());
});

fn check(content: &Content) {
    let bytes = content.canonical_bytes();
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(e) => panic!("canonical bytes are not JSON: {e}"),
    };
    // Compact: serde_json's own compact writing of the parsed value has the
    // same length (key order aside, which the checks below pin).
    assert_eq!(
        serde_json::to_vec(&value).map(|v| v.len()).ok(),
        Some(bytes.len())
    );
    let Some(object) = value.as_object() else {
        panic!("the canonical form is not an object");
    };
    assert_eq!(object.len(), 1);
    let Some(items) = object.get("items").and_then(Value::as_array) else {
        panic!("no items array");
    };
    assert_eq!(items.len(), content.items().len());
    for (json, item) in items.iter().zip(content.items()) {
        assert_eq!(json["anchor"].as_str(), Some(item.anchor.as_str()));
        let Some(texts) = json["texts"].as_object() else {
            panic!("no texts object");
        };
        assert_eq!(texts.len(), item.texts.iter().count());
        for (lang, text) in item.texts.iter() {
            assert_eq!(texts.get(lang.as_str()).and_then(Value::as_str), Some(text));
        }
    }
    // Key order within the bytes: anchor before texts, languages EN, RU, KK, ZH.
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => panic!("canonical bytes are not UTF-8: {e}"),
    };
    assert!(text.starts_with("{\"items\":["));
    assert!(text.ends_with("]}"));
    for item in content.items() {
        let mut expected = format!(
            "{{\"anchor\":{},\"texts\":{{",
            json_string(item.anchor.as_str())
        );
        let texts: Vec<String> = item
            .texts
            .iter()
            .map(|(lang, t)| format!("{}:{}", json_string(lang.as_str()), json_string(t)))
            .collect();
        expected.push_str(&texts.join(","));
        expected.push_str("}}");
        assert!(
            text.contains(&expected),
            "item {} is not written canonically",
            item.anchor
        );
    }
    // The hash is the SHA-256 of the bytes, in the documented spelling.
    let hash = content.hash();
    assert_eq!(hash, ContentHash::of(&bytes));
    assert_eq!(ContentHash::parse(hash.as_str()).ok(), Some(hash.clone()));
    // Built from its own canonical JSON, the content is the same.
    let back: Content = match serde_json::from_slice(&bytes) {
        Ok(back) => back,
        Err(e) => panic!("the canonical JSON does not deserialise: {e}"),
    };
    assert_eq!(&back, content);
    assert_eq!(back.canonical_bytes(), bytes);
    assert_eq!(back.hash(), hash);
}

fn json_string(s: &str) -> String {
    match serde_json::to_string(s) {
        Ok(s) => s,
        Err(e) => panic!("a string cannot be written as JSON: {e}"),
    }
}
