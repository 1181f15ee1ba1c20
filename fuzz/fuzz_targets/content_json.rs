//! Content from untrusted JSON (`Content`'s `Deserialize` goes through
//! `Content::new`): never panics, and whatever is accepted has a canonical
//! form that is a fixed point — deserialising it gives the same content,
//! the same bytes and the same hash.

#![no_main]

use accord_domain::{Content, ContentHash};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(content) = serde_json::from_slice::<Content>(data) else {
        return;
    };
    let bytes = content.canonical_bytes();
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok());
    assert_eq!(content.hash(), ContentHash::of(&bytes));
    let back = match serde_json::from_slice::<Content>(&bytes) {
        Ok(back) => back,
        Err(e) => panic!("the canonical JSON does not deserialise: {e}"),
    };
    assert_eq!(back, content);
    assert_eq!(back.canonical_bytes(), bytes);
    assert_eq!(back.hash(), content.hash());
});
