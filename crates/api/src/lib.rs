//! Guitu's use cases: what the desktop shell and the `guitu` CLI call.
//!
//! A [`Session`] is an unlocked vault with the working-day calendar and the rule
//! settings. Every change goes through the domain's validation before the store writes
//! it; every deadline is computed by the domain's rules from the records. Errors are
//! [`Problem`]s: stable codes with typed parameters, made into text by the front ends.

mod access;
mod approvals;
pub mod clock;
mod dashboard;
pub mod demo;
mod due;
mod duplicates;
mod error;
pub mod files;
pub mod handoff;
pub mod ledger;
mod print;
mod report;
mod training;
pub mod transfer;
mod users;
mod views;
mod void;

use std::path::Path;

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::Warning;
use guitu_domain::access::Permission;
use guitu_domain::calendar::{WorkCalendar, YearCalendar};
use guitu_domain::model::{Case, Person, Record, RecordBody};
use guitu_domain::rules::{due as deadlines, employment, flags, id3m, legal_aid, placement};
use guitu_domain::settings::RuleSettings;
use guitu_domain::validate::{self, RecordContext};
use guitu_store::{SlotFilter, Vault};

pub use approvals::MyApprovals;
pub use dashboard::{AHEAD_DAYS, Dashboard, DayCount};
pub use due::{DueItem, DueReport};
pub use duplicates::{DuplicateCandidate, DuplicatePair, DuplicateScan, Merged, PersonSummary};
pub use error::{ApiError, ImportError, Problem, Result, store_problem};
pub use guitu_domain::rules::due::{DueState, DueWhat};
pub use guitu_print::profiles::{PrintKind, PrintSection, ProfileEntry};
pub use guitu_print::render::svg::{FontFile, PagedHtml};
pub use guitu_store::{
    AuditEntry, CaseFacets, CaseList, CaseListQuery, CaseListRow, CaseSort, Change, Entity,
    HistoryAction, HistoryEntry, ImportCounts, KdfParams, OpenTiming, RekeyProgress, RekeyStage,
    RestoreOptions, SearchHit, Secret, StageCount, StoreError, User, VerifyReport,
};
pub use guitu_store::{CaseMerge, Conflict, MergeReport};
pub use guitu_store::{MergeEntry, PersonCase};
pub use guitu_store::{VoidMark, VoidedCase, VoidedRecord};
pub use handoff::{
    BundleMade, CardPreview, ConflictChoice, ConflictView, DeviceView, HandoffCase, HandoffPlan,
    PeerView, bundle_file_name,
};
pub use print::{PrintPlan, Printed};
pub use report::{REPORT_YEARS, Spreadsheet};
pub use training::{TrainingOpened, training_vault_dir};
pub use users::AuditFilter;
pub use views::{CaseView, CaseWarning, LegalAidView, SaveOutcome};

/// An unlocked vault and what the rules need.
#[derive(Debug)]
pub struct Session {
    vault: Vault,
    calendar: WorkCalendar,
    settings: RuleSettings,
    /// The unlocked user and, for the permission checks, the same as an actor.
    user: guitu_store::User,
    actor: guitu_domain::access::Actor,
    /// Every case's nearest deadline, kept while nothing changes (the case list asks for
    /// it with every page).
    due_cache: std::sync::Mutex<Option<due::ByCaseCache>>,
    /// The day saves are judged against (R-DATE: nothing done after it); `None`: the
    /// clock ([`clock::today`], which `GUITU_TODAY` fixes).
    today: Option<NaiveDate>,
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
        .ok_or(ApiError::Input(Problem::NoDataDir))
}

/// Whether `dir` holds a vault.
pub fn vault_exists(dir: &Path) -> bool {
    Vault::exists(dir)
}

/// Argon2id parameters for a new key slot: calibrated to about half a second here.
///
/// In builds with the `insecure-test-kdf` feature (the test suites only),
/// `GUITU_INSECURE_TEST_KDF=1` uses tiny parameters instead. Without the feature the
/// variable does nothing.
pub fn default_kdf() -> KdfParams {
    #[cfg(feature = "insecure-test-kdf")]
    if std::env::var("GUITU_INSECURE_TEST_KDF").is_ok_and(|v| v == "1") {
        return KdfParams::insecure_for_tests();
    }
    KdfParams::calibrate(std::time::Duration::from_millis(500))
}

impl Session {
    /// What the domain needs to check a record of `case`: the case, its person, its other
    /// records, today, and this vault's rule settings and calendar.
    fn record_context<'a>(
        &'a self,
        person: &'a Person,
        case: &'a Case,
        others: &'a [Record],
        today: NaiveDate,
    ) -> RecordContext<'a> {
        RecordContext {
            person,
            case,
            others,
            today,
            settings: &self.settings,
            calendar: &self.calendar,
        }
    }

    fn from_vault(vault: Vault) -> Result<Session> {
        let settings = vault.settings()?;
        let mut calendar = WorkCalendar::builtin();
        for (_, json) in vault.calendar_files()? {
            calendar = calendar.with_year(YearCalendar::parse_json(&json)?);
        }
        let user = vault.current_user()?;
        let actor = user.actor();
        Ok(Session {
            vault,
            calendar,
            settings,
            user,
            actor,
            due_cache: std::sync::Mutex::new(None),
            today: None,
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
            return Err(ApiError::Input(Problem::EmptyUser));
        }
        let (vault, code) = Vault::create(dir, user.trim(), passphrase, kdf)?;
        Ok((Self::from_vault(vault)?, code))
    }

    /// Unlocks with a passphrase (any user's: for a vault of one user).
    pub fn open(dir: &Path, passphrase: &Secret) -> Result<Session> {
        Self::from_vault(Vault::open(dir, passphrase)?)
    }

    /// Unlocks as `user` with their passphrase.
    pub fn open_as(dir: &Path, user: &str, passphrase: &Secret) -> Result<Session> {
        Self::from_vault(Vault::open_as(dir, user, passphrase)?)
    }

    /// The users who can unlock the vault in `dir` (names only, read from its header).
    pub fn users_of(dir: &Path) -> Result<Vec<String>> {
        Ok(Vault::slot_users_of(dir)?)
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

    /// Restores a backup into `dir` (verified first in a staging folder, then switched in
    /// crash-safely) and opens it. Another vault's backup, or one older than the vault it
    /// replaces, is refused unless `options` confirm it.
    pub fn restore(
        dir: &Path,
        file: &Path,
        secret: &Secret,
        options: RestoreOptions,
    ) -> Result<Session> {
        Self::from_vault(Vault::restore(dir, file, secret, options)?)
    }

    /// Changes this user's passphrase (one key slot rewritten, no re-encryption).
    pub fn change_passphrase(&mut self, new: &Secret, kdf: &KdfParams) -> Result<()> {
        Ok(self.vault.change_passphrase(None, new, kdf)?)
    }

    /// Checks that `current` is this user's passphrase (against the key slot; the
    /// database is not reopened).
    pub fn check_passphrase(&self, current: &Secret) -> Result<()> {
        Ok(self.vault.check_passphrase(current)?)
    }

    /// Judges this session's saves as of `today` instead of the clock (a demonstration or
    /// a test set on a fixed day, like `GUITU_TODAY` for a whole process).
    pub fn with_today(mut self, today: NaiveDate) -> Session {
        self.today = Some(today);
        self
    }

    /// The day saves are judged against: the fixed day, else the clock.
    pub(crate) fn today(&self) -> Result<NaiveDate> {
        match self.today {
            Some(d) => Ok(d),
            None => clock::today(),
        }
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
        self.require(Permission::EditSettings)?;
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
        self.require(Permission::LoadCalendar)?;
        let year = YearCalendar::parse_json(json)?;
        let y = year.year;
        self.vault.save_calendar_file(y, json)?;
        self.calendar = std::mem::take(&mut self.calendar).with_year(year);
        Ok(y)
    }

    /// The vault, for the use cases of this crate only: a front end that read a full
    /// case from it would skip the view's audit entry.
    pub(crate) fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Checks new settings without saving them (for forms that check as the user types).
    pub fn check_settings(s: &RuleSettings) -> Result<()> {
        Ok(s.validate()?)
    }

    /// Checks a person without saving (the rules' refusal, or their warnings, R-DATE's
    /// as of today included).
    pub fn check_person(mut person: Person) -> Result<Vec<Warning>> {
        let mut warnings = validate::validate_person(&mut person)?;
        warnings.extend(validate::person_date_warnings(&person, clock::today()?));
        Ok(warnings)
    }

    /// A person's checks and R-DATE's warnings as of today; a warning that needs a
    /// confirmation refuses the save (`confirm.needed`) unless `confirmed`.
    fn person_checked(&self, person: &mut Person, confirmed: bool) -> Result<Vec<Warning>> {
        let mut warnings = validate::validate_person(person)?;
        warnings.extend(validate::person_date_warnings(person, self.today()?));
        validate::confirmation(&warnings, confirmed)?;
        Ok(warnings)
    }

    /// The case flags the person's data decides (minor on the received date, woman,
    /// disabled, foreign) and those left to the caseworker, for a form being filled in.
    pub fn implied_flags(facts: &flags::FlagFacts) -> flags::ImpliedFlags {
        flags::implied(facts)
    }

    /// Number of cases.
    pub fn case_count(&self) -> Result<u64> {
        Ok(match self.listable()? {
            None => self.vault.case_count()?,
            Some(ids) => ids.len() as u64,
        })
    }

    // ----- cases -----------------------------------------------------------------------

    /// Creates a person and their case. Nil ids are replaced by new UUIDv7s, an empty case
    /// number is taken from the settings' prefix and the received year (in the same
    /// transaction as the case), and the flags the person's data implies are set.
    pub fn create_case(&mut self, person: Person, case: Case) -> Result<SaveOutcome<Uuid>> {
        self.create_case_confirmed(person, case, false)
    }

    /// [`Session::create_case`], with R-DATE's warnings that need a confirmation
    /// (`confirmed`: the user saw them and saves anyway). A received date after today is
    /// refused.
    pub fn create_case_confirmed(
        &mut self,
        mut person: Person,
        mut case: Case,
        confirmed: bool,
    ) -> Result<SaveOutcome<Uuid>> {
        self.require(Permission::CreateCase)?;
        if person.id.is_nil() {
            person.id = Uuid::now_v7();
        }
        validate::case_dates(&case, self.today()?)?;
        let warnings = self.person_checked(&mut person, confirmed)?;
        self.prepare_new_case(&person, &mut case)?;
        let stored = self.vault.create_case(&person, &case)?;
        Ok(SaveOutcome {
            value: stored.id,
            warnings,
        })
    }

    /// What every new case goes through before it is written for `person` (normalised):
    /// its caseworker (the creator's unless someone who may assign cases says otherwise),
    /// its id and person, its number's form, the flags the person implies, and the case's
    /// checks (an empty number with a stand-in: the real one is taken when it is written).
    pub(crate) fn prepare_new_case(&self, person: &Person, case: &mut Case) -> Result<()> {
        if case.caseworker.trim().is_empty() {
            case.caseworker = self.actor.name.clone();
        } else if case.caseworker.trim() != self.actor.name {
            self.require_any(Permission::Reassign)?;
        }
        if case.id.is_nil() {
            case.id = Uuid::now_v7();
        }
        case.person_id = person.id;
        case.case_number = case.case_number.trim().to_uppercase();
        flags::derive(person, case);
        if case.case_number.is_empty() {
            let mut numbered = case.clone();
            numbered.case_number = self.settings.case_number(2000, 1);
            validate::validate_case(&numbered)?;
        } else {
            validate::validate_case(case)?;
        }
        Ok(())
    }

    /// Saves changes to a person.
    pub fn update_person(
        &mut self,
        person: Person,
    ) -> Result<SaveOutcome<Vec<guitu_store::Change>>> {
        self.update_person_confirmed(person, false)
    }

    /// [`Session::update_person`], with R-DATE's warnings that need a confirmation.
    pub fn update_person_confirmed(
        &mut self,
        mut person: Person,
        confirmed: bool,
    ) -> Result<SaveOutcome<Vec<guitu_store::Change>>> {
        let warnings = self.person_checked(&mut person, confirmed)?;
        let cases = self.vault.cases_of_person(person.id)?;
        if cases.is_empty() {
            self.require(Permission::ManageUsers)?;
        }
        // The flags the person's data decides follow the person's new data, in the same
        // transaction.
        let mut reflagged = Vec::new();
        for c in &cases {
            self.require_case(Permission::EditCase, *c, None)?;
            let mut case = self.vault.case(*c)?;
            let before = case.flags;
            flags::derive(&person, &mut case);
            if case.flags != before {
                reflagged.push(case);
            }
        }
        let changes = self.vault.update_person_and_cases(&person, &reflagged)?;
        Ok(SaveOutcome {
            value: changes,
            warnings,
        })
    }

    /// Saves changes to a case.
    pub fn update_case(&mut self, mut case: Case) -> Result<SaveOutcome<Vec<guitu_store::Change>>> {
        self.require_case(Permission::EditCase, case.id, None)?;
        self.refuse_voided(case.id, None)?;
        case.case_number = case.case_number.trim().to_uppercase();
        validate::validate_case(&case)?;
        validate::case_dates(&case, self.today()?)?;
        let old = self.vault.case(case.id)?;
        // The flags the person's data decides are the data's, whatever the form sent.
        flags::derive(&self.vault.person(old.person_id)?, &mut case);
        if old.caseworker != case.caseworker {
            self.require_case(Permission::Reassign, case.id, None)?;
        }
        self.require_decision(
            guitu_domain::approval::case_change_needs(&old, &case),
            case.id,
        )?;
        let changes = self.vault.update_case(&case)?;
        Ok(SaveOutcome {
            value: changes,
            warnings: Vec::new(),
        })
    }

    /// Finds a case by number or id.
    pub fn find_case(&self, reference: &str) -> Result<Case> {
        let case = self.vault.find_case(reference)?;
        self.require_case(Permission::ReadCase, case.id, None)?;
        Ok(case)
    }

    /// What saving `body` would say, without saving: the rules' refusal as an error, or
    /// their warnings (for forms that validate as the user types).
    pub fn check_record(
        &self,
        case_id: Uuid,
        body: &RecordBody,
        editing: Option<Uuid>,
    ) -> Result<Vec<Warning>> {
        self.check_record_on(case_id, body, editing, self.today()?)
    }

    fn check_record_on(
        &self,
        case_id: Uuid,
        body: &RecordBody,
        editing: Option<Uuid>,
        today: NaiveDate,
    ) -> Result<Vec<Warning>> {
        self.require_case(Permission::EditRecord, case_id, Some(body.kind()))?;
        let old = match editing {
            Some(id) => Some(self.vault.record(id)?.body),
            None => None,
        };
        self.require_decision(
            guitu_domain::approval::record_change_needs(old.as_ref(), body),
            case_id,
        )?;
        let case = self.vault.case(case_id)?;
        let person = self.vault.person(case.person_id)?;
        let others: Vec<Record> = self
            .vault
            .records_of_case(case_id)?
            .into_iter()
            .filter(|r| Some(r.id) != editing)
            .collect();
        let ctx = self.record_context(&person, &case, &others, today);
        Ok(validate::validate_record(body, &ctx)?)
    }

    /// Adds a record to a case after the rules accept it.
    pub fn add_record(&mut self, case_id: Uuid, body: RecordBody) -> Result<SaveOutcome<Record>> {
        self.add_record_confirmed(case_id, body, false)
    }

    /// [`Session::add_record`]; a warning that needs a confirmation (R-DATE: a record
    /// dated before the intake) refuses the save with `confirm.needed` unless
    /// `confirmed`.
    pub fn add_record_confirmed(
        &mut self,
        case_id: Uuid,
        body: RecordBody,
        confirmed: bool,
    ) -> Result<SaveOutcome<Record>> {
        let warnings = self.check_record_on(case_id, &body, None, self.today()?)?;
        self.refuse_voided(case_id, None)?;
        validate::confirmation(&warnings, confirmed)?;
        let record = self.vault.insert_record(case_id, body)?;
        Ok(SaveOutcome {
            value: record,
            warnings,
        })
    }

    /// Replaces a record's content after the rules accept it.
    pub fn update_record(&mut self, id: Uuid, body: RecordBody) -> Result<SaveOutcome<Record>> {
        self.update_record_confirmed(id, body, false)
    }

    /// [`Session::update_record`], with R-DATE's warnings that need a confirmation.
    pub fn update_record_confirmed(
        &mut self,
        id: Uuid,
        body: RecordBody,
        confirmed: bool,
    ) -> Result<SaveOutcome<Record>> {
        let old = self.vault.record(id)?;
        let warnings = self.check_record_on(old.case_id, &body, Some(id), self.today()?)?;
        self.refuse_voided(old.case_id, Some(id))?;
        validate::confirmation(&warnings, confirmed)?;
        let (record, _) = self.vault.update_record(id, body)?;
        Ok(SaveOutcome {
            value: record,
            warnings,
        })
    }

    /// The full case: person, records, rule states, history. Logged as a view (R-PRIV).
    pub fn case_view(&mut self, reference: &str, today: NaiveDate) -> Result<CaseView> {
        let case = self.vault.find_case(reference)?;
        self.require_case(Permission::ReadCase, case.id, None)?;
        let mut view = self.build_view(case, today)?;
        access::redact(&mut view, self.visibility());
        self.vault.log_view(view.case.id)?;
        Ok(view)
    }

    pub(crate) fn build_view(&self, case: Case, today: NaiveDate) -> Result<CaseView> {
        let mut person = self.vault.person(case.person_id)?;
        let records = self.vault.records_of_case(case.id)?;
        let mut warnings: Vec<CaseWarning> = Vec::new();
        let mut add = |record_id: Option<Uuid>, w: Vec<Warning>| {
            for warning in w {
                let cw = CaseWarning { record_id, warning };
                if !warnings.contains(&cw) {
                    warnings.push(cw);
                }
            }
        };
        // The person's own warnings (R-ID-NUM birth date) on the stored, valid person.
        let mut checked = person.clone();
        add(
            None,
            validate::validate_person(&mut checked).unwrap_or_default(),
        );
        add(None, validate::person_date_warnings(&person, today));
        person = person.clone();
        let (id3m_status, w) = id3m::evaluate(
            &id3m::Id3mRecords::gather(records.iter().map(|r| &r.body)).input(
                case.institution_kind.is_assistance_institution(),
                case.received_date,
            ),
            today,
            &self.settings.id3m,
            &self.calendar,
        );
        add(None, w);
        let mut open_deadlines =
            deadlines::id3m_status_deadlines(&id3m_status, today, &self.settings);
        let mut legal_aid_views = Vec::new();
        for r in &records {
            if let RecordBody::LegalAid(la) = &r.body {
                let (status, w) =
                    legal_aid::evaluate(la, today, &self.settings.legal_aid, &self.calendar);
                add(Some(r.id), w);
                let (open, _) =
                    deadlines::legal_aid_deadlines(la, today, &self.settings, &self.calendar);
                open_deadlines.extend(open.iter().copied());
                legal_aid_views.push(LegalAidView {
                    record_id: r.id,
                    status,
                    deadlines: open,
                });
            }
        }
        // Every record's current warnings (R-EMP-16 estimates, a minor interviewed
        // without a guardian, R-ID-3M district approval …): none is lost after saving.
        for r in &records {
            let others: Vec<Record> = records.iter().filter(|o| o.id != r.id).cloned().collect();
            let ctx = self.record_context(&person, &case, &others, today);
            if let Ok(w) = validate::validate_record(&r.body, &ctx) {
                add(Some(r.id), w);
            }
        }
        let guidance = placement::unknown_parents(&case, &person, &records);
        add(
            None,
            placement::unknown_parents_warning(guidance)
                .into_iter()
                .collect(),
        );
        let history = self.vault.history_of_case(case.id)?;
        let approvals = self.vault.approvals_of_case(case.id)?;
        let voided_records = self.vault.voided_records_of_case(case.id)?;
        let void = self.vault.case_void(case.id)?;
        // R-FOLLOWUP: the next visit the latest follow-up plans, however far ahead.
        open_deadlines.extend(deadlines::follow_up_deadline(
            records.iter().filter_map(|r| match &r.body {
                RecordBody::FollowUp(f) => Some(f),
                _ => None,
            }),
            today,
            &self.settings,
            i64::MAX,
        ));
        open_deadlines.sort_by_key(|d| (d.due, d.what));
        let next_deadline = deadlines::CaseDue::of(&open_deadlines);
        Ok(CaseView {
            days_since_intake: (today - case.received_date).num_days(),
            age: person.birth_date.map(|b| employment::age_on(b.date, today)),
            case,
            person,
            records,
            id3m: id3m_status,
            legal_aid: legal_aid_views,
            guidance,
            warnings,
            history,
            next_deadline,
            deadlines: open_deadlines,
            approvals,
            voided_records,
            void,
        })
    }

    /// Adds `n` deterministic demo cases as of `today`: numbered after the vault's existing
    /// cases, with ids drawn from `seed` and the vault's case count (so a second run adds
    /// new cases rather than colliding with the first).
    /// Only into a training vault: demo data never goes into a real one.
    pub fn add_demo(&mut self, n: usize, seed: u64, today: NaiveDate) -> Result<ImportCounts> {
        self.require(Permission::Import)?;
        if !self.is_training()? {
            return Err(ApiError::Input(Problem::DemoNeedsTraining));
        }
        let existing = self.vault.case_count_all()?;
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
        // Demo persons are made up: no duplicate check between them and earlier ones.
        Ok(self
            .import_checked(file, &format!("demo:seed={seed}"), None)?
            .counts)
    }

    // ----- search, deadlines -------------------------------------------------------------

    /// Cases whose names, other names, case number, ID number or notes match.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        self.require_any(Permission::ListCases)?;
        let mut hits = self.vault.search(query, limit)?;
        let ids: Vec<String> = hits.iter().map(|h| h.case_id.clone()).collect();
        if let Some(keep) = self.listable_of(&ids)? {
            hits.retain(|h| keep.contains(&h.case_id));
        }
        Ok(hits)
    }

    /// A page of the case list (of the cases within this user's reach), each row with its
    /// nearest open deadline as of `today`; [`CaseSort::NextDue`] orders by it.
    pub fn list_cases(&self, q: &CaseListQuery, today: NaiveDate) -> Result<CaseList> {
        self.require_any(Permission::ListCases)?;
        let by_case = self.deadlines_by_case(today)?;
        let order: Vec<String> = if q.sort == CaseSort::NextDue {
            let mut cases: Vec<(&Uuid, &deadlines::CaseDue)> = by_case.iter().collect();
            cases.sort_by_key(|(id, d)| (d.nearest.due, d.nearest.what, **id));
            cases.into_iter().map(|(id, _)| id.to_string()).collect()
        } else {
            Vec::new()
        };
        let mut list =
            self.vault
                .list_cases_by_due(q, &self.reach(Permission::ListCases), &order)?;
        for row in &mut list.rows {
            row.next_due = Uuid::parse_str(&row.id)
                .ok()
                .and_then(|id| by_case.get(&id).copied());
        }
        Ok(list)
    }

    /// Caseworkers and institutions that occur (for the list's filters).
    pub fn case_facets(&self) -> Result<CaseFacets> {
        self.require_any(Permission::ListCases)?;
        Ok(self.vault.case_facets()?)
    }

    /// R-ID-3M and R-LA-GC deadlines as of `on` (of the cases within this user's reach).
    pub fn due(&self, on: NaiveDate) -> Result<DueReport> {
        due::report(
            &self.vault,
            &self.settings,
            &self.calendar,
            on,
            0,
            &self.within()?,
        )
    }

    // ----- vault operations ----------------------------------------------------------------

    /// SQLCipher integrity, migrations and the audit chain.
    pub fn verify(&self) -> Result<VerifyReport> {
        Ok(self.vault.verify()?)
    }

    /// Writes an encrypted backup.
    pub fn backup(&mut self, file: &Path) -> Result<u64> {
        self.require(Permission::Backup)?;
        Ok(self.vault.backup(file)?)
    }

    /// Records a print in the audit trail.
    pub fn log_print(&mut self, case_id: Uuid, profile: &str) -> Result<()> {
        self.require_case(Permission::PrintCase, case_id, None)?;
        Ok(self.vault.log_print(case_id, profile)?)
    }

    /// The newest audit entries.
    pub fn audit_recent(&self, limit: u32) -> Result<Vec<guitu_store::AuditEntry>> {
        self.require(Permission::ReadAudit)?;
        Ok(self.vault.audit_recent(limit)?)
    }
}
