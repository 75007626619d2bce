//! The desktop's overview: what is due, caseload by stage, deadlines ahead.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use guitu_domain::access::{self, Permission};
use guitu_domain::report::{AnnualReportDue, annual_report_due};
use guitu_domain::rules::due::{CaseDue, Deadline, DueState};
use guitu_store::{CaseReach, StageCount};
use uuid::Uuid;

use crate::due::{self, DueReport};
use crate::{Result, Session};

/// Deadlines falling on one day, by rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DayCount {
    pub date: NaiveDate,
    pub id3m: u32,
    pub legal_aid: u32,
    /// Planned follow-up visits (R-FOLLOWUP).
    pub follow_up: u32,
}

/// One case's deadlines as the dashboard lists them: one row per case, however many of
/// its steps are due.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DueCase {
    pub case_id: Uuid,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    /// The intake number that stands in while the name is unknown.
    pub intake_number: Option<String>,
    /// The nearest deadline and the counts.
    pub due: CaseDue,
    /// The case's overdue and due-soon deadlines, nearest first.
    pub items: Vec<Deadline>,
}

/// The dashboard as of a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub case_count: u32,
    /// Overdue, due soon and running deadlines (as `guitu due`, plus R-ID-3M deadlines
    /// of the next 30 days as `pending`).
    pub due: DueReport,
    /// The cases with an overdue or due-soon deadline, one row each, most urgent first
    /// (overdue before due soon, then by the nearest due date).
    pub cases: Vec<DueCase>,
    /// Only the cases whose responsible caseworker is this user ("我的个案").
    pub mine: bool,
    /// The user reaches more than their own cases, so "mine" and "all" differ.
    pub can_choose_mine: bool,
    pub by_stage: Vec<StageCount>,
    /// Every open deadline from today to 30 days ahead, one entry per day.
    pub next_30_days: Vec<DayCount>,
    /// From 1 December: the annual report's due date (15 December) and the days left, for
    /// users who make reports (R-ANNUAL).
    pub annual_report: Option<AnnualReportDue>,
}

impl Session {
    /// The annual report's reminder as of `today` (from 1 December), for a user who may
    /// make the report; `None` otherwise.
    pub fn annual_report_due(&self, today: NaiveDate) -> Option<AnnualReportDue> {
        let may = !access::reaches(self.actor(), Permission::Reports).is_empty();
        annual_report_due(today).filter(|_| may)
    }
}

/// Days ahead the dashboard's chart covers.
pub const AHEAD_DAYS: i64 = 30;

impl Session {
    /// The dashboard as of `today`: of this user's own cases when `mine` (for a user
    /// who reaches more than their own), else of every case within their reach. `None`
    /// chooses: their own cases when they are the responsible caseworker of any.
    pub fn dashboard(&self, today: NaiveDate, mine: Option<bool>) -> Result<Dashboard> {
        let mut within = self.within()?;
        let can_choose_mine = within.reach.all;
        let mine = match mine {
            Some(m) => m && can_choose_mine,
            None => can_choose_mine && self.vault().count_cases_of(self.user())? > 0,
        };
        if mine {
            within.reach = CaseReach {
                all: false,
                caseworker: Some(self.user().to_owned()),
                institution: None,
            };
        }
        // One pass over the deadlines: the lists use the overdue and due-soon items,
        // the chart every open deadline of the coming days.
        let report = due::report(
            self.vault(),
            &self.settings,
            &self.calendar,
            today,
            AHEAD_DAYS,
            &within,
        )?;
        let mut days: BTreeMap<NaiveDate, DayCount> = (0..=AHEAD_DAYS)
            .map(|d| today + Duration::days(d))
            .map(|date| {
                (
                    date,
                    DayCount {
                        date,
                        id3m: 0,
                        legal_aid: 0,
                        follow_up: 0,
                    },
                )
            })
            .collect();
        for item in &report.items {
            if let Some(day) = days.get_mut(&item.deadline.due) {
                match item.deadline.what.rule() {
                    "R-ID-3M" => day.id3m += 1,
                    "R-FOLLOWUP" => day.follow_up += 1,
                    _ => day.legal_aid += 1,
                }
            }
        }
        Ok(Dashboard {
            today,
            case_count: u32::try_from(self.case_count()?).unwrap_or(u32::MAX),
            cases: due_cases(&report),
            due: report,
            mine,
            can_choose_mine,
            by_stage: self.vault().stage_counts()?,
            next_30_days: days.into_values().collect(),
            annual_report: self.annual_report_due(today),
        })
    }
}

/// The overdue and due-soon deadlines of a report, one row per case, most urgent first.
fn due_cases(report: &DueReport) -> Vec<DueCase> {
    let mut rows: Vec<DueCase> = Vec::new();
    let mut at: HashMap<Uuid, usize> = HashMap::new();
    for item in report
        .items
        .iter()
        .filter(|i| i.deadline.state != DueState::Pending)
    {
        let i = *at.entry(item.case_id).or_insert_with(|| {
            rows.push(DueCase {
                case_id: item.case_id,
                case_number: item.case_number.clone(),
                name: item.name.clone(),
                intake_number: item.intake_number.clone(),
                due: CaseDue {
                    nearest: item.deadline,
                    overdue: 0,
                    due_soon: 0,
                },
                items: Vec::new(),
            });
            rows.len() - 1
        });
        rows[i].items.push(item.deadline);
    }
    for row in &mut rows {
        if let Some(d) = CaseDue::of(&row.items) {
            row.due = d;
        }
        row.items.sort_by_key(|d| (d.due, d.what));
    }
    rows.sort_by(|a, b| {
        (a.due.nearest.state, a.due.nearest.due, &a.case_number).cmp(&(
            b.due.nearest.state,
            b.due.nearest.due,
            &b.case_number,
        ))
    });
    rows
}
