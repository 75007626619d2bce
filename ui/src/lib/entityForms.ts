// The person and case forms, built from the record schema's `person` and `case` objects
// (PERSON_FIELDS / CASE_FIELDS in src/bindings/schema.ts, generated from the Rust types).
// Rules are the domain's: the person form asks `check_person` as the user types.
import { CASE_FIELDS, PERSON_FIELDS } from '../bindings/schema';
import type { Case, CaseFlags, DomainError, FlagFacts, ImpliedFlags, Person, Sex } from './types';
import { ruleField } from '../i18n/codes';
import { formOf, isBlank, isFormObject, toWire, type FormContext, type FormObject, type HintsOf, type Issue, type WireObject } from './schemaForm';
import { isIsoDate } from './util';

export const PERSON_HINTS: HintsOf<Person> = {
  name: { hint: 'person.name_hint' },
  sex: { initial: 'choose' },
  nationality: { hint: 'person.nationality_hint' },
  disability: { fields: { grade: { hint: 'form.grade_hint' } } },
  guardians: { add: 'person.guardian_add', empty: 'person.no_guardians' },
};

export const CASE_HINTS: HintsOf<Case> = {
  received_date: { initial: 'today' },
  caseworker: { initial: 'user' },
  institution_kind: { initial: 'choose' },
  referral: { initial: 'choose' },
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

const SEXES: readonly Sex[] = ['female', 'male', 'unknown'] as const satisfies readonly Sex[];
const isSex = (v: unknown): v is Sex => SEXES.some((s) => s === v);

/**
 * What the case flags depend on, as far as the person and case forms have it (a value not
 * yet readable is missing). The domain decides the flags from it (`implied_flags`).
 */
export function flagFacts(person: FormObject, kase: FormObject): FlagFacts {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const birth = person.birth_date;
  const birthDate = isFormObject(birth) ? text(birth.date) : '';
  const received = text(kase.received_date);
  const flags = kase.flags;
  const nationality = text(person.nationality);
  return {
    sex: isSex(person.sex) ? person.sex : null,
    birth_date: isIsoDate(birthDate) ? birthDate : null,
    received_date: isIsoDate(received) ? received : null,
    disability: !isBlank(person.disability),
    nationality: nationality === '' ? null : nationality,
    minor_by_hand: isFormObject(flags) && flags.minor === true,
  };
}

/** The flags the domain decides (`minor`, `woman`, `disabled`, `foreign`), in schema order. */
export const DERIVED_FLAGS: readonly (keyof ImpliedFlags & keyof CaseFlags)[] = ['minor', 'woman', 'disabled', 'foreign'] as const;

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
