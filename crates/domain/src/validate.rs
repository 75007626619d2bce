//! Validation of persons, cases and records before they are saved.
//!
//! A refused change returns the first `DomainError`; an allowed change may return
//! warnings the caseworker should see (R-EMP-16 estimates, R-ID-NUM birth mismatch).

use chrono::NaiveDate;

use crate::model::{Case, IdentityOutcome, Person, Record, RecordBody};
use crate::rules::{employment, idnum, legal_aid, placement};
use crate::{DomainError, Warning};

fn required(value: &str, field: &'static str, field_zh: &'static str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::Required { field, field_zh });
    }
    Ok(())
}

fn ordered(
    start: NaiveDate,
    end: Option<NaiveDate>,
    field: &'static str,
    field_zh: &'static str,
) -> Result<(), DomainError> {
    match end {
        Some(end) if end < start => Err(DomainError::EndBeforeStart {
            field,
            field_zh,
            start,
            end,
        }),
        _ => Ok(()),
    }
}

fn grade(g: Option<u8>, field: &'static str, field_zh: &'static str) -> Result<(), DomainError> {
    match g {
        Some(g) if !(1..=4).contains(&g) => Err(DomainError::InvalidValue {
            field,
            field_zh,
            reason: format!("disability grade must be 1–4, got {g}"),
            reason_zh: format!("残疾等级应为一至四级，实为{g}"),
        }),
        _ => Ok(()),
    }
}

/// Normalises a person in place (trims names, upper-cases the ID number's X) and checks it.
pub fn validate_person(p: &mut Person) -> Result<Vec<Warning>, DomainError> {
    let mut warnings = Vec::new();
    p.name = p
        .name
        .take()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    p.intake_number = p
        .intake_number
        .take()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    p.other_names = p
        .other_names
        .iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    if p.name.is_none() && p.intake_number.is_none() {
        return Err(DomainError::Required {
            field: "intake_number",
            field_zh: "姓名不详时的接收编号",
        });
    }
    if let Some(id) = p.resident_id.take().filter(|s| !s.trim().is_empty()) {
        let (normalised, id_birth) = idnum::parse(&id)?;
        warnings.extend(idnum::birth_date_warning(
            id_birth,
            p.birth_date.map(|b| b.date),
        ));
        p.resident_id = Some(normalised);
    }
    if let Some(d) = &p.disability {
        grade(d.grade, "disability.grade", "残疾等级")?;
    }
    for g in &p.guardians {
        required(&g.name, "guardians.name", "监护人姓名")?;
        required(&g.relation, "guardians.relation", "监护人关系")?;
    }
    Ok(warnings)
}

/// Checks a case's own fields.
pub fn validate_case(c: &Case) -> Result<(), DomainError> {
    required(&c.case_number, "case_number", "案件编号")?;
    required(&c.institution, "institution", "接收机构")?;
    required(&c.caseworker, "caseworker", "承办人")?;
    Ok(())
}

/// What a record is checked against: its case, person and the case's other records.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    pub person: &'a Person,
    pub case: &'a Case,
    /// The case's other records (not the one being edited).
    pub others: &'a [Record],
}

/// Checks a record against the rules; returns warnings for an allowed record.
pub fn validate_record(
    body: &RecordBody,
    ctx: &RecordContext<'_>,
) -> Result<Vec<Warning>, DomainError> {
    match body {
        RecordBody::ShelterStay(s) => {
            required(&s.institution, "institution", "机构")?;
            if let Some(discharged) = s.discharged
                && discharged < s.admitted
            {
                return Err(DomainError::DischargeBeforeAdmission {
                    admitted: s.admitted,
                    discharged,
                });
            }
        }
        RecordBody::IdentityAttempt(a) => match (a.outcome, a.verified_date) {
            (IdentityOutcome::Verified, None) => {
                return Err(DomainError::Required {
                    field: "verified_date",
                    field_zh: "查明日期",
                });
            }
            (IdentityOutcome::Verified, Some(v)) => {
                ordered(a.date, Some(v), "verified_date", "查明日期")?
            }
            (_, Some(_)) => {
                return Err(DomainError::InvalidValue {
                    field: "verified_date",
                    field_zh: "查明日期",
                    reason: "only a verified outcome has a verified date".into(),
                    reason_zh: "只有结果为“已查明”时才填写查明日期".into(),
                });
            }
            _ => {}
        },
        RecordBody::TrackStep(s) => required(&s.by, "by", "经办人")?,
        RecordBody::TrackClosure(c) => {
            required(&c.reason, "reason", "终止理由")?;
            required(&c.by, "by", "经办人")?;
        }
        RecordBody::Placement(p) => {
            placement::check_not_buyer(p)?;
            required(&p.place, "place", "安置地点")?;
            required(&p.decided_by, "decided_by", "决定人")?;
            ordered(p.start, p.end, "placement", "安置")?;
        }
        RecordBody::Rehabilitation(r) => {
            required(&r.provider, "provider", "服务机构")?;
            ordered(r.start, r.end, "rehabilitation", "康复服务")?;
            grade(r.disability_grade, "disability_grade", "残疾等级")?;
        }
        RecordBody::Schooling(s) => required(&s.school, "school", "学校")?,
        RecordBody::FamilyReturn(f) => {
            required(&f.place, "place", "回归地点")?;
            required(&f.privacy_measures, "privacy_measures", "隐私保护措施")?;
        }
        RecordBody::Employment(e) => {
            required(&e.provider, "provider", "服务机构")?;
            if !e.wanted {
                return Err(DomainError::InvalidValue {
                    field: "wanted",
                    field_zh: "本人意愿",
                    reason: "employment services are given only to persons who want them".into(),
                    reason_zh: "就业服务仅提供给有意愿的人员".into(),
                });
            }
            return employment::check(ctx.person.birth_date, e.date);
        }
        RecordBody::LegalAid(la) => {
            required(&la.centre, "centre", "法律援助机构")?;
            required(&la.matter, "matter", "援助事项")?;
            legal_aid::validate(la)?;
        }
        RecordBody::FollowUp(f) => {
            required(&f.visitor, "visitor", "回访人")?;
            required(&f.living_situation, "living_situation", "生活状况")?;
        }
        RecordBody::Interview(i) => {
            required(&i.interviewer, "interviewer", "询问人")?;
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
                return Ok(vec![Warning::new(
                    "minor_interview_without_guardian",
                    "询问未成年人时应有监护人或社会工作者在场 / A guardian or social worker should be present when a minor is interviewed",
                )]);
            }
        }
        RecordBody::MandatoryReport(m) => {
            required(&m.reported_to, "reported_to", "报告对象")?;
            required(&m.summary, "summary", "报告内容")?;
        }
        RecordBody::Note(n) => required(&n.text, "text", "内容")?,
    }
    Ok(Vec::new())
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
            intake_number: None,
            other_names: vec![],
            sex: Sex::Female,
            birth_date: Some(BirthDate {
                date: d(2011, 4, 2),
                estimated: false,
            }),
            nationality: None,
            ethnicity: None,
            household_registration: None,
            resident_id: None,
            disability: None,
            languages: vec![],
            guardians: vec![],
            found_place: None,
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
            Err(DomainError::Required {
                field: "intake_number",
                ..
            })
        ));
    }

    #[test]
    fn invalid_resident_id_is_refused() {
        let mut p = person();
        p.resident_id = Some("110105194912310021".into());
        assert!(matches!(
            validate_person(&mut p),
            Err(DomainError::InvalidResidentId(_))
        ));
    }

    #[test]
    fn discharge_before_admission_is_refused() {
        let (p, c) = (person(), case());
        let ctx = RecordContext {
            person: &p,
            case: &c,
            others: &[],
        };
        let body = RecordBody::ShelterStay(ShelterStay {
            institution: "区救助管理站".into(),
            kind: ShelterKind::AssistanceStation,
            admitted: d(2026, 1, 10),
            discharged: Some(d(2026, 1, 9)),
            reason: None,
        });
        assert_eq!(
            validate_record(&body, &ctx),
            Err(DomainError::DischargeBeforeAdmission {
                admitted: d(2026, 1, 10),
                discharged: d(2026, 1, 9)
            })
        );
    }

    #[test]
    fn employment_for_a_fifteen_year_old_is_refused() {
        let (p, c) = (person(), case());
        let ctx = RecordContext {
            person: &p,
            case: &c,
            others: &[],
        };
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
        let (p, c) = (person(), case());
        let first = Interview {
            date: d(2025, 12, 1),
            interviewer: "刘警官".into(),
            agencies_present: vec!["区公安分局".into(), "区民政局".into()],
            interpreter: None,
            guardian_or_social_worker_present: true,
            repeat_reason: None,
        };
        let others = [record(RecordBody::Interview(first.clone()))];
        let ctx = RecordContext {
            person: &p,
            case: &c,
            others: &others,
        };
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
        let (p, c) = (person(), case());
        let ctx = RecordContext {
            person: &p,
            case: &c,
            others: &[],
        };
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
            Err(DomainError::Required {
                field: "verified_date",
                ..
            })
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
