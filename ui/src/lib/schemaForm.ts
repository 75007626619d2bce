// Forms from the record schema (src/bindings/schema.json, generated from the Rust types):
// the editable values of a person, a case or a record of any kind, their conversion to
// and from the wire form, and where a rule's refusal belongs on the form. Nothing here
// knows a field by name: what the schema cannot say comes in as small hints.
//
// What the form checks itself is only what it needs to build a value the command can
// read: required values present (the schema's `required`), whole numbers and dates that
// parse. Every rule — lengths, ranges, dates in order, the rules between fields and
// records — is the domain's: the forms ask `check_record` / `check_person` as the user
// types and show the refusal on the field it names.
import type { DomainError, FieldSpec, FieldType, JsonValue } from './types';
import { enumValues, fieldsOf, objectOf } from '../i18n/format';
import type { MessageKey } from '../i18n/zh-CN';
import { NIL_UUID, isIsoDate, splitList } from './util';

/** The value of one field while it is edited. */
export type FormValue = string | boolean | string[] | FormObject | FormObject[];
export interface FormObject {
  [name: string]: FormValue;
}
/** A value on the wire (JSON), as the commands send and receive it. */
export type WireObject = { [name: string]: JsonValue };

/** What the schema cannot say about a field: a UI convenience, never a rule. */
export interface FieldHint {
  /**
   * The value of a new entity: today (the backend's), the signed-in user, a boolean, or
   * for a required enumeration `choose` — no value until the user chooses one (the form
   * does not guess a person's sex or how a case was referred).
   */
  initial?: 'today' | 'user' | 'choose' | boolean;
  /** A hint under the field, and the text of an empty field. */
  hint?: MessageKey;
  placeholder?: MessageKey;
  /** A list of objects: the add button's text and the text shown while the list is empty. */
  add?: MessageKey;
  empty?: MessageKey;
  /** Hints of the fields of a nested object (or of the objects of a list). */
  fields?: Hints;
}
export type Hints = { readonly [name: string]: FieldHint | undefined };

/** Hints typed against the Rust type `T` (a misspelt field name is a type error). */
export type HintsOf<T> = { readonly [F in keyof T]?: HintOf<NonNullable<T[F]>> };
type HintOf<V> = Omit<FieldHint, 'fields'> & {
  fields?: V extends readonly (infer I)[] ? (I extends object ? HintsOf<I> : never) : V extends object ? HintsOf<V> : never;
};

/** What a new entity's defaults come from. */
export interface FormContext {
  /** Today as the backend has it (GUITU_TODAY honoured). */
  today: string;
  /** The signed-in user. */
  user: string;
}

/** A value the form cannot send yet: a form path (`guardians.0.name`) and why. */
export interface Issue {
  path: string;
  kind: 'required' | 'integer' | 'date';
}

export const ISSUE_TEXT: { readonly [K in Issue['kind']]: MessageKey } = {
  required: 'form.error.required',
  integer: 'form.error.integer',
  date: 'form.error.bad_date',
};

export function fields(schemaName: string): readonly FieldSpec[] {
  const out = fieldsOf(schemaName);
  if (!out) throw new Error(`no schema ${schemaName}`);
  return out;
}

export function isFormObject(v: FormValue | undefined): v is FormObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isObjectList(v: FormValue | undefined): v is FormObject[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'object');
}

export function isStringList(v: FormValue | undefined): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isWireObject(v: JsonValue | undefined): v is WireObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The empty value of a field (an absent optional object is all empty values). */
export function blank(ty: FieldType): FormValue {
  switch (ty.type) {
    case 'bool':
      return false;
    case 'list':
      return ty.item.type === 'enum' || ty.item.type === 'object' ? [] : '';
    case 'object':
      return Object.fromEntries(fields(ty.name).map((f) => [f.name, blank(f.type)]));
    default:
      return '';
  }
}

/** Nothing is filled in (blank text, no date, false, no item). */
export function isBlank(v: FormValue | undefined): boolean {
  if (v === undefined || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'boolean') return false;
  return Object.values(v).every(isBlank);
}

/**
 * The form of schema `name` for the wire value `wire` (null: a new entity, with the
 * defaults of the schema and the hints: the ordering date is today, a required
 * enumeration takes its first value unless its hint says `choose`).
 */
export function formOf(name: string, wire: WireObject | null, ctx: FormContext, hints: Hints = {}): FormObject {
  const out: FormObject = {};
  for (const spec of fields(name)) {
    const hint = hints[spec.name];
    out[spec.name] = wire ? fromWire(spec.type, wire[spec.name] ?? null, ctx, hint) : initial(spec, ctx, hint);
  }
  return out;
}

function initial(spec: FieldSpec, ctx: FormContext, hint: FieldHint | undefined): FormValue {
  const ty = spec.type;
  switch (ty.type) {
    case 'id':
      return NIL_UUID;
    case 'text':
      return hint?.initial === 'user' ? ctx.user : '';
    case 'date':
      return spec.orders || hint?.initial === 'today' ? ctx.today : '';
    case 'bool':
      return hint?.initial === true;
    case 'enum':
      return spec.required && hint?.initial !== 'choose' ? (enumValues(ty.name)[0] ?? '') : '';
    case 'object':
      return spec.required ? formOf(ty.name, null, ctx, hint?.fields) : blank(ty);
    default:
      return blank(ty);
  }
}

function fromWire(ty: FieldType, v: JsonValue, ctx: FormContext, hint: FieldHint | undefined): FormValue {
  switch (ty.type) {
    case 'bool':
      return v === true;
    case 'int':
      return typeof v === 'number' ? String(v) : '';
    case 'list': {
      const items = Array.isArray(v) ? v : [];
      if (ty.item.type === 'object') {
        const obj = ty.item.name;
        return items.filter(isWireObject).map((i) => formOf(obj, i, ctx, hint?.fields));
      }
      const texts = items.filter((i): i is string => typeof i === 'string');
      return ty.item.type === 'enum' ? texts : texts.join('、');
    }
    case 'object':
      return isWireObject(v) ? formOf(ty.name, v, ctx, hint?.fields) : blank(ty);
    default:
      return typeof v === 'string' ? v : v === null ? '' : String(v);
  }
}

/**
 * The wire value of a form, and what keeps it from being sent. `optional` names
 * top-level fields the form may leave empty although the schema requires them (a new
 * case's number is allocated by the vault).
 */
export function toWire(name: string, form: FormObject, optional: readonly string[] = []): { value: WireObject; issues: Issue[] } {
  const issues: Issue[] = [];
  const value = objectToWire(name, form, '', issues, optional);
  return { value, issues };
}

function objectToWire(name: string, form: FormObject, prefix: string, issues: Issue[], optional: readonly string[] = []): WireObject {
  const out: WireObject = {};
  for (const spec of fields(name)) {
    const path = prefix + spec.name;
    const required = spec.required && !optional.includes(spec.name);
    out[spec.name] = valueToWire(spec.type, required, form[spec.name], path, issues);
  }
  return out;
}

function valueToWire(ty: FieldType, required: boolean, v: FormValue | undefined, path: string, issues: Issue[]): JsonValue {
  const text = typeof v === 'string' ? v : '';
  const missing = (): null => {
    if (required) issues.push({ path, kind: 'required' });
    return null;
  };
  switch (ty.type) {
    case 'id':
      return text === '' ? NIL_UUID : text;
    case 'text': {
      const trimmed = text.trim();
      if (trimmed === '') {
        if (required) issues.push({ path, kind: 'required' });
        // A required text goes out empty (the type needs a string), an optional one as null.
        return required ? '' : null;
      }
      return trimmed;
    }
    case 'date':
      if (text === '') return missing();
      if (!isIsoDate(text)) {
        issues.push({ path, kind: 'date' });
        return null;
      }
      return text;
    case 'bool':
      return v === true;
    case 'int':
      if (text.trim() === '') return missing();
      if (!/^\s*-?\d+\s*$/.test(text)) {
        issues.push({ path, kind: 'integer' });
        return null;
      }
      return Number(text);
    case 'enum':
      return text === '' ? missing() : text;
    case 'list': {
      if (ty.item.type === 'object') {
        const obj = ty.item.name;
        const items = isObjectList(v) ? v : [];
        return items.map((item, i) => objectToWire(obj, item, `${path}.${i}.`, issues));
      }
      if (ty.item.type === 'enum') return isStringList(v) ? [...v] : [];
      return splitList(text);
    }
    case 'object': {
      const obj = isFormObject(v) ? v : {};
      // An optional object left empty is absent; once anything of it is filled in, its
      // own required fields are.
      if (!required && isBlank(obj)) return null;
      return objectToWire(ty.name, obj, `${path}.`, issues);
    }
  }
}

/**
 * Where on the form a field path of a rule error belongs: `shelter_stay.discharged` →
 * `discharged`, `placement.supervisor_approval.by` → `supervisor_approval.by`,
 * `person.guardians.name` → `guardians.<i>.name` (the first guardian the error can be
 * about). Null when the path is not of this schema.
 */
export function formPathOf(name: string, path: string, form: FormObject, error?: DomainError): string | null {
  const [root, ...parts] = path.split('.');
  if (root !== name || parts.length === 0) return null;
  let specs: readonly FieldSpec[] = fields(name);
  let obj: FormObject = form;
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const spec = specs.find((f) => f.name === parts[i]);
    if (!spec) return null;
    out.push(spec.name);
    if (i === parts.length - 1) break;
    const child = objectOf(spec.type);
    if (!child) return null;
    specs = fields(child);
    const v = obj[spec.name];
    if (spec.type.type === 'list' && isObjectList(v)) {
      const at = pickItem(v, parts[i + 1], error);
      if (at < 0) return null;
      out.push(String(at));
      obj = v[at];
    } else if (isFormObject(v)) {
      obj = v;
    } else {
      return null;
    }
  }
  return out.join('.');
}

function pickItem(items: FormObject[], field: string, error?: DomainError): number {
  if (items.length === 0) return -1;
  const text = (o: FormObject) => {
    const v = o[field];
    return typeof v === 'string' ? v : '';
  };
  let at = -1;
  if (error?.code === 'rule.required') at = items.findIndex((o) => text(o).trim() === '');
  else if (error?.code === 'rule.too_long') {
    const max = error.params.max;
    at = items.findIndex((o) => [...text(o)].length > max);
  }
  return at < 0 ? 0 : at;
}
