// Form state, conversion and client-side validation of a person and a case
// (crates/domain/src/model.rs Person, Case; crates/domain/src/validate.rs).
import type { Case, CaseFlags, DisabilityKind, InstitutionKind, Person, ReferralSource, Sex, Stage } from './types';
import { NIL_UUID, isIsoDate, joinList, orNull, residentIdProblem, splitList } from './util';

export interface GuardianForm {
  name: string;
  relation: string;
  contact: string;
}

export interface PersonForm {
  name: string;
  intake_number: string;
  other_names: string;
  sex: Sex;
  birth_date: string;
  birth_estimated: boolean;
  nationality: string;
  ethnicity: string;
  household_registration: string;
  resident_id: string;
  found_place: string;
  languages: string;
  disability_kind: DisabilityKind | '';
  disability_grade: string;
  disability_certificate_no: string;
  guardians: GuardianForm[];
}

export interface CaseForm {
  case_number: string;
  institution: string;
  institution_kind: InstitutionKind;
  received_date: string;
  referral: ReferralSource;
  police_reference: string;
  caseworker: string;
  flags: CaseFlags;
  stage: Stage;
}

/** A validation problem: the test-id name of the field and a key under `form.error.`. */
export interface FormError {
  field: string;
  key: string;
}

export function personToForm(p: Person | null): PersonForm {
  return {
    name: p?.name ?? '',
    intake_number: p?.intake_number ?? '',
    other_names: joinList(p?.other_names, 'zh'),
    sex: p?.sex ?? 'female',
    birth_date: p?.birth_date?.date ?? '',
    birth_estimated: p?.birth_date?.estimated ?? false,
    nationality: p?.nationality ?? '',
    ethnicity: p?.ethnicity ?? '',
    household_registration: p?.household_registration ?? '',
    resident_id: p?.resident_id ?? '',
    found_place: p?.found_place ?? '',
    languages: joinList(p?.languages, 'zh'),
    disability_kind: p?.disability?.kind ?? '',
    disability_grade: p?.disability?.grade == null ? '' : String(p.disability.grade),
    disability_certificate_no: p?.disability?.certificate_no ?? '',
    guardians: (p?.guardians ?? []).map((g) => ({ name: g.name, relation: g.relation, contact: g.contact ?? '' })),
  };
}

export function formToPerson(f: PersonForm, id: string = NIL_UUID): Person {
  return {
    id,
    name: orNull(f.name),
    intake_number: orNull(f.intake_number),
    other_names: splitList(f.other_names),
    sex: f.sex,
    birth_date: f.birth_date ? { date: f.birth_date, estimated: f.birth_estimated } : null,
    nationality: orNull(f.nationality),
    ethnicity: orNull(f.ethnicity),
    household_registration: orNull(f.household_registration),
    resident_id: orNull(f.resident_id),
    disability: f.disability_kind
      ? {
          kind: f.disability_kind,
          grade: f.disability_grade.trim() === '' ? null : Number(f.disability_grade),
          certificate_no: orNull(f.disability_certificate_no),
        }
      : null,
    languages: splitList(f.languages),
    guardians: f.guardians.map((g) => ({ name: g.name.trim(), relation: g.relation.trim(), contact: orNull(g.contact) })),
    found_place: orNull(f.found_place),
  };
}

export function validatePerson(f: PersonForm): FormError[] {
  const out: FormError[] = [];
  if (f.name.trim() === '' && f.intake_number.trim() === '') out.push({ field: 'intake_number', key: 'name_or_intake' });
  if (f.birth_date !== '' && !isIsoDate(f.birth_date)) out.push({ field: 'birth_date.date', key: 'bad_date' });
  if (f.resident_id.trim() !== '') {
    const problem = residentIdProblem(f.resident_id);
    if (problem) out.push({ field: 'resident_id', key: `resident_id_${problem}` });
  }
  if (f.disability_kind === '') {
    if (f.disability_grade.trim() !== '' || f.disability_certificate_no.trim() !== '')
      out.push({ field: 'disability.kind', key: 'disability_kind_required' });
  } else if (f.disability_grade.trim() !== '') {
    const n = Number(f.disability_grade);
    if (!Number.isInteger(n) || n < 1 || n > 4) out.push({ field: 'disability.grade', key: 'grade' });
  }
  f.guardians.forEach((g, i) => {
    if (g.name.trim() === '') out.push({ field: `guardians.${i}.name`, key: 'required' });
    if (g.relation.trim() === '') out.push({ field: `guardians.${i}.relation`, key: 'required' });
  });
  return out;
}

export function caseToForm(c: Case | null, defaults: { today: string; user: string }): CaseForm {
  return {
    case_number: c?.case_number ?? '',
    institution: c?.institution ?? '',
    institution_kind: c?.institution_kind ?? 'assistance_station',
    received_date: c?.received_date ?? defaults.today,
    referral: c?.referral ?? 'police_rescue',
    police_reference: c?.police_reference ?? '',
    caseworker: c?.caseworker ?? defaults.user,
    flags: { ...(c?.flags ?? { minor: false, woman: false, disabled: false, foreign: false, cross_province: false }) },
    stage: c?.stage ?? 'intake',
  };
}

export function formToCase(f: CaseForm, ids: { id: string; person_id: string } = { id: NIL_UUID, person_id: NIL_UUID }): Case {
  return {
    id: ids.id,
    case_number: f.case_number.trim(),
    person_id: ids.person_id,
    institution: f.institution.trim(),
    institution_kind: f.institution_kind,
    received_date: f.received_date,
    referral: f.referral,
    police_reference: orNull(f.police_reference),
    caseworker: f.caseworker.trim(),
    flags: { ...f.flags },
    stage: f.stage,
  };
}

/** `isNew`: an empty case number is allowed (the vault allocates the next one). */
export function validateCase(f: CaseForm, isNew: boolean): FormError[] {
  const out: FormError[] = [];
  if (!isNew && f.case_number.trim() === '') out.push({ field: 'case_number', key: 'required' });
  if (f.institution.trim() === '') out.push({ field: 'institution', key: 'required' });
  if (f.received_date === '') out.push({ field: 'received_date', key: 'required' });
  else if (!isIsoDate(f.received_date)) out.push({ field: 'received_date', key: 'bad_date' });
  if (f.caseworker.trim() === '') out.push({ field: 'caseworker', key: 'required' });
  return out;
}

export const FLAG_NAMES: (keyof CaseFlags)[] = ['minor', 'woman', 'disabled', 'foreign', 'cross_province'];
