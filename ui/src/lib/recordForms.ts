// One declarative description per record kind (every field of the Rust struct in
// crates/domain/src/model.rs), rendered by components/RecordForm.svelte. Field labels are
// the catalogue keys `rec.<kind>.<field>`.
import type { RecordBody, RecordKind } from './types';
import { isIsoDate, orNull, splitList } from './util';

export type FieldType =
  | 'text' // String (required) or Option<String>
  | 'textarea'
  | 'date' // NaiveDate or Option<NaiveDate>
  | 'enum' // a labelled enum (labels.json), Option when not required
  | 'bool'
  | 'list' // Vec<String>: comma/、-separated text
  | 'needs' // Vec<Need>: checkboxes
  | 'approval' // Option<Approval>: by + date
  | 'grade'; // Option<u8>, disability grade 1–4

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Not an Option in Rust (and refused empty by the rules). */
  required?: boolean;
  /** labels.json enum name, for `enum` and `needs`. */
  enum?: string;
  /** Date order: this date may not be before the first of these fields that is set. */
  after?: string[];
  /** Default for a new record: today's date / the signed-in user / a fixed value (enum value). */
  initial?: 'today' | 'user' | boolean | string;
}

export interface KindSpec {
  fields: FieldSpec[];
  /** Fields shown in the one-line summary of a record. */
  summary: string[];
  /** Conditional rules between fields (mirrors crates/domain/src/validate.rs). */
  checks?: (v: FormValues) => FieldError[];
}

export interface ApprovalValue {
  by: string;
  date: string;
}
export type FieldValue = string | boolean | string[] | ApprovalValue;
export type FormValues = { [name: string]: FieldValue };

/** A client-side validation problem: a catalogue key under `form.error.` and its parameters. */
export interface FieldError {
  field: string;
  key: string;
  params?: { [name: string]: string };
  /** Caused by another field too (date order, conditional rules): shown once the form is touched. */
  cross?: boolean;
}

const f = (name: string, type: FieldType, extra: Omit<FieldSpec, 'name' | 'type'> = {}): FieldSpec => ({
  name,
  type,
  ...extra,
});
const req = { required: true };

export const RECORD_KINDS: Record<RecordKind, KindSpec> = {
  shelter_stay: {
    fields: [
      f('institution', 'text', req),
      f('kind', 'enum', { ...req, enum: 'ShelterKind', initial: 'assistance_station' }),
      f('admitted', 'date', { ...req, initial: 'today' }),
      f('discharged', 'date', { after: ['admitted'] }),
      f('reason', 'textarea'),
    ],
    summary: ['admitted', 'discharged', 'kind', 'institution'],
  },
  identity_attempt: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('method', 'enum', { ...req, enum: 'IdentityMethod', initial: 'police_inquiry' }),
      f('outcome', 'enum', { ...req, enum: 'IdentityOutcome', initial: 'pending' }),
      f('verified_date', 'date', { after: ['date'] }),
      f('police_reference', 'text'),
      f('notes', 'textarea'),
    ],
    summary: ['date', 'method', 'outcome', 'verified_date'],
    checks: (v) => {
      if (v.outcome === 'verified' && v.verified_date === '')
        return [{ field: 'verified_date', key: 'verified_date_required' }];
      if (v.outcome !== 'verified' && v.verified_date !== '')
        return [{ field: 'verified_date', key: 'verified_date_only_verified' }];
      return [];
    },
  },
  track_step: {
    fields: [
      f('step', 'enum', { ...req, enum: 'TrackStep', initial: 'household_registration' }),
      f('date', 'date', { ...req, initial: 'today' }),
      f('by', 'text', { ...req, initial: 'user' }),
      f('notes', 'textarea'),
    ],
    summary: ['date', 'step', 'by'],
  },
  track_closure: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('reason', 'textarea', req),
      f('by', 'text', { ...req, initial: 'user' }),
    ],
    summary: ['date', 'reason', 'by'],
  },
  placement: {
    fields: [
      f('kind', 'enum', { ...req, enum: 'PlacementKind', initial: 'return_to_family' }),
      f('start', 'date', { ...req, initial: 'today' }),
      f('end', 'date', { after: ['start'] }),
      f('place', 'text', req),
      f('carer', 'enum', { ...req, enum: 'CarerRelation', initial: 'parents' }),
      f('decided_by', 'text', { ...req, initial: 'user' }),
      f('supervisor_approval', 'approval'),
      f('district_approval', 'approval'),
      f('notes', 'textarea'),
    ],
    summary: ['start', 'end', 'kind', 'place', 'carer'],
  },
  rehabilitation: {
    fields: [
      f('service', 'enum', { ...req, enum: 'RehabService', initial: 'basic_medical' }),
      f('provider', 'text', req),
      f('start', 'date', { ...req, initial: 'today' }),
      f('end', 'date', { after: ['start'] }),
      f('outcome', 'textarea'),
      f('disability_grade', 'grade'),
      f('certificate_no', 'text'),
    ],
    summary: ['start', 'end', 'service', 'provider'],
  },
  schooling: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('status', 'enum', { ...req, enum: 'SchoolStatus', initial: 'enrolled' }),
      f('school', 'text', req),
      f('elsewhere', 'bool', { initial: false }),
      f('psych_education', 'bool', { initial: false }),
      f('notes', 'textarea'),
    ],
    summary: ['date', 'status', 'school'],
  },
  family_return: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('kind', 'enum', { ...req, enum: 'ReturnKind', initial: 'family' }),
      f('place', 'text', req),
      f('privacy_measures', 'textarea', req),
      f('notes', 'textarea'),
    ],
    summary: ['date', 'kind', 'place'],
  },
  employment: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('service', 'enum', { ...req, enum: 'EmploymentService', initial: 'training' }),
      f('provider', 'text', req),
      f('wanted', 'bool', { initial: true }),
      f('notes', 'textarea'),
    ],
    summary: ['date', 'service', 'provider'],
  },
  legal_aid: {
    fields: [
      f('centre', 'text', req),
      f('matter', 'text', req),
      f('green_channel', 'bool', { initial: true }),
      f('received', 'date', { ...req, initial: 'today' }),
      f('accepted', 'date', { after: ['received'] }),
      f('reviewed', 'date', { after: ['accepted', 'received'] }),
      f('decision', 'enum', { enum: 'LegalAidDecision' }),
      f('refusal_reason', 'textarea'),
      f('assigned', 'date', { after: ['reviewed', 'accepted', 'received'] }),
      f('assignee', 'text'),
      f('handled', 'date', { after: ['assigned', 'reviewed', 'accepted', 'received'] }),
      f('closed', 'date', { after: ['handled', 'assigned', 'reviewed', 'accepted', 'received'] }),
    ],
    summary: ['received', 'centre', 'matter', 'decision'],
    checks: (v) => {
      const out: FieldError[] = [];
      if (v.decision !== '' && v.reviewed === '') out.push({ field: 'reviewed', key: 'decision_needs_review' });
      if (v.decision === 'refused') {
        if (String(v.refusal_reason).trim() === '') out.push({ field: 'refusal_reason', key: 'required' });
        if (v.assigned !== '' || String(v.assignee).trim() !== '')
          out.push({ field: 'assigned', key: 'refused_not_assigned' });
        if (v.handled !== '') out.push({ field: 'handled', key: 'refused_not_handled' });
      }
      return out;
    },
  },
  follow_up: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('visitor', 'text', { ...req, initial: 'user' }),
      f('living_situation', 'textarea', req),
      f('needs', 'needs', { enum: 'Need' }),
      f('actions', 'textarea'),
    ],
    summary: ['date', 'visitor', 'needs'],
  },
  interview: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('interviewer', 'text', { ...req, initial: 'user' }),
      f('agencies_present', 'list'),
      f('interpreter', 'text'),
      f('guardian_or_social_worker_present', 'bool', { initial: false }),
      f('repeat_reason', 'textarea'),
    ],
    summary: ['date', 'interviewer', 'agencies_present'],
  },
  mandatory_report: {
    fields: [
      f('date', 'date', { ...req, initial: 'today' }),
      f('reported_to', 'text', req),
      f('reference', 'text'),
      f('summary', 'textarea', req),
    ],
    summary: ['date', 'reported_to', 'reference'],
  },
  note: {
    fields: [f('date', 'date', { ...req, initial: 'today' }), f('text', 'textarea', req)],
    summary: ['date', 'text'],
  },
};

export const RECORD_KIND_ORDER = Object.keys(RECORD_KINDS) as RecordKind[];

/** The form's values for a record (or the defaults of a new one, with `preset` on top). */
export function toForm(
  kind: RecordKind,
  body: RecordBody | null,
  ctx: { today: string; user: string },
  preset: { [name: string]: FieldValue } = {},
  firstEnumValue: (enumName: string) => string,
): FormValues {
  const src = (body ?? {}) as unknown as { [name: string]: unknown };
  const out: FormValues = {};
  for (const spec of RECORD_KINDS[kind].fields) {
    const raw = body ? src[spec.name] : undefined;
    let value: FieldValue;
    switch (spec.type) {
      case 'bool':
        value = body ? Boolean(raw) : spec.initial === true;
        break;
      case 'list':
        value = Array.isArray(raw) ? (raw as string[]).join('、') : '';
        break;
      case 'needs':
        value = Array.isArray(raw) ? [...(raw as string[])] : [];
        break;
      case 'approval': {
        const a = raw as ApprovalValue | null | undefined;
        value = { by: a?.by ?? '', date: a?.date ?? '' };
        break;
      }
      case 'grade':
        value = raw === null || raw === undefined ? '' : String(raw);
        break;
      case 'enum':
        if (body) value = String(raw ?? '');
        else if (typeof spec.initial === 'string') value = spec.initial;
        else value = spec.required && spec.enum ? firstEnumValue(spec.enum) : '';
        break;
      default:
        if (body) value = raw === null || raw === undefined ? '' : String(raw);
        else value = spec.initial === 'today' ? ctx.today : spec.initial === 'user' ? ctx.user : '';
    }
    out[spec.name] = value;
  }
  return { ...out, ...preset };
}

/** The RecordBody for the form's values (Option fields left empty → null). */
export function toBody(kind: RecordKind, v: FormValues): RecordBody {
  const body: { [name: string]: unknown } = { type: kind };
  for (const spec of RECORD_KINDS[kind].fields) {
    const raw = v[spec.name];
    switch (spec.type) {
      case 'bool':
        body[spec.name] = Boolean(raw);
        break;
      case 'list':
        body[spec.name] = splitList(String(raw));
        break;
      case 'needs':
        body[spec.name] = [...(raw as string[])];
        break;
      case 'approval': {
        const a = raw as ApprovalValue;
        body[spec.name] = a.by.trim() === '' && a.date === '' ? null : { by: a.by.trim(), date: a.date };
        break;
      }
      case 'grade':
        body[spec.name] = String(raw).trim() === '' ? null : Number(raw);
        break;
      case 'date':
      case 'enum':
        body[spec.name] = raw === '' ? null : raw;
        break;
      default:
        body[spec.name] = spec.required ? String(raw).trim() : orNull(String(raw));
    }
  }
  return body as unknown as RecordBody;
}

function isEmpty(spec: FieldSpec, raw: FieldValue): boolean {
  if (spec.type === 'approval') {
    const a = raw as ApprovalValue;
    return a.by.trim() === '' && a.date === '';
  }
  if (Array.isArray(raw)) return raw.length === 0;
  return typeof raw === 'string' && raw.trim() === '';
}

/** Client-side validation, as the user types: required fields, dates, date order, grade. */
export function validate(kind: RecordKind, v: FormValues): FieldError[] {
  const spec = RECORD_KINDS[kind];
  const out: FieldError[] = [];
  for (const field of spec.fields) {
    const raw = v[field.name];
    if (field.required && field.type !== 'bool' && isEmpty(field, raw)) {
      out.push({ field: field.name, key: 'required' });
      continue;
    }
    if (field.type === 'date' && raw !== '') {
      if (!isIsoDate(String(raw))) {
        out.push({ field: field.name, key: 'bad_date' });
        continue;
      }
      const before = (field.after ?? []).find((name) => v[name] !== '' && isIsoDate(String(v[name])));
      if (before && String(raw) < String(v[before])) {
        out.push({ field: field.name, key: 'date_order', params: { other: `rec.${kind}.${before}` }, cross: true });
      }
    }
    if (field.type === 'grade' && String(raw).trim() !== '') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 4) out.push({ field: field.name, key: 'grade' });
    }
    if (field.type === 'approval') {
      const a = raw as ApprovalValue;
      if ((a.by.trim() === '') !== (a.date === '')) out.push({ field: field.name, key: 'approval_both' });
      else if (a.date !== '' && !isIsoDate(a.date)) out.push({ field: field.name, key: 'bad_date' });
    }
  }
  for (const e of spec.checks?.(v) ?? []) {
    if (!out.some((o) => o.field === e.field)) out.push({ ...e, cross: true });
  }
  return out;
}

/** The date a record is about (RecordBody::date in Rust), for sorting and the timeline. */
export function recordDate(body: RecordBody): string {
  const b = body as unknown as { [name: string]: unknown };
  const first = RECORD_KINDS[body.type].fields.find((f) => f.type === 'date' && f.required);
  return first ? String(b[first.name] ?? '') : '';
}
