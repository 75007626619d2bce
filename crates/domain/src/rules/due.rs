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
use crate::rules::legal_aid::{self, LaStep, LegalAidStatus};
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

/// The earliest open deadline of a case.
pub fn next_deadline<'a>(
    id3m: &Id3mStatus,
    legal_aid: impl IntoIterator<Item = &'a LegalAidStatus>,
) -> Option<NaiveDate> {
    let id3m_next = match id3m {
        Id3mStatus::Pending { due, .. } => Some(*due),
        Id3mStatus::Triggered { steps, .. } => steps
            .iter()
            .filter(|s| s.done.is_none())
            .map(|s| s.due)
            .min(),
        _ => None,
    };
    id3m_next
        .into_iter()
        .chain(legal_aid.into_iter().filter_map(|l| l.next_due))
        .min()
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
