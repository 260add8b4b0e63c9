//! Checks of the constraints a spec puts on strings, made before a request is sent.
//!
//! Not every spec uses every check.
#![allow(dead_code)]

use super::ValidationError;

/// Checks a length in characters (Unicode scalar values, as JSON Schema counts them).
pub(crate) fn length(field: &str, value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ValidationError> {
    let length = value.chars().count() as u64;
    let too_short = min.is_some_and(|min| length < min);
    let too_long = max.is_some_and(|max| length > max);
    if !too_short && !too_long {
        return Ok(());
    }
    let allowed = match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max} characters"),
        (Some(min), None) => format!("at least {min} characters"),
        (None, Some(max)) => format!("at most {max} characters"),
        (None, None) => return Ok(()),
    };
    Err(ValidationError::new(field, format!("must be {allowed} long, but is {length}")))
}

/// Checks that a value has the shape of an email address (RFC 5322 addr-spec).
pub(crate) fn email(field: &str, value: &str) -> Result<(), ValidationError> {
    if email_address::EmailAddress::is_valid(value) {
        Ok(())
    } else {
        Err(ValidationError::new(field, format!("must be an email address, but is `{value}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_are_inclusive_and_count_characters() {
        assert!(length("d", "abc", Some(3), Some(5)).is_ok());
        assert!(length("d", "abcde", Some(3), Some(5)).is_ok());
        assert!(length("d", "ééé", Some(3), Some(3)).is_ok(), "3 characters, 6 bytes");
        let short = length("d", "ab", Some(3), Some(255)).expect_err("too short");
        assert_eq!(short.to_string(), "`d` must be between 3 and 255 characters long, but is 2");
        assert!(length("d", &"a".repeat(256), Some(3), Some(255)).is_err());
        assert!(length("d", "", None, Some(1)).is_ok());
        assert_eq!(
            length("d", "ab", None, Some(1)).expect_err("too long").to_string(),
            "`d` must be at most 1 characters long, but is 2"
        );
    }

    #[test]
    fn email_shape() {
        assert!(email("email", "jane.doe@example.com").is_ok());
        for bad in ["", "jane", "jane@", "@example.com", "jane doe@example.com"] {
            assert!(email("email", bad).is_err(), "{bad:?} passed");
        }
    }
}
