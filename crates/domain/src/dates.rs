//! Dates and ids read strictly: a date is written exactly `YYYY-MM-DD` and an id is a
//! canonical lower-case UUID. A lenient reader turns `26-01-05` into the year 26 and the
//! deadline query never sees the case again; strictness refuses it where it is typed.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// A date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
pub fn parse_strict(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Why a written value is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not written as a date at all.
    NotADate,
    /// Written as a date that does not exist (2026年2月30日, Excel's 29 February 1900).
    Impossible,
}

/// A date as people write it: 2025年3月5日, 2025.3.5, 2025/3/5, 2025-03-05 or 20250305,
/// with full-width digits and spaces allowed. Two-digit years and other orders are not
/// dates (never guessed). The one reader of written dates: the ledger import reads cells
/// with it, and the desktop's date field reads what is typed the same way (its test
/// cases, `tests/written_dates.json`, are checked against this function).
pub fn text_date(s: &str) -> Result<NaiveDate, DateProblem> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '／' => '/',
            '－' | '—' | '–' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日').or(s.strip_suffix('号')) {
        rest.split(['年', '月']).collect()
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.split(['.', '/', '-']).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(DateProblem::NotADate);
    };
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (
        y.len().eq(&4).then(|| num(y, 4)).flatten(),
        num(m, 2),
        num(d, 2),
    ) else {
        return Err(DateProblem::NotADate);
    };
    let y = i32::try_from(y).map_err(|_| DateProblem::NotADate)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateProblem::Impossible)
}

/// The message of a refused date (never the value: it may be anything).
pub const BAD_DATE: &str = "invalid date: expected YYYY-MM-DD";
/// The message of a refused id.
pub const BAD_ID: &str = "invalid id: expected a canonical lower-case UUID";

/// `deserialize_with` for a date field.
pub fn strict<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse_strict(&s).ok_or_else(|| serde::de::Error::custom(BAD_DATE))
}

/// `deserialize_with` for an optional date field (`null` or absent is `None`).
pub fn strict_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_strict(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(BAD_DATE)),
    }
}

/// `deserialize_with` for an id: only the canonical form (`0192…-…`, lower case, with
/// hyphens), so one record never has two spellings.
pub fn canonical_id<'de, D: Deserializer<'de>>(d: D) -> Result<Uuid, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    match Uuid::try_parse(&s) {
        Ok(id) if id.hyphenated().to_string() == *s => Ok(id),
        _ => Err(serde::de::Error::custom(BAD_ID)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_full_form_is_a_date() {
        assert_eq!(
            parse_strict("2026-01-05").map(|d| d.to_string()).as_deref(),
            Some("2026-01-05")
        );
        for bad in [
            "26-01-05",
            "2026-1-5",
            "2026-02-30",
            "２０２６-01-05",
            "2026/01/05",
            " 2026-01-05",
            "+2026-01-05",
        ] {
            assert_eq!(parse_strict(bad), None, "{bad:?} is refused");
        }
    }

    #[test]
    fn ids_have_one_spelling() {
        #[derive(Deserialize)]
        struct X {
            #[serde(deserialize_with = "canonical_id")]
            id: Uuid,
        }
        let ok: X = serde_json::from_str(r#"{"id":"0192f0d8-7c3a-7b2e-9f00-0a1b2c3d4e5f"}"#)
            .expect("canonical");
        assert_eq!(ok.id.to_string(), "0192f0d8-7c3a-7b2e-9f00-0a1b2c3d4e5f");
        for bad in [
            "0192F0D8-7C3A-7B2E-9F00-0A1B2C3D4E5F",
            "0192f0d87c3a7b2e9f000a1b2c3d4e5f",
            "{0192f0d8-7c3a-7b2e-9f00-0a1b2c3d4e5f}",
            "urn:uuid:0192f0d8-7c3a-7b2e-9f00-0a1b2c3d4e5f",
        ] {
            let r = serde_json::from_str::<X>(&format!(r#"{{"id":"{bad}"}}"#));
            assert!(r.is_err(), "{bad} is not the canonical spelling");
        }
    }

    /// The cases the desktop's date field is tested with too (ui/src/lib/dateInput.test.ts):
    /// the two readers agree on every one.
    #[test]
    fn written_dates_read_as_the_shared_cases_say() {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../tests/written_dates.json"))
                .expect("the shared cases are JSON");
        assert!(cases.len() >= 10, "the shared cases are there");
        for c in cases {
            let input = c["input"].as_str().expect("input is text");
            let got = match text_date(input) {
                Ok(d) => d.to_string(),
                Err(DateProblem::Impossible) => "impossible".to_owned(),
                Err(DateProblem::NotADate) => "not_a_date".to_owned(),
            };
            assert_eq!(got, c["read"].as_str().unwrap_or_default(), "{input:?}");
        }
    }
}
