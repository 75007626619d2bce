//! The case flags a person's data implies (minor on the received date, woman, disabled,
//! foreign). Where the data decides a flag, the flag is what the data says, never ticked
//! by hand; flags the data cannot tell (a cross-province case, a minor whose birth date is
//! unknown) are the caseworker's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Case, Person, Sex, foreign_nationality};
use crate::rules::employment::age_on;

/// What the flags depend on: the person's data as far as it is known (a form being
/// filled in may not have a sex or a received date yet) and the caseworker's own
/// `minor` tick, which decides `woman` while the birth date is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FlagFacts {
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub received_date: Option<NaiveDate>,
    /// A disability is recorded.
    #[serde(default)]
    pub disability: bool,
    #[serde(default)]
    pub nationality: Option<String>,
    /// The `minor` flag as ticked by hand (used only while the data cannot tell).
    #[serde(default)]
    pub minor_by_hand: bool,
}

impl FlagFacts {
    /// The facts of a stored or complete person and their case.
    pub fn of(person: &Person, case: &Case) -> Self {
        Self {
            sex: Some(person.sex),
            birth_date: person.birth_date.map(|b| b.date),
            received_date: Some(case.received_date),
            disability: person.disability.is_some(),
            nationality: person.nationality.clone(),
            minor_by_hand: case.flags.minor,
        }
    }
}

/// Each flag the data can decide: `Some(value)` when the data decides it (a front end
/// shows it, it is not ticked), `None` when it is the caseworker's to tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImpliedFlags {
    /// Under 18 on the received date (needs the birth date and the received date).
    pub minor: Option<bool>,
    /// An adult female: decided by the sex and, for a female, by `minor` (the data's, or
    /// the caseworker's tick while the birth date is unknown).
    pub woman: Option<bool>,
    /// A disability is recorded (no record does not say there is none).
    pub disabled: Option<bool>,
    /// A nationality other than Chinese is recorded (Chinese: not foreign; none: unknown).
    pub foreign: Option<bool>,
}

/// What the data says about each flag.
pub fn implied(f: &FlagFacts) -> ImpliedFlags {
    let minor = match (f.birth_date, f.received_date) {
        (Some(b), Some(on)) => Some(age_on(b, on) < 18),
        _ => None,
    };
    let woman = match f.sex {
        Some(Sex::Male) => Some(false),
        Some(Sex::Female) => Some(!minor.unwrap_or(f.minor_by_hand)),
        Some(Sex::Unknown) | None => None,
    };
    let foreign = f
        .nationality
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(foreign_nationality);
    ImpliedFlags {
        minor,
        woman,
        disabled: f.disability.then_some(true),
        foreign,
    }
}

/// Sets the flags `person`'s data decides on `case` (to what the data says); the others
/// stay as the caseworker ticked them.
pub fn derive(person: &Person, case: &mut Case) {
    let i = implied(&FlagFacts::of(person, case));
    let flags = &mut case.flags;
    for (flag, value) in [
        (&mut flags.minor, i.minor),
        (&mut flags.woman, i.woman),
        (&mut flags.disabled, i.disabled),
        (&mut flags.foreign, i.foreign),
    ] {
        if let Some(v) = value {
            *flag = v;
        }
    }
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

    #[test]
    fn the_data_decides_a_flag_ticked_against_it() {
        let mut c = case();
        c.flags.minor = true;
        c.flags.woman = false;
        derive(&person(Sex::Female, Some(d(1990, 5, 1))), &mut c);
        assert!(
            !c.flags.minor && c.flags.woman,
            "a woman born 1990 is an adult whatever was ticked"
        );
    }

    #[test]
    fn what_the_data_cannot_tell_is_left_to_the_caseworker() {
        let unknown = implied(&FlagFacts::default());
        assert_eq!(
            unknown,
            ImpliedFlags::default(),
            "nothing known, nothing decided"
        );
        let girl_of_unknown_age = FlagFacts {
            sex: Some(Sex::Female),
            received_date: Some(d(2026, 1, 10)),
            minor_by_hand: true,
            ..Default::default()
        };
        let i = implied(&girl_of_unknown_age);
        assert_eq!(i.minor, None, "no birth date: minor is the caseworker's");
        assert_eq!(i.woman, Some(false), "ticked as a minor, so not a woman");
        let chinese = FlagFacts {
            nationality: Some("中国".into()),
            ..Default::default()
        };
        assert_eq!(
            implied(&chinese).foreign,
            Some(false),
            "中国 is not foreign"
        );
        assert_eq!(
            implied(&FlagFacts {
                sex: Some(Sex::Unknown),
                ..Default::default()
            })
            .woman,
            None,
            "sex unknown: woman is the caseworker's"
        );
    }

    #[test]
    fn a_minor_is_judged_on_the_received_date_not_today() {
        let f = FlagFacts {
            sex: Some(Sex::Male),
            birth_date: Some(d(2008, 1, 11)),
            received_date: Some(d(2026, 1, 10)),
            ..Default::default()
        };
        assert_eq!(
            implied(&f).minor,
            Some(true),
            "17 the day before his birthday"
        );
        assert_eq!(implied(&f).woman, Some(false), "a boy is not a woman");
    }
}
