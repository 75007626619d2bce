//! The commands the UI calls: each one unpacks its input, calls `guitu_api` and hands
//! back the result or `{ code, message }`. No business logic lives here.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, State};
use uuid::Uuid;

use guitu_api::{
    CaseFacets, CaseList, CaseListQuery, CaseView, Change, Dashboard, DuplicateCandidate,
    DuplicateScan, ImportCounts, MergeEntry, Merged, PrintKind, Problem, SaveOutcome, Secret,
    Session, clock,
};
use guitu_domain::Warning;
use guitu_domain::access::{Permission, Role, Visibility};
use guitu_domain::approval::{ApprovalOutcome, ApprovalRequest, ApprovalSubject};
use guitu_domain::handoff::{HandoffBasis, LegalBasis};
use guitu_domain::model::{Case, Person, Record, RecordBody};
use guitu_domain::rules::flags::{FlagFacts, ImpliedFlags};
use guitu_domain::settings::RuleSettings;
use guitu_store::{RekeyProgress, User};

use crate::state::AppState;

type Res<T> = Result<T, Problem>;

fn today() -> Res<chrono::NaiveDate> {
    clock::today().map_err(|e| e.problem())
}

/// Runs blocking work (Argon2id, file writes) off the async runtime's worker.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Res<T> + Send + 'static) -> Res<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| Problem::AppInternal)?
}

/// Writes a file the user asked for (an export, a printed PDF), off the runtime: 0600 and
/// atomic, since a printed case file is as private as the vault.
async fn write_user_file(path: String, bytes: Vec<u8>) -> Res<()> {
    blocking(move || {
        guitu_api::files::write_private(std::path::Path::new(&path), &bytes)
            .map_err(|e| e.problem())
    })
    .await
}

/// What the UI needs before and after unlocking.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppStatus {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub vault_dir: String,
    pub today: chrono::NaiveDate,
    pub user: Option<String>,
    /// The unlocked user with their roles (`null` while locked).
    pub current_user: Option<User>,
    /// What the UI may offer the unlocked user (it only hides; the use cases refuse).
    pub permissions: Vec<Permission>,
    /// What of a case the unlocked user is shown.
    pub visibility: Option<Visibility>,
    /// The users who can unlock the vault (read from its header before unlocking).
    pub slot_users: Vec<String>,
    /// Suggested user name for a new vault (the OS login).
    pub default_user: String,
    pub version: String,
    pub idle_lock_minutes: u32,
    /// The open vault is a training vault (demo data): every screen says so.
    pub training: bool,
}

fn status(state: &AppState) -> Res<AppStatus> {
    let info = state.session_info();
    let vault_exists = guitu_api::vault_exists(&state.dir);
    // A header that cannot be read lists no one: unlocking then reports the problem.
    let slot_users = if vault_exists {
        Session::users_of(&state.dir).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(AppStatus {
        vault_exists,
        unlocked: info.is_some(),
        vault_dir: state.dir.display().to_string(),
        today: today()?,
        user: info.as_ref().map(|i| i.user.name.clone()),
        current_user: info.as_ref().map(|i| i.user.clone()),
        permissions: info
            .as_ref()
            .map(|i| i.permissions.clone())
            .unwrap_or_default(),
        visibility: info.as_ref().map(|i| i.visibility),
        slot_users,
        default_user: std::env::var("GUITU_USER")
            .or_else(|_| std::env::var("USER"))
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "admin".into()),
        version: env!("CARGO_PKG_VERSION").into(),
        idle_lock_minutes: info.as_ref().map(|i| i.idle_lock_minutes).unwrap_or(10),
        training: info.is_some_and(|i| i.training),
    })
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    status(&state)
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CreateVaultInput {
    pub user: String,
    #[ts(type = "string")]
    pub passphrase: Secret,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct VaultCreated {
    /// Shown once; the UI keeps it only while the recovery screen is open.
    pub recovery_code: String,
    pub status: AppStatus,
}

#[tauri::command]
pub async fn create_vault(
    state: State<'_, AppState>,
    input: CreateVaultInput,
) -> Res<VaultCreated> {
    let dir = state.dir.clone();
    let (session, code) = blocking(move || {
        Session::create(
            &dir,
            &input.user,
            &input.passphrase,
            &guitu_api::default_kdf(),
        )
        .map_err(|e| e.problem())
    })
    .await?;
    state.set(session);
    Ok(VaultCreated {
        recovery_code: code.expose().to_owned(),
        status: status(&state)?,
    })
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct UnlockInput {
    /// Who unlocks; `null` (or empty) tries every user's key slot (a vault of one user).
    pub user: Option<String>,
    #[ts(type = "string")]
    pub passphrase: Secret,
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, input: UnlockInput) -> Res<AppStatus> {
    let dir = state.dir.clone();
    let session = blocking(move || {
        match input
            .user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(user) => Session::open_as(&dir, user, &input.passphrase),
            None => Session::open(&dir, &input.passphrase),
        }
        .map_err(|e| e.problem())
    })
    .await?;
    state.set(session);
    status(&state)
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RecoverInput {
    /// Whose passphrase is set anew; `null` in a vault of one user.
    pub user: Option<String>,
    /// The printed recovery code (dashes and case do not matter).
    #[ts(type = "string")]
    pub code: Secret,
    #[ts(type = "string")]
    pub new_passphrase: Secret,
}

/// "Forgot the passphrase": the recovery code sets a new one (audited as the CLI's
/// `guitu recover`) and unlocks with it. A wrong code changes nothing.
#[tauri::command]
pub async fn recover(state: State<'_, AppState>, input: RecoverInput) -> Res<AppStatus> {
    let dir = state.dir.clone();
    let session = blocking(move || {
        let user = input
            .user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        Session::recover(
            &dir,
            input.code.expose(),
            user,
            &input.new_passphrase,
            &guitu_api::default_kdf(),
        )
        .map_err(|e| e.problem())
    })
    .await?;
    state.set(session);
    status(&state)
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct OpenTrainingInput {
    /// From the unlock screen: who unlocks (`null` in a vault of one user) and their
    /// passphrase. Without a passphrase, the unlocked real vault opens its training vault.
    pub user: Option<String>,
    #[ts(type = "string | null")]
    pub passphrase: Option<Secret>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct TrainingOpened {
    pub status: AppStatus,
    /// The demo cases put into a training vault made now (`null`: it existed).
    pub demo: Option<ImportCounts>,
}

/// How many demo cases a new training vault gets.
const TRAINING_DEMO_CASES: usize = 200;

/// Opens the training vault beside the vault (made and filled with demo cases the first
/// time) in place of the real one. The real vault is not written.
#[tauri::command]
pub async fn open_training(
    state: State<'_, AppState>,
    input: OpenTrainingInput,
) -> Res<TrainingOpened> {
    let today = today()?;
    let opened = match input.passphrase {
        Some(passphrase) => {
            let dir = state.dir.clone();
            blocking(move || {
                let real = match input
                    .user
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                {
                    Some(user) => Session::open_as(&dir, user, &passphrase),
                    None => Session::open(&dir, &passphrase),
                }
                .map_err(|e| e.problem())?;
                real.open_training(TRAINING_DEMO_CASES, today, &guitu_api::default_kdf())
                    .map_err(|e| e.problem())
            })
            .await?
        }
        None => {
            state
                .with(move |s| {
                    s.open_training(TRAINING_DEMO_CASES, today, &guitu_api::default_kdf())
                })
                .await?
        }
    };
    state.set(opened.session);
    Ok(TrainingOpened {
        status: status(&state)?,
        demo: opened.demo,
    })
}

/// Why the vault locked (payload of the `vault-locked` event).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LockedEvent {
    /// `idle` or `user`.
    pub reason: String,
}

pub const LOCKED_EVENT: &str = "vault-locked";

#[tauri::command]
pub async fn lock(app: AppHandle, state: State<'_, AppState>) -> Res<()> {
    if state.lock() {
        let _ = app.emit(
            LOCKED_EVENT,
            LockedEvent {
                reason: "user".into(),
            },
        );
    }
    Ok(())
}

#[tauri::command]
pub async fn touch(state: State<'_, AppState>) -> Res<()> {
    state.touch();
    Ok(())
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DemoInput {
    pub cases: u32,
}

#[tauri::command]
pub async fn add_demo(state: State<'_, AppState>, input: DemoInput) -> Res<ImportCounts> {
    let today = today()?;
    let n = usize::try_from(input.cases.min(100_000)).unwrap_or(0);
    state.with(move |s| s.add_demo(n, 2026, today)).await
}

#[tauri::command]
pub async fn list_cases(state: State<'_, AppState>, input: CaseListQuery) -> Res<CaseList> {
    let today = today()?;
    state.with(move |s| s.list_cases(&input, today)).await
}

#[tauri::command]
pub async fn case_facets(state: State<'_, AppState>) -> Res<CaseFacets> {
    state.with(|s| s.case_facets()).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CaseRef {
    /// Case number or id.
    pub reference: String,
}

#[tauri::command]
pub async fn case_view(state: State<'_, AppState>, input: CaseRef) -> Res<CaseView> {
    let today = today()?;
    state
        .with(move |s| s.case_view(&input.reference, today))
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct NewCase {
    pub person: Person,
    pub case: Case,
    /// R-DATE: the user saw the warnings that need a confirmation and saves anyway.
    #[serde(default)]
    #[ts(optional)]
    pub confirmed: Option<bool>,
}

#[tauri::command]
pub async fn create_case(state: State<'_, AppState>, input: NewCase) -> Res<SaveOutcome<Uuid>> {
    let confirmed = input.confirmed.unwrap_or(false);
    state
        .with(move |s| s.create_case_confirmed(input.person, input.case, confirmed))
        .await
}

#[tauri::command]
pub async fn update_person(
    state: State<'_, AppState>,
    input: Person,
) -> Res<SaveOutcome<Vec<Change>>> {
    state.with(move |s| s.update_person(input)).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PersonInput {
    pub person: Person,
    /// R-DATE: the user saw the warnings that need a confirmation and saves anyway.
    pub confirmed: bool,
}

/// `update_person` with R-DATE's confirmation (a birth date in the future, an age over 100).
#[tauri::command]
pub async fn update_person_confirmed(
    state: State<'_, AppState>,
    input: PersonInput,
) -> Res<SaveOutcome<Vec<Change>>> {
    state
        .with(move |s| s.update_person_confirmed(input.person, input.confirmed))
        .await
}

#[tauri::command]
pub async fn update_case(state: State<'_, AppState>, input: Case) -> Res<SaveOutcome<Vec<Change>>> {
    state.with(move |s| s.update_case(input)).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RecordInput {
    pub case_id: Uuid,
    /// The record being edited; `null` for a new one.
    pub record_id: Option<Uuid>,
    pub body: RecordBody,
    /// R-DATE: the user saw the warnings that need a confirmation (a record dated before
    /// the intake) and saves anyway.
    #[serde(default)]
    #[ts(optional)]
    pub confirmed: Option<bool>,
}

#[tauri::command]
pub async fn check_record(state: State<'_, AppState>, input: RecordInput) -> Res<Vec<Warning>> {
    state
        .with(move |s| s.check_record(input.case_id, &input.body, input.record_id))
        .await
}

#[tauri::command]
pub async fn check_person(state: State<'_, AppState>, input: Person) -> Res<Vec<Warning>> {
    state.with(move |_| Session::check_person(input)).await
}

/// The case flags a person's data decides, for the new-case and case forms (the domain's
/// `rules::flags::implied`; no rule is repeated in the UI).
#[tauri::command]
pub async fn implied_flags(input: FlagFacts) -> Res<ImpliedFlags> {
    Ok(Session::implied_flags(&input))
}

#[tauri::command]
pub async fn check_settings(input: RuleSettings) -> Res<()> {
    Session::check_settings(&input).map_err(|e| e.problem())
}

#[tauri::command]
pub async fn add_record(
    state: State<'_, AppState>,
    input: RecordInput,
) -> Res<SaveOutcome<Record>> {
    let confirmed = input.confirmed.unwrap_or(false);
    state
        .with(move |s| s.add_record_confirmed(input.case_id, input.body, confirmed))
        .await
}

#[tauri::command]
pub async fn update_record(
    state: State<'_, AppState>,
    input: RecordInput,
) -> Res<SaveOutcome<Record>> {
    let id = input.record_id.ok_or(Problem::NotFound {
        what: guitu_text::Thing::Record,
        reference: String::new(),
    })?;
    let confirmed = input.confirmed.unwrap_or(false);
    state
        .with(move |s| s.update_record_confirmed(id, input.body, confirmed))
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct VoidRecordInput {
    pub record_id: Uuid,
    /// Why (required).
    pub reason: String,
}

/// Voids (作废) a record entered by mistake (R-DATE).
#[tauri::command]
pub async fn void_record(state: State<'_, AppState>, input: VoidRecordInput) -> Res<()> {
    state
        .with(move |s| s.void_record(input.record_id, &input.reason))
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RecordRef {
    pub record_id: Uuid,
}

/// Restores a voided record (a supervisor's act).
#[tauri::command]
pub async fn restore_record(state: State<'_, AppState>, input: RecordRef) -> Res<()> {
    state.with(move |s| s.restore_record(input.record_id)).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct VoidCaseInput {
    /// Case number or id.
    pub reference: String,
    pub reason: String,
}

/// Voids (作废) a case entered by mistake.
#[tauri::command]
pub async fn void_case(state: State<'_, AppState>, input: VoidCaseInput) -> Res<()> {
    state
        .with(move |s| s.void_case(&input.reference, &input.reason))
        .await
}

/// Restores a voided case (a supervisor's act).
#[tauri::command]
pub async fn restore_case(state: State<'_, AppState>, input: CaseRef) -> Res<()> {
    state.with(move |s| s.restore_case(&input.reference)).await
}

/// The voided cases, for a supervisor to restore from.
#[tauri::command]
pub async fn voided_cases(state: State<'_, AppState>) -> Res<Vec<guitu_api::VoidedCase>> {
    state.with(move |s| s.voided_cases()).await
}

/// Which cases the dashboard covers.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DashboardInput {
    /// Only the user's own cases (as responsible caseworker), for a user who reaches
    /// more; `null` lets the dashboard choose (their own cases if they have any).
    pub mine: Option<bool>,
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, input: DashboardInput) -> Res<Dashboard> {
    let today = today()?;
    state.with(move |s| s.dashboard(today, input.mine)).await
}

/// The settings screen.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SettingsView {
    pub rules: RuleSettings,
    /// Years whose official holiday calendar is loaded.
    pub calendar_years: Vec<i32>,
    pub has_recovery: bool,
    pub user: String,
}

fn settings_view(s: &Session) -> SettingsView {
    SettingsView {
        rules: s.settings().clone(),
        calendar_years: s.calendar().years(),
        has_recovery: s.has_recovery(),
        user: s.user().to_owned(),
    }
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Res<SettingsView> {
    state.with(|s| Ok(settings_view(s))).await
}

#[tauri::command]
pub async fn save_settings(state: State<'_, AppState>, input: RuleSettings) -> Res<SettingsView> {
    let view = state
        .with(move |s| {
            s.save_settings(input)?;
            Ok(settings_view(s))
        })
        .await?;
    state.set_idle_minutes(view.rules.idle_lock_minutes);
    Ok(view)
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PathInput {
    pub path: String,
}

#[tauri::command]
pub async fn load_calendar(state: State<'_, AppState>, input: PathInput) -> Res<SettingsView> {
    state
        .with(move |s| {
            let json = std::fs::read_to_string(&input.path).map_err(|source| {
                guitu_api::ApiError::File {
                    path: input.path.clone(),
                    source,
                }
            })?;
            s.load_calendar_year(&json)?;
            Ok(settings_view(s))
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ChangePassphraseInput {
    #[ts(type = "string")]
    pub current: Secret,
    #[ts(type = "string")]
    pub new: Secret,
}

#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    input: ChangePassphraseInput,
) -> Res<()> {
    // The current passphrase is checked against this user's key slot (Argon2id, off
    // the runtime), so an unattended unlocked window cannot change it.
    state
        .with(move |s| {
            s.check_passphrase(&input.current)?;
            s.change_passphrase(&input.new, &guitu_api::default_kdf())
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PrintRequest {
    pub reference: String,
    pub kind: PrintKind,
    /// AES-256 password for the PDF, or `null`.
    #[ts(type = "string | null")]
    pub password: Option<Secret>,
    /// Where to save (chosen by the user in the save dialog).
    pub path: String,
    /// R-HANDOFF-BASIS: the legal basis of a hand-off summary when the case has no consent
    /// in force for its recipient, or `null`.
    pub basis: Option<LegalBasis>,
    /// A note on the legal basis (printed with it, never in the audit trail), or `null`.
    pub basis_note: Option<String>,
}

/// The legal basis the user chose in the print dialog, as the use case takes it.
fn legal_basis(basis: Option<LegalBasis>, note: Option<&str>) -> Option<HandoffBasis> {
    basis.map(|b| HandoffBasis::legal(b, note))
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PrintResult {
    pub path: String,
    pub pages: u32,
    pub bytes: u32,
    /// Characters the font lacks, printed as [U+XXXX].
    pub missing_chars: Vec<String>,
}

#[tauri::command]
pub async fn print_case(state: State<'_, AppState>, input: PrintRequest) -> Res<PrintResult> {
    let today = today()?;
    let reference = input.reference;
    let kind = input.kind;
    let password = input.password;
    let legal = legal_basis(input.basis, input.basis_note.as_deref());
    let printed = state
        .with(move |s| {
            s.print(
                &reference,
                kind,
                password
                    .as_ref()
                    .map(|p| p.expose())
                    .filter(|p| !p.is_empty()),
                legal,
                today,
            )
        })
        .await?;
    let bytes = printed.bytes.len();
    write_user_file(input.path.clone(), printed.bytes).await?;
    Ok(PrintResult {
        path: input.path,
        pages: u32::try_from(printed.pages).unwrap_or(u32::MAX),
        bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        missing_chars: printed
            .missing_glyphs
            .iter()
            .map(|c| format!("{c} U+{:04X}", u32::from(*c)))
            .collect(),
    })
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PrintPlanRequest {
    pub reference: String,
    pub kind: PrintKind,
}

/// What a kind of file would carry for a case and whether it fits the person (the print
/// dialog shows it before anything is printed).
#[tauri::command]
pub async fn print_plan(
    state: State<'_, AppState>,
    input: PrintPlanRequest,
) -> Res<guitu_api::PrintPlan> {
    let today = today()?;
    state
        .with(move |s| s.print_plan(&input.reference, input.kind, today))
        .await
}

/// A file to send to a printer, with the legal basis of a hand-off as in [`PrintRequest`].
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PrinterRequest {
    pub reference: String,
    pub kind: PrintKind,
    pub basis: Option<LegalBasis>,
    pub basis_note: Option<String>,
}

/// A print job on its way to the system print dialog.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PrinterJob {
    /// Names the job in its `print-job` events.
    pub job: String,
    pub pages: u32,
    /// Characters the font lacks, printed as [U+XXXX].
    pub missing_chars: Vec<String>,
}

/// 打印: sends a case file to a printer through the system print dialog (printer.rs);
/// nothing is written to disk. The use case logs the print.
#[tauri::command]
pub async fn print_to_printer(
    app: AppHandle,
    state: State<'_, AppState>,
    input: PrinterRequest,
) -> Res<PrinterJob> {
    let today = today()?;
    let reference = input.reference;
    let kind = input.kind;
    let legal = legal_basis(input.basis, input.basis_note.as_deref());
    let paged = state
        .with(move |s| s.print_for_printer(&reference, kind, legal, today))
        .await?;
    let title = format!("归途 Guitu — {}", guitu_domain::Label::zh(&kind));
    let job = crate::printer::start(&app, paged.html, &title).map_err(|_| Problem::PrintFailed)?;
    Ok(PrinterJob {
        job,
        pages: u32::try_from(paged.pages).unwrap_or(u32::MAX),
        missing_chars: paged
            .missing_glyphs
            .iter()
            .map(|c| format!("{c} U+{:04X}", u32::from(*c)))
            .collect(),
    })
}

/// A file written on the user's request.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SavedFile {
    pub path: String,
    pub bytes: u32,
}

#[tauri::command]
pub async fn export_json(state: State<'_, AppState>, input: PathInput) -> Res<SavedFile> {
    let target = input.path.clone();
    let text = state.with(move |s| s.export_json(&target)).await?;
    let bytes = text.len();
    write_user_file(input.path.clone(), text.into_bytes()).await?;
    Ok(SavedFile {
        bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        path: input.path,
    })
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> Res<Vec<User>> {
    state.with(|s| s.users()).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AddUserInput {
    pub name: String,
    pub roles: Vec<Role>,
    /// The shelter's name, for shelter staff.
    pub institution: Option<String>,
    #[ts(type = "string")]
    pub passphrase: Secret,
}

#[tauri::command]
pub async fn add_user(state: State<'_, AppState>, input: AddUserInput) -> Res<User> {
    state
        .with(move |s| {
            s.add_user(
                &input.name,
                &input.roles,
                input.institution.as_deref(),
                &input.passphrase,
                &guitu_api::default_kdf(),
            )
        })
        .await
}

#[tauri::command]
pub async fn update_user(state: State<'_, AppState>, input: User) -> Res<()> {
    state.with(move |s| s.update_user(&input)).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ResetPassphraseInput {
    pub name: String,
    #[ts(type = "string")]
    pub passphrase: Secret,
}

#[tauri::command]
pub async fn reset_passphrase(state: State<'_, AppState>, input: ResetPassphraseInput) -> Res<()> {
    state
        .with(move |s| {
            s.reset_passphrase(&input.name, &input.passphrase, &guitu_api::default_kdf())
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RemoveUserInput {
    pub name: String,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct UserRemoved {
    /// A new recovery code when the old one could not be carried over: shown once.
    pub recovery_code: Option<String>,
}

/// Progress of the re-key after removing a user (payload: `RekeyProgress`).
pub const REKEY_EVENT: &str = "rekey-progress";

#[tauri::command]
pub async fn remove_user(
    app: AppHandle,
    state: State<'_, AppState>,
    input: RemoveUserInput,
) -> Res<UserRemoved> {
    // `with` runs the re-key on a blocking thread; progress goes to the UI as events.
    let code = state
        .with(move |s| {
            let progress = |p: RekeyProgress| {
                let _ = app.emit(REKEY_EVENT, p);
            };
            s.remove_user(&input.name, &guitu_api::default_kdf(), &progress)
        })
        .await?;
    Ok(UserRemoved {
        recovery_code: code.map(|c| c.expose().to_owned()),
    })
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ApprovalInput {
    /// Case number or id.
    pub reference: String,
    pub subject: ApprovalSubject,
    /// The placement record a placement decision is about.
    pub record_id: Option<Uuid>,
    pub note: String,
}

#[tauri::command]
pub async fn request_approval(
    state: State<'_, AppState>,
    input: ApprovalInput,
) -> Res<ApprovalRequest> {
    let today = today()?;
    state
        .with(move |s| {
            s.request_approval(
                &input.reference,
                input.subject,
                input.record_id,
                &input.note,
                today,
            )
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DecisionInput {
    pub id: Uuid,
    pub outcome: ApprovalOutcome,
    pub reason: String,
}

#[tauri::command]
pub async fn decide_approval(
    state: State<'_, AppState>,
    input: DecisionInput,
) -> Res<ApprovalRequest> {
    let today = today()?;
    state
        .with(move |s| s.decide_approval(input.id, input.outcome, &input.reason, today))
        .await
}

#[tauri::command]
pub async fn my_approvals(state: State<'_, AppState>) -> Res<guitu_api::MyApprovals> {
    state.with(|s| s.approvals_for_me()).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AuditInput {
    pub user: Option<String>,
    /// Case number or id.
    pub case: Option<String>,
    /// ISO dates (inclusive).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: u32,
}

/// One entry of the audit trail as the audit screen shows it (the store's `AuditEntry`
/// without its chain hashes).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AuditRow {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[tauri::command]
pub async fn audit(state: State<'_, AppState>, input: AuditInput) -> Res<Vec<AuditRow>> {
    let some = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (user, case, from, to) = (
        some(input.user),
        some(input.case),
        some(input.from),
        some(input.to),
    );
    let entries = state
        .with(move |s| {
            s.audit(
                user.as_deref(),
                case.as_deref(),
                from.as_deref(),
                to.as_deref(),
                input.limit.min(5000),
            )
        })
        .await?;
    Ok(entries
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect())
}

// ----- the same person twice (R-DUP) --------------------------------------------------

/// A person about to be created, for the duplicate check.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DuplicateCheckInput {
    pub person: Person,
    /// The new case's receiving date (close intakes count), if known.
    pub received: Option<chrono::NaiveDate>,
}

#[tauri::command]
pub async fn duplicate_candidates(
    state: State<'_, AppState>,
    input: DuplicateCheckInput,
) -> Res<Vec<DuplicateCandidate>> {
    state
        .with(move |s| s.duplicate_candidates(input.person, input.received))
        .await
}

/// "The same person": a new case for a person already in the vault.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct LinkCaseInput {
    /// The stored person the intake is.
    pub existing: Uuid,
    /// The person as typed at intake (their names become other names of the stored one).
    pub person: Person,
    pub case: Case,
}

#[tauri::command]
pub async fn link_case(state: State<'_, AppState>, input: LinkCaseInput) -> Res<SaveOutcome<Uuid>> {
    state
        .with(move |s| s.link_case(input.existing, input.person, input.case))
        .await
}

/// "Not the same person": a new person and case; each pair is never proposed again.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct NotDuplicateCaseInput {
    pub person: Person,
    pub case: Case,
    /// Every candidate the user was shown.
    pub not_same_as: Vec<Uuid>,
}

#[tauri::command]
pub async fn create_case_not_duplicate(
    state: State<'_, AppState>,
    input: NotDuplicateCaseInput,
) -> Res<SaveOutcome<Uuid>> {
    state
        .with(move |s| s.create_case_not_duplicate(input.person, input.case, &input.not_same_as))
        .await
}

/// How many items a list may show.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct LimitInput {
    pub limit: u32,
}

#[tauri::command]
pub async fn duplicate_pairs(state: State<'_, AppState>, input: LimitInput) -> Res<DuplicateScan> {
    let limit = usize::try_from(input.limit.min(1000)).unwrap_or(0);
    state.with(move |s| s.duplicate_pairs(limit)).await
}

/// Two stored persons.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PersonPairInput {
    pub a: Uuid,
    pub b: Uuid,
}

#[tauri::command]
pub async fn mark_not_duplicate(state: State<'_, AppState>, input: PersonPairInput) -> Res<()> {
    state
        .with(move |s| s.mark_not_duplicate(input.a, input.b))
        .await
}

/// A merge: `absorbed`'s cases and names move to `kept`.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct MergeInput {
    pub kept: Uuid,
    pub absorbed: Uuid,
}

#[tauri::command]
pub async fn merge_persons(state: State<'_, AppState>, input: MergeInput) -> Res<Merged> {
    state
        .with(move |s| s.merge_persons(input.kept, input.absorbed))
        .await
}

/// A merge to undo.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct UndoMergeInput {
    pub merge_id: Uuid,
}

#[tauri::command]
pub async fn undo_merge(state: State<'_, AppState>, input: UndoMergeInput) -> Res<()> {
    state.with(move |s| s.undo_merge(input.merge_id)).await
}

#[tauri::command]
pub async fn merges(state: State<'_, AppState>, input: LimitInput) -> Res<Vec<MergeEntry>> {
    let limit = input.limit.min(1000);
    state.with(move |s| s.merges(limit)).await
}

// ----- Reports and ledgers (issue 13) ---------------------------------------------------

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct YearInput {
    pub year: i32,
}

#[tauri::command]
pub async fn annual_report(
    state: State<'_, AppState>,
    input: YearInput,
) -> Res<guitu_domain::report::AnnualReport> {
    let today = today()?;
    state
        .with(move |s| s.annual_report(input.year, today))
        .await
}

/// The formats the annual report is saved in.
#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Xlsx,
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SaveReportInput {
    pub year: i32,
    pub format: ReportFormat,
    /// Where to save (chosen by the user in the save dialog).
    pub path: String,
}

#[tauri::command]
pub async fn save_annual_report(
    state: State<'_, AppState>,
    input: SaveReportInput,
) -> Res<SavedFile> {
    let today = today()?;
    let year = input.year;
    let format = input.format;
    let bytes = state
        .with(move |s| match format {
            ReportFormat::Pdf => s.annual_report_pdf(year, today).map(|p| p.bytes),
            ReportFormat::Xlsx => s.annual_report_xlsx(year, today).map(|x| x.bytes),
        })
        .await?;
    let n = bytes.len();
    write_user_file(input.path.clone(), bytes).await?;
    Ok(SavedFile {
        path: input.path,
        bytes: u32::try_from(n).unwrap_or(u32::MAX),
    })
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct LedgerExportInput {
    /// The year's cases (received in it, or still open during it); `null`: every case.
    pub year: Option<i32>,
    pub path: String,
}

#[tauri::command]
pub async fn export_ledger(state: State<'_, AppState>, input: LedgerExportInput) -> Res<SavedFile> {
    let year = input.year;
    let bytes = state.with(move |s| s.export_ledger(year)).await?;
    let n = bytes.len();
    write_user_file(input.path.clone(), bytes).await?;
    Ok(SavedFile {
        path: input.path,
        bytes: u32::try_from(n).unwrap_or(u32::MAX),
    })
}

/// Reads a workbook the user chose (off the runtime's worker: `with` runs blocking work).
fn read_user_file(path: &str) -> Result<Vec<u8>, guitu_api::ApiError> {
    std::fs::read(path).map_err(|source| guitu_api::ApiError::File {
        path: path.to_owned(),
        source,
    })
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct LedgerInput {
    pub path: String,
    /// `null`: the first sheet with a ledger header.
    pub sheet: Option<String>,
    /// `null`: the mapping Guitu proposes from the header row.
    pub mapping: Option<guitu_api::ledger::Mapping>,
}

#[tauri::command]
pub async fn ledger_preview(
    state: State<'_, AppState>,
    input: LedgerInput,
) -> Res<guitu_api::ledger::LedgerPreview> {
    state
        .with(move |s| {
            let bytes = read_user_file(&input.path)?;
            s.ledger_preview(&bytes, input.sheet.as_deref(), input.mapping)
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct LedgerImportInput {
    pub path: String,
    pub sheet: Option<String>,
    pub mapping: Option<guitu_api::ledger::Mapping>,
    /// The importer's decision for each person who may already be in the vault.
    pub decisions: guitu_api::transfer::ImportDecisions,
}

#[tauri::command]
pub async fn import_ledger(
    state: State<'_, AppState>,
    input: LedgerImportInput,
) -> Res<guitu_api::transfer::ImportReport> {
    state
        .with(move |s| {
            let bytes = read_user_file(&input.path)?;
            let name = std::path::Path::new(&input.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            s.import_ledger(
                &bytes,
                &name,
                input.sheet.as_deref(),
                input.mapping,
                &input.decisions,
            )
        })
        .await
}

// ----- hand-off between devices (issue 11) ------------------------------------------------

/// This device's name, id and fingerprint.
#[tauri::command]
pub async fn device(state: State<'_, AppState>) -> Res<guitu_api::DeviceView> {
    state.with(|s| s.device()).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RenameDeviceInput {
    pub name: String,
}

#[tauri::command]
pub async fn rename_device(
    state: State<'_, AppState>,
    input: RenameDeviceInput,
) -> Res<guitu_api::DeviceView> {
    state.with(move |s| s.rename_device(&input.name)).await
}

/// Writes this device's contact card (public keys only) to the file the user chose.
#[tauri::command]
pub async fn save_device_card(state: State<'_, AppState>, input: PathInput) -> Res<SavedFile> {
    let text = state.with(|s| s.device_card_text()).await?;
    let bytes = text.len();
    write_user_file(input.path.clone(), text.into_bytes()).await?;
    Ok(SavedFile {
        bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        path: input.path,
    })
}

/// A contact card is a few hundred bytes: anything much larger is not one.
const CARD_MAX_BYTES: u64 = 64 * 1024;

fn read_card_file(path: &str) -> Result<String, guitu_api::ApiError> {
    let file_error = |source| guitu_api::ApiError::File {
        path: path.to_owned(),
        source,
    };
    let len = std::fs::metadata(path).map_err(file_error)?.len();
    if len > CARD_MAX_BYTES {
        return Err(guitu_api::ApiError::Input(Problem::BadCard));
    }
    let bytes = std::fs::read(path).map_err(file_error)?;
    String::from_utf8(bytes).map_err(|_| guitu_api::ApiError::Input(Problem::BadCard))
}

/// Reads a peer's contact card from a file, for the user to compare its fingerprint.
#[tauri::command]
pub async fn read_card(
    state: State<'_, AppState>,
    input: PathInput,
) -> Res<guitu_api::CardPreview> {
    state
        .with(move |s| s.read_card(&read_card_file(&input.path)?))
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AddPeerInput {
    /// The card file the user opened (read again: what is added is what is in the file).
    pub path: String,
    pub kind: guitu_domain::handoff::RecipientKind,
    /// The fingerprint the user compared with the other side.
    pub fingerprint: String,
}

#[tauri::command]
pub async fn add_peer(state: State<'_, AppState>, input: AddPeerInput) -> Res<guitu_api::PeerView> {
    state
        .with(move |s| {
            let text = read_card_file(&input.path)?;
            s.add_peer(&text, input.kind, &input.fingerprint)
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PeerRef {
    pub device_id: String,
}

#[tauri::command]
pub async fn remove_peer(state: State<'_, AppState>, input: PeerRef) -> Res<()> {
    state.with(move |s| s.remove_peer(&input.device_id)).await
}

#[tauri::command]
pub async fn peers(state: State<'_, AppState>) -> Res<Vec<guitu_api::PeerView>> {
    state.with(|s| s.peers()).await
}

/// A peer a case was handed off to, with the basis it went on.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CaseHandoff {
    pub peer: guitu_api::PeerView,
    pub basis: Option<guitu_domain::handoff::HandoffBasis>,
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CaseIdInput {
    pub case_id: Uuid,
}

#[tauri::command]
pub async fn case_handoffs(
    state: State<'_, AppState>,
    input: CaseIdInput,
) -> Res<Vec<CaseHandoff>> {
    state
        .with(move |s| {
            Ok(s.case_handoffs(input.case_id)?
                .into_iter()
                .map(|(peer, basis)| CaseHandoff { peer, basis })
                .collect())
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct HandoffInput {
    pub device_id: String,
    /// The cases to send; `null`: every case shared with the peer.
    pub cases: Option<Vec<Uuid>>,
}

/// What "send to…" would rely on, and the file name the save dialog offers.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SendPlan {
    pub plan: guitu_api::HandoffPlan,
    pub file_name: String,
}

#[tauri::command]
pub async fn handoff_plan(state: State<'_, AppState>, input: HandoffInput) -> Res<SendPlan> {
    let today = today()?;
    state
        .with(move |s| {
            let plan = s.handoff_plan(&input.device_id, input.cases.as_deref(), today)?;
            let file_name = guitu_api::bundle_file_name(&plan.peer, today);
            Ok(SendPlan { plan, file_name })
        })
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CreateBundleInput {
    pub device_id: String,
    pub cases: Option<Vec<Uuid>>,
    /// The legal basis for the cases without consent (as `handoff_plan` said).
    pub basis: Option<guitu_domain::handoff::LegalBasis>,
    pub note: Option<String>,
    pub path: String,
}

#[tauri::command]
pub async fn create_bundle(
    state: State<'_, AppState>,
    input: CreateBundleInput,
) -> Res<guitu_api::BundleMade> {
    let today = today()?;
    state
        .with(move |s| {
            let legal = input
                .basis
                .map(|b| guitu_domain::handoff::HandoffBasis::legal(b, input.note.as_deref()));
            s.create_bundle(
                &input.device_id,
                input.cases.as_deref(),
                legal,
                today,
                std::path::Path::new(&input.path),
            )
        })
        .await
}

#[tauri::command]
pub async fn open_bundle(
    state: State<'_, AppState>,
    input: PathInput,
) -> Res<guitu_api::MergeReport> {
    state
        .with(move |s| s.open_bundle(std::path::Path::new(&input.path)))
        .await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ConflictsInput {
    /// One case's conflicts; `null`: every case's the user may read.
    pub case_id: Option<Uuid>,
}

#[tauri::command]
pub async fn conflicts(
    state: State<'_, AppState>,
    input: ConflictsInput,
) -> Res<Vec<guitu_api::ConflictView>> {
    state.with(move |s| s.conflicts(input.case_id)).await
}

#[tauri::command]
pub async fn conflict_count(state: State<'_, AppState>) -> Res<u64> {
    state.with(|s| s.conflict_count()).await
}

#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ResolveConflictInput {
    #[ts(type = "number")]
    pub id: i64,
    pub choice: guitu_api::ConflictChoice,
}

#[tauri::command]
pub async fn resolve_conflict(state: State<'_, AppState>, input: ResolveConflictInput) -> Res<()> {
    state
        .with(move |s| s.resolve_conflict(input.id, input.choice))
        .await
}

/// The bundle file the app was started on (or handed by a second start), once: the UI
/// asks whether to open it after unlocking.
#[tauri::command]
pub async fn pending_bundle(state: State<'_, AppState>) -> Res<Option<String>> {
    Ok(state.take_pending_bundle().map(|p| p.display().to_string()))
}

/// The event that tells the UI a bundle file was handed to the running app.
pub const BUNDLE_EVENT: &str = "bundle-pending";
