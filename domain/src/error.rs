//! The one error type of the domain crate: a value that breaks a rule.
//!
//! Every message is plain English naming the offending value, because the API
//! hands it to the client unchanged (as `BAD_USER_INPUT`).

/// A value was rejected by one of the domain's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The value has the wrong shape, e.g. `invalid note number "PAR713": expected SERIES/SEQUENCE`.
    #[error("invalid {what} {value:?}: {reason}")]
    Invalid {
        /// What kind of value it was meant to be ("note number").
        what: &'static str,
        /// The rejected input (shortened when very long).
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The value is not one of a closed list, e.g. `unknown language "FR"; expected one of EN, RU, KK, ZH`.
    #[error("unknown {what} {value:?}; expected one of {expected}")]
    Unknown {
        /// What kind of value it was meant to be ("language").
        what: &'static str,
        /// The rejected input (shortened when very long).
        value: String,
        /// The accepted spellings, comma-separated.
        expected: String,
    },
    /// A required text is empty or only whitespace, e.g. `reason must not be empty`.
    #[error("{field} must not be empty")]
    Empty {
        /// The name of the field.
        field: String,
    },
    /// A text is too long, e.g. `body is longer than 20000 characters`.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// The name of the field.
        field: String,
        /// The largest accepted number of characters.
        max: usize,
    },
    /// A list is longer than allowed, e.g. `too many items: at most 2000 are allowed`.
    #[error("too many {what}: at most {max} are allowed")]
    TooMany {
        /// What the list holds ("items").
        what: &'static str,
        /// The largest accepted length.
        max: usize,
    },
    /// A value that must be unique appears twice, e.g. `duplicate anchor "item-1"`.
    #[error("duplicate {what} {value:?}")]
    Duplicate {
        /// What kind of value is repeated ("anchor").
        what: &'static str,
        /// The repeated value.
        value: String,
    },
}

/// The result of a domain constructor or rule.
pub type Result<T> = std::result::Result<T, DomainError>;

/// The longest part of a rejected input quoted back in a message.
const SHOWN_CHARS: usize = 60;

impl DomainError {
    /// Builds an [`DomainError::Invalid`], quoting at most the start of a long input.
    pub(crate) fn invalid(what: &'static str, value: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            what,
            value: shown(value),
            reason: reason.into(),
        }
    }
}

/// Shortens a user-supplied value so an error message stays readable.
pub(crate) fn shown(value: &str) -> String {
    if value.chars().count() <= SHOWN_CHARS {
        value.to_owned()
    } else {
        let mut short: String = value.chars().take(SHOWN_CHARS).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_message_names_the_value_and_the_reason() {
        let error = DomainError::invalid("note number", "PAR713", "expected SERIES/SEQUENCE");
        assert_eq!(
            error.to_string(),
            r#"invalid note number "PAR713": expected SERIES/SEQUENCE"#
        );
    }

    #[test]
    fn a_very_long_value_is_shortened_in_the_message() {
        let long = "A".repeat(500);
        let message = DomainError::invalid("organisation code", &long, "too long").to_string();
        assert!(message.len() < 120, "{message}");
        assert!(message.contains('…'));
    }

    #[test]
    fn empty_and_too_long_messages_name_the_field() {
        let empty = DomainError::Empty {
            field: "reason".into(),
        };
        let long = DomainError::TooLong {
            field: "body".into(),
            max: 20_000,
        };
        assert_eq!(empty.to_string(), "reason must not be empty");
        assert_eq!(long.to_string(), "body is longer than 20000 characters");
    }
}
