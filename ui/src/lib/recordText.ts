// Display text of values by their schema type: record summaries, the timeline's changes.
import type { Change, FieldSpec, FieldType, JsonValue, RecordBody } from './types';
import { enumLabel, fieldLabel, fieldsOf, formatDate, formatDayMonth, joinList, specLabel, type Lang } from '../i18n/format';
import { i18n, message } from '../i18n/index.svelte';
import { RECORD_KINDS } from './recordForms';

/** Text longer than this is cut (with …) where one line is shown. */
const SHORT = 60;

function cut(s: string, max: number | null): string {
  if (max === null || [...s].length <= max) return s;
  return [...s].slice(0, max - 1).join('') + '…';
}

/** One value of a field of type `ty` as text ('' when empty); `max` cuts long text. */
export function valueText(ty: FieldType, v: JsonValue | undefined, lang: Lang = i18n.lang, max: number | null = null): string {
  if (v === null || v === undefined) return '';
  switch (ty.type) {
    case 'id':
      return '';
    case 'text':
      return typeof v === 'string' ? cut(v.trim(), max) : '';
    case 'date':
      return typeof v === 'string' ? formatDate(v, lang) : '';
    case 'bool':
      return message(lang, v === true ? 'common.yes' : 'common.no');
    case 'int':
      return typeof v === 'number' ? String(v) : '';
    case 'enum':
      return typeof v === 'string' ? enumLabel(ty.name, v, lang) : '';
    case 'list': {
      if (!Array.isArray(v)) return '';
      const parts = v.map((item) => valueText(ty.item, item, lang, max)).filter((s) => s !== '');
      return ty.item.type === 'object' ? parts.join(lang === 'en' ? '; ' : '；') : joinList(parts, lang);
    }
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return '';
      // The filled-in parts, in schema order: a flag by its label when set.
      const parts: string[] = [];
      for (const f of fieldsOf(ty.name) ?? []) {
        const sub = v[f.name];
        if (f.type.type === 'bool') {
          if (sub === true) parts.push(lang === 'en' ? f.en : f.zh);
        } else {
          const s = valueText(f.type, sub, lang, max);
          if (s !== '') parts.push(s);
        }
      }
      return parts.join(' ');
    }
  }
}

/** What a record's summary shows: when, its main values, its main text with labels. */
export interface RecordSummary {
  /** The record's date, or the period it covers ("2026年10月20日至11月3日", "2026年1月10日起"). */
  when: string;
  /** Its kinds, statuses and names: values that speak for themselves. */
  head: string[];
  /** Its main text (a follow-up's living situation and the actions taken), labelled. */
  details: { field: string; label: string; text: string }[];
}

/** "2026年10月20日至11月3日" / "20 Oct – 3 Nov 2026"; an open period "2026年1月10日起" / "since 10 Jan 2026". */
export function periodText(start: string, end: string | null | undefined, lang: Lang): string {
  if (!end) return message(lang, 'records.period_open', { start: formatDate(start, lang) });
  const sameYear = start.slice(0, 4) === end.slice(0, 4);
  if (lang === 'en') {
    return `${sameYear ? formatDayMonth(start, lang) : formatDate(start, lang)} – ${formatDate(end, lang)}`;
  }
  return `${formatDate(start, lang)}至${sameYear ? formatDayMonth(end, lang) : formatDate(end, lang)}`;
}

/** A record's summary: its date or period, its short values, its main text (cut to `max` characters). */
export function recordSummary(body: RecordBody, lang: Lang = i18n.lang, max: number | null = SHORT): RecordSummary {
  const values: { readonly [name: string]: JsonValue | undefined } = body;
  const fields = RECORD_KINDS[body.type].fields.filter((f) => !f.secondary);
  const start = fields.find((f) => f.orders);
  const end = fields.find((f) => f.ends);
  const startValue = start ? values[start.name] : undefined;
  const endValue = end ? values[end.name] : undefined;
  const when =
    typeof startValue !== 'string'
      ? ''
      : end
        ? periodText(startValue, typeof endValue === 'string' ? endValue : null, lang)
        : formatDate(startValue, lang);
  const short = (f: FieldSpec) => f.type.type === 'enum' || f.type.type === 'list' || (f.type.type === 'text' && !f.type.multiline);
  const head = fields
    .filter(short)
    .map((f) => valueText(f.type, values[f.name], lang, max))
    .filter((s) => s !== '');
  const details = fields
    .filter((f) => f.type.type === 'text' && f.type.multiline)
    .map((f) => ({ field: f.name, label: specLabel(f, lang), text: valueText(f.type, values[f.name], lang, max) }))
    .filter((d) => d.text !== '');
  // A note is its text: no label when the text is all there is.
  if (head.length === 0 && details.length === 1) details[0].label = '';
  return { when, head, details };
}

/** The summary as parts of one line: when, the short values, each text as "label：text". */
export function summary(body: RecordBody, lang: Lang = i18n.lang): string[] {
  const s = recordSummary(body, lang);
  const sep = lang === 'en' ? ': ' : '：';
  return [s.when, ...s.head, ...s.details.map((d) => (d.label ? `${d.label}${sep}${d.text}` : d.text))].filter((p) => p !== '');
}

/** A history change as "label: old → new", labelled and rendered through the schema. */
export function changeText(schemaName: string | null, c: Change, lang: Lang = i18n.lang): string {
  const spec = schemaName ? fieldsOf(schemaName)?.find((f) => f.name === c.field) : undefined;
  const name = spec && schemaName ? fieldLabel(`${schemaName}.${c.field}`, lang) : c.field;
  const value = (v: JsonValue): string => {
    const s = spec ? valueText(spec.type, v, lang, SHORT) : rawText(v);
    return s === '' ? message(lang, 'common.dash') : s;
  };
  return `${name}: ${value(c.old)} → ${value(c.new)}`;
}

/** A value of a field the schema does not know (never expected): short JSON. */
function rawText(v: JsonValue): string {
  if (v === null) return '';
  return cut(typeof v === 'string' ? v : JSON.stringify(v), SHORT);
}

/**
 * The changes of a history entry worth showing, in the schema's field order: not the
 * record's type tag, not the identifiers the software assigns, not an empty value
 * becoming another empty one (null → []).
 */
export function shownChanges(schemaName: string | null, changes: readonly Change[]): Change[] {
  const specs = schemaName ? (fieldsOf(schemaName) ?? []) : [];
  const order = (c: Change) => {
    const i = specs.findIndex((f) => f.name === c.field);
    return i < 0 ? specs.length : i;
  };
  const visible = (c: Change) => {
    if (c.field === 'type') return false;
    const spec = specs.find((f) => f.name === c.field);
    if (!spec) return true;
    // identifiers are the software's; an empty value that became another empty one is no change
    return spec.type.type !== 'id' && valueText(spec.type, c.old, 'en') !== valueText(spec.type, c.new, 'en');
  };
  return changes.filter(visible).sort((a, b) => order(a) - order(b));
}
