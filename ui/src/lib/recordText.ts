// Display text of record values (lists, timeline).
import { RECORD_KINDS } from './recordForms';
import type { Change, JsonValue, RecordBody } from './types';
import { fmtDate, hasKey, i18n, label, t } from '../i18n/index.svelte';

/** One value of a record field as text. */
export function fieldText(kind: RecordBody['type'], name: string, value: unknown): string {
  const spec = RECORD_KINDS[kind].fields.find((f) => f.name === name);
  if (value === null || value === undefined || value === '') return '';
  switch (spec?.type) {
    case 'date':
      return fmtDate(String(value));
    case 'enum':
      return label(spec.enum ?? '', String(value));
    case 'bool':
      return value ? t('common.yes') : t('common.no');
    case 'needs':
      return (value as string[]).map((n) => label('Need', n)).join(i18n.lang === 'en' ? ', ' : '、');
    case 'list':
      return (value as string[]).join(i18n.lang === 'en' ? ', ' : '、');
    case 'approval': {
      const a = value as { by: string; date: string };
      return `${a.by} ${fmtDate(a.date)}`;
    }
    default:
      return String(value);
  }
}

/** The summary parts of a record, as declared in recordForms.ts. */
export function summary(body: RecordBody): string[] {
  const b = body as unknown as { [name: string]: unknown };
  return RECORD_KINDS[body.type].summary.map((name) => fieldText(body.type, name, b[name])).filter((s) => s !== '');
}

/** A changed value in the history (JSON) as short text. */
export function jsonText(v: JsonValue): string {
  if (v === null) return t('common.dash');
  if (typeof v === 'string') return v.length > 60 ? v.slice(0, 57) + '…' : v;
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

const ENTITY_ENUMS: { [entity: string]: { [field: string]: string } } = {
  case: { stage: 'Stage', institution_kind: 'InstitutionKind', referral: 'ReferralSource' },
  person: { sex: 'Sex' },
};

/** A history change as "label: old → new", with labels and values in the UI language. */
export function changeText(entity: string, kind: RecordBody['type'] | null, c: Change): string {
  const key = kind ? `rec.${kind}.${c.field}` : `${entity}.${c.field}`;
  const name = hasKey(key) ? t(key) : c.field;
  const value = (v: JsonValue): string => {
    if (kind && typeof v !== 'object') return fieldText(kind, c.field, v) || t('common.dash');
    const enumName = ENTITY_ENUMS[entity]?.[c.field];
    if (enumName && typeof v === 'string') return label(enumName, v);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
    return jsonText(v);
  };
  return `${name}: ${value(c.old)} → ${value(c.new)}`;
}
