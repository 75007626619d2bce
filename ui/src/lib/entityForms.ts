// The person and case forms, built from the record schema's `person` and `case` objects
// (PERSON_FIELDS / CASE_FIELDS in src/bindings/schema.ts, generated from the Rust types).
// Rules are the domain's: the person form asks `check_person` as the user types.
import { CASE_FIELDS, PERSON_FIELDS } from '../bindings/schema';
import type { Case, CaseFlags, DomainError, Person } from './types';
import { ruleField } from '../i18n/codes';
import { formOf, toWire, type FormContext, type FormObject, type HintsOf, type Issue, type WireObject } from './schemaForm';

export const PERSON_HINTS: HintsOf<Person> = {
  name: { hint: 'person.name_hint' },
  nationality: { hint: 'person.nationality_hint' },
  disability: { fields: { grade: { hint: 'form.grade_hint' } } },
  guardians: { add: 'person.guardian_add', empty: 'person.no_guardians' },
};

export const CASE_HINTS: HintsOf<Case> = {
  received_date: { initial: 'today' },
  caseworker: { initial: 'user' },
};

/** The wire value has exactly the person's fields. */
export function isPerson(v: WireObject): v is Person {
  const names: readonly string[] = PERSON_FIELDS;
  return Object.keys(v).length === names.length && names.every((n) => n in v);
}

/** The wire value has exactly the case's fields. */
export function isCase(v: WireObject): v is Case {
  const names: readonly string[] = CASE_FIELDS;
  return Object.keys(v).length === names.length && names.every((n) => n in v);
}

export function personToForm(p: Person | null, ctx: FormContext): FormObject {
  const wire: WireObject | null = p;
  return formOf('person', wire, ctx, PERSON_HINTS);
}

/** The person of the form (ids as they were), or what keeps it from being sent. */
export function formToPerson(f: FormObject): { person: Person | null; issues: Issue[] } {
  const { value, issues } = toWire('person', f);
  return { person: issues.length === 0 && isPerson(value) ? value : null, issues };
}

export function caseToForm(c: Case | null, ctx: FormContext): FormObject {
  const wire: WireObject | null = c;
  return formOf('case', wire, ctx, CASE_HINTS);
}

/** `isNew`: the case number may stay empty (the vault allocates the next one). */
export function formToCase(f: FormObject, isNew: boolean): { kase: Case | null; issues: Issue[] } {
  const { value, issues } = toWire('case', f, isNew ? ['case_number'] : []);
  if (isNew && value.case_number === null) value.case_number = '';
  return { kase: issues.length === 0 && isCase(value) ? value : null, issues };
}

/** The case flags in the order of the schema (CaseFlags). */
export const FLAG_NAMES: readonly (keyof CaseFlags)[] = ['minor', 'woman', 'disabled', 'foreign', 'cross_province'] as const satisfies readonly (keyof CaseFlags)[];

/**
 * Where a refusal of `check_person` / `update_person` belongs: the field it names, or the
 * field two field-less person rules are about (R-ID-NUM: the ID number; a person needs a
 * name or an intake number).
 */
export function personRefusalField(e: DomainError): string | null {
  const field = ruleField(e);
  if (field) return field;
  if (e.code === 'rule.name_or_intake_number') return 'person.intake_number';
  if (e.code === 'rule.invalid_resident_id') return 'person.resident_id';
  return null;
}
