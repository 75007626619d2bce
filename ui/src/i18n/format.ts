// Language-dependent rendering that needs no catalogue keys: dates (Intl), enumeration
// labels (labels.json), field labels (the record schema), names and lists. Every function
// takes the language explicitly, so the catalogues and the tests can use them without the
// UI's state; index.svelte.ts binds them to the current language.
import labels from '../bindings/labels.json';
import { SCHEMA } from '../bindings/schema';
import type { FieldSpec } from '../bindings/FieldSpec';
import type { FieldType } from '../bindings/FieldType';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

// ----- dates --------------------------------------------------------------------------

const ISO = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar day of an ISO date as a UTC instant (the date never shifts by time zone). */
function utcDay(iso: string): Date | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

const zhDate = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const zhDayMonth = new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', timeZone: 'UTC' });
// English: the parts of Intl's own names, put in the day-month-year order caseworkers'
// English documents use ("31 Jan 2026"; en-GB's "Sept" differs between ICU versions).
const enParts = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? '';
}

/** "2026年1月31日" in zh-CN, "31 Jan 2026" in en; '' for no date; an unreadable value as it is. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = utcDay(iso);
  if (!d) return iso;
  if (lang === 'zh-CN') return zhDate.format(d);
  const p = enParts.formatToParts(d);
  return `${part(p, 'day')} ${part(p, 'month')} ${part(p, 'year')}`;
}

/** Day and month only ("1月31日", "31 Jan"), for chart axes. */
export function formatDayMonth(iso: string, lang: Lang): string {
  const d = utcDay(iso);
  if (!d) return iso;
  if (lang === 'zh-CN') return zhDayMonth.format(d);
  const p = enParts.formatToParts(d);
  return `${part(p, 'day')} ${part(p, 'month')}`;
}

/** A timestamp (RFC 3339) as the local date and hh:mm. */
export function formatDateTime(stamp: string, lang: Lang): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(day, lang)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ----- enumerations -------------------------------------------------------------------

type Labels = { [enumName: string]: { [value: string]: { zh: string; en: string } } };
const LABELS: Labels = labels;

/** The label of an enumeration value, from the Rust side's labels.json ('' for none). */
export function enumLabel(enumName: string, value: string | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '';
  const entry = LABELS[enumName]?.[value];
  if (!entry) return value;
  return lang === 'en' ? entry.en : entry.zh;
}

/** The values of an enumeration in declaration order. */
export function enumValues(enumName: string): string[] {
  return Object.keys(LABELS[enumName] ?? {});
}

// ----- lists, names -------------------------------------------------------------------

/** Items joined as the language lists them: 甲、乙 / a, b. */
export function joinList(items: readonly string[], lang: Lang): string {
  return items.join(lang === 'en' ? ', ' : '、');
}

/** The name to show for a person: the name, else "身份不明（JS-17）" / "Identity unknown (JS-17)". */
export function personName(name: string | null | undefined, intakeNumber: string | null | undefined, lang: Lang): string {
  const n = name?.trim() ?? '';
  if (n !== '') return n;
  const i = intakeNumber?.trim() ?? '';
  if (lang === 'en') return i === '' ? 'Identity unknown' : `Identity unknown (${i})`;
  return i === '' ? '身份不明' : `身份不明（${i}）`;
}

// ----- the record schema --------------------------------------------------------------

/** The fields of a record kind, `person`, `case` or a nested object by schema name. */
export function fieldsOf(name: string): readonly FieldSpec[] | null {
  const record = SCHEMA.records.find((r) => r.kind === name);
  if (record) return record.fields;
  return SCHEMA.objects.find((o) => o.name === name)?.fields ?? null;
}

/** The object schema a field's values have (through lists), if any. */
export function objectOf(ty: FieldType): string | null {
  if (ty.type === 'object') return ty.name;
  if (ty.type === 'list') return objectOf(ty.item);
  return null;
}

/**
 * The specs along a dotted path (`person.guardians.name`; list positions in form paths,
 * `guardians.0.name`, are skipped); null when a part is unknown.
 */
export function specsAlong(path: string): FieldSpec[] | null {
  const [root, ...rest] = path.split('.');
  let fields = fieldsOf(root);
  const out: FieldSpec[] = [];
  for (const part of rest) {
    if (/^\d+$/.test(part)) continue;
    const spec = fields?.find((f) => f.name === part);
    if (!spec) return null;
    out.push(spec);
    const obj = objectOf(spec.type);
    fields = obj ? fieldsOf(obj) : null;
  }
  return out.length > 0 ? out : null;
}

/** A schema label in the language; English labels capitalised when they head a form field. */
export function specLabel(spec: Pick<FieldSpec, 'zh' | 'en'>, lang: Lang, capital = false): string {
  if (lang === 'zh-CN') return spec.zh;
  return capital ? spec.en.charAt(0).toUpperCase() + spec.en.slice(1) : spec.en;
}

/**
 * The label of a field by its schema path, as a rule error names it:
 * `shelter_stay.institution` → 机构; nested paths join their parts
 * (`person.guardians.name` → 监护人姓名, "guardians – name"). Unknown paths stay as they are.
 */
export function fieldLabel(path: string, lang: Lang): string {
  const specs = specsAlong(path);
  if (!specs) return path;
  return lang === 'zh-CN' ? specs.map((s) => s.zh).join('') : specs.map((s) => s.en).join(' – ');
}
