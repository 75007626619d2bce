//! `due`: what is overdue, due soon and pending under R-ID-3M and R-LA-GC on a day.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::calendar::WorkCalendar;
use guitu_domain::rules::{id3m, legal_aid};
use guitu_domain::settings::RuleSettings;
use guitu_domain::{Label, Warning};
use guitu_store::Vault;

use crate::{Result, id3m_facts};

/// How urgent a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// The due date has passed.
    Overdue,
    /// Due within the warning lead.
    DueSoon,
    /// A step of a running track, not yet near.
    Pending,
}

/// One deadline.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct DueItem {
    pub state: DueState,
    /// `R-ID-3M` or `R-LA-GC`.
    pub rule: &'static str,
    pub case_id: Uuid,
    pub case_number: String,
    pub name: String,
    /// What is due, in Chinese and English.
    pub what_zh: String,
    pub what_en: String,
    pub due: NaiveDate,
    /// Days from the report day to the due date (negative: overdue by that many days).
    #[ts(type = "number")]
    pub days: i64,
}

/// Deadlines on a day, most urgent first.
#[derive(Debug, Clone, Serialize, Default, ts_rs::TS)]
pub struct DueReport {
    pub on: Option<NaiveDate>,
    pub items: Vec<DueItem>,
    pub warnings: Vec<Warning>,
}

impl DueReport {
    /// Items in one state.
    pub fn in_state(&self, state: DueState) -> impl Iterator<Item = &DueItem> {
        self.items.iter().filter(move |i| i.state == state)
    }
}

/// The deadlines as of `on`. `horizon_days` > 0 also lists, as `pending`, R-ID-3M
/// three-month deadlines up to that many days ahead that are not yet inside a warning
/// lead (the dashboard's chart of the coming days); 0 lists only what the leads say.
pub(crate) fn report(
    vault: &Vault,
    settings: &RuleSettings,
    cal: &WorkCalendar,
    on: NaiveDate,
    horizon_days: i64,
) -> Result<DueReport> {
    let max_lead = settings.id3m.lead_days.iter().copied().max().unwrap_or(0);
    let min_lead = i64::from(settings.id3m.lead_days.iter().copied().min().unwrap_or(0));
    // due = received + 3 months ≥ received + 89 days: later receipts cannot be due yet.
    let ahead = i64::from(max_lead).max(horizon_days);
    let received_until = on + Duration::days(ahead) - Duration::days(89);
    let candidates = vault.due_candidates(received_until)?;
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let state_for = |due: NaiveDate, lead: i64| {
        if due < on {
            DueState::Overdue
        } else if (due - on).num_days() <= lead {
            DueState::DueSoon
        } else {
            DueState::Pending
        }
    };
    for c in &candidates.id3m {
        let mut facts = id3m_facts(
            c.institution_kind.is_assistance_institution(),
            c.received,
            &c.track,
        );
        // The track records do not carry the identity attempts; the store knows the date.
        facts.set_verified(c.identity_verified);
        let (status, w) = id3m::evaluate(&facts.as_input(), on, &settings.id3m, cal);
        warnings.extend(w);
        let item = |what_zh: String, what_en: String, due: NaiveDate, state: DueState| DueItem {
            state,
            rule: "R-ID-3M",
            case_id: c.case_id,
            case_number: c.case_number.clone(),
            name: c.name.clone(),
            what_zh,
            what_en,
            due,
            days: (due - on).num_days(),
        };
        match status {
            id3m::Id3mStatus::Pending {
                due,
                warning_lead: Some(_),
                ..
            } => items.push(item(
                "三个月身份查明期限".into(),
                "three-month identity deadline".into(),
                due,
                DueState::DueSoon,
            )),
            id3m::Id3mStatus::Pending { due, days_left, .. } if days_left <= horizon_days => items
                .push(item(
                    "三个月身份查明期限".into(),
                    "three-month identity deadline".into(),
                    due,
                    DueState::Pending,
                )),
            id3m::Id3mStatus::Triggered { steps, .. } => {
                for s in steps.iter().filter(|s| s.done.is_none()) {
                    items.push(item(
                        format!("户籍安置程序：{}", s.step.zh()),
                        format!("household-registration track: {}", s.step.en()),
                        s.due,
                        state_for(s.due, min_lead),
                    ));
                }
            }
            _ => {}
        }
    }
    for c in &candidates.legal_aid {
        let la = &c.application;
        let (status, w) = legal_aid::evaluate(la, on, &settings.legal_aid, cal);
        warnings.extend(w);
        for s in status
            .steps
            .iter()
            .filter(|s| s.done.is_none() && !s.skipped)
        {
            let Some(due) = s.due else { continue };
            items.push(DueItem {
                state: state_for(due, min_lead),
                rule: "R-LA-GC",
                case_id: c.case_id,
                case_number: c.case_number.clone(),
                name: c.name.clone(),
                what_zh: format!(
                    "法律援助{}：{}",
                    if la.green_channel {
                        "（绿色通道）"
                    } else {
                        ""
                    },
                    s.step.zh()
                ),
                what_en: format!(
                    "legal aid{}: {}",
                    if la.green_channel {
                        " (green channel)"
                    } else {
                        ""
                    },
                    s.step.en()
                ),
                due,
                days: (due - on).num_days(),
            });
        }
    }
    items.sort_by(|a, b| (a.state, a.due, &a.case_number).cmp(&(b.state, b.due, &b.case_number)));
    warnings.sort_by(|a, b| a.message.cmp(&b.message));
    warnings.dedup();
    Ok(DueReport {
        on: Some(on),
        items,
        warnings,
    })
}
