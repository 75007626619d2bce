//! The one error type of the domain crate, and the non-fatal warnings rules can raise.
//!
//! Every message is bilingual, Chinese first, so that a caseworker understands it
//! whether it reaches them through the CLI or the desktop app. Messages never carry
//! personal data (no names, no ID numbers), only field names and dates of the record.

use chrono::NaiveDate;
use serde::Serialize;

/// Why a resident ID number was refused (R-ID-NUM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdNumberProblem {
    /// Not 18 characters.
    Length,
    /// A character other than digits (and a final X).
    Characters,
    /// The birth-date part is not a real date.
    BirthDate,
    /// The check character does not match.
    CheckCharacter,
}

impl IdNumberProblem {
    fn zh(self) -> &'static str {
        match self {
            Self::Length => "应为18位",
            Self::Characters => "只能包含数字，末位可为X",
            Self::BirthDate => "出生日期部分不是有效日期",
            Self::CheckCharacter => "校验码不正确",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Self::Length => "must be 18 characters",
            Self::Characters => "may hold only digits and a final X",
            Self::BirthDate => "its birth-date part is not a real date",
            Self::CheckCharacter => "its check character is wrong",
        }
    }
}

/// Errors of the domain rules: a change that a rule refuses.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    /// R-ID-NUM: the resident ID number is not valid.
    #[error("居民身份证号码无效：{zh} / Invalid resident ID number: {en}", zh = .0.zh(), en = .0.en())]
    InvalidResidentId(IdNumberProblem),
    /// A shelter stay ends before it begins.
    #[error(
        "离站日期（{discharged}）早于入站日期（{admitted}） / Discharge date {discharged} is before admission date {admitted}"
    )]
    DischargeBeforeAdmission {
        admitted: NaiveDate,
        discharged: NaiveDate,
    },
    /// Some other end date is before its start date.
    #[error(
        "{field_zh}的结束日期（{end}）早于开始日期（{start}） / {field}: end date {end} is before start date {start}"
    )]
    EndBeforeStart {
        field: &'static str,
        field_zh: &'static str,
        start: NaiveDate,
        end: NaiveDate,
    },
    /// R-PL-BUYER: a child must never be placed with the family that bought them.
    #[error(
        "不得由收买家庭继续抚养：安置对象不能是收买家庭 / A rescued child must not be placed with the family that bought them (R-PL-BUYER)"
    )]
    PlacementWithBuyer,
    /// R-EMP-16: employment services are for persons aged 16 or over.
    #[error(
        "就业服务仅面向年满十六周岁的人员，服务日期时年龄为{age}岁 / Employment services are for persons aged 16 or over; age on the service date is {age} (R-EMP-16)"
    )]
    EmploymentUnder16 { age: u32 },
    /// A required field is empty.
    #[error("必填项“{field_zh}”为空 / Required field '{field}' is empty")]
    Required {
        field: &'static str,
        field_zh: &'static str,
    },
    /// A field holds a value outside its allowed range.
    #[error("“{field_zh}”的值无效：{reason_zh} / Invalid value for '{field}': {reason}")]
    InvalidValue {
        field: &'static str,
        field_zh: &'static str,
        reason: String,
        reason_zh: String,
    },
    /// Legal-aid steps recorded out of order (e.g. assigned before accepted).
    #[error(
        "法律援助步骤“{step_zh}”的日期（{date}）早于上一步（{previous}） / Legal-aid step '{step}' on {date} is before the previous step on {previous}"
    )]
    LegalAidStepOrder {
        step: &'static str,
        step_zh: &'static str,
        date: NaiveDate,
        previous: NaiveDate,
    },
    /// R-ONESTOP: a repeat interview needs a reason.
    #[error(
        "已有询问记录，再次询问须说明理由（一站式询问） / An interview is already on record: a repeat interview needs a reason (R-ONESTOP)"
    )]
    RepeatInterviewNeedsReason,
    /// R-WORKDAY: a holiday calendar file is malformed.
    #[error("节假日日历文件无效：{0} / Invalid holiday calendar file: {0}")]
    BadCalendar(String),
    /// A setting is out of range.
    #[error("设置无效：{0} / Invalid setting: {0}")]
    BadSetting(String),
}

impl DomainError {
    /// A stable machine-readable code, for the front ends' message catalogues.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidResidentId(_) => "invalid_resident_id",
            Self::DischargeBeforeAdmission { .. } => "discharge_before_admission",
            Self::EndBeforeStart { .. } => "end_before_start",
            Self::PlacementWithBuyer => "placement_with_buyer",
            Self::EmploymentUnder16 { .. } => "employment_under_16",
            Self::Required { .. } => "required",
            Self::InvalidValue { .. } => "invalid_value",
            Self::LegalAidStepOrder { .. } => "legal_aid_step_order",
            Self::RepeatInterviewNeedsReason => "repeat_interview_needs_reason",
            Self::BadCalendar(_) => "bad_calendar",
            Self::BadSetting(_) => "bad_setting",
        }
    }
}

/// A rule's warning: the change is allowed, but the caseworker should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Warning {
    /// Stable code, e.g. `estimated_birth_date`.
    pub code: &'static str,
    /// Bilingual message, Chinese first.
    pub message: String,
}

impl Warning {
    /// Makes a warning from a code and a bilingual message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
