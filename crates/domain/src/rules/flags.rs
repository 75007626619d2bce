//! The case flags a person's data implies (minor on the received date, woman, disabled,
//! foreign). A flag the data implies is always set; flags the data cannot tell (a
//! cross-province case, a minor whose birth date is unknown) are the caseworker's.

use crate::model::{Case, Person, Sex};
use crate::rules::employment::age_on;

/// Sets the flags `person`'s data implies on `case`; never clears one set by hand.
pub fn derive(person: &Person, case: &mut Case) {
    if let Some(b) = person.birth_date {
        case.flags.minor |= age_on(b.date, case.received_date) < 18;
    }
    case.flags.woman |= person.sex == Sex::Female && !case.flags.minor;
    case.flags.disabled |= person.disability.is_some();
    case.flags.foreign |= person.is_foreign();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::NaiveDate;
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn person(sex: Sex, birth: Option<NaiveDate>) -> Person {
        Person {
            id: Uuid::nil(),
            name: Some("李娜".into()),
            sex,
            birth_date: birth.map(|date| BirthDate {
                date,
                estimated: false,
            }),
            nationality: Some("越南".into()),
            ..Default::default()
        }
    }

    fn case() -> Case {
        Case {
            id: Uuid::nil(),
            case_number: "DZ-2026-0001".into(),
            person_id: Uuid::nil(),
            institution: "区救助管理站".into(),
            institution_kind: InstitutionKind::AssistanceStation,
            received_date: d(2026, 1, 10),
            referral: ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "张敏".into(),
            flags: CaseFlags::default(),
            stage: Stage::Intake,
        }
    }

    #[test]
    fn a_girl_is_a_minor_not_a_woman_and_foreign_nationality_is_flagged() {
        let mut c = case();
        derive(&person(Sex::Female, Some(d(2010, 1, 11))), &mut c);
        assert!(c.flags.minor, "15 on the received date");
        assert!(!c.flags.woman, "a girl is flagged as a minor, not a woman");
        assert!(c.flags.foreign, "越南 is not Chinese nationality");
    }

    #[test]
    fn an_adult_woman_on_her_eighteenth_birthday_is_a_woman() {
        let mut c = case();
        derive(&person(Sex::Female, Some(d(2008, 1, 10))), &mut c);
        assert!(!c.flags.minor && c.flags.woman, "18 on the day: an adult");
    }

    #[test]
    fn flags_set_by_hand_are_kept() {
        let mut c = case();
        c.flags.cross_province = true;
        c.flags.minor = true;
        derive(&person(Sex::Male, None), &mut c);
        assert!(c.flags.cross_province && c.flags.minor, "never cleared");
    }
}
