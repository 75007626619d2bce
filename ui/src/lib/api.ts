// The only module that talks to the Rust shell (docs/desktop-commands.md).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AddUserInput,
  PersonInput,
  RecordRef,
  VoidCaseInput,
  VoidedCase,
  VoidRecordInput,
  FlagFacts,
  ImpliedFlags,
  AnnualReport,
  ImportReport,
  LedgerExportInput,
  LedgerImportInput,
  LedgerInput,
  LedgerPreview,
  SaveReportInput,
  YearInput,
  ApprovalInput,
  ApprovalRequest,
  AuditInput,
  AuditRow,
  DecisionInput,
  DuplicateCandidate,
  DuplicateCheckInput,
  DuplicateScan,
  LimitInput,
  LinkCaseInput,
  MergeEntry,
  MergeInput,
  Merged,
  NotDuplicateCaseInput,
  PersonPairInput,
  UndoMergeInput,
  MyApprovals,
  RekeyProgress,
  RemoveUserInput,
  ResetPassphraseInput,
  User,
  UserRemoved,
  AppStatus,
  Change,
  CaseFacets,
  CaseList,
  CaseListQuery,
  CaseRecord,
  CaseRef,
  CaseView,
  ChangePassphraseInput,
  CreateVaultInput,
  Dashboard,
  DemoInput,
  DashboardInput,
  ImportCounts,
  NewCase,
  PathInput,
  Person,
  Case,
  PrintRequest,
  PrintResult,
  PrintPlan,
  PrintPlanRequest,
  PrinterRequest,
  PrinterJob,
  PrintJobEvent,
  RecordInput,
  RuleSettings,
  SavedFile,
  SaveOutcome,
  SettingsView,
  UnlockInput,
  RecoverInput,
  OpenTrainingInput,
  TrainingOpened,
  VaultCreated,
  Warning,
  AddPeerInput,
  BundleMade,
  CardPreview,
  CaseHandoff,
  CaseIdInput,
  ConflictView,
  ConflictsInput,
  CreateBundleInput,
  DeviceView,
  HandoffInput,
  MergeReport,
  PeerRef,
  PeerView,
  RenameDeviceInput,
  ResolveConflictInput,
  SendPlan,
} from './types';
import type { DomainError } from '../bindings/DomainError';
import type { Problem } from '../bindings/Problem';
import { isRule, type UiProblem } from '../i18n/codes';
import { codesZh } from '../i18n/codes.zh-CN';

/** A failed command: the typed problem the shell reported (or `ui.unexpected`). */
export class ApiError extends Error {
  constructor(
    readonly problem: UiProblem,
    detail?: string,
  ) {
    super(detail ?? problem.code);
  }

  /** The stable code (`vault.wrong_passphrase`, `rule.required` …). */
  get code(): UiProblem['code'] {
    return this.problem.code;
  }

  /** The refusal of a domain rule (shown next to the form, or the field, that caused it). */
  get rule(): DomainError | null {
    return isRule(this.problem) ? this.problem : null;
  }
}

/** Whether a value the shell rejected with is a problem of a code the catalogue knows. */
function isProblem(e: unknown): e is Problem {
  return (
    typeof e === 'object' &&
    e !== null &&
    'code' in e &&
    typeof e.code === 'string' &&
    e.code !== 'ui.unexpected' &&
    e.code in codesZh.problems
  );
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isProblem(e)) return new ApiError(e);
  // Not a problem of the command contract (a bug, a plugin's error): the detail goes to
  // the console only, the user gets a sentence in their language.
  console.error('unexpected error', e);
  return new ApiError({ code: 'ui.unexpected' }, e instanceof Error ? e.message : String(e));
}

type LockReason = 'idle' | 'user' | 'refused';
const lockListeners = new Set<(reason: LockReason) => void>();

/** Calls `fn` whenever the vault is locked (shell event, or a command refused because of it). */
export function onLocked(fn: (reason: LockReason) => void): () => void {
  lockListeners.add(fn);
  return () => lockListeners.delete(fn);
}

function isLockedError(err: ApiError): boolean {
  return err.code === 'app.locked';
}

async function call<T>(command: string, input?: unknown): Promise<T> {
  try {
    return await invoke<T>(command, input === undefined ? undefined : { input });
  } catch (e) {
    const err = toApiError(e);
    if (isLockedError(err)) lockListeners.forEach((fn) => fn('refused'));
    throw err;
  }
}

let unlisten: Promise<UnlistenFn> | null = null;

/** Starts listening to the shell's `vault-locked` event (once). */
export function listenForLock(): void {
  if (unlisten) return;
  unlisten = listen<{ reason: 'idle' | 'user' }>('vault-locked', (event) => {
    const reason = event.payload?.reason ?? 'idle';
    lockListeners.forEach((fn) => fn(reason));
  });
  unlisten.catch((e) => {
    console.error('vault-locked: cannot listen', e);
    unlisten = null;
  });
}

export const appStatus = () => call<AppStatus>('app_status');
export const createVault = (input: CreateVaultInput) => call<VaultCreated>('create_vault', input);
export const unlock = (input: UnlockInput) => call<AppStatus>('unlock', input);
export const recover = (input: RecoverInput) => call<AppStatus>('recover', input);
export const openTraining = (input: OpenTrainingInput) => call<TrainingOpened>('open_training', input);
export const lock = () => call<null>('lock');
export const touch = () => call<null>('touch');
export const addDemo = (input: DemoInput) => call<ImportCounts>('add_demo', input);
export const listCases = (input: CaseListQuery) => call<CaseList>('list_cases', input);
export const caseFacets = () => call<CaseFacets>('case_facets');
export const caseView = (input: CaseRef) => call<CaseView>('case_view', input);
export const createCase = (input: NewCase) => call<SaveOutcome<string>>('create_case', input);
export const updatePerson = (input: Person) => call<SaveOutcome<Array<Change>>>('update_person', input);
export const updateCase = (input: Case) => call<SaveOutcome<Array<Change>>>('update_case', input);
export const checkRecord = (input: RecordInput) => call<Array<Warning>>('check_record', input);
export const checkPerson = (input: Person) => call<Array<Warning>>('check_person', input);
export const impliedFlags = (input: FlagFacts) => call<ImpliedFlags>('implied_flags', input);
export const checkSettings = (input: RuleSettings) => call<null>('check_settings', input);
export const addRecord = (input: RecordInput) => call<SaveOutcome<CaseRecord>>('add_record', input);
export const updateRecord = (input: RecordInput) => call<SaveOutcome<CaseRecord>>('update_record', input);
export const dashboard = (input: DashboardInput) => call<Dashboard>('dashboard', input);
export const getSettings = () => call<SettingsView>('get_settings');
export const saveSettings = (input: RuleSettings) => call<SettingsView>('save_settings', input);
export const loadCalendar = (input: PathInput) => call<SettingsView>('load_calendar', input);
export const changePassphrase = (input: ChangePassphraseInput) => call<null>('change_passphrase', input);
export const printCase = (input: PrintRequest) => call<PrintResult>('print_case', input);
export const printPlan = (input: PrintPlanRequest) => call<PrintPlan>('print_plan', input);
export const printToPrinter = (input: PrinterRequest) => call<PrinterJob>('print_to_printer', input);
export const exportJson = (input: PathInput) => call<SavedFile>('export_json', input);
export const listUsers = () => call<Array<User>>('list_users');
export const addUser = (input: AddUserInput) => call<User>('add_user', input);
export const updateUser = (input: User) => call<null>('update_user', input);
export const resetPassphrase = (input: ResetPassphraseInput) => call<null>('reset_passphrase', input);
export const removeUser = (input: RemoveUserInput) => call<UserRemoved>('remove_user', input);
export const requestApproval = (input: ApprovalInput) => call<ApprovalRequest>('request_approval', input);
export const decideApproval = (input: DecisionInput) => call<ApprovalRequest>('decide_approval', input);
export const myApprovals = () => call<MyApprovals>('my_approvals');
export const audit = (input: AuditInput) => call<Array<AuditRow>>('audit', input);
export const duplicateCandidates = (input: DuplicateCheckInput) =>
  call<Array<DuplicateCandidate>>('duplicate_candidates', input);
export const linkCase = (input: LinkCaseInput) => call<SaveOutcome<string>>('link_case', input);
export const createCaseNotDuplicate = (input: NotDuplicateCaseInput) =>
  call<SaveOutcome<string>>('create_case_not_duplicate', input);
export const duplicatePairs = (input: LimitInput) => call<DuplicateScan>('duplicate_pairs', input);
export const markNotDuplicate = (input: PersonPairInput) => call<null>('mark_not_duplicate', input);
export const mergePersons = (input: MergeInput) => call<Merged>('merge_persons', input);
export const undoMerge = (input: UndoMergeInput) => call<null>('undo_merge', input);
export const merges = (input: LimitInput) => call<Array<MergeEntry>>('merges', input);
export const annualReport = (input: YearInput) => call<AnnualReport>('annual_report', input);
export const saveAnnualReport = (input: SaveReportInput) => call<SavedFile>('save_annual_report', input);
export const exportLedger = (input: LedgerExportInput) => call<SavedFile>('export_ledger', input);
export const ledgerPreview = (input: LedgerInput) => call<LedgerPreview>('ledger_preview', input);
export const importLedger = (input: LedgerImportInput) => call<ImportReport>('import_ledger', input);
export const updatePersonConfirmed = (input: PersonInput) =>
  call<SaveOutcome<Array<Change>>>('update_person_confirmed', input);
export const voidRecord = (input: VoidRecordInput) => call<null>('void_record', input);
export const restoreRecord = (input: RecordRef) => call<null>('restore_record', input);
export const voidCase = (input: VoidCaseInput) => call<null>('void_case', input);
export const restoreCase = (input: CaseRef) => call<null>('restore_case', input);
export const voidedCases = () => call<Array<VoidedCase>>('voided_cases');
// Hand-off between devices (issue 11).
export const device = () => call<DeviceView>('device');
export const renameDevice = (input: RenameDeviceInput) => call<DeviceView>('rename_device', input);
export const saveDeviceCard = (input: PathInput) => call<SavedFile>('save_device_card', input);
export const readCard = (input: PathInput) => call<CardPreview>('read_card', input);
export const addPeer = (input: AddPeerInput) => call<PeerView>('add_peer', input);
export const removePeer = (input: PeerRef) => call<null>('remove_peer', input);
export const peers = () => call<Array<PeerView>>('peers');
export const caseHandoffs = (input: CaseIdInput) => call<Array<CaseHandoff>>('case_handoffs', input);
export const handoffPlan = (input: HandoffInput) => call<SendPlan>('handoff_plan', input);
export const createBundle = (input: CreateBundleInput) => call<BundleMade>('create_bundle', input);
export const openBundle = (input: PathInput) => call<MergeReport>('open_bundle', input);
export const conflicts = (input: ConflictsInput) => call<Array<ConflictView>>('conflicts', input);
export const conflictCount = () => call<number>('conflict_count');
export const resolveConflict = (input: ResolveConflictInput) => call<null>('resolve_conflict', input);
export const pendingBundle = () => call<string | null>('pending_bundle');

/** Calls `fn` when a bundle file is handed to the running app (a double-clicked `.guitu`). */
export function onBundlePending(fn: () => void): Promise<UnlistenFn> {
  return listen('bundle-pending', () => fn());
}

/** Calls `fn` with the progress of a re-key (after removing a user) until the returned function is called. */
export function onRekeyProgress(fn: (p: RekeyProgress) => void): Promise<UnlistenFn> {
  return listen<RekeyProgress>('rekey-progress', (event) => fn(event.payload));
}

/** Calls `fn` with each step of the print jobs sent to a printer until the returned function is called. */
export function onPrintJob(fn: (e: PrintJobEvent) => void): Promise<UnlistenFn> {
  return listen<PrintJobEvent>('print-job', (event) => fn(event.payload));
}
