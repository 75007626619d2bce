//! Deadlines on a day: which R-ID-3M and R-LA-GC steps, and which planned follow-up visits
//! (R-FOLLOWUP), are overdue, due soon or pending.
//!
//! The store selects the cases a deadline may concern; this module judges them. "Due
//! soon" means within the shortest R-ID-3M warning lead (a setting), the same on every
//! screen and in the CLI.

use chrono::NaiveDate;
use serde::Serialize;

use crate::Warning;
use crate::calendar::WorkCalendar;
use crate::model::{FollowUp, LegalAid, RecordBody, TrackStep};
use crate::rules::id3m::{self, Id3mInput, Id3mStatus};
use crate::rules::legal_aid::{self, LaStep};
use crate::settings::RuleSettings;

/// How urgent a deadline is (the order is the order of urgency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// The due date has passed.
    Overdue,
    /// Due within the warning lead.
    DueSoon,
    /// A step of a running track, not yet near.
    Pending,
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueWhat {
    /// R-ID-3M: the three-month line for establishing identity.
    Id3mDeadline,
    /// R-ID-3M: a step of the household-registration track.
    Id3mStep { step: TrackStep },
    /// R-LA-GC: a step of a legal-aid application.
    LegalAidStep { step: LaStep, green_channel: bool },
    /// R-FOLLOWUP: the next follow-up visit planned at the latest visit (回访).
    FollowUpVisit,
}

impl DueWhat {
    /// The rule id: `R-ID-3M`, `R-LA-GC` or `R-FOLLOWUP`.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Id3mDeadline | Self::Id3mStep { .. } => "R-ID-3M",
            Self::LegalAidStep { .. } => "R-LA-GC",
            Self::FollowUpVisit => "R-FOLLOWUP",
        }
    }
}

/// One deadline of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Deadline {
    pub state: DueState,
    pub what: DueWhat,
    pub due: NaiveDate,
    /// Days from the day judged to the due date (negative: overdue by that many days).
    #[ts(type = "number")]
    pub days: i64,
}

/// The shortest warning lead: a step due within it is "due soon".
pub fn soon_lead(settings: &RuleSettings) -> i64 {
    i64::from(settings.id3m.lead_days.iter().copied().min().unwrap_or(0))
}

/// The state of a deadline due on `due`, judged on `on` with a warning lead of `lead` days.
pub fn state(due: NaiveDate, on: NaiveDate, lead: i64) -> DueState {
    if due < on {
        DueState::Overdue
    } else if (due - on).num_days() <= lead {
        DueState::DueSoon
    } else {
        DueState::Pending
    }
}

fn deadline(state: DueState, what: DueWhat, due: NaiveDate, on: NaiveDate) -> Deadline {
    Deadline {
        state,
        what,
        due,
        days: (due - on).num_days(),
    }
}

/// The R-ID-3M deadlines of a case on `on`: the three-month line while it is within a
/// warning lead (or within `horizon_days`, listed as pending), and every open step of a
/// triggered track.
pub fn id3m_deadlines(
    input: &Id3mInput<'_>,
    on: NaiveDate,
    settings: &RuleSettings,
    cal: &WorkCalendar,
    horizon_days: i64,
) -> (Vec<Deadline>, Vec<Warning>) {
    let (status, warnings) = id3m::evaluate(input, on, &settings.id3m, cal);
    let lead = soon_lead(settings);
    let items = match status {
        Id3mStatus::Pending {
            due,
            warning_lead: Some(_),
            ..
        } => vec![deadline(DueState::DueSoon, DueWhat::Id3mDeadline, due, on)],
        Id3mStatus::Pending { due, days_left, .. } if days_left <= horizon_days => {
            vec![deadline(DueState::Pending, DueWhat::Id3mDeadline, due, on)]
        }
        Id3mStatus::Triggered { steps, .. } => steps
            .iter()
            .filter(|s| s.done.is_none())
            .map(|s| {
                deadline(
                    state(s.due, on, lead),
                    DueWhat::Id3mStep { step: s.step },
                    s.due,
                    on,
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    (items, warnings)
}

/// The open steps of a legal-aid application on `on`.
pub fn legal_aid_deadlines(
    la: &LegalAid,
    on: NaiveDate,
    settings: &RuleSettings,
    cal: &WorkCalendar,
) -> (Vec<Deadline>, Vec<Warning>) {
    let (status, warnings) = legal_aid::evaluate(la, on, &settings.legal_aid, cal);
    let lead = soon_lead(settings);
    let items = status
        .steps
        .iter()
        .filter(|s| s.done.is_none() && !s.skipped)
        .filter_map(|s| {
            let due = s.due?;
            Some(deadline(
                state(due, on, lead),
                DueWhat::LegalAidStep {
                    step: s.step,
                    green_channel: la.green_channel,
                },
                due,
                on,
            ))
        })
        .collect();
    (items, warnings)
}

/// Whether a record keeps a deadline of its case open (what the store indexes): a
/// legal-aid application not yet closed, a follow-up visit that plans the next one.
pub fn keeps_open(body: &RecordBody) -> bool {
    match body {
        RecordBody::LegalAid(la) => la.closed.is_none(),
        RecordBody::FollowUp(f) => f.next_visit.is_some(),
        _ => false,
    }
}

/// R-FOLLOWUP: the next visit a case's follow-ups plan — the `next_visit` of the latest
/// visit (of visits on the same latest day, the latest planned date). A later visit
/// replaces it (and ends it if it plans none).
pub fn next_visit<'a>(visits: impl IntoIterator<Item = &'a FollowUp>) -> Option<NaiveDate> {
    visits
        .into_iter()
        .map(|v| (v.date, v.next_visit))
        .max()
        .and_then(|(_, next)| next)
}

/// R-FOLLOWUP: the planned next visit of a case as a deadline on `on`: overdue once
/// passed, due soon within the warning lead (as every deadline), pending up to
/// `horizon_days` ahead, nothing further out.
pub fn follow_up_deadline<'a>(
    visits: impl IntoIterator<Item = &'a FollowUp>,
    on: NaiveDate,
    settings: &RuleSettings,
    horizon_days: i64,
) -> Option<Deadline> {
    let due = next_visit(visits)?;
    let st = state(due, on, soon_lead(settings));
    (st != DueState::Pending || (due - on).num_days() <= horizon_days)
        .then(|| deadline(st, DueWhat::FollowUpVisit, due, on))
}

/// Every open deadline of a case on `on`, from its evaluated R-ID-3M status: the
/// three-month line while it is pending (however far ahead), every open step of a
/// triggered track. Legal-aid steps come from [`legal_aid_deadlines`].
pub fn id3m_status_deadlines(
    status: &Id3mStatus,
    on: NaiveDate,
    settings: &RuleSettings,
) -> Vec<Deadline> {
    let lead = soon_lead(settings);
    match status {
        Id3mStatus::Pending { due, .. } => {
            vec![deadline(
                state(*due, on, lead),
                DueWhat::Id3mDeadline,
                *due,
                on,
            )]
        }
        Id3mStatus::Triggered { steps, .. } => steps
            .iter()
            .filter(|s| s.done.is_none())
            .map(|s| {
                deadline(
                    state(s.due, on, lead),
                    DueWhat::Id3mStep { step: s.step },
                    s.due,
                    on,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The nearest of a case's open deadlines: the earliest due date (an overdue step is
/// nearer than anything still ahead), ties in the order of [`DueWhat`]. This is the
/// deadline a case header and the case list show, in its tier.
pub fn nearest(deadlines: impl IntoIterator<Item = Deadline>) -> Option<Deadline> {
    deadlines.into_iter().min_by_key(|d| (d.due, d.what))
}

/// The deadlines of one case grouped as a list shows them: the nearest, and how many
/// are overdue and due soon ("5项逾期").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseDue {
    /// The nearest open deadline.
    pub nearest: Deadline,
    pub overdue: u32,
    pub due_soon: u32,
}

impl CaseDue {
    /// Groups a case's deadlines; `None` when it has none open.
    pub fn of(deadlines: &[Deadline]) -> Option<CaseDue> {
        let count = |st: DueState| {
            u32::try_from(deadlines.iter().filter(|d| d.state == st).count()).unwrap_or(u32::MAX)
        };
        Some(CaseDue {
            nearest: nearest(deadlines.iter().copied())?,
            overdue: count(DueState::Overdue),
            due_soon: count(DueState::DueSoon),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn states_follow_the_lead() {
        let on = d(2026, 3, 10);
        assert_eq!(state(d(2026, 3, 9), on, 3), DueState::Overdue, "yesterday");
        assert_eq!(
            state(on, on, 3),
            DueState::DueSoon,
            "today is due, not overdue"
        );
        assert_eq!(
            state(d(2026, 3, 13), on, 3),
            DueState::DueSoon,
            "lead inclusive"
        );
        assert_eq!(
            state(d(2026, 3, 14), on, 3),
            DueState::Pending,
            "beyond the lead"
        );
    }

    #[test]
    fn a_triggered_track_lists_its_open_steps() {
        let settings = RuleSettings::default();
        let cal = WorkCalendar::builtin();
        let input = Id3mInput {
            applies: true,
            received: d(2025, 11, 30),
            identity_verified: None,
            steps: &[],
            closure: None,
        };
        let (items, _) = id3m_deadlines(&input, d(2026, 6, 1), &settings, &cal, 0);
        assert_eq!(items.len(), 5, "five open steps");
        assert!(
            items.iter().all(|i| i.what.rule() == "R-ID-3M"),
            "all of the identity rule"
        );
        assert!(
            items.iter().any(|i| i.state == DueState::Overdue),
            "months after the line, the first step is overdue"
        );
    }

    #[test]
    fn the_nearest_deadline_of_a_case_is_its_earliest_and_overdue_steps_are_counted() {
        let settings = RuleSettings::default();
        let cal = WorkCalendar::builtin();
        let input = Id3mInput {
            applies: true,
            received: d(2025, 11, 30),
            identity_verified: None,
            steps: &[],
            closure: None,
        };
        let on = d(2026, 6, 1);
        let (status, _) = id3m::evaluate(&input, on, &settings.id3m, &cal);
        let items = id3m_status_deadlines(&status, on, &settings);
        let grouped = CaseDue::of(&items).expect("a triggered track has deadlines");
        assert_eq!(
            grouped.nearest.what,
            DueWhat::Id3mStep {
                step: TrackStep::HouseholdRegistration
            },
            "the first step is due first"
        );
        assert_eq!(grouped.nearest.state, DueState::Overdue);
        assert!(grouped.nearest.days < 0, "days are negative when overdue");
        assert_eq!(
            grouped.overdue as usize,
            items
                .iter()
                .filter(|i| i.state == DueState::Overdue)
                .count(),
            "every overdue step is counted in the one row of the case"
        );
        assert!(grouped.overdue >= 1);
        assert_eq!(CaseDue::of(&[]), None, "no open deadline, no row");
    }

    #[test]
    fn a_pending_line_is_a_deadline_however_far_ahead() {
        let settings = RuleSettings::default();
        let cal = WorkCalendar::builtin();
        let input = Id3mInput {
            applies: true,
            received: d(2026, 5, 20),
            identity_verified: None,
            steps: &[],
            closure: None,
        };
        let on = d(2026, 5, 21);
        let (status, _) = id3m::evaluate(&input, on, &settings.id3m, &cal);
        let items = id3m_status_deadlines(&status, on, &settings);
        assert_eq!(items.len(), 1, "the three-month line alone");
        assert_eq!(items[0].what, DueWhat::Id3mDeadline);
        assert_eq!(items[0].due, d(2026, 8, 20));
        assert_eq!(
            items[0].state,
            DueState::Pending,
            "three months ahead is neither due soon nor overdue"
        );
        assert_eq!(
            nearest([
                deadline(DueState::Pending, DueWhat::Id3mDeadline, d(2026, 8, 20), on),
                deadline(
                    DueState::Overdue,
                    DueWhat::LegalAidStep {
                        step: LaStep::Accept,
                        green_channel: true
                    },
                    d(2026, 5, 1),
                    on
                ),
            ])
            .map(|n| n.due),
            Some(d(2026, 5, 1)),
            "an overdue step is nearer than a line ahead"
        );
    }

    fn visit(date: NaiveDate, next: Option<NaiveDate>) -> FollowUp {
        FollowUp {
            date,
            visitor: "张敏".into(),
            living_situation: "稳定".into(),
            needs: Vec::new(),
            actions: None,
            mode: None,
            place: None,
            next_visit: next,
        }
    }

    #[test]
    fn the_latest_visit_plans_the_next_one() {
        let settings = RuleSettings::default();
        let first = visit(d(2026, 1, 5), Some(d(2026, 3, 1)));
        let on = d(2026, 3, 4);
        let item = follow_up_deadline([&first], on, &settings, 0);
        assert_eq!(
            item,
            Some(Deadline {
                state: DueState::Overdue,
                what: DueWhat::FollowUpVisit,
                due: d(2026, 3, 1),
                days: -3,
            }),
            "a planned visit three days past is overdue by three days"
        );
        assert_eq!(item.map(|i| i.what.rule()), Some("R-FOLLOWUP"));
        let soon = follow_up_deadline([&first], d(2026, 2, 27), &settings, 0);
        assert_eq!(
            soon.map(|i| i.state),
            Some(DueState::DueSoon),
            "two days ahead is within the shortest lead (3 days)"
        );
        assert_eq!(
            follow_up_deadline([&first], d(2026, 2, 1), &settings, 0),
            None,
            "a month ahead is not listed without a horizon"
        );
        assert_eq!(
            follow_up_deadline([&first], d(2026, 2, 1), &settings, 30).map(|i| i.state),
            Some(DueState::Pending),
            "…and pending within the dashboard's 30 days"
        );
    }

    #[test]
    fn a_later_visit_replaces_or_ends_the_planned_one() {
        let settings = RuleSettings::default();
        let on = d(2026, 3, 10);
        let first = visit(d(2026, 1, 5), Some(d(2026, 3, 1)));
        let done = visit(d(2026, 3, 2), None);
        assert_eq!(
            follow_up_deadline([&first, &done], on, &settings, 0),
            None,
            "the visit was made and planned no other: nothing is due"
        );
        let replanned = visit(d(2026, 3, 2), Some(d(2026, 3, 12)));
        let item = follow_up_deadline([&replanned, &first], on, &settings, 0);
        assert_eq!(
            item.map(|i| (i.state, i.due)),
            Some((DueState::DueSoon, d(2026, 3, 12))),
            "the later visit's plan counts, whatever the order of the records"
        );
        assert!(keeps_open(&RecordBody::FollowUp(first)), "a plan is open");
        assert!(
            !keeps_open(&RecordBody::FollowUp(done)),
            "no plan, nothing open"
        );
    }
}
