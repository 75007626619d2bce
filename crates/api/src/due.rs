//! `due`: what is overdue, due soon and pending under R-ID-3M, R-LA-GC and R-FOLLOWUP (the
//! planned next follow-up visit) on a day. The store selects the cases a deadline may
//! concern; the domain judges each one.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::Warning;
use guitu_domain::calendar::WorkCalendar;
use guitu_domain::rules::due::{self, CaseDue, Deadline, DueState};
use guitu_domain::rules::id3m::Id3mRecords;
use guitu_domain::settings::RuleSettings;
use guitu_store::Vault;

use crate::Result;

/// One deadline of one case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct DueItem {
    pub case_id: Uuid,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    /// The intake number that stands in while the name is unknown.
    pub intake_number: Option<String>,
    #[serde(flatten)]
    pub deadline: Deadline,
}

/// The deadlines of one case as items of the report.
fn item_of<'a>(
    case_id: Uuid,
    case_number: &'a str,
    name: &'a Option<String>,
    intake_number: &'a Option<String>,
) -> impl Fn(Deadline) -> DueItem + 'a {
    move |deadline| DueItem {
        case_id,
        case_number: case_number.to_owned(),
        name: name.clone(),
        intake_number: intake_number.clone(),
        deadline,
    }
}

/// Which deadlines a user is shown: of the cases within their reach (`None`: every case),
/// and legal aid only if they may see it.
#[derive(Debug, Clone)]
pub(crate) struct Within {
    pub(crate) reach: guitu_store::CaseReach,
    pub(crate) legal_aid: bool,
}

/// Deadlines on a day, most urgent first.
#[derive(Debug, Clone, Serialize, Default, ts_rs::TS)]
pub struct DueReport {
    pub on: Option<NaiveDate>,
    pub items: Vec<DueItem>,
    pub warnings: Vec<Warning>,
}

/// A horizon that lists every open deadline, however far ahead (ten years: a three-month
/// line is never further than its intake plus three months).
pub(crate) const EVERY_DEADLINE_DAYS: i64 = 3660;

/// The report's deadlines grouped by case: the nearest and the counts of each.
pub(crate) fn by_case(report: &DueReport) -> HashMap<Uuid, CaseDue> {
    let mut grouped: HashMap<Uuid, Vec<Deadline>> = HashMap::new();
    for item in &report.items {
        grouped.entry(item.case_id).or_default().push(item.deadline);
    }
    grouped
        .into_iter()
        .filter_map(|(id, deadlines)| Some((id, CaseDue::of(&deadlines)?)))
        .collect()
}

/// Every case's nearest deadline as of a day, with what it was computed from.
#[derive(Debug)]
pub(crate) struct ByCaseCache {
    marker: (u64, i64),
    on: NaiveDate,
    reach: guitu_store::CaseReach,
    legal_aid: bool,
    settings: RuleSettings,
    calendar_years: Vec<i32>,
    by_case: Arc<HashMap<Uuid, CaseDue>>,
}

impl crate::Session {
    /// The nearest open deadline of every case within this user's reach as of `on`,
    /// computed once and kept while the vault, the settings and the calendar stay the same.
    pub(crate) fn deadlines_by_case(&self, on: NaiveDate) -> Result<Arc<HashMap<Uuid, CaseDue>>> {
        let within = self.within()?;
        let marker = self.vault().change_marker()?;
        let years = self.calendar.years();
        let mut cache = self
            .due_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = cache.as_ref().filter(|c| {
            c.marker == marker
                && c.on == on
                && c.reach == within.reach
                && c.legal_aid == within.legal_aid
                && c.settings == self.settings
                && c.calendar_years == years
        }) {
            return Ok(Arc::clone(&c.by_case));
        }
        let by_case = Arc::new(by_case(&report(
            self.vault(),
            &self.settings,
            &self.calendar,
            on,
            EVERY_DEADLINE_DAYS,
            &within,
        )?));
        *cache = Some(ByCaseCache {
            marker,
            on,
            reach: within.reach,
            legal_aid: within.legal_aid,
            settings: self.settings.clone(),
            calendar_years: years,
            by_case: Arc::clone(&by_case),
        });
        Ok(by_case)
    }
}

impl DueReport {
    /// Items in one state.
    pub fn in_state(&self, state: DueState) -> impl Iterator<Item = &DueItem> {
        self.items.iter().filter(move |i| i.deadline.state == state)
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
    within: &Within,
) -> Result<DueReport> {
    let max_lead = settings.id3m.lead_days.iter().copied().max().unwrap_or(0);
    // due = received + 3 months ≥ received + 89 days: later receipts cannot be due yet.
    let ahead = i64::from(max_lead).max(horizon_days);
    let received_until = on + Duration::days(ahead) - Duration::days(89);
    let candidates = vault.due_candidates(received_until)?;
    let ids: Vec<String> = candidates
        .id3m
        .iter()
        .map(|c| c.case_id)
        .chain(candidates.legal_aid.iter().map(|c| c.case_id))
        .chain(candidates.follow_up.iter().map(|c| c.case_id))
        .map(|id| id.to_string())
        .collect();
    let keep = vault.cases_within(&ids, &within.reach)?;
    let reached = |id: Uuid| keep.as_ref().is_none_or(|k| k.contains(&id.to_string()));
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    for c in candidates.id3m.iter().filter(|c| reached(c.case_id)) {
        let mut facts = Id3mRecords::gather(&c.track);
        // The track records do not carry the identity attempts; the store knows the date.
        facts.identity_verified = c.identity_verified;
        let input = facts.input(c.institution_kind.is_assistance_institution(), c.received);
        let (deadlines, w) = due::id3m_deadlines(&input, on, settings, cal, horizon_days);
        warnings.extend(w);
        items.extend(deadlines.into_iter().map(item_of(
            c.case_id,
            &c.case_number,
            &c.name,
            &c.intake_number,
        )));
    }
    for c in candidates
        .legal_aid
        .iter()
        .filter(|c| within.legal_aid && reached(c.case_id))
    {
        let (deadlines, w) = due::legal_aid_deadlines(&c.application, on, settings, cal);
        warnings.extend(w);
        items.extend(deadlines.into_iter().map(item_of(
            c.case_id,
            &c.case_number,
            &c.name,
            &c.intake_number,
        )));
    }
    for c in candidates.follow_up.iter().filter(|c| reached(c.case_id)) {
        let deadline = due::follow_up_deadline(&c.visits, on, settings, horizon_days);
        items.extend(deadline.into_iter().map(item_of(
            c.case_id,
            &c.case_number,
            &c.name,
            &c.intake_number,
        )));
    }
    items.sort_by(|a, b| {
        (
            a.deadline.state,
            a.deadline.due,
            &a.case_number,
            a.deadline.what,
        )
            .cmp(&(
                b.deadline.state,
                b.deadline.due,
                &b.case_number,
                b.deadline.what,
            ))
    });
    warnings.sort();
    warnings.dedup();
    Ok(DueReport {
        on: Some(on),
        items,
        warnings,
    })
}
