//! Numbers of notes verbales and decisions, and the Roman numerals of
//! sessions: `PAR/713`, `SOC/2024-II/DEC/3`.

use std::fmt;

use crate::{DomainError, Result};

/// The largest sequence number of a note or decision.
const MAX_SEQUENCE: u32 = 999_999;

/// The prefix of a series of notes verbales, e.g. `PAR` or `SOC`.
///
/// 1 to 10 ASCII upper-case letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteSeries(String);

impl NoteSeries {
    /// Checks and wraps a series prefix.
    pub fn parse(s: &str) -> Result<NoteSeries> {
        check_prefix("note series", s)?;
        Ok(NoteSeries(s.to_owned()))
    }

    /// The prefix as written, e.g. `"PAR"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `SOC`, the series of the Secretariat's notes to the Senior Officials
    /// Committee's member states (SOC/19), in which reminders are drafted
    /// unless configured otherwise.
    pub fn soc() -> NoteSeries {
        NoteSeries("SOC".to_owned())
    }
}

impl fmt::Display for NoteSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_newtype!(NoteSeries);

/// The number of a note verbale: a series and a sequence, written `PAR/713`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteNumber {
    series: NoteSeries,
    sequence: u32,
}

impl NoteNumber {
    /// Builds a note number; the sequence must be 1 to 999999.
    pub fn new(series: NoteSeries, sequence: u32) -> Result<NoteNumber> {
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(DomainError::invalid(
                "note sequence",
                &sequence.to_string(),
                format!("must be between 1 and {MAX_SEQUENCE}"),
            ));
        }
        Ok(NoteNumber { series, sequence })
    }

    /// Parses `SERIES/SEQUENCE`, e.g. `PAR/713`: no spaces, no leading zeros.
    pub fn parse(s: &str) -> Result<NoteNumber> {
        let (series, sequence) = s.split_once('/').ok_or_else(|| {
            DomainError::invalid("note number", s, "expected SERIES/SEQUENCE, e.g. PAR/713")
        })?;
        let series = NoteSeries::parse(series).map_err(|_| {
            DomainError::invalid(
                "note number",
                s,
                "the series must be 1 to 10 upper-case letters A-Z",
            )
        })?;
        let sequence = parse_sequence(sequence)
            .map_err(|reason| DomainError::invalid("note number", s, reason))?;
        NoteNumber::new(series, sequence)
    }

    /// The series, e.g. `PAR`.
    pub fn series(&self) -> &NoteSeries {
        &self.series
    }

    /// The sequence within the series, e.g. `713`.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for NoteNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.series, self.sequence)
    }
}

string_newtype!(NoteNumber);

/// Roman numerals in order of value, with the subtractive pairs.
const ROMAN: [(u32, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// Writes `n` (1 to 3999) as an upper-case Roman numeral, e.g. `2` → `"II"`.
pub fn to_roman(n: u32) -> Result<String> {
    if !(1..=3999).contains(&n) {
        return Err(DomainError::invalid(
            "Roman numeral value",
            &n.to_string(),
            "must be between 1 and 3999",
        ));
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, letters) in ROMAN {
        while rest >= value {
            out.push_str(letters);
            rest -= value;
        }
    }
    Ok(out)
}

/// Reads a canonical upper-case Roman numeral (1 to 3999), e.g. `"III"` → `3`.
///
/// Only the form [`to_roman`] writes is accepted, so `"IIII"`, `"IC"` and
/// `"iv"` are rejected.
pub fn parse_roman(s: &str) -> Result<u32> {
    let invalid = || {
        DomainError::invalid(
            "Roman numeral",
            s,
            "expected an upper-case Roman numeral from I to MMMCMXCIX",
        )
    };
    // The longest canonical numeral, MMMDCCCLXXXVIII, has 15 letters.
    if s.is_empty() || s.len() > 15 {
        return Err(invalid());
    }
    let digit = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values = s
        .chars()
        .map(digit)
        .collect::<Option<Vec<u32>>>()
        .ok_or_else(invalid)?;
    let mut total: i64 = 0;
    for (i, &value) in values.iter().enumerate() {
        let next = values.get(i + 1).copied().unwrap_or(0);
        if value < next {
            total -= i64::from(value);
        } else {
            total += i64::from(value);
        }
    }
    let n = u32::try_from(total).map_err(|_| invalid())?;
    // Summing accepts many spellings of one number; only the canonical one may pass.
    match to_roman(n) {
        Ok(canonical) if canonical == s => Ok(n),
        _ => Err(invalid()),
    }
}

/// A session of a body in a year, written `2024-II` (the second session of 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionNumber {
    year: i32,
    session: u32,
}

impl SessionNumber {
    /// Builds a session number: year 1990 to 2999, session 1 to 3999.
    pub fn new(year: i32, session: u32) -> Result<SessionNumber> {
        if !(1990..=2999).contains(&year) {
            return Err(DomainError::invalid(
                "session year",
                &year.to_string(),
                "must be between 1990 and 2999",
            ));
        }
        to_roman(session)?;
        Ok(SessionNumber { year, session })
    }

    /// Parses `YEAR-ROMAN`, e.g. `2023-III`.
    pub fn parse(s: &str) -> Result<SessionNumber> {
        let invalid = |reason: &str| DomainError::invalid("session number", s, reason);
        let (year, session) = s
            .split_once('-')
            .ok_or_else(|| invalid("expected YEAR-SESSION, e.g. 2024-II"))?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("the year must be four digits"));
        }
        let year: i32 = year
            .parse()
            .map_err(|_| invalid("the year must be four digits"))?;
        let session = parse_roman(session)
            .map_err(|_| invalid("the session must be an upper-case Roman numeral, e.g. II"))?;
        SessionNumber::new(year, session)
            .map_err(|_| invalid("the year must be between 1990 and 2999"))
    }

    /// The year, e.g. `2024`.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The session within the year, e.g. `2` for `II`.
    pub fn session(&self) -> u32 {
        self.session
    }
}

impl fmt::Display for SessionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `new` keeps the session within 1..=3999, so this cannot fail.
        let roman = to_roman(self.session).map_err(|_| fmt::Error)?;
        write!(f, "{}-{}", self.year, roman)
    }
}

string_newtype!(SessionNumber);

/// The number of a decision of a body at a session, written `SOC/2024-II/DEC/3`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DecisionNumber {
    body: String,
    session: SessionNumber,
    sequence: u32,
}

impl DecisionNumber {
    /// Builds a decision number: the body is 1 to 10 upper-case letters, the
    /// sequence 1 to 999999.
    pub fn new(body: &str, session: SessionNumber, sequence: u32) -> Result<DecisionNumber> {
        check_prefix("decision body", body)?;
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(DomainError::invalid(
                "decision sequence",
                &sequence.to_string(),
                format!("must be between 1 and {MAX_SEQUENCE}"),
            ));
        }
        Ok(DecisionNumber {
            body: body.to_owned(),
            session,
            sequence,
        })
    }

    /// Parses `BODY/YEAR-SESSION/DEC/SEQUENCE`, e.g. `SOC/2024-II/DEC/3`.
    pub fn parse(s: &str) -> Result<DecisionNumber> {
        let invalid = |reason: &str| DomainError::invalid("decision number", s, reason);
        let parts: Vec<&str> = s.split('/').collect();
        let [body, session, dec, sequence] = parts[..] else {
            return Err(invalid(
                "expected BODY/YEAR-SESSION/DEC/SEQUENCE, e.g. SOC/2024-II/DEC/3",
            ));
        };
        if dec != "DEC" {
            return Err(invalid("the third part must be DEC"));
        }
        check_prefix("decision body", body)
            .map_err(|_| invalid("the body must be 1 to 10 upper-case letters A-Z"))?;
        let session = SessionNumber::parse(session)
            .map_err(|_| invalid("the session must be YEAR-ROMAN, e.g. 2024-II"))?;
        let sequence = parse_sequence(sequence).map_err(invalid)?;
        DecisionNumber::new(body, session, sequence)
    }

    /// The deciding body, e.g. `SOC`.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The session at which the decision was taken.
    pub fn session(&self) -> SessionNumber {
        self.session
    }

    /// The sequence within the session, e.g. `3`.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// The year of the session.
    pub fn year(&self) -> i32 {
        self.session.year()
    }
}

impl fmt::Display for DecisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/DEC/{}", self.body, self.session, self.sequence)
    }
}

string_newtype!(DecisionNumber);

/// Checks a series or body prefix: 1 to 10 ASCII upper-case letters.
fn check_prefix(what: &'static str, s: &str) -> Result<()> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(DomainError::invalid(
            what,
            s,
            "must be 1 to 10 upper-case letters A-Z",
        ));
    }
    Ok(())
}

/// Reads a sequence written in decimal without sign, spaces or leading zeros,
/// from 1 to 999999. The error is the reason, for the caller to wrap.
fn parse_sequence(s: &str) -> std::result::Result<u32, &'static str> {
    const REASON: &str = "the sequence must be a number from 1 to 999999 without leading zeros";
    if s.is_empty() || s.len() > 6 || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(REASON);
    }
    s.parse().map_err(|_| REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_note_numbers_parse_and_print_back() {
        for text in [
            "PAR/713",
            "SOC/19",
            "PAR/1453",
            "PAR/361",
            "A/1",
            "ABCDEFGHIJ/999999",
        ] {
            let number = NoteNumber::parse(text).unwrap();
            assert_eq!(number.to_string(), text);
            assert_eq!(text.parse::<NoteNumber>().unwrap(), number);
        }
        let number = NoteNumber::parse("PAR/713").unwrap();
        assert_eq!(number.series().as_str(), "PAR");
        assert_eq!(number.sequence(), 713);
    }

    #[test]
    fn note_number_without_a_slash_is_rejected() {
        let error = NoteNumber::parse("PAR713").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid note number \"PAR713\": expected SERIES/SEQUENCE, e.g. PAR/713"
        );
    }

    #[test]
    fn malformed_note_numbers_are_rejected() {
        for text in [
            "",
            "/713",
            "PAR/",
            "par/713",
            "PAR /713",
            "PAR/ 713",
            "PAR/713 ",
            "PAR/0",
            "PAR/0713",
            "PAR/+713",
            "PAR/1000000",
            "PAR/7/1",
            "ABCDEFGHIJK/1",
            "PA1/3",
        ] {
            assert!(NoteNumber::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn note_number_sequence_zero_is_rejected_by_new() {
        let series = NoteSeries::parse("SOC").unwrap();
        assert!(NoteNumber::new(series.clone(), 0).is_err());
        assert_eq!(NoteNumber::new(series, 19).unwrap().to_string(), "SOC/19");
    }

    #[test]
    fn note_number_serialises_as_its_written_form() {
        let number = NoteNumber::parse("SOC/19").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"SOC/19\"");
        assert_eq!(
            serde_json::from_str::<NoteNumber>("\"SOC/19\"").unwrap(),
            number
        );
        assert!(serde_json::from_str::<NoteNumber>("\"SOC/019\"").is_err());
    }

    #[test]
    fn roman_numerals_round_trip_for_every_value() {
        for n in 1..=3999 {
            assert_eq!(parse_roman(&to_roman(n).unwrap()), Ok(n));
        }
        assert_eq!(to_roman(2024).unwrap(), "MMXXIV");
        assert_eq!(to_roman(3999).unwrap(), "MMMCMXCIX");
    }

    #[test]
    fn roman_numerals_out_of_range_cannot_be_written() {
        assert!(to_roman(0).is_err());
        assert!(to_roman(4000).is_err());
    }

    #[test]
    fn non_canonical_roman_numerals_are_rejected() {
        for text in [
            "", "IIII", "iv", "IC", "VX", "MMMM", "IIV", "XM", "II ", "Ⅱ", "ABC",
        ] {
            assert!(parse_roman(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn session_numbers_parse_and_print_back() {
        let session = SessionNumber::parse("2023-III").unwrap();
        assert_eq!((session.year(), session.session()), (2023, 3));
        assert_eq!(session.to_string(), "2023-III");
        assert_eq!(SessionNumber::new(2024, 2).unwrap().to_string(), "2024-II");
    }

    #[test]
    fn malformed_session_numbers_are_rejected() {
        for text in [
            "2023", "2023-", "2023-iii", "1989-I", "3000-I", "23-II", "+2023-II", "2023-II-",
            "2023 -II",
        ] {
            assert!(SessionNumber::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn decision_numbers_parse_and_print_back() {
        for text in [
            "SOC/2024-II/DEC/3",
            "SOC/2023-III/DEC/2",
            "SWG/1992-XII/DEC/120",
        ] {
            assert_eq!(DecisionNumber::parse(text).unwrap().to_string(), text);
        }
        let decision = DecisionNumber::parse("SOC/2024-II/DEC/3").unwrap();
        assert_eq!(decision.body(), "SOC");
        assert_eq!(decision.session(), SessionNumber::new(2024, 2).unwrap());
        assert_eq!(decision.sequence(), 3);
        assert_eq!(decision.year(), 2024);
        assert_eq!(
            DecisionNumber::new("SOC", SessionNumber::new(2024, 2).unwrap(), 3).unwrap(),
            decision
        );
    }

    #[test]
    fn malformed_decision_numbers_are_rejected() {
        for text in [
            "SOC/2024-ii/DEC/3",
            "SOC/2024-II/DEC/0",
            "SOC/2024-II/DEC/03",
            "SOC/2024-II/DECISION/3",
            "SOC/2024-II/DEC/3/",
            "SOC/2024-II/DEC/3x",
            "SOC/2024-II/DEC/3 ",
            "soc/2024-II/DEC/3",
            "SOC/2024/DEC/3",
            "SOC/2024-II/3",
            "",
        ] {
            assert!(DecisionNumber::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_decision_number_error_names_the_value() {
        let error = DecisionNumber::parse("SOC/2024-II/DECISION/3").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid decision number \"SOC/2024-II/DECISION/3\": the third part must be DEC"
        );
    }
}
