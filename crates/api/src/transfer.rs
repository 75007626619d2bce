//! Import and export in the documented JSON format (`docs/import-format.md`).
//!
//! An import is all or nothing: the file is parsed and every item checked by the domain
//! rules before one transaction writes it; the first bad item refuses the whole file with
//! a message naming the item and the field.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use guitu_domain::Warning;
use guitu_domain::model::{Case, Person, Record};
use guitu_domain::validate;
use guitu_text::{ImportLocation, ImportProblem};

use crate::{ImportCounts, ImportError, Result, Session};

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

/// What a serde error says, as a problem that never repeats the refused value.
fn classify(message: &str) -> ImportProblem {
    // serde's messages have fixed shapes; the value (which may be a name or an ID
    // number) sits between the backticks or quotes and is never copied.
    let backticked =
        |m: &str| -> Vec<String> { m.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    if message.starts_with(guitu_domain::dates::BAD_DATE) {
        ImportProblem::BadDate
    } else if message.starts_with(guitu_domain::dates::BAD_ID) {
        ImportProblem::BadId
    } else if message.starts_with("unknown variant") {
        // unknown variant `x`, expected one of `a`, `b` (or `a` or `b`): the allowed
        // names follow the last "`, expected ", since the refused value before it may
        // itself hold backticks.
        ImportProblem::UnknownValue {
            allowed: message
                .rsplit_once("`, expected ")
                .map(|(_, names)| backticked(names))
                .unwrap_or_default(),
        }
    } else if message.starts_with("missing field") {
        ImportProblem::MissingField {
            field: backticked(message).into_iter().next().unwrap_or_default(),
        }
    } else if message.starts_with("unknown field") {
        ImportProblem::UnknownField {
            field: safe_key(&backticked(message).into_iter().next().unwrap_or_default()),
        }
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        // invalid type: string "…", expected u8
        let expected = rest
            .rsplit_once("expected ")
            .map(|(_, e)| e.split(" at line").next().unwrap_or(e))
            .unwrap_or_default();
        ImportProblem::WrongType {
            expected: guitu_text::ValueKind::from_serde(expected),
        }
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        ImportProblem::Invalid
    } else if message.starts_with("recursion limit") {
        ImportProblem::TooLong
    } else {
        ImportProblem::Invalid
    }
}

/// A key of the file as an error may repeat it: only something shaped like a field name of
/// the format (lower-case ASCII `snake_case`, short, few digits). Anything else — a name or
/// an ID number used as a key, capitals, a megabyte of text — is not repeated.
fn safe_key(key: &str) -> String {
    let digits = key.chars().filter(char::is_ascii_digit).count();
    let field_like = key.len() <= 40
        && digits <= 3
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if field_like {
        key.to_owned()
    } else {
        "…".to_owned()
    }
}

/// Where a refused value is (`persons[0].sex`), with only `safe_key`s and at most 16
/// steps deep (a deeply nested value would otherwise give a path of thousands of steps).
fn safe_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for (n, segment) in path.iter().enumerate() {
        if n == 16 {
            out.push('…');
            break;
        }
        let name = match segment {
            Segment::Seq { index } => {
                out.push_str(&format!("[{index}]"));
                continue;
            }
            Segment::Map { key } => safe_key(key),
            Segment::Enum { variant } => safe_key(variant),
            Segment::Unknown => "?".to_owned(),
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&name);
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// A refused record body (`records[3].body`) read again as its kind, to name the field
/// inside it: `records[3].body.discharged` and that field's problem.
fn locate_in_body(bytes: &[u8], path: &str) -> Option<(String, String)> {
    let index: usize = path
        .strip_prefix("records[")?
        .strip_suffix("].body")?
        .parse()
        .ok()?;
    let file: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let body = file.get("records")?.get(index)?.get("body")?;
    let (inner, message) = guitu_domain::model::RecordBody::locate_error(body)?;
    let inner = safe_path(&inner);
    Some((format!("{path}.{inner}"), message))
}

/// Parses a file, telling broken JSON apart from valid JSON with a bad field, and
/// refusing anything after the document (two files joined import only the first
/// otherwise).
pub fn parse(bytes: &[u8]) -> Result<TransferFile> {
    // Files saved by Windows editors often start with a UTF-8 byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // The fast parser first; only a refused file is parsed again to name the field.
    let file: TransferFile = match TransferFile::deserialize(&mut de)
        .and_then(|f| de.end().map(|()| f))
    {
        Ok(f) => f,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let parsed: std::result::Result<TransferFile, _> =
                serde_path_to_error::deserialize(&mut de);
            match parsed {
                Ok(f) => {
                    if let Err(e) = de.end() {
                        return Err(ImportError::Trailing {
                            line: e.line(),
                            column: e.column(),
                        }
                        .into());
                    }
                    f
                }
                Err(e) => {
                    let path = safe_path(e.path());
                    let inner = e.into_inner();
                    let category = inner.classify();
                    // serde_json reports a value of the wrong kind where an
                    // enumeration is expected (`3`, `true`, `{}`) as a syntax error
                    // although the file is valid JSON: name the field instead.
                    if category == serde_json::error::Category::Syntax
                        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
                    {
                        return Err(ImportError::Invalid {
                            path,
                            problem: ImportProblem::Invalid,
                        }
                        .into());
                    }
                    return Err(match category {
                        serde_json::error::Category::Syntax
                        | serde_json::error::Category::Eof
                        | serde_json::error::Category::Io => ImportError::NotJson {
                            line: inner.line(),
                            column: inner.column(),
                        },
                        serde_json::error::Category::Data => match locate_in_body(bytes, &path) {
                            Some((path, message)) => ImportError::Invalid {
                                path,
                                problem: classify(&message),
                            },
                            None => ImportError::Invalid {
                                path,
                                problem: classify(&inner.to_string()),
                            },
                        },
                    }
                    .into());
                }
            }
        }
    };
    if file.format != FORMAT || file.version == 0 || file.version > VERSION {
        return Err(ImportError::Format.into());
    }
    Ok(file)
}

fn at(list: &str, index: usize, id: Uuid) -> ImportLocation {
    ImportLocation {
        list: list.to_owned(),
        index,
        id: Some(id.to_string()),
    }
}

/// What an import wrote, and every warning the rules gave its items.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub counts: ImportCounts,
    pub warnings: Vec<ImportWarning>,
    /// Persons of the file that were linked to persons already in the vault (R-DUP).
    pub linked: u32,
    /// Pairs decided not to be the same person.
    pub not_duplicates: u32,
}

/// What the importer decided about persons of the file that look like persons of the
/// vault (R-DUP). Pairs are (person of the file, person of the vault).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ImportDecisions {
    /// The same person: the file's cases go to the stored person, the file's person is not
    /// created.
    pub same: Vec<(Uuid, Uuid)>,
    /// Not the same person: remembered, never asked again.
    pub different: Vec<(Uuid, Uuid)>,
    /// Every candidate pair not decided otherwise is not the same person.
    pub all_different: bool,
}

/// A person of an import file who may already be in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportDuplicate {
    pub at: ImportLocation,
    pub file_person: String,
    /// The file person's name, or their intake number (the file is the importer's own).
    pub file_name: Option<String>,
    pub file_intake_number: Option<String>,
    pub candidate: crate::duplicates::DuplicateCandidate,
}

/// What an import would need decided before it writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportPreview {
    pub persons: u32,
    pub cases: u32,
    pub records: u32,
    /// Best first within each person of the file.
    pub duplicates: Vec<ImportDuplicate>,
}

/// A rule's warning about one item of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportWarning {
    pub at: ImportLocation,
    pub warning: Warning,
}

impl Session {
    /// Imports a file: every item checked, then one transaction; nothing written on error.
    /// Refused while a person of the file may already be in the vault (see
    /// [`Session::import_json_deciding`]).
    pub fn import_json(&mut self, bytes: &[u8], source: &str) -> Result<ImportReport> {
        self.import_json_deciding(bytes, source, &ImportDecisions::default())
    }

    /// [`Session::import_json`] with a decision for each possible duplicate person.
    pub fn import_json_deciding(
        &mut self,
        bytes: &[u8],
        source: &str,
        decisions: &ImportDecisions,
    ) -> Result<ImportReport> {
        self.require(guitu_domain::access::Permission::Import)?;
        self.import_file_deciding(parse(bytes)?, source, decisions)
    }

    /// The persons of a file who may already be in the vault (R-DUP), before importing.
    /// Nothing is written.
    pub fn check_import(&self, bytes: &[u8]) -> Result<ImportPreview> {
        self.require(guitu_domain::access::Permission::Import)?;
        let mut file = parse(bytes)?;
        for (i, p) in file.persons.iter_mut().enumerate() {
            validate::validate_person(p).map_err(|error| ImportError::Rule {
                at: at("persons", i, p.id),
                error,
            })?;
        }
        let found = self.import_duplicates(&file)?;
        Ok(ImportPreview {
            persons: file.persons.len() as u32,
            cases: file.cases.len() as u32,
            records: file.records.len() as u32,
            duplicates: found,
        })
    }

    /// Every (file person, stored person) pair at or above the candidate score, for the
    /// persons of the file that are not in the vault yet.
    pub(crate) fn import_duplicates(&self, file: &TransferFile) -> Result<Vec<ImportDuplicate>> {
        let mut intakes: HashMap<Uuid, Vec<chrono::NaiveDate>> = HashMap::new();
        for c in &file.cases {
            intakes
                .entry(c.person_id)
                .or_default()
                .push(c.received_date);
        }
        if !self.vault.has_person_keys()? {
            // Nobody in the vault to be the same as.
            return Ok(Vec::new());
        }
        let in_file: HashSet<Uuid> = file.persons.iter().map(|p| p.id).collect();
        let mut matcher = crate::duplicates::Matcher::new(self);
        let mut out = Vec::new();
        for (i, p) in file.persons.iter().enumerate() {
            if self.vault.person(p.id).is_ok() {
                continue;
            }
            let found = matcher.alike(p, intakes.get(&p.id).map_or(&[], Vec::as_slice))?;
            let found: Vec<_> = found
                .into_iter()
                .filter(|(k, _, _)| !in_file.contains(&k.0.person.id))
                .collect();
            let refs: Vec<&guitu_store::StoredPerson> =
                found.iter().map(|(k, _, _)| &k.0).collect();
            let summaries = self.summaries(&refs)?;
            for ((_, c, l), person) in found.iter().zip(summaries) {
                out.push(ImportDuplicate {
                    at: at("persons", i, p.id),
                    file_person: p.id.to_string(),
                    file_name: p.name.clone(),
                    file_intake_number: p.intake_number.clone(),
                    candidate: crate::duplicates::DuplicateCandidate {
                        person,
                        score: c.score,
                        likelihood: *l,
                        reasons: c.reasons.clone(),
                    },
                });
            }
        }
        Ok(out)
    }

    /// Imports parsed data (see [`Session::import_file_deciding`]); refused while a person
    /// of the file may already be in the vault.
    pub fn import_file(&mut self, file: TransferFile, source: &str) -> Result<ImportReport> {
        self.import_file_deciding(file, source, &ImportDecisions::default())
    }

    /// Imports parsed data: every item checked, then one transaction; nothing written on
    /// error. Returns the counts and every warning of every item. A person of the file
    /// who may already be in the vault needs a decision (R-DUP): the same person (the
    /// file's cases are linked to the stored person) or not.
    pub fn import_file_deciding(
        &mut self,
        file: TransferFile,
        source: &str,
        decisions: &ImportDecisions,
    ) -> Result<ImportReport> {
        self.import_checked(file, source, Some(decisions))
    }

    /// The import itself; `decisions` `None` skips the duplicate check (demo data only).
    pub(crate) fn import_checked(
        &mut self,
        file: TransferFile,
        source: &str,
        decisions: Option<&ImportDecisions>,
    ) -> Result<ImportReport> {
        self.import_checked_from(file, source, decisions, HashMap::new())
    }

    /// [`Session::import_checked`], with where each case came from (a ledger's row), kept
    /// in the case's history.
    pub(crate) fn import_checked_from(
        &mut self,
        mut file: TransferFile,
        source: &str,
        decisions: Option<&ImportDecisions>,
        case_sources: HashMap<Uuid, String>,
    ) -> Result<ImportReport> {
        self.require(guitu_domain::access::Permission::Import)?;
        let today = self.today()?;
        let mut warnings: Vec<ImportWarning> = Vec::new();
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
                    return Err(ImportError::DuplicateId {
                        at: at(list, i, id),
                    }
                    .into());
                }
            }
        }
        for (i, p) in file.persons.iter_mut().enumerate() {
            let mut w = validate::validate_person(p).map_err(|error| ImportError::Rule {
                at: at("persons", i, p.id),
                error,
            })?;
            // R-DATE: an import confirms its own warnings; they are listed in its report.
            w.extend(validate::person_date_warnings(p, today));
            warnings.extend(w.into_iter().map(|warning| ImportWarning {
                at: at("persons", i, p.id),
                warning,
            }));
        }
        let mut linked = match decisions {
            Some(d) => self.decide_duplicates(&mut file, d)?,
            None => guitu_store::Linked::default(),
        };
        linked.case_sources = case_sources;
        let persons: HashMap<Uuid, &Person> = file.persons.iter().map(|p| (p.id, p)).collect();
        let mut stored_persons: HashMap<Uuid, Person> = HashMap::new();
        let mut numbers = HashSet::new();
        for (i, c) in file.cases.iter().enumerate() {
            let loc = || at("cases", i, c.id);
            validate::validate_case(c).map_err(|error| ImportError::Rule { at: loc(), error })?;
            validate::case_dates(c, today)
                .map_err(|error| ImportError::Rule { at: loc(), error })?;
            if !numbers.insert(c.case_number.clone()) {
                return Err(ImportError::DuplicateCaseNumber {
                    at: loc(),
                    case_number: c.case_number.clone(),
                }
                .into());
            }
            if !persons.contains_key(&c.person_id) && !stored_persons.contains_key(&c.person_id) {
                let p =
                    self.vault
                        .person(c.person_id)
                        .map_err(|_| ImportError::MissingReference {
                            at: loc(),
                            field: "person_id".into(),
                            target: c.person_id.to_string(),
                        })?;
                stored_persons.insert(p.id, p);
            }
        }
        let cases: HashMap<Uuid, &Case> = file.cases.iter().map(|c| (c.id, c)).collect();
        let mut stored_cases: HashMap<Uuid, (Case, Vec<Record>)> = HashMap::new();
        let mut by_case: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (i, r) in file.records.iter().enumerate() {
            r.check_authors().map_err(|error| ImportError::Rule {
                at: at("records", i, r.id),
                error,
            })?;
            if !cases.contains_key(&r.case_id) && !stored_cases.contains_key(&r.case_id) {
                let case =
                    self.vault
                        .case(r.case_id)
                        .map_err(|_| ImportError::MissingReference {
                            at: at("records", i, r.id),
                            field: "case_id".into(),
                            target: r.case_id.to_string(),
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
                let ctx = self.record_context(&person, &case, &earlier, today);
                let w = validate::validate_record(&r.body, &ctx).map_err(|error| {
                    ImportError::Rule {
                        at: at("records", i, r.id),
                        error,
                    }
                })?;
                warnings.extend(w.into_iter().map(|warning| ImportWarning {
                    at: at("records", i, r.id),
                    warning,
                }));
                earlier.push(r.clone());
            }
        }
        let counts =
            self.vault
                .import_linked(&file.persons, &file.cases, &file.records, source, &linked)?;
        warnings.sort_by(|a, b| {
            (&a.at.list, a.at.index, &a.warning).cmp(&(&b.at.list, b.at.index, &b.warning))
        });
        Ok(ImportReport {
            counts,
            warnings,
            linked: linked.updated_persons.len() as u32,
            not_duplicates: linked.not_duplicates.len() as u32,
        })
    }

    /// Applies the importer's decisions to the file (persons decided the same are taken
    /// out and their cases linked to the stored person) and refuses while a candidate pair
    /// is undecided. Returns what the store writes beside the file.
    fn decide_duplicates(
        &self,
        file: &mut TransferFile,
        decisions: &ImportDecisions,
    ) -> Result<guitu_store::Linked> {
        let found = self.import_duplicates(file)?;
        let decided: HashSet<(Uuid, Uuid)> = decisions
            .same
            .iter()
            .chain(decisions.different.iter())
            .copied()
            .collect();
        let mut linked = guitu_store::Linked::default();
        let mut undecided = 0u32;
        for d in &found {
            let pair = (
                Uuid::parse_str(&d.file_person).map_err(|_| ImportError::Format)?,
                Uuid::parse_str(&d.candidate.person.person_id).map_err(|_| ImportError::Format)?,
            );
            if decided.contains(&pair) {
                continue;
            }
            if decisions.all_different {
                linked.not_duplicates.push(pair);
            } else {
                undecided += 1;
            }
        }
        if undecided > 0 {
            return Err(ImportError::UndecidedDuplicates { count: undecided }.into());
        }
        let file_ids: HashSet<Uuid> = file.persons.iter().map(|p| p.id).collect();
        let mut updated: HashMap<Uuid, Person> = HashMap::new();
        for (i, (from, to)) in decisions.same.iter().enumerate() {
            let Some(intake) = file.persons.iter().find(|p| p.id == *from).cloned() else {
                return Err(ImportError::MissingReference {
                    at: ImportLocation {
                        list: "decisions.same".into(),
                        index: i,
                        id: Some(from.to_string()),
                    },
                    field: "person".into(),
                    target: from.to_string(),
                }
                .into());
            };
            let stored = match updated.remove(to) {
                Some(p) => p,
                None => self
                    .vault
                    .person(*to)
                    .map_err(|_| ImportError::MissingReference {
                        at: ImportLocation {
                            list: "decisions.same".into(),
                            index: i,
                            id: Some(to.to_string()),
                        },
                        field: "person".into(),
                        target: to.to_string(),
                    })?,
            };
            let mut person = guitu_domain::duplicates::link(&stored, &intake);
            validate::validate_person(&mut person).map_err(|error| ImportError::Rule {
                at: at("persons", i, *from),
                error,
            })?;
            for c in file.cases.iter_mut().filter(|c| c.person_id == *from) {
                c.person_id = *to;
                guitu_domain::rules::flags::derive(&person, c);
            }
            updated.insert(*to, person);
            file.persons.retain(|p| p.id != *from);
        }
        for (from, to) in &decisions.different {
            if file_ids.contains(from) {
                linked.not_duplicates.push((*from, *to));
            }
        }
        linked.updated_persons = updated.into_values().collect();
        linked.updated_persons.sort_by_key(|p| p.id);
        Ok(linked)
    }

    /// Exports everything as a transfer file (pretty JSON); logged in the audit trail.
    pub fn export_json(&mut self, target: &str) -> Result<String> {
        self.require(guitu_domain::access::Permission::ExportAll)?;
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
