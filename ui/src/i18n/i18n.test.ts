// The catalogues: the same keys and placeholders in both languages, every code of the Rust
// side rendered in each language without placeholders left over and without the other
// language's words; dates, names and field labels.
import { describe, expect, it } from 'vitest';
import labels from '../bindings/labels.json';
import { SCHEMA } from '../bindings/schema';
import type {
  BackupProblem,
  BundleProblem,
  CalendarProblem,
  DomainError,
  DueWhat,
  IdNumberProblem,
  ImportProblem,
  IoKind,
  SettingProblem,
  Thing,
  UnknownParentsGuidance,
  ValueKind,
  Warning,
} from '../lib/types';
import { type ParamsOf, type ProblemCode, type UiProblem, type WarningCode, type WarningParamsOf, renderDueWhat, renderProblem, renderWarning } from './codes';
import { codesEn } from './codes.en';
import { codesZh } from './codes.zh-CN';
import { en } from './en';
import { LANGS, fieldLabel, formatDate, formatDayMonth, personName, type Lang } from './format';
import { CODES, MESSAGES, i18n, message, problemText } from './index.svelte';
import { zhCN } from './zh-CN';

// ----- what counts as the other language ------------------------------------------------

/** Chinese characters and full-width punctuation. */
const HAN = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
/** Words of Latin letters a Chinese text may hold: rule ids, formats, a command. */
const ALLOWED_LATIN = /R-[A-Z0-9]+(?:-[A-Z0-9]+)*|PDF|JSON|UUID|YYYY-MM-DD|guitu verify|Excel|\.xlsx|\.xls|\.pdf/g;
const LATIN_WORD = /[A-Za-z]{2,}/;

function foreign(text: string, lang: Lang): string | null {
  if (lang === 'en') return HAN.exec(text)?.[0] ?? null;
  return LATIN_WORD.exec(text.replace(ALLOWED_LATIN, ''))?.[0] ?? null;
}

function expectClean(text: string, lang: Lang, what: string) {
  expect(text, what).not.toBe('');
  expect(text, `${what}: a placeholder is left`).not.toMatch(/\{\w+\}|\$\{/);
  expect(text, `${what}: a value did not render`).not.toMatch(/undefined|null|NaN|\[object/);
  expect(foreign(text, lang), `${what} (${lang}) holds the other language: ${text}`).toBeNull();
}

// ----- the UI's own messages ---------------------------------------------------------------

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI message catalogues', () => {
  it('have the same keys and placeholders in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('hold no word of the other language (language names aside)', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) {
        if (key.startsWith('lang.')) continue;
        expect(foreign(text.replace(/\{\w+\}/g, ''), lang), `${lang} ${key}: ${text}`).toBeNull();
      }
    }
  });

  it('call the passphrase 密码 in Chinese, one word everywhere (never 口令)', () => {
    const other = ['口', '令'].join('');
    for (const [key, text] of Object.entries(MESSAGES['zh-CN'])) {
      expect(text.includes(other), `zh-CN ${key} says ${other}: ${text}`).toBe(false);
    }
    // The code catalogue's texts are strings and functions (whose source holds every
    // Chinese word they can say), nested by kind.
    const walk = (v: unknown, path: string): void => {
      if (typeof v === 'string' || typeof v === 'function') {
        expect(String(v).includes(other), `codes.zh-CN ${path} says ${other}`).toBe(false);
      } else if (v && typeof v === 'object') {
        for (const [k, inner] of Object.entries(v)) walk(inner, `${path}.${k}`);
      }
    };
    walk(codesZh, 'codesZh');
  });

  it('pick the singular form for one', () => {
    expect(message('en', 'common.days', { n: 1 })).toBe('1 day');
    expect(message('en', 'common.days', { n: 3 })).toBe('3 days');
    expect(message('zh-CN', 'common.days', { n: 1 })).toBe('1天');
  });
});

// ----- every code, with samples of every sub-problem ---------------------------------------

const AT = { list: 'records', index: 2, id: null };
const CELL = { sheet: '2026', sheet_index: 1, row: 7, letter: 'E', header: '3', column: 'resident_id' };
const RULE: DomainError = { code: 'rule.end_before_start', params: { field: 'shelter_stay.discharged', start_field: 'shelter_stay.admitted', start: '2026-01-10', end: '2026-01-09' } };

/** One sample of every problem code (a missing code is a type error). */
const PROBLEMS: { [C in ProblemCode]: ParamsOf<C> } = {
  'vault.wrong_passphrase': undefined,
  'vault.no_vault': { dir: '/v1' },
  'vault.exists': { dir: '/v1' },
  'vault.not_writable': { path: '/v1/2' },
  'vault.disk_full': { dir: '/v1' },
  'vault.io': { path: '/v1/2', kind: 'permission_denied' },
  'vault.header_corrupt': undefined,
  'vault.newer_version': { found: 3, supported: 2 },
  'vault.crypto': undefined,
  'vault.weak_passphrase': { min: 10 },
  'vault.last_slot': undefined,
  'vault.not_found': { what: 'case', reference: '2026-0001' },
  'vault.duplicate': { what: 'case_number', value: '2026-0001' },
  'vault.corrupt': undefined,
  'vault.bad_backup': { reason: { problem: 'audit_broken', seq: 7 } },
  'vault.database_missing': { dir: '/v1' },
  'vault.database_empty': { dir: '/v1' },
  'vault.changes_missing': { dir: '/v1', missing: 3, last_known_on: '2026-11-27' },
  'vault.history_diverged': { dir: '/v1', seq: 41 },
  'vault.checkpoint_missing': { dir: '/v1' },
  'vault.checkpoint_invalid': { dir: '/v1' },
  'vault.header_rolled_back': { dir: '/v1', found: 2, expected: 3 },
  'vault.restore_other_vault': undefined,
  'vault.restore_older': { backup_changes: 10, current_changes: 12, backup_last_on: '2026-11-20' },
  'vault.case_person_fixed': undefined,
  'vault.record_kind_fixed': undefined,
  'vault.same_person': undefined,
  'vault.merge_undone': undefined,
  'vault.voided': undefined,
  'vault.not_voided': undefined,
  'vault.internal': undefined,
  'import.not_json': { line: 3, column: 9 },
  'import.trailing': { line: 3, column: 9 },
  'import.format': { supported: 1 },
  'import.invalid': { path: '[0]', problem: { problem: 'missing_field', field: '1' } },
  'import.rule': { at: AT, error: RULE },
  'import.duplicate_id': { at: AT },
  'import.duplicate_case_number': { at: { ...AT, id: '0190' }, case_number: '2026-0001' },
  'import.missing_reference': { at: AT, field: '1', target: '2' },
  'import.undecided_duplicates': { count: 2 },
  'ledger.not_workbook': undefined,
  'ledger.no_sheet': { sheet: '2026' },
  'ledger.no_header': undefined,
  'ledger.missing_column': { column: 'received_date', header: '3' },
  'ledger.column_twice': { column: 'name', header: '3' },
  'ledger.bad_map': undefined,
  'ledger.unknown_map_column': { given: '3', allowed: ['1', '2'] },
  'ledger.map_header_missing': undefined,
  'ledger.no_institution': undefined,
  'ledger.empty': undefined,
  'ledger.already_imported': undefined,
  'ledger.write_failed': undefined,
  'ledger.missing_value': { at: CELL },
  'ledger.not_a_date': { at: CELL },
  'ledger.impossible_date': { at: CELL },
  'ledger.future_date': { at: CELL },
  'ledger.bad_id_number': { at: CELL, problem: 'check_character' },
  'ledger.id_as_number': { at: CELL },
  'ledger.unknown_value': { at: CELL, allowed: ['1', '2'] },
  'ledger.too_long': { at: CELL, max: 50 },
  'ledger.error_cell': { at: CELL },
  'ledger.rule': { at: CELL, error: RULE },
  'file.io': { path: '/1/2', kind: 'not_found' },
  'print.weak_password': { min: 6 },
  'print.failed': undefined,
  'handoff.basis_needed': { recipient: 'police', allowed: ['assistance_duty', 'police_request'] },
  'input.bad_date': { value: '2026-02-30' },
  'input.bad_year': { given: 1800, min: 1900, max: 2100 },
  'input.empty_user': undefined,
  'input.passphrases_differ': undefined,
  'input.unknown_print_kind': { given: '1', allowed: ['2', '3'] },
  'input.unknown_basis': { given: '1', allowed: ['2', '3'] },
  'input.unknown_recipient_kind': { given: '1', allowed: ['2', '3'] },
  'bundle.refused': { reason: { problem: 'forged' } },
  'bundle.no_cases': undefined,
  'peer.bad_card': undefined,
  'peer.own_device': undefined,
  'peer.fingerprint_mismatch': undefined,
  'peer.unknown': { given: '1' },
  'conflict.bad_value': undefined,
  'input.unknown_role': { given: '1', allowed: ['2', '3'] },
  'input.unknown_subject': { given: '1', allowed: ['2', '3'] },
  'input.bad_person_pair': { given: '1' },
  'input.no_data_dir': undefined,
  'input.no_terminal': { variable: '1' },
  'demo.real_vault': undefined,
  'training.already_open': undefined,
  'app.locked': undefined,
  'app.internal': undefined,
  'ui.unexpected': undefined,
  'rule.invalid_resident_id': { problem: 'check_character' },
  'rule.required': { field: 'shelter_stay.institution' },
  'rule.name_or_intake_number': undefined,
  'rule.too_long': { field: 'person.guardians.name', max: 50 },
  'rule.bad_characters': { field: 'placement.district_approval.by' },
  'rule.out_of_range': { field: 'person.disability.grade', min: 1, max: 4 },
  'rule.date_out_of_range': { field: 'case.received_date', min_year: 1900, max_year: 2100 },
  'rule.end_before_start': RULE.params,
  'rule.date_after_today': { field: 'track_step.date', today: '2026-11-29' },
  'confirm.needed': { warnings: [{ code: 'warn.birth_date_in_future' }] },
  'rule.placement_with_buyer': undefined,
  'rule.employment_under_16': { age: 15 },
  'rule.employment_not_wanted': undefined,
  'rule.verified_date_without_verified': undefined,
  'rule.legal_aid_after_refusal': { step: 'assign' },
  'rule.legal_aid_step_order': { step: 'decide', date: '2026-03-01', previous: '2026-03-05' },
  'rule.repeat_interview_needs_reason': undefined,
  'rule.bad_calendar': { problem: { problem: 'two_holidays', date: '2026-10-01' } },
  'rule.bad_setting': { problem: { problem: 'idle_minutes', min: 1, max: 240 } },
  'permission.denied': { permission: 'manage_users', record_kind: 'legal_aid' },
  'approval.self': undefined,
  'approval.decided': undefined,
  'approval.needed': { subject: 'closure' },
  'user.disabled': undefined,
  'user.unknown': undefined,
  'user.exists': undefined,
  'user.self': undefined,
  'user.last_administrator': undefined,
  'user.must_unlock': { users: ['1', '2'] },
};

const WARNINGS: { [C in WarningCode]: WarningParamsOf<C> } = {
  'warn.age_unknown': undefined,
  'warn.estimated_birth_date': { age: 16 },
  'warn.school_summary_for_adult': { age: 20, estimated: true },
  'warn.school_summary_age_unknown': undefined,
  'warn.id_birth_date_mismatch': { id_birth: '2010-05-01', recorded: '2011-04-02' },
  'warn.calendar_fallback': { years: [2027, 2028] },
  'warn.minor_interview_without_guardian': undefined,
  'warn.district_approval_needed': undefined,
  'warn.unknown_parents': { guidance: 'temporary_guardianship' },
  'warn.before_intake': { field: 'note.date', received: '2025-11-30' },
  'warn.birth_date_in_future': undefined,
  'warn.age_over_100': { age: 101 },
};

const SETTINGS: { [P in SettingProblem['problem']]: Extract<SettingProblem, { problem: P }> } = {
  case_prefix: { problem: 'case_prefix', max: 8 },
  idle_minutes: { problem: 'idle_minutes', min: 1, max: 240 },
  lead_days: { problem: 'lead_days', max: 90 },
  step_target: { problem: 'step_target', step: 'district_approval', max: 250 },
  step_order: { problem: 'step_order', step: 'social_assistance', previous: 'household_registration' },
  legal_aid_target: { problem: 'legal_aid_target', channel: 'green', step: 'handle', max: 250 },
  accept_after_decide: { problem: 'accept_after_decide', channel: 'ordinary' },
  green_slower: { problem: 'green_slower', step: 'assign' },
  duplicate_scores: { problem: 'duplicate_scores', min: 20, max: 200 },
  office: { problem: 'office', max: 50 },
};

const CALENDAR: { [P in CalendarProblem['problem']]: Extract<CalendarProblem, { problem: P }> } = {
  not_calendar: { problem: 'not_calendar', line: 1, column: 2 },
  no_source: { problem: 'no_source', year: 2027 },
  no_holiday_name: { problem: 'no_holiday_name', year: 2027 },
  outside_year: { problem: 'outside_year', year: 2027, date: '2026-12-31' },
  two_holidays: { problem: 'two_holidays', date: '2027-01-01' },
  holiday_and_workday: { problem: 'holiday_and_workday', date: '2027-01-01' },
  makeup_not_weekend: { problem: 'makeup_not_weekend', date: '2027-01-04' },
};

const IMPORTS: { [P in ImportProblem['problem']]: Extract<ImportProblem, { problem: P }> } = {
  unknown_value: { problem: 'unknown_value', allowed: ['1', '2'] },
  missing_field: { problem: 'missing_field', field: '1' },
  unknown_field: { problem: 'unknown_field', field: '1' },
  wrong_type: { problem: 'wrong_type', expected: 'date' },
  bad_date: { problem: 'bad_date' },
  bad_id: { problem: 'bad_id' },
  too_long: { problem: 'too_long' },
  invalid: { problem: 'invalid' },
};

const BACKUPS: { [P in BackupProblem['problem']]: Extract<BackupProblem, { problem: P }> } = {
  not_backup: { problem: 'not_backup' },
  checksum: { problem: 'checksum' },
  truncated: { problem: 'truncated' },
  header: { problem: 'header' },
  database_open: { problem: 'database_open' },
  integrity: { problem: 'integrity' },
  trailing_data: { problem: 'trailing_data' },
  audit_empty: { problem: 'audit_empty' },
  audit_broken: { problem: 'audit_broken', seq: 12 },
};

const BUNDLES: { [P in BundleProblem['problem']]: Extract<BundleProblem, { problem: P }> } = {
  not_a_bundle: { problem: 'not_a_bundle' },
  not_for_this_device: { problem: 'not_for_this_device' },
  damaged: { problem: 'damaged' },
  unknown_sender: { problem: 'unknown_sender' },
  removed_sender: { problem: 'removed_sender' },
  forged: { problem: 'forged' },
  newer_format: { problem: 'newer_format', version: 2 },
  own_bundle: { problem: 'own_bundle' },
  missing_base: { problem: 'missing_base' },
  invalid: { problem: 'invalid' },
  case_number_taken: { problem: 'case_number_taken' },
  not_shared: { problem: 'not_shared' },
};

const ID_NUMBERS: { [P in IdNumberProblem]: P } = {
  length: 'length',
  characters: 'characters',
  birth_date: 'birth_date',
  check_character: 'check_character',
};
const IO: { [K in IoKind]: K } = {
  not_found: 'not_found',
  permission_denied: 'permission_denied',
  already_exists: 'already_exists',
  disk_full: 'disk_full',
  read_only: 'read_only',
  is_a_directory: 'is_a_directory',
  other: 'other',
};
const THINGS: { [T in Thing]: T } = {
  case: 'case',
  person: 'person',
  record: 'record',
  case_number: 'case_number',
  user: 'user',
  key_slot: 'key_slot',
  id: 'id',
  approval: 'approval',
  merge: 'merge',
  peer: 'peer',
  conflict: 'conflict',
};
const VALUE_KINDS: { [K in ValueKind]: K } = {
  text: 'text',
  number: 'number',
  bool: 'bool',
  list: 'list',
  object: 'object',
  date: 'date',
  time: 'time',
  other: 'other',
};
const GUIDANCE: { [G in UnknownParentsGuidance]: G } = {
  not_applicable: 'not_applicable',
  temporary_guardianship: 'temporary_guardianship',
  child_welfare: 'child_welfare',
  done: 'done',
};
const DUE: DueWhat[] = [
  { kind: 'id3m_deadline' },
  { kind: 'id3m_step', step: 'town_placement' },
  { kind: 'legal_aid_step', step: 'decide', green_channel: true },
  { kind: 'legal_aid_step', step: 'accept', green_channel: false },
  { kind: 'follow_up_visit' },
];

function problemOf(code: string, params: unknown): UiProblem {
  // A sample table entry as the shell sends it (codes without parameters have none).
  return JSON.parse(JSON.stringify(params === undefined ? { code } : { code, params }));
}

/** Every problem to render: each code once, and each sub-problem inside its code. */
function allProblems(): UiProblem[] {
  const out = Object.entries(PROBLEMS).map(([code, params]) => problemOf(code, params));
  for (const p of Object.values(SETTINGS)) out.push({ code: 'rule.bad_setting', params: { problem: p } });
  for (const p of Object.values(CALENDAR)) out.push({ code: 'rule.bad_calendar', params: { problem: p } });
  for (const p of Object.values(IMPORTS)) out.push({ code: 'import.invalid', params: { path: '[1]', problem: p } });
  for (const p of Object.values(BACKUPS)) out.push({ code: 'vault.bad_backup', params: { reason: p } });
  for (const p of Object.values(BUNDLES)) out.push({ code: 'bundle.refused', params: { reason: p } });
  for (const p of Object.values(ID_NUMBERS)) out.push({ code: 'rule.invalid_resident_id', params: { problem: p } });
  for (const k of Object.values(IO)) out.push({ code: 'file.io', params: { path: '/1', kind: k } });
  for (const w of Object.values(THINGS)) out.push({ code: 'vault.not_found', params: { what: w, reference: '1' } });
  for (const k of Object.values(VALUE_KINDS))
    out.push({ code: 'import.invalid', params: { path: '[1]', problem: { problem: 'wrong_type', expected: k } } });
  // optional dates left out
  out.push({ code: 'vault.changes_missing', params: { dir: '/1', missing: 1, last_known_on: null } });
  out.push({ code: 'vault.restore_older', params: { backup_changes: 1, current_changes: 2, backup_last_on: null } });
  return out;
}

function allWarnings(): Warning[] {
  const out: Warning[] = Object.entries(WARNINGS).map(([code, params]) => JSON.parse(JSON.stringify(params === undefined ? { code } : { code, params })));
  for (const g of Object.values(GUIDANCE)) out.push({ code: 'warn.unknown_parents', params: { guidance: g } });
  return out;
}

describe('code catalogues', () => {
  it('know every code the type lists, in both languages', () => {
    expect(Object.keys(codesZh.problems).sort()).toEqual(Object.keys(PROBLEMS).sort());
    expect(Object.keys(codesEn.problems).sort()).toEqual(Object.keys(PROBLEMS).sort());
    expect(Object.keys(codesEn.warnings).sort()).toEqual(Object.keys(WARNINGS).sort());
  });

  for (const lang of LANGS) {
    it(`render every problem in ${lang}`, () => {
      for (const p of allProblems()) expectClean(renderProblem(p, lang, CODES[lang]), lang, JSON.stringify(p));
    });
    it(`render every warning in ${lang}`, () => {
      for (const w of allWarnings()) expectClean(renderWarning(w, lang, CODES[lang]), lang, JSON.stringify(w));
    });
    it(`render every deadline in ${lang}`, () => {
      for (const d of DUE) expectClean(renderDueWhat(d, lang, CODES[lang]), lang, JSON.stringify(d));
    });
  }

  it('label the fields a rule error names, nested paths joined', () => {
    const zh = (p: UiProblem) => renderProblem(p, 'zh-CN', codesZh);
    const english = (p: UiProblem) => renderProblem(p, 'en', codesEn);
    expect(zh({ code: 'rule.required', params: { field: 'shelter_stay.institution' } })).toBe('必填项“机构”为空');
    expect(zh({ code: 'rule.required', params: { field: 'person.guardians.name' } })).toBe('必填项“监护人姓名”为空');
    expect(english({ code: 'rule.required', params: { field: 'person.guardians.name' } })).toBe(
      "Required field 'guardians – name' is empty",
    );
    expect(zh(RULE)).toBe('“离站日期”（2026年1月9日）早于“入站日期”（2026年1月10日）');
    expect(english(RULE)).toBe("'discharged' (9 Jan 2026) is before 'admitted' (10 Jan 2026)");
    expect(zh({ code: 'rule.too_long', params: { field: 'placement.district_approval.by', max: 50 } })).toBe(
      '“区政府同意批准人”过长：最多50个字符',
    );
  });

  it('follow the UI language in problemText', () => {
    const nested: UiProblem = { code: 'rule.required', params: { field: 'person.guardians.name' } };
    const before = i18n.lang;
    i18n.lang = 'zh-CN';
    expect(problemText(nested)).toBe('必填项“监护人姓名”为空');
    i18n.lang = 'en';
    expect(problemText(nested)).toBe("Required field 'guardians – name' is empty");
    expect(problemText({ code: 'vault.wrong_passphrase' })).toBe('Wrong passphrase or recovery code; the vault was not changed');
    i18n.lang = before;
  });

  it('render enumeration values by their labels', () => {
    expect(renderDueWhat({ kind: 'id3m_step', step: 'district_approval' }, 'en', codesEn)).toBe(
      'household-registration track: ' + labels.TrackStep.district_approval.en,
    );
    expect(renderWarning({ code: 'warn.calendar_fallback', params: { years: [2027] } }, 'en', codesEn)).toBe(
      'The 2027 holiday calendar is not loaded: working days assumed Monday to Friday',
    );
  });
});

// ----- labels, dates, names ---------------------------------------------------------------

describe('labels from the Rust side', () => {
  it('name fields and enumeration values in one language each', () => {
    const specs = [...SCHEMA.records.flatMap((r) => [r, ...r.fields]), ...SCHEMA.objects.flatMap((o) => o.fields)];
    for (const s of specs) {
      expect(foreign(s.en, 'en'), `${s.en}`).toBeNull();
      expect(foreign(s.zh, 'zh-CN'), `${s.zh}`).toBeNull();
    }
    const all: { [e: string]: { [v: string]: { zh: string; en: string } } } = labels;
    for (const [name, values] of Object.entries(all))
      for (const [v, l] of Object.entries(values)) {
        expect(foreign(l.en, 'en'), `${name}.${v}`).toBeNull();
        expect(foreign(l.zh, 'zh-CN'), `${name}.${v}`).toBeNull();
      }
  });

  it('leave an unknown field path as it is', () => {
    expect(fieldLabel('nope.x', 'zh-CN')).toBe('nope.x');
    expect(fieldLabel('case.caseworker', 'en')).toBe('caseworker');
    expect(fieldLabel('person.guardians.0.name', 'zh-CN')).toBe('监护人姓名');
  });
});

describe('dates', () => {
  it('read as their readers write them', () => {
    expect(formatDate('2026-01-31', 'zh-CN')).toBe('2026年1月31日');
    expect(formatDate('2026-01-31', 'en')).toBe('31 Jan 2026');
    expect(formatDate('2026-09-30', 'en')).toBe('30 Sep 2026');
    expect(formatDate('2026-12-01', 'zh-CN')).toBe('2026年12月1日');
    expect(formatDayMonth('2026-02-28', 'zh-CN')).toBe('2月28日');
    expect(formatDayMonth('2026-02-28', 'en')).toBe('28 Feb');
  });

  it('never shift by time zone and keep what is not a date', () => {
    for (const iso of ['2026-01-01', '2025-12-31', '2024-02-29']) {
      expect(formatDate(iso, 'zh-CN')).toBe(`${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8))}日`);
    }
    expect(formatDate('', 'en')).toBe('');
    expect(formatDate(null, 'en')).toBe('');
    expect(formatDate('soon', 'en')).toBe('soon');
  });
});

describe('names', () => {
  it('show the name, or the intake number while the identity is unknown', () => {
    expect(personName('李娜', 'JS-17', 'en')).toBe('李娜');
    expect(personName(null, 'JS-17', 'zh-CN')).toBe('身份不明（JS-17）');
    expect(personName(null, 'JS-17', 'en')).toBe('Identity unknown (JS-17)');
    expect(personName('  ', null, 'en')).toBe('Identity unknown');
    expect(personName(null, null, 'zh-CN')).toBe('身份不明');
  });
});
