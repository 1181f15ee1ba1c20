//! Emphasis in the body of a note or a decision: the one inline mark the
//! Secretariat's texts use, the italics of a cited title (SOC/19: "according
//! to the *General guidelines for conducting events …* adopted by the SOC").
//!
//! The mark is the asterisk pair of the seeds' own text: `*` opens a run
//! when a non-space follows it and a later `*` with a non-space before it
//! closes it, within one paragraph; `\*` is an asterisk; any other asterisk
//! is itself ("items marked * are …"). Nothing else is markup, so a note's
//! text never changes meaning by being rendered. (A Markdown parser would
//! also read a line starting with "1." or "-" as a list, which the bodies
//! of notes are full of, as plain paragraphs.)

use std::borrow::Cow;

/// A piece of a paragraph, set in italics or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text, without marks.
    pub text: String,
    /// Whether it is set in italics.
    pub emphasis: bool,
}

/// `text` cut into runs at its marks; adjacent runs differ in emphasis and
/// none is empty.
pub fn runs(text: &str) -> Vec<Run> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Run> = Vec::new();
    let mut push = |text: &str, emphasis: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.emphasis == emphasis => last.text.push_str(text),
            _ => out.push(Run {
                text: text.to_owned(),
                emphasis,
            }),
        }
    };
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1) == Some(&'*') => {
                plain.push('*');
                i += 2;
            }
            '*' => match closer(&chars, i) {
                Some(end) => {
                    push(&plain, false);
                    plain.clear();
                    let inner = unescape(&chars[i + 1..end]);
                    push(&inner, true);
                    i = end + 1;
                }
                None => {
                    plain.push('*');
                    i += 1;
                }
            },
            c => {
                plain.push(c);
                i += 1;
            }
        }
    }
    push(&plain, false);
    out
}

/// `text` without its marks: what plain text and searching see.
pub fn plain(text: &str) -> Cow<'_, str> {
    if !text.contains('*') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(runs(text).into_iter().map(|r| r.text).collect())
}

/// Where the run opened by the asterisk at `open` closes, if it does: the
/// next unescaped asterisk with a non-space before it, when a non-space
/// follows the opening one and no blank line comes between.
fn closer(chars: &[char], open: usize) -> Option<usize> {
    let first = *chars.get(open + 1)?;
    if first.is_whitespace() || first == '*' {
        return None;
    }
    let mut j = open + 1;
    while j < chars.len() {
        match chars[j] {
            '\\' if chars.get(j + 1) == Some(&'*') => j += 2,
            '*' if !chars[j - 1].is_whitespace() => return Some(j),
            '\n' if chars[j + 1..]
                .iter()
                .take_while(|c| **c != '\n')
                .all(|c| c.is_whitespace()) =>
            {
                return None;
            }
            _ => j += 1,
        }
    }
    None
}

fn unescape(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1) == Some(&'*') {
            out.push('*');
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        runs(text)
            .into_iter()
            .map(|r| {
                if r.emphasis {
                    format!("<{}>", r.text)
                } else {
                    r.text
                }
            })
            .collect()
    }

    #[test]
    fn a_cited_title_between_asterisks_is_set_in_italics() {
        assert_eq!(
            shown("according to the *General guidelines* adopted by the SOC"),
            "according to the <General guidelines> adopted by the SOC"
        );
        assert_eq!(
            shown("согласно *Общим руководящим принципам*, принятым"),
            "согласно <Общим руководящим принципам>, принятым"
        );
        assert_eq!(shown("*All* of it"), "<All> of it");
        assert_eq!(shown("*a* and *b*"), "<a> and <b>");
    }

    #[test]
    fn an_asterisk_that_opens_or_closes_nothing_is_an_asterisk() {
        for text in [
            "items marked * are new",
            "a * b",
            "5 * 3 = 15 *",
            "*open but never closed",
            "** nothing",
            "trailing *",
            "*",
            "",
        ] {
            assert_eq!(shown(text), text, "{text:?}");
            assert_eq!(plain(text), text);
        }
        // A space before the second asterisk does not close the run.
        assert_eq!(shown("*one *two*"), "<one *two>");
    }

    #[test]
    fn an_escaped_asterisk_is_printed_and_never_marks() {
        assert_eq!(shown(r"\*not a title\*"), "*not a title*");
        assert_eq!(shown(r"*a \* b*"), "<a * b>");
        assert_eq!(plain(r"\*x\*"), "*x*");
    }

    #[test]
    fn a_run_keeps_its_line_breaks_but_never_crosses_a_blank_line() {
        assert_eq!(shown("*one\ntwo*"), "<one\ntwo>");
        assert_eq!(shown("*one\n\ntwo*"), "*one\n\ntwo*");
        assert_eq!(shown("*one\n   \ntwo*"), "*one\n   \ntwo*");
    }

    #[test]
    fn plain_text_drops_the_marks_and_keeps_every_other_character() {
        assert_eq!(
            plain("the *General guidelines* of 2021"),
            "the General guidelines of 2021"
        );
        assert!(matches!(plain("no marks"), Cow::Borrowed(_)));
        let runs = runs("a *b* c");
        assert_eq!(runs.len(), 3);
        assert!(runs.iter().all(|r| !r.text.is_empty()));
    }
}
