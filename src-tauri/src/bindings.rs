//! TypeScript types of every command's input and output (ts-rs), and the domain's
//! enumeration labels, for `ui/src/bindings/`. A test fails when the checked-in files
//! differ from what the Rust types say; `GUITU_UPDATE_BINDINGS=1 cargo test -p
//! guitu-desktop bindings` rewrites them.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use ts_rs::{Config, TS};

use guitu_api::{CaseListQuery, CaseView, Dashboard, ErrorPayload, PrintKind, SaveOutcome};
use guitu_domain::Label;
use guitu_domain::model::{self as m, Case, Person, Record};
use guitu_domain::rules::legal_aid::LaStep;
use guitu_domain::settings::RuleSettings;

use crate::commands as c;

/// Writes the TypeScript files of every type the commands take or return into `dir`.
pub fn export(dir: &Path) -> Result<(), ts_rs::ExportError> {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    c::AppStatus::export_all(&cfg)?;
    c::CreateVaultInput::export_all(&cfg)?;
    c::VaultCreated::export_all(&cfg)?;
    c::UnlockInput::export_all(&cfg)?;
    c::LockedEvent::export_all(&cfg)?;
    c::DemoInput::export_all(&cfg)?;
    c::CaseRef::export_all(&cfg)?;
    c::NewCase::export_all(&cfg)?;
    c::RecordInput::export_all(&cfg)?;
    c::SettingsView::export_all(&cfg)?;
    c::PathInput::export_all(&cfg)?;
    c::ChangePassphraseInput::export_all(&cfg)?;
    c::PrintRequest::export_all(&cfg)?;
    c::PrintResult::export_all(&cfg)?;
    c::SavedFile::export_all(&cfg)?;
    CaseListQuery::export_all(&cfg)?;
    guitu_api::CaseList::export_all(&cfg)?;
    guitu_api::CaseFacets::export_all(&cfg)?;
    CaseView::export_all(&cfg)?;
    Dashboard::export_all(&cfg)?;
    SaveOutcome::<uuid::Uuid>::export_all(&cfg)?;
    guitu_api::Change::export_all(&cfg)?;
    ErrorPayload::export_all(&cfg)?;
    Person::export_all(&cfg)?;
    Case::export_all(&cfg)?;
    Record::export_all(&cfg)?;
    RuleSettings::export_all(&cfg)?;
    guitu_api::ImportCounts::export_all(&cfg)?;
    guitu_domain::Warning::export_all(&cfg)?;
    m::CaseFlag::export_all(&cfg)?;
    m::RecordKind::export_all(&cfg)?;
    PrintKind::export_all(&cfg)?;
    Ok(())
}

/// An enumeration's values: wire name, Chinese and English label.
type Labels = Vec<(String, &'static str, &'static str)>;

fn labels_of<E: Label + Serialize>(all: &[E]) -> Labels {
    all.iter()
        .map(|e| {
            let key = match serde_json::to_value(e) {
                Ok(Value::String(s)) => s,
                Ok(other) => other.to_string(),
                Err(e) => format!("<{e}>"),
            };
            (key, e.zh(), e.en())
        })
        .collect()
}

/// The zh/en labels of every domain enumeration the UI shows, as pretty JSON.
pub fn labels_json() -> String {
    let all: Vec<(&str, Labels)> = vec![
        ("Sex", labels_of(m::Sex::ALL)),
        ("DisabilityKind", labels_of(m::DisabilityKind::ALL)),
        ("InstitutionKind", labels_of(m::InstitutionKind::ALL)),
        ("ReferralSource", labels_of(m::ReferralSource::ALL)),
        ("Stage", labels_of(m::Stage::ALL)),
        ("CaseFlag", labels_of(m::CaseFlag::ALL)),
        ("ShelterKind", labels_of(m::ShelterKind::ALL)),
        ("IdentityMethod", labels_of(m::IdentityMethod::ALL)),
        ("IdentityOutcome", labels_of(m::IdentityOutcome::ALL)),
        ("TrackStep", labels_of(m::TrackStep::ALL)),
        ("PlacementKind", labels_of(m::PlacementKind::ALL)),
        ("CarerRelation", labels_of(m::CarerRelation::ALL)),
        ("RehabService", labels_of(m::RehabService::ALL)),
        ("SchoolStatus", labels_of(m::SchoolStatus::ALL)),
        ("ReturnKind", labels_of(m::ReturnKind::ALL)),
        ("EmploymentService", labels_of(m::EmploymentService::ALL)),
        ("LegalAidDecision", labels_of(m::LegalAidDecision::ALL)),
        ("Need", labels_of(m::Need::ALL)),
        ("RecordKind", labels_of(m::RecordKind::ALL)),
        ("LaStep", labels_of(LaStep::ALL)),
        ("PrintKind", labels_of(PrintKind::ALL)),
    ];
    // Written by hand so the values keep their declaration order (the UI's option order).
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let enums: Vec<String> = all
        .iter()
        .map(|(name, values)| {
            let rows: Vec<String> = values
                .iter()
                .map(|(k, zh, en)| {
                    format!("    {}: {{ \"zh\": {}, \"en\": {} }}", q(k), q(zh), q(en))
                })
                .collect();
            format!("  {}: {{\n{}\n  }}", q(name), rows.join(",\n"))
        })
        .collect();
    format!("{{\n{}\n}}\n", enums.join(",\n"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;

    /// Every file under `dir`, by path relative to it.
    fn read_dir(dir: &Path) -> BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    out.insert(rel.to_string_lossy().into_owned(), text);
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    #[test]
    fn bindings_are_up_to_date() {
        let tmp = tempfile::tempdir().unwrap();
        export(tmp.path()).expect("every command type exports");
        let mut fresh = read_dir(tmp.path());
        fresh.insert("labels.json".into(), labels_json());
        let checked_in_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        if std::env::var("GUITU_UPDATE_BINDINGS").as_deref() == Ok("1") {
            let _ = std::fs::remove_dir_all(&checked_in_dir);
            std::fs::create_dir_all(&checked_in_dir).unwrap();
            for (name, text) in &fresh {
                let path = checked_in_dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            return;
        }
        let checked_in = read_dir(&checked_in_dir);
        let stale: Vec<&String> = fresh
            .keys()
            .chain(checked_in.keys())
            .filter(|k| fresh.get(*k) != checked_in.get(*k))
            .collect();
        assert!(
            stale.is_empty(),
            "ui/src/bindings is out of date with the Rust types ({stale:?}): run \
             GUITU_UPDATE_BINDINGS=1 cargo test -p guitu-desktop bindings"
        );
    }

    #[test]
    fn labels_cover_every_value() {
        let labels: Value = serde_json::from_str(&labels_json()).unwrap();
        assert_eq!(
            labels["Stage"].as_object().map(|o| o.len()),
            Some(m::Stage::ALL.len()),
            "every stage has a label"
        );
        assert_eq!(
            labels["CarerRelation"]["purchasing_family"]["zh"],
            "收买家庭"
        );
        assert!(
            labels["PrintKind"]["legal_aid"]["en"].is_string(),
            "print kinds by wire name"
        );
    }
}
