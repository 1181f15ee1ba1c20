//! Time as Accord records it: instants in UTC to the microsecond (what both
//! databases store exactly), and calendar dates in Astana, where the
//! Secretariat dates its notes.

use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};

/// Astana's offset from UTC (UTC+5 since 1 March 2024).
const ASTANA_OFFSET_SECS: i32 = 5 * 3600;

/// The current instant, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The calendar date in Astana at `instant`.
pub fn astana_date(instant: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(ASTANA_OFFSET_SECS) {
        Some(offset) => instant.with_timezone(&offset).date_naive(),
        None => instant.date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_astana() {
        let instant = DateTime::parse_from_rfc3339("2024-06-12T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            astana_date(instant),
            NaiveDate::from_ymd_opt(2024, 6, 13).unwrap()
        );
    }
}
