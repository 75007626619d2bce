//! The desktop's overview: what is due, caseload by stage, deadlines ahead.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use guitu_domain::access::{self, Permission};
use guitu_domain::report::{AnnualReportDue, annual_report_due};
use guitu_store::StageCount;

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

/// The dashboard as of a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub case_count: u32,
    /// Overdue, due soon and running deadlines (as `guitu due`, plus R-ID-3M deadlines
    /// of the next 30 days as `pending`).
    pub due: DueReport,
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
    /// The dashboard as of `today`.
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        // One pass over the deadlines: the lists use the overdue and due-soon items,
        // the chart every open deadline of the coming days.
        let report = due::report(
            self.vault(),
            &self.settings,
            &self.calendar,
            today,
            AHEAD_DAYS,
            &self.within()?,
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
            due: report,
            by_stage: self.vault().stage_counts()?,
            next_30_days: days.into_values().collect(),
            annual_report: self.annual_report_due(today),
        })
    }
}
