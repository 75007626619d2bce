//! What the annual report (R-ANNUAL) reads: the cases that may count for a year, with
//! their persons, records and closing facts. The domain decides what counts.

use std::collections::HashMap;

use chrono::{Local, NaiveDate};
use rusqlite::types::ValueRef;

use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Case, Person, RecordBody, RecordKind, Stage};
use guitu_domain::report::{ANY_DATE_KINDS, Closing, IN_YEAR_KINDS, ReportCase};

use crate::rows::{Db, date, time};
use crate::{Result, StoreError, Vault};

fn kind_list(kinds: &[RecordKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json<T: serde::de::DeserializeOwned>(v: ValueRef<'_>) -> Result<T> {
    match v {
        ValueRef::Text(bytes) => Ok(serde_json::from_slice(bytes)?),
        _ => Err(StoreError::Corrupt("a stored document is not text".into())),
    }
}

impl Vault {
    /// The cases received on or before `as_of` for which `counts(received, stage,
    /// closing)` holds, each with its person, its records dated from `start` to `as_of`
    /// (the kinds of `report::ANY_DATE_KINDS` whatever their date up to `as_of`), and its
    /// closing facts: the local day of the last history entry that made the stage closed
    /// (an imported case, or the baseline of hand-off, records no act of closing),
    /// and the date of its latest record.
    ///
    /// The closing facts of the closed cases and the cases' dates and stages are read
    /// first; only the cases `counts` keeps are read whole, with their records (by index).
    pub fn report_cases(
        &self,
        start: NaiveDate,
        as_of: NaiveDate,
        counts: &dyn Fn(NaiveDate, Stage, &Closing) -> bool,
    ) -> Result<Vec<ReportCase>> {
        let as_of_text = as_of.to_string();
        let start_text = start.to_string();

        // 1. Closing facts of the closed cases.
        let mut closings: HashMap<String, Closing> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id,
                    (SELECT max(h.at) FROM history h, json_each(h.changes) j
                      WHERE h.case_id = c.id AND h.entity = 'case'
                        AND h.action NOT IN ('import', 'baseline')
                        AND json_extract(j.value, '$.field') = 'stage'
                        AND json_extract(j.value, '$.new') = 'closed'),
                    (SELECT max(r.date) FROM records r WHERE r.case_id = c.id AND r.voided_at IS NULL)
             FROM cases c WHERE c.stage = 'closed' AND c.received_date <= ?1 AND c.voided_at IS NULL",
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

        // 2. Which cases count: dates and stages from the list index.
        let mut keep: Vec<(String, Closing)> = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, received_date, stage FROM cases WHERE received_date <= ?1 AND voided_at IS NULL",
        )?;
        let mut rows = stmt.query([&as_of_text])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let received = date(&r.get::<_, String>(1)?)?;
            let stage = r.get::<_, Db<Stage>>(2)?.0;
            let closing = closings.get(&id).copied().unwrap_or_default();
            if counts(received, stage, &closing) {
                keep.push((id, closing));
            }
        }

        // 3. Those cases whole, with their persons and records.
        let mut case_stmt = self.conn.prepare_cached(
            "SELECT c.data, p.data FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id = ?1",
        )?;
        let mut record_stmt = self.conn.prepare_cached(&format!(
            "SELECT data FROM records WHERE case_id = ?1 AND date <= ?2 AND voided_at IS NULL
               AND (kind IN ({}) OR (kind IN ({}) AND date >= ?3))",
            kind_list(ANY_DATE_KINDS),
            kind_list(IN_YEAR_KINDS),
        ))?;
        let mut out = Vec::with_capacity(keep.len());
        for (id, closing) in keep {
            let (case, person): (Case, Person) = {
                let mut rows = case_stmt.query([&id])?;
                let Some(r) = rows.next()? else {
                    continue;
                };
                (json(r.get_ref(0)?)?, json(r.get_ref(1)?)?)
            };
            let mut records = Vec::new();
            let mut rows = record_stmt.query([&id, &as_of_text, &start_text])?;
            while let Some(r) = rows.next()? {
                records.push(json::<RecordBody>(r.get_ref(0)?)?);
            }
            out.push(ReportCase {
                case,
                person,
                records,
                closing,
            });
        }
        Ok(out)
    }
}
