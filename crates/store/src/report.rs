//! What the annual report (R-ANNUAL) reads: the cases that may count for a year, with
//! their persons, records and closing facts. The domain decides what counts.

use std::collections::HashMap;

use chrono::{Local, NaiveDate};

use guitu_domain::model::{Case, Person, RecordBody, Stage};
use guitu_domain::report::{Closing, ReportCase};

use crate::rows::{Db, date, time};
use crate::{Result, Vault};

/// The record kinds the report reads (interviews, mandatory reports and notes are not
/// figures of the report).
const KINDS: &str = "'shelter_stay', 'identity_attempt', 'track_step', 'track_closure', 'placement', \
                     'rehabilitation', 'schooling', 'family_return', 'employment', 'legal_aid', 'follow_up'";

impl Vault {
    /// The cases received on or before `as_of` for which `counts(received, stage,
    /// closing)` holds, each with its person, its records dated on or before `as_of` (of
    /// the kinds the report reads) and its closing facts: the local day of the last
    /// history entry that made the stage closed, and the date of its latest record.
    ///
    /// Three reads: the closing facts of the closed cases, then the cases with their
    /// persons, then the records; a case `counts` refuses is never parsed.
    pub fn report_cases(
        &self,
        as_of: NaiveDate,
        counts: &dyn Fn(NaiveDate, Stage, &Closing) -> bool,
    ) -> Result<Vec<ReportCase>> {
        let as_of_text = as_of.to_string();

        // 1. Closing facts of the closed cases.
        let mut closings: HashMap<String, Closing> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id,
                    (SELECT max(h.at) FROM history h, json_each(h.changes) j
                      WHERE h.case_id = c.id AND h.entity = 'case'
                        AND json_extract(j.value, '$.field') = 'stage'
                        AND json_extract(j.value, '$.new') = 'closed'),
                    (SELECT max(r.date) FROM records r WHERE r.case_id = c.id)
             FROM cases c WHERE c.stage = 'closed' AND c.received_date <= ?1",
        )?;
        let mut rows = stmt.query([&as_of_text])?;
        while let Some(r) = rows.next()? {
            let closed_on = match r.get::<_, Option<String>>(1)? {
                Some(at) => Some(time(&at)?.with_timezone(&Local).date_naive()),
                None => None,
            };
            let last_record_date = match r.get::<_, Option<String>>(2)? {
                Some(d) => Some(date(&d)?),
                None => None,
            };
            closings.insert(
                r.get(0)?,
                Closing {
                    closed_on,
                    last_record_date,
                },
            );
        }

        // 2. The cases that count, with their persons.
        let mut out: Vec<ReportCase> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.received_date, c.stage, c.data, p.data
             FROM cases c JOIN persons p ON p.id = c.person_id
             WHERE c.received_date <= ?1",
        )?;
        let mut rows = stmt.query([&as_of_text])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let received = date(&r.get::<_, String>(1)?)?;
            let stage = r.get::<_, Db<Stage>>(2)?.0;
            let closing = closings.get(&id).copied().unwrap_or_default();
            if !counts(received, stage, &closing) {
                continue;
            }
            let case: Case = serde_json::from_str(&r.get::<_, String>(3)?)?;
            let person: Person = serde_json::from_str(&r.get::<_, String>(4)?)?;
            index.insert(id, out.len());
            out.push(ReportCase {
                case,
                person,
                records: Vec::new(),
                closing,
            });
        }

        // 3. Their records.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.case_id, r.data FROM records r
             WHERE r.date <= ?1 AND r.kind IN ({KINDS})"
        ))?;
        let mut rows = stmt.query([&as_of_text])?;
        while let Some(r) = rows.next()? {
            let case_id: String = r.get(0)?;
            let Some(i) = index.get(&case_id).copied() else {
                continue;
            };
            let body: RecordBody = serde_json::from_str(&r.get::<_, String>(1)?)?;
            if let Some(c) = out.get_mut(i) {
                c.records.push(body);
            }
        }
        Ok(out)
    }
}
