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
/// RU, KK, ZH. Texts are normalised on the way in: CRLF and lone CR line
/// endings become LF, and whitespace at the end of the whole text is removed.
/// Leading whitespace and inner spacing are kept, and no Unicode (NFC)
/// normalisation is applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<Lang, String>")]
pub struct Texts(BTreeMap<Lang, String>);

impl Texts {
    /// Builds texts from `(language, text)` pairs, rejecting an empty list, a
    /// repeated language, and a text that is empty or only whitespace.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Lang, String)>) -> Result<Texts> {
        let mut map = BTreeMap::new();
        for (lang, text) in pairs {
            let text = normalise(&text);
            if text.trim().is_empty() {
                return Err(DomainError::Empty {
                    field: format!("the {lang} text"),
                });
            }
            check_characters(&format!("the {lang} text"), &text)?;
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
        Texts::from_pairs(map)
    }
}

/// Turns CRLF and lone CR into LF and drops whitespace at the very end.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_owned()
}

/// Checks a required free-text field and returns it trimmed.
///
/// `field` names the field in the error ("reason must not be empty", "body is
/// longer than 20000 characters"); the length is counted in characters after
/// trimming.
pub fn non_blank(field: &str, value: &str, max_chars: usize) -> Result<String> {
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
    check_characters(field, trimmed)?;
    Ok(trimmed.to_owned())
}

/// Refuses the NUL character: it has no place in a text and PostgreSQL
/// cannot store it. (Other control characters are kept, and escaped in the
/// canonical form.)
fn check_characters(field: &str, text: &str) -> Result<()> {
    match text.chars().find(|c| *c == '\0') {
        Some(c) => Err(DomainError::Invalid {
            what: "text",
            value: field.to_owned(),
            reason: format!("it contains the control character U+{:04X}", u32::from(c)),
        }),
        None => Ok(()),
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
        let t = texts(&[(Lang::En, "  one\r\ntwo\rthree  \r\n\t ")]).unwrap();
        assert_eq!(t.get(Lang::En), Some("  one\ntwo\nthree"));
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
