//! R-ID-NUM: resident ID numbers (居民身份证号码, GB 11643).

use chrono::NaiveDate;

use crate::{DomainError, IdNumberProblem, Warning};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u32; 17]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    CHECK[(sum % 11) as usize]
}

/// The 18-character form of an old 15-digit number (issued before 1999): the birth year
/// gains its "19" and the check character is computed. `None` unless 15 ASCII digits.
pub fn upgrade_15(id: &str) -> Option<String> {
    let id = id.trim();
    if id.len() != 15 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{}19{}", &id[..6], &id[6..]);
    let mut digits = [0u32; 17];
    for (slot, c) in digits.iter_mut().zip(first17.chars()) {
        *slot = c.to_digit(10)?;
    }
    let mut out = first17;
    out.push(check_character(&digits));
    Some(out)
}

/// Normalises (trims, upper-cases a final x, gives an old 15-digit number its 18-character
/// form) and checks an ID number; returns the normalised number and the birth date it
/// encodes.
pub fn parse(id: &str) -> Result<(String, NaiveDate), DomainError> {
    let id = upgrade_15(id).unwrap_or_else(|| id.trim().to_uppercase());
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(DomainError::InvalidResidentId {
            problem: IdNumberProblem::Length,
        });
    }
    let mut digits = [0u32; 17];
    for (slot, c) in digits.iter_mut().zip(&chars) {
        *slot = c.to_digit(10).ok_or(DomainError::InvalidResidentId {
            problem: IdNumberProblem::Characters,
        })?;
    }
    let last = chars[17];
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(DomainError::InvalidResidentId {
            problem: IdNumberProblem::Characters,
        });
    }
    let num = |r: std::ops::Range<usize>| digits[r].iter().fold(0u32, |acc, d| acc * 10 + d);
    let birth = i32::try_from(num(6..10))
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, num(10..12), num(12..14)))
        .filter(|d| d.year_ce().1 >= 1900)
        .ok_or(DomainError::InvalidResidentId {
            problem: IdNumberProblem::BirthDate,
        })?;
    if check_character(&digits) != last {
        return Err(DomainError::InvalidResidentId {
            problem: IdNumberProblem::CheckCharacter,
        });
    }
    Ok((id, birth))
}

use chrono::Datelike;

/// A warning when the ID number's birth date differs from the recorded one.
pub fn birth_date_warning(id_birth: NaiveDate, recorded: Option<NaiveDate>) -> Option<Warning> {
    match recorded {
        Some(recorded) if recorded != id_birth => {
            Some(Warning::IdBirthDateMismatch { id_birth, recorded })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A number built for tests: 11010519491231002 + check character.
    const VALID: &str = "11010519491231002X";

    #[test]
    fn a_valid_number_parses_with_its_birth_date() {
        let (n, birth) = parse(" 11010519491231002x ").expect("the GB 11643 example is valid");
        assert_eq!(n, VALID, "a lower-case x is normalised");
        assert_eq!(birth, NaiveDate::from_ymd_opt(1949, 12, 31).expect("date"));
    }

    #[test]
    fn each_problem_is_named() {
        assert_eq!(
            parse("1234").unwrap_err(),
            DomainError::InvalidResidentId {
                problem: IdNumberProblem::Length
            }
        );
        assert_eq!(
            parse("1101051949123100AX").unwrap_err(),
            DomainError::InvalidResidentId {
                problem: IdNumberProblem::Characters
            }
        );
        assert_eq!(
            parse("110105194902300021").unwrap_err(),
            DomainError::InvalidResidentId {
                problem: IdNumberProblem::BirthDate
            },
            "30 February is no birth date"
        );
        assert_eq!(
            parse("110105194912310021").unwrap_err(),
            DomainError::InvalidResidentId {
                problem: IdNumberProblem::CheckCharacter
            },
            "the check character of this number is X, not 1"
        );
    }

    #[test]
    fn an_old_fifteen_digit_number_becomes_its_eighteen_character_form() {
        // 110105491231002 is the 15-digit form of the GB 11643 example 11010519491231002X.
        assert_eq!(upgrade_15("110105491231002").as_deref(), Some(VALID));
        let (n, birth) = parse(" 110105491231002 ").expect("a 15-digit number is upgraded");
        assert_eq!(n, VALID, "stored in its 18-character form");
        assert_eq!(birth, NaiveDate::from_ymd_opt(1949, 12, 31).expect("date"));
        assert_eq!(upgrade_15("11010549123100X"), None, "15 digits, no letter");
        assert_eq!(
            parse("110105490230002").unwrap_err(),
            DomainError::InvalidResidentId {
                problem: IdNumberProblem::BirthDate
            },
            "an old number's birth date is checked too"
        );
    }

    #[test]
    fn mismatching_birth_date_warns() {
        let id_birth = NaiveDate::from_ymd_opt(1949, 12, 31).expect("date");
        assert!(birth_date_warning(id_birth, Some(id_birth)).is_none());
        assert!(birth_date_warning(id_birth, None).is_none());
        let w = birth_date_warning(id_birth, NaiveDate::from_ymd_opt(1950, 1, 1))
            .expect("a mismatch warns");
        assert!(matches!(w, Warning::IdBirthDateMismatch { .. }));
    }
}
