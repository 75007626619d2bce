// Every record kind's form, built from the record schema (src/bindings/schema.ts, generated
// from crates/domain by #[derive(Fields)]): its fields in order, their types, labels,
// required flags, limits, enumeration options and the date that orders the record. The
// only thing written here is what the schema cannot say: who and what a new record
// starts with (the signed-in user as the one who did it, a checkbox ticked) and hints.
// components/RecordForm.svelte renders every kind from it.
import { RECORD_FIELDS, SCHEMA, type BodyOf } from '../bindings/schema';
import type { FieldSpec, RecordBody, RecordKind } from './types';
import {
  fields,
  formOf,
  toWire,
  type FormContext,
  type FormObject,
  type FormValue,
  type Hints,
  type HintsOf,
  type Issue,
  type WireObject,
} from './schemaForm';

/** UI hints per record kind, typed against the Rust type of the record's body. */
export const RECORD_HINTS: { readonly [K in RecordKind]?: HintsOf<BodyOf<K>> } = {
  track_step: { by: { initial: 'user' } },
  track_closure: { by: { initial: 'user' } },
  placement: { decided_by: { initial: 'user' } },
  rehabilitation: { disability_grade: { hint: 'form.grade_hint' } },
  employment: { wanted: { initial: true } },
  legal_aid: { green_channel: { initial: true } },
  follow_up: { visitor: { initial: 'user' } },
  interview: { interviewer: { initial: 'user' } },
  consent: { given_by: { initial: 'choose' }, guardian_name: { hint: 'form.guardian_name_hint' } },
};

export interface KindSpec {
  kind: RecordKind;
  /** The field whose date orders the record (RecordBody::date in Rust). */
  dateField: string;
  /** Every field of the kind, in the order of the Rust struct. */
  fields: readonly FieldSpec[];
  hints: Hints;
}

export function isRecordKind(k: string): k is RecordKind {
  return k in RECORD_FIELDS;
}

function kindSpec(kind: RecordKind): KindSpec {
  const schema = SCHEMA.records.find((r) => r.kind === kind);
  if (!schema) throw new Error(`the schema has no record kind ${kind}`);
  const specs: readonly FieldSpec[] = fields(kind);
  const names: readonly string[] = RECORD_FIELDS[kind];
  const ordered = names.map((name) => {
    const spec = specs.find((f) => f.name === name);
    if (!spec) throw new Error(`the schema of ${kind} has no field ${name}`);
    return spec;
  });
  const hints: Hints = RECORD_HINTS[kind] ?? {};
  return { kind, dateField: schema.date_field, fields: ordered, hints };
}

/** Every record kind in the schema's order (RecordKind's declaration order). */
export const RECORD_KIND_ORDER: readonly RecordKind[] = SCHEMA.records.map((r) => r.kind).filter(isRecordKind);

export const RECORD_KINDS: { readonly [K in RecordKind]: KindSpec } = {
  shelter_stay: kindSpec('shelter_stay'),
  identity_attempt: kindSpec('identity_attempt'),
  track_step: kindSpec('track_step'),
  track_closure: kindSpec('track_closure'),
  placement: kindSpec('placement'),
  rehabilitation: kindSpec('rehabilitation'),
  schooling: kindSpec('schooling'),
  family_return: kindSpec('family_return'),
  employment: kindSpec('employment'),
  legal_aid: kindSpec('legal_aid'),
  follow_up: kindSpec('follow_up'),
  interview: kindSpec('interview'),
  mandatory_report: kindSpec('mandatory_report'),
  note: kindSpec('note'),
  consent: kindSpec('consent'),
};

/** The form's values for a record (or the defaults of a new one, with `preset` on top). */
export function toForm(
  kind: RecordKind,
  body: RecordBody | null,
  ctx: FormContext,
  preset: { readonly [name: string]: FormValue } = {},
): FormObject {
  const wire: WireObject | null = body;
  return { ...formOf(kind, wire, ctx, RECORD_KINDS[kind].hints), ...preset };
}

/** A record body the shell accepts: the tag of a kind and exactly that kind's fields. */
export function isRecordBody(v: WireObject): v is RecordBody {
  const kind = v.type;
  if (typeof kind !== 'string' || !isRecordKind(kind)) return false;
  const names: readonly string[] = RECORD_FIELDS[kind];
  return Object.keys(v).length === names.length + 1 && names.every((n) => n in v);
}

/** The record body of the form's values, or what keeps the form from being sent. */
export function toBody(kind: RecordKind, form: FormObject): { body: RecordBody | null; issues: Issue[] } {
  const { value, issues } = toWire(kind, form);
  const tagged: WireObject = { type: kind, ...value };
  return { body: issues.length === 0 && isRecordBody(tagged) ? tagged : null, issues };
}

/** The date a record is about (the schema's `date_field`), for sorting and the timeline. */
export function recordDate(body: RecordBody): string {
  const values: { readonly [name: string]: unknown } = body;
  const d = values[RECORD_KINDS[body.type].dateField];
  return typeof d === 'string' ? d : '';
}
