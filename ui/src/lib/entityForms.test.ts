// The person and case forms from the schema; where a person's refusal goes; small helpers.
import { describe, expect, it } from 'vitest';
import limits from '../bindings/limits.json';
import { CASE_FIELDS, PERSON_FIELDS, SCHEMA } from '../bindings/schema';
import { sample } from '../test/samples';
import { dueRule } from './due';
import { DERIVED_FLAGS, FLAG_NAMES, caseToForm, flagFacts, formToCase, formToPerson, isCase, isPerson, personRefusalField, personToForm } from './entityForms';
import { formPathOf, isObjectList, toWire } from './schemaForm';
import { pathsOfTestId } from './touch';
import { LIMITS, passphraseStrength, splitList } from './util';

const CTX = { today: '2026-11-28', user: 'tester' };

function person() {
  const p = sample('person');
  if (!isPerson(p)) throw new Error('the person sample is not a person');
  return p;
}

function kase() {
  const c = sample('case');
  if (!isCase(c)) throw new Error('the case sample is not a case');
  return c;
}

describe('person and case forms', () => {
  it('have the schema’s fields', () => {
    const names = (o: string) => SCHEMA.objects.find((x) => x.name === o)?.fields.map((f) => f.name);
    expect(names('person')).toEqual([...PERSON_FIELDS]);
    expect(names('case')).toEqual([...CASE_FIELDS]);
    expect(names('case_flags')).toEqual([...FLAG_NAMES]);
  });

  it('carry every field through the form and back unchanged', () => {
    const p = person();
    expect(formToPerson(personToForm(p, CTX))).toEqual({ person: p, issues: [] });
    const c = kase();
    expect(formToCase(caseToForm(c, CTX), false)).toEqual({ kase: c, issues: [] });
  });

  it('start a new person unknown, and a new case today, by the user, number to be allocated', () => {
    const f = personToForm(null, CTX);
    expect(f.birth_date).toEqual({ date: '', estimated: false });
    expect(f.disability).toEqual({ kind: '', grade: '', certificate_no: '' });
    f.sex = 'unknown';
    const built = formToPerson(f);
    expect(built.issues).toEqual([]);
    expect(built.person).toMatchObject({ name: null, intake_number: null, birth_date: null, disability: null, guardians: [] });
    const c = caseToForm(null, CTX);
    expect(c).toMatchObject({ received_date: '2026-11-28', caseworker: 'tester', case_number: '', stage: 'intake' });
    c.institution = '区救助管理站';
    c.institution_kind = 'assistance_station';
    c.referral = 'police_rescue';
    expect(formToCase(c, true).kase).toMatchObject({ case_number: '', institution: '区救助管理站' });
    expect(formToCase(c, false).issues).toEqual([{ path: 'case_number', kind: 'required' }]);
  });

  it('hand the flag rules what the forms have, and nothing not yet readable', () => {
    const p = personToForm(null, CTX);
    const c = caseToForm(null, CTX);
    expect(flagFacts(p, c)).toEqual({
      sex: null,
      birth_date: null,
      received_date: '2026-11-28',
      disability: false,
      nationality: null,
      minor_by_hand: false,
    });
    p.sex = 'female';
    p.birth_date = { date: '2012-03-0', estimated: false };
    p.nationality = ' 越南 ';
    p.disability = { kind: 'hearing', grade: '', certificate_no: '' };
    c.received_date = '2026-01-31';
    c.flags = { ...(c.flags as object), minor: true };
    expect(flagFacts(p, c)).toEqual({
      sex: 'female',
      birth_date: null,
      received_date: '2026-01-31',
      disability: true,
      nationality: '越南',
      minor_by_hand: true,
    });
    p.birth_date = { date: '2012-03-04', estimated: true };
    expect(flagFacts(p, c).birth_date, 'a complete date is handed on').toBe('2012-03-04');
    expect([...DERIVED_FLAGS, 'cross_province']).toEqual([...FLAG_NAMES]);
  });

  it('guess no sex, institution kind or referral source: the user chooses each', () => {
    const f = personToForm(null, CTX);
    expect(f.sex, 'no preset sex').toBe('');
    expect(formToPerson(f).issues).toEqual([{ path: 'sex', kind: 'required' }]);
    const c = caseToForm(null, CTX);
    expect([c.institution_kind, c.referral], 'no preset institution kind or referral').toEqual(['', '']);
    c.institution = '区救助管理站';
    expect(formToCase(c, true).issues).toEqual([
      { path: 'institution_kind', kind: 'required' },
      { path: 'referral', kind: 'required' },
    ]);
    expect(c.stage, 'a new case starts at intake: a fact, not a guess').toBe('intake');
  });

  it('ask for what a partly filled nested value needs', () => {
    const f = personToForm(null, CTX);
    f.sex = 'female';
    f.disability = { kind: '', grade: '2', certificate_no: '' };
    f.birth_date = { date: '', estimated: true };
    expect(formToPerson(f).issues).toEqual([
      { path: 'birth_date.date', kind: 'required' },
      { path: 'disability.kind', kind: 'required' },
    ]);
  });

  it('put a refusal of a guardian at the guardian it is about', () => {
    const f = personToForm(person(), CTX);
    if (!isObjectList(f.guardians)) throw new Error('guardians are rows');
    f.guardians = [...f.guardians, { name: ' ', relation: '母亲', contact: '' }];
    const e = { code: 'rule.required' as const, params: { field: 'person.guardians.name' } };
    expect(formPathOf('person', e.params.field, f, e)).toBe('guardians.1.name');
    expect(personRefusalField({ code: 'rule.name_or_intake_number' })).toBe('person.intake_number');
    expect(personRefusalField({ code: 'rule.invalid_resident_id', params: { problem: 'length' } })).toBe('person.resident_id');
    expect(personRefusalField({ code: 'rule.placement_with_buyer' })).toBeNull();
    expect(toWire('person', f).issues).toEqual([{ path: 'guardians.1.name', kind: 'required' }]);
  });
});

describe('helpers', () => {
  it('take the limits from the Rust side', () => {
    expect(LIMITS).toEqual(limits);
    const min = LIMITS.passphrase_min;
    expect(passphraseStrength('a'.repeat(min - 1))).toBe(0);
    expect(passphraseStrength('a'.repeat(min))).toBeGreaterThan(0);
    expect(passphraseStrength('安全口令 correct horse 2026')).toBe(3);
  });

  it('split lists typed with either language’s separators', () => {
    expect(splitList('区公安分局、区民政局, 翻译; x ')).toEqual(['区公安分局', '区民政局', '翻译', 'x']);
  });

  it('tell a deadline’s rule', () => {
    expect(dueRule({ kind: 'id3m_deadline' })).toBe('R-ID-3M');
    expect(dueRule({ kind: 'id3m_step', step: 'town_placement' })).toBe('R-ID-3M');
    expect(dueRule({ kind: 'legal_aid_step', step: 'accept', green_channel: true })).toBe('R-LA-GC');
    expect(dueRule({ kind: 'follow_up_visit' })).toBe('R-FOLLOWUP');
  });

  it('know which paths an input touched', () => {
    expect(pathsOfTestId('field-needs.health')).toEqual(['needs', 'needs.health']);
    expect(pathsOfTestId('form-save')).toEqual([]);
  });
});
