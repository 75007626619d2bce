//! Realistic, deterministic demo data: Chinese names, places of Dazu District (大足区),
//! every record kind, some cases past the three-month line and some legal-aid
//! applications overdue — relative to the day it is generated for.
//!
//! Determinism: the same seed, count and day give the same data, ids included. The
//! generator is SplitMix64 (a dozen lines, stable forever), so demo data and benchmark
//! figures do not change when a random-number crate changes its algorithms.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use guitu_domain::model::*;
use guitu_domain::rules::id3m;

use crate::transfer::{FORMAT, TransferFile, VERSION};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn uuid(&mut self, day: NaiveDate) -> Uuid {
        let ms = day
            .and_hms_opt(9, 0, 0)
            .map(|t| Utc.from_utc_datetime(&t).timestamp_millis())
            .unwrap_or(0);
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(u64::try_from(ms).unwrap_or(0), &bytes)
            .into_uuid()
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "欧阳", "司马", "上官",
];
const GIVEN_F: &[&str] = &[
    "娜", "婷", "芳", "敏", "静", "丽", "燕", "霞", "玲", "琳", "倩", "雪", "梅", "兰", "凤", "洁",
    "颖", "欣", "悦", "瑶", "小红", "小燕", "春梅", "秀英", "桂英", "晓雯", "思琪", "雨涵", "佳怡",
    "梓涵", "欣怡", "诗琪", "婉清", "语嫣", "玥", "堃",
];
const GIVEN_M: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "小明", "小军", "建国", "志强", "国华", "子轩", "浩然", "宇航", "俊杰",
    "梓豪", "天佑", "一鸣", "家豪", "博文", "喆", "昇",
];
const TOWNS: &[&str] = &[
    "棠香街道",
    "龙岗街道",
    "智凤街道",
    "龙滩子街道",
    "双路街道",
    "通桥街道",
    "龙水镇",
    "宝顶镇",
    "中敖镇",
    "三驱镇",
    "宝兴镇",
    "玉龙镇",
    "石马镇",
    "拾万镇",
    "回龙镇",
    "金山镇",
    "万古镇",
    "国梁镇",
    "雍溪镇",
    "珠溪镇",
    "龙石镇",
    "邮亭镇",
    "铁山镇",
    "高升镇",
    "季家镇",
    "古龙镇",
    "高坪镇",
];
const PROVINCES: &[&str] = &[
    "四川省",
    "贵州省",
    "云南省",
    "湖南省",
    "广西壮族自治区",
    "河南省",
    "重庆市",
    "湖北省",
    "江西省",
];
const CASEWORKERS: &[&str] = &["张敏", "李晓红", "王建平", "陈静", "刘洋", "周丽"];
const SUPERVISORS: &[&str] = &["赵科长", "孙主任"];
const HOSPITALS: &[&str] = &[
    "大足区人民医院",
    "大足区中医院",
    "大足区妇幼保健院",
    "重庆市精神卫生中心大足分片区",
];
const SCHOOLS: &[&str] = &[
    "大足区棠香小学",
    "大足区龙岗中学",
    "大足区实验小学",
    "大足区第一中学",
    "龙水镇中心小学",
];
const NOTES: &[&str] = &[
    "入站时情绪紧张，夜间难以入睡，已安排社工每日陪伴并进行情绪疏导。",
    "本人能说简单普通话，口音疑似西南方言，已请翻译协助沟通。",
    "经心理辅导后情绪明显好转，愿意与工作人员交流被拐经过。",
    "身体检查发现轻度营养不良，已按医嘱补充营养并定期复查。",
    "家属来电询问情况，已核实身份后告知可办理接回手续。",
    "本人表示希望继续上学，已联系教委协调就近入学事宜。",
    "回访时生活稳定，已在当地工厂务工，月收入约三千元。",
    "对陌生男性有明显恐惧反应，询问时安排女性民警和社工在场。",
];

fn date_minus(d: NaiveDate, days: i64) -> NaiveDate {
    d - Duration::days(days)
}

/// A valid resident ID number of Dazu District (500111) for a birth date (R-ID-NUM).
fn resident_id(rng: &mut Rng, birth: NaiveDate, female: bool) -> String {
    let seq = rng.below(500) * 2 + usize::from(!female);
    let first17 = format!("500111{}{seq:03}", birth.format("%Y%m%d"));
    let mut digits = [0u32; 17];
    for (d, c) in digits.iter_mut().zip(first17.chars()) {
        *d = c.to_digit(10).unwrap_or(0);
    }
    format!(
        "{first17}{}",
        guitu_domain::rules::idnum::check_character(&digits)
    )
}

/// Generates `n` demo cases as of `today` with `seed`, numbered `DZ-{year}-0001` on.
pub fn generate(n: usize, seed: u64, today: NaiveDate) -> TransferFile {
    generate_numbered(n, seed, today, "DZ", |_| 0)
}

/// Generates `n` demo cases whose numbers use `prefix` and continue after
/// `last_seq(year)` (the highest number a vault already holds for that year).
pub fn generate_numbered(
    n: usize,
    seed: u64,
    today: NaiveDate,
    prefix: &str,
    mut last_seq: impl FnMut(i32) -> u32,
) -> TransferFile {
    let mut rng = Rng(seed ^ 0x6775_6974_7500_0000);
    let mut persons = Vec::with_capacity(n);
    let mut cases = Vec::with_capacity(n);
    let mut records = Vec::with_capacity(n * 7);
    let mut seq_by_year = std::collections::BTreeMap::<i32, u32>::new();
    for i in 0..n {
        // Among the first cases, every 25th is an unidentified person a few weeks past the three-month line
        // with the track under way, and every 30th has a legal-aid application a week old
        // and not yet accepted, so even a small demo shows what is overdue.
        let forced_track = i < 2_000 && i % 25 == 3;
        let forced_legal_aid = i < 3_000 && i % 30 == 5;
        // Most cases are older; a tenth arrived in the last four months.
        let age_days = if forced_track {
            100 + rng.below(60) as i64
        } else if rng.chance(10) {
            rng.below(120) as i64
        } else {
            120 + rng.below(6 * 365) as i64
        };
        let received = date_minus(today, age_days);
        let minor = rng.chance(45);
        let female = rng.chance(if minor { 55 } else { 80 });
        let birth_years = if minor {
            3 + rng.below(14)
        } else {
            18 + rng.below(30)
        } as i64;
        let birth = date_minus(received, birth_years * 365 + rng.below(364) as i64);
        let identity_unknown_at_intake = rng.chance(60) || forced_track;
        let surname = *rng.pick(SURNAMES);
        let given = if female {
            *rng.pick(GIVEN_F)
        } else {
            *rng.pick(GIVEN_M)
        };
        let name = format!("{surname}{given}");
        let person_id = rng.uuid(received);
        let case_id = rng.uuid(received);
        let found = *rng.pick(TOWNS);
        let foreign = !minor && rng.chance(4);
        let person = Person {
            id: person_id,
            name: (!identity_unknown_at_intake || rng.chance(50)).then(|| name.clone()),
            intake_number: Some(format!("JS{}{:05}", received.year(), i % 100_000)),
            other_names: if rng.chance(15) {
                vec![format!("小{}", given.chars().last().unwrap_or('花'))]
            } else {
                Vec::new()
            },
            sex: if female { Sex::Female } else { Sex::Male },
            birth_date: Some(BirthDate {
                date: birth,
                estimated: identity_unknown_at_intake,
            }),
            nationality: if foreign {
                Some(rng.pick(&["越南", "缅甸", "老挝"]).to_string())
            } else {
                Some("中国".into())
            },
            ethnicity: Some(
                if rng.chance(85) {
                    "汉族"
                } else {
                    *rng.pick(&["苗族", "彝族", "土家族", "壮族"])
                }
                .into(),
            ),
            household_registration: (!identity_unknown_at_intake)
                .then(|| format!("{}某县", rng.pick(PROVINCES))),
            resident_id: (!identity_unknown_at_intake && !foreign)
                .then(|| resident_id(&mut rng, birth, female)),
            disability: rng.chance(6).then(|| Disability {
                kind: *rng.pick(DisabilityKind::ALL),
                grade: Some(1 + rng.below(4) as u8),
                certificate_no: rng
                    .chance(50)
                    .then(|| format!("5001111{:011}", rng.below(100_000_000_000))),
            }),
            languages: vec![if foreign { "越南语" } else { "西南官话" }.into()],
            guardians: if minor && !identity_unknown_at_intake && rng.chance(60) {
                vec![Guardian {
                    name: format!("{surname}{}", rng.pick(GIVEN_M)),
                    relation: "父亲".into(),
                    contact: None,
                }]
            } else {
                Vec::new()
            },
            found_place: Some(found.into()),
        };
        let kind = if minor {
            InstitutionKind::MinorProtectionCentre
        } else if forced_track {
            InstitutionKind::AssistanceStation
        } else {
            *rng.pick(&[
                InstitutionKind::AssistanceStation,
                InstitutionKind::AssistanceStation,
                InstitutionKind::Other,
            ])
        };
        let institution = match kind {
            InstitutionKind::MinorProtectionCentre => "大足区未成年人救助保护中心",
            InstitutionKind::AssistanceStation => "大足区救助管理站",
            InstitutionKind::ChildWelfare => "大足区儿童福利院",
            InstitutionKind::Other => "大足区妇女儿童活动中心",
        };
        let year = received.year();
        let seq = seq_by_year.entry(year).or_insert_with(|| last_seq(year));
        *seq += 1;
        let caseworker = rng.pick(CASEWORKERS).to_string();
        let due = id3m::due_date(received);
        // Identity: found within three months (most), found late, or still unknown.
        let verified = if !identity_unknown_at_intake {
            Some(received + Duration::days(rng.below(10) as i64))
        } else if rng.chance(55) {
            Some(received + Duration::days(10 + rng.below(70) as i64))
        } else if rng.chance(30) {
            Some(due + Duration::days(15 + rng.below(200) as i64))
        } else {
            None
        }
        .filter(|v| *v <= today && !forced_track);
        let mut recs: Vec<RecordBody> = Vec::new();
        let shelter_kind = if minor {
            ShelterKind::TemporaryGuardianship
        } else {
            ShelterKind::AssistanceStation
        };
        let stay_days = 20 + rng.below(120) as i64;
        let discharged = Some(received + Duration::days(stay_days)).filter(|d| *d <= today);
        recs.push(RecordBody::ShelterStay(ShelterStay {
            institution: institution.into(),
            kind: shelter_kind,
            admitted: received,
            discharged,
            reason: Some(
                if minor {
                    "公安解救后移交临时监护"
                } else {
                    "公安解救后送站救助"
                }
                .into(),
            ),
        }));
        recs.push(RecordBody::Interview(Interview {
            date: received,
            interviewer: "区公安分局刑侦支队民警".into(),
            agencies_present: vec!["区公安分局".into(), "区民政局".into(), "区妇联".into()],
            interpreter: foreign.then(|| "外事翻译".into()),
            guardian_or_social_worker_present: true,
            repeat_reason: None,
        }));
        let attempt_day = (received + Duration::days(2)).min(today);
        recs.push(RecordBody::IdentityAttempt(IdentityAttempt {
            date: attempt_day,
            method: IdentityMethod::PoliceInquiry,
            outcome: if verified.is_some_and(|v| v <= received + Duration::days(10)) {
                IdentityOutcome::Verified
            } else {
                IdentityOutcome::NoMatch
            },
            verified_date: verified
                .filter(|v| *v <= received + Duration::days(10))
                .map(|v| v.max(attempt_day)),
            police_reference: None,
            notes: None,
        }));
        if identity_unknown_at_intake {
            let sample_day = (received + Duration::days(5)).min(today);
            let late = verified
                .filter(|v| *v > received + Duration::days(10))
                .map(|v| v.max(sample_day));
            recs.push(RecordBody::IdentityAttempt(IdentityAttempt {
                date: sample_day,
                method: IdentityMethod::PoliceBloodSample,
                outcome: if late.is_some() {
                    IdentityOutcome::Verified
                } else {
                    IdentityOutcome::Pending
                },
                verified_date: late,
                police_reference: Some(format!("DZGA-CX-{year}-{:05}", rng.below(100_000))),
                notes: Some("公安机关采血入库比对".into()),
            }));
        }
        let mut stage = if verified.is_some() {
            Stage::Placement
        } else if age_days > 30 {
            Stage::Identity
        } else {
            Stage::Intake
        };
        // R-ID-3M track for cases past the line with identity not found in time.
        let triggered =
            kind.is_assistance_institution() && today > due && verified.is_none_or(|v| v > due);
        if triggered {
            let steps = TrackStep::ALL;
            let done = if age_days > 200 { 5 } else { rng.below(4) };
            for (k, step) in steps.iter().enumerate().take(done) {
                let d = (due + Duration::days(7 + 12 * k as i64 + rng.below(5) as i64)).min(today);
                recs.push(RecordBody::TrackStep(TrackStepRecord {
                    step: *step,
                    date: d,
                    by: caseworker.clone(),
                    notes: None,
                }));
            }
            if let Some(v) = verified {
                recs.push(RecordBody::TrackClosure(TrackClosure {
                    date: v,
                    reason: "公安比对查明身份，户籍安置程序终止".into(),
                    by: caseworker.clone(),
                }));
            }
        }
        let settled = verified.is_some() || (triggered && age_days > 200);
        if settled && age_days > 60 {
            let start = (received + Duration::days(stay_days)).min(today);
            let (pkind, carer) = if verified.is_some() {
                if minor {
                    (PlacementKind::ReturnToFamily, CarerRelation::Parents)
                } else {
                    (PlacementKind::ReturnHome, CarerRelation::SelfCare)
                }
            } else if minor {
                (PlacementKind::ChildWelfare, CarerRelation::Institution)
            } else {
                (PlacementKind::TownPlacement, CarerRelation::Institution)
            };
            let approval = Some(Approval {
                by: rng.pick(SUPERVISORS).to_string(),
                date: start,
            });
            recs.push(RecordBody::Placement(Placement {
                kind: pkind,
                start,
                end: None,
                place: if pkind == PlacementKind::TownPlacement {
                    found.into()
                } else {
                    format!("{}某村", rng.pick(PROVINCES))
                },
                carer,
                decided_by: caseworker.clone(),
                supervisor_approval: approval.clone(),
                district_approval: (pkind == PlacementKind::TownPlacement
                    || pkind == PlacementKind::ChildWelfare)
                    .then_some(Approval {
                        by: "大足区人民政府".into(),
                        date: start,
                    }),
                notes: None,
            }));
            stage = Stage::Rehabilitation;
        }
        for _ in 0..1 + rng.below(2) {
            let start = (received + Duration::days(3 + rng.below(30) as i64)).min(today);
            let service = *rng.pick(&[
                RehabService::BasicMedical,
                RehabService::PsychologicalCounselling,
                RehabService::EmotionalSupport,
                RehabService::HardshipSupport,
                RehabService::PsychologicalGuidance,
            ]);
            recs.push(RecordBody::Rehabilitation(Rehabilitation {
                service,
                provider: if service == RehabService::BasicMedical {
                    rng.pick(HOSPITALS).to_string()
                } else {
                    "大足区社会工作服务中心".into()
                },
                start,
                end: Some(start + Duration::days(14)).filter(|d| *d <= today),
                outcome: rng.chance(70).then(|| "情况好转".into()),
                disability_grade: None,
                certificate_no: None,
            }));
        }
        if person.disability.is_some() {
            let d = (received + Duration::days(20)).min(today);
            recs.push(RecordBody::Rehabilitation(Rehabilitation {
                service: RehabService::DisabilityAssessment,
                provider: "大足区残联指定评定机构".into(),
                start: d,
                end: Some(d),
                outcome: Some("已评定".into()),
                disability_grade: person.disability.as_ref().and_then(|x| x.grade),
                certificate_no: person
                    .disability
                    .as_ref()
                    .and_then(|x| x.certificate_no.clone()),
            }));
        }
        if age_days > 150 {
            let d = (received + Duration::days(140)).min(today);
            let age = guitu_domain::rules::employment::age_on(birth, d);
            if minor && age >= 6 {
                recs.push(RecordBody::Schooling(Schooling {
                    date: d,
                    status: if verified.is_some() {
                        SchoolStatus::Returned
                    } else {
                        SchoolStatus::Enrolled
                    },
                    school: rng.pick(SCHOOLS).to_string(),
                    elsewhere: rng.chance(30),
                    psych_education: true,
                    notes: None,
                }));
            } else if age >= 16 && rng.chance(50) {
                recs.push(RecordBody::Employment(Employment {
                    date: d,
                    service: *rng.pick(EmploymentService::ALL),
                    provider: "大足区就业和人才服务局".into(),
                    wanted: true,
                    notes: None,
                }));
            }
            if verified.is_some() {
                recs.push(RecordBody::FamilyReturn(FamilyReturn {
                    date: d,
                    kind: if rng.chance(70) {
                        ReturnKind::Family
                    } else {
                        ReturnKind::Community
                    },
                    place: format!("{}某村", rng.pick(PROVINCES)),
                    privacy_measures: "不公开被拐经历，由镇街专人对接".into(),
                    notes: None,
                }));
            }
            stage = Stage::Reintegration;
        }
        if minor && rng.chance(20) {
            recs.push(RecordBody::MandatoryReport(MandatoryReport {
                date: received,
                reported_to: "大足区公安分局".into(),
                reference: Some(format!("QZBG-{year}-{:04}", rng.below(10_000))),
                summary: "发现未成年人疑似遭受侵害，依法报告公安机关".into(),
            }));
        }
        // Legal aid: a fifth of the cases; recent ones still open, some overdue.
        if rng.chance(20) || forced_legal_aid {
            let received_la = if forced_legal_aid {
                date_minus(today, 6 + rng.below(6) as i64).max(received)
            } else {
                (received + Duration::days(5 + rng.below(20) as i64)).min(today)
            };
            let recent = (today - received_la).num_days() < 30;
            let done_steps = if forced_legal_aid {
                0
            } else if recent {
                rng.below(3)
            } else {
                5
            };
            let step_day = |k: i64| (received_la + Duration::days(k)).min(today);
            recs.push(RecordBody::LegalAid(LegalAid {
                centre: "大足区法律援助中心".into(),
                matter: "刑事附带民事诉讼代理".into(),
                green_channel: rng.chance(90),
                received: received_la,
                accepted: (done_steps >= 1).then_some(received_la),
                reviewed: (done_steps >= 2).then(|| step_day(2)),
                decision: (done_steps >= 2).then_some(LegalAidDecision::Granted),
                refusal_reason: None,
                assigned: (done_steps >= 3).then(|| step_day(3)),
                assignee: (done_steps >= 3).then(|| "重庆某律师事务所 律师".into()),
                handled: (done_steps >= 4).then(|| step_day(60)),
                closed: (done_steps >= 5).then(|| step_day(90)),
            }));
        }
        if age_days > 200 {
            for k in 0..1 + rng.below(2) {
                let d = (received + Duration::days(180 + 90 * k as i64)).min(today);
                recs.push(RecordBody::FollowUp(FollowUp {
                    date: d,
                    visitor: caseworker.clone(),
                    living_situation: "生活基本稳定".into(),
                    needs: vec![*rng.pick(Need::ALL)],
                    actions: Some("已协调镇街落实帮扶措施".into()),
                    mode: Some(if k == 0 {
                        VisitMode::Home
                    } else {
                        VisitMode::Phone
                    }),
                    place: (k == 0).then(|| "本人住所".into()),
                    next_visit: None,
                }));
            }
            stage = if age_days > 900 {
                Stage::Closed
            } else {
                Stage::FollowUp
            };
        }
        recs.push(RecordBody::Note(Note {
            date: (received + Duration::days(1)).min(today),
            text: rng.pick(NOTES).to_string(),
        }));
        // R-CONSENT: three cases in five have a consent to share (a minor's from the
        // guardian), one in ten of those withdrawn after two months. Chosen by the case
        // number, not the random stream, so the rest of the demo data stays as it was.
        let number = *seq;
        if number % 5 < 3 {
            use guitu_domain::handoff::RecipientKind as R;
            let from = (received + Duration::days(2)).min(today);
            let withdrawn = Some(from + Duration::days(60))
                .filter(|w| number.is_multiple_of(10) && *w <= today);
            let guardian = person.guardians.first().map(|g| g.name.clone());
            let (given_by, recipients, covers) = match (&guardian, minor) {
                (Some(_), _) | (None, true) => (
                    ConsentGiver::Guardian,
                    vec![R::School, R::Hospital, R::AssistanceInstitution],
                    "为就学、就医和安置提供基本情况、联系人和所需照顾",
                ),
                (None, false) => (
                    ConsentGiver::Person,
                    vec![R::Hospital, R::LegalAid, R::AssistanceInstitution],
                    "为就医、法律援助和安置提供本人基本情况和办理进度",
                ),
            };
            recs.push(RecordBody::Consent(Consent {
                given_by,
                guardian_name: match given_by {
                    ConsentGiver::Guardian => {
                        Some(guardian.unwrap_or_else(|| "临时监护机构负责人".into()))
                    }
                    ConsentGiver::Person => None,
                },
                covers: covers.into(),
                recipients,
                from,
                withdrawn,
                notes: None,
            }));
        }
        let flags = CaseFlags {
            minor,
            woman: female && !minor,
            disabled: person.disability.is_some(),
            foreign,
            cross_province: rng.chance(40),
        };
        cases.push(Case {
            id: case_id,
            case_number: format!("{prefix}-{year}-{seq:04}"),
            person_id,
            institution: institution.into(),
            institution_kind: kind,
            received_date: received,
            referral: *rng.pick(&[
                ReferralSource::PoliceRescue,
                ReferralSource::PoliceRescue,
                ReferralSource::Hotline,
                ReferralSource::SelfReport,
                ReferralSource::OtherDistrict,
            ]),
            police_reference: Some(format!(
                "大公（刑）立字〔{year}〕{}号",
                100 + rng.below(900)
            )),
            caseworker: caseworker.clone(),
            flags,
            stage,
        });
        for body in recs {
            let at = body
                .date()
                .and_hms_opt(10, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t))
                .unwrap_or_else(Utc::now);
            records.push(Record {
                id: rng.uuid(body.date()),
                case_id,
                body,
                created_at: at,
                created_by: caseworker.clone(),
                updated_at: at,
                updated_by: caseworker.clone(),
            });
        }
        persons.push(person);
    }
    TransferFile {
        format: FORMAT.into(),
        version: VERSION,
        persons,
        cases,
        records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        let a = generate(50, 7, today);
        let b = generate(50, 7, today);
        assert_eq!(a, b, "demo data must be deterministic, ids included");
        let c = generate(50, 8, today);
        assert_ne!(a, c, "another seed gives other data");
    }
}
