// The only module that talks to the Rust shell (docs/desktop-commands.md).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
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
  ImportCounts,
  NewCase,
  PathInput,
  Person,
  Case,
  PrintRequest,
  PrintResult,
  RecordInput,
  RuleSettings,
  SavedFile,
  SaveOutcome,
  SettingsView,
  UnlockInput,
  VaultCreated,
  Warning,
} from './types';

/** A failed command: `code` is stable (e.g. `vault.wrong_passphrase`), `message` is "中文 / English". */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** True when the code is `name` or ends in `.name` (`wrong_passphrase` matches `vault.wrong_passphrase`). */
  is(name: string): boolean {
    return this.code === name || this.code.endsWith('.' + name);
  }

  /** A refusal by a domain rule (shown next to the form that caused it). */
  get isRule(): boolean {
    return this.code.startsWith('rule.') || RULE_CODES.has(this.code);
  }
}

const RULE_CODES = new Set([
  'invalid_resident_id',
  'discharge_before_admission',
  'end_before_start',
  'placement_with_buyer',
  'employment_under_16',
  'required',
  'invalid_value',
  'legal_aid_step_order',
  'repeat_interview_needs_reason',
  'bad_calendar',
  'bad_setting',
]);

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const p = e as { code: unknown; message: unknown };
    return new ApiError(String(p.code), String(p.message));
  }
  if (e instanceof Error) return new ApiError('ui.unexpected', e.message);
  return new ApiError('ui.unexpected', String(e));
}

type LockReason = 'idle' | 'user' | 'refused';
const lockListeners = new Set<(reason: LockReason) => void>();

/** Calls `fn` whenever the vault is locked (shell event, or a command refused because of it). */
export function onLocked(fn: (reason: LockReason) => void): () => void {
  lockListeners.add(fn);
  return () => lockListeners.delete(fn);
}

function isLockedError(err: ApiError): boolean {
  return /(^|\.)(vault_)?locked$/.test(err.code);
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
export const addRecord = (input: RecordInput) => call<SaveOutcome<CaseRecord>>('add_record', input);
export const updateRecord = (input: RecordInput) => call<SaveOutcome<CaseRecord>>('update_record', input);
export const dashboard = () => call<Dashboard>('dashboard');
export const getSettings = () => call<SettingsView>('get_settings');
export const saveSettings = (input: RuleSettings) => call<SettingsView>('save_settings', input);
export const loadCalendar = (input: PathInput) => call<SettingsView>('load_calendar', input);
export const changePassphrase = (input: ChangePassphraseInput) => call<null>('change_passphrase', input);
export const printCase = (input: PrintRequest) => call<PrintResult>('print_case', input);
export const exportJson = (input: PathInput) => call<SavedFile>('export_json', input);
