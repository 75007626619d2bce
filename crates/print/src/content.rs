//! What goes into each printed file, built from a case and its records.
//!
//! Every value passes through `profiles::allows` before it enters the document: a field
//! the kind's profile leaves out is never written, so it cannot be found in the PDF.

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

use guitu_domain::Label;
use guitu_domain::label::zh_date;
use guitu_domain::model::{Case, Person, Record, RecordBody, RecordKind};
use guitu_domain::rules::id3m::{Id3mStatus, StepStatus};
use guitu_domain::rules::legal_aid::LegalAidStatus;

use crate::doc::{Block, Column, Document};
use crate::profiles::{self, Field, PrintKind};

/// The confidentiality mark on every page.
pub const CONFIDENTIAL: &str = "内部资料 注意保密";

/// One line of the case timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// When, as text (e.g. 2026-03-05 10:31).
    pub at: String,
    pub actor: String,
    pub what: String,
}

/// Everything a printed file may draw on.
#[derive(Debug, Clone, Copy)]
pub struct PrintInput<'a> {
    pub case: &'a Case,
    pub person: &'a Person,
    /// Every record of the case, by date.
    pub records: &'a [Record],
    pub id3m: &'a Id3mStatus,
    /// R-LA-GC state per legal-aid record id.
    pub legal_aid: &'a [(Uuid, LegalAidStatus)],
    pub timeline: &'a [TimelineEntry],
    pub printed_by: &'a str,
    pub printed_at: NaiveDateTime,
}

const NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

struct Builder {
    blocks: Vec<Block>,
    section: usize,
}

impl Builder {
    fn heading(&mut self, title: &str) {
        let n = NUMERALS.get(self.section).copied().unwrap_or("");
        self.section += 1;
        self.blocks.push(Block::Heading(format!("{n}、{title}")));
    }
}

fn opt(v: &Option<String>) -> String {
    v.as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("—")
        .to_owned()
}

fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(zh_date).unwrap_or_else(|| "—".to_owned())
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_owned()
}

fn cols(spec: &[(&str, f32)]) -> Vec<Column> {
    spec.iter()
        .map(|(t, w)| Column {
            title: (*t).to_owned(),
            weight: *w,
        })
        .collect()
}

fn person_fields(p: &Person, kind: PrintKind) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |f: Field, label: &str, value: String| {
        if profiles::allows(kind, f) {
            out.push((label.to_owned(), value));
        }
    };
    add(
        Field::Name,
        "姓名",
        p.name.clone().unwrap_or_else(|| "不详".into()),
    );
    add(Field::IntakeNumber, "接收编号", opt(&p.intake_number));
    add(
        Field::OtherNames,
        "曾用名/别名",
        if p.other_names.is_empty() {
            "—".into()
        } else {
            p.other_names.join("、")
        },
    );
    add(Field::Sex, "性别", p.sex.zh().into());
    add(
        Field::BirthDate,
        "出生日期",
        p.birth_date
            .map(|b| {
                format!(
                    "{}{}",
                    zh_date(b.date),
                    if b.estimated { "（估计）" } else { "" }
                )
            })
            .unwrap_or_else(|| "不详".into()),
    );
    add(Field::Nationality, "国籍", opt(&p.nationality));
    add(Field::Ethnicity, "民族", opt(&p.ethnicity));
    add(
        Field::HouseholdRegistration,
        "户籍地",
        opt(&p.household_registration),
    );
    add(Field::ResidentId, "居民身份证号码", opt(&p.resident_id));
    add(
        Field::Disability,
        "残疾情况",
        p.disability
            .as_ref()
            .map(|d| {
                format!(
                    "{}{}{}",
                    d.kind.zh(),
                    d.grade
                        .map(|g| format!(
                            "，{}级",
                            NUMERALS
                                .get(usize::from(g).saturating_sub(1))
                                .copied()
                                .unwrap_or("?")
                        ))
                        .unwrap_or_default(),
                    d.certificate_no
                        .as_ref()
                        .map(|c| format!("，残疾证号 {c}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_else(|| "无".into()),
    );
    add(
        Field::Languages,
        "语言/方言",
        if p.languages.is_empty() {
            "—".into()
        } else {
            p.languages.join("、")
        },
    );
    add(
        Field::Guardians,
        "监护人",
        if p.guardians.is_empty() {
            "无/不详".into()
        } else {
            p.guardians
                .iter()
                .map(|g| {
                    format!(
                        "{}（{}）{}",
                        g.name,
                        g.relation,
                        g.contact
                            .as_ref()
                            .map(|c| format!(" {c}"))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("；")
        },
    );
    add(Field::FoundPlace, "发现地", opt(&p.found_place));
    out
}

fn case_fields(c: &Case, kind: PrintKind) -> Vec<(String, String)> {
    let mut out = vec![("案件编号".to_owned(), c.case_number.clone())];
    let mut add = |f: Field, label: &str, value: String| {
        if profiles::allows(kind, f) {
            out.push((label.to_owned(), value));
        }
    };
    add(Field::ReceivedDate, "接收日期", zh_date(c.received_date));
    add(
        Field::Institution,
        "接收机构",
        format!("{}（{}）", c.institution, c.institution_kind.zh()),
    );
    add(Field::Referral, "来源", c.referral.zh().into());
    add(
        Field::PoliceReference,
        "公安案件编号",
        opt(&c.police_reference),
    );
    add(Field::Caseworker, "承办人", c.caseworker.clone());
    let flags = c.flags.labels_zh();
    add(
        Field::Flags,
        "标记",
        if flags.is_empty() {
            "—".into()
        } else {
            flags.join("、")
        },
    );
    add(Field::Stage, "当前阶段", c.stage.zh().into());
    out
}

/// The table of one record kind: columns and one row per record.
fn record_table(kind: RecordKind, records: &[&Record]) -> Option<(Vec<Column>, Vec<Vec<String>>)> {
    let columns = match kind {
        RecordKind::ShelterStay => cols(&[
            ("机构", 3.0),
            ("类别", 3.0),
            ("入站", 2.0),
            ("离站", 2.0),
            ("原因", 3.0),
        ]),
        RecordKind::IdentityAttempt => cols(&[
            ("日期", 2.0),
            ("方式", 2.0),
            ("结果", 1.5),
            ("查明日期", 2.0),
            ("公安编号", 2.5),
            ("备注", 3.0),
        ]),
        RecordKind::Placement => cols(&[
            ("类别", 2.0),
            ("期间", 2.5),
            ("地点", 2.5),
            ("照料人", 1.5),
            ("决定/审批", 3.5),
            ("备注", 2.0),
        ]),
        RecordKind::Rehabilitation => cols(&[
            ("服务", 2.0),
            ("机构", 3.0),
            ("期间", 2.5),
            ("结果", 2.5),
            ("残疾评定", 2.5),
        ]),
        RecordKind::Schooling => cols(&[
            ("日期", 2.0),
            ("情况", 1.5),
            ("学校", 3.0),
            ("异地就学", 1.5),
            ("心理健康教育", 2.0),
            ("备注", 2.5),
        ]),
        RecordKind::FamilyReturn => cols(&[
            ("日期", 2.0),
            ("方式", 1.5),
            ("地点", 3.0),
            ("隐私保护措施", 3.5),
            ("备注", 2.5),
        ]),
        RecordKind::Employment => cols(&[
            ("日期", 2.0),
            ("服务", 2.0),
            ("机构", 3.0),
            ("本人意愿", 1.5),
            ("备注", 3.0),
        ]),
        RecordKind::LegalAid => cols(&[
            ("援助机构", 3.0),
            ("事项", 3.0),
            ("绿色通道", 1.5),
            ("申请日期", 2.0),
            ("决定", 2.5),
            ("承办人", 2.5),
        ]),
        RecordKind::FollowUp => cols(&[
            ("日期", 2.0),
            ("回访人", 1.5),
            ("生活状况", 3.5),
            ("需求", 2.0),
            ("措施", 3.5),
        ]),
        RecordKind::Interview => cols(&[
            ("日期", 2.0),
            ("询问人", 2.5),
            ("在场单位", 3.5),
            ("翻译", 1.5),
            ("监护人/社工在场", 2.0),
            ("再次询问理由", 2.5),
        ]),
        RecordKind::MandatoryReport => cols(&[
            ("日期", 2.0),
            ("报告对象", 3.0),
            ("编号", 2.5),
            ("内容", 5.0),
        ]),
        RecordKind::Note => cols(&[("日期", 2.0), ("内容", 10.0)]),
        RecordKind::TrackStep | RecordKind::TrackClosure => return None,
    };
    let rows = records
        .iter()
        .filter_map(|r| {
            Some(match &r.body {
                RecordBody::ShelterStay(x) => vec![
                    x.institution.clone(),
                    x.kind.zh().into(),
                    zh_date(x.admitted),
                    date_opt(x.discharged),
                    opt(&x.reason),
                ],
                RecordBody::IdentityAttempt(x) => vec![
                    zh_date(x.date),
                    x.method.zh().into(),
                    x.outcome.zh().into(),
                    date_opt(x.verified_date),
                    opt(&x.police_reference),
                    opt(&x.notes),
                ],
                RecordBody::Placement(x) => vec![
                    x.kind.zh().into(),
                    format!("{} 至 {}", zh_date(x.start), date_opt(x.end)),
                    x.place.clone(),
                    x.carer.zh().into(),
                    format!(
                        "决定：{}{}{}",
                        x.decided_by,
                        x.supervisor_approval
                            .as_ref()
                            .map(|a| format!("；主管审批：{} {}", a.by, zh_date(a.date)))
                            .unwrap_or_default(),
                        x.district_approval
                            .as_ref()
                            .map(|a| format!("；区政府：{} {}", a.by, zh_date(a.date)))
                            .unwrap_or_default()
                    ),
                    opt(&x.notes),
                ],
                RecordBody::Rehabilitation(x) => vec![
                    x.service.zh().into(),
                    x.provider.clone(),
                    format!("{} 至 {}", zh_date(x.start), date_opt(x.end)),
                    opt(&x.outcome),
                    match (x.disability_grade, &x.certificate_no) {
                        (None, None) => "—".into(),
                        (g, c) => format!(
                            "{}{}",
                            g.map(|g| format!("{g}级")).unwrap_or_default(),
                            c.as_ref().map(|c| format!(" 证号{c}")).unwrap_or_default()
                        ),
                    },
                ],
                RecordBody::Schooling(x) => vec![
                    zh_date(x.date),
                    x.status.zh().into(),
                    x.school.clone(),
                    yes(x.elsewhere),
                    yes(x.psych_education),
                    opt(&x.notes),
                ],
                RecordBody::FamilyReturn(x) => vec![
                    zh_date(x.date),
                    x.kind.zh().into(),
                    x.place.clone(),
                    x.privacy_measures.clone(),
                    opt(&x.notes),
                ],
                RecordBody::Employment(x) => vec![
                    zh_date(x.date),
                    x.service.zh().into(),
                    x.provider.clone(),
                    yes(x.wanted),
                    opt(&x.notes),
                ],
                RecordBody::LegalAid(x) => vec![
                    x.centre.clone(),
                    x.matter.clone(),
                    yes(x.green_channel),
                    zh_date(x.received),
                    match x.decision {
                        Some(d) => format!(
                            "{}{}",
                            d.zh(),
                            x.refusal_reason
                                .as_ref()
                                .map(|r| format!("：{r}"))
                                .unwrap_or_default()
                        ),
                        None => "待审查".into(),
                    },
                    opt(&x.assignee),
                ],
                RecordBody::FollowUp(x) => vec![
                    zh_date(x.date),
                    x.visitor.clone(),
                    x.living_situation.clone(),
                    if x.needs.is_empty() {
                        "—".into()
                    } else {
                        x.needs
                            .iter()
                            .map(|n| n.zh())
                            .collect::<Vec<_>>()
                            .join("、")
                    },
                    opt(&x.actions),
                ],
                RecordBody::Interview(x) => vec![
                    zh_date(x.date),
                    x.interviewer.clone(),
                    if x.agencies_present.is_empty() {
                        "—".into()
                    } else {
                        x.agencies_present.join("、")
                    },
                    opt(&x.interpreter),
                    yes(x.guardian_or_social_worker_present),
                    opt(&x.repeat_reason),
                ],
                RecordBody::MandatoryReport(x) => vec![
                    zh_date(x.date),
                    x.reported_to.clone(),
                    opt(&x.reference),
                    x.summary.clone(),
                ],
                RecordBody::Note(x) => vec![zh_date(x.date), x.text.clone()],
                RecordBody::TrackStep(_) | RecordBody::TrackClosure(_) => return None,
            })
        })
        .collect();
    Some((columns, rows))
}

fn step_state(s: &StepStatus) -> String {
    match (s.done, s.overdue, s.late) {
        (Some(_), _, true) => "超期完成".into(),
        (Some(_), _, false) => "已完成".into(),
        (None, true, _) => "已逾期".into(),
        (None, false, _) => "待办".into(),
    }
}

fn id3m_section(b: &mut Builder, status: &Id3mStatus) {
    b.heading("三个月身份查明（户籍安置程序）");
    let (summary, steps) = match status {
        Id3mStatus::NotApplicable => ("接收机构不属救助管理机构，不适用本规则。".to_owned(), None),
        Id3mStatus::VerifiedInTime { verified, due } => (
            format!(
                "身份已于{}查明，早于三个月期限{}，不启动户籍安置程序。",
                zh_date(*verified),
                zh_date(*due)
            ),
            None,
        ),
        Id3mStatus::Pending { due, days_left, .. } => (
            format!(
                "身份尚未查明。三个月期限为{}，还有{}天。",
                zh_date(*due),
                days_left
            ),
            None,
        ),
        Id3mStatus::Triggered {
            due,
            steps,
            overdue_steps,
            complete,
        } => (
            format!(
                "接收满三个月（期限{}）身份仍未查明，已进入户籍安置程序。{}",
                zh_date(*due),
                if *complete {
                    "各步骤均已完成。".to_owned()
                } else {
                    format!("逾期步骤{overdue_steps}项。")
                }
            ),
            Some(steps),
        ),
        Id3mStatus::Closed {
            due,
            closed_on,
            reason,
            steps,
        } => (
            format!(
                "三个月期限{}后启动的户籍安置程序已于{}终止：{}",
                zh_date(*due),
                zh_date(*closed_on),
                reason
            ),
            Some(steps),
        ),
    };
    b.blocks.push(Block::Paragraph(summary));
    if let Some(steps) = steps {
        b.blocks.push(Block::Table {
            columns: cols(&[
                ("步骤", 5.0),
                ("期限", 2.0),
                ("完成日期", 2.0),
                ("经办人", 2.0),
                ("状态", 1.5),
            ]),
            rows: steps
                .iter()
                .map(|s| {
                    vec![
                        s.step.zh().into(),
                        zh_date(s.due),
                        date_opt(s.done),
                        s.by.clone().unwrap_or_else(|| "—".into()),
                        step_state(s),
                    ]
                })
                .collect(),
        });
    }
}

fn legal_aid_section(b: &mut Builder, input: &PrintInput<'_>) {
    b.heading("法律援助绿色通道办理进度");
    if input.legal_aid.is_empty() {
        b.blocks.push(Block::Paragraph("无法律援助申请。".into()));
    }
    for (i, (record_id, status)) in input.legal_aid.iter().enumerate() {
        let title = input
            .records
            .iter()
            .find(|r| r.id == *record_id)
            .and_then(|r| match &r.body {
                RecordBody::LegalAid(la) => Some(format!(
                    "申请{}：{}，{}（{}申请）",
                    i + 1,
                    la.centre,
                    la.matter,
                    zh_date(la.received)
                )),
                _ => None,
            })
            .unwrap_or_else(|| format!("申请{}", i + 1));
        b.blocks.push(Block::Subheading(title));
        b.blocks.push(Block::Table {
            columns: cols(&[
                ("步骤", 3.0),
                ("期限（工作日）", 2.5),
                ("完成日期", 2.5),
                ("状态", 2.0),
            ]),
            rows: status
                .steps
                .iter()
                .map(|s| {
                    let state = if s.skipped {
                        "不适用"
                    } else if s.done.is_some() {
                        if s.late { "超期完成" } else { "已完成" }
                    } else if s.overdue {
                        "已逾期"
                    } else {
                        "待办"
                    };
                    vec![
                        s.step.zh().into(),
                        date_opt(s.due),
                        date_opt(s.done),
                        state.into(),
                    ]
                })
                .collect(),
        });
    }
}

fn section_title(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::ShelterStay => "救助与临时监护",
        RecordKind::IdentityAttempt => "身份查明",
        RecordKind::Placement => "安置",
        RecordKind::Rehabilitation => "康复服务",
        RecordKind::Schooling => "就学",
        RecordKind::FamilyReturn => "回归家庭和社区",
        RecordKind::Employment => "就业服务",
        RecordKind::LegalAid => "法律援助申请",
        RecordKind::FollowUp => "跟踪回访",
        RecordKind::Interview => "询问记录",
        RecordKind::MandatoryReport => "强制报告",
        RecordKind::Note => "备注",
        RecordKind::TrackStep => "户籍安置程序步骤",
        RecordKind::TrackClosure => "户籍安置程序终止",
    }
}

/// Builds the document of `kind` for a case.
pub fn build(input: &PrintInput<'_>, kind: PrintKind) -> Document {
    let c = input.case;
    let printed = format!(
        "{} {}",
        zh_date(input.printed_at.date()),
        input.printed_at.format("%H:%M")
    );
    let mut b = Builder {
        blocks: Vec::new(),
        section: 0,
    };
    let (title, subtitle) = match kind.recipient_zh() {
        None => ("个案完整档案".to_owned(), c.case_number.clone()),
        Some(r) => (format!("个案移交摘要（致{r}）"), c.case_number.clone()),
    };
    let mut cover = vec![("案件编号".to_owned(), c.case_number.clone())];
    if profiles::allows(kind, Field::Name) {
        cover.push(("受害人".into(), input.person.display_name()));
    }
    if profiles::allows(kind, Field::Stage) {
        cover.push(("当前阶段".into(), c.stage.zh().into()));
    }
    if profiles::allows(kind, Field::Caseworker) {
        cover.push(("承办人".into(), c.caseworker.clone()));
    }
    if let Some(r) = kind.recipient_zh() {
        cover.push(("接收单位".into(), r.into()));
    }
    cover.push(("打印人".into(), input.printed_by.to_owned()));
    cover.push(("打印时间".into(), printed.clone()));
    cover.push(("密级".into(), CONFIDENTIAL.into()));
    b.blocks.push(Block::Cover {
        title: title.clone(),
        subtitle,
        fields: cover,
    });

    b.heading("受害人基本情况");
    b.blocks
        .push(Block::Fields(person_fields(input.person, kind)));
    b.heading("个案信息");
    b.blocks.push(Block::Fields(case_fields(c, kind)));

    for field in profiles::fields(kind) {
        match field {
            Field::Records(rk) => {
                let records: Vec<&Record> = input
                    .records
                    .iter()
                    .filter(|r| r.body.kind() == *rk)
                    .collect();
                let Some((columns, rows)) = record_table(*rk, &records) else {
                    continue;
                };
                b.heading(section_title(*rk));
                if rows.is_empty() {
                    b.blocks.push(Block::Paragraph("无记录。".into()));
                } else {
                    b.blocks.push(Block::Table { columns, rows });
                }
            }
            Field::Id3mTrack => id3m_section(&mut b, input.id3m),
            Field::LegalAidSteps => legal_aid_section(&mut b, input),
            Field::Timeline => {
                b.heading("变更时间线");
                b.blocks.push(Block::Table {
                    columns: cols(&[("时间", 3.0), ("操作人", 2.0), ("内容", 7.0)]),
                    rows: input
                        .timeline
                        .iter()
                        .map(|t| vec![t.at.clone(), t.actor.clone(), t.what.clone()])
                        .collect(),
                });
            }
            _ => {}
        }
    }

    if let Some(r) = kind.recipient_zh() {
        b.blocks.push(Block::PageBreak);
        b.blocks.push(Block::Heading("移交回执".into()));
        b.blocks.push(Block::Paragraph(format!(
            "兹收到个案{}的移交摘要一份（共若干页）。本摘要仅限用于本单位依法履职，不得向无关人员披露受害人信息。请签收后将本回执交回移交单位。",
            c.case_number
        )));
        let mut receipt = vec![("案件编号".to_owned(), c.case_number.clone())];
        if profiles::allows(kind, Field::Institution) {
            receipt.push(("移交单位".into(), c.institution.clone()));
        }
        receipt.push(("接收单位".into(), r.into()));
        receipt.push(("移交人".into(), input.printed_by.to_owned()));
        receipt.push(("移交时间".into(), printed.clone()));
        b.blocks.push(Block::Fields(receipt));
        b.blocks.push(Block::SignatureLines(vec![
            "接收人签字：".into(),
            "接收单位（盖章）：".into(),
            "接收日期：".into(),
        ]));
    }

    Document {
        title: format!("{title} {}", c.case_number),
        header_left: c.case_number.clone(),
        header_right: CONFIDENTIAL.into(),
        footer_left: format!("打印人：{}　打印时间：{printed}", input.printed_by),
        created: input.printed_at,
        blocks: b.blocks,
    }
}
