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
}
