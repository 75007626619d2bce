//! Guitu's use cases: what the desktop shell and the `guitu` CLI call.
//!
//! A [`Session`] is an unlocked vault with the working-day calendar and the rule
//! settings. Every change goes through the domain's validation before the store writes
//! it; every deadline is computed by the domain's rules from the records.

pub mod clock;
mod dashboard;
pub mod demo;
mod due;
mod error;
mod print;
pub mod transfer;
mod views;

use std::path::Path;

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::calendar::{WorkCalendar, YearCalendar};
use guitu_domain::model::{
    Case, IdentityOutcome, Person, PlacementKind, Record, RecordBody, ShelterKind,
};
use guitu_domain::rules::{employment, id3m, legal_aid, placement};
use guitu_domain::settings::RuleSettings;
use guitu_domain::validate::{self, RecordContext};
use guitu_domain::{Label, Warning};
use guitu_store::{SlotFilter, Vault};

pub use dashboard::{AHEAD_DAYS, Dashboard, DayCount};
pub use due::{DueItem, DueReport, DueState};
pub use error::{ApiError, ErrorPayload, Result};
pub use guitu_print::profiles::PrintKind;
pub use guitu_store::{
    CaseFacets, CaseList, CaseListQuery, CaseListRow, CaseSort, Change, HistoryEntry, ImportCounts,
    KdfParams, OpenTiming, SearchHit, Secret, StageCount, VerifyReport,
};
pub use print::Printed;
pub use views::{CaseView, LegalAidView, SaveOutcome};

/// An unlocked vault and what the rules need.
#[derive(Debug)]
pub struct Session {
    vault: Vault,
    calendar: WorkCalendar,
    settings: RuleSettings,
}

/// The application id: the desktop app and the CLI keep the vault under the per-OS data
/// directory in a folder of this name.
pub const APP_ID: &str = "org.guitu.desktop";

/// The vault directory both front ends open by default: `<data dir>/org.guitu.desktop/vault`
/// (Linux `~/.local/share/…`, macOS `~/Library/Application Support/…`, Windows
/// `%LOCALAPPDATA%\…`). On Windows the local, not the roaming, application data: a
/// roaming profile would copy the database to a server at every logoff.
pub fn default_vault_dir() -> Result<std::path::PathBuf> {
    directories::BaseDirs::new()
        .map(|b| b.data_local_dir().join(APP_ID).join("vault"))
        .ok_or_else(|| {
            ApiError::bad_input(
                "找不到用户数据目录，请用 GUITU_VAULT 或 --vault 指定保险库目录",
                "no user data directory found: give the vault directory with GUITU_VAULT or --vault",
            )
        })
}

/// Whether `dir` holds a vault.
pub fn vault_exists(dir: &Path) -> bool {
    Vault::exists(dir)
}

/// Argon2id parameters for a new key slot: calibrated to about half a second here.
///
/// `GUITU_INSECURE_TEST_KDF=1` (for the test suites of both front ends only) uses tiny
/// parameters instead, and says so on stderr.
pub fn default_kdf() -> KdfParams {
    if std::env::var("GUITU_INSECURE_TEST_KDF").is_ok_and(|v| v == "1") {
        eprintln!(
            "警告：使用仅供测试的弱密钥派生参数 / warning: using test-only weak key-derivation parameters"
        );
        return KdfParams::insecure_for_tests();
    }
    KdfParams::calibrate(std::time::Duration::from_millis(500))
}

impl Session {
    fn from_vault(vault: Vault) -> Result<Session> {
        let settings = vault.settings()?;
        let mut calendar = WorkCalendar::builtin();
        for (_, json) in vault.calendar_files()? {
            calendar = calendar.with_year(YearCalendar::parse_json(&json)?);
        }
        Ok(Session {
            vault,
            calendar,
            settings,
        })
    }

    /// Creates a vault; returns the session and the recovery code (show it once).
    pub fn create(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<(Session, Secret)> {
        if user.trim().is_empty() {
            return Err(ApiError::bad_input(
                "用户名不能为空",
                "the user name is empty",
            ));
        }
        let (vault, code) = Vault::create(dir, user.trim(), passphrase, kdf)?;
        Ok((Self::from_vault(vault)?, code))
    }

    /// Unlocks with a passphrase.
    pub fn open(dir: &Path, passphrase: &Secret) -> Result<Session> {
        Self::from_vault(Vault::open(dir, passphrase)?)
    }

    /// Unlocks with a passphrase and reports the time split into key derivation and open.
    pub fn open_timed(dir: &Path, passphrase: &Secret) -> Result<(Session, OpenTiming)> {
        let (vault, timing) = Vault::open_timed(dir, passphrase, SlotFilter::Passphrase)?;
        Ok((Self::from_vault(vault)?, timing))
    }

    /// Sets a new passphrase with the recovery code.
    pub fn recover(
        dir: &Path,
        code: &str,
        user: Option<&str>,
        new: &Secret,
        kdf: &KdfParams,
    ) -> Result<Session> {
        Self::from_vault(guitu_store::recover(dir, code, user, new, kdf)?)
    }

    /// Restores a backup into `dir` (verified first) and opens it.
    pub fn restore(dir: &Path, file: &Path, secret: &Secret) -> Result<Session> {
        Self::from_vault(Vault::restore(dir, file, secret)?)
    }

    /// Changes this user's passphrase (one key slot rewritten, no re-encryption).
    pub fn change_passphrase(&mut self, new: &Secret, kdf: &KdfParams) -> Result<()> {
        Ok(self.vault.change_passphrase(None, new, kdf)?)
    }

    /// The user this session acts as.
    pub fn user(&self) -> &str {
        self.vault.actor()
    }

    /// Whether a recovery code exists for this vault.
    pub fn has_recovery(&self) -> bool {
        self.vault.has_recovery()
    }

    /// The rule settings.
    pub fn settings(&self) -> &RuleSettings {
        &self.settings
    }

    /// Saves new rule settings.
    pub fn save_settings(&mut self, s: RuleSettings) -> Result<()> {
        self.vault.save_settings(&s)?;
        self.settings = s;
        Ok(())
    }

    /// The working-day calendar in use.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    /// Loads (or replaces) a year of the official holiday calendar (R-WORKDAY).
    pub fn load_calendar_year(&mut self, json: &str) -> Result<i32> {
        let year = YearCalendar::parse_json(json)?;
        let y = year.year;
        self.vault.save_calendar_file(y, json)?;
        self.calendar = std::mem::take(&mut self.calendar).with_year(year);
        Ok(y)
    }

    /// Direct access to the vault, for the benchmark and the front ends' low-level needs.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Number of cases.
    pub fn case_count(&self) -> Result<u64> {
        Ok(self.vault.case_count()?)
    }

    // ----- cases -----------------------------------------------------------------------

    /// Creates a person and their case. Nil ids are replaced by new UUIDv7s, an empty case
    /// number is allocated from the settings' prefix and the received year, and flags the
    /// person's data implies (minor on the received date, woman, disabled, foreign) are set.
    pub fn create_case(&mut self, mut person: Person, mut case: Case) -> Result<SaveOutcome<Uuid>> {
        if person.id.is_nil() {
            person.id = Uuid::now_v7();
        }
        if case.id.is_nil() {
            case.id = Uuid::now_v7();
        }
        case.person_id = person.id;
        let warnings = validate::validate_person(&mut person)?;
        if case.case_number.trim().is_empty() {
            use chrono::Datelike;
            case.case_number = self.vault.next_case_number(case.received_date.year())?;
        }
        case.case_number = case.case_number.trim().to_uppercase();
        derive_flags(&person, &mut case);
        validate::validate_case(&case)?;
        self.vault.create_case(&person, &case)?;
        Ok(SaveOutcome {
            value: case.id,
            warnings,
        })
    }

    /// Saves changes to a person.
    pub fn update_person(
        &mut self,
        mut person: Person,
    ) -> Result<SaveOutcome<Vec<guitu_store::Change>>> {
        let warnings = validate::validate_person(&mut person)?;
        let changes = self.vault.update_person(&person)?;
        Ok(SaveOutcome {
            value: changes,
            warnings,
        })
    }

    /// Saves changes to a case.
    pub fn update_case(&mut self, mut case: Case) -> Result<SaveOutcome<Vec<guitu_store::Change>>> {
        case.case_number = case.case_number.trim().to_uppercase();
        validate::validate_case(&case)?;
        let changes = self.vault.update_case(&case)?;
        Ok(SaveOutcome {
            value: changes,
            warnings: Vec::new(),
        })
    }

    /// Finds a case by number or id.
    pub fn find_case(&self, reference: &str) -> Result<Case> {
        Ok(self.vault.find_case(reference)?)
    }

    /// What saving `body` would say, without saving: the rules' refusal as an error, or
    /// their warnings (for forms that validate as the user types).
    pub fn check_record(
        &self,
        case_id: Uuid,
        body: &RecordBody,
        editing: Option<Uuid>,
    ) -> Result<Vec<Warning>> {
        self.check_record_on(case_id, body, editing, clock::today()?)
    }

    fn check_record_on(
        &self,
        case_id: Uuid,
        body: &RecordBody,
        editing: Option<Uuid>,
        today: NaiveDate,
    ) -> Result<Vec<Warning>> {
        let case = self.vault.case(case_id)?;
        let person = self.vault.person(case.person_id)?;
        let others: Vec<Record> = self
            .vault
            .records_of_case(case_id)?
            .into_iter()
            .filter(|r| Some(r.id) != editing)
            .collect();
        let ctx = RecordContext {
            person: &person,
            case: &case,
            others: &others,
        };
        let mut warnings = validate::validate_record(body, &ctx)?;
        if let RecordBody::Placement(p) = body {
            let (status, _) = id3m::evaluate(
                &id3m_input(&case, &others).as_input(),
                today,
                &self.settings.id3m,
                &self.calendar,
            );
            if matches!(status, id3m::Id3mStatus::Triggered { .. }) && p.district_approval.is_none()
            {
                warnings.push(Warning::new(
                    "district_approval_needed",
                    "身份三个月未查明，安置须报区政府同意 / Identity not established within three months: the placement needs district government approval (R-ID-3M)",
                ));
            }
        }
        if let RecordBody::LegalAid(la) = body {
            let (_, w) = legal_aid::evaluate(la, today, &self.settings.legal_aid, &self.calendar);
            warnings.extend(w);
        }
        Ok(warnings)
    }

    /// Adds a record to a case after the rules accept it.
    pub fn add_record(&mut self, case_id: Uuid, body: RecordBody) -> Result<SaveOutcome<Record>> {
        let warnings = self.check_record_on(case_id, &body, None, clock::today()?)?;
        let record = self.vault.insert_record(case_id, body)?;
        Ok(SaveOutcome {
            value: record,
            warnings,
        })
    }

    /// Replaces a record's content after the rules accept it.
    pub fn update_record(&mut self, id: Uuid, body: RecordBody) -> Result<SaveOutcome<Record>> {
        let old = self.vault.record(id)?;
        let warnings = self.check_record_on(old.case_id, &body, Some(id), clock::today()?)?;
        let (record, _) = self.vault.update_record(id, body)?;
        Ok(SaveOutcome {
            value: record,
            warnings,
        })
    }

    /// The full case: person, records, rule states, history. Logged as a view (R-PRIV).
    pub fn case_view(&mut self, reference: &str, today: NaiveDate) -> Result<CaseView> {
        let case = self.vault.find_case(reference)?;
        let view = self.build_view(case, today)?;
        self.vault.log_view(view.case.id)?;
        Ok(view)
    }

    pub(crate) fn build_view(&self, case: Case, today: NaiveDate) -> Result<CaseView> {
        let person = self.vault.person(case.person_id)?;
        let records = self.vault.records_of_case(case.id)?;
        let mut warnings = Vec::new();
        let (id3m_status, w) = id3m::evaluate(
            &id3m_input(&case, &records).as_input(),
            today,
            &self.settings.id3m,
            &self.calendar,
        );
        warnings.extend(w);
        let mut legal_aid_views = Vec::new();
        for r in &records {
            if let RecordBody::LegalAid(la) = &r.body {
                let (status, w) =
                    legal_aid::evaluate(la, today, &self.settings.legal_aid, &self.calendar);
                warnings.extend(w);
                legal_aid_views.push(LegalAidView {
                    record_id: r.id,
                    status,
                });
            }
        }
        let guidance = unknown_parents(&case, &person, &records);
        if guidance != placement::UnknownParentsGuidance::NotApplicable {
            warnings.push(Warning::new("unknown_parents", guidance.message()));
        }
        warnings.dedup();
        let history = self.vault.history_of_case(case.id)?;
        let next_deadline = views::next_deadline(&id3m_status, &legal_aid_views);
        Ok(CaseView {
            days_since_intake: (today - case.received_date).num_days(),
            age: person.birth_date.map(|b| employment::age_on(b.date, today)),
            stage_label: case.stage.zh().to_owned(),
            case,
            person,
            records,
            id3m: id3m_status,
            legal_aid: legal_aid_views,
            guidance,
            warnings,
            history,
            next_deadline,
        })
    }

    /// Adds `n` deterministic demo cases as of `today`: numbered after the vault's existing
    /// cases, with ids drawn from `seed` and the vault's case count (so a second run adds
    /// new cases rather than colliding with the first).
    pub fn add_demo(&mut self, n: usize, seed: u64, today: NaiveDate) -> Result<ImportCounts> {
        let existing = self.vault.case_count()?;
        let prefix = self.settings.case_prefix.clone();
        let mut failure = None;
        let file = demo::generate_numbered(
            n,
            seed ^ existing.wrapping_mul(0x9E37_79B9),
            today,
            &prefix,
            |year| {
                self.vault.max_case_seq(&prefix, year).unwrap_or_else(|e| {
                    failure.get_or_insert(e);
                    0
                })
            },
        );
        if let Some(e) = failure {
            return Err(e.into());
        }
        self.import_file(file, &format!("demo:seed={seed}"))
    }

    // ----- search, deadlines -------------------------------------------------------------

    /// Cases whose names, other names, case number, ID number or notes match.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        Ok(self.vault.search(query, limit)?)
    }

    /// A page of the case list.
    pub fn list_cases(&self, q: &CaseListQuery) -> Result<CaseList> {
        Ok(self.vault.list_cases(q)?)
    }

    /// Caseworkers and institutions that occur (for the list's filters).
    pub fn case_facets(&self) -> Result<CaseFacets> {
        Ok(self.vault.case_facets()?)
    }

    /// R-ID-3M and R-LA-GC deadlines as of `on`.
    pub fn due(&self, on: NaiveDate) -> Result<DueReport> {
        due::report(&self.vault, &self.settings, &self.calendar, on, 0)
    }

    // ----- vault operations ----------------------------------------------------------------

    /// SQLCipher integrity, migrations and the audit chain.
    pub fn verify(&self) -> Result<VerifyReport> {
        Ok(self.vault.verify()?)
    }

    /// Writes an encrypted backup.
    pub fn backup(&mut self, file: &Path) -> Result<u64> {
        Ok(self.vault.backup(file)?)
    }

    /// Records a print in the audit trail.
    pub fn log_print(&mut self, case_id: Uuid, profile: &str) -> Result<()> {
        Ok(self.vault.log_print(case_id, profile)?)
    }

    /// The newest audit entries.
    pub fn audit_recent(&self, limit: u32) -> Result<Vec<guitu_store::AuditEntry>> {
        Ok(self.vault.audit_recent(limit)?)
    }
}

fn derive_flags(person: &Person, case: &mut Case) {
    if let Some(b) = person.birth_date {
        case.flags.minor |= employment::age_on(b.date, case.received_date) < 18;
    }
    case.flags.woman |= person.sex == guitu_domain::model::Sex::Female && !case.flags.minor;
    case.flags.disabled |= person.disability.is_some();
    case.flags.foreign |= person.is_foreign();
}

/// The R-ID-3M facts of a case, gathered from its records.
pub(crate) struct Id3mFacts {
    applies: bool,
    received: NaiveDate,
    records: id3m::Id3mRecords,
}

impl Id3mFacts {
    pub(crate) fn set_verified(&mut self, verified: Option<NaiveDate>) {
        self.records.identity_verified = verified;
    }

    pub(crate) fn as_input(&self) -> id3m::Id3mInput<'_> {
        self.records.input(self.applies, self.received)
    }
}

pub(crate) fn id3m_input(case: &Case, records: &[Record]) -> Id3mFacts {
    id3m_facts(
        case.institution_kind.is_assistance_institution(),
        case.received_date,
        records.iter().map(|r| &r.body),
    )
}

/// The R-ID-3M facts from a case's received date and record bodies.
pub(crate) fn id3m_facts<'a>(
    applies: bool,
    received: NaiveDate,
    bodies: impl IntoIterator<Item = &'a RecordBody>,
) -> Id3mFacts {
    Id3mFacts {
        applies,
        received,
        records: id3m::Id3mRecords::gather(bodies),
    }
}

fn unknown_parents(
    case: &Case,
    person: &Person,
    records: &[Record],
) -> placement::UnknownParentsGuidance {
    let parents_found = !person.guardians.is_empty()
        || records.iter().any(|r| matches!(&r.body, RecordBody::IdentityAttempt(a) if a.outcome == IdentityOutcome::Verified));
    let had_tg = records
        .iter()
        .any(|r| matches!(&r.body, RecordBody::ShelterStay(s) if s.kind == ShelterKind::TemporaryGuardianship));
    let in_cw = records.iter().any(
        |r| matches!(&r.body, RecordBody::Placement(p) if p.kind == PlacementKind::ChildWelfare),
    );
    placement::unknown_parents_guidance(case.flags.minor, parents_found, had_tg, in_cw)
}
