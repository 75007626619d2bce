// Display helpers of the hand-off screens (issue 11): fingerprints, the basis a case goes
// on, and the two values of a conflict, labelled and rendered through the record schema
// as the timeline renders a change. No rule lives here: which basis a case needs comes
// from `handoff_plan`, whether a value fits from `resolve_conflict`.
import { enumLabel, fieldLabel, fieldsOf, formatDate, joinList, type Lang } from '../i18n/format';
import { i18n, message } from '../i18n/index.svelte';
import { valueText } from './recordText';
import type { ConflictView, FieldSpec, HandoffBasis, JsonValue } from './types';

/**
 * A fingerprint as people compare it: its digits in groups of four ("3917 0482 5521
 * 0093 7764"), whatever spacing it came with.
 */
export function groupFingerprint(fp: string): string {
  const digits = fp.replace(/\D/g, '');
  return (digits.match(/.{1,4}/g) ?? []).join(' ');
}

/** The basis a case is handed off on, as one line ("依据：监护人（王丽）于2026年3月1日的同意（救助管理机构）"). */
export function basisText(b: HandoffBasis, lang: Lang = i18n.lang): string {
  if (b.type === 'consent') {
    const giver = enumLabel('ConsentGiver', b.given_by, lang);
    const who = b.guardian_name ? message(lang, 'handoff.basis_guardian', { giver, name: b.guardian_name }) : giver;
    const recipients = joinList(
      b.recipients.map((r) => enumLabel('RecipientKind', r, lang)),
      lang,
    );
    return message(lang, 'handoff.basis_consent', { who, date: formatDate(b.from, lang), recipients });
  }
  const basis = enumLabel('LegalBasis', b.basis, lang);
  return b.note
    ? message(lang, 'handoff.basis_legal_note', { basis, note: b.note })
    : message(lang, 'handoff.basis_legal', { basis });
}

/** The schema a conflict's field belongs to: `person`, `case` or the record's kind. */
export function conflictSchema(c: Pick<ConflictView, 'entity' | 'record_kind'>): string | null {
  if (c.entity === 'record') return c.record_kind;
  if (c.entity === 'person' || c.entity === 'case') return c.entity;
  return null;
}

/** The field a conflict is about, from the schema (`null` for a field it does not know). */
export function conflictSpec(c: Pick<ConflictView, 'entity' | 'record_kind' | 'field'>): FieldSpec | null {
  const schema = conflictSchema(c);
  return (schema ? fieldsOf(schema)?.find((f) => f.name === c.field) : undefined) ?? null;
}

/** The conflict's field labelled, as a heading: "接收机构", with the record kind for a record ("救助/临时监护 · 机构"). */
export function conflictFieldText(c: Pick<ConflictView, 'entity' | 'record_kind' | 'field'>, lang: Lang = i18n.lang): string {
  const schema = conflictSchema(c);
  const spec = conflictSpec(c);
  const name = spec && schema ? fieldLabel(`${schema}.${c.field}`, lang) : c.field;
  const text = c.entity === 'record' && c.record_kind ? `${enumLabel('RecordKind', c.record_kind, lang)} · ${name}` : name;
  // A heading: English starts with a capital letter.
  return lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** One side's value as text, as the timeline shows values ('—' when empty). */
export function conflictValueText(
  c: Pick<ConflictView, 'entity' | 'record_kind' | 'field'>,
  value: unknown,
  lang: Lang = i18n.lang,
): string {
  const spec = conflictSpec(c);
  const v = value as JsonValue;
  let s: string;
  if (spec) s = valueText(spec.type, v, lang);
  else if (v === null || v === undefined) s = '';
  else s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === '' ? message(lang, 'common.dash') : s;
}

/** The kinds of field a person can write a new value for in the conflicts view. */
export type WritableKind = 'text' | 'multiline' | 'date' | 'enum';

/** Whether (and how) a new value can be written for the conflict's field. */
export function writableKind(spec: FieldSpec | null): { kind: WritableKind; enumName?: string } | null {
  if (!spec) return null;
  const ty = spec.type;
  if (ty.type === 'text') return { kind: ty.multiline ? 'multiline' : 'text' };
  if (ty.type === 'date') return { kind: 'date' };
  if (ty.type === 'enum') return { kind: 'enum', enumName: ty.name };
  return null;
}

/**
 * The JSON value of what a person wrote: trimmed text, an ISO date or an enumeration's
 * wire name; an empty optional field is `null`. Whether it fits is the API's to say.
 */
export function writtenValue(spec: FieldSpec, written: string): JsonValue {
  const s = written.trim();
  if (s === '' && !spec.required) return null;
  return s;
}
