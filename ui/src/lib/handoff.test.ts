// The hand-off screens' display helpers: fingerprints grouped for reading aloud, the
// basis of a hand-off in both languages, a conflict's field and values through the schema.
import { describe, expect, it } from 'vitest';
import { basisText, conflictFieldText, conflictSpec, conflictValueText, groupFingerprint, writableKind, writtenValue } from './handoff';

describe('fingerprints', () => {
  it('groups the digits in fours, whatever the spacing', () => {
    expect(groupFingerprint('39170482552100937764')).toBe('3917 0482 5521 0093 7764');
    expect(groupFingerprint(' 3917 0482\t5521-0093 7764 ')).toBe('3917 0482 5521 0093 7764');
    expect(groupFingerprint('')).toBe('');
  });
});

describe('the basis of a hand-off', () => {
  const consent = {
    type: 'consent' as const,
    record_id: '0192f0c0-0000-7000-8000-000000000001',
    given_by: 'guardian' as const,
    guardian_name: '王丽',
    from: '2026-03-01',
    recipients: ['assistance_institution' as const, 'school' as const],
  };
  it('names who agreed, when and to whom, in Chinese without Latin letters', () => {
    const zh = basisText(consent, 'zh-CN');
    expect(zh).toContain('监护人（王丽）');
    expect(zh).toContain('2026年3月1日');
    expect(zh).toContain('救助管理机构');
    expect(zh).not.toMatch(/[A-Za-z]/);
  });
  it('renders a legal basis with and without its note', () => {
    expect(basisText({ type: 'legal', basis: 'assistance_duty', note: null }, 'zh-CN')).toBe('依据：依法履行救助管理职责');
    expect(basisText({ type: 'legal', basis: 'police_request', note: '调证字2026第12号' }, 'zh-CN')).toContain('（调证字2026第12号）');
    expect(basisText({ type: 'legal', basis: 'assistance_duty', note: null }, 'en')).toBe('Basis: statutory assistance duty');
  });
});

describe('a conflict through the schema', () => {
  const onCase = { entity: 'case' as const, record_kind: null, field: 'institution' };
  const onStay = { entity: 'record' as const, record_kind: 'shelter_stay', field: 'left_on' };
  it('labels the field, with the record kind for a record', () => {
    expect(conflictFieldText(onCase, 'zh-CN')).toBe('接收机构');
    expect(conflictFieldText(onCase, 'en')).toBe('Receiving institution');
    const stay = conflictSpec({ ...onStay, field: 'institution' });
    expect(stay?.name).toBe('institution');
    expect(conflictFieldText({ ...onStay, field: 'institution' }, 'zh-CN')).toBe('救助/临时监护 · 机构');
  });
  it('renders values as the timeline does, a dash for none', () => {
    expect(conflictValueText(onCase, '县救助站', 'zh-CN')).toBe('县救助站');
    expect(conflictValueText(onCase, null, 'zh-CN')).toBe('—');
    expect(conflictValueText({ entity: 'case', record_kind: null, field: 'received_date' }, '2026-11-02', 'zh-CN')).toBe('2026年11月2日');
    expect(conflictValueText({ entity: 'case', record_kind: null, field: 'no_such_field' }, { a: 1 }, 'zh-CN')).toBe('{"a":1}');
  });
  it('offers an input for text, date and enumeration fields only', () => {
    expect(writableKind(conflictSpec(onCase))).toEqual({ kind: 'text' });
    expect(writableKind(conflictSpec({ entity: 'case', record_kind: null, field: 'received_date' }))).toEqual({ kind: 'date' });
    expect(writableKind(conflictSpec({ entity: 'case', record_kind: null, field: 'stage' }))?.kind).toBe('enum');
    expect(writableKind(null)).toBeNull();
  });
  it('sends what was written as JSON: trimmed, an empty optional field as null', () => {
    const spec = conflictSpec(onCase);
    if (!spec) throw new Error('the case has an institution field');
    expect(writtenValue(spec, '  市救助站 ')).toBe('市救助站');
    expect(writtenValue({ ...spec, required: false }, '  ')).toBeNull();
  });
});
