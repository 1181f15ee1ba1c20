//! The text parsers of `accord-domain`: note numbers, decision numbers,
//! session numbers, Roman numerals, note series and anchors.
//!
//! Properties, for any input string `s`:
//! - no parser panics;
//! - every parser accepts only the canonical spelling: if `parse(s)` is
//!   `Ok(x)`, then `x.to_string() == s` and `parse(&x.to_string()) == Ok(x)`;
//! - the parts agree with the whole (a note number's series and sequence
//!   rebuild it with `new`, and so on);
//! - from structured values: whatever `new` accepts, `parse(display)` gives
//!   back.

#![no_main]

use accord_domain::{
    Anchor, DecisionNumber, NoteNumber, NoteSeries, SessionNumber, parse_roman, to_roman,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u32, i32, u32, &str)| {
    let (s, sequence, year, session, prefix) = input;
    from_text(s);
    from_parts(prefix, sequence, year, session);
});

fn from_text(s: &str) {
    if let Ok(n) = NoteNumber::parse(s) {
        assert_eq!(n.to_string(), s);
        assert_eq!(NoteNumber::parse(&n.to_string()).ok(), Some(n.clone()));
        assert_eq!(
            NoteNumber::new(n.series().clone(), n.sequence()).ok(),
            Some(n)
        );
    }
    if let Ok(d) = DecisionNumber::parse(s) {
        assert_eq!(d.to_string(), s);
        assert_eq!(DecisionNumber::parse(&d.to_string()).ok(), Some(d.clone()));
        assert_eq!(
            DecisionNumber::new(d.body(), d.session(), d.sequence()).ok(),
            Some(d.clone())
        );
        assert_eq!(d.year(), d.session().year());
    }
    if let Ok(session) = SessionNumber::parse(s) {
        assert_eq!(session.to_string(), s);
        assert_eq!(
            SessionNumber::parse(&session.to_string()).ok(),
            Some(session)
        );
        assert_eq!(
            SessionNumber::new(session.year(), session.session()).ok(),
            Some(session)
        );
    }
    if let Ok(n) = parse_roman(s) {
        assert!((1..=3999).contains(&n));
        assert_eq!(to_roman(n).ok().as_deref(), Some(s));
    }
    if let Ok(series) = NoteSeries::parse(s) {
        assert_eq!(series.as_str(), s);
    }
    if let Ok(anchor) = Anchor::parse(s) {
        assert_eq!(anchor.as_str(), s);
        assert_eq!(Anchor::parse(&anchor.to_string()).ok(), Some(anchor));
    }
}

fn from_parts(prefix: &str, sequence: u32, year: i32, session: u32) {
    if let Ok(roman) = to_roman(session) {
        assert_eq!(parse_roman(&roman).ok(), Some(session));
    }
    if let Ok(series) = NoteSeries::parse(prefix)
        && let Ok(n) = NoteNumber::new(series, sequence)
    {
        assert_eq!(NoteNumber::parse(&n.to_string()).ok(), Some(n));
    }
    if let Ok(s) = SessionNumber::new(year, session) {
        assert_eq!(SessionNumber::parse(&s.to_string()).ok(), Some(s));
        if let Ok(d) = DecisionNumber::new(prefix, s, sequence) {
            assert_eq!(DecisionNumber::parse(&d.to_string()).ok(), Some(d));
        }
    }
}
