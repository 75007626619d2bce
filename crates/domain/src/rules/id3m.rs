//! R-ID-3M — the three-month identity rule (seed 四(三)4).
//!
//! A victim received by an assistance-management institution whose identity is still
//! not established three months after the received date enters the
//! household-registration track: five steps (户籍 with police, social assistance,
//! placement application, district approval, placement by the town/street where the
//! person was found), each dated and attributed.
//!
//! * Due date = received + 3 calendar months, clamped to the month's end
//!   ([`due_date`]).
//! * Identity verified on or before the due date: the rule never triggers.
//! * Before the due date the case is pending, with warnings at the configured lead
//!   times (default 14 and 3 days).
//! * After the due date without identity: triggered; each step has a target in working
//!   days after the due date (R-WORKDAY; defaults 20, 30, 40, 50, 60, **configurable**).
//! * Identity found after triggering (or an explicit closure record): the track is
//!   closed with a reason and its steps are kept, never deleted.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{WorkCalendar, fallback_warning, merge_years};
use crate::error::{DomainError, SettingProblem, Warning};
use crate::model::{IdentityOutcome, RecordBody, TrackClosure, TrackStep, TrackStepRecord};

/// `date` + `months` calendar months, clamped to the last day of the target month
/// (2025-11-30 + 3 → 2026-02-28; 2023-11-30 + 3 → 2024-02-29; 2026-01-31 + 1 →
/// 2026-02-28). Never panics: past the end of chrono's range it saturates at
/// [`NaiveDate::MAX`].
///
/// chrono's `checked_add_months` already clamps the day to the target month's length
/// (checked in this module's tests); only its `None` (out of range) is mapped here.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The R-ID-3M due date: received + 3 calendar months, clamped to the month's end.
pub fn due_date(received: NaiveDate) -> NaiveDate {
    add_months_clamped(received, 3)
}

/// The largest lead time accepted, in days.
pub const MAX_LEAD_DAYS: u32 = 90;
/// The largest step target accepted, in working days after the due date (about one
/// working year); keeps working-day computations short.
pub const MAX_STEP_TARGET_WORKDAYS: u32 = 250;

/// R-ID-3M settings (**configurable** by an administrator).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct Id3mSettings {
    /// Days before the due date at which the case is flagged (default 14 and 3).
    pub lead_days: Vec<u32>,
    /// Working days after the due date by which each of the five steps should be done,
    /// in step order. Defaults 20, 30, 40, 50, 60: step 1's 20 is the police processing
    /// time of public guidance (DOMAIN.md); the others are our assumption, ten working
    /// days per further step.
    pub step_targets_workdays: [u32; 5],
}

impl Default for Id3mSettings {
    fn default() -> Self {
        Self {
            lead_days: vec![14, 3],
            step_targets_workdays: [20, 30, 40, 50, 60],
        }
    }
}

impl Id3mSettings {
    /// Checks the settings: every lead at most [`MAX_LEAD_DAYS`], step targets
    /// non-decreasing (a later step cannot be due before an earlier one) and at most
    /// [`MAX_STEP_TARGET_WORKDAYS`]. Refused with [`DomainError::BadSetting`].
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |problem| Err(DomainError::BadSetting { problem });
        if self.lead_days.iter().any(|l| *l > MAX_LEAD_DAYS) {
            return bad(SettingProblem::LeadDays { max: MAX_LEAD_DAYS });
        }
        let t = &self.step_targets_workdays;
        for (step, target) in TrackStep::ALL.iter().zip(t) {
            if *target > MAX_STEP_TARGET_WORKDAYS {
                return bad(SettingProblem::StepTarget {
                    step: *step,
                    max: MAX_STEP_TARGET_WORKDAYS,
                });
            }
        }
        for (i, pair) in t.windows(2).enumerate() {
            if let ([a, b], Some(previous), Some(step)) =
                (pair, TrackStep::ALL.get(i), TrackStep::ALL.get(i + 1))
                && b < a
            {
                return bad(SettingProblem::StepOrder {
                    step: *step,
                    previous: *previous,
                });
            }
        }
        Ok(())
    }
}

/// What R-ID-3M needs from a case's records (built by the caller from model types).
#[derive(Clone, Copy, Debug)]
pub struct Id3mInput<'a> {
    /// The receiving institution is an assistance-management institution
    /// (`model::InstitutionKind::is_assistance_institution`).
    pub applies: bool,
    /// The case's received date (接收日期).
    pub received: NaiveDate,
    /// The earliest date identity was verified, if it was.
    pub identity_verified: Option<NaiveDate>,
    /// Every recorded track step (any order; several records of a step may exist).
    pub steps: &'a [TrackStepRecord],
    /// The explicit closure record, if any.
    pub closure: Option<&'a TrackClosure>,
}

/// What R-ID-3M needs from a case's records, gathered once: the owned form behind an
/// [`Id3mInput`]. The store keeps facts from it for its deadline index; the API judges with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Id3mRecords {
    /// The earliest verified date of an identity attempt.
    pub identity_verified: Option<NaiveDate>,
    pub steps: Vec<TrackStepRecord>,
    /// The latest closure record.
    pub closure: Option<TrackClosure>,
}

impl Id3mRecords {
    /// Gathers the facts from a case's record bodies (any order).
    pub fn gather<'a>(bodies: impl IntoIterator<Item = &'a RecordBody>) -> Id3mRecords {
        let mut out = Id3mRecords::default();
        for body in bodies {
            match body {
                RecordBody::IdentityAttempt(a) if a.outcome == IdentityOutcome::Verified => {
                    if let Some(v) = a.verified_date {
                        out.identity_verified =
                            Some(out.identity_verified.map_or(v, |old| old.min(v)));
                    }
                }
                RecordBody::TrackStep(s) => out.steps.push(s.clone()),
                RecordBody::TrackClosure(c)
                    if out.closure.as_ref().is_none_or(|old| old.date <= c.date) =>
                {
                    out.closure = Some(c.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// How many of the five steps have a record.
    pub fn steps_done(&self) -> usize {
        let mut steps: Vec<TrackStep> = self.steps.iter().map(|s| s.step).collect();
        steps.sort();
        steps.dedup();
        steps.len()
    }

    /// Whether R-ID-3M may still ask something of a case received on `received`: the
    /// track is neither closed nor complete, and identity was not verified by the
    /// three-month line. The store keeps this as a fact of the case so its deadline query
    /// can skip the rest in SQL.
    pub fn may_still_apply(&self, received: NaiveDate) -> bool {
        let in_time = self
            .identity_verified
            .is_some_and(|v| v <= due_date(received));
        self.closure.is_none() && self.steps_done() < TrackStep::ALL.len() && !in_time
    }

    /// The rule's input for a case received on `received`.
    pub fn input(&self, applies: bool, received: NaiveDate) -> Id3mInput<'_> {
        Id3mInput {
            applies,
            received,
            identity_verified: self.identity_verified,
            steps: &self.steps,
            closure: self.closure.as_ref(),
        }
    }
}

/// The state of a case under R-ID-3M.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Id3mStatus {
    /// The receiving institution is not an assistance-management institution.
    NotApplicable,
    /// Identity verified on or before the due date: the rule never triggers.
    VerifiedInTime { verified: NaiveDate, due: NaiveDate },
    /// Not yet due (today ≤ due): `days_left = due − today` (≥ 0); `warning_lead` =
    /// the smallest configured lead ≥ `days_left`, if any (the case is inside that
    /// warning window).
    Pending {
        due: NaiveDate,
        #[ts(type = "number")]
        days_left: i64,
        warning_lead: Option<u32>,
    },
    /// Today is after the due date and identity was not found by then: the five steps.
    Triggered {
        due: NaiveDate,
        steps: Vec<StepStatus>,
        /// How many steps are overdue.
        overdue_steps: usize,
        /// Every step is done.
        complete: bool,
    },
    /// Triggered, then closed (identity established later, or an explicit closure
    /// record); the steps are kept, with `overdue` as of the closure date.
    Closed {
        due: NaiveDate,
        closed_on: NaiveDate,
        /// The reason given in the closure record; `None` when the track closed because
        /// identity was established (on `closed_on`).
        reason: Option<String>,
        steps: Vec<StepStatus>,
    },
}

impl Id3mStatus {
    /// The due date, where the rule applies.
    pub fn due(&self) -> Option<NaiveDate> {
        match self {
            Self::NotApplicable => None,
            Self::VerifiedInTime { due, .. }
            | Self::Pending { due, .. }
            | Self::Triggered { due, .. }
            | Self::Closed { due, .. } => Some(*due),
        }
    }

    /// Overdue steps of an open track (0 in every other state), for listing overdue
    /// cases first.
    pub fn overdue_steps(&self) -> usize {
        match self {
            Self::Triggered { overdue_steps, .. } => *overdue_steps,
            _ => 0,
        }
    }

    /// A stable code of the state, as serialized in `state`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotApplicable => "not_applicable",
            Self::VerifiedInTime { .. } => "verified_in_time",
            Self::Pending { .. } => "pending",
            Self::Triggered { .. } => "triggered",
            Self::Closed { .. } => "closed",
        }
    }
}

/// One step of a triggered track.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct StepStatus {
    /// Which step.
    pub step: TrackStep,
    /// Target: the configured number of working days after the R-ID-3M due date.
    pub due: NaiveDate,
    /// Date of the latest record of this step, if any.
    pub done: Option<NaiveDate>,
    /// Who did it (from the same record).
    pub by: Option<String>,
    /// Not done and the reference day (today, or the closure date) is after `due`.
    pub overdue: bool,
    /// Done after `due`.
    pub late: bool,
}

/// Evaluates R-ID-3M for a case on `today`.
///
/// Returns the status and the warnings: a `calendar_fallback` warning when a step's
/// target crossed a year whose official calendar is not loaded.
///
/// A closure record or a verification dated after `today` is not taken into account
/// yet. When both exist, the explicit closure record gives the closing date and
/// reason.
pub fn evaluate(
    input: &Id3mInput,
    today: NaiveDate,
    settings: &Id3mSettings,
    cal: &WorkCalendar,
) -> (Id3mStatus, Vec<Warning>) {
    if !input.applies {
        return (Id3mStatus::NotApplicable, Vec::new());
    }
    let due = due_date(input.received);
    if let Some(verified) = input.identity_verified
        && verified <= due
    {
        return (Id3mStatus::VerifiedInTime { verified, due }, Vec::new());
    }
    if today <= due {
        let days_left = (due - today).num_days();
        let warning_lead = settings
            .lead_days
            .iter()
            .copied()
            .filter(|lead| i64::from(*lead) >= days_left)
            .min();
        return (
            Id3mStatus::Pending {
                due,
                days_left,
                warning_lead,
            },
            Vec::new(),
        );
    }

    let closing = match (input.closure, input.identity_verified) {
        (Some(c), _) if c.date <= today => Some((c.date, Some(c.reason.clone()))),
        (_, Some(v)) if v <= today => Some((v, None)),
        _ => None,
    };
    let reference = closing.as_ref().map_or(today, |(date, _)| *date);

    let mut fallback = Vec::new();
    // Targets are non-decreasing (validated): count on from the previous step's due date
    // instead of from the three-month line each time. From a working day reached with
    // n ≥ 1, adding k more working days gives the same date as adding n + k at once.
    let mut previous: Option<(u32, NaiveDate)> = None;
    let steps: Vec<StepStatus> = TrackStep::ALL
        .iter()
        .zip(settings.step_targets_workdays)
        .map(|(step, target)| {
            let due_r = match previous {
                Some((t, d)) if t >= 1 && target >= t => cal.add_workdays(d, target - t),
                _ => cal.add_workdays(due, target),
            };
            previous = Some((target, due_r.value));
            merge_years(&mut fallback, &due_r.fallback_years);
            let step_due = due_r.value;
            let latest = input.steps.iter().filter(|r| r.step == *step).fold(
                None::<&TrackStepRecord>,
                |best, r| match best {
                    Some(b) if b.date > r.date => Some(b),
                    _ => Some(r),
                },
            );
            let done = latest.map(|r| r.date);
            StepStatus {
                step: *step,
                due: step_due,
                done,
                by: latest.map(|r| r.by.clone()),
                overdue: done.is_none() && reference > step_due,
                late: done.is_some_and(|d| d > step_due),
            }
        })
        .collect();
    let warnings: Vec<Warning> = fallback_warning(&fallback).into_iter().collect();

    let status = match closing {
        Some((closed_on, reason)) => Id3mStatus::Closed {
            due,
            closed_on,
            reason,
            steps,
        },
        None => {
            let overdue_steps = steps.iter().filter(|s| s.overdue).count();
            let complete = steps.iter().all(|s| s.done.is_some());
            Id3mStatus::Triggered {
                due,
                steps,
                overdue_steps,
                complete,
            }
        }
    };
    (status, warnings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input<'a>(received: NaiveDate, steps: &'a [TrackStepRecord]) -> Id3mInput<'a> {
        Id3mInput {
            applies: true,
            received,
            identity_verified: None,
            steps,
            closure: None,
        }
    }

    fn record(step: TrackStep, date: NaiveDate, by: &str) -> TrackStepRecord {
        TrackStepRecord {
            step,
            date,
            by: by.to_owned(),
            notes: None,
        }
    }

    fn eval(i: &Id3mInput, today: NaiveDate) -> (Id3mStatus, Vec<Warning>) {
        evaluate(i, today, &Id3mSettings::default(), &WorkCalendar::builtin())
    }

    #[test]
    fn months_are_clamped_to_month_end() {
        assert_eq!(add_months_clamped(d(2025, 11, 30), 3), d(2026, 2, 28));
        assert_eq!(
            add_months_clamped(d(2023, 11, 30), 3),
            d(2024, 2, 29),
            "leap year"
        );
        assert_eq!(add_months_clamped(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(add_months_clamped(d(2026, 3, 31), 1), d(2026, 4, 30));
        assert_eq!(add_months_clamped(d(2026, 1, 15), 0), d(2026, 1, 15));
        assert_eq!(
            add_months_clamped(d(2026, 10, 15), 3),
            d(2027, 1, 15),
            "year rolls"
        );
        assert_eq!(
            add_months_clamped(NaiveDate::MAX, 1),
            NaiveDate::MAX,
            "saturates"
        );
        assert_eq!(
            add_months_clamped(d(2026, 1, 1), u32::MAX),
            NaiveDate::MAX,
            "saturates"
        );
        assert_eq!(due_date(d(2025, 11, 30)), d(2026, 2, 28));
        assert_eq!(due_date(d(2023, 11, 30)), d(2024, 2, 29));
    }

    #[test]
    fn not_applicable_outside_assistance_institutions() {
        let mut i = input(d(2026, 1, 5), &[]);
        i.applies = false;
        assert_eq!(eval(&i, d(2026, 12, 1)).0, Id3mStatus::NotApplicable);
    }

    #[test]
    fn verified_before_due_never_triggers() {
        let mut i = input(d(2025, 11, 30), &[]);
        i.identity_verified = Some(d(2026, 2, 28));
        let (status, warnings) = eval(&i, d(2026, 6, 1));
        assert_eq!(
            status,
            Id3mStatus::VerifiedInTime {
                verified: d(2026, 2, 28),
                due: d(2026, 2, 28)
            },
            "verified on the due date counts as in time"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn pending_with_lead_warnings_at_14_and_3() {
        let i = input(d(2025, 11, 30), &[]); // due 2026-02-28
        let pending = |today| match eval(&i, today).0 {
            Id3mStatus::Pending {
                due,
                days_left,
                warning_lead,
            } => {
                assert_eq!(due, d(2026, 2, 28));
                (days_left, warning_lead)
            }
            other => panic!("expected pending on {today}, got {other:?}"),
        };
        assert_eq!(pending(d(2026, 2, 13)), (15, None), "outside both windows");
        assert_eq!(
            pending(d(2026, 2, 14)),
            (14, Some(14)),
            "14-day window opens"
        );
        assert_eq!(
            pending(d(2026, 2, 24)),
            (4, Some(14)),
            "still in the 14-day window"
        );
        assert_eq!(pending(d(2026, 2, 25)), (3, Some(3)), "3-day window opens");
        assert_eq!(
            pending(d(2026, 2, 28)),
            (0, Some(3)),
            "due today: still pending"
        );
    }

    #[test]
    fn triggered_after_due_with_step_targets() {
        let steps = [
            record(TrackStep::HouseholdRegistration, d(2026, 3, 20), "王"),
            record(TrackStep::HouseholdRegistration, d(2026, 4, 10), "李"),
            record(TrackStep::SocialAssistance, d(2026, 3, 5), "张"),
        ];
        let i = input(d(2025, 11, 30), &steps);
        let (status, warnings) = eval(&i, d(2026, 4, 20));
        assert!(warnings.is_empty(), "2026 is loaded: {warnings:?}");
        let Id3mStatus::Triggered {
            due,
            steps,
            overdue_steps,
            complete,
        } = status
        else {
            panic!("expected triggered, got {status:?}");
        };
        assert_eq!(due, d(2026, 2, 28));
        // Due 2026-02-28 (a make-up Saturday). 20 working days after it, March 2026 has
        // no holiday: 03-02 … 03-27 → 2026-03-27.
        assert_eq!(steps[0].due, d(2026, 3, 27));
        assert_eq!(steps[0].done, Some(d(2026, 4, 10)), "latest record counts");
        assert_eq!(steps[0].by.as_deref(), Some("李"));
        assert!(steps[0].late && !steps[0].overdue);
        assert!(!steps[1].late && steps[1].done.is_some());
        // 40 working days: to 04-24 is 40 working days minus the 04-06 清明 holiday.
        assert_eq!(steps[2].due, d(2026, 4, 27));
        assert!(!steps[2].overdue, "not yet due on 04-20");
        assert_eq!(overdue_steps, 0);
        assert!(!complete);

        let (status, _) = eval(&i, d(2026, 4, 28));
        assert_eq!(status.overdue_steps(), 1, "step 3 overdue after 04-27");
    }

    #[test]
    fn identity_found_later_closes_the_track() {
        let steps = [record(
            TrackStep::HouseholdRegistration,
            d(2026, 3, 20),
            "王",
        )];
        let mut i = input(d(2025, 11, 30), &steps);
        i.identity_verified = Some(d(2026, 5, 6));
        let (status, _) = eval(&i, d(2026, 6, 1));
        let Id3mStatus::Closed {
            due,
            closed_on,
            reason,
            steps,
        } = status
        else {
            panic!("expected closed, got {status:?}");
        };
        assert_eq!(due, d(2026, 2, 28));
        assert_eq!(closed_on, d(2026, 5, 6));
        assert_eq!(
            reason, None,
            "closed by the identity found on closed_on (the text is made at the edges)"
        );
        assert_eq!(steps.len(), 5, "steps kept, never deleted");
        assert_eq!(steps[0].done, Some(d(2026, 3, 20)));
        // Step 3 (due 04-27) was overdue at closure; step 5 (60 wd) was not yet due.
        assert!(
            steps[2].overdue && !steps[4].overdue,
            "overdue as of closure"
        );

        // Before the verification date arrives, the track is still open.
        let (status, _) = eval(&i, d(2026, 5, 1));
        assert_eq!(status.code(), "triggered");
    }

    #[test]
    fn explicit_closure_record_wins() {
        let closure = TrackClosure {
            date: d(2026, 4, 1),
            reason: "亲属认领".to_owned(),
            by: "赵".to_owned(),
        };
        let mut i = input(d(2025, 11, 30), &[]);
        i.closure = Some(&closure);
        i.identity_verified = Some(d(2026, 4, 15));
        match eval(&i, d(2026, 5, 1)).0 {
            Id3mStatus::Closed {
                closed_on, reason, ..
            } => {
                assert_eq!(closed_on, d(2026, 4, 1));
                assert_eq!(reason.as_deref(), Some(closure.reason.as_str()));
            }
            other => panic!("expected closed, got {other:?}"),
        }
    }

    #[test]
    fn unknown_year_targets_fall_back_with_warning() {
        let i = input(d(2030, 1, 10), &[]);
        let (status, warnings) = eval(&i, d(2030, 6, 1));
        assert_eq!(status.code(), "triggered");
        assert_eq!(warnings.len(), 1, "one warning for all steps");
        assert_eq!(warnings[0], Warning::CalendarFallback { years: vec![2030] });
    }

    #[test]
    fn settings_validation() {
        assert!(Id3mSettings::default().validate().is_ok());
        let bad_lead = Id3mSettings {
            lead_days: vec![91],
            ..Id3mSettings::default()
        };
        assert!(matches!(
            bad_lead.validate(),
            Err(DomainError::BadSetting { .. })
        ));
        let decreasing = Id3mSettings {
            step_targets_workdays: [20, 30, 25, 50, 60],
            ..Id3mSettings::default()
        };
        assert!(matches!(
            decreasing.validate(),
            Err(DomainError::BadSetting { .. })
        ));
        let too_long = Id3mSettings {
            step_targets_workdays: [20, 30, 40, 50, 251],
            ..Id3mSettings::default()
        };
        assert!(matches!(
            too_long.validate(),
            Err(DomainError::BadSetting { .. })
        ));
        let json = serde_json::to_string(&Id3mSettings::default()).unwrap();
        let back: Id3mSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Id3mSettings::default());
    }

    #[test]
    fn status_serializes_with_state_tag() {
        let i = input(d(2025, 11, 30), &[]);
        let json = serde_json::to_value(eval(&i, d(2026, 2, 20)).0).unwrap();
        assert_eq!(json["state"], "pending");
        assert_eq!(json["due"], "2026-02-28");
    }
}
