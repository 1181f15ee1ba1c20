//! Decisions as printed: the body and the number as a heading, the place
//! and date, the title and the text, in one language, laid out as plain
//! text or as an HTML document that prints on A4 in the style of the notes
//! verbales (`note::render`).
//!
//! A decision is printed in a language only when every text it carries
//! (the body's name, its title, its text) exists in it: a printed decision
//! never mixes two languages. Everything here is pure.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::note::{escape, format_date, inline_html, lines_html_str, paragraphs_of, place_in};
use crate::{DomainError, Lang, RenderFormat, Result, Texts};

/// Everything a decision's printed text is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFacts {
    /// The number, e.g. `SOC/2024-II/DEC/3`.
    pub number: String,
    /// The deciding body's name per language ("Senior Officials Committee").
    pub body: Texts,
    /// The date it was taken.
    pub date: NaiveDate,
    /// Where it was taken, e.g. `Astana`.
    pub place: String,
    /// The title per language, when it has one.
    pub title: Option<Texts>,
    /// The text per language, when it has one; paragraphs are separated
    /// by blank lines.
    pub text: Option<Texts>,
}

impl DecisionFacts {
    /// What the decision lacks to be printed in `lang`, if anything.
    pub fn missing_in(&self, lang: Lang) -> Option<String> {
        let lacks = |texts: &Texts| texts.get(lang).is_none();
        let mut missing = Vec::new();
        if lacks(&self.body) {
            missing.push("the name of its body");
        }
        if self.title.as_ref().is_some_and(lacks) {
            missing.push("its title");
        }
        if self.text.as_ref().is_some_and(lacks) {
            missing.push("its text");
        }
        (!missing.is_empty()).then(|| {
            let available: Vec<&str> = Lang::ALL
                .into_iter()
                .filter(|l| self.prints_in(*l))
                .map(|l| l.as_str())
                .collect();
            let available = if available.is_empty() {
                "no language".to_owned()
            } else {
                available.join(", ")
            };
            format!(
                "decision {} has no {lang} text for {}; it can be printed in {available}",
                self.number,
                missing.join(" and ")
            )
        })
    }

    /// Whether every text exists in `lang`.
    fn prints_in(&self, lang: Lang) -> bool {
        let has = |texts: &Texts| texts.get(lang).is_some();
        has(&self.body) && self.title.as_ref().is_none_or(has) && self.text.as_ref().is_none_or(has)
    }
}

/// A decision's text in one language, ready to be laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionText {
    /// The language.
    pub lang: Lang,
    /// The deciding body, upper case: `SENIOR OFFICIALS COMMITTEE`.
    pub body: String,
    /// The number line: `DECISION No. SOC/2024-II/DEC/3`.
    pub number_line: String,
    /// The place and date: `Astana, 27 June 2024`.
    pub place_date: String,
    /// The title, when the decision has one.
    pub title: Option<String>,
    /// The paragraphs of the text.
    pub paragraphs: Vec<String>,
}

/// Builds a decision's text in `lang`; a text missing in `lang` is an
/// error naming it.
pub fn compose_decision(facts: &DecisionFacts, lang: Lang) -> Result<DecisionText> {
    if let Some(missing) = facts.missing_in(lang) {
        return Err(DomainError::Invalid {
            what: "language of a decision",
            value: lang.to_string(),
            reason: missing,
        });
    }
    // Every text below exists in `lang` (checked above).
    let in_lang = |texts: &Texts| texts.get(lang).unwrap_or_default().to_owned();
    let number_line = match lang {
        Lang::En => format!("DECISION No. {}", facts.number),
        Lang::Ru => format!("РЕШЕНИЕ № {}", facts.number),
        Lang::Kk => format!("№ {} ШЕШІМ", facts.number),
        Lang::Zh => format!("第 {} 号决定", facts.number),
    };
    Ok(DecisionText {
        lang,
        body: in_lang(&facts.body).to_uppercase(),
        number_line,
        place_date: format!(
            "{}, {}",
            place_in(lang, &facts.place),
            format_date(lang, facts.date)
        ),
        title: facts.title.as_ref().map(in_lang),
        paragraphs: facts
            .text
            .as_ref()
            .map(|text| paragraphs_of(&in_lang(text)))
            .unwrap_or_default(),
    })
}

/// Lays a composed decision out in `format`.
pub fn render_decision(text: &DecisionText, format: RenderFormat) -> String {
    match format {
        RenderFormat::Text => crate::printable(&decision_text(text)).into_owned(),
        RenderFormat::Html => decision_html(text),
    }
}

fn decision_text(t: &DecisionText) -> String {
    let mut blocks = vec![t.body.clone(), t.number_line.clone(), t.place_date.clone()];
    blocks.extend(t.title.iter().cloned());
    blocks.extend(t.paragraphs.iter().map(|p| crate::plain(p).into_owned()));
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// The print stylesheet of decisions and signature copies: the notes'
/// page, face and sizes (`note::render`), and their own blocks.
pub(crate) const STYLE: &str = "\
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
html { background: #eee; }
body { margin: 0; font-family: 'Times New Roman', Times, serif; font-size: 14pt; line-height: 1.35; color: #000; }
.document { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 20mm 15mm 20mm 30mm; background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.2); }
.body-name, .number, .title { text-align: center; font-weight: bold; margin: 0 0 1em; }
.place-date { display: flex; justify-content: space-between; margin: 0 0 1.5em; }
.text p { text-align: justify; text-indent: 1.25cm; margin: 0 0 0.8em; }
.signatories { display: flex; justify-content: space-between; gap: 10mm; margin: 0 0 2em; }
.signatory { flex: 1; }
.signatory .approved { font-weight: bold; margin: 0 0 1.5em; }
.signatory .line { border-bottom: 1px solid #000; height: 1.5em; margin: 0 0 0.3em; }
.signatory .name { font-weight: bold; margin: 0 0 0.3em; }
.signatory .designation, .signatory .signed { margin: 0 0 0.3em; }
.signatory .signed { font-style: italic; }
.items p { text-align: justify; margin: 0 0 0.8em; }
.items .label { display: inline-block; min-width: 1.25cm; }
.agreed { font-size: 10pt; margin-top: 2em; border-top: 1px solid #000; padding-top: 0.5em; }
@media print {
  html { background: none; }
  .document { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  p { orphans: 3; widows: 3; }
  .signatories { break-inside: avoid; page-break-inside: avoid; }
}
";

/// The start of an HTML document in `lang` titled `title`.
pub(crate) fn html_head(out: &mut String, lang: Lang, title: &str) {
    let lang = lang.as_str().to_lowercase();
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(out, "<html lang=\"{lang}\">");
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = write!(out, "<style>\n{STYLE}</style>\n</head>\n<body>\n");
}

fn decision_html(t: &DecisionText) -> String {
    let mut out = String::with_capacity(4096);
    html_head(&mut out, t.lang, &t.number_line);
    out.push_str("<article class=\"document decision\">\n<header>\n");
    let _ = writeln!(out, "<p class=\"body-name\">{}</p>", escape(&t.body));
    let _ = writeln!(out, "<p class=\"number\">{}</p>", escape(&t.number_line));
    let _ = writeln!(out, "<p class=\"place-date\">{}</p>", escape(&t.place_date));
    if let Some(title) = &t.title {
        let _ = writeln!(out, "<h1 class=\"title\">{}</h1>", lines_html_str(title));
    }
    out.push_str("</header>\n<section class=\"text\">\n");
    for paragraph in &t.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", inline_html(paragraph));
    }
    out.push_str("</section>\n</article>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(Lang, &str)]) -> Texts {
        Texts::from_pairs(pairs.iter().map(|(l, t)| (*l, (*t).to_owned()))).unwrap()
    }

    fn facts() -> DecisionFacts {
        DecisionFacts {
            number: "SOC/2024-II/DEC/3".into(),
            body: texts(&[
                (Lang::En, "Senior Officials Committee"),
                (Lang::Ru, "Комитет старших должностных лиц"),
                (Lang::Kk, "Аға лауазымды тұлғалар комитеті"),
            ]),
            date: NaiveDate::from_ymd_opt(2024, 6, 27).unwrap(),
            place: "Astana".into(),
            title: Some(texts(&[
                (Lang::En, "On the Action Plan"),
                (Lang::Ru, "О Плане мероприятий"),
                (Lang::Kk, "Іс-шаралар жоспары туралы"),
            ])),
            text: Some(texts(&[
                (
                    Lang::En,
                    "The SOC agrees the text.\n\nIt recommends it for signature.",
                ),
                (Lang::Ru, "КСДЛ согласовывает текст."),
                (Lang::Kk, "АЛТК мәтінді келіседі."),
            ])),
        }
    }

    #[test]
    fn a_decision_prints_its_body_number_place_date_title_and_text_in_english() {
        let text = compose_decision(&facts(), Lang::En).unwrap();
        assert_eq!(
            render_decision(&text, RenderFormat::Text),
            "SENIOR OFFICIALS COMMITTEE\n\nDECISION No. SOC/2024-II/DEC/3\n\nAstana, 27 June 2024\n\nOn the Action Plan\n\nThe SOC agrees the text.\n\nIt recommends it for signature.\n"
        );
    }

    #[test]
    fn a_decision_prints_in_russian_and_kazakh_with_their_dates_and_words() {
        let ru = render_decision(
            &compose_decision(&facts(), Lang::Ru).unwrap(),
            RenderFormat::Text,
        );
        assert!(ru.starts_with("КОМИТЕТ СТАРШИХ ДОЛЖНОСТНЫХ ЛИЦ\n\nРЕШЕНИЕ № SOC/2024-II/DEC/3\n\nАстана, 27 июня 2024 года\n\nО Плане мероприятий"));
        let kk = render_decision(
            &compose_decision(&facts(), Lang::Kk).unwrap(),
            RenderFormat::Text,
        );
        assert!(kk.contains("АҒА ЛАУАЗЫМДЫ ТҰЛҒАЛАР КОМИТЕТІ"));
        assert!(kk.contains("№ SOC/2024-II/DEC/3 ШЕШІМ"));
        assert!(kk.contains("Астана, 2024 жылғы 27 маусым"));
        assert!(kk.contains("АЛТК мәтінді келіседі."));
    }

    #[test]
    fn a_decision_lacking_a_text_in_a_language_is_refused_naming_what_is_missing() {
        let mut facts = facts();
        facts.text = Some(texts(&[(Lang::En, "Only English.")]));
        let error = compose_decision(&facts, Lang::Ru).unwrap_err().to_string();
        assert!(
            error.contains(
                "decision SOC/2024-II/DEC/3 has no RU text for its text; it can be printed in EN"
            ),
            "{error}"
        );
        let error = compose_decision(&facts, Lang::Zh).unwrap_err().to_string();
        assert!(
            error.contains("no ZH text for the name of its body and its title and its text"),
            "{error}"
        );
    }

    #[test]
    fn the_html_is_a_whole_escaped_a4_document() {
        let mut facts = facts();
        facts.title = Some(texts(&[(Lang::En, "On <script> & co")]));
        let html = render_decision(
            &compose_decision(&facts, Lang::En).unwrap(),
            RenderFormat::Html,
        );
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("@page { size: A4;"));
        assert!(html.contains("<h1 class=\"title\">On &lt;script&gt; &amp; co</h1>"));
        assert!(html.contains("<p class=\"number\">DECISION No. SOC/2024-II/DEC/3</p>"));
        assert!(!html.contains("<script>"));
    }
}
