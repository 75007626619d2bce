//! Validation of persons, cases and records before they are saved.
//!
//! Every field first passes the checks its schema gives it (`schema::Check`: required
//! text, lengths, characters, ranges, plausible dates); then the rules that relate
//! fields and records to each other. A refused change returns the first `DomainError`;
//! an allowed change may return warnings the caseworker should see (R-EMP-16 estimates,
//! R-ID-NUM birth mismatch, R-ID-3M district approval …).
//!
//! R-DATE — dates that cannot lie: a date that says something happened (every field the
//! schema marks `past`: each record's date, the R-ID-3M steps, the legal-aid steps,
//! discharges, verifications, approvals, a case's received date) is refused after today
//! (`rule.date_after_today`); planned dates (`planned`: a placement's or a service's end)
//! are not. A record dated before its case's intake, a birth date after today and an age
//! over 100 warn and need a confirmation ([`Warning::needs_confirmation`],
//! [`confirmation`]): the change is not saved until the user confirms.

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

/// The reason for voiding a record or a case (作废), trimmed: required, at most 500
/// characters, no control characters (`void.reason`).
pub fn void_reason(reason: &str) -> Result<String, DomainError> {
    let v = crate::model::Void {
        reason: reason.trim().to_owned(),
    };
    v.check_all()?;
    Ok(v.reason)
}

/// A device's name (hand-off): required, at most 40 characters, no control characters.
pub fn device_name(name: &str) -> Result<String, DomainError> {
    let d = crate::model::Device {
        name: name.trim().to_owned(),
    };
    d.check_all()?;
    Ok(d.name)
}

/// The oldest age a birth date may give without a confirmation (R-DATE).
pub const MAX_PLAUSIBLE_AGE: u32 = 100;

/// R-DATE on a case: its received date is not after `today`.
pub fn case_dates(c: &Case, today: NaiveDate) -> Result<(), DomainError> {
    c.check_past_dates(today)
}

/// R-DATE on a person: a birth date after `today`, or one that makes the person older
/// than [`MAX_PLAUSIBLE_AGE`], warns (and needs a confirmation).
pub fn person_date_warnings(p: &Person, today: NaiveDate) -> Vec<Warning> {
    match p.birth_date {
        Some(b) if b.date > today => vec![Warning::BirthDateInFuture],
        Some(b) => {
            let age = crate::rules::employment::age_on(b.date, today);
            if age > MAX_PLAUSIBLE_AGE {
                vec![Warning::AgeOver100 { age }]
            } else {
                Vec::new()
            }
        }
        None => Vec::new(),
    }
}

/// R-DATE: a change whose warnings include one that needs a confirmation is refused
/// with `confirm.needed` (naming those warnings) unless `confirmed`.
pub fn confirmation(warnings: &[Warning], confirmed: bool) -> Result<(), DomainError> {
    let needed: Vec<Warning> = warnings
        .iter()
        .filter(|w| w.needs_confirmation())
        .cloned()
        .collect();
    if needed.is_empty() || confirmed {
        Ok(())
    } else {
        Err(DomainError::ConfirmationNeeded { warnings: needed })
    }
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

/// R-CONSENT: a guardian's consent names the guardian, a consent names at least one kind
/// of recipient, and it is not withdrawn before it was given.
fn consent(c: &crate::model::Consent) -> Result<(), DomainError> {
    use crate::model::ConsentGiver;
    if c.given_by == ConsentGiver::Guardian
        && c.guardian_name
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err(DomainError::Required {
            field: "consent.guardian_name".into(),
        });
    }
    if c.recipients.is_empty() {
        return Err(DomainError::Required {
            field: "consent.recipients".into(),
        });
    }
    ordered(c.from, c.withdrawn, "consent.from", "consent.withdrawn")
}

/// Checks a record against the rules; returns warnings for an allowed record.
pub fn validate_record(
    body: &RecordBody,
    ctx: &RecordContext<'_>,
) -> Result<Vec<Warning>, DomainError> {
    body.check_fields()?;
    body.check_past_dates(ctx.today)?;
    let mut warnings = Vec::new();
    if body.date() < ctx.case.received_date {
        warnings.push(Warning::BeforeIntake {
            field: body.date_path(),
            received: ctx.case.received_date,
        });
    }
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
        RecordBody::Consent(c) => consent(c)?,
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
    fn r_consent_a_guardian_is_named_recipients_are_given_and_withdrawal_follows_consent() {
        use crate::handoff::RecipientKind;
        let (p, c, settings, cal) = (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        );
        let ctx = context(&p, &c, &[], &settings, &cal);
        let good = Consent {
            given_by: ConsentGiver::Guardian,
            guardian_name: Some("王丽".into()),
            covers: "就学所需的基本情况和联系人".into(),
            recipients: vec![RecipientKind::School],
            from: d(2026, 3, 1),
            withdrawn: Some(d(2026, 3, 1)),
            notes: None,
        };
        assert!(
            validate_record(&RecordBody::Consent(good.clone()), &ctx).is_ok(),
            "a guardian's named consent, withdrawn the day it was given, is a valid record"
        );
        let check = |c: Consent| validate_record(&RecordBody::Consent(c), &ctx);
        assert!(
            matches!(
                check(Consent { guardian_name: Some("  ".into()), ..good.clone() }),
                Err(DomainError::Required { field }) if field == "consent.guardian_name"
            ),
            "a guardian's consent names the guardian"
        );
        assert!(
            check(Consent {
                given_by: ConsentGiver::Person,
                guardian_name: None,
                ..good.clone()
            })
            .is_ok(),
            "the person's own consent needs no guardian"
        );
        assert!(
            matches!(
                check(Consent { recipients: vec![], ..good.clone() }),
                Err(DomainError::Required { field }) if field == "consent.recipients"
            ),
            "a consent to share with nobody says nothing"
        );
        assert!(
            matches!(
                check(Consent { withdrawn: Some(d(2026, 2, 28)), ..good.clone() }),
                Err(DomainError::EndBeforeStart { field, .. }) if field == "consent.withdrawn"
            ),
            "withdrawn before it was given"
        );
        assert!(
            matches!(
                check(Consent {
                    from: d(2026, 11, 30),
                    withdrawn: None,
                    ..good
                }),
                Err(DomainError::DateAfterToday { .. })
            ),
            "R-DATE: a consent is given on a day that has come"
        );
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

    fn fixtures() -> (Person, Case, RuleSettings, WorkCalendar) {
        (
            person(),
            case(),
            RuleSettings::default(),
            WorkCalendar::builtin(),
        )
    }

    fn step_on(date: NaiveDate) -> RecordBody {
        RecordBody::TrackStep(TrackStepRecord {
            step: TrackStep::HouseholdRegistration,
            date,
            by: "张敏".into(),
            notes: None,
        })
    }

    #[test]
    fn r_date_a_step_done_after_today_is_refused_and_today_passes() {
        let (p, c, settings, cal) = fixtures();
        let ctx = context(&p, &c, &[], &settings, &cal);
        // The issue's typo: step 1 "done" on 2027-03-01, recorded on 2026-11-29.
        assert_eq!(
            validate_record(&step_on(d(2027, 3, 1)), &ctx),
            Err(DomainError::DateAfterToday {
                field: "track_step.date".into(),
                today: d(2026, 11, 29),
            }),
            "a step done after today would hide an overdue deadline"
        );
        assert_eq!(
            validate_record(&step_on(d(2026, 11, 29)), &ctx),
            Ok(vec![]),
            "done today is a true date"
        );
    }

    #[test]
    fn r_date_every_happened_date_is_checked_but_planned_ends_are_not() {
        let (p, c, settings, cal) = fixtures();
        let ctx = context(&p, &c, &[], &settings, &cal);
        let tomorrow = d(2026, 11, 30);
        let mut la = LegalAid::application("区法律援助中心", "刑事附带民事诉讼", d(2026, 11, 2));
        la.accepted = Some(d(2026, 11, 2));
        la.reviewed = Some(d(2026, 11, 3));
        la.decision = Some(LegalAidDecision::Granted);
        la.assigned = Some(d(2026, 11, 4));
        la.handled = Some(tomorrow);
        assert!(
            matches!(validate_record(&RecordBody::LegalAid(la), &ctx),
                Err(DomainError::DateAfterToday { field, .. }) if field == "legal_aid.handled"),
            "a legal-aid step handled tomorrow is refused by its field"
        );
        let stay = ShelterStay {
            institution: "区救助管理站".into(),
            kind: ShelterKind::AssistanceStation,
            admitted: d(2026, 1, 10),
            discharged: Some(tomorrow),
            reason: None,
        };
        assert!(
            matches!(validate_record(&RecordBody::ShelterStay(stay), &ctx),
                Err(DomainError::DateAfterToday { field, .. }) if field == "shelter_stay.discharged"),
            "a discharge tomorrow has not happened"
        );
        let attempt = IdentityAttempt {
            date: d(2026, 11, 1),
            method: IdentityMethod::PoliceInquiry,
            outcome: IdentityOutcome::Verified,
            verified_date: Some(tomorrow),
            police_reference: None,
            notes: None,
        };
        assert!(
            matches!(validate_record(&RecordBody::IdentityAttempt(attempt), &ctx),
                Err(DomainError::DateAfterToday { field, .. }) if field == "identity_attempt.verified_date"),
            "identity verified tomorrow is refused"
        );
        let placement = Placement {
            kind: PlacementKind::ChildWelfare,
            start: d(2026, 11, 1),
            end: Some(d(2027, 6, 30)),
            place: "区儿童福利院".into(),
            carer: CarerRelation::Institution,
            decided_by: "张敏".into(),
            supervisor_approval: None,
            district_approval: None,
            notes: None,
        };
        assert!(
            validate_record(&RecordBody::Placement(placement.clone()), &ctx).is_ok(),
            "a placement's planned end lies ahead"
        );
        let approved_tomorrow = Placement {
            supervisor_approval: Some(Approval {
                by: "刘主任".into(),
                date: tomorrow,
            }),
            ..placement
        };
        assert!(
            matches!(validate_record(&RecordBody::Placement(approved_tomorrow), &ctx),
                Err(DomainError::DateAfterToday { field, .. }) if field == "placement.supervisor_approval.date"),
            "an approval given tomorrow is refused inside its object"
        );
        let mut received_tomorrow = c.clone();
        received_tomorrow.received_date = tomorrow;
        assert!(
            matches!(case_dates(&received_tomorrow, d(2026, 11, 29)),
                Err(DomainError::DateAfterToday { field, .. }) if field == "case.received_date"),
            "a case is not received tomorrow"
        );
        assert_eq!(case_dates(&c, d(2026, 11, 29)), Ok(()));
    }

    #[test]
    fn r_date_a_record_before_intake_warns_and_needs_a_confirmation() {
        let (p, c, settings, cal) = fixtures();
        let ctx = context(&p, &c, &[], &settings, &cal);
        let note = RecordBody::Note(Note {
            date: d(2025, 11, 29),
            text: "接收前一日公安来电".into(),
        });
        let warnings = validate_record(&note, &ctx).expect("allowed with a warning");
        assert_eq!(
            warnings,
            vec![Warning::BeforeIntake {
                field: "note.date".into(),
                received: d(2025, 11, 30),
            }]
        );
        assert_eq!(
            confirmation(&warnings, false),
            Err(DomainError::ConfirmationNeeded {
                warnings: warnings.clone()
            }),
            "unconfirmed, nothing is saved"
        );
        assert_eq!(confirmation(&warnings, true), Ok(()), "confirmed, it saves");
        assert_eq!(
            confirmation(&[Warning::DistrictApprovalNeeded], false),
            Ok(()),
            "other warnings are shown, not confirmed"
        );
        let on_intake = RecordBody::Note(Note {
            date: d(2025, 11, 30),
            text: "接收".into(),
        });
        assert_eq!(validate_record(&on_intake, &ctx), Ok(vec![]));
    }

    #[test]
    fn r_date_a_birth_date_in_the_future_or_over_100_years_ago_warns() {
        let today = d(2026, 11, 29);
        let mut p = person();
        assert_eq!(person_date_warnings(&p, today), vec![]);
        p.birth_date = Some(BirthDate {
            date: d(2026, 12, 1),
            estimated: false,
        });
        assert_eq!(
            person_date_warnings(&p, today),
            vec![Warning::BirthDateInFuture]
        );
        p.birth_date = Some(BirthDate {
            date: d(1926, 11, 29),
            estimated: true,
        });
        assert_eq!(
            person_date_warnings(&p, today),
            vec![],
            "exactly 100 is not over 100"
        );
        p.birth_date = Some(BirthDate {
            date: d(1925, 11, 29),
            estimated: false,
        });
        let w = person_date_warnings(&p, today);
        assert_eq!(w, vec![Warning::AgeOver100 { age: 101 }]);
        p.birth_date = Some(BirthDate {
            date: d(2026, 12, 1),
            estimated: false,
        });
        let w = [w, person_date_warnings(&p, today)].concat();
        assert!(w.iter().all(Warning::needs_confirmation));
    }

    #[test]
    fn r_date_every_date_of_a_record_or_case_says_past_or_planned() {
        use crate::schema::{FieldType, document};
        let doc = document();
        let object = |name: &str| doc.objects.iter().find(|o| o.name == name);
        let mut unclassified = Vec::new();
        let mut check = |owner: &str, fields: &[crate::schema::FieldSpec]| {
            for f in fields {
                if matches!(f.ty, FieldType::Date) && f.past == f.planned {
                    unclassified.push(format!("{owner}.{}", f.name));
                }
            }
        };
        for r in &doc.records {
            check(&r.kind, &r.fields);
        }
        for name in ["case", "approval"] {
            let o = object(name).expect("the schema has the object");
            check(name, &o.fields);
        }
        assert!(
            unclassified.is_empty(),
            "say whether each of these dates happened (past) or may lie ahead (planned): {unclassified:?}"
        );
    }
}
