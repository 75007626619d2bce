//! What goes into each printed file, built from a case and its records.
//!
//! Every value passes through `profiles::allows` before it enters the document: a field
//! the kind's profile leaves out is never written, so it cannot be found in the PDF.

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

use guitu_domain::Label;
use guitu_domain::handoff::{HandoffBasis, RecipientKind};
use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Case, Person, Record, RecordBody, RecordKind};
use guitu_domain::rules::id3m::{Id3mStatus, StepStatus};
use guitu_domain::rules::legal_aid::LegalAidStatus;
use guitu_domain::schema::FieldType;
use guitu_text::values::{self, EMPTY};
use guitu_text::{self as text, Lang};

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

/// Who voided a record or a case (作废, R-DATE), when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidNote {
    pub by: String,
    pub on: NaiveDate,
    pub reason: String,
}

/// A voided record, printed in the full file only, marked void.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidedEntry {
    pub record: Record,
    pub note: VoidNote,
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
    /// Approval requests and decisions (printed in the full file only).
    pub approvals: &'a [guitu_domain::approval::ApprovalRequest],
    /// Voided records (R-DATE): in the full file only, marked void with the reason.
    pub voided: &'a [VoidedEntry],
    /// The case itself voided.
    pub case_void: Option<&'a VoidNote>,
    pub printed_by: &'a str,
    pub printed_at: NaiveDateTime,
    /// What a hand-off summary relies on (R-HANDOFF-BASIS): the consent in force for its
    /// recipient or the legal basis the user gave. The full file has none.
    pub basis: Option<&'a HandoffBasis>,
}

/// The basis of a hand-off as the summary states it (R-HANDOFF-BASIS); the guardian is
/// named only where the kind carries guardians.
fn basis_text(basis: &HandoffBasis, recipient: RecipientKind, kind: PrintKind) -> String {
    text::handoff_basis(
        basis,
        recipient,
        profiles::allows(kind, Field::Guardians),
        ZH,
    )
}

fn basis_fields(
    basis: &HandoffBasis,
    recipient: RecipientKind,
    kind: PrintKind,
) -> Vec<(String, String)> {
    let mut out = vec![("移交依据".to_owned(), basis_text(basis, recipient, kind))];
    if let HandoffBasis::Legal {
        note: Some(note), ..
    } = basis
    {
        out.push(("依据说明".into(), note.clone()));
    }
    out
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

const ZH: Lang = Lang::Zh;

fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(|d| text::date(d, ZH))
        .unwrap_or_else(|| EMPTY.to_owned())
}

fn cols(spec: &[(&str, f32)]) -> Vec<Column> {
    spec.iter()
        .map(|(t, w)| Column {
            title: (*t).to_owned(),
            weight: *w,
        })
        .collect()
}

/// The profile entry of a person's field (by its schema name).
pub fn person_field(name: &str) -> Option<Field> {
    Some(match name {
        "name" => Field::Name,
        "intake_number" => Field::IntakeNumber,
        "other_names" => Field::OtherNames,
        "sex" => Field::Sex,
        "birth_date" => Field::BirthDate,
        "nationality" => Field::Nationality,
        "ethnicity" => Field::Ethnicity,
        "household_registration" => Field::HouseholdRegistration,
        "resident_id" => Field::ResidentId,
        "disability" => Field::Disability,
        "languages" => Field::Languages,
        "guardians" => Field::Guardians,
        "found_place" => Field::FoundPlace,
        _ => return None,
    })
}

/// The profile entry of a case's field (by its schema name); the case number is on
/// every file.
pub fn case_field(name: &str) -> Option<Field> {
    Some(match name {
        "received_date" => Field::ReceivedDate,
        "institution" | "institution_kind" => Field::Institution,
        "referral" => Field::Referral,
        "police_reference" => Field::PoliceReference,
        "caseworker" => Field::Caseworker,
        "flags" => Field::Flags,
        "stage" => Field::Stage,
        _ => return None,
    })
}

/// The labelled fields of `value` (a person or a case) that the profile allows.
fn allowed_fields(
    schema: &str,
    value: &serde_json::Value,
    kind: PrintKind,
    profile_field: fn(&str) -> Option<Field>,
) -> Vec<(String, String)> {
    values::fields(schema, value, ZH)
        .into_iter()
        .filter(|f| match profile_field(&f.spec.name) {
            Some(field) => profiles::allows(kind, field),
            // Not a profile field: only the case number, which every file carries.
            None => f.spec.name == "case_number",
        })
        .map(|f| {
            let value = match f.spec.name.as_str() {
                "name" if f.value == EMPTY => "不详".to_owned(),
                "flags" => {
                    let set = text::case_flag_list(
                        &serde_json::from_value(value["flags"].clone()).unwrap_or_default(),
                        ZH,
                    );
                    if set.is_empty() {
                        EMPTY.to_owned()
                    } else {
                        set
                    }
                }
                _ => f.value,
            };
            (f.label, value)
        })
        .collect()
}

fn person_fields(p: &Person, kind: PrintKind) -> Vec<(String, String)> {
    let v = serde_json::to_value(p).unwrap_or_default();
    allowed_fields("person", &v, kind, person_field)
}

fn case_fields(c: &Case, kind: PrintKind) -> Vec<(String, String)> {
    let v = serde_json::to_value(c).unwrap_or_default();
    allowed_fields("case", &v, kind, case_field)
}

/// A record kind with at most this many fields prints as a table (one row per record);
/// one with more prints each record as a block of labelled fields, so that every field
/// fits the page.
const TABLE_MAX_FIELDS: usize = 6;

fn weight(ty: &FieldType) -> f32 {
    match ty {
        FieldType::Date => 2.0,
        FieldType::Bool | FieldType::Int { .. } => 1.5,
        FieldType::Enum { .. } => 2.0,
        FieldType::Text {
            multiline: true, ..
        } => 4.0,
        FieldType::Text { .. } => 2.5,
        FieldType::List { .. } | FieldType::Object { .. } => 3.0,
        FieldType::Id => 1.0,
    }
}

/// The blocks of one record kind's section: every field of every record, labelled from
/// the schema.
fn record_blocks(kind: RecordKind, records: &[&Record]) -> Vec<Block> {
    if records.is_empty() {
        return vec![Block::Paragraph("无记录。".into())];
    }
    let rendered: Vec<Vec<values::FieldText<'static>>> = records
        .iter()
        .map(|r| {
            let v = serde_json::to_value(&r.body).unwrap_or_default();
            values::fields(kind.as_str(), &v, ZH)
        })
        .collect();
    let specs = guitu_domain::schema::document()
        .fields_of(kind.as_str())
        .unwrap_or(&[]);
    if specs.len() <= TABLE_MAX_FIELDS {
        let columns = specs
            .iter()
            .map(|f| Column {
                title: f.zh.clone(),
                weight: weight(&f.ty),
            })
            .collect();
        let rows = rendered
            .into_iter()
            .map(|fields| fields.into_iter().map(|f| f.value).collect())
            .collect();
        return vec![Block::Table { columns, rows }];
    }
    let mut out = Vec::new();
    for (i, (record, fields)) in records.iter().zip(rendered).enumerate() {
        out.push(Block::Subheading(format!(
            "（{}）{}",
            i + 1,
            text::date(record.body.date(), ZH)
        )));
        out.push(Block::Fields(
            fields.into_iter().map(|f| (f.label, f.value)).collect(),
        ));
    }
    out
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
                text::date(*verified, ZH),
                text::date(*due, ZH)
            ),
            None,
        ),
        Id3mStatus::Pending { due, days_left, .. } => (
            format!(
                "身份尚未查明。三个月期限为{}，还有{}天。",
                text::date(*due, ZH),
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
                text::date(*due, ZH),
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
                text::date(*due, ZH),
                text::date(*closed_on, ZH),
                reason.clone().unwrap_or_else(|| "身份已查明".to_owned())
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
                        text::date(s.due, ZH),
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
                    text::date(la.received, ZH)
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
        RecordKind::Consent => "信息共享同意",
        RecordKind::TrackStep => "户籍安置程序步骤",
        RecordKind::TrackClosure => "户籍安置程序终止",
    }
}

fn void_text(v: &VoidNote) -> String {
    format!(
        "已作废（{}于{}作废，理由：{}）",
        v.by,
        text::date(v.on, ZH),
        v.reason
    )
}

/// The voided records (作废, R-DATE): kept in the full file, each marked void with who,
/// when and why, then its content as its section prints it.
fn voided_section(b: &mut Builder, input: &PrintInput<'_>) {
    if input.voided.is_empty() {
        return;
    }
    b.heading("已作废的记录");
    b.blocks.push(Block::Paragraph(
        "以下记录因登记错误已作废，不计入期限、统计和移交摘要，保留备查。".into(),
    ));
    for (i, v) in input.voided.iter().enumerate() {
        let kind = v.record.body.kind();
        b.blocks.push(Block::Subheading(format!(
            "作废记录{}：{}（{}）",
            i + 1,
            kind.zh(),
            text::date(v.record.body.date(), ZH)
        )));
        b.blocks.push(Block::Paragraph(void_text(&v.note)));
        b.blocks.extend(record_blocks(kind, &[&v.record]));
    }
}

/// Builds the document of `kind` for a case.
fn approval_row(a: &guitu_domain::approval::ApprovalRequest) -> Vec<String> {
    vec![
        a.subject.zh().to_owned(),
        format!("{} {}", a.requested_by, text::date(a.requested_on, ZH)),
        a.note.clone(),
        a.outcome.map_or("待审批", |o| o.zh()).to_owned(),
        match (&a.decided_by, a.decided_on) {
            (Some(by), Some(on)) => format!("{by} {}", text::date(on, ZH)),
            _ => String::new(),
        },
        a.reason.clone().unwrap_or_default(),
    ]
}

pub fn build(input: &PrintInput<'_>, kind: PrintKind) -> Document {
    let c = input.case;
    let printed = format!(
        "{} {}",
        text::date(input.printed_at.date(), ZH),
        input.printed_at.format("%H:%M")
    );
    let mut b = Builder {
        blocks: Vec::new(),
        section: 0,
    };
    // The kind's own label (完整档案, 移交摘要（学校）): one pair of brackets at most; the
    // recipient, whose name has its own, is a line of the cover.
    let (title, subtitle) = (format!("个案{}", kind.zh()), c.case_number.clone());
    let mut cover = vec![("个案编号".to_owned(), c.case_number.clone())];
    if profiles::allows(kind, Field::Name) {
        cover.push((
            "受害人".into(),
            text::person_name(
                input.person.name.as_deref(),
                input.person.intake_number.as_deref(),
                ZH,
            ),
        ));
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
    if let Some(v) = input.case_void {
        cover.push(("状态".into(), void_text(v)));
    }
    cover.push(("打印人".into(), input.printed_by.to_owned()));
    cover.push(("打印时间".into(), printed.clone()));
    cover.push(("密级".into(), CONFIDENTIAL.into()));
    b.blocks.push(Block::Cover {
        title: title.clone(),
        subtitle,
        fields: cover,
    });

    let basis = kind.recipient().zip(input.basis);
    if let Some((recipient, basis)) = basis {
        b.heading("移交依据");
        b.blocks
            .push(Block::Fields(basis_fields(basis, recipient, kind)));
    }
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
                b.heading(section_title(*rk));
                b.blocks.extend(record_blocks(*rk, &records));
            }
            Field::Id3mTrack => id3m_section(&mut b, input.id3m),
            Field::LegalAidSteps => legal_aid_section(&mut b, input),
            Field::Timeline => {
                voided_section(&mut b, input);
                if !input.approvals.is_empty() {
                    b.heading("审批记录");
                    b.blocks.push(Block::Table {
                        columns: cols(&[
                            ("事项", 2.0),
                            ("申请人及日期", 2.5),
                            ("申请说明", 3.0),
                            ("结果", 1.5),
                            ("审批人及日期", 2.5),
                            ("审批意见", 3.0),
                        ]),
                        rows: input.approvals.iter().map(approval_row).collect(),
                    });
                }
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
        b.blocks.push(Block::PageCount {
            before: format!(
                "兹收到个案{}的{}一份，连同本回执共",
                c.case_number,
                kind.zh()
            ),
            after: "页。本摘要仅限用于本单位依法履职，不得向无关人员披露受害人信息。请签收后将本回执交回移交单位。"
                .into(),
        });
        let mut receipt = vec![("个案编号".to_owned(), c.case_number.clone())];
        if profiles::allows(kind, Field::Institution) {
            receipt.push(("移交单位".into(), c.institution.clone()));
        }
        receipt.push(("接收单位".into(), r.into()));
        if let Some((recipient, basis)) = basis {
            receipt.push(("移交依据".into(), basis_text(basis, recipient, kind)));
        }
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
