//! Fixtures shared by the store's integration suites (tamper, reliability, durability):
//! a named test person, a case for them, a passphrase. Each suite uses some of them.

#![allow(dead_code, clippy::expect_used)]

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::model::{Case, CaseFlags, InstitutionKind, Person, ReferralSource, Sex, Stage};
use guitu_store::Secret;

/// The user recorded as the caseworker and the author of every change.
pub const USER: &str = "tester";

pub fn secret(s: &str) -> Secret {
    Secret::new(s.to_owned())
}

/// Test person number `i` (a distinct name for each `i`).
pub fn person(i: usize) -> Person {
    Person {
        id: Uuid::now_v7(),
        name: Some(format!("测试人{i}")),
        sex: Sex::Female,
        ..Default::default()
    }
}

/// A case for `p` numbered `number`, received 2026-01-10 at an assistance station.
pub fn case_for(p: &Person, number: &str) -> Case {
    Case {
        id: Uuid::now_v7(),
        case_number: number.to_owned(),
        person_id: p.id,
        institution: "某区救助管理站".to_owned(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: NaiveDate::from_ymd_opt(2026, 1, 10).expect("date"),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: USER.to_owned(),
        flags: CaseFlags::default(),
        stage: Stage::Intake,
    }
}
