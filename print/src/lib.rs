//! Accord's documents as print-ready PDF: a note verbale, a decision and a
//! signature copy, each laid out on A4 from its composed text (the same
//! `NoteText`, `DecisionText` and `SignatureCopy` the HTML and plain-text
//! renderings are made from), in the page and type of the HTML print
//! stylesheet: A4, margins of an official letter, a serif face.
//!
//! The PDF is drawn in-process by `krilla`, which shapes the text, subsets
//! the fonts and embeds them with their Unicode mapping (so the text can
//! be searched and copied). The fonts are DejaVu Serif (regular, bold,
//! italic; `fonts/`, with their licence), compiled into the binary: Latin,
//! Cyrillic and the Kazakh letters (ә ғ қ ң ө ұ ү һ і) print without any
//! font installed on the machine and without a network. Everything here is
//! pure: text in, bytes out.

mod layout;

use accord_domain::{DecisionText, Lang, NoteText, SignatureCopy};

use layout::{Block, Cell, Para};

/// Why a document could not be drawn. Neither should happen with the
/// fonts compiled in; both are internal errors to the caller.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// A compiled-in font could not be read.
    #[error("the compiled-in font {0} could not be read")]
    Font(&'static str),
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// A note verbale as a PDF: letterheads, number, opening, body,
/// enclosures, closing, place and date, addressees (as `render` lays it
/// out in HTML).
pub fn note_pdf(t: &NoteText) -> Result<Vec<u8>, PrintError> {
    let mut blocks: Vec<Block> = t
        .letterhead
        .iter()
        .map(|lines| Block::Para(Para::heading(lines.join("\n"))))
        .collect();
    blocks.push(Block::Para(Para::heading(t.number_line.clone())));
    blocks.push(Block::Para(Para::indented(t.opening.clone())));
    blocks.extend(
        t.paragraphs
            .iter()
            .cloned()
            .map(Para::body)
            .map(Block::Para),
    );
    blocks.extend(
        t.enclosures
            .iter()
            .map(|lines| Block::Para(Para::italic(lines.join("\n")))),
    );
    blocks.extend(
        t.announcements
            .iter()
            .cloned()
            .map(Para::indented)
            .map(Block::Para),
    );
    blocks.push(Block::Para(Para::indented(t.closing.clone())));
    blocks.push(Block::Para(Para::text(t.place_date.clone())));
    blocks.push(Block::Para(Para::bold(t.addressee_block.join("\n"))));
    layout::pdf(&t.number_line, t.lang, &blocks)
}

/// A decision as a PDF: its body and number, place and date, title and
/// text.
pub fn decision_pdf(t: &DecisionText) -> Result<Vec<u8>, PrintError> {
    let mut blocks = vec![
        Block::Para(Para::heading(t.body.clone())),
        Block::Para(Para::heading(t.number_line.clone())),
        Block::Para(Para::text(t.place_date.clone())),
    ];
    blocks.extend(t.title.iter().cloned().map(Para::heading).map(Block::Para));
    blocks.extend(
        t.paragraphs
            .iter()
            .cloned()
            .map(Para::body)
            .map(Block::Para),
    );
    layout::pdf(&t.number_line, t.lang, &blocks)
}

/// The signature copy as a PDF: one column per signing organisation
/// ("APPROVED", the line to sign on, the name, the title and organisation,
/// the date once signed), then the title, the agreed items and what the
/// signatures bind.
pub fn signature_copy_pdf(c: &SignatureCopy) -> Result<Vec<u8>, PrintError> {
    layout::pdf(&c.title, c.lang, &signature_copy_blocks(c))
}

fn signature_copy_blocks(c: &SignatureCopy) -> Vec<Block> {
    let columns = c
        .columns
        .iter()
        .map(|col| {
            let mut cells = vec![
                Cell::Para(Para::bold(col.approved.clone())),
                Cell::SignatureLine,
            ];
            cells.extend(col.name.iter().cloned().map(|n| Cell::Para(Para::bold(n))));
            cells.push(Cell::Para(Para::text(col.designation.join("\n"))));
            cells.extend(
                col.signed
                    .iter()
                    .cloned()
                    .map(|s| Cell::Para(Para::italic(s))),
            );
            cells
        })
        .collect();
    let mut blocks = vec![
        Block::Columns(columns),
        Block::Para(Para::heading(c.title.clone())),
    ];
    blocks.extend(c.items.iter().map(|item| {
        Block::Para(Para::text(match &item.label {
            Some(label) => format!("{label} {}", item.text),
            None => item.text.clone(),
        }))
    }));
    blocks.push(Block::Para(Para::small(c.agreed.clone())));
    blocks
}

/// The language tag a PDF declares for `lang`.
fn language_tag(lang: Lang) -> String {
    lang.as_str().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_domain::{CopyItem, RenderFormat, SignatoryColumn, render_signature_copy};

    /// The text of a PDF as a reader extracts it, without whitespace:
    /// where an extractor puts spaces and line breaks is its own guess
    /// (`pdf-extract` joins the lines of a paragraph), the letters and
    /// their order are the document's.
    fn extract(pdf: &[u8]) -> String {
        squash(&pdf_extract::extract_text_from_mem(pdf).unwrap())
    }

    fn squash(text: &str) -> String {
        text.split_whitespace().collect()
    }

    fn assert_has(text: &str, phrase: &str) {
        assert!(
            text.contains(&squash(phrase)),
            "{phrase:?} is missing from {text}"
        );
    }

    fn copy(lang: Lang, items: usize) -> SignatureCopy {
        SignatureCopy {
            lang,
            columns: vec![
                SignatoryColumn {
                    approved: "БЕКІТЕМІН".into(),
                    name: Some("Қайрат Сарыбай".into()),
                    designation: vec![
                        "Азиядағы өзара іс-қимыл және".into(),
                        "сенім шаралары кеңесінің".into(),
                        "Бас хатшысы".into(),
                    ],
                    signed: Some("2024 жылғы 4 шілдеде қол қойылды".into()),
                },
                SignatoryColumn {
                    approved: "БЕКІТЕМІН".into(),
                    name: None,
                    designation: vec!["Шанхай ынтымақтастық ұйымының".into(), "Бас хатшысы".into()],
                    signed: None,
                },
            ],
            title: "Іс-шаралар жоспары".into(),
            items: (1..=items)
                .map(|n| CopyItem {
                    label: Some(format!("{n}.")),
                    text: format!(
                        "Әзірбайжан, Қазақстан, Моңғолия, Өзбекстан, Үндістан және Һиндістан ғылыми іс-шаралары өзара түсіністік пен жиһаз туралы ұйымдастырылады, пункт {n}."
                    ),
                })
                .collect(),
            agreed: "Мәтін келісілді; 3-нұсқа".into(),
        }
    }

    #[test]
    fn a_kazakh_signature_copy_prints_with_its_letters_searchable() {
        let pdf = signature_copy_pdf(&copy(Lang::Kk, 2)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = extract(&pdf);
        for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"] {
            assert!(text.contains(letter), "{letter} is missing from {text}");
        }
        for phrase in [
            "БЕКІТЕМІН",
            "Қайрат Сарыбай",
            "Шанхай ынтымақтастық ұйымының",
            "2024 жылғы 4 шілдеде қол қойылды",
            "Іс-шаралар жоспары",
            "Мәтін келісілді; 3-нұсқа",
        ] {
            assert_has(&text, phrase);
        }
    }

    #[test]
    fn a_long_text_breaks_into_lines_and_pages_and_keeps_every_word() {
        let copy = copy(Lang::Kk, 60);
        let pdf = signature_copy_pdf(&copy).unwrap();
        let pages = layout::pages(
            &layout::Measure::new().unwrap(),
            &signature_copy_blocks(&copy),
        );
        assert!(
            pages.len() >= 3,
            "60 long items take more than two pages ({})",
            pages.len()
        );
        let text = extract(&pdf);
        assert_has(&text, "пункт 1.");
        assert_has(&text, "пункт 60.");
        // Nothing is lost at a line or page break: every word of the text
        // rendering is in the PDF.
        let plain = render_signature_copy(&copy, RenderFormat::Text);
        for word in plain.split_whitespace().filter(|w| *w != "---") {
            assert_has(&text, word);
        }
    }

    #[test]
    fn notes_and_decisions_print_in_russian_and_english() {
        let decision = DecisionText {
            lang: Lang::Ru,
            body: "КОМИТЕТ СТАРШИХ ДОЛЖНОСТНЫХ ЛИЦ".into(),
            number_line: "РЕШЕНИЕ № SOC/2024-II/DEC/3".into(),
            place_date: "Астана, 27 июня 2024 года".into(),
            title: Some("О Плане мероприятий".into()),
            paragraphs: vec!["КСДЛ согласовывает текст Плана мероприятий.".into()],
        };
        let text = extract(&decision_pdf(&decision).unwrap());
        for phrase in [
            "КОМИТЕТ СТАРШИХ ДОЛЖНОСТНЫХ ЛИЦ",
            "РЕШЕНИЕ № SOC/2024-II/DEC/3",
            "Астана, 27 июня 2024 года",
            "КСДЛ согласовывает текст Плана мероприятий.",
        ] {
            assert_has(&text, phrase);
        }
        let note = NoteText {
            lang: Lang::En,
            letterhead: vec![vec!["SECRETARIAT OF THE CONFERENCE".into()]],
            number_line: "№ PAR/713".into(),
            opening: "The Secretariat presents its compliments.".into(),
            paragraphs: vec!["This draft is expected to be discussed.".into()],
            enclosures: vec![vec![
                "Enclosure:".into(),
                "as stated,".into(),
                "on 4 p.".into(),
            ]],
            announcements: Vec::new(),
            closing: "The Secretariat avails itself of this opportunity.".into(),
            place_date: "Astana, 13 June 2024".into(),
            addressee_block: vec!["MEMBER STATES".into()],
        };
        let text = extract(&note_pdf(&note).unwrap());
        for phrase in [
            "№ PAR/713",
            "The Secretariat presents its compliments.",
            "on 4 p.",
            "Astana, 13 June 2024",
            "MEMBER STATES",
        ] {
            assert_has(&text, phrase);
        }
    }
}
