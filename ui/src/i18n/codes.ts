// The catalogue of codes: every problem (Problem, with every DomainError), warning and
// deadline the Rust side reports, made into text in one language. The types are built
// from the generated bindings, so a code (or a sub-problem) without its text is a type
// error, and every text gets its code's typed parameters.
import type { BackupProblem } from '../bindings/BackupProblem';
import type { BundleProblem } from '../bindings/BundleProblem';
import type { CalendarProblem } from '../bindings/CalendarProblem';
import type { Channel } from '../bindings/Channel';
import type { DomainError } from '../bindings/DomainError';
import type { DueWhat } from '../bindings/DueWhat';
import type { IdNumberProblem } from '../bindings/IdNumberProblem';
import type { ImportLocation } from '../bindings/ImportLocation';
import type { ImportProblem } from '../bindings/ImportProblem';
import type { IoKind } from '../bindings/IoKind';
import type { Problem } from '../bindings/Problem';
import type { SettingProblem } from '../bindings/SettingProblem';
import type { Thing } from '../bindings/Thing';
import type { UnknownParentsGuidance } from '../bindings/UnknownParentsGuidance';
import type { ValueKind } from '../bindings/ValueKind';
import type { Warning } from '../bindings/Warning';
import { enumLabel, fieldLabel, formatDate, joinList, type Lang } from './format';

/** What a command can fail with, plus the one failure the UI makes itself. */
export type UiProblem = Problem | { code: 'ui.unexpected' };
export type ProblemCode = UiProblem['code'];
/** The typed parameters of a problem code (`undefined` for a code without any). */
export type ParamsOf<C extends ProblemCode> = Extract<UiProblem, { code: C }> extends { params: infer P } ? P : undefined;

export type WarningCode = Warning['code'];
export type WarningParamsOf<C extends WarningCode> = Extract<Warning, { code: C }> extends { params: infer P } ? P : undefined;

/** Helpers a text may use: dates, labels and the other parts of the same catalogue. */
export interface Fmt {
  readonly lang: Lang;
  /** An ISO date as the reader writes it. */
  date(iso: string): string;
  /** The label of a field by its schema path. */
  field(path: string): string;
  /** The label of an enumeration value. */
  label(enumName: string, value: string): string;
  list(items: readonly string[]): string;
  rule(e: DomainError): string;
  setting(p: SettingProblem): string;
  calendar(p: CalendarProblem): string;
  importProblem(p: ImportProblem): string;
  backup(p: BackupProblem): string;
  /** Why a hand-off bundle was refused. */
  bundle(p: BundleProblem): string;
  idNumber(p: IdNumberProblem): string;
  thing(t: Thing): string;
  io(k: IoKind): string;
  channel(c: Channel): string;
  valueKind(k: ValueKind): string;
  location(at: ImportLocation): string;
}

type Tagged<T extends { problem: string }> = { [P in T['problem']]: (p: Extract<T, { problem: P }>, f: Fmt) => string };

/** One language's text for every code. */
export interface CodeCatalogue {
  problems: { [C in ProblemCode]: (params: ParamsOf<C>, f: Fmt) => string };
  warnings: { [C in WarningCode]: (params: WarningParamsOf<C>, f: Fmt) => string };
  /** R-PL-UNKNOWN guidance (`warn.unknown_parents`). */
  guidance: { [G in UnknownParentsGuidance]: string };
  due: { [K in DueWhat['kind']]: (what: Extract<DueWhat, { kind: K }>, f: Fmt) => string };
  setting: Tagged<SettingProblem>;
  calendar: Tagged<CalendarProblem>;
  importProblem: Tagged<ImportProblem>;
  backup: Tagged<BackupProblem>;
  bundle: Tagged<BundleProblem>;
  idNumber: { [P in IdNumberProblem]: string };
  thing: { [T in Thing]: string };
  io: { [K in IoKind]: string };
  channel: { [C in Channel]: string };
  /** What kind of value an import field expects. */
  valueKind: { [K in ValueKind]: string };
  location: (at: ImportLocation) => string;
}

export function makeFmt(lang: Lang, m: CodeCatalogue): Fmt {
  const f: Fmt = {
    lang,
    date: (iso) => formatDate(iso, lang),
    field: (path) => fieldLabel(path, lang),
    label: (enumName, value) => enumLabel(enumName, value, lang),
    list: (items) => joinList(items, lang),
    rule: (e) => (m.problems[e.code] as (params: unknown, f: Fmt) => string)('params' in e ? e.params : undefined, f),
    setting: (p) => (m.setting[p.problem] as (p: SettingProblem, f: Fmt) => string)(p, f),
    calendar: (p) => (m.calendar[p.problem] as (p: CalendarProblem, f: Fmt) => string)(p, f),
    importProblem: (p) => (m.importProblem[p.problem] as (p: ImportProblem, f: Fmt) => string)(p, f),
    backup: (p) => (m.backup[p.problem] as (p: BackupProblem, f: Fmt) => string)(p, f),
    bundle: (p) => (m.bundle[p.problem] as (p: BundleProblem, f: Fmt) => string)(p, f),
    idNumber: (p) => m.idNumber[p],
    thing: (t) => m.thing[t],
    io: (k) => m.io[k],
    channel: (c) => m.channel[c],
    valueKind: (k) => m.valueKind[k],
    location: (at) => m.location(at),
  };
  return f;
}

/** A problem as one sentence. */
export function renderProblem(p: UiProblem, lang: Lang, m: CodeCatalogue): string {
  const fn = m.problems[p.code] as (params: unknown, f: Fmt) => string;
  return fn('params' in p ? p.params : undefined, makeFmt(lang, m));
}

/** A warning as one sentence. */
export function renderWarning(w: Warning, lang: Lang, m: CodeCatalogue): string {
  const fn = m.warnings[w.code] as (params: unknown, f: Fmt) => string;
  return fn('params' in w ? w.params : undefined, makeFmt(lang, m));
}

/** What a deadline is for. */
export function renderDueWhat(w: DueWhat, lang: Lang, m: CodeCatalogue): string {
  const fn = m.due[w.kind] as (what: DueWhat, f: Fmt) => string;
  return fn(w, makeFmt(lang, m));
}

/** Why a setting is refused, without the "invalid setting" lead (shown next to its field). */
export function renderSettingProblem(p: SettingProblem, lang: Lang, m: CodeCatalogue): string {
  return makeFmt(lang, m).setting(p);
}

/** A rule refusal: the problem's code is `rule.…`. */
export function isRule(p: UiProblem): p is DomainError {
  return p.code.startsWith('rule.');
}

/** The field a rule error names by its schema path (`shelter_stay.discharged`), if any. */
export function ruleField(e: DomainError): string | null {
  return 'params' in e && 'field' in e.params ? e.params.field : null;
}
