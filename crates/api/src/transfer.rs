//! Import and export in the documented JSON format (`docs/import-format.md`).
//!
//! An import is all or nothing: the file is parsed and every item checked by the domain
//! rules before one transaction writes it; the first bad item refuses the whole file with
//! a message naming the item and the field.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use guitu_domain::model::{Case, Person, Record};
use guitu_domain::validate::{self, RecordContext};

use crate::{ApiError, ImportCounts, Result, Session};

/// The value of `format` in every file.
pub const FORMAT: &str = "guitu";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFile {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub persons: Vec<Person>,
    #[serde(default)]
    pub cases: Vec<Case>,
    #[serde(default)]
    pub records: Vec<Record>,
}

/// Parses a file, telling broken JSON apart from valid JSON with a bad field.
pub fn parse(bytes: &[u8]) -> Result<TransferFile> {
    // Files saved by Windows editors often start with a UTF-8 byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The fast parser first; only a refused file is parsed again to name the field.
    let file: TransferFile = match serde_json::from_slice(bytes) {
        Ok(f) => f,
        Err(_) => {
            let de = &mut serde_json::Deserializer::from_slice(bytes);
            let parsed: std::result::Result<TransferFile, _> = serde_path_to_error::deserialize(de);
            match parsed {
                Ok(f) => f,
                Err(e) => {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    return Err(match inner.classify() {
                        serde_json::error::Category::Syntax
                        | serde_json::error::Category::Eof
                        | serde_json::error::Category::Io => ApiError::ImportNotJson {
                            line: inner.line(),
                            column: inner.column(),
                            detail: inner.to_string(),
                        },
                        serde_json::error::Category::Data => ApiError::ImportInvalid {
                            path,
                            detail: inner.to_string(),
                        },
                    });
                }
            }
        }
    };
    if file.format != FORMAT || file.version == 0 || file.version > VERSION {
        return Err(ApiError::ImportInvalid {
            path: "format/version".into(),
            detail: format!(
                "expected format \"{FORMAT}\" version 1..={VERSION}, found \"{}\" version {}",
                file.format, file.version
            ),
        });
    }
    Ok(file)
}

fn location(list: &str, i: usize, id: Uuid) -> String {
    format!("{list}[{i}]（id {id}）")
}

fn inconsistent(zh: String, en: String) -> ApiError {
    ApiError::ImportInconsistent { zh, en }
}

impl Session {
    /// Imports a file: every item checked, then one transaction; nothing written on error.
    pub fn import_json(&mut self, bytes: &[u8], source: &str) -> Result<ImportCounts> {
        self.import_file(parse(bytes)?, source)
    }

    /// Imports parsed data: every item checked, then one transaction; nothing written on
    /// error.
    pub fn import_file(&mut self, mut file: TransferFile, source: &str) -> Result<ImportCounts> {
        let mut seen = HashSet::new();
        for (list, ids) in [
            (
                "persons",
                file.persons.iter().map(|p| p.id).collect::<Vec<_>>(),
            ),
            ("cases", file.cases.iter().map(|c| c.id).collect()),
            ("records", file.records.iter().map(|r| r.id).collect()),
        ] {
            for (i, id) in ids.into_iter().enumerate() {
                if !seen.insert(id) {
                    return Err(inconsistent(
                        format!("{} 的 id 在文件中重复", location(list, i, id)),
                        format!("{} repeats an id", location(list, i, id)),
                    ));
                }
            }
        }
        for (i, p) in file.persons.iter_mut().enumerate() {
            validate::validate_person(p).map_err(|source| ApiError::ImportRule {
                location: location("persons", i, p.id),
                source,
            })?;
        }
        let persons: HashMap<Uuid, &Person> = file.persons.iter().map(|p| (p.id, p)).collect();
        let mut stored_persons: HashMap<Uuid, Person> = HashMap::new();
        let mut numbers = HashSet::new();
        for (i, c) in file.cases.iter().enumerate() {
            let loc = || location("cases", i, c.id);
            validate::validate_case(c).map_err(|source| ApiError::ImportRule {
                location: loc(),
                source,
            })?;
            if !numbers.insert(c.case_number.clone()) {
                return Err(inconsistent(
                    format!("{} 的案件编号 {} 在文件中重复", loc(), c.case_number),
                    format!("{}: case number {} appears twice", loc(), c.case_number),
                ));
            }
            if !persons.contains_key(&c.person_id) && !stored_persons.contains_key(&c.person_id) {
                let p = self.vault.person(c.person_id).map_err(|_| {
                    inconsistent(
                        format!(
                            "{} 的字段 person_id 指向不存在的人员 {}",
                            loc(),
                            c.person_id
                        ),
                        format!(
                            "{}: field person_id names a person that does not exist ({})",
                            loc(),
                            c.person_id
                        ),
                    )
                })?;
                stored_persons.insert(p.id, p);
            }
        }
        let cases: HashMap<Uuid, &Case> = file.cases.iter().map(|c| (c.id, c)).collect();
        let mut stored_cases: HashMap<Uuid, (Case, Vec<Record>)> = HashMap::new();
        let mut by_case: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (i, r) in file.records.iter().enumerate() {
            if !cases.contains_key(&r.case_id) && !stored_cases.contains_key(&r.case_id) {
                let case = self.vault.case(r.case_id).map_err(|_| {
                    inconsistent(
                        format!(
                            "{} 的字段 case_id 指向不存在的个案 {}",
                            location("records", i, r.id),
                            r.case_id
                        ),
                        format!(
                            "{}: field case_id names a case that does not exist ({})",
                            location("records", i, r.id),
                            r.case_id
                        ),
                    )
                })?;
                let existing = self.vault.records_of_case(case.id)?;
                if !persons.contains_key(&case.person_id) {
                    let p = self.vault.person(case.person_id)?;
                    stored_persons.insert(p.id, p);
                }
                stored_cases.insert(case.id, (case, existing));
            }
            by_case.entry(r.case_id).or_default().push(i);
        }
        for (case_id, mut idx) in by_case {
            idx.sort_by_key(|&i| (file.records[i].body.date(), file.records[i].id));
            let (case, mut earlier) = match (cases.get(&case_id), stored_cases.get(&case_id)) {
                (Some(c), _) => ((*c).clone(), Vec::new()),
                (None, Some(stored)) => stored.clone(),
                (None, None) => (self.vault.case(case_id)?, Vec::new()),
            };
            let person = match persons.get(&case.person_id) {
                Some(p) => (*p).clone(),
                None => match stored_persons.get(&case.person_id) {
                    Some(p) => p.clone(),
                    None => self.vault.person(case.person_id)?,
                },
            };
            for i in idx {
                let r = &file.records[i];
                let ctx = RecordContext {
                    person: &person,
                    case: &case,
                    others: &earlier,
                };
                validate::validate_record(&r.body, &ctx).map_err(|source| {
                    ApiError::ImportRule {
                        location: format!(
                            "{}，字段 body / field body ({:?})",
                            location("records", i, r.id),
                            r.body.kind()
                        ),
                        source,
                    }
                })?;
                earlier.push(r.clone());
            }
        }
        Ok(self
            .vault
            .import(&file.persons, &file.cases, &file.records, source)?)
    }

    /// Exports everything as a transfer file (pretty JSON); logged in the audit trail.
    pub fn export_json(&mut self, target: &str) -> Result<String> {
        let (persons, cases, records) = self.vault.export_all()?;
        let counts = format!(
            "persons={} cases={} records={}",
            persons.len(),
            cases.len(),
            records.len()
        );
        let file = TransferFile {
            format: FORMAT.into(),
            version: VERSION,
            persons,
            cases,
            records,
        };
        let text = serde_json::to_string_pretty(&file).map_err(guitu_store::StoreError::Json)?;
        self.vault.log_export(target, &counts)?;
        Ok(text)
    }
}
