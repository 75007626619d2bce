//! R-EMP-16: employment services are for persons aged 16 or over.

use chrono::{Datelike, NaiveDate};

use crate::model::BirthDate;
use crate::{DomainError, Warning};

/// Full years of age on `on` (满周岁): a birthday counts from its day.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Checks an employment service on `service_date`. Under 16 is refused; an estimated or
/// unknown birth date passes with a warning, never silently.
pub fn check(
    birth: Option<BirthDate>,
    service_date: NaiveDate,
) -> Result<Vec<Warning>, DomainError> {
    let Some(birth) = birth else {
        return Ok(vec![Warning::AgeUnknown]);
    };
    let age = age_on(birth.date, service_date);
    if age < 16 {
        return Err(DomainError::EmploymentUnder16 { age });
    }
    if birth.estimated {
        return Ok(vec![Warning::EstimatedBirthDate { age }]);
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn age_counts_from_the_birthday_itself() {
        assert_eq!(
            age_on(d(2010, 3, 15), d(2026, 3, 14)),
            15,
            "the day before the 16th birthday"
        );
        assert_eq!(
            age_on(d(2010, 3, 15), d(2026, 3, 15)),
            16,
            "满十六周岁 on the birthday"
        );
        assert_eq!(
            age_on(d(2008, 2, 29), d(2024, 2, 28)),
            15,
            "leap-day birthday not yet reached"
        );
        assert_eq!(age_on(d(2008, 2, 29), d(2024, 2, 29)), 16);
    }

    #[test]
    fn a_fifteen_year_old_is_refused_and_sixteen_passes() {
        let birth = Some(BirthDate {
            date: d(2010, 6, 1),
            estimated: false,
        });
        assert_eq!(
            check(birth, d(2026, 5, 31)),
            Err(DomainError::EmploymentUnder16 { age: 15 })
        );
        assert_eq!(check(birth, d(2026, 6, 1)), Ok(vec![]));
    }

    #[test]
    fn estimated_or_unknown_birth_dates_warn() {
        let est = Some(BirthDate {
            date: d(2008, 1, 1),
            estimated: true,
        });
        let w = check(est, d(2026, 6, 1)).expect("17 by the estimate passes");
        assert_eq!(w.len(), 1, "an estimate must never pass silently");
        assert_eq!(w[0], Warning::EstimatedBirthDate { age: 18 });
        let w = check(None, d(2026, 6, 1)).expect("unknown birth passes with a warning");
        assert_eq!(w[0], Warning::AgeUnknown);
    }
}
