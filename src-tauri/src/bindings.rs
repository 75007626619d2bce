//! What the UI receives from Rust, generated into `ui/src/bindings/`: the TypeScript
//! types of every command's input and output (ts-rs); `schema.json`, the record schema
//! (every field of a person, a case and each record kind, with labels, types and limits,
//! and every enumeration's values and labels); `schema.ts`, the field names typed against
//! the generated types; `labels.json`, the enumerations' labels; and `limits.json`, the
//! limits forms check as the user types. A test fails when the checked-in files differ from
//! what the Rust types say; `GUITU_UPDATE_BINDINGS=1 cargo test -p guitu-desktop bindings`
//! rewrites them.

use std::path::Path;

use serde::Serialize;
use ts_rs::{Config, TS};

use guitu_api::{CaseListQuery, CaseView, Dashboard, PrintKind, Problem, SaveOutcome};
use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{self as m, Case, Person, Record};
use guitu_domain::schema::{self, SchemaDoc};
use guitu_domain::settings::{LIMITS, RuleSettings, SettingLimits};

use crate::commands as c;

/// The limits forms check as the user types (the domain and the store decide).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Limits {
    pub settings: SettingLimits,
    /// Characters of a passphrase, at least.
    pub passphrase_min: usize,
    /// Characters of one-line and of long text when a field gives no limit of its own.
    pub text_max: u32,
    pub long_text_max: u32,
}

/// Writes the TypeScript files of every type the commands take or return into `dir`.
pub fn export(dir: &Path) -> Result<(), ts_rs::ExportError> {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    c::AppStatus::export_all(&cfg)?;
    c::CreateVaultInput::export_all(&cfg)?;
    c::VaultCreated::export_all(&cfg)?;
    c::UnlockInput::export_all(&cfg)?;
    c::RecoverInput::export_all(&cfg)?;
    c::OpenTrainingInput::export_all(&cfg)?;
    c::TrainingOpened::export_all(&cfg)?;
    c::LockedEvent::export_all(&cfg)?;
    c::DemoInput::export_all(&cfg)?;
    c::DashboardInput::export_all(&cfg)?;
    c::CaseRef::export_all(&cfg)?;
    c::NewCase::export_all(&cfg)?;
    c::RecordInput::export_all(&cfg)?;
    c::PersonInput::export_all(&cfg)?;
    c::VoidRecordInput::export_all(&cfg)?;
    c::RecordRef::export_all(&cfg)?;
    c::VoidCaseInput::export_all(&cfg)?;
    c::SettingsView::export_all(&cfg)?;
    c::PathInput::export_all(&cfg)?;
    c::ChangePassphraseInput::export_all(&cfg)?;
    c::PrintRequest::export_all(&cfg)?;
    c::PrintResult::export_all(&cfg)?;
    c::PrintPlanRequest::export_all(&cfg)?;
    c::PrinterRequest::export_all(&cfg)?;
    c::PrinterJob::export_all(&cfg)?;
    guitu_api::PrintPlan::export_all(&cfg)?;
    crate::printer::PrintJobEvent::export_all(&cfg)?;
    c::SavedFile::export_all(&cfg)?;
    c::AddUserInput::export_all(&cfg)?;
    c::ResetPassphraseInput::export_all(&cfg)?;
    c::RemoveUserInput::export_all(&cfg)?;
    c::UserRemoved::export_all(&cfg)?;
    c::ApprovalInput::export_all(&cfg)?;
    c::DecisionInput::export_all(&cfg)?;
    c::AuditInput::export_all(&cfg)?;
    c::AuditRow::export_all(&cfg)?;
    c::DuplicateCheckInput::export_all(&cfg)?;
    c::LinkCaseInput::export_all(&cfg)?;
    c::NotDuplicateCaseInput::export_all(&cfg)?;
    c::LimitInput::export_all(&cfg)?;
    c::PersonPairInput::export_all(&cfg)?;
    c::MergeInput::export_all(&cfg)?;
    c::UndoMergeInput::export_all(&cfg)?;
    guitu_api::DuplicateCandidate::export_all(&cfg)?;
    guitu_api::DuplicatePair::export_all(&cfg)?;
    guitu_api::DuplicateScan::export_all(&cfg)?;
    guitu_api::PersonSummary::export_all(&cfg)?;
    guitu_api::Merged::export_all(&cfg)?;
    guitu_api::MergeEntry::export_all(&cfg)?;
    guitu_api::PersonCase::export_all(&cfg)?;
    guitu_domain::duplicates::Likelihood::export_all(&cfg)?;
    guitu_domain::duplicates::MatchReason::export_all(&cfg)?;
    guitu_domain::duplicates::DuplicateSettings::export_all(&cfg)?;
    guitu_api::MyApprovals::export_all(&cfg)?;
    c::YearInput::export_all(&cfg)?;
    c::ReportFormat::export_all(&cfg)?;
    c::SaveReportInput::export_all(&cfg)?;
    c::LedgerExportInput::export_all(&cfg)?;
    c::LedgerInput::export_all(&cfg)?;
    c::LedgerImportInput::export_all(&cfg)?;
    guitu_domain::report::AnnualReport::export_all(&cfg)?;
    guitu_domain::report::AnnualReportDue::export_all(&cfg)?;
    guitu_api::ledger::LedgerPreview::export_all(&cfg)?;
    guitu_api::transfer::ImportReport::export_all(&cfg)?;
    guitu_store::User::export_all(&cfg)?;
    guitu_store::RekeyProgress::export_all(&cfg)?;
    guitu_domain::access::Permission::export_all(&cfg)?;
    guitu_domain::access::Role::export_all(&cfg)?;
    guitu_domain::access::Visibility::export_all(&cfg)?;
    guitu_domain::approval::ApprovalRequest::export_all(&cfg)?;
    guitu_domain::approval::ApprovalSubject::export_all(&cfg)?;
    guitu_domain::approval::ApprovalOutcome::export_all(&cfg)?;
    CaseListQuery::export_all(&cfg)?;
    guitu_api::CaseList::export_all(&cfg)?;
    guitu_api::CaseFacets::export_all(&cfg)?;
    guitu_api::VoidedCase::export_all(&cfg)?;
    CaseView::export_all(&cfg)?;
    Dashboard::export_all(&cfg)?;
    SaveOutcome::<uuid::Uuid>::export_all(&cfg)?;
    guitu_api::Change::export_all(&cfg)?;
    Problem::export_all(&cfg)?;
    Person::export_all(&cfg)?;
    Case::export_all(&cfg)?;
    Record::export_all(&cfg)?;
    RuleSettings::export_all(&cfg)?;
    guitu_api::ImportCounts::export_all(&cfg)?;
    guitu_domain::Warning::export_all(&cfg)?;
    m::CaseFlag::export_all(&cfg)?;
    guitu_domain::rules::flags::FlagFacts::export_all(&cfg)?;
    guitu_domain::rules::flags::ImpliedFlags::export_all(&cfg)?;
    m::RecordKind::export_all(&cfg)?;
    PrintKind::export_all(&cfg)?;
    SchemaDoc::export_all(&cfg)?;
    Limits::export_all(&cfg)?;
    // Hand-off between devices (issue 11).
    c::RenameDeviceInput::export_all(&cfg)?;
    c::AddPeerInput::export_all(&cfg)?;
    c::PeerRef::export_all(&cfg)?;
    c::CaseHandoff::export_all(&cfg)?;
    c::CaseIdInput::export_all(&cfg)?;
    c::HandoffInput::export_all(&cfg)?;
    c::SendPlan::export_all(&cfg)?;
    c::CreateBundleInput::export_all(&cfg)?;
    c::ConflictsInput::export_all(&cfg)?;
    c::ResolveConflictInput::export_all(&cfg)?;
    guitu_api::DeviceView::export_all(&cfg)?;
    guitu_api::CardPreview::export_all(&cfg)?;
    guitu_api::PeerView::export_all(&cfg)?;
    guitu_api::HandoffPlan::export_all(&cfg)?;
    guitu_api::HandoffCase::export_all(&cfg)?;
    guitu_api::BundleMade::export_all(&cfg)?;
    guitu_api::ConflictView::export_all(&cfg)?;
    guitu_api::ConflictChoice::export_all(&cfg)?;
    guitu_api::MergeReport::export_all(&cfg)?;
    guitu_api::CaseMerge::export_all(&cfg)?;
    Ok(())
}

/// The record schema the UI's forms read.
pub fn schema_json() -> String {
    serde_json::to_string_pretty(schema::document()).unwrap_or_default() + "\n"
}

/// The limits the UI's forms check as the user types.
pub fn limits_json() -> String {
    let limits = Limits {
        settings: LIMITS,
        passphrase_min: guitu_store::keys::MIN_PASSPHRASE_CHARS,
        text_max: schema::TEXT_MAX,
        long_text_max: schema::LONG_TEXT_MAX,
    };
    serde_json::to_string_pretty(&limits).unwrap_or_default() + "\n"
}

/// The zh/en labels of every enumeration the UI shows (those of the schema, and the kinds
/// of printed file), as pretty JSON in declaration order (the UI's option order).
pub fn labels_json() -> String {
    let mut all: Vec<(String, Vec<schema::EnumValue>)> = schema::document()
        .enums
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    all.push((
        PrintKind::NAME.to_owned(),
        guitu_domain::label::enum_values::<PrintKind>(),
    ));
    all.push((
        guitu_api::PrintSection::NAME.to_owned(),
        guitu_domain::label::enum_values::<guitu_api::PrintSection>(),
    ));
    {
        use guitu_domain::access::{Permission, Role};
        use guitu_domain::approval::{ApprovalOutcome, ApprovalSubject};
        use guitu_domain::label::enum_values;
        all.push((Role::NAME.to_owned(), enum_values::<Role>()));
        all.push((Permission::NAME.to_owned(), enum_values::<Permission>()));
        all.push((
            ApprovalSubject::NAME.to_owned(),
            enum_values::<ApprovalSubject>(),
        ));
        all.push((
            ApprovalOutcome::NAME.to_owned(),
            enum_values::<ApprovalOutcome>(),
        ));
        all.push((
            guitu_domain::duplicates::MatchReason::NAME.to_owned(),
            enum_values::<guitu_domain::duplicates::MatchReason>(),
        ));
        {
            use guitu_domain::report::{AgeBand, ReportColumn, ReportLine, ReportSection};
            all.push((
                ReportSection::NAME.to_owned(),
                enum_values::<ReportSection>(),
            ));
            all.push((ReportLine::NAME.to_owned(), enum_values::<ReportLine>()));
            all.push((ReportColumn::NAME.to_owned(), enum_values::<ReportColumn>()));
            all.push((AgeBand::NAME.to_owned(), enum_values::<AgeBand>()));
            all.push((
                guitu_api::ledger::Column::NAME.to_owned(),
                enum_values::<guitu_api::ledger::Column>(),
            ));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    // Written by hand so the values keep their declaration order.
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let enums: Vec<String> = all
        .iter()
        .map(|(name, values)| {
            let rows: Vec<String> = values
                .iter()
                .map(|v| {
                    format!(
                        "    {}: {{ \"zh\": {}, \"en\": {} }}",
                        q(&v.value),
                        q(&v.zh),
                        q(&v.en)
                    )
                })
                .collect();
            format!("  {}: {{\n{}\n  }}", q(name), rows.join(",\n"))
        })
        .collect();
    format!("{{\n{}\n}}\n", enums.join(",\n"))
}

/// The field names of each record kind, the person and the case, checked by the
/// TypeScript compiler against the generated types (a field the schema names but the
/// type lacks, or the other way round, fails `svelte-check`).
pub fn schema_ts() -> String {
    let doc = schema::document();
    let names = |fields: &[schema::FieldSpec]| -> String {
        fields
            .iter()
            .map(|f| format!("'{}'", f.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "// Generated from the Rust record schema (crates/domain/src/schema.rs) by\n\
         // src-tauri/src/bindings.rs. Do not edit.\n\
         import type { Case } from './Case';\n\
         import type { Person } from './Person';\n\
         import type { RecordBody } from './RecordBody';\n\
         import type { RecordKind } from './RecordKind';\n\
         import type { SchemaDoc } from './SchemaDoc';\n\
         import schemaJson from './schema.json';\n\n\
         /** The body of a record of kind `K`, without its `type` tag. */\n\
         export type BodyOf<K extends RecordKind> = Omit<Extract<RecordBody, { type: K }>, 'type'>;\n\n\
         /** The record schema: fields, labels, types, limits, enumerations. */\n\
         export const SCHEMA: SchemaDoc = schemaJson as SchemaDoc;\n\n\
         /** The field names of each record kind, in schema order. */\n\
         export const RECORD_FIELDS = {\n",
    );
    for r in &doc.records {
        out.push_str(&format!("  {}: [{}],\n", r.kind, names(&r.fields)));
    }
    out.push_str(
        "} as const satisfies { readonly [K in RecordKind]: readonly (keyof BodyOf<K>)[] };\n\n\
         /** Every field of each record kind is in `RECORD_FIELDS` (a missing one is a type error). */\n\
         export const RECORD_FIELDS_COMPLETE: {\n\
           readonly [K in RecordKind]: Exclude<keyof BodyOf<K>, (typeof RECORD_FIELDS)[K][number]> extends never ? true : never;\n\
         } = {\n",
    );
    for r in &doc.records {
        out.push_str(&format!("  {}: true,\n", r.kind));
    }
    out.push_str("};\n\n");
    let person = doc.fields_of("person").unwrap_or(&[]);
    let case = doc.fields_of("case").unwrap_or(&[]);
    out.push_str(&format!(
        "/** The fields of a person, in schema order. */\n\
         export const PERSON_FIELDS = [{}] as const satisfies readonly (keyof Person)[];\n\n\
         /** The fields of a case, in schema order. */\n\
         export const CASE_FIELDS = [{}] as const satisfies readonly (keyof Case)[];\n",
        names(person),
        names(case)
    ));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use serde_json::Value;

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
        fresh.insert("schema.json".into(), schema_json());
        fresh.insert("schema.ts".into(), schema_ts());
        fresh.insert("limits.json".into(), limits_json());
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
        assert_eq!(
            labels["MatchReason"].as_object().map(|o| o.len()),
            Some(guitu_domain::duplicates::MatchReason::ALL.len()),
            "every reason a duplicate is proposed has a label"
        );
        assert_eq!(labels["Permission"]["merge_persons"]["zh"], "合并重复人员");
    }
}
