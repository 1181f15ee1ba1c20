//! Notes verbales as a registry: their purposes and states, addressees and
//! enclosures, the diplomatic formulae they are built from, and their
//! rendering as HTML and plain text in the layout of the Secretariat's
//! notes (see `shared/seeds`).
//!
//! The formulae are data (the `note_formulae` table, editable without
//! recompiling); this module only fills their placeholders and lays the
//! result out. Everything here is pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{DomainError, Lang, NoteNumber, NoteSeries, OrgCode, Result, Texts};

string_enum! {
    /// Why a note is sent.
    pub enum NotePurpose ("note purpose") {
        /// Circulates a draft version to the member states.
        Circulation => "CIRCULATION",
        /// Reminds of a rule or a deadline (e.g. SOC/19).
        Reminder => "REMINDER",
        /// Invites to a meeting or an event.
        Invitation => "INVITATION",
        /// Informs of something.
        Information => "INFORMATION",
    }
}

string_enum! {
    /// Where a note stands: editable until issued, frozen afterwards.
    pub enum NoteStatus ("note status") {
        /// Being written; visible to the Secretariat only; no number yet.
        Draft => "DRAFT",
        /// Numbered, dated and sent; never edited again.
        Issued => "ISSUED",
    }
}

string_enum! {
    /// What part of a note a formula is.
    pub enum FormulaKind ("formula kind") {
        /// The letterhead of the Secretariat in one language (EN and RU are shown).
        Letterhead => "LETTERHEAD",
        /// The line with the number, with `{number}`.
        NumberLine => "NUMBER_LINE",
        /// The sender in the opening, e.g. "The Secretariat of … (CICA)".
        Sender => "SENDER",
        /// All member states, as the opening and closing name them.
        AllMemberStates => "ALL_MEMBER_STATES",
        /// All member states, as the addressee block at the foot names them.
        AllMemberStatesBlock => "ALL_MEMBER_STATES_BLOCK",
        /// The opening compliments, with `{sender}`, `{addressees}`,
        /// `{references}` and (for circulation) `{subject}`.
        Opening => "OPENING",
        /// The clause citing one earlier note, with `{list}`.
        ReferencesOne => "REFERENCES_ONE",
        /// The clause citing several earlier notes, with `{list}`.
        ReferencesMany => "REFERENCES_MANY",
        /// One cited note, with `{number}` and `{date}`.
        Reference => "REFERENCE",
        /// The closing assurances, with `{addressees}`.
        Closing => "CLOSING",
        /// An enclosure, with `{what}` and `{pages}`; lines split at `\n`.
        Enclosure => "ENCLOSURE",
        /// What an enclosure mentioned in the text is called ("as stated").
        AsStated => "AS_STATED",
        /// The place and date line, with `{place}` and `{date}`.
        PlaceDate => "PLACE_DATE",
        /// What a circulation without a subject forwards, with `{title}`
        /// (the draft's title), e.g. "the draft {title}".
        DraftSubject => "DRAFT_SUBJECT",
        /// The paragraph announcing the one meeting at which a circulated
        /// draft is to be discussed, with `{list}`.
        MeetingsOne => "MEETINGS_ONE",
        /// The paragraph announcing the meetings at which a circulated
        /// draft is to be discussed, with `{list}`.
        MeetingsMany => "MEETINGS_MANY",
        /// One of those meetings, with `{body}` (the body as a note names
        /// it there) and `{date}` (the day it meets on).
        Meeting => "MEETING",
        /// The word joining the last two meetings of that list, with its
        /// spaces (" and ").
        MeetingsAnd => "MEETINGS_AND",
    }
}

/// The largest page count of an enclosure.
pub const MAX_PAGES: u32 = 9_999;
/// The most addressees a note may name.
pub const MAX_ADDRESSEES: usize = 100;
/// The most enclosures a note may carry.
pub const MAX_ENCLOSURES: usize = 20;
/// The longest place name, in characters.
pub const MAX_PLACE_CHARS: usize = 100;
/// The place notes are dated at unless told otherwise.
pub const DEFAULT_PLACE: &str = "Astana";

/// To whom a note is addressed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Addressees {
    /// Every member state (the usual case).
    AllMemberStates,
    /// Named organisations, in the order given; never empty, no repeats.
    Organizations(Vec<OrgCode>),
}

impl Addressees {
    /// A list of organisations; rejects an empty list, a repeat, and more
    /// than [`MAX_ADDRESSEES`].
    pub fn organizations(codes: Vec<OrgCode>) -> Result<Addressees> {
        if codes.is_empty() {
            return Err(DomainError::Empty {
                field: "the list of addressees".into(),
            });
        }
        if codes.len() > MAX_ADDRESSEES {
            return Err(DomainError::TooMany {
                what: "addressees",
                max: MAX_ADDRESSEES,
            });
        }
        for (i, code) in codes.iter().enumerate() {
            if codes[..i].contains(code) {
                return Err(DomainError::Duplicate {
                    what: "addressee",
                    value: code.to_string(),
                });
            }
        }
        Ok(Addressees::Organizations(codes))
    }

    /// The stored spelling of "all member states".
    pub const ALL_JSON: &'static str = "\"ALL_MEMBER_STATES\"";
}

impl Serialize for Addressees {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Addressees::AllMemberStates => s.serialize_str("ALL_MEMBER_STATES"),
            Addressees::Organizations(codes) => codes.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Addressees {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            All(String),
            List(Vec<OrgCode>),
        }
        match Raw::deserialize(d)? {
            Raw::All(s) if s == "ALL_MEMBER_STATES" => Ok(Addressees::AllMemberStates),
            Raw::All(s) => Err(serde::de::Error::custom(format!(
                "unknown addressees {s:?}"
            ))),
            Raw::List(codes) => Addressees::organizations(codes).map_err(serde::de::Error::custom),
        }
    }
}

/// What an enclosure is: a version of a draft, or a titled document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Enclosed {
    /// A version of a draft ("as stated" in the note).
    DraftVersion {
        /// The draft's id.
        draft_id: String,
        /// The version.
        version: i32,
    },
    /// Another document, by its title.
    Document {
        /// The title in one or more languages.
        title: Texts,
    },
}

/// One enclosure of a note and its length: "Enclosure: as stated, on 4 p.".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawEnclosure")]
pub struct Enclosure {
    enclosed: Enclosed,
    pages: u32,
}

#[derive(Deserialize)]
struct RawEnclosure {
    enclosed: Enclosed,
    pages: u32,
}

impl TryFrom<RawEnclosure> for Enclosure {
    type Error = DomainError;

    fn try_from(raw: RawEnclosure) -> Result<Enclosure> {
        Enclosure::new(raw.enclosed, raw.pages)
    }
}

impl Enclosure {
    /// An enclosure of `pages` pages (1 to [`MAX_PAGES`]).
    pub fn new(enclosed: Enclosed, pages: u32) -> Result<Enclosure> {
        if !(1..=MAX_PAGES).contains(&pages) {
            return Err(DomainError::invalid(
                "page count",
                &pages.to_string(),
                format!("must be between 1 and {MAX_PAGES}"),
            ));
        }
        if let Enclosed::DraftVersion { version, .. } = &enclosed
            && *version < 1
        {
            return Err(DomainError::invalid(
                "enclosed version",
                &version.to_string(),
                "must be 1 or more",
            ));
        }
        Ok(Enclosure { enclosed, pages })
    }

    /// What is enclosed.
    pub fn enclosed(&self) -> &Enclosed {
        &self.enclosed
    }

    /// How many pages it has.
    pub fn pages(&self) -> u32 {
        self.pages
    }
}

/// Checks a place name: 1 to [`MAX_PLACE_CHARS`] characters, trimmed.
pub fn parse_place(place: &str) -> Result<String> {
    crate::one_line("place", place, MAX_PLACE_CHARS)
}

/// The text that full-text search runs over: the subject and the body in
/// every language, lower-cased with Unicode rules (so Cyrillic matches
/// whatever the case), one text per line.
pub fn search_text(subject: Option<&Texts>, body: Option<&Texts>) -> String {
    let mut out = String::new();
    for texts in [subject, body].into_iter().flatten() {
        for (_, text) in texts.iter() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&crate::plain(text).to_lowercase());
        }
    }
    out
}

/// The pattern a search term becomes, for `LIKE … ESCAPE '\'` over
/// [`search_text`]: lower-cased, with `%`, `_` and `\` escaped.
pub fn search_pattern(term: &str) -> Result<String> {
    let term = crate::one_line("text", term, 200)?.to_lowercase();
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    Ok(out)
}

/// One formula: a template in a language, for a purpose or for every
/// purpose (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    /// The language.
    pub lang: Lang,
    /// The part of the note.
    pub kind: FormulaKind,
    /// The purpose it is for, or `None` for every purpose without its own.
    pub purpose: Option<NotePurpose>,
    /// The template, with `{placeholders}`.
    pub text: String,
}

/// The formulae in force, looked up by language, kind and purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Formulae(BTreeMap<(Lang, FormulaKind, Option<NotePurpose>), String>);

impl Formulae {
    /// Collects formulae; a later row for the same key replaces an earlier one.
    pub fn new(rows: impl IntoIterator<Item = Formula>) -> Formulae {
        Formulae(
            rows.into_iter()
                .map(|f| ((f.lang, f.kind, f.purpose), f.text))
                .collect(),
        )
    }

    /// The formula of `kind` in `lang` for `purpose`, else the generic one.
    pub fn get(&self, lang: Lang, kind: FormulaKind, purpose: NotePurpose) -> Result<&str> {
        self.0
            .get(&(lang, kind, Some(purpose)))
            .or_else(|| self.0.get(&(lang, kind, None)))
            .map(String::as_str)
            .ok_or_else(|| DomainError::Invalid {
                what: "language of a note",
                value: lang.to_string(),
                reason: format!(
                    "there is no {kind} formula in {lang} for {purpose} notes; add one to the note formulae"
                ),
            })
    }

    /// The languages in which a note of `purpose` can be written: those
    /// with an opening and a closing formula.
    pub fn langs(&self, purpose: NotePurpose) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|lang| {
                self.get(*lang, FormulaKind::Opening, purpose).is_ok()
                    && self.get(*lang, FormulaKind::Closing, purpose).is_ok()
            })
            .collect()
    }
}

/// Fills `{name}` placeholders of `template` from `values`. A placeholder
/// without a value is an error naming it, so a mistyped template is found
/// when the note is written, not by its reader.
pub fn fill(template: &str, values: &[(&str, &str)]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(DomainError::invalid(
                "formula",
                template,
                "a '{' is not closed by '}'",
            ));
        };
        let name = &after[..end];
        let value = values
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| {
                DomainError::invalid(
                    "formula",
                    template,
                    format!("unknown placeholder {{{name}}}"),
                )
            })?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A date as a note writes it in `lang`: `8 January 2024`, `8 января 2024
/// года`, `2024 жылғы 8 қаңтар`, `2024年1月8日`.
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    let (y, m, d) = (date.year(), date.month0() as usize, date.day());
    match lang {
        Lang::En => format!("{d} {} {y}", MONTHS_EN[m]),
        Lang::Ru => format!("{d} {} {y} года", MONTHS_RU[m]),
        Lang::Kk => format!("{y} жылғы {d} {}", MONTHS_KK[m]),
        Lang::Zh => format!("{y}年{}月{d}日", m + 1),
    }
}

/// The day something happens on, as a note writes it in `lang`: like
/// [`format_date`], but Kazakh takes the locative (`2024 жылғы 25
/// маусымда`).
pub fn format_date_on(lang: Lang, date: NaiveDate) -> String {
    in_kazakh_case(lang, date, &MONTHS_KK_ON)
}

/// The day something is due by, as a note writes it in `lang`: like
/// [`format_date`], but Kazakh takes the dative that `дейін` ("by")
/// governs (`2024 жылғы 25 мамырға`).
pub fn format_date_by(lang: Lang, date: NaiveDate) -> String {
    in_kazakh_case(lang, date, &MONTHS_KK_TO)
}

/// A date as a note cites an earlier one in `lang`: like [`format_date`],
/// but Kazakh takes the attributive form (`2024 жылғы 20 наурыздағы`).
pub fn format_cited_date(lang: Lang, date: NaiveDate) -> String {
    in_kazakh_case(lang, date, &MONTHS_KK_CITED)
}

/// The month events are scheduled for, as a note writes it in `lang`
/// after "for" (EN), "на" (RU) or before "жоспарланған" (KK): `February
/// 2024`, `февраль 2024 года`, `2024 жылғы ақпанға`.
pub fn format_month_for(lang: Lang, year: i32, month0: usize) -> String {
    let month0 = month0.min(11);
    match lang {
        Lang::En => format!("{} {year}", MONTHS_EN[month0]),
        Lang::Ru => format!("{} {year} года", MONTHS_RU_NOMINATIVE[month0]),
        Lang::Kk => format!("{year} жылғы {}", MONTHS_KK_TO[month0]),
        Lang::Zh => format!("{year}年{}月", month0 + 1),
    }
}

/// `n` with the Russian noun form its number takes: `one` (1, 21, …), `few`
/// (2–4, 22–24, …) or `many` (0, 5–20, 25–30, …): `60 дней`, `21 день`.
pub fn russian_count(n: u32, one: &str, few: &str, many: &str) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    };
    format!("{n} {word}")
}

/// [`format_date`], but in Kazakh with the month in the case `months`
/// gives (the month carries the case ending: `2024 жылғы 25 маусымда`).
fn in_kazakh_case(lang: Lang, date: NaiveDate, months: &[&str; 12]) -> String {
    match lang {
        Lang::Kk => format!(
            "{} жылғы {} {}",
            date.year(),
            date.day(),
            months[date.month0() as usize]
        ),
        _ => format_date(lang, date),
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_RU_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
const MONTHS_KK_CITED: [&str; 12] = [
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
];

const MONTHS_KK_TO: [&str; 12] = [
    "қаңтарға",
    "ақпанға",
    "наурызға",
    "сәуірге",
    "мамырға",
    "маусымға",
    "шілдеге",
    "тамызға",
    "қыркүйекке",
    "қазанға",
    "қарашаға",
    "желтоқсанға",
];
const MONTHS_KK_ON: [&str; 12] = [
    "қаңтарда",
    "ақпанда",
    "наурызда",
    "сәуірде",
    "мамырда",
    "маусымда",
    "шілдеде",
    "тамызда",
    "қыркүйекте",
    "қазанда",
    "қарашада",
    "желтоқсанда",
];

/// Joins `items` as a list in `lang`: `a, b and c`, `a, b и c`, `a, b мен c`.
fn join_list(lang: Lang, items: &[String]) -> String {
    let and = match lang {
        Lang::En => " and ",
        Lang::Ru => " и ",
        Lang::Kk => " мен ",
        Lang::Zh => "和",
    };
    join_with(and, items)
}

/// Joins `items` with commas, and `and` before the last.
fn join_with(and: &str, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// The well-known place name in `lang` (only Astana is known; anything
/// else is written as given).
pub(crate) fn place_in(lang: Lang, place: &str) -> String {
    match (lang, place) {
        (Lang::Ru | Lang::Kk, "Astana") => "Астана".into(),
        (Lang::Zh, "Astana") => "阿斯塔纳".into(),
        _ => place.to_owned(),
    }
}

/// An enclosure as the note lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnclosureLine {
    /// The title of a document; `None` for a draft version mentioned in the
    /// text ("as stated").
    pub title: Option<Texts>,
    /// Its page count.
    pub pages: u32,
}

/// How a note names one addressee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddresseeName {
    /// The name, in English at least: the addressee block at the foot.
    pub name: Texts,
    /// The name as the opening and closing address it, where a language
    /// inflects it ("свидетельствует свое уважение Казахстану",
    /// "Қазақстанға … ілтипатын білдіреді"): the dative in Russian and
    /// Kazakh.
    pub dative: Option<Texts>,
}

impl AddresseeName {
    /// The name in `lang`, else in English, else in any language.
    fn in_lang(&self, lang: Lang) -> &str {
        self.name
            .get(lang)
            .or_else(|| self.name.get(Lang::En))
            .or_else(|| self.name.iter().next().map(|(_, name)| name))
            .unwrap_or_default()
    }

    /// The name as addressed in `lang`: its dative there, else the name.
    fn addressed(&self, lang: Lang) -> &str {
        self.dative
            .as_ref()
            .and_then(|d| d.get(lang))
            .unwrap_or_else(|| self.in_lang(lang))
    }
}

/// Everything a note's text is built from, resolved: numbers, dates and
/// names rather than ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFacts {
    /// The series (the number's prefix while unsent).
    pub series: NoteSeries,
    /// The number, once issued.
    pub number: Option<NoteNumber>,
    /// The date, once issued.
    pub date: Option<NaiveDate>,
    /// Where it is dated, e.g. `Astana`.
    pub place: String,
    /// Why it is sent.
    pub purpose: NotePurpose,
    /// `None` for all member states, else how the note names each
    /// addressee.
    pub addressee_names: Option<Vec<AddresseeName>>,
    /// The subject (for a circulation, what is forwarded, as the opening
    /// names it: "the updated draft Action Plan …").
    pub subject: Option<Texts>,
    /// The title of the draft a circulation forwards, named through the
    /// `DRAFT_SUBJECT` formula when there is no subject.
    pub draft_title: Option<Texts>,
    /// The paragraphs between the opening and the closing, per language;
    /// paragraphs are separated by blank lines.
    pub body: Option<Texts>,
    /// Earlier notes cited in the opening, as (number, date).
    pub references: Vec<(NoteNumber, NaiveDate)>,
    /// The enclosures.
    pub enclosures: Vec<EnclosureLine>,
    /// The meetings a circulated draft is to be discussed at, by date.
    pub meetings: Vec<MeetingLine>,
}

/// A meeting as a circulation note announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingLine {
    /// The body as a note names it there, per language ("the CICA Special
    /// Working Group", "Специальной рабочей группы СВМДА", …); `None` if
    /// no such name is recorded.
    pub body: Option<Texts>,
    /// The day it meets.
    pub date: NaiveDate,
}

impl NoteFacts {
    /// What the note lacks to be written in `lang` with `formulae`, if
    /// anything: a note is written in a language only when every text it
    /// prints (the subject, where its opening names it; the body; enclosed
    /// documents' titles; the bodies it names) exists in that language, so
    /// that no sentence mixes two.
    pub fn missing_in(&self, formulae: &Formulae, lang: Lang) -> Option<String> {
        let lacks = |texts: &Texts| texts.get(lang).is_none();
        let mut missing: Vec<String> = Vec::new();
        let names_subject = formulae
            .get(lang, FormulaKind::Opening, self.purpose)
            .is_ok_and(|opening| opening.contains("{subject}"));
        match (&self.subject, &self.draft_title) {
            (Some(subject), _) if names_subject && lacks(subject) => {
                missing.push("its subject".into());
            }
            (None, Some(title)) if names_subject && lacks(title) => {
                missing.push("the draft's title".into());
            }
            _ => {}
        }
        if self.body.as_ref().is_some_and(lacks) {
            missing.push("its body".into());
        }
        for (n, enclosure) in self.enclosures.iter().enumerate() {
            if enclosure.title.as_ref().is_some_and(lacks) {
                missing.push(format!("the title of enclosure {}", n + 1));
            }
        }
        for meeting in &self.meetings {
            if meeting.body.as_ref().is_none_or(lacks) {
                missing.push(format!(
                    "the name of the body meeting on {} as notes write it",
                    meeting.date
                ));
            }
        }
        (!missing.is_empty()).then(|| format!("no {lang} text for {}", missing.join(", ")))
    }
}

/// A note's text in one language, composed from the formulae and ready to
/// be laid out. Issued notes store it, so that editing a formula later
/// never changes a note already sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteText {
    /// The language.
    pub lang: Lang,
    /// The letterheads (English, then Russian), each one or more lines.
    pub letterhead: Vec<Vec<String>>,
    /// e.g. `№ SOC/19`.
    pub number_line: String,
    /// The opening compliments.
    pub opening: String,
    /// The paragraphs of the body.
    pub paragraphs: Vec<String>,
    /// The enclosures, each as its lines.
    pub enclosures: Vec<Vec<String>>,
    /// The paragraphs after the enclosures: the meetings a circulated
    /// draft is to be discussed at. (Absent from texts stored before
    /// there were any.)
    #[serde(default)]
    pub announcements: Vec<String>,
    /// The closing assurances.
    pub closing: String,
    /// e.g. `Astana, 8 January 2024`.
    pub place_date: String,
    /// The addressee block at the foot, line by line.
    pub addressee_block: Vec<String>,
}

/// What the number and date of an unsent note show.
const NOT_YET: &str = "…";

/// The line of a note in `lang` that gives its number (`№ PAR/713`), or its
/// series and `…` while it has none. The only part of a note's text that
/// depends on its number, so that a note can be composed before it is
/// numbered.
pub fn number_line(
    formulae: &Formulae,
    purpose: NotePurpose,
    lang: Lang,
    series: &NoteSeries,
    number: Option<&NoteNumber>,
) -> Result<String> {
    let number = match number {
        Some(number) => number.to_string(),
        None => format!("{series}/{NOT_YET}"),
    };
    fill(
        formulae.get(lang, FormulaKind::NumberLine, purpose)?,
        &[("number", &number)],
    )
}

/// Builds a note's text in `lang` from the formulae.
pub fn compose(formulae: &Formulae, note: &NoteFacts, lang: Lang) -> Result<NoteText> {
    if let Some(missing) = note.missing_in(formulae, lang) {
        return Err(DomainError::Invalid {
            what: "language of a note",
            value: lang.to_string(),
            reason: format!(
                "a note is written in a language only when every text it carries exists in it; there is {missing}"
            ),
        });
    }
    let purpose = note.purpose;
    // Every text below exists in `lang` (checked above).
    let in_lang = |texts: &Texts| texts.get(lang).unwrap_or_default().to_owned();
    let get = |kind| formulae.get(lang, kind, purpose);
    let letterhead = [Lang::En, Lang::Ru]
        .into_iter()
        .filter_map(|l| formulae.get(l, FormulaKind::Letterhead, purpose).ok())
        .map(|text| text.lines().map(str::to_owned).collect())
        .collect();
    let number_line = number_line(formulae, purpose, lang, &note.series, note.number.as_ref())?;
    let sender = get(FormulaKind::Sender)?;
    let (addressees, block) = match &note.addressee_names {
        None => (
            get(FormulaKind::AllMemberStates)?.to_owned(),
            get(FormulaKind::AllMemberStatesBlock)?
                .lines()
                .map(str::to_owned)
                .collect(),
        ),
        Some(names) => {
            let addressed: Vec<String> =
                names.iter().map(|n| n.addressed(lang).to_owned()).collect();
            // Kazakh joins inflected names with "және" ("мен" joins the
            // bare nouns of a list of notes).
            let listed = match lang {
                Lang::Kk => join_with(" және ", &addressed),
                _ => join_list(lang, &addressed),
            };
            (
                listed,
                names
                    .iter()
                    .map(|n| n.in_lang(lang).to_uppercase())
                    .collect(),
            )
        }
    };
    let references = if note.references.is_empty() {
        String::new()
    } else {
        let cited = note
            .references
            .iter()
            .map(|(number, date)| {
                fill(
                    get(FormulaKind::Reference)?,
                    &[
                        ("number", &number.to_string()),
                        ("date", &format_cited_date(lang, *date)),
                    ],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let kind = if cited.len() == 1 {
            FormulaKind::ReferencesOne
        } else {
            FormulaKind::ReferencesMany
        };
        fill(get(kind)?, &[("list", &join_list(lang, &cited))])?
    };
    let subject = match (&note.subject, &note.draft_title) {
        (Some(subject), _) => in_lang(subject),
        (None, Some(title)) => fill(
            get(FormulaKind::DraftSubject)?,
            &[("title", &in_lang(title))],
        )?,
        (None, None) => String::new(),
    };
    let opening = fill(
        get(FormulaKind::Opening)?,
        &[
            ("sender", sender),
            ("addressees", &addressees),
            ("references", &references),
            ("subject", &subject),
        ],
    )?;
    let paragraphs = note
        .body
        .as_ref()
        .map(|body| paragraphs_of(&in_lang(body)))
        .unwrap_or_default();
    let enclosures = note
        .enclosures
        .iter()
        .map(|e| {
            let what = match &e.title {
                Some(title) => in_lang(title),
                None => get(FormulaKind::AsStated)?.to_owned(),
            };
            let text = fill(
                get(FormulaKind::Enclosure)?,
                &[("what", &what), ("pages", &e.pages.to_string())],
            )?;
            Ok(text.lines().map(str::to_owned).collect())
        })
        .collect::<Result<Vec<_>>>()?;
    let announcements = if note.meetings.is_empty() {
        Vec::new()
    } else {
        let meetings = note
            .meetings
            .iter()
            .map(|m| {
                fill(
                    get(FormulaKind::Meeting)?,
                    &[
                        ("body", &m.body.as_ref().map(in_lang).unwrap_or_default()),
                        ("date", &format_date_on(lang, m.date)),
                    ],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let kind = if meetings.len() == 1 {
            FormulaKind::MeetingsOne
        } else {
            FormulaKind::MeetingsMany
        };
        let list = join_with(get(FormulaKind::MeetingsAnd)?, &meetings);
        vec![fill(get(kind)?, &[("list", &list)])?]
    };
    let closing = fill(
        get(FormulaKind::Closing)?,
        &[("sender", sender), ("addressees", &addressees)],
    )?;
    let date = note
        .date
        .map_or_else(|| NOT_YET.to_owned(), |d| format_date(lang, d));
    let place_date = fill(
        get(FormulaKind::PlaceDate)?,
        &[("place", &place_in(lang, &note.place)), ("date", &date)],
    )?;
    Ok(NoteText {
        lang,
        letterhead,
        number_line,
        opening,
        paragraphs,
        enclosures,
        announcements,
        closing,
        place_date,
        addressee_block: block,
    })
}

/// Splits a body into paragraphs at blank lines; single line breaks stay.
pub(crate) fn paragraphs_of(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

string_enum! {
    /// The formats a note, a decision or a signature copy can be rendered
    /// in as text (the PDF is drawn by `accord-print`).
    pub enum RenderFormat ("render format") {
        /// A complete HTML document that prints on A4 from a browser.
        Html => "HTML",
        /// Plain text, in the layout of the seeds.
        Text => "TEXT",
    }
}

/// Lays a composed note out in `format`. Neither format carries a control
/// character other than LF, whatever was stored ([`crate::printable`]).
pub fn render(text: &NoteText, format: RenderFormat) -> String {
    match format {
        RenderFormat::Text => crate::printable(&render_text(text)).into_owned(),
        RenderFormat::Html => render_html(text),
    }
}

fn render_text(t: &NoteText) -> String {
    let mut blocks: Vec<String> = t.letterhead.iter().map(|lines| lines.join("\n")).collect();
    blocks.push(t.number_line.clone());
    blocks.push(t.opening.clone());
    blocks.extend(t.paragraphs.iter().map(|p| crate::plain(p).into_owned()));
    blocks.extend(t.enclosures.iter().map(|lines| lines.join("\n")));
    blocks.extend(t.announcements.iter().cloned());
    blocks.push(t.closing.clone());
    blocks.push(t.place_date.clone());
    blocks.push(t.addressee_block.join("\n"));
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// The print stylesheet: A4 with the margins of an official letter, a
/// serif face, and nothing but the note on paper.
const STYLE: &str = "\
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
html { background: #eee; }
body { margin: 0; font-family: 'Times New Roman', Times, serif; font-size: 14pt; line-height: 1.35; color: #000; }
.note-verbale { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 20mm 15mm 20mm 30mm; background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.2); }
.letterhead { text-align: center; font-weight: bold; margin: 0 0 1em; }
.number { text-align: center; font-weight: bold; margin: 1.5em 0; }
.body p { text-align: justify; text-indent: 1.25cm; margin: 0 0 0.8em; }
.enclosure { font-style: italic; margin: 0.8em 0; }
.place-date { margin: 1.5em 0; }
.addressees { font-weight: bold; text-transform: none; margin-top: 2em; }
@media print {
  html { background: none; }
  .note-verbale { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  p { orphans: 3; widows: 3; }
  .closing, .place-date, .addressees { page-break-inside: avoid; break-inside: avoid; }
}
";

fn render_html(t: &NoteText) -> String {
    let lang = t.lang.as_str().to_lowercase();
    let mut out = String::with_capacity(4096);
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(out, "<html lang=\"{lang}\">");
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&t.number_line));
    let _ = write!(out, "<style>\n{STYLE}</style>\n</head>\n<body>\n");
    out.push_str("<article class=\"note-verbale\">\n<header>\n");
    for (lines, head_lang) in t.letterhead.iter().zip(["en", "ru"]) {
        let _ = writeln!(
            out,
            "<p class=\"letterhead\" lang=\"{head_lang}\">{}</p>",
            lines_html(lines)
        );
    }
    let _ = writeln!(out, "<p class=\"number\">{}</p>", escape(&t.number_line));
    out.push_str("</header>\n<section class=\"body\">\n");
    let _ = writeln!(
        out,
        "<p class=\"opening\">{}</p>",
        lines_html_str(&t.opening)
    );
    for paragraph in &t.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", inline_html(paragraph));
    }
    for lines in &t.enclosures {
        let _ = writeln!(out, "<p class=\"enclosure\">{}</p>", lines_html(lines));
    }
    for paragraph in &t.announcements {
        let _ = writeln!(out, "<p>{}</p>", lines_html_str(paragraph));
    }
    let _ = writeln!(
        out,
        "<p class=\"closing\">{}</p>",
        lines_html_str(&t.closing)
    );
    out.push_str("</section>\n<footer>\n");
    let _ = writeln!(out, "<p class=\"place-date\">{}</p>", escape(&t.place_date));
    let _ = writeln!(
        out,
        "<p class=\"addressees\">{}</p>",
        lines_html(&t.addressee_block)
    );
    out.push_str("</footer>\n</article>\n</body>\n</html>\n");
    out
}

pub(crate) fn lines_html(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br>\n")
}

pub(crate) fn lines_html_str(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>\n")
}

/// A paragraph of a body as HTML: its runs in italics set as `<em>`
/// ([`crate::runs`]), its line breaks as `<br>`.
pub(crate) fn inline_html(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len() + 16);
    for run in crate::runs(paragraph) {
        let text = lines_html_str(&run.text);
        if run.emphasis {
            let _ = write!(out, "<em>{text}</em>");
        } else {
            out.push_str(&text);
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values; a control
/// character other than LF becomes U+FFFD ([`crate::printable`]).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    use FormulaKind as K;

    fn formulae() -> Formulae {
        Formulae::new(formulae_rows())
    }

    fn formulae_rows() -> Vec<Formula> {
        let row = |lang, kind, text: &str| Formula {
            lang,
            kind,
            purpose: None,
            text: text.into(),
        };
        Vec::from([
            row(Lang::En, K::Letterhead, "SECRETARIAT\nOF CICA"),
            row(Lang::Ru, K::Letterhead, "СЕКРЕТАРИАТ\nСВМДА"),
            row(Lang::En, K::NumberLine, "№ {number}"),
            row(Lang::En, K::Sender, "The Secretariat of CICA"),
            row(Lang::En, K::AllMemberStates, "the CICA Member States"),
            row(Lang::En, K::AllMemberStatesBlock, "MEMBER STATES\nOF CICA"),
            row(
                Lang::En,
                K::Opening,
                "{sender} presents its compliments to {addressees} and{references} has the honour to inform the following.",
            ),
            row(
                Lang::En,
                K::ReferencesOne,
                ", with reference to its note {list},",
            ),
            row(
                Lang::En,
                K::ReferencesMany,
                ", with reference to its notes {list},",
            ),
            row(Lang::En, K::Reference, "No. {number} of {date}"),
            row(
                Lang::En,
                K::Closing,
                "The Secretariat avails itself of this opportunity to renew to {addressees} the assurances of its highest consideration.",
            ),
            row(Lang::En, K::Enclosure, "Enclosure:\n{what},\non {pages} p."),
            row(Lang::En, K::AsStated, "as stated"),
            row(Lang::En, K::PlaceDate, "{place}, {date}"),
        ])
    }

    fn facts() -> NoteFacts {
        NoteFacts {
            series: NoteSeries::parse("PAR").unwrap(),
            number: Some(NoteNumber::parse("PAR/713").unwrap()),
            date: Some(date(2024, 6, 13)),
            place: DEFAULT_PLACE.into(),
            purpose: NotePurpose::Information,
            addressee_names: None,
            subject: None,
            draft_title: None,
            body: Some(
                Texts::from_pairs([(Lang::En, "First.\n\nSecond <b>&</b>.".into())]).unwrap(),
            ),
            references: vec![
                (NoteNumber::parse("PAR/361").unwrap(), date(2024, 3, 20)),
                (NoteNumber::parse("PAR/1453").unwrap(), date(2023, 11, 29)),
            ],
            enclosures: vec![EnclosureLine {
                title: None,
                pages: 4,
            }],
            meetings: vec![],
        }
    }

    fn circulation_formulae() -> Formulae {
        let row = |kind, text: &str| Formula {
            lang: Lang::En,
            kind,
            purpose: Some(NotePurpose::Circulation),
            text: text.into(),
        };
        let mut rows: Vec<Formula> = formulae_rows();
        rows.extend([
            row(
                K::Opening,
                "{sender} presents its compliments to {addressees} and{references} has the honour to forward for consideration {subject}.",
            ),
            row(K::DraftSubject, "the draft {title}"),
            row(
                K::MeetingsOne,
                "This draft is expected to be discussed and agreed upon as part of the agenda for the next meeting of {list}.",
            ),
            row(
                K::MeetingsMany,
                "This draft is expected to be discussed and agreed upon as part of the agenda for the next meetings of {list}.",
            ),
            row(K::Meeting, "{body} on {date}"),
            row(K::MeetingsAnd, " and "),
        ]);
        Formulae::new(rows)
    }

    fn circulation() -> NoteFacts {
        let en = |text: &str| Texts::from_pairs([(Lang::En, text.into())]).unwrap();
        NoteFacts {
            purpose: NotePurpose::Circulation,
            body: None,
            subject: Some(en("the updated draft Action Plan")),
            meetings: vec![
                MeetingLine {
                    body: Some(en("the CICA Special Working Group")),
                    date: date(2024, 6, 25),
                },
                MeetingLine {
                    body: Some(en("the CICA Senior Officials Committee")),
                    date: date(2024, 6, 27),
                },
            ],
            ..facts()
        }
    }

    #[test]
    fn a_circulation_forwards_its_subject_and_announces_its_meetings() {
        let text = compose(&circulation_formulae(), &circulation(), Lang::En).unwrap();
        assert!(
            text.opening.ends_with(
                "with reference to its notes No. PAR/361 of 20 March 2024 and No. PAR/1453 of 29 November 2023, has the honour to forward for consideration the updated draft Action Plan."
            ),
            "{}",
            text.opening
        );
        assert_eq!(
            text.announcements,
            [
                "This draft is expected to be discussed and agreed upon as part of the agenda for the next meetings of the CICA Special Working Group on 25 June 2024 and the CICA Senior Officials Committee on 27 June 2024."
            ]
        );
        let rendered = render(&text, RenderFormat::Text);
        let enclosure = rendered.find("on 4 p.").unwrap();
        let meetings = rendered.find("This draft is expected").unwrap();
        let closing = rendered.find("The Secretariat avails itself").unwrap();
        assert!(enclosure < meetings && meetings < closing, "{rendered}");

        let one = NoteFacts {
            meetings: circulation().meetings[..1].to_vec(),
            subject: None,
            draft_title: Some(
                Texts::from_pairs([(Lang::En, "Action Plan for 2024-2029".into())]).unwrap(),
            ),
            ..circulation()
        };
        let text = compose(&circulation_formulae(), &one, Lang::En).unwrap();
        assert!(
            text.opening
                .ends_with("to forward for consideration the draft Action Plan for 2024-2029."),
            "{}",
            text.opening
        );
        assert_eq!(
            text.announcements,
            [
                "This draft is expected to be discussed and agreed upon as part of the agenda for the next meeting of the CICA Special Working Group on 25 June 2024."
            ]
        );
    }

    #[test]
    fn a_note_is_written_only_in_languages_all_its_texts_exist_in() {
        let circulated = circulation();
        let formulae = circulation_formulae();
        assert_eq!(circulated.missing_in(&formulae, Lang::En), None);
        let missing = circulated.missing_in(&formulae, Lang::Kk).unwrap();
        assert_eq!(
            missing,
            "no KK text for the name of the body meeting on 2024-06-25 as notes write it, the name of the body meeting on 2024-06-27 as notes write it"
        );
        let russian_subject = NoteFacts {
            subject: Some(Texts::from_pairs([(Lang::Ru, "обновленный проект".into())]).unwrap()),
            ..circulation()
        };
        assert_eq!(
            russian_subject.missing_in(&formulae, Lang::En).as_deref(),
            Some("no EN text for its subject")
        );
        let error = compose(&circulation_formulae(), &circulated, Lang::Kk).unwrap_err();
        assert!(error.to_string().contains(&missing), "{error}");
        // Never a sentence in one language with a text of another.
        let unnamed = NoteFacts {
            meetings: vec![MeetingLine {
                body: None,
                date: date(2024, 6, 25),
            }],
            ..circulation()
        };
        assert!(unnamed.missing_in(&formulae, Lang::En).is_some());
        // A subject the opening does not print is not needed.
        let information = NoteFacts {
            purpose: NotePurpose::Information,
            meetings: vec![],
            body: facts().body,
            ..circulation()
        };
        assert_eq!(information.missing_in(&formulae, Lang::En), None);
        assert_eq!(
            information.missing_in(&formulae, Lang::Kk).as_deref(),
            Some("no KK text for its body")
        );
    }

    #[test]
    fn kazakh_days_on_which_something_happens_take_the_locative() {
        assert_eq!(
            format_date_on(Lang::Kk, date(2024, 6, 25)),
            "2024 жылғы 25 маусымда"
        );
        assert_eq!(
            format_date_on(Lang::Kk, date(2024, 12, 12)),
            "2024 жылғы 12 желтоқсанда"
        );
        assert_eq!(
            format_date_on(Lang::Ru, date(2024, 6, 25)),
            "25 июня 2024 года"
        );
        assert_eq!(format_date_on(Lang::En, date(2024, 6, 25)), "25 June 2024");
        assert_eq!(
            format_date_by(Lang::Kk, date(2024, 5, 25)),
            "2024 жылғы 25 мамырға"
        );
        assert_eq!(
            format_date_by(Lang::Kk, date(2024, 9, 1)),
            "2024 жылғы 1 қыркүйекке"
        );
        assert_eq!(
            format_date_by(Lang::Ru, date(2024, 5, 25)),
            "25 мая 2024 года"
        );
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill("{a} and {b}, {a}", &[("a", "x"), ("b", "y")]).unwrap(),
            "x and y, x"
        );
        assert_eq!(fill("no placeholders", &[]).unwrap(), "no placeholders");
    }

    #[test]
    fn fill_names_an_unknown_or_unclosed_placeholder() {
        let error = fill("to {adressees}", &[("addressees", "x")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unknown placeholder {adressees}")
        );
        assert!(fill("to {addressees", &[]).is_err());
    }

    #[test]
    fn dates_are_written_as_the_seeds_write_them() {
        let d = date(2024, 1, 8);
        assert_eq!(format_date(Lang::En, d), "8 January 2024");
        assert_eq!(format_date(Lang::Ru, d), "8 января 2024 года");
        assert_eq!(format_date(Lang::Kk, d), "2024 жылғы 8 қаңтар");
        assert_eq!(format_date(Lang::Zh, d), "2024年1月8日");
        assert_eq!(
            format_cited_date(Lang::Kk, date(2023, 11, 29)),
            "2023 жылғы 29 қарашадағы"
        );
        assert_eq!(
            format_cited_date(Lang::Ru, date(2024, 3, 20)),
            "20 марта 2024 года"
        );
    }

    #[test]
    fn a_composed_note_cites_its_references_and_lists_its_enclosure() {
        let text = compose(&formulae(), &facts(), Lang::En).unwrap();
        assert_eq!(
            text.opening,
            "The Secretariat of CICA presents its compliments to the CICA Member States and, \
             with reference to its notes No. PAR/361 of 20 March 2024 and No. PAR/1453 of \
             29 November 2023, has the honour to inform the following."
        );
        assert_eq!(text.paragraphs, ["First.", "Second <b>&</b>."]);
        assert_eq!(text.enclosures, [["Enclosure:", "as stated,", "on 4 p."]]);
        assert_eq!(text.number_line, "№ PAR/713");
        assert_eq!(text.place_date, "Astana, 13 June 2024");
        assert_eq!(text.addressee_block, ["MEMBER STATES", "OF CICA"]);
    }

    #[test]
    fn a_note_composed_before_its_number_differs_only_in_the_number_line() {
        let numbered = facts();
        let number = numbered.number.clone().unwrap();
        let unnumbered = NoteFacts {
            number: None,
            ..numbered.clone()
        };
        let mut composed = 0;
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            let Ok(whole) = compose(&formulae(), &numbered, lang) else {
                continue;
            };
            composed += 1;
            let mut early = compose(&formulae(), &unnumbered, lang).unwrap();
            assert!(
                early.number_line.ends_with("PAR/…"),
                "{}",
                early.number_line
            );
            early.number_line = number_line(
                &formulae(),
                numbered.purpose,
                lang,
                &numbered.series,
                Some(&number),
            )
            .unwrap();
            assert_eq!(early, whole);
        }
        assert!(composed > 0, "the test formulae compose no language");
    }

    #[test]
    fn a_note_to_named_organisations_names_them() {
        let mut note = facts();
        note.references.clear();
        let named = |en: &str, ru: &str, dative: &str| AddresseeName {
            name: Texts::from_pairs([(Lang::En, en.to_owned()), (Lang::Ru, ru.to_owned())])
                .unwrap(),
            dative: Some(Texts::from_pairs([(Lang::Ru, dative.to_owned())]).unwrap()),
        };
        note.addressee_names = Some(vec![
            named("Kazakhstan", "Казахстан", "Казахстану"),
            named("Russia", "Россия", "России"),
        ]);
        let text = compose(&formulae(), &note, Lang::En).unwrap();
        assert!(
            text.opening
                .contains("compliments to Kazakhstan and Russia and has")
        );
        assert_eq!(text.addressee_block, ["KAZAKHSTAN", "RUSSIA"]);

        // In Russian the opening addresses them in the dative, the block
        // at the foot names them.
        let mut rows = formulae_rows();
        rows.extend([
            Formula {
                lang: Lang::Ru,
                kind: K::NumberLine,
                purpose: None,
                text: "№ {number}".into(),
            },
            Formula {
                lang: Lang::Ru,
                kind: K::Sender,
                purpose: None,
                text: "Секретариат СВМДА".into(),
            },
            Formula {
                lang: Lang::Ru,
                kind: K::Opening,
                purpose: None,
                text: "{sender} свидетельствует свое уважение {addressees}{references} и имеет честь сообщить нижеследующее.".into(),
            },
            Formula {
                lang: Lang::Ru,
                kind: K::Closing,
                purpose: None,
                text: "Секретариат пользуется случаем, чтобы возобновить {addressees} уверения в своем высоком уважении.".into(),
            },
            Formula {
                lang: Lang::Ru,
                kind: K::PlaceDate,
                purpose: None,
                text: "город {place}, {date}".into(),
            },
        ]);
        let russian = Formulae::new(rows);
        note.enclosures.clear();
        note.body = Some(
            Texts::from_pairs([
                (Lang::En, "First.".to_owned()),
                (Lang::Ru, "Первое.".to_owned()),
            ])
            .unwrap(),
        );
        let text = compose(&russian, &note, Lang::Ru).unwrap();
        assert_eq!(
            text.opening,
            "Секретариат СВМДА свидетельствует свое уважение Казахстану и России и имеет честь сообщить нижеследующее."
        );
        assert!(
            text.closing
                .contains("возобновить Казахстану и России уверения")
        );
        assert_eq!(text.addressee_block, ["КАЗАХСТАН", "РОССИЯ"]);
        // A name without a dative, or without a Russian name, is written
        // as known.
        note.addressee_names = Some(vec![AddresseeName {
            name: Texts::from_pairs([(Lang::En, "Japan".to_owned())]).unwrap(),
            dative: None,
        }]);
        let text = compose(&russian, &note, Lang::Ru).unwrap();
        assert!(
            text.opening.contains("уважение Japan и имеет"),
            "{}",
            text.opening
        );
        assert_eq!(text.addressee_block, ["JAPAN"]);
    }

    #[test]
    fn an_unsent_note_shows_no_number_or_date() {
        let mut note = facts();
        note.number = None;
        note.date = None;
        let text = compose(&formulae(), &note, Lang::En).unwrap();
        assert_eq!(text.number_line, "№ PAR/…");
        assert_eq!(text.place_date, "Astana, …");
    }

    #[test]
    fn a_language_without_formulae_is_refused_by_name() {
        let error = compose(&formulae(), &facts(), Lang::Kk).unwrap_err();
        assert!(error.to_string().contains("KK"), "{error}");
        assert_eq!(formulae().langs(NotePurpose::Reminder), [Lang::En]);
    }

    #[test]
    fn text_rendering_separates_blocks_by_blank_lines() {
        let text = render(
            &compose(&formulae(), &facts(), Lang::En).unwrap(),
            RenderFormat::Text,
        );
        assert!(text.starts_with("SECRETARIAT\nOF CICA\n\nСЕКРЕТАРИАТ\nСВМДА\n\n№ PAR/713\n\n"));
        assert!(text.ends_with("Astana, 13 June 2024\n\nMEMBER STATES\nOF CICA\n"));
    }

    #[test]
    fn html_rendering_escapes_text_and_prints_on_a4() {
        let html = render(
            &compose(&formulae(), &facts(), Lang::En).unwrap(),
            RenderFormat::Html,
        );
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("size: A4"));
        assert!(html.contains("@media print"));
        assert!(html.contains("Second &lt;b&gt;&amp;&lt;/b&gt;."));
        assert!(!html.contains("<b>&</b>"));
    }

    #[test]
    fn a_cited_title_is_italic_in_html_and_plain_in_text() {
        let mut text = compose(&formulae(), &facts(), Lang::En).unwrap();
        text.paragraphs =
            vec!["according to the *General guidelines <2021>* adopted by the SOC, 5 * 3".into()];
        let html = render(&text, RenderFormat::Html);
        assert!(
            html.contains(
                "<p>according to the <em>General guidelines &lt;2021&gt;</em> adopted by the SOC, 5 * 3</p>"
            ),
            "{html}"
        );
        let plain = render(&text, RenderFormat::Text);
        assert!(
            plain.contains("according to the General guidelines <2021> adopted by the SOC, 5 * 3"),
            "{plain}"
        );
        assert_eq!(
            search_text(
                None,
                Some(&Texts::from_pairs([(Lang::En, "the *General* rule".into())]).unwrap())
            ),
            "the general rule"
        );
    }

    #[test]
    fn neither_format_carries_a_control_or_bidi_character() {
        let mut text = compose(&formulae(), &facts(), Lang::En).unwrap();
        text.paragraphs
            .push("forged\rline \u{0}\u{1B}[31m \u{202E}exe.txt <script>".into());
        for format in [RenderFormat::Text, RenderFormat::Html] {
            let out = render(&text, format);
            assert!(
                !out.chars().any(
                    |c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c)
                ),
                "{format:?}: {out:?}"
            );
            if format == RenderFormat::Html {
                assert!(!out.contains("<script>"), "{out}");
            }
        }
    }

    #[test]
    fn search_text_is_lower_cased_in_every_language() {
        let subject = Texts::from_pairs([
            (Lang::En, "Reminder".into()),
            (Lang::Ru, "НАПОМИНАНИЕ".into()),
        ])
        .unwrap();
        let body = Texts::from_pairs([(Lang::Kk, "ХАТШЫЛЫҚ Еске Салады".into())]).unwrap();
        assert_eq!(
            search_text(Some(&subject), Some(&body)),
            "reminder\nнапоминание\nхатшылық еске салады"
        );
        assert_eq!(search_pattern(" КСДЛ ").unwrap(), "%ксдл%");
        assert_eq!(search_pattern("50%_a\\").unwrap(), "%50\\%\\_a\\\\%");
        assert!(search_pattern("  ").is_err());
    }

    #[test]
    fn page_counts_start_at_one() {
        let enclosed = Enclosed::Document {
            title: Texts::from_pairs([(Lang::En, "Programme".into())]).unwrap(),
        };
        assert!(Enclosure::new(enclosed.clone(), 0).is_err());
        assert!(Enclosure::new(enclosed.clone(), MAX_PAGES + 1).is_err());
        assert_eq!(Enclosure::new(enclosed, 4).unwrap().pages(), 4);
    }

    #[test]
    fn enclosures_and_addressees_round_trip_through_json() {
        let e = Enclosure::new(
            Enclosed::DraftVersion {
                draft_id: "d".into(),
                version: 3,
            },
            4,
        )
        .unwrap();
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"enclosed":{"draftVersion":{"draftId":"d","version":3}},"pages":4}"#
        );
        assert_eq!(serde_json::from_str::<Enclosure>(&json).unwrap(), e);
        assert!(serde_json::from_str::<Enclosure>(&json.replace(":4", ":0")).is_err());
        let all = serde_json::to_string(&Addressees::AllMemberStates).unwrap();
        assert_eq!(all, Addressees::ALL_JSON);
        let some = Addressees::organizations(vec![OrgCode::parse("KAZ").unwrap()]).unwrap();
        assert_eq!(serde_json::to_string(&some).unwrap(), r#"["KAZ"]"#);
        assert_eq!(
            serde_json::from_str::<Addressees>(r#"["KAZ"]"#).unwrap(),
            some
        );
        assert!(serde_json::from_str::<Addressees>("[]").is_err());
        assert!(serde_json::from_str::<Addressees>(r#"["KAZ","KAZ"]"#).is_err());
    }

    #[test]
    fn purposes_and_statuses_use_their_stored_spelling() {
        assert_eq!(NotePurpose::Reminder.as_str(), "REMINDER");
        assert_eq!("ISSUED".parse::<NoteStatus>(), Ok(NoteStatus::Issued));
        assert_eq!(RenderFormat::Html.as_str(), "HTML");
    }
}
