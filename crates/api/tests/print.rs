//! Printed files carry exactly what their redaction profile allows: each hand-off kind is
//! printed for a person whose every field is filled with a distinctive marker, and the
//! text extracted with `pdftotext` (poppler-utils) must contain the allowed markers and
//! none of the others.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::process::Command;

use chrono::NaiveDate;
use guitu_api::{KdfParams, PrintKind, Secret, Session};
use guitu_domain::model::*;
use guitu_print::profiles::{self, Field};
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

/// Each field and the marker text only that field puts into a file.
fn markers() -> Vec<(Field, &'static str)> {
    use Field::*;
    use RecordKind as K;
    vec![
        (Name, "欧阳测名"),
        (IntakeNumber, "JS7731"),
        (OtherNames, "别名甲乙"),
        (BirthDate, "2008年3月14日"),
        (Nationality, "老挝"),
        (Ethnicity, "瑶族"),
        (HouseholdRegistration, "户籍标县"),
        (ResidentId, "11010519491231002X"),
        (Disability, "CJZ5150"),
        (Languages, "方言标话"),
        (Guardians, "监护标人"),
        (FoundPlace, "发现标镇"),
        (ReceivedDate, "2025年11月30日"),
        (Institution, "接收标站"),
        (Referral, "热线举报"),
        (PoliceReference, "GA99号"),
        (Caseworker, "承办标员"),
        (Flags, "跨省"),
        (Stage, "回归社会"),
        (Records(K::ShelterStay), "入站标因"),
        (Records(K::IdentityAttempt), "查明标注"),
        (Records(K::Placement), "安置标村"),
        (Records(K::Rehabilitation), "康复标院"),
        (Records(K::Schooling), "学校标校"),
        (Records(K::FamilyReturn), "隐私标措"),
        (Records(K::Employment), "就业标所"),
        (Records(K::LegalAid), "援助标项"),
        (Records(K::FollowUp), "生活标况"),
        (Records(K::Interview), "询问标官"),
        (Records(K::MandatoryReport), "报告标容"),
        (Records(K::Note), "备注标容"),
        (Records(K::Consent), "同意标容"),
        (Id3mTrack, "户籍安置程序"),
        (LegalAidSteps, "绿色通道办理进度"),
        (Timeline, "变更时间线"),
    ]
}

fn full_case(s: &mut Session) -> Uuid {
    let person = Person {
        id: Uuid::nil(),
        name: Some("欧阳测名".into()),
        intake_number: Some("JS7731".into()),
        other_names: vec!["别名甲乙".into()],
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d("2008-03-14"),
            estimated: false,
        }),
        nationality: Some("老挝".into()),
        ethnicity: Some("瑶族".into()),
        household_registration: Some("户籍标县".into()),
        resident_id: Some("11010519491231002X".into()),
        disability: Some(Disability {
            kind: DisabilityKind::Hearing,
            grade: Some(3),
            certificate_no: Some("CJZ5150".into()),
        }),
        languages: vec!["方言标话".into()],
        guardians: vec![Guardian {
            name: "监护标人".into(),
            relation: "姑母".into(),
            contact: None,
        }],
        found_place: Some("发现标镇".into()),
    };
    let case = Case {
        id: Uuid::nil(),
        case_number: "DZ-2025-0777".into(),
        person_id: Uuid::nil(),
        institution: "接收标站".into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d("2025-11-30"),
        referral: ReferralSource::Hotline,
        police_reference: Some("GA99号".into()),
        caseworker: "承办标员".into(),
        flags: CaseFlags {
            cross_province: true,
            ..CaseFlags::default()
        },
        stage: Stage::Reintegration,
    };
    let id = s.create_case(person, case).expect("case").value;
    let bodies = vec![
        RecordBody::ShelterStay(ShelterStay {
            institution: "救助站".into(),
            kind: ShelterKind::AssistanceStation,
            admitted: d("2025-11-30"),
            discharged: Some(d("2026-01-10")),
            reason: Some("入站标因".into()),
        }),
        RecordBody::IdentityAttempt(IdentityAttempt {
            date: d("2025-12-02"),
            method: IdentityMethod::PhotoComparison,
            outcome: IdentityOutcome::NoMatch,
            verified_date: None,
            police_reference: None,
            notes: Some("查明标注".into()),
        }),
        RecordBody::TrackStep(TrackStepRecord {
            step: TrackStep::HouseholdRegistration,
            date: d("2026-03-05"),
            by: "张敏".into(),
            notes: None,
        }),
        RecordBody::Placement(Placement {
            kind: PlacementKind::TownPlacement,
            start: d("2026-04-01"),
            end: None,
            place: "安置标村".into(),
            carer: CarerRelation::Institution,
            decided_by: "张敏".into(),
            supervisor_approval: None,
            district_approval: Some(Approval {
                by: "区政府".into(),
                date: d("2026-03-30"),
            }),
            notes: None,
        }),
        RecordBody::Rehabilitation(Rehabilitation {
            service: RehabService::BasicMedical,
            provider: "康复标院".into(),
            start: d("2025-12-05"),
            end: None,
            outcome: None,
            disability_grade: None,
            certificate_no: None,
        }),
        RecordBody::Schooling(Schooling {
            date: d("2026-02-20"),
            status: SchoolStatus::Enrolled,
            school: "学校标校".into(),
            elsewhere: false,
            psych_education: true,
            notes: None,
        }),
        RecordBody::FamilyReturn(FamilyReturn {
            date: d("2026-05-01"),
            kind: ReturnKind::Community,
            place: "某社区".into(),
            privacy_measures: "隐私标措".into(),
            notes: None,
        }),
        RecordBody::Employment(Employment {
            date: d("2026-06-01"),
            service: EmploymentService::Training,
            provider: "就业标所".into(),
            wanted: true,
            notes: None,
        }),
        RecordBody::LegalAid(LegalAid {
            accepted: Some(d("2026-01-05")),
            ..LegalAid::application("法援中心", "援助标项", d("2026-01-05"))
        }),
        RecordBody::FollowUp(FollowUp {
            date: d("2026-07-01"),
            visitor: "张敏".into(),
            living_situation: "生活标况".into(),
            needs: vec![Need::Living],
            actions: None,
            mode: Some(VisitMode::School),
            place: Some("龙岗中学".into()),
            next_visit: Some(d("2026-10-01")),
        }),
        RecordBody::Interview(Interview {
            date: d("2025-11-30"),
            interviewer: "询问标官".into(),
            agencies_present: vec!["公安".into()],
            interpreter: None,
            guardian_or_social_worker_present: true,
            repeat_reason: None,
        }),
        RecordBody::MandatoryReport(MandatoryReport {
            date: d("2025-11-30"),
            reported_to: "公安".into(),
            reference: None,
            summary: "报告标容".into(),
        }),
        RecordBody::Note(Note {
            date: d("2025-12-01"),
            text: "备注标容".into(),
        }),
        // R-HANDOFF-BASIS: the guardian's consent to every kind of recipient, so every
        // summary may be printed.
        RecordBody::Consent(Consent {
            given_by: ConsentGiver::Guardian,
            guardian_name: Some("监护标人".into()),
            covers: "同意标容".into(),
            recipients: guitu_domain::handoff::RecipientKind::ALL.to_vec(),
            from: d("2025-12-01"),
            withdrawn: None,
            notes: None,
        }),
    ];
    for b in bodies {
        s.add_record(id, b).expect("record");
    }
    id
}

fn pdftotext(bytes: &[u8], password: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = password {
        cmd.args(["-upw", p]);
    }
    let out = cmd
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 text")
}

#[test]
fn every_kind_carries_exactly_what_its_profile_allows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = Secret::new("test-passphrase-1".into());
    let mut s = Session::create(
        &dir.path().join("v"),
        "张敏",
        &pass,
        &KdfParams::insecure_for_tests(),
    )
    .expect("vault")
    .0;
    let id = full_case(&mut s);
    for kind in PrintKind::ALL {
        let printed = s
            .print(&id.to_string(), *kind, None, None, d("2026-11-28"))
            .expect("print");
        let text = pdftotext(&printed.bytes, None);
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            !text.contains('\u{FFFD}'),
            "{kind:?}: no replacement characters"
        );
        assert!(
            flat.contains("内部资料注意保密"),
            "{kind:?}: the confidentiality mark is on the page"
        );
        assert!(
            flat.contains("DZ-2025-0777"),
            "{kind:?}: the case number is the reference"
        );
        for (field, marker) in markers() {
            let m: String = marker.chars().filter(|c| !c.is_whitespace()).collect();
            if profiles::allows(*kind, field) {
                assert!(flat.contains(&m), "{kind:?} must show {field:?} ({marker})");
            } else {
                assert!(
                    !flat.contains(&m),
                    "{kind:?} must NOT contain {field:?} ({marker}): the profile leaves it out"
                );
            }
        }
        if *kind != PrintKind::Full {
            assert!(
                flat.contains("移交回执") && flat.contains("接收人签字"),
                "{kind:?}: a receipt slip to sign and return"
            );
        }
    }
    let audit = s.audit_recent(6).expect("audit");
    assert!(
        audit.iter().all(|e| e.action == "print"),
        "every print is an audit entry: {audit:?}"
    );
    assert!(
        audit.iter().any(|e| e.detail == "police basis:consent"),
        "the entry names the profile and the basis of the hand-off"
    );
    assert!(
        audit.iter().any(|e| e.detail == "full"),
        "the full file is not a hand-off: no basis"
    );
}

#[test]
fn a_password_protected_file_opens_only_with_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = Secret::new("test-passphrase-1".into());
    let mut s = Session::create(
        &dir.path().join("v"),
        "张敏",
        &pass,
        &KdfParams::insecure_for_tests(),
    )
    .expect("vault")
    .0;
    let id = full_case(&mut s);
    let printed = s
        .print(
            &id.to_string(),
            PrintKind::Hospital,
            Some("hospital-pw-1"),
            None,
            d("2026-11-28"),
        )
        .expect("print");
    let f = tempfile::NamedTempFile::new().expect("tmp");
    std::fs::write(f.path(), &printed.bytes).expect("write");
    let without = Command::new("pdfinfo")
        .arg(f.path())
        .output()
        .expect("pdfinfo");
    assert!(
        !without.status.success(),
        "without the password the file does not open"
    );
    let with = Command::new("pdfinfo")
        .args(["-upw", "hospital-pw-1"])
        .arg(f.path())
        .output()
        .expect("pdfinfo");
    assert!(
        with.status.success(),
        "with the password it opens: {}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert!(
        pdftotext(&printed.bytes, Some("hospital-pw-1")).contains("康复标院"),
        "and its text is there"
    );
}

fn session(dir: &std::path::Path) -> Session {
    let pass = Secret::new("test-passphrase-1".into());
    Session::create(
        &dir.join("v"),
        "张敏",
        &pass,
        &KdfParams::insecure_for_tests(),
    )
    .expect("vault")
    .0
}

#[test]
fn the_plan_says_what_each_kind_includes_and_leaves_out_and_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let id = full_case(&mut s);
    let full = s
        .print_plan(&id.to_string(), PrintKind::Full, d("2026-11-28"))
        .expect("plan");
    assert!(
        full.leaves_out.is_empty(),
        "the full file leaves nothing out: {:?}",
        full.leaves_out
    );
    for kind in PrintKind::ALL {
        let plan = s
            .print_plan(&id.to_string(), *kind, d("2026-11-28"))
            .expect("plan");
        assert_eq!(plan.kind, *kind);
        let allowed: Vec<_> = profiles::fields(*kind).iter().map(|f| f.entry()).collect();
        assert_eq!(
            plan.includes, allowed,
            "{kind:?}: the plan includes exactly what the profile allows, in print order"
        );
        for e in &full.includes {
            assert!(
                plan.includes.contains(e) != plan.leaves_out.contains(e),
                "{kind:?}: {e:?} is either included or left out, never both or neither"
            );
        }
        assert_eq!(
            plan.includes.len() + plan.leaves_out.len(),
            full.includes.len(),
            "{kind:?}: includes and leaves out make the full file"
        );
    }
    let school = s
        .print_plan("DZ-2025-0777", PrintKind::School, d("2026-11-28"))
        .expect("plan");
    assert!(
        school
            .leaves_out
            .contains(&guitu_api::ProfileEntry::Person("found_place")),
        "a school is told it does not get where the person was found"
    );
    assert_eq!(school.file_name_zh, "DZ-2025-0777 移交摘要（学校）.pdf");
    assert_eq!(
        school.file_name_en,
        "DZ-2025-0777 hand-off summary for a school.pdf"
    );
    assert_eq!(full.file_name_zh, "DZ-2025-0777 完整档案.pdf");
    let printed = s
        .print(
            "DZ-2025-0777",
            PrintKind::School,
            None,
            None,
            d("2026-11-28"),
        )
        .expect("print");
    assert_eq!(
        printed.file_name, school.file_name_zh,
        "the file is saved under the name the plan showed"
    );
    let views = s.audit_recent(50).expect("audit");
    assert_eq!(
        views.iter().filter(|e| e.action == "print").count(),
        1,
        "a plan is not a print: only the print is an audit entry"
    );
}

#[test]
fn a_school_summary_for_an_adult_warns_and_one_for_a_minor_does_not() {
    use guitu_domain::Warning;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    // Born 2008-03-14: 17 until 2026-03-13, 18 from 2026-03-14.
    let id = full_case(&mut s).to_string();
    let plan = |s: &Session, kind: PrintKind, today: &str| {
        s.print_plan(&id, kind, d(today)).expect("plan")
    };
    assert!(
        plan(&s, PrintKind::School, "2026-03-13")
            .warnings
            .is_empty(),
        "a 17-year-old fits a school's summary"
    );
    assert_eq!(
        plan(&s, PrintKind::School, "2026-03-14").warnings,
        vec![Warning::SchoolSummaryForAdult {
            age: 18,
            estimated: false
        }],
        "from the 18th birthday a school's summary warns, with the age"
    );
    for kind in PrintKind::ALL.iter().filter(|k| **k != PrintKind::School) {
        assert!(
            plan(&s, *kind, "2030-01-01").warnings.is_empty(),
            "{kind:?} fits an adult"
        );
    }
    let mut person = s.case_view(&id, d("2026-11-28")).expect("view").person;
    person.birth_date = None;
    s.update_person(person).expect("no birth date");
    assert_eq!(
        plan(&s, PrintKind::School, "2026-11-28").warnings,
        vec![Warning::SchoolSummaryAgeUnknown],
        "without a birth date nobody can say it fits"
    );
}

/// Every string between `>` and `<` of an HTML page, unescaped: the text it shows.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_printer_gets_the_pdfs_pages_with_the_same_redaction_and_an_audit_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let id = full_case(&mut s).to_string();
    for kind in PrintKind::ALL {
        let pdf = s
            .print(&id, *kind, None, None, d("2026-11-28"))
            .expect("pdf");
        let paged = s
            .print_for_printer(&id, *kind, None, d("2026-11-28"))
            .expect("for the printer");
        assert_eq!(
            paged.pages, pdf.pages,
            "{kind:?}: the printer gets as many pages as the PDF has"
        );
        let shown = html_text(&paged.html);
        assert!(
            shown.contains(&format!("共{}页", paged.pages)),
            "{kind:?}: the pages count themselves"
        );
        for (field, marker) in markers() {
            let m: String = marker.chars().filter(|c| !c.is_whitespace()).collect();
            if profiles::allows(*kind, field) {
                assert!(
                    shown.contains(&m),
                    "{kind:?} for the printer must show {field:?} ({marker})"
                );
            } else {
                assert!(
                    !paged.html.contains(marker) && !shown.contains(&m),
                    "{kind:?} for the printer must NOT contain {field:?} ({marker})"
                );
            }
        }
    }
    let audit = s.audit_recent(2).expect("audit");
    assert_eq!(
        audit
            .first()
            .map(|e| (e.action.as_str(), e.detail.as_str())),
        Some(("print", "civil-affairs+printer basis:consent")),
        "sending to the printer is a print in the audit trail, named as such"
    );
}

#[test]
fn the_receipt_states_the_real_page_count_and_titles_have_one_pair_of_brackets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let id = full_case(&mut s).to_string();
    for kind in PrintKind::ALL {
        let printed = s
            .print(&id, *kind, None, None, d("2026-11-28"))
            .expect("print");
        let text = pdftotext(&printed.bytes, None);
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(!flat.contains("若干"), "{kind:?}: no vague page count");
        if *kind != PrintKind::Full {
            assert!(
                flat.contains(&format!("连同本回执共{}页", printed.pages)),
                "{kind:?}: the receipt states the {} pages the file has",
                printed.pages
            );
        }
        let title = format!("个案{}", guitu_domain::Label::zh(kind));
        assert!(
            flat.contains(&title),
            "{kind:?}: the cover's title is the kind's label: {title}"
        );
        for line in text.lines() {
            let mut depth = 0_i32;
            for c in line.chars() {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' => depth -= 1,
                    _ => {}
                }
                assert!(depth <= 1, "{kind:?}: brackets inside brackets in {line:?}");
            }
        }
    }
}

/// The case of `full_case` without its consent (voided: a voided consent does not count)
/// and the id of that consent.
fn case_without_consent(s: &mut Session) -> (String, Uuid) {
    let id = full_case(s).to_string();
    let consent = s
        .case_view(&id, d("2026-11-28"))
        .expect("view")
        .records
        .iter()
        .find(|r| matches!(r.body, RecordBody::Consent(_)))
        .map(|r| r.id)
        .expect("the case has its consent");
    s.void_record(consent, "录入错误")
        .expect("void the consent");
    (id, consent)
}

fn prints(s: &Session) -> Vec<String> {
    s.audit_recent(100)
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "print")
        .map(|e| e.detail)
        .collect()
}

fn flat_text(bytes: &[u8]) -> String {
    pdftotext(bytes, None)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_summary_without_consent_or_legal_basis_is_refused_with_the_code_and_nothing_printed() {
    use guitu_api::Problem;
    use guitu_domain::handoff::{LegalBasis, RecipientKind};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let (id, _) = case_without_consent(&mut s);
    for kind in PrintKind::ALL.iter().filter(|k| **k != PrintKind::Full) {
        let err = s
            .print(&id, *kind, None, None, d("2026-11-28"))
            .expect_err("a hand-off without consent or basis must be refused");
        assert_eq!(err.code(), "handoff.basis_needed", "{kind:?}");
        assert_eq!(
            err.problem(),
            Problem::HandoffBasisNeeded {
                recipient: kind.recipient().expect("a hand-off has a recipient"),
                allowed: LegalBasis::ALL.to_vec(),
            },
            "{kind:?}: the refusal names the recipient kind and the bases there are"
        );
        let plan = s.print_plan(&id, *kind, d("2026-11-28")).expect("plan");
        assert!(
            plan.basis_needed && plan.consent.is_none(),
            "{kind:?}: the plan says a basis is needed before the user tries"
        );
    }
    assert!(
        matches!(
            s.print_for_printer(&id, PrintKind::Police, None, d("2026-11-28")),
            Err(e) if e.code() == "handoff.basis_needed"
        ),
        "the printer is a hand-off too"
    );
    assert!(
        prints(&s).is_empty(),
        "nothing refused is logged as printed"
    );
    let full = s
        .print(&id, PrintKind::Full, None, None, d("2026-11-28"))
        .expect("the full file is not a hand-off: it needs no basis");
    assert!(
        !flat_text(&full.bytes).contains("移交依据"),
        "the full file states no hand-off basis"
    );
    let plan = s
        .print_plan(&id, PrintKind::Full, d("2026-11-28"))
        .expect("plan");
    assert!(!plan.basis_needed && plan.recipient.is_none());
    assert_eq!(
        s.print_plan(&id, PrintKind::Police, d("2026-11-28"))
            .expect("plan")
            .recipient,
        Some(RecipientKind::Police)
    );
}

#[test]
fn a_legal_basis_is_printed_with_its_note_and_audited_by_its_name_only() {
    use guitu_domain::handoff::{HandoffBasis, LegalBasis};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let (id, _) = case_without_consent(&mut s);
    let printed = s
        .print(
            &id,
            PrintKind::Police,
            None,
            Some(HandoffBasis::legal(
                LegalBasis::PoliceRequest,
                Some("调证通知书标号"),
            )),
            d("2026-11-28"),
        )
        .expect("a police summary on the police's request");
    let text = flat_text(&printed.bytes);
    assert!(
        text.contains("移交依据") && text.contains("未取得同意，依据：公安机关依法调取"),
        "the summary states the legal basis: {text}"
    );
    assert!(
        text.contains("调证通知书标号"),
        "the note on the basis is printed with it"
    );
    assert_eq!(
        printed.basis,
        Some(HandoffBasis::Legal {
            basis: LegalBasis::PoliceRequest,
            note: Some("调证通知书标号".into())
        })
    );
    let logged = prints(&s);
    assert_eq!(
        logged,
        vec!["police basis:police_request".to_owned()],
        "the audit entry names the basis by its code"
    );
    assert!(
        !logged.iter().any(|d| d.contains("调证")),
        "never the note's text"
    );
}

#[test]
fn a_consent_in_force_is_stated_and_a_withdrawn_one_no_longer_counts() {
    use guitu_domain::handoff::RecipientKind;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(dir.path());
    let (id, _) = case_without_consent(&mut s);
    let case_id: Uuid = s.case_view(&id, d("2026-11-28")).expect("view").case.id;
    let consent = Consent {
        given_by: ConsentGiver::Guardian,
        guardian_name: Some("王丽".into()),
        covers: "就学所需的基本情况".into(),
        recipients: vec![RecipientKind::School, RecipientKind::Hospital],
        from: d("2026-03-01"),
        withdrawn: None,
        notes: None,
    };
    let record = s
        .add_record(case_id, RecordBody::Consent(consent.clone()))
        .expect("a consent")
        .value;
    let plan = s
        .print_plan(&id, PrintKind::School, d("2026-11-28"))
        .expect("plan");
    assert!(
        matches!(&plan.consent, Some(guitu_domain::handoff::HandoffBasis::Consent { record_id, .. }) if *record_id == record.id),
        "the plan names the consent it will rely on"
    );
    assert!(!plan.basis_needed);
    let printed = s
        .print(&id, PrintKind::School, None, None, d("2026-11-28"))
        .expect("a school summary under the guardian's consent");
    let text = flat_text(&printed.bytes);
    assert!(
        text.contains("监护人（王丽）于2026年3月1日同意向学校提供本摘要所列信息"),
        "the summary states whose consent, from when, for whom: {text}"
    );
    assert!(
        !text.contains("就学所需的基本情况"),
        "the consent's own wording stays in the full file"
    );
    assert_eq!(prints(&s), vec!["school basis:consent".to_owned()]);
    assert!(
        s.print(&id, PrintKind::Police, None, None, d("2026-11-28"))
            .is_err_and(|e| e.code() == "handoff.basis_needed"),
        "a consent for schools and hospitals is none for the police"
    );
    assert!(
        s.print(&id, PrintKind::School, None, None, d("2026-02-28"))
            .is_err_and(|e| e.code() == "handoff.basis_needed"),
        "before the consent was given it does not count"
    );

    s.update_record(
        record.id,
        RecordBody::Consent(Consent {
            withdrawn: Some(d("2026-11-20")),
            ..consent
        }),
    )
    .expect("the guardian withdraws the consent");
    assert!(
        s.print(&id, PrintKind::School, None, None, d("2026-11-28"))
            .is_err_and(|e| e.code() == "handoff.basis_needed"),
        "a withdrawn consent no longer counts"
    );
    assert!(
        s.print_plan(&id, PrintKind::School, d("2026-11-28"))
            .expect("plan")
            .basis_needed
    );
}
