//! Today's date. The system clock, unless `GUITU_TODAY=YYYY-MM-DD` fixes it (tests and
//! demonstrations need deterministic due dates).

use chrono::{Local, NaiveDate};

use crate::{ApiError, Result};

/// Name of the environment variable that fixes today's date.
pub const TODAY_ENV: &str = "GUITU_TODAY";

/// Parses a `YYYY-MM-DD` date with a bilingual error.
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    s.trim().parse::<NaiveDate>().map_err(|_| {
        ApiError::bad_input(
            format!("日期“{s}”无效，应为 YYYY-MM-DD，例如 2026-01-31"),
            format!("'{s}' is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
        )
    })
}

/// Today: `GUITU_TODAY` if set, else the local system date.
pub fn today() -> Result<NaiveDate> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.trim().is_empty() => parse_date(&v),
        _ => Ok(Local::now().date_naive()),
    }
}

pub use guitu_domain::label::zh_date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_show_the_chinese_way() {
        let d = parse_date("2026-01-31").expect("a valid date");
        assert_eq!(
            zh_date(d),
            "2026年1月31日",
            "DEVELOPERS.md: dates show as 2026年1月31日"
        );
        let e = parse_date("2026-02-30").expect_err("30 February does not exist");
        assert_eq!(e.code(), "bad_input");
        assert!(
            e.to_string().contains("YYYY-MM-DD"),
            "the message says the expected form"
        );
    }
}
