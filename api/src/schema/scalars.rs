//! The contract's `Date` and `DateTime` scalars, with the exact formats the
//! contract promises (`2024-06-27`, `2024-06-27T10:00:00Z`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime as ChronoDateTime, NaiveDate, SecondsFormat, Utc};

/// An ISO 8601 calendar date, e.g. 2024-06-27.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// An ISO 8601 calendar date, e.g. 2024-06-27.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    InputValueError::custom(format!("{s:?} is not a date like 2024-06-27"))
                })?;
                accord_domain::check_date(date)
                    .map(Date)
                    .map_err(|e| InputValueError::custom(e.to_string()))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An ISO 8601 instant in UTC, e.g. 2024-06-27T10:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub ChronoDateTime<Utc>);

/// An ISO 8601 instant in UTC, e.g. 2024-06-27T10:00:00Z.
#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                let instant = ChronoDateTime::parse_from_rfc3339(s).map_err(|_| {
                    InputValueError::custom(format!("{s:?} is not an RFC 3339 instant"))
                })?;
                accord_domain::check_instant(instant.with_timezone(&Utc))
                    .map(DateTime)
                    .map_err(|e| InputValueError::custom(e.to_string()))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_accepted_years_are_refused() {
        for s in [
            "-4714-01-01",
            "-5000-01-01",
            "+99999-01-01",
            "1899-12-31",
            "2201-01-01",
        ] {
            assert!(Date::parse(Value::String(s.into())).is_err(), "{s}");
        }
        assert!(Date::parse(Value::String("2024-06-27".into())).is_ok());
        for s in ["+99999-01-01T00:00:00Z", "1800-01-01T00:00:00Z"] {
            assert!(DateTime::parse(Value::String(s.into())).is_err(), "{s}");
        }
        assert!(DateTime::parse(Value::String("2024-06-27T10:00:00Z".into())).is_ok());
    }
}
