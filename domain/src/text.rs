//! Languages and multilingual texts, and the checks every free-text input
//! goes through.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

string_enum! {
    /// A working language. Declaration order is the fixed order texts are
    /// listed, stored and hashed in: EN, RU, KK, ZH.
    pub enum Lang ("language") {
        /// English (authentic).
        En => "EN",
        /// Russian (authentic).
        Ru => "RU",
        /// Kazakh.
        Kk => "KK",
        /// Chinese.
        Zh => "ZH",
    }
}

/// One text in one language, as it arrives from or leaves the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// The language of the text.
    pub lang: Lang,
    /// The text itself.
    pub text: String,
}

impl From<LocalizedText> for (Lang, String) {
    fn from(value: LocalizedText) -> Self {
        (value.lang, value.text)
    }
}

/// The same text in one or more languages (an item's text, a draft's title).
///
/// Never empty; each language at most once; languages kept in the order EN,
/// RU, KK, ZH. Texts are normalised on the way in: CRLF line endings become
/// LF, and whitespace at the end of the whole text is removed; the
/// characters are checked by [`check_characters`] (multi-line).
/// Leading whitespace and inner spacing are kept, and no Unicode (NFC)
/// normalisation is applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<Lang, String>")]
pub struct Texts(BTreeMap<Lang, String>);

impl Texts {
    /// Builds texts from `(language, text)` pairs, rejecting an empty list, a
    /// repeated language, and a text that is empty or only whitespace.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Lang, String)>) -> Result<Texts> {
        Texts::build(pairs, true)
    }

    /// Reads texts as stored. The same rules as [`Texts::from_pairs`] but
    /// the characters': a text stored before the character rule still
    /// reads (and hashes) as it was stored.
    fn from_stored(pairs: impl IntoIterator<Item = (Lang, String)>) -> Result<Texts> {
        Texts::build(pairs, false)
    }

    fn build(pairs: impl IntoIterator<Item = (Lang, String)>, check: bool) -> Result<Texts> {
        let mut map = BTreeMap::new();
        for (lang, text) in pairs {
            // Checked before trimming: a control character that is also
            // white space (U+0085) is refused, not silently dropped.
            let text = text.replace("\r\n", "\n");
            if check {
                check_characters(&format!("the {lang} text"), &text, Lines::Many)?;
            }
            let text = text.trim_end().to_owned();
            if text.trim().is_empty() {
                return Err(DomainError::Empty {
                    field: format!("the {lang} text"),
                });
            }
            if map.insert(lang, text).is_some() {
                return Err(DomainError::Duplicate {
                    what: "language",
                    value: lang.to_string(),
                });
            }
        }
        if map.is_empty() {
            return Err(DomainError::Empty {
                field: "the list of texts".into(),
            });
        }
        Ok(Texts(map))
    }

    /// The text in `lang`, if there is one.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0.get(&lang).map(String::as_str)
    }

    /// Every `(language, text)`, in language order.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.0.iter().map(|(lang, text)| (*lang, text.as_str()))
    }

    /// The languages present, in language order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.0.keys().copied()
    }

    /// The text in the first language present (EN if there is one).
    pub fn first(&self) -> &str {
        // `from_pairs` never builds an empty map, so the fallback is unused.
        self.0.values().next().map_or("", String::as_str)
    }

    /// The text to show a reader who asked for `lang`: that language if
    /// present, else English, else the first language present.
    pub fn pick(&self, lang: Option<Lang>) -> Option<&str> {
        lang.and_then(|lang| self.get(lang))
            .or_else(|| self.get(Lang::En))
            .or_else(|| self.0.values().next().map(String::as_str))
    }

    /// The texts as `LocalizedText`s, in language order.
    pub fn to_localized(&self) -> Vec<LocalizedText> {
        self.iter()
            .map(|(lang, text)| LocalizedText {
                lang,
                text: text.to_owned(),
            })
            .collect()
    }
}

impl TryFrom<BTreeMap<Lang, String>> for Texts {
    type Error = DomainError;

    fn try_from(map: BTreeMap<Lang, String>) -> Result<Texts> {
        Texts::from_stored(map)
    }
}

/// Checks a required free-text field that may span lines (a body, a reason,
/// remarks) and returns it trimmed, CRLF line endings turned into LF.
///
/// `field` names the field in the error ("reason must not be empty", "body is
/// longer than 20000 characters"); the length is counted in characters after
/// trimming. The characters are checked by [`check_characters`].
pub fn non_blank(field: &str, value: &str, max_chars: usize) -> Result<String> {
    checked(field, &value.replace("\r\n", "\n"), max_chars, Lines::Many)
}

/// Checks a required free-text field of one line (a name, a venue, a
/// title, a label, a file name) and returns it trimmed: as [`non_blank`],
/// but a line break or a tab is refused too.
pub fn one_line(field: &str, value: &str, max_chars: usize) -> Result<String> {
    checked(field, value, max_chars, Lines::One)
}

fn checked(field: &str, value: &str, max_chars: usize, lines: Lines) -> Result<String> {
    // Checked before trimming, as in `Texts::from_pairs`.
    check_characters(field, value, lines)?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::Empty {
            field: field.to_owned(),
        });
    }
    if trimmed.chars().count() > max_chars {
        return Err(DomainError::TooLong {
            field: field.to_owned(),
            max: max_chars,
        });
    }
    Ok(trimmed.to_owned())
}

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: no line break, no tab.
    One,
    /// Several lines: LF and TAB are allowed.
    Many,
}

/// The one rule for the characters of every free-text input: no control
/// character (C0, DEL, C1: they have no place in a document, PostgreSQL
/// cannot store NUL, and a bare CR breaks line-based formats such as
/// iCalendar), except LF and TAB in a multi-line text; and no Unicode
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069), which
/// make a text display as something other than it is
/// (`report\u{202E}txt.exe`).
pub fn check_characters(field: &str, text: &str, lines: Lines) -> Result<()> {
    let allowed = |c: char| lines == Lines::Many && (c == '\n' || c == '\t');
    match text
        .chars()
        .find(|&c| (c.is_control() && !allowed(c)) || is_bidi_control(c))
    {
        Some(c) => Err(DomainError::Invalid {
            what: "text",
            value: field.to_owned(),
            reason: format!(
                "it contains the {} U+{:04X}, which is not allowed{}",
                if is_bidi_control(c) {
                    "bidirectional control character"
                } else {
                    "control character"
                },
                u32::from(c),
                match (lines, c) {
                    (Lines::One, '\n' | '\t') => " in a one-line text",
                    _ => "",
                }
            ),
        }),
        None => Ok(()),
    }
}

/// The Unicode bidirectional embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A stored text made safe for an output format that has no escape for
/// control characters (iCalendar, HTTP headers, plain-text logs): every
/// control character other than LF, and every bidirectional control, is
/// replaced by U+FFFD. Inputs are checked on the way in; this guards the
/// way out against anything stored before the rule or by another writer.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if text.chars().any(bad) {
        text.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_with_a_nul_character_is_rejected() {
        assert!(Texts::from_pairs([(Lang::En, "a\u{0}b".to_owned())]).is_err());
        assert!(non_blank("body", "nul\u{0}", 100).is_err());
        assert!(non_blank("body", "line\nand\ttab", 100).is_ok());
    }

    /// Every C0 control but LF and TAB, DEL, every C1 control, and every
    /// bidirectional control, in any position.
    fn hostile() -> impl Iterator<Item = char> {
        ('\u{0}'..='\u{1F}')
            .filter(|c| !matches!(c, '\n' | '\t'))
            .chain('\u{7F}'..='\u{9F}')
            .chain('\u{202A}'..='\u{202E}')
            .chain('\u{2066}'..='\u{2069}')
    }

    #[test]
    fn control_and_bidi_characters_are_refused_everywhere() {
        for c in hostile() {
            for text in [format!("{c}a"), format!("a{c}b"), format!("venue{c}")] {
                assert!(non_blank("body", &text, 100).is_err(), "{c:?} in {text:?}");
                assert!(one_line("venue", &text, 100).is_err(), "{c:?} in {text:?}");
                assert!(
                    Texts::from_pairs([(Lang::En, text.clone())]).is_err(),
                    "{c:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn the_error_names_the_field_and_the_character() {
        assert_eq!(
            one_line("venue", "Astana\rEND:VEVENT", 100)
                .unwrap_err()
                .to_string(),
            "invalid text \"venue\": it contains the control character U+000D, which is not allowed"
        );
        assert_eq!(
            one_line("file name", "report\u{202E}txt.exe", 100)
                .unwrap_err()
                .to_string(),
            "invalid text \"file name\": it contains the bidirectional control character U+202E, which is not allowed"
        );
        assert!(
            one_line("venue", "two\nlines", 100)
                .unwrap_err()
                .to_string()
                .ends_with("U+000A, which is not allowed in a one-line text")
        );
    }

    #[test]
    fn line_breaks_and_tabs_are_kept_in_multi_line_texts_only() {
        assert_eq!(non_blank("body", "a\r\nb\tc", 100).unwrap(), "a\nb\tc");
        assert!(one_line("venue", "a\tb", 100).is_err());
        assert_eq!(
            one_line("venue", "  Astana, Kazakhstan ", 100).unwrap(),
            "Astana, Kazakhstan"
        );
        // Other format characters are ordinary text (ZWJ in scripts, the
        // left-to-right and right-to-left marks in mixed-direction names).
        assert!(one_line("name", "\u{200D}\u{200E}\u{200F}x", 100).is_ok());
    }

    #[test]
    fn printable_replaces_what_no_format_can_carry() {
        assert_eq!(printable("plain\ntext"), "plain\ntext");
        assert_eq!(
            printable("a\rEND\u{202E}b\u{0}"),
            "a\u{FFFD}END\u{FFFD}b\u{FFFD}"
        );
    }

    fn texts(pairs: &[(Lang, &str)]) -> Result<Texts> {
        Texts::from_pairs(pairs.iter().map(|(l, t)| (*l, (*t).to_owned())))
    }

    #[test]
    fn languages_sort_in_the_fixed_order_en_ru_kk_zh() {
        let mut langs = vec![Lang::Zh, Lang::Kk, Lang::Ru, Lang::En];
        langs.sort();
        assert_eq!(langs, Lang::ALL);
        assert_eq!(Lang::ALL.map(|l| l.as_str()), ["EN", "RU", "KK", "ZH"]);
    }

    #[test]
    fn an_unknown_language_is_rejected_with_the_accepted_list() {
        let error = "FR".parse::<Lang>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown language \"FR\"; expected one of EN, RU, KK, ZH"
        );
    }

    #[test]
    fn texts_are_kept_in_language_order_whatever_the_input_order() {
        let t = texts(&[
            (Lang::Zh, "中文"),
            (Lang::Ru, "Русский"),
            (Lang::En, "English"),
        ])
        .unwrap();
        assert_eq!(
            t.langs().collect::<Vec<_>>(),
            [Lang::En, Lang::Ru, Lang::Zh]
        );
        assert_eq!(t.first(), "English");
        assert_eq!(t.get(Lang::Ru), Some("Русский"));
        assert_eq!(t.get(Lang::Kk), None);
    }

    #[test]
    fn line_endings_are_normalised_and_trailing_whitespace_dropped() {
        let t = texts(&[(Lang::En, "  one\r\ntwo\nthree  \r\n\t ")]).unwrap();
        assert_eq!(t.get(Lang::En), Some("  one\ntwo\nthree"));
        assert!(texts(&[(Lang::En, "lone\rcarriage return")]).is_err());
    }

    #[test]
    fn a_repeated_language_is_rejected() {
        let error = texts(&[(Lang::En, "a"), (Lang::En, "b")]).unwrap_err();
        assert_eq!(error.to_string(), "duplicate language \"EN\"");
    }

    #[test]
    fn an_empty_list_of_texts_is_rejected() {
        assert_eq!(
            texts(&[]).unwrap_err().to_string(),
            "the list of texts must not be empty"
        );
    }

    #[test]
    fn a_blank_text_is_rejected() {
        let error = texts(&[(Lang::En, "ok"), (Lang::Ru, " \r\n ")]).unwrap_err();
        assert_eq!(error.to_string(), "the RU text must not be empty");
    }

    #[test]
    fn pick_prefers_the_asked_language_then_english_then_the_first() {
        let t = texts(&[(Lang::En, "en"), (Lang::Ru, "ru")]).unwrap();
        assert_eq!(t.pick(Some(Lang::Ru)), Some("ru"));
        assert_eq!(t.pick(Some(Lang::Zh)), Some("en"));
        assert_eq!(t.pick(None), Some("en"));
        let t = texts(&[(Lang::Zh, "zh"), (Lang::Kk, "kk")]).unwrap();
        assert_eq!(t.pick(Some(Lang::Ru)), Some("kk"));
    }

    #[test]
    fn stored_texts_read_as_stored_whatever_their_characters() {
        let t: Texts = serde_json::from_str(r#"{"EN":"old\u0001text"}"#).unwrap();
        assert_eq!(t.get(Lang::En), Some("old\u{1}text"));
    }

    #[test]
    fn texts_deserialise_through_the_same_checks() {
        let t: Texts = serde_json::from_str(r#"{"RU":"б","EN":"a\r\n"}"#).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"EN":"a","RU":"б"}"#);
        assert!(serde_json::from_str::<Texts>("{}").is_err());
        assert!(serde_json::from_str::<Texts>(r#"{"EN":" "}"#).is_err());
    }

    #[test]
    fn localized_texts_convert_both_ways() {
        let input = vec![LocalizedText {
            lang: Lang::Kk,
            text: "қазақша".into(),
        }];
        let t = Texts::from_pairs(input.clone().into_iter().map(Into::into)).unwrap();
        assert_eq!(t.to_localized(), input);
    }

    #[test]
    fn non_blank_returns_the_trimmed_value() {
        assert_eq!(non_blank("reason", "  late  ", 10).unwrap(), "late");
    }

    #[test]
    fn non_blank_rejects_an_empty_value_naming_the_field() {
        assert_eq!(
            non_blank("reason", " \n ", 10).unwrap_err().to_string(),
            "reason must not be empty"
        );
    }

    #[test]
    fn non_blank_rejects_a_long_value_naming_the_field_and_limit() {
        let body = "ж".repeat(20_001);
        assert_eq!(
            non_blank("body", &body, 20_000).unwrap_err().to_string(),
            "body is longer than 20000 characters"
        );
        assert!(non_blank("body", &"ж".repeat(20_000), 20_000).is_ok());
    }
}
