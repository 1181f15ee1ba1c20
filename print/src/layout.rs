//! A small block layout: paragraphs broken into lines by the fonts'
//! advances, side-by-side columns, pages of A4 with the margins of the
//! HTML print stylesheet, page numbers; then drawn with `krilla`.

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use accord_domain::Lang;

use crate::PrintError;

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// A4, in points.
const PAGE_WIDTH: f32 = 210.0 * MM;
const PAGE_HEIGHT: f32 = 297.0 * MM;
/// The margins of an official letter (as the HTML's `@page`).
const TOP: f32 = 20.0 * MM;
const RIGHT: f32 = 15.0 * MM;
const BOTTOM: f32 = 20.0 * MM;
const LEFT: f32 = 30.0 * MM;
/// The body size and the line height as a multiple of the size.
const BODY_SIZE: f32 = 13.0;
const SMALL_SIZE: f32 = 9.0;
const LEADING: f32 = 1.35;
/// The gap between signature columns.
const COLUMN_GAP: f32 = 10.0 * MM;
/// The first-line indent of a body paragraph (1.25 cm).
const INDENT: f32 = 12.5 * MM;

/// The compiled-in faces.
static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSerif.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../fonts/DejaVuSerif-Italic.ttf");

/// A face of the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
}

/// A paragraph: its text (line breaks kept) and how it is set.
#[derive(Debug, Clone)]
pub(crate) struct Para {
    text: String,
    face: Face,
    size: f32,
    align: Align,
    indent: f32,
    /// Whether `*…*` in the text marks italics (`accord_domain::runs`):
    /// the body of a note or a decision.
    marked: bool,
    /// Whether its lines but the last of each line of the source fill the
    /// measure, as the HTML's `text-align: justify` (no hyphenation there
    /// either).
    justify: bool,
}

impl Para {
    fn new(text: String, face: Face, align: Align) -> Para {
        Para {
            text,
            face,
            size: BODY_SIZE,
            align,
            indent: 0.0,
            marked: false,
            justify: false,
        }
    }

    /// Centred and bold: letterheads, numbers, titles.
    pub(crate) fn heading(text: String) -> Para {
        Para::new(text, Face::Bold, Align::Center)
    }

    /// Plain, flush left.
    pub(crate) fn text(text: String) -> Para {
        Para::new(text, Face::Regular, Align::Left)
    }

    /// Plain and justified, the first line indented: the opening,
    /// announcements and closing of a note.
    pub(crate) fn indented(text: String) -> Para {
        Para {
            indent: INDENT,
            justify: true,
            ..Para::text(text)
        }
    }

    /// A paragraph of a body: indented and justified, its cited titles
    /// (`*…*`) in italics.
    pub(crate) fn body(text: String) -> Para {
        Para {
            marked: true,
            ..Para::indented(text)
        }
    }

    /// Bold, flush left.
    pub(crate) fn bold(text: String) -> Para {
        Para::new(text, Face::Bold, Align::Left)
    }

    /// Italic, flush left.
    pub(crate) fn italic(text: String) -> Para {
        Para::new(text, Face::Italic, Align::Left)
    }

    /// Small print, flush left.
    pub(crate) fn small(text: String) -> Para {
        Para {
            size: SMALL_SIZE,
            ..Para::text(text)
        }
    }

    fn line_height(&self) -> f32 {
        self.size * LEADING
    }
}

/// What goes in a signature column.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Para(Para),
    /// The line a signature is written on.
    SignatureLine,
}

/// A block of the page, top to bottom.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Para(Para),
    /// Columns side by side, of equal width, kept on one page.
    Columns(Vec<Vec<Cell>>),
}

/// Something drawn on a page; `y` is the baseline (text) or the line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
    },
}

/// Measures text with a face's advances (shaping may kern a little
/// tighter, never wider in these fonts' Latin and Cyrillic).
pub(crate) struct Measure {
    faces: [(Face, FontRef<'static>, GlyphMetrics<'static>, f32); 3],
}

impl Measure {
    pub(crate) fn new() -> Result<Measure, PrintError> {
        let face = |face, data: &'static [u8], name| {
            let font = FontRef::new(data).map_err(|_| PrintError::Font(name))?;
            let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
            let units = f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            );
            Ok::<_, PrintError>((face, font, metrics, units))
        };
        Ok(Measure {
            faces: [
                face(Face::Regular, REGULAR, "DejaVuSerif")?,
                face(Face::Bold, BOLD, "DejaVuSerif-Bold")?,
                face(Face::Italic, ITALIC, "DejaVuSerif-Italic")?,
            ],
        })
    }

    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let (_, font, metrics, units) = self
            .faces
            .iter()
            .find(|(f, ..)| *f == face)
            .unwrap_or(&self.faces[0]);
        let charmap = font.charmap();
        let advance: f32 = text
            .chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(0.0)
            })
            .sum();
        advance * size / units
    }

    fn word_width(&self, size: f32, word: &[Piece]) -> f32 {
        word.iter().map(|p| self.width(p.face, size, &p.text)).sum()
    }

    /// Breaks `para` into lines no wider than `width` (the first `indent`
    /// narrower); a word wider than a line is broken between characters.
    /// Each line comes as the pieces to draw and where each starts.
    fn lines(&self, para: &Para, width: f32) -> Vec<Vec<Span>> {
        let space = self.width(para.face, para.size, " ");
        let mut out: Vec<Vec<Span>> = Vec::new();
        for source in words(para) {
            let mut line: Vec<Vec<Piece>> = Vec::new();
            let mut used = 0.0;
            let mut lines: Vec<(f32, Vec<Vec<Piece>>)> = Vec::new();
            let mut start = if out.is_empty() { para.indent } else { 0.0 };
            for word in source {
                let w = self.word_width(para.size, &word);
                let gap = if line.is_empty() { 0.0 } else { space };
                if used + gap + w <= width - start {
                    used += gap + w;
                    line.push(word);
                    continue;
                }
                if !line.is_empty() {
                    lines.push((start, std::mem::take(&mut line)));
                    used = 0.0;
                    start = 0.0;
                }
                if w <= width - start {
                    used = w;
                    line.push(word);
                    continue;
                }
                // The word alone, broken between characters.
                let mut chunk: Vec<Piece> = Vec::new();
                for piece in word {
                    for c in piece.text.chars() {
                        let cw = self.width(piece.face, para.size, c.encode_utf8(&mut [0; 4]));
                        if !chunk.is_empty() && used + cw > width - start {
                            lines.push((start, vec![std::mem::take(&mut chunk)]));
                            used = 0.0;
                            start = 0.0;
                        }
                        push_char(&mut chunk, piece.face, c);
                        used += cw;
                    }
                }
                line.push(chunk);
            }
            lines.push((start, line));
            let count = lines.len();
            for (n, (start, line)) in lines.into_iter().enumerate() {
                out.push(self.place(para, width, space, start, line, n + 1 < count));
            }
        }
        out
    }

    /// Where each piece of a line goes: after `start` (the indent), centred,
    /// or with the spaces widened to fill `width` when `fill`.
    fn place(
        &self,
        para: &Para,
        width: f32,
        space: f32,
        start: f32,
        line: Vec<Vec<Piece>>,
        fill: bool,
    ) -> Vec<Span> {
        let widths: Vec<f32> = line.iter().map(|w| self.word_width(para.size, w)).collect();
        let gaps = line.len().saturating_sub(1) as f32;
        let natural = widths.iter().sum::<f32>() + space * gaps;
        let (mut x, gap) = match para.align {
            Align::Center => (((width - natural) / 2.0).max(0.0), space),
            Align::Left if para.justify && fill && gaps > 0.0 => {
                (start, space + (width - start - natural).max(0.0) / gaps)
            }
            Align::Left => (start, space),
        };
        let last = line.len().saturating_sub(1);
        let mut spans = Vec::new();
        for (n, (word, w)) in line.into_iter().zip(widths).enumerate() {
            let mut at = x;
            let pieces = word.len();
            for (p, mut piece) in word.into_iter().enumerate() {
                let advance = self.width(piece.face, para.size, &piece.text);
                // A space after each word but the last, so that the text
                // copied out of the PDF has its spaces.
                if p + 1 == pieces && n < last {
                    piece.text.push(' ');
                }
                spans.push(Span {
                    x: at,
                    face: piece.face,
                    text: piece.text,
                });
                at += advance;
            }
            x += w + gap;
        }
        spans
    }
}

/// A piece of a word in one face.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    face: Face,
    text: String,
}

/// A piece of a line, placed: `x` from the left of the measure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Span {
    x: f32,
    face: Face,
    text: String,
}

fn push_char(word: &mut Vec<Piece>, face: Face, c: char) {
    match word.last_mut() {
        Some(last) if last.face == face => last.text.push(c),
        _ => word.push(Piece {
            face,
            text: c.to_string(),
        }),
    }
}

/// The words of `para`, line by line of its source, each word its pieces
/// in their faces (a marked run is italic in a regular paragraph).
fn words(para: &Para) -> Vec<Vec<Vec<Piece>>> {
    let runs = if para.marked {
        accord_domain::runs(&para.text)
    } else {
        vec![accord_domain::Run {
            text: para.text.clone(),
            emphasis: false,
        }]
    };
    let mut lines: Vec<Vec<Vec<Piece>>> = vec![Vec::new()];
    let mut word: Vec<Piece> = Vec::new();
    for run in runs {
        let face = match (run.emphasis, para.face) {
            (true, Face::Regular) => Face::Italic,
            (_, face) => face,
        };
        for c in run.text.chars() {
            match c {
                ' ' | '\n' => {
                    if !word.is_empty()
                        && let Some(line) = lines.last_mut()
                    {
                        line.push(std::mem::take(&mut word));
                    }
                    if c == '\n' {
                        lines.push(Vec::new());
                    }
                }
                c => push_char(&mut word, face, c),
            }
        }
    }
    if !word.is_empty()
        && let Some(line) = lines.last_mut()
    {
        line.push(word);
    }
    lines
}

/// Lays `blocks` out on pages: the operations of each page.
pub(crate) fn pages(measure: &Measure, blocks: &[Block]) -> Vec<Vec<Op>> {
    let width = PAGE_WIDTH - LEFT - RIGHT;
    let bottom = PAGE_HEIGHT - BOTTOM;
    let mut pages: Vec<Vec<Op>> = vec![Vec::new()];
    let mut y = TOP;
    for block in blocks {
        match block {
            Block::Para(para) => {
                let height = para.line_height();
                for line in measure.lines(para, width) {
                    if y + height > bottom {
                        pages.push(Vec::new());
                        y = TOP;
                    }
                    if let Some(page) = pages.last_mut() {
                        page.extend(line.into_iter().map(|span| text_op(para, LEFT, y, span)));
                    }
                    y += height;
                }
                y += para.size * 0.8;
            }
            Block::Columns(columns) => {
                let count = columns.len().max(1) as f32;
                let column_width = (width - COLUMN_GAP * (count - 1.0)) / count;
                let mut ops = Vec::new();
                let mut deepest: f32 = 0.0;
                for (n, cells) in columns.iter().enumerate() {
                    let left = LEFT + n as f32 * (column_width + COLUMN_GAP);
                    let mut depth = 0.0;
                    for cell in cells {
                        match cell {
                            Cell::Para(para) => {
                                for line in measure.lines(para, column_width) {
                                    ops.extend(
                                        line.into_iter()
                                            .map(|span| text_op(para, left, depth, span)),
                                    );
                                    depth += para.line_height();
                                }
                                depth += para.size * 0.4;
                            }
                            Cell::SignatureLine => {
                                depth += BODY_SIZE * 2.0;
                                ops.push(Op::Line {
                                    x1: left,
                                    x2: left + column_width,
                                    y: depth,
                                });
                                depth += BODY_SIZE * 0.6;
                            }
                        }
                    }
                    deepest = deepest.max(depth);
                }
                if y + deepest > bottom && y > TOP {
                    pages.push(Vec::new());
                    y = TOP;
                }
                if let Some(page) = pages.last_mut() {
                    page.extend(ops.into_iter().map(|op| shift(op, y)));
                }
                y += deepest + BODY_SIZE * 1.5;
            }
        }
    }
    pages
}

/// A piece of a line of `para` whose line box starts at `top`, in a
/// column starting at `left`.
fn text_op(para: &Para, left: f32, top: f32, span: Span) -> Op {
    Op::Text {
        x: left + span.x,
        // The baseline, with the leading shared above and below.
        y: top + para.size * (LEADING - 1.0) / 2.0 + para.size * 0.8,
        face: span.face,
        size: para.size,
        text: span.text,
    }
}

fn shift(op: Op, dy: f32) -> Op {
    match op {
        Op::Text {
            x,
            y,
            face,
            size,
            text,
        } => Op::Text {
            x,
            y: y + dy,
            face,
            size,
            text,
        },
        Op::Line { x1, x2, y } => Op::Line { x1, x2, y: y + dy },
    }
}

/// Lays `blocks` out and draws them: a PDF titled `title` in `lang`, its
/// pages numbered at the foot when there is more than one.
pub(crate) fn pdf(title: &str, lang: Lang, blocks: &[Block]) -> Result<Vec<u8>, PrintError> {
    let measure = Measure::new()?;
    let pages = pages(&measure, blocks);
    let font = |data: &'static [u8], name| Font::new(data.into(), 0).ok_or(PrintError::Font(name));
    let regular = font(REGULAR, "DejaVuSerif")?;
    let bold = font(BOLD, "DejaVuSerif-Bold")?;
    let italic = font(ITALIC, "DejaVuSerif-Italic")?;
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PrintError::Pdf("the A4 page size was refused".into()))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.replace('\n', " "))
            .language(crate::language_tag(lang))
            .creator("Accord".into()),
    );
    let count = pages.len();
    for (number, ops) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                } => {
                    let font = match face {
                        Face::Regular => regular.clone(),
                        Face::Bold => bold.clone(),
                        Face::Italic => italic.clone(),
                    };
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font,
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Line { x1, x2, y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y);
                    path.line_to(x2, y);
                    if let Some(path) = path.finish() {
                        surface.set_stroke(Some(Stroke {
                            width: 0.75,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        if count > 1 {
            let label = format!("{}", number + 1);
            let x = (PAGE_WIDTH - measure.width(Face::Regular, SMALL_SIZE, &label)) / 2.0;
            surface.draw_text(
                Point::from_xy(x, PAGE_HEIGHT - BOTTOM / 2.0),
                regular.clone(),
                SMALL_SIZE,
                &label,
                false,
                TextDirection::Auto,
            );
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|error| PrintError::Pdf(format!("{error:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a line ends: its last piece's start plus its width (without
    /// the space a piece carries for copying).
    fn right_edge(measure: &Measure, para: &Para, line: &[Span]) -> f32 {
        line.last()
            .map(|s| s.x + measure.width(s.face, para.size, s.text.trim_end()))
            .unwrap_or(0.0)
    }

    fn line_text(line: &[Span]) -> String {
        line.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_paragraph_wider_than_the_page_breaks_between_words_and_a_long_word_between_letters() {
        let measure = Measure::new().unwrap();
        let para = Para::indented(format!("{} {}", "слово ".repeat(40), "ә".repeat(200)));
        let width = PAGE_WIDTH - LEFT - RIGHT;
        let lines = measure.lines(&para, width);
        assert!(lines.len() > 3);
        assert_eq!(lines[0][0].x, INDENT);
        for line in &lines {
            assert!(right_edge(&measure, &para, line) <= width + 0.01);
            assert!(!line.is_empty());
        }
        let words: usize = lines
            .iter()
            .map(|l| line_text(l).matches("слово").count())
            .sum();
        assert_eq!(words, 40);
    }

    #[test]
    fn a_body_paragraph_is_justified_but_for_its_last_line() {
        let measure = Measure::new().unwrap();
        let para =
            Para::body("The Secretariat kindly reminds the Member States of the rules. ".repeat(6));
        let width = PAGE_WIDTH - LEFT - RIGHT;
        let lines = measure.lines(&para, width);
        assert!(lines.len() >= 3);
        let (last, full) = lines.split_last().unwrap();
        for line in full {
            assert!((right_edge(&measure, &para, line) - width).abs() < 0.01);
        }
        assert!(right_edge(&measure, &para, last) < width - 10.0);
        // A flush-left paragraph stays ragged.
        let ragged = measure.lines(&Para::text(para.text.clone()), width);
        assert!(right_edge(&measure, &para, &ragged[0]) < width - 0.5);
        // Every word is there, in order, with its space.
        let text: String = lines
            .iter()
            .map(|l| line_text(l))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            para.text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_cited_title_is_set_in_italics_and_its_marks_are_not_printed() {
        let measure = Measure::new().unwrap();
        let para = Para::body("according to the *General guidelines*, adopted".into());
        let lines = measure.lines(&para, PAGE_WIDTH);
        let spans = &lines[0];
        let faces: Vec<(Face, &str)> = spans.iter().map(|s| (s.face, s.text.as_str())).collect();
        assert_eq!(
            faces,
            [
                (Face::Regular, "according "),
                (Face::Regular, "to "),
                (Face::Regular, "the "),
                (Face::Italic, "General "),
                (Face::Italic, "guidelines"),
                (Face::Regular, ", "),
                (Face::Regular, "adopted"),
            ]
        );
        // The comma follows the italic word without a gap.
        let italic = &spans[4];
        assert!(
            (spans[5].x - (italic.x + measure.width(Face::Italic, para.size, "guidelines"))).abs()
                < 0.01
        );
        // Outside a body, an asterisk is an asterisk.
        let plain = measure.lines(&Para::text("*not a title*".into()), PAGE_WIDTH);
        assert_eq!(line_text(&plain[0]), "*not a title*");
    }

    #[test]
    fn text_that_does_not_fit_a_page_goes_on_to_the_next() {
        let measure = Measure::new().unwrap();
        let blocks: Vec<Block> = (0..80)
            .map(|n| Block::Para(Para::text(format!("Paragraph {n}"))))
            .collect();
        let pages = pages(&measure, &blocks);
        assert!(pages.len() >= 2);
        for page in &pages {
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y > TOP && *y < PAGE_HEIGHT - BOTTOM);
                }
            }
        }
    }
}
