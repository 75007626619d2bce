//! Validation of persons, cases and records before they are saved.
//!
//! Every field first passes the checks its schema gives it (`schema::Check`: required
//! text, lengths, characters, ranges, plausible dates); then the rules that relate
//! fields and records to each other. A refused change returns the first `DomainError`;
//! an allowed change may return warnings the caseworker should see (R-EMP-16 estimates,
//! R-ID-NUM birth mismatch, R-ID-3M district approval …).

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;
use crate::model::{Case, IdentityOutcome, Person, Record, RecordBody};
use crate::rules::{employment, id3m, idnum, legal_aid, placement};
use crate::schema::Fields;
use crate::settings::RuleSettings;
use crate::{DomainError, Warning};

fn ordered(
    start: NaiveDate,
    end: Option<NaiveDate>,
    start_field: &str,
    end_field: &str,
) -> Result<(), DomainError> {
    match end {
        Some(end) if end < start => Err(DomainError::EndBeforeStart {
            field: end_field.to_owned(),
            start_field: start_field.to_owned(),
            start,
            end,
        }),
        _ => Ok(()),
    }
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}

fn trimmed_list(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Normalises a person in place (trims names, drops blank list entries, upper-cases the
/// ID number's X) and checks it.
pub fn validate_person(p: &mut Person) -> Result<Vec<Warning>, DomainError> {
    let mut warnings = Vec::new();
    p.name = trimmed(p.name.take());
    p.intake_number = trimmed(p.intake_number.take());
    p.other_names = trimmed_list(&p.other_names);
    p.languages = trimmed_list(&p.languages);
    p.check_all()?;
    if p.name.is_none() && p.intake_number.is_none() {
        return Err(DomainError::NameOrIntakeNumber);
    }
    if let Some(id) = p.resident_id.take().filter(|s| !s.trim().is_empty()) {
        let (normalised, id_birth) = idnum::parse(&id)?;
        warnings.extend(idnum::birth_date_warning(
            id_birth,
            p.birth_date.map(|b| b.date),
        ));
        p.resident_id = Some(normalised);
    }
    Ok(warnings)
}

/// Checks a case's own fields.
pub fn validate_case(c: &Case) -> Result<(), DomainError> {
    c.check_all()
}

/// What a record is checked against: its case, person, the case's other records, and
/// what the time-dependent rules need (today, the settings, the working-day calendar).
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    pub person: &'a Person,
    pub case: &'a Case,
    /// The case's other records (not the one being edited).
    pub others: &'a [Record],
    pub today: NaiveDate,
    pub settings: &'a RuleSettings,
    pub calendar: &'a WorkCalendar,
}

/// Checks a record against the rules; returns warnings for an allowed record.
pub fn validate_record(
    body: &RecordBody,
    ctx: &RecordContext<'_>,
) -> Result<Vec<Warning>, DomainError> {
    body.check_fields()?;
    let mut warnings = Vec::new();
    match body {
        RecordBody::ShelterStay(s) => ordered(
            s.admitted,
            s.discharged,
            "shelter_stay.admitted",
            "shelter_stay.discharged",
        )?,
        RecordBody::IdentityAttempt(a) => match (a.outcome, a.verified_date) {
            (IdentityOutcome::Verified, None) => {
                return Err(DomainError::Required {
                    field: "identity_attempt.verified_date".into(),
                });
            }
            (IdentityOutcome::Verified, Some(v)) => ordered(
                a.date,
                Some(v),
                "identity_attempt.date",
                "identity_attempt.verified_date",
            )?,
            (_, Some(_)) => return Err(DomainError::VerifiedDateWithoutVerified),
            _ => {}
        },
        RecordBody::TrackStep(_) | RecordBody::TrackClosure(_) => {}
        RecordBody::Placement(p) => {
            placement::check_not_buyer(p)?;
            ordered(p.start, p.end, "placement.start", "placement.end")?;
            let facts = id3m::Id3mRecords::gather(ctx.others.iter().map(|r| &r.body));
            let input = facts.input(
                ctx.case.institution_kind.is_assistance_institution(),
                ctx.case.received_date,
            );
            let (status, _) = id3m::evaluate(&input, ctx.today, &ctx.settings.id3m, ctx.calendar);
            if matches!(status, id3m::Id3mStatus::Triggered { .. }) && p.district_approval.is_none()
            {
                warnings.push(Warning::DistrictApprovalNeeded);
            }
        }
        RecordBody::Rehabilitation(r) => {
            ordered(r.start, r.end, "rehabilitation.start", "rehabilitation.end")?
        }
        RecordBody::Schooling(_) | RecordBody::FamilyReturn(_) => {}
        RecordBody::Employment(e) => {
            if !e.wanted {
                return Err(DomainError::EmploymentNotWanted);
            }
            warnings.extend(employment::check(ctx.person.birth_date, e.date)?);
        }
        RecordBody::LegalAid(la) => {
            legal_aid::validate(la)?;
            let (_, w) = legal_aid::evaluate(la, ctx.today, &ctx.settings.legal_aid, ctx.calendar);
            warnings.extend(w);
        }
        RecordBody::FollowUp(f) => ordered(
            f.date,
            f.next_visit,
            "follow_up.date",
            "follow_up.next_visit",
        )?,
        RecordBody::Interview(i) => {
            let earlier = ctx
                .others
                .iter()
                .any(|r| matches!(r.body, RecordBody::Interview(_)));
            let has_reason = i
                .repeat_reason
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
            if earlier && !has_reason {
                return Err(DomainError::RepeatInterviewNeedsReason);
            }
            if ctx.case.flags.minor && !i.guardian_or_social_worker_present {
                warnings.push(Warning::MinorInterviewWithoutGuardian);
            }
        }
        RecordBody::MandatoryReport(_) | RecordBody::Note(_) => {}
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::Utc;
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn person() -> Person {
        Person {
            id: Uuid::nil(),
            name: Some(" 李娜 ".into()),
            sex: Sex::Female,
            birth_date: Some(BirthDate {
                date: d(2011, 4, 2),
                estimated: false,
            }),
            ..Default::default()
        }
    }

    /// The context of a record of `case()` for `person()`, on 2026-11-29.
    fn context<'a>(
        p: &'a Person,
        c: &'a Case,
        others: &'a [Record],
        settings: &'a RuleSettings,
        cal: &'a WorkCalendar,
    ) -> RecordContext<'a> {
        RecordContext {
            person: p,
            case: c,
            others,
            today: d(2026, 11, 29),
            settings,
            calendar: cal,
        }
    }

    fn case() -> Case {
        Case {
            id: Uuid::nil(),
            case_number: "DZ-2026-0001".into(),
            person_id: Uuid::nil(),
            institution: "区救助管理站".into(),
            institution_kind: InstitutionKind::AssistanceStation,
            received_date: d(2025, 11, 30),
            referral: ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "张敏".into(),
            flags: CaseFlags {
                minor: true,
                ..CaseFlags::default()
            },
            stage: Stage::Intake,
        }
    }

    fn record(body: RecordBody) -> Record {
        Record {
            id: Uuid::nil(),
            case_id: Uuid::nil(),
            body,
            created_at: Utc::now(),
            created_by: "t".into(),
            updated_at: Utc::now(),
            updated_by: "t".into(),
        }
    }

    #[test]
    fn person_is_normalised_and_needs_a_name_or_intake_number() {
        let mut p = person();
        assert_eq!(validate_person(&mut p), Ok(vec![]));
        assert_eq!(p.name.as_deref(), Some("李娜"), "names are trimmed");
        p.name = Some("  ".into());
        assert!(matches!(
            validate_person(&mut p),
            Err(DomainError::NameOrIntakeNumber)
        ));
    }

    #[test]
    fn invalid_resident_id_is_refused() {
        let mut p = person();
        p.resident_id = Some("110105194912310021".into());
        assert!(matches!(
            validate_person(&mut p),
            Err(DomainError::InvalidResidentId { .. })
        ));
    }

    #[test]
    fn discharge_before_admission_is_refused() {
        let (p, c, settings, cal) = (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        );
        let ctx = context(&p, &c, &[], &settings, &cal);
        let body = RecordBody::ShelterStay(ShelterStay {
            institution: "区救助管理站".into(),
            kind: ShelterKind::AssistanceStation,
            admitted: d(2026, 1, 10),
            discharged: Some(d(2026, 1, 9)),
            reason: None,
        });
        assert_eq!(
            validate_record(&body, &ctx),
            Err(DomainError::EndBeforeStart {
                field: "shelter_stay.discharged".into(),
                start_field: "shelter_stay.admitted".into(),
                start: d(2026, 1, 10),
                end: d(2026, 1, 9)
            })
        );
    }

    #[test]
    fn employment_for_a_fifteen_year_old_is_refused() {
        let (p, c, settings, cal) = (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        );
        let ctx = context(&p, &c, &[], &settings, &cal);
        let body = RecordBody::Employment(Employment {
            date: d(2026, 6, 1),
            service: EmploymentService::Training,
            provider: "区职业技能培训中心".into(),
            wanted: true,
            notes: None,
        });
        assert_eq!(
            validate_record(&body, &ctx),
            Err(DomainError::EmploymentUnder16 { age: 15 })
        );
    }

    #[test]
    fn a_repeat_interview_needs_a_reason() {
        let first = Interview {
            date: d(2025, 12, 1),
            interviewer: "刘警官".into(),
            agencies_present: vec!["区公安分局".into(), "区民政局".into()],
            interpreter: None,
            guardian_or_social_worker_present: true,
            repeat_reason: None,
        };
        let others = [record(RecordBody::Interview(first.clone()))];
        let (p, c, settings, cal) = (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        );
        let ctx = context(&p, &c, &others, &settings, &cal);
        assert_eq!(
            validate_record(&RecordBody::Interview(first.clone()), &ctx),
            Err(DomainError::RepeatInterviewNeedsReason)
        );
        let repeat = Interview {
            repeat_reason: Some("补充询问被拐经过".into()),
            ..first
        };
        assert_eq!(
            validate_record(&RecordBody::Interview(repeat), &ctx),
            Ok(vec![])
        );
    }

    #[test]
    fn identity_verified_needs_its_date() {
        let (p, c, settings, cal) = (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        );
        let ctx = context(&p, &c, &[], &settings, &cal);
        let a = IdentityAttempt {
            date: d(2025, 12, 3),
            method: IdentityMethod::PoliceBloodSample,
            outcome: IdentityOutcome::Verified,
            verified_date: None,
            police_reference: Some("采血编号 2025-118".into()),
            notes: None,
        };
        assert!(matches!(
            validate_record(&RecordBody::IdentityAttempt(a), &ctx),
            Err(DomainError::Required { field }) if field == "identity_attempt.verified_date"
        ));
    }

    #[test]
    fn genetic_data_has_no_field_to_go_in() {
        // R-DNA: an identity attempt carrying a DNA profile is refused at the boundary.
        let json = r#"{"type":"identity_attempt","date":"2025-12-03","method":"police_blood_sample","outcome":"pending","dna_profile":"D8S1179 13,14"}"#;
        let err = serde_json::from_str::<RecordBody>(json)
            .expect_err("no record kind may hold genetic data");
        assert!(
            err.to_string().contains("dna_profile"),
            "the refused field is named: {err}"
        );
    }
}
