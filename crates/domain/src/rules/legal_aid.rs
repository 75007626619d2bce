//! R-LA-GC — the legal-aid green channel (seed 四(四)5).
//!
//! A trafficking victim's legal-aid application gets priority acceptance, review,
//! assignment and fast handling (优先受理、优先审查、优先指派、快速办理). The track is
//! received → accepted → reviewed (granted, or refused with a reason) → assigned →
//! handled → closed ([`model::LegalAid`](crate::model::LegalAid)); each step has a
//! target in working days (R-WORKDAY), **configurable** ([`LegalAidSettings`]).
//!
//! Due dates:
//! * accept = received + `accept_workdays` working days;
//! * decide = received + `decide_workdays` working days;
//! * assign = (the review date if reviewed, else the decide due) + `assign_workdays`;
//! * handle = (the assignment date if assigned, else the assign due) +
//!   `handle_workdays`, only if that target is set;
//! * close has no target.
//!
//! After a refusal, assign and handle are skipped. Once the track is closed nothing
//! is overdue any more.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{WorkCalendar, fallback_warning, merge_years};
use crate::error::{Channel, DomainError, SettingProblem, Warning};
use crate::labelled_enum;
use crate::model::{LegalAid, LegalAidDecision};

/// The largest target accepted, in working days (about one working year).
pub const MAX_TARGET_WORKDAYS: u32 = 250;

/// Working-day targets of one channel.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct LegalAidTargets {
    /// Accept within this many working days of the application (0 = the same day, or
    /// the next working day if it was received on a day off).
    pub accept_workdays: u32,
    /// Decide within this many working days of the application.
    pub decide_workdays: u32,
    /// Assign within this many working days of the decision.
    pub assign_workdays: u32,
    /// Handle within this many working days of the assignment; `None`: no target
    /// (handling time depends on the matter, e.g. the court's schedule).
    #[serde(default)]
    pub handle_workdays: Option<u32>,
}

impl LegalAidTargets {
    /// The ordinary limits.
    ///
    /// * decide 7 and assign 3 working days: DOMAIN.md's "ordinary limits of the
    ///   legal-aid procedure rules". The 2012 《办理法律援助案件程序规定》 (第十三条)
    ///   counts the 7 working days from acceptance (受理) and (第二十条) gives 3
    ///   working days for assignment in criminal matters, 7 in civil and administrative
    ///   ones; following DOMAIN.md, we count the decision from the application and
    ///   use 3 for every matter. An administrator can change both.
    /// * accept 1 working day: **our assumption** (the rules set no separate limit for
    ///   acceptance).
    /// * handle: no target (ours).
    pub const fn ordinary_default() -> Self {
        Self {
            accept_workdays: 1,
            decide_workdays: 7,
            assign_workdays: 3,
            handle_workdays: None,
        }
    }

    /// The green-channel targets: accept the same day and decide within 3 working days
    /// are DOMAIN.md's examples for the seed's 优先受理、优先审查; assign within 1
    /// working day (优先指派) and no handling target are **our assumptions**.
    pub const fn green_default() -> Self {
        Self {
            accept_workdays: 0,
            decide_workdays: 3,
            assign_workdays: 1,
            handle_workdays: None,
        }
    }

    fn check(&self, channel: Channel) -> Result<(), DomainError> {
        let values = [
            (LaStep::Accept, Some(self.accept_workdays)),
            (LaStep::Decide, Some(self.decide_workdays)),
            (LaStep::Assign, Some(self.assign_workdays)),
            (LaStep::Handle, self.handle_workdays),
        ];
        if let Some((step, _)) = values
            .into_iter()
            .find(|(_, v)| v.is_some_and(|v| v > MAX_TARGET_WORKDAYS))
        {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::LegalAidTarget {
                    channel,
                    step,
                    max: MAX_TARGET_WORKDAYS,
                },
            });
        }
        if self.accept_workdays > self.decide_workdays {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::AcceptAfterDecide { channel },
            });
        }
        Ok(())
    }
}

/// R-LA-GC settings: the targets of the green channel and of the ordinary procedure.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct LegalAidSettings {
    /// Trafficking victims' applications (green channel).
    pub green: LegalAidTargets,
    /// Other applications.
    pub ordinary: LegalAidTargets,
}

impl Default for LegalAidSettings {
    fn default() -> Self {
        Self {
            green: LegalAidTargets::green_default(),
            ordinary: LegalAidTargets::ordinary_default(),
        }
    }
}

impl LegalAidSettings {
    /// Checks the settings ([`DomainError::BadSetting`]): every target at most
    /// [`MAX_TARGET_WORKDAYS`], acceptance no later than the decision in each channel,
    /// and the green channel never slower than the ordinary procedure (it is a
    /// priority channel).
    pub fn validate(&self) -> Result<(), DomainError> {
        self.green.check(Channel::Green)?;
        self.ordinary.check(Channel::Ordinary)?;
        let (g, o) = (&self.green, &self.ordinary);
        let slower = [
            (
                LaStep::Accept,
                Some(g.accept_workdays),
                Some(o.accept_workdays),
            ),
            (
                LaStep::Decide,
                Some(g.decide_workdays),
                Some(o.decide_workdays),
            ),
            (
                LaStep::Assign,
                Some(g.assign_workdays),
                Some(o.assign_workdays),
            ),
            (LaStep::Handle, g.handle_workdays, o.handle_workdays),
        ]
        .into_iter()
        .find(|(_, g, o)| matches!((g, o), (Some(g), Some(o)) if g > o));
        if let Some((step, _, _)) = slower {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::GreenSlower { step },
            });
        }
        Ok(())
    }

    /// The targets that apply to an application.
    pub fn targets_for(&self, la: &LegalAid) -> &LegalAidTargets {
        if la.green_channel {
            &self.green
        } else {
            &self.ordinary
        }
    }
}

labelled_enum!(
    /// The steps of a legal-aid application.
    LaStep {
        Accept => ("accept", "受理", "acceptance"),
        Decide => ("decide", "审查决定", "review and decision"),
        Assign => ("assign", "指派", "assignment"),
        Handle => ("handle", "办理", "handling"),
        Close => ("close", "结案", "closure"),
    }
);

/// One step of a legal-aid application.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct LaStepStatus {
    /// Which step.
    pub step: LaStep,
    /// Target date; `None` for a step without target (close, handle without a
    /// configured target) or a skipped one.
    pub due: Option<NaiveDate>,
    /// Date done, if it was.
    pub done: Option<NaiveDate>,
    /// Not done, not skipped, the track is not closed, and today is after `due`.
    pub overdue: bool,
    /// Done after `due`.
    pub late: bool,
    /// Not needed: assign and handle after a refusal.
    pub skipped: bool,
}

/// The state of a legal-aid application.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct LegalAidStatus {
    /// Accept, decide, assign, handle, close, in this order.
    pub steps: Vec<LaStepStatus>,
    /// Some step is overdue.
    pub overdue: bool,
    /// The earliest due date of the open steps (overdue ones included); `None` when
    /// none is open or the track is closed.
    pub next_due: Option<NaiveDate>,
    /// The track is closed.
    pub closed: bool,
}

/// Evaluates an application on `today` (R-LA-GC).
///
/// Returns the status and the warnings: a `calendar_fallback` warning when a due date
/// was computed on a year whose official calendar is not loaded (Monday–Friday was
/// assumed).
pub fn evaluate(
    la: &LegalAid,
    today: NaiveDate,
    settings: &LegalAidSettings,
    cal: &WorkCalendar,
) -> (LegalAidStatus, Vec<Warning>) {
    let targets = settings.targets_for(la);
    let refused = la.decision == Some(LegalAidDecision::Refused);
    let closed = la.closed.is_some();
    let mut fallback = Vec::new();
    let mut add = |from: NaiveDate, n: u32| {
        let r = cal.add_workdays(from, n);
        merge_years(&mut fallback, &r.fallback_years);
        r.value
    };

    let accept_due = add(la.received, targets.accept_workdays);
    let decide_due = add(la.received, targets.decide_workdays);
    let (assign_due, handle_due) = if refused {
        (None, None)
    } else {
        let assign_due = add(la.reviewed.unwrap_or(decide_due), targets.assign_workdays);
        let handle_due = targets
            .handle_workdays
            .map(|n| add(la.assigned.unwrap_or(assign_due), n));
        (Some(assign_due), handle_due)
    };

    let step = |step: LaStep, due: Option<NaiveDate>, done: Option<NaiveDate>, skipped: bool| {
        let overdue = !skipped && !closed && done.is_none() && due.is_some_and(|d| today > d);
        let late = match (done, due) {
            (Some(done), Some(due)) => done > due,
            _ => false,
        };
        LaStepStatus {
            step,
            due,
            done,
            overdue,
            late,
            skipped,
        }
    };
    let steps = vec![
        step(LaStep::Accept, Some(accept_due), la.accepted, false),
        step(LaStep::Decide, Some(decide_due), la.reviewed, false),
        step(LaStep::Assign, assign_due, la.assigned, refused),
        step(LaStep::Handle, handle_due, la.handled, refused),
        step(LaStep::Close, None, la.closed, false),
    ];
    let overdue = steps.iter().any(|s| s.overdue);
    let next_due = if closed {
        None
    } else {
        steps
            .iter()
            .filter(|s| !s.skipped && s.done.is_none())
            .filter_map(|s| s.due)
            .min()
    };
    let warnings = fallback_warning(&fallback).into_iter().collect();
    (
        LegalAidStatus {
            steps,
            overdue,
            next_due,
            closed,
        },
        warnings,
    )
}

/// Checks an application record before it is saved.
///
/// Refused:
/// * a decision without a review date, a refusal without a reason
///   ([`DomainError::Required`]);
/// * an assignment (date or assignee) or a handling date after a refusal
///   ([`DomainError::InvalidValue`]);
/// * a step dated before the previous recorded step, in the order received →
///   accepted → reviewed → assigned → handled → closed
///   ([`DomainError::LegalAidStepOrder`]).
pub fn validate(la: &LegalAid) -> Result<(), DomainError> {
    if la.decision.is_some() && la.reviewed.is_none() {
        return Err(DomainError::Required {
            field: "legal_aid.reviewed".into(),
        });
    }
    if la.decision == Some(LegalAidDecision::Refused) {
        if la
            .refusal_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            return Err(DomainError::Required {
                field: "legal_aid.refusal_reason".into(),
            });
        }
        if la.assigned.is_some() || la.assignee.is_some() {
            return Err(DomainError::LegalAidAfterRefusal {
                step: LaStep::Assign,
            });
        }
        if la.handled.is_some() {
            return Err(DomainError::LegalAidAfterRefusal {
                step: LaStep::Handle,
            });
        }
    }
    let order = [
        (LaStep::Accept, la.accepted),
        (LaStep::Decide, la.reviewed),
        (LaStep::Assign, la.assigned),
        (LaStep::Handle, la.handled),
        (LaStep::Close, la.closed),
    ];
    let mut previous = la.received;
    for (step, date) in order {
        if let Some(date) = date {
            if date < previous {
                return Err(DomainError::LegalAidStepOrder {
                    step,
                    date,
                    previous,
                });
            }
            previous = date;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::label::Label;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn app(received: NaiveDate, green: bool) -> LegalAid {
        LegalAid {
            green_channel: green,
            ..LegalAid::application("区法律援助中心", "刑事附带民事诉讼", received)
        }
    }

    fn eval(la: &LegalAid, today: NaiveDate) -> (LegalAidStatus, Vec<Warning>) {
        evaluate(
            la,
            today,
            &LegalAidSettings::default(),
            &WorkCalendar::builtin(),
        )
    }

    fn dues(s: &LegalAidStatus) -> Vec<Option<NaiveDate>> {
        s.steps.iter().map(|s| s.due).collect()
    }

    #[test]
    fn green_channel_before_national_day_2026() {
        // Wednesday 2026-09-30; 10-01..10-07 off (国庆节); 10-10 (Saturday) is a
        // make-up working day by 国办发明电〔2025〕7号.
        let la = app(d(2026, 9, 30), true);
        let (s, warnings) = eval(&la, d(2026, 9, 30));
        assert!(warnings.is_empty(), "2026 is loaded");
        assert_eq!(s.steps[0].due, Some(d(2026, 9, 30)), "accept the same day");
        // 3 working days: 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up day).
        assert_eq!(
            s.steps[1].due,
            Some(d(2026, 10, 10)),
            "decide on the make-up Saturday"
        );
        // Not yet reviewed: 1 working day after the decide due → Monday 10-12.
        assert_eq!(s.steps[2].due, Some(d(2026, 10, 12)));
        assert_eq!(s.steps[3].due, None, "no handling target by default");
        assert_eq!(s.steps[4].due, None, "closure has no target");
        assert_eq!(s.next_due, Some(d(2026, 9, 30)));
        assert!(!s.overdue);

        let (s, _) = eval(&la, d(2026, 10, 1));
        assert!(s.steps[0].overdue, "not accepted on the day: overdue");
        assert!(s.overdue);
    }

    #[test]
    fn ordinary_procedure_before_national_day_2026() {
        let la = app(d(2026, 9, 30), false);
        let (s, _) = eval(&la, d(2026, 9, 30));
        // accept 1: 10-08; decide 7: 10-08, 09, 10 (make-up), 12, 13, 14, 15.
        assert_eq!(
            dues(&s),
            vec![
                Some(d(2026, 10, 8)),
                Some(d(2026, 10, 15)),
                Some(d(2026, 10, 20)),
                None,
                None
            ]
        );
    }

    #[test]
    fn assign_counts_from_the_review_date() {
        let mut la = app(d(2026, 3, 2), true);
        la.accepted = Some(d(2026, 3, 2));
        la.reviewed = Some(d(2026, 3, 3));
        la.decision = Some(LegalAidDecision::Granted);
        let settings = LegalAidSettings {
            green: LegalAidTargets {
                handle_workdays: Some(20),
                ..LegalAidTargets::green_default()
            },
            ..LegalAidSettings::default()
        };
        let cal = WorkCalendar::builtin();
        let (s, _) = evaluate(&la, d(2026, 3, 10), &settings, &cal);
        assert_eq!(
            s.steps[2].due,
            Some(d(2026, 3, 4)),
            "1 working day after review"
        );
        assert!(s.steps[2].overdue, "not assigned by 03-04");
        // Handle counts from the assign due while not assigned: 20 wd after 03-04.
        assert_eq!(s.steps[3].due, Some(d(2026, 4, 1)));
        la.assigned = Some(d(2026, 3, 6));
        let (s, _) = evaluate(&la, d(2026, 3, 10), &settings, &cal);
        assert!(s.steps[2].late && !s.steps[2].overdue, "assigned late");
        assert_eq!(
            s.steps[3].due,
            Some(d(2026, 4, 3)),
            "20 wd after the assignment"
        );
        assert_eq!(s.next_due, Some(d(2026, 4, 3)));
    }

    #[test]
    fn refusal_skips_assign_and_handle() {
        let mut la = app(d(2026, 3, 2), true);
        la.accepted = Some(d(2026, 3, 2));
        la.reviewed = Some(d(2026, 3, 4));
        la.decision = Some(LegalAidDecision::Refused);
        la.refusal_reason = Some("不属于法律援助事项范围".to_owned());
        let (s, _) = eval(&la, d(2026, 6, 1));
        assert!(s.steps[2].skipped && s.steps[3].skipped);
        assert_eq!(s.steps[2].due, None);
        assert!(!s.overdue, "nothing due after a refusal");
        assert_eq!(s.next_due, None);
        assert!(validate(&la).is_ok());
    }

    #[test]
    fn closed_track_is_never_overdue() {
        let mut la = app(d(2026, 3, 2), true);
        la.closed = Some(d(2026, 3, 20));
        let (s, _) = eval(&la, d(2026, 6, 1));
        assert!(s.closed && !s.overdue && s.next_due.is_none());
    }

    #[test]
    fn unknown_year_falls_back_with_warning() {
        let la = app(d(2030, 9, 30), true);
        let (s, warnings) = eval(&la, d(2030, 9, 30));
        // Mon–Fri assumed: 2030-09-30 is a Monday, +3 → Thursday 10-03.
        assert_eq!(s.steps[1].due, Some(d(2030, 10, 3)));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0], Warning::CalendarFallback { years: vec![2030] });
    }

    #[test]
    fn validate_refuses_bad_records() {
        let mut la = app(d(2026, 3, 2), true);
        la.decision = Some(LegalAidDecision::Granted);
        assert!(matches!(
            validate(&la),
            Err(DomainError::Required { field }) if field == "legal_aid.reviewed"
        ));
        la.reviewed = Some(d(2026, 3, 3));
        la.decision = Some(LegalAidDecision::Refused);
        la.refusal_reason = Some("  ".to_owned());
        assert!(matches!(
            validate(&la),
            Err(DomainError::Required { field }) if field == "legal_aid.refusal_reason"
        ));
        la.refusal_reason = Some("理由".to_owned());
        la.assigned = Some(d(2026, 3, 4));
        assert!(matches!(
            validate(&la),
            Err(DomainError::LegalAidAfterRefusal {
                step: LaStep::Assign
            })
        ));

        let mut la = app(d(2026, 3, 2), true);
        la.accepted = Some(d(2026, 3, 5));
        la.reviewed = Some(d(2026, 3, 4));
        la.decision = Some(LegalAidDecision::Granted);
        assert_eq!(
            validate(&la),
            Err(DomainError::LegalAidStepOrder {
                step: LaStep::Decide,
                date: d(2026, 3, 4),
                previous: d(2026, 3, 5),
            })
        );
        let mut la = app(d(2026, 3, 2), true);
        la.accepted = Some(d(2026, 3, 1));
        assert!(matches!(
            validate(&la),
            Err(DomainError::LegalAidStepOrder { .. })
        ));
        // A missing step in between is compared with the step before it.
        let mut la = app(d(2026, 3, 2), true);
        la.accepted = Some(d(2026, 3, 6));
        la.closed = Some(d(2026, 3, 5));
        assert!(matches!(
            validate(&la),
            Err(DomainError::LegalAidStepOrder { .. })
        ));
        la.closed = Some(d(2026, 3, 6));
        assert!(validate(&la).is_ok(), "same-day steps are in order");
    }

    #[test]
    fn settings_validation() {
        assert!(LegalAidSettings::default().validate().is_ok());
        let mut s = LegalAidSettings::default();
        s.green.decide_workdays = 10;
        assert!(
            matches!(s.validate(), Err(DomainError::BadSetting { .. })),
            "green slower"
        );
        let mut s = LegalAidSettings::default();
        s.ordinary.accept_workdays = 8;
        assert!(
            matches!(s.validate(), Err(DomainError::BadSetting { .. })),
            "accept > decide"
        );
        let mut s = LegalAidSettings::default();
        s.ordinary.handle_workdays = Some(1000);
        assert!(
            matches!(s.validate(), Err(DomainError::BadSetting { .. })),
            "too long"
        );
        let json = serde_json::to_string(&LegalAidSettings::default()).unwrap();
        let back: LegalAidSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, LegalAidSettings::default());
    }

    #[test]
    fn step_labels() {
        assert_eq!(LaStep::Decide.zh(), "审查决定");
        assert_eq!(LaStep::Assign.en(), "assignment");
        assert_eq!(serde_json::to_value(LaStep::Accept).unwrap(), "accept");
    }
}
