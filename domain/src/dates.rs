//! The calendar every date and instant Accord accepts must fall in.
//!
//! Dates far outside any calendar (`-4714-01-01`, `+99999-01-01`) are not
//! dates of an intergovernmental document. They are refused at the edge so
//! that both databases see only four-digit years: PostgreSQL's `date` cannot
//! hold every date chrono can, and SQLite compares dates as text.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::{DomainError, Result};

/// The first year of the accepted calendar.
pub const FIRST_YEAR: i32 = 1900;

/// The last year of the accepted calendar.
pub const LAST_YEAR: i32 = 2200;

/// Checks that `date` falls in years [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn check_date(date: NaiveDate) -> Result<NaiveDate> {
    check_year(date.year(), &date.format("%Y-%m-%d").to_string())?;
    Ok(date)
}

/// Checks that `instant` falls in years [`FIRST_YEAR`]–[`LAST_YEAR`] (UTC).
pub fn check_instant(instant: DateTime<Utc>) -> Result<DateTime<Utc>> {
    check_year(instant.year(), &instant.to_rfc3339())?;
    Ok(instant)
}

fn check_year(year: i32, shown: &str) -> Result<()> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "date",
            shown,
            format!("years {FIRST_YEAR} to {LAST_YEAR} are accepted"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_first_and_last_days_are_accepted_and_their_neighbours_refused() {
        assert!(check_date(day(1900, 1, 1)).is_ok());
        assert!(check_date(day(2200, 12, 31)).is_ok());
        assert!(check_date(day(1899, 12, 31)).is_err());
        assert!(check_date(day(2201, 1, 1)).is_err());
        assert!(check_date(day(-4714, 1, 1)).is_err());
    }

    #[test]
    fn an_instant_is_checked_by_its_utc_year() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(check_instant(at("2024-06-27T10:00:00Z")).is_ok());
        assert!(check_instant(at("2200-12-31T23:59:59Z")).is_ok());
        // 2201-01-01 in Astana is still 2200 in UTC.
        assert!(check_instant(at("2201-01-01T03:00:00+05:00")).is_ok());
        assert_eq!(
            check_instant(at("9999-01-01T00:00:00Z"))
                .unwrap_err()
                .to_string(),
            "invalid date \"9999-01-01T00:00:00+00:00\": years 1900 to 2200 are accepted"
        );
    }
}
