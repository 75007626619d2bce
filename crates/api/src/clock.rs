//! Today's date. The system clock, unless `GUITU_TODAY=YYYY-MM-DD` fixes it (tests and
//! demonstrations need deterministic due dates).

use chrono::{Local, NaiveDate};

use crate::{ApiError, Result};

/// Name of the environment variable that fixes today's date.
pub const TODAY_ENV: &str = "GUITU_TODAY";

/// Parses a date written exactly `YYYY-MM-DD` (`input.bad_date` otherwise).
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    guitu_domain::dates::parse_strict(s.trim()).ok_or_else(|| ApiError::bad_date(s))
}

/// Today: `GUITU_TODAY` if set, else the local system date.
pub fn today() -> Result<NaiveDate> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.trim().is_empty() => parse_date(&v),
        _ => Ok(Local::now().date_naive()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_strictly() {
        let d = parse_date("2026-01-31").expect("a valid date");
        assert_eq!(d.to_string(), "2026-01-31");
        let e = parse_date("2026-02-30").expect_err("30 February does not exist");
        assert_eq!(e.code(), "input.bad_date");
        assert!(
            parse_date("26-01-31").is_err(),
            "a two-digit year is not a date"
        );
        assert!(parse_date("2026-1-31").is_err(), "months have two digits");
    }
}
