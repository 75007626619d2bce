//! The one error type of the domain crate, and the warnings rules raise.
//!
//! Both are values, not text: a stable `code` and typed `params` (`{"code":
//! "rule.required", "params": {"field": "shelter_stay.institution"}}`). Text is made only
//! at the edges — the UI's catalogue keyed by code, and `guitu-text` for the CLI and the
//! printed files. Nothing here carries personal data: fields are named by their schema
//! path, records by their dates, never by a name or a number.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::TrackStep;
use crate::rules::legal_aid::LaStep;
use crate::rules::placement::UnknownParentsGuidance;

/// A field of a person, a case or a record, by its schema path (`person.name`,
/// `shelter_stay.discharged`, `person.guardians.name`); its label is in the schema.
pub type FieldPath = String;

/// Why a resident ID number was refused (R-ID-NUM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IdNumberProblem {
    /// Neither 18 characters nor an old 15-digit number.
    Length,
    /// A character other than digits (and a final X).
    Characters,
    /// The birth-date part is not a real date.
    BirthDate,
    /// The check character does not match.
    CheckCharacter,
}

/// Why a holiday-calendar file was refused (R-WORKDAY).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum CalendarProblem {
    /// Not valid JSON, or not the calendar layout.
    NotCalendar { line: usize, column: usize },
    /// The source notice (title and number) is missing.
    NoSource { year: i32 },
    /// A holiday has no name.
    NoHolidayName { year: i32 },
    /// A date outside the file's year.
    OutsideYear { year: i32, date: NaiveDate },
    /// A date listed under two holidays.
    TwoHolidays { date: NaiveDate },
    /// A date that is both a holiday and a make-up working day.
    HolidayAndWorkday { date: NaiveDate },
    /// A make-up working day that is not a Saturday or Sunday.
    MakeupNotWeekend { date: NaiveDate },
}

/// Which channel of the legal-aid targets a setting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Green,
    Ordinary,
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SettingProblem {
    /// The case-number prefix is not 1–`max` upper-case letters or digits.
    CasePrefix { max: u32 },
    /// Idle minutes outside `min..=max`.
    IdleMinutes { min: u32, max: u32 },
    /// An R-ID-3M warning lead above `max` days.
    LeadDays { max: u32 },
    /// An R-ID-3M step target above `max` working days.
    StepTarget { step: TrackStep, max: u32 },
    /// An R-ID-3M step due before the step before it.
    StepOrder {
        step: TrackStep,
        previous: TrackStep,
    },
    /// A legal-aid target above `max` working days.
    LegalAidTarget {
        channel: Channel,
        step: LaStep,
        max: u32,
    },
    /// Acceptance later than the decision in a channel.
    AcceptAfterDecide { channel: Channel },
    /// The green channel slower than the ordinary procedure for a step.
    GreenSlower { step: LaStep },
    /// A duplicate threshold outside `min..=max`, or a likely score below the candidate
    /// score (R-DUP).
    DuplicateScores { min: u32, max: u32 },
    /// The office (填报单位) longer than `max` characters, or with control characters.
    Office { max: u32 },
}

/// A change that a rule refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, ts_rs::TS)]
#[serde(tag = "code", content = "params")]
pub enum DomainError {
    /// R-ID-NUM: the resident ID number is not valid.
    #[serde(rename = "rule.invalid_resident_id")]
    #[error("invalid resident ID number ({problem:?})")]
    InvalidResidentId { problem: IdNumberProblem },
    /// A required field is empty.
    #[serde(rename = "rule.required")]
    #[error("required field {field} is empty")]
    Required { field: FieldPath },
    /// A person needs a name or, while it is unknown, an intake number.
    #[serde(rename = "rule.name_or_intake_number")]
    #[error("a person needs a name or an intake number")]
    NameOrIntakeNumber,
    /// Text longer than its field allows.
    #[serde(rename = "rule.too_long")]
    #[error("{field} is longer than {max} characters")]
    TooLong { field: FieldPath, max: u32 },
    /// Control characters or bidirectional overrides in a text field.
    #[serde(rename = "rule.bad_characters")]
    #[error("{field} holds control or direction-override characters")]
    BadCharacters { field: FieldPath },
    /// A number outside its range.
    #[serde(rename = "rule.out_of_range")]
    #[error("{field} is outside {min}..={max}")]
    OutOfRange {
        field: FieldPath,
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    /// A date outside the years a case file can hold (a typing or import mistake).
    #[serde(rename = "rule.date_out_of_range")]
    #[error("{field} is not between {min_year} and {max_year}")]
    DateOutOfRange {
        field: FieldPath,
        min_year: i32,
        max_year: i32,
    },
    /// R-DATE: a date that says something happened (a step done, a record's date, a
    /// discharge …) is after today.
    #[serde(rename = "rule.date_after_today")]
    #[error("{field} is after today ({today})")]
    DateAfterToday { field: FieldPath, today: NaiveDate },
    /// R-DATE: the change raised warnings that need a confirmation; resend it confirmed.
    #[serde(rename = "confirm.needed")]
    #[error("{} warning(s) need a confirmation", warnings.len())]
    ConfirmationNeeded { warnings: Vec<Warning> },
    /// An end date before its start date (a discharge before the admission …).
    #[serde(rename = "rule.end_before_start")]
    #[error("{field} ({end}) is before {start_field} ({start})")]
    EndBeforeStart {
        /// The end field.
        field: FieldPath,
        /// The start field.
        start_field: FieldPath,
        start: NaiveDate,
        end: NaiveDate,
    },
    /// R-PL-BUYER: a child must never be placed with the family that bought them.
    #[serde(rename = "rule.placement_with_buyer")]
    #[error("a rescued child must not be placed with the family that bought them (R-PL-BUYER)")]
    PlacementWithBuyer,
    /// R-EMP-16: employment services are for persons aged 16 or over.
    #[serde(rename = "rule.employment_under_16")]
    #[error("employment services are for persons aged 16 or over; age {age} (R-EMP-16)")]
    EmploymentUnder16 { age: u32 },
    /// R-EMP-16: employment services only for persons who want them.
    #[serde(rename = "rule.employment_not_wanted")]
    #[error("employment services are given only to persons who want them (R-EMP-16)")]
    EmploymentNotWanted,
    /// An identity attempt has a verified date but its outcome is not "verified".
    #[serde(rename = "rule.verified_date_without_verified")]
    #[error("only a verified outcome has a verified date")]
    VerifiedDateWithoutVerified,
    /// A legal-aid step recorded after a refusal (assignment or handling).
    #[serde(rename = "rule.legal_aid_after_refusal")]
    #[error("legal aid: no {step:?} after a refusal")]
    LegalAidAfterRefusal { step: LaStep },
    /// Legal-aid steps recorded out of order (e.g. assigned before accepted).
    #[serde(rename = "rule.legal_aid_step_order")]
    #[error("legal-aid step {step:?} on {date} is before the previous step on {previous}")]
    LegalAidStepOrder {
        step: LaStep,
        date: NaiveDate,
        previous: NaiveDate,
    },
    /// R-ONESTOP: a repeat interview needs a reason.
    #[serde(rename = "rule.repeat_interview_needs_reason")]
    #[error("an interview is already on record: a repeat interview needs a reason (R-ONESTOP)")]
    RepeatInterviewNeedsReason,
    /// R-WORKDAY: a holiday calendar file is malformed.
    #[serde(rename = "rule.bad_calendar")]
    #[error("invalid holiday calendar file: {problem:?}")]
    BadCalendar { problem: CalendarProblem },
    /// A setting is out of range.
    #[serde(rename = "rule.bad_setting")]
    #[error("invalid setting: {problem:?}")]
    BadSetting { problem: SettingProblem },
    /// R-ACCESS: the acting user's roles do not allow what was asked (on this case, or
    /// this kind of record).
    #[serde(rename = "permission.denied")]
    #[error("permission denied: {permission:?} {record_kind:?}")]
    PermissionDenied {
        permission: crate::access::Permission,
        record_kind: Option<crate::model::RecordKind>,
    },
    /// An approval must be decided by someone other than who requested it.
    #[serde(rename = "approval.self")]
    #[error("an approval is decided by someone other than its requester")]
    SelfApproval,
    /// The request was decided already.
    #[serde(rename = "approval.decided")]
    #[error("the request was decided already")]
    AlreadyDecided,
    /// This step needs a supervisor's approval: request it.
    #[serde(rename = "approval.needed")]
    #[error("this step needs an approval: {subject:?}")]
    ApprovalNeeded {
        subject: crate::approval::ApprovalSubject,
    },
}

impl DomainError {
    /// The stable code (`rule.required` …), as on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidResidentId { .. } => "rule.invalid_resident_id",
            Self::Required { .. } => "rule.required",
            Self::NameOrIntakeNumber => "rule.name_or_intake_number",
            Self::TooLong { .. } => "rule.too_long",
            Self::BadCharacters { .. } => "rule.bad_characters",
            Self::OutOfRange { .. } => "rule.out_of_range",
            Self::DateOutOfRange { .. } => "rule.date_out_of_range",
            Self::EndBeforeStart { .. } => "rule.end_before_start",
            Self::DateAfterToday { .. } => "rule.date_after_today",
            Self::ConfirmationNeeded { .. } => "confirm.needed",
            Self::PlacementWithBuyer => "rule.placement_with_buyer",
            Self::EmploymentUnder16 { .. } => "rule.employment_under_16",
            Self::EmploymentNotWanted => "rule.employment_not_wanted",
            Self::VerifiedDateWithoutVerified => "rule.verified_date_without_verified",
            Self::LegalAidAfterRefusal { .. } => "rule.legal_aid_after_refusal",
            Self::LegalAidStepOrder { .. } => "rule.legal_aid_step_order",
            Self::RepeatInterviewNeedsReason => "rule.repeat_interview_needs_reason",
            Self::BadCalendar { .. } => "rule.bad_calendar",
            Self::BadSetting { .. } => "rule.bad_setting",
            Self::PermissionDenied { .. } => "permission.denied",
            Self::SelfApproval => "approval.self",
            Self::AlreadyDecided => "approval.decided",
            Self::ApprovalNeeded { .. } => "approval.needed",
        }
    }

    /// The field the error is about, when it is about one field.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Required { field }
            | Self::TooLong { field, .. }
            | Self::BadCharacters { field }
            | Self::OutOfRange { field, .. }
            | Self::DateOutOfRange { field, .. }
            | Self::EndBeforeStart { field, .. }
            | Self::DateAfterToday { field, .. } => Some(field),
            Self::InvalidResidentId { .. } => Some("person.resident_id"),
            _ => None,
        }
    }
}

/// A rule's warning: the change is allowed, but the caseworker should know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(tag = "code", content = "params")]
pub enum Warning {
    /// R-EMP-16: the birth date is unknown, so age 16 cannot be confirmed.
    #[serde(rename = "warn.age_unknown")]
    AgeUnknown,
    /// R-EMP-16: the birth date is an estimate; age by the estimate.
    #[serde(rename = "warn.estimated_birth_date")]
    EstimatedBirthDate { age: u32 },
    /// R-ID-NUM: the ID number's birth date differs from the recorded one.
    #[serde(rename = "warn.id_birth_date_mismatch")]
    IdBirthDateMismatch {
        id_birth: NaiveDate,
        recorded: NaiveDate,
    },
    /// R-WORKDAY: these years' official calendars are not loaded; Monday–Friday assumed.
    #[serde(rename = "warn.calendar_fallback")]
    CalendarFallback { years: Vec<i32> },
    /// A minor interviewed without a guardian or social worker present.
    #[serde(rename = "warn.minor_interview_without_guardian")]
    MinorInterviewWithoutGuardian,
    /// R-ID-3M: identity not established within three months, so a placement needs the
    /// district government's approval.
    #[serde(rename = "warn.district_approval_needed")]
    DistrictApprovalNeeded,
    /// R-PL-UNKNOWN: what applies to a minor whose parents cannot be found.
    #[serde(rename = "warn.unknown_parents")]
    UnknownParents { guidance: UnknownParentsGuidance },
    /// R-DATE: a record dated before the case's received (intake) date. Needs a
    /// confirmation.
    #[serde(rename = "warn.before_intake")]
    BeforeIntake {
        field: FieldPath,
        received: NaiveDate,
    },
    /// R-DATE: a birth date after today. Needs a confirmation.
    #[serde(rename = "warn.birth_date_in_future")]
    BirthDateInFuture,
    /// R-DATE: older than 100 today by the recorded birth date. Needs a confirmation.
    #[serde(rename = "warn.age_over_100")]
    AgeOver100 { age: u32 },
    /// R-PRINT-FIT: a school's hand-off summary for a person who is an adult today (by
    /// an estimated birth date when `estimated`).
    #[serde(rename = "warn.school_summary_for_adult")]
    SchoolSummaryForAdult { age: u32, estimated: bool },
    /// R-PRINT-FIT: a school's hand-off summary for a person whose birth date is unknown.
    #[serde(rename = "warn.school_summary_age_unknown")]
    SchoolSummaryAgeUnknown,
}

impl Warning {
    /// The stable code (`warn.estimated_birth_date` …), as on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AgeUnknown => "warn.age_unknown",
            Self::EstimatedBirthDate { .. } => "warn.estimated_birth_date",
            Self::IdBirthDateMismatch { .. } => "warn.id_birth_date_mismatch",
            Self::CalendarFallback { .. } => "warn.calendar_fallback",
            Self::MinorInterviewWithoutGuardian => "warn.minor_interview_without_guardian",
            Self::DistrictApprovalNeeded => "warn.district_approval_needed",
            Self::UnknownParents { .. } => "warn.unknown_parents",
            Self::BeforeIntake { .. } => "warn.before_intake",
            Self::BirthDateInFuture => "warn.birth_date_in_future",
            Self::AgeOver100 { .. } => "warn.age_over_100",
            Self::SchoolSummaryForAdult { .. } => "warn.school_summary_for_adult",
            Self::SchoolSummaryAgeUnknown => "warn.school_summary_age_unknown",
        }
    }

    /// R-DATE: a warning that stops a save until the user confirms it (a likely typing
    /// mistake in a date); the others are shown and the change is saved.
    pub fn needs_confirmation(&self) -> bool {
        matches!(
            self,
            Self::BeforeIntake { .. } | Self::BirthDateInFuture | Self::AgeOver100 { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_warnings_serialise_as_code_and_params() {
        let e = DomainError::Required {
            field: "shelter_stay.institution".into(),
        };
        let v = serde_json::to_value(&e).expect("serialise");
        assert_eq!(
            v,
            serde_json::json!({"code": "rule.required", "params": {"field": "shelter_stay.institution"}}),
            "the wire form is code + typed params"
        );
        assert_eq!(v["code"], e.code(), "code() says what the wire says");
        let w = Warning::EstimatedBirthDate { age: 15 };
        let v = serde_json::to_value(&w).expect("serialise");
        assert_eq!(v["code"], w.code());
        assert_eq!(v["params"]["age"], 15);
        let unit = serde_json::to_value(DomainError::PlacementWithBuyer).expect("serialise");
        assert_eq!(
            unit,
            serde_json::json!({"code": "rule.placement_with_buyer"})
        );
    }
}
