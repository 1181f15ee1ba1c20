//! Time as Accord records it: instants in UTC to the microsecond (what both
//! databases store exactly), and calendar dates in Astana, where the
//! Secretariat dates its notes.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, SubsecRound, Utc};

use crate::error::{Result, WorkflowError};

/// Astana's offset from UTC (UTC+5 since 1 March 2024).
const ASTANA_OFFSET_SECS: i32 = 5 * 3600;

/// The current instant, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// `instant` as the text columns store it: RFC 3339 in UTC, to the
/// microsecond (`2024-06-13T06:00:00.000000Z`).
pub fn stamp(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An instant read back from a text column written by [`stamp`]; `what`
/// names the row for the error if the text is not one.
pub fn parse_stamp(text: &str, what: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.with_timezone(&Utc))
        .map_err(|error| WorkflowError::Corrupt(format!("{what}: {error}")))
}

/// The calendar date in Astana at `instant`.
pub fn astana_date(instant: DateTime<Utc>) -> NaiveDate {
    astana_time(instant).date()
}

/// `instant` on the wall clock in Astana.
pub fn astana_time(instant: DateTime<Utc>) -> NaiveDateTime {
    match FixedOffset::east_opt(ASTANA_OFFSET_SECS) {
        Some(offset) => instant.with_timezone(&offset).naive_local(),
        None => instant.naive_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_astana() {
        let instant = crate::testing::at("2024-06-12T20:30:00Z");
        assert_eq!(
            astana_date(instant),
            NaiveDate::from_ymd_opt(2024, 6, 13).unwrap()
        );
    }
}
