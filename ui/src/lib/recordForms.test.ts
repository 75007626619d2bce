// Record forms built from the schema: every field of every kind, in the order of the Rust
// struct, through the form and back unchanged; what the form itself refuses to send.
import { describe, expect, it } from 'vitest';
import labels from '../bindings/labels.json';
import { RECORD_FIELDS, SCHEMA } from '../bindings/schema';
import { sample } from '../test/samples';
import { RECORD_KINDS, RECORD_KIND_ORDER, isRecordBody, recordDate, toBody, toForm } from './recordForms';
import { changeText, recordSummary, shownChanges, summary } from './recordText';
import { formPathOf, isFormObject, type FormObject } from './schemaForm';
import type { RecordBody, RecordKind } from './types';

const CTX = { today: '2026-11-28', user: 'tester' };

function body(kind: RecordKind): RecordBody {
  const v = { type: kind, ...sample(kind) };
  if (!isRecordBody(v)) throw new Error(`sample of ${kind} is not a record body`);
  return v;
}

describe('record kinds from the schema', () => {
  it('are the 14 kinds of RecordKind, in its order', () => {
    expect(RECORD_KIND_ORDER).toEqual(Object.keys(labels.RecordKind));
    expect([...RECORD_KIND_ORDER].sort()).toEqual(Object.keys(RECORD_FIELDS).sort());
  });

  it('have exactly the fields of RECORD_FIELDS, in the schema order', () => {
    for (const kind of RECORD_KIND_ORDER) {
      const spec = RECORD_KINDS[kind];
      const schema = SCHEMA.records.find((r) => r.kind === kind);
      expect(spec.fields.map((f) => f.name), kind).toEqual([...RECORD_FIELDS[kind]]);
      expect(schema?.fields.map((f) => f.name), kind).toEqual([...RECORD_FIELDS[kind]]);
      // the ordering date is the schema's date_field, which the one `orders` field is
      expect(spec.fields.filter((f) => f.orders).map((f) => f.name), kind).toEqual([spec.dateField]);
    }
  });

  it('carry every field of every kind through the form and back unchanged', () => {
    for (const kind of RECORD_KIND_ORDER) {
      const b = body(kind);
      const form = toForm(kind, b, CTX);
      const out = toBody(kind, form);
      expect(out.issues, kind).toEqual([]);
      expect(out.body, kind).toEqual(b);
    }
  });

  it('start a new record on the backend’s today, with the user and the first enumeration values', () => {
    const step = toForm('track_step', null, CTX, { step: 'district_approval' });
    expect(step).toMatchObject({ step: 'district_approval', date: '2026-11-28', by: 'tester', notes: '' });
    expect(toBody('track_step', step).body).toEqual({
      type: 'track_step',
      step: 'district_approval',
      date: '2026-11-28',
      by: 'tester',
      notes: null,
    });
    const stay = toForm('shelter_stay', null, CTX);
    expect(stay.kind).toBe(Object.keys(labels.ShelterKind)[0]);
    expect(stay.admitted).toBe('2026-11-28');
    expect(stay.discharged).toBe('');
    expect(toForm('employment', null, CTX).wanted).toBe(true);
    expect(toForm('legal_aid', null, CTX).green_channel).toBe(true);
    expect(toForm('legal_aid', null, CTX).decision).toBe('');
  });

  it('send nothing while a required value is missing or a number is not one', () => {
    const stay = toForm('shelter_stay', null, CTX);
    expect(toBody('shelter_stay', stay)).toEqual({ body: null, issues: [{ path: 'institution', kind: 'required' }] });
    const rehab = toForm('rehabilitation', body('rehabilitation'), CTX);
    rehab.disability_grade = 'two';
    expect(toBody('rehabilitation', rehab).issues).toEqual([{ path: 'disability_grade', kind: 'integer' }]);
  });

  it('send an approval with both parts or none', () => {
    const p = toForm('placement', body('placement'), CTX);
    const approval = p.supervisor_approval;
    if (!isFormObject(approval)) throw new Error('an approval is an object on the form');
    approval.by = '';
    approval.date = '';
    expect(toBody('placement', p).body).toMatchObject({ supervisor_approval: null });
    approval.by = '王主任';
    expect(toBody('placement', p).issues).toEqual([{ path: 'supervisor_approval.date', kind: 'required' }]);
  });

  it('tell the date that orders a record from the schema', () => {
    expect(recordDate(body('legal_aid'))).toBe((body('legal_aid') as { received: string }).received);
    expect(recordDate(body('shelter_stay'))).toBe((body('shelter_stay') as { admitted: string }).admitted);
  });

  it('refuse a body with a field too many or too few', () => {
    expect(isRecordBody({ type: 'note', date: '2026-01-01', text: 'x' })).toBe(true);
    expect(isRecordBody({ type: 'note', date: '2026-01-01' })).toBe(false);
    expect(isRecordBody({ type: 'note', date: '2026-01-01', text: 'x', dna: 'y' })).toBe(false);
    expect(isRecordBody({ type: 'nope', date: '2026-01-01', text: 'x' })).toBe(false);
  });
});

describe('where a refusal goes', () => {
  it('is the field its path names', () => {
    const form: FormObject = toForm('placement', body('placement'), CTX);
    expect(formPathOf('shelter_stay', 'shelter_stay.discharged', toForm('shelter_stay', null, CTX))).toBe('discharged');
    expect(formPathOf('placement', 'placement.supervisor_approval.by', form)).toBe('supervisor_approval.by');
    expect(formPathOf('placement', 'shelter_stay.discharged', form)).toBeNull();
    expect(formPathOf('placement', 'placement.nope', form)).toBeNull();
  });
});

describe('record text', () => {
  it('summarises a record by its date and short fields', () => {
    const stay: RecordBody = {
      type: 'shelter_stay',
      institution: '区救助管理站',
      kind: 'assistance_station',
      admitted: '2026-01-10',
      discharged: null,
      reason: '很长的原因',
    };
    expect(summary(stay, 'zh-CN')).toEqual([
      '2026年1月10日起',
      '区救助管理站',
      labels.ShelterKind.assistance_station.zh,
      '原因：很长的原因',
    ]);
    expect(summary({ type: 'note', date: '2026-01-10', text: 'Called the school' }, 'en')).toEqual([
      '10 Jan 2026',
      'Called the school',
    ]);
  });

  it('reads a period from its start to its end, the year once when both fall in it', () => {
    const rehab: RecordBody = {
      type: 'rehabilitation',
      service: 'psychological_counselling',
      provider: '区心理咨询中心',
      start: '2026-10-20',
      end: '2026-11-03',
      outcome: null,
      disability_grade: null,
      certificate_no: null,
    };
    const s = recordSummary(rehab, 'zh-CN');
    expect(s.when).toBe('2026年10月20日至11月3日');
    expect(s.head).toEqual([labels.RehabService.psychological_counselling.zh, '区心理咨询中心']);
    expect(recordSummary(rehab, 'en').when).toBe('20 Oct – 3 Nov 2026');
    expect(recordSummary({ ...rehab, end: '2027-01-05' }, 'zh-CN').when).toBe('2026年10月20日至2027年1月5日');
    expect(recordSummary({ ...rehab, end: null }, 'en').when).toBe('since 20 Oct 2026');
  });

  it('shows a follow-up\'s living situation and the actions taken, labelled', () => {
    const visit: RecordBody = {
      type: 'follow_up',
      date: '2026-11-02',
      visitor: '李社工',
      living_situation: '与母亲同住，已返校',
      needs: ['education'],
      actions: '联系学校安排心理辅导',
    } as RecordBody;
    const s = recordSummary(visit, 'zh-CN');
    expect(s.when).toBe('2026年11月2日');
    expect(s.details.map((d) => `${d.label}：${d.text}`)).toEqual(['生活状况：与母亲同住，已返校', '采取的措施：联系学校安排心理辅导']);
  });

  it('labels and renders every change through the schema, never raw values', () => {
    const needs = { field: 'needs', old: null, new: ['employment', 'health'] };
    expect(changeText('follow_up', needs, 'zh-CN')).toBe(
      `发现的需求: — → ${labels.Need.employment.zh}、${labels.Need.health.zh}`,
    );
    expect(changeText('follow_up', needs, 'en')).toBe(`needs found: — → ${labels.Need.employment.en}, ${labels.Need.health.en}`);
    expect(changeText('case', { field: 'stage', old: 'intake', new: 'identity' }, 'en')).toBe(
      `stage: ${labels.Stage.intake.en} → ${labels.Stage.identity.en}`,
    );
    expect(changeText('placement', { field: 'district_approval', old: null, new: { by: '王主任', date: '2026-02-03' } }, 'zh-CN')).toBe(
      '区政府同意: — → 王主任 2026年2月3日',
    );
    expect(changeText('person', { field: 'birth_date', old: null, new: { date: '2014-06-01', estimated: true } }, 'en')).toBe(
      'birth date: — → 1 Jun 2014 estimated',
    );
    expect(changeText('schooling', { field: 'elsewhere', old: false, new: true }, 'zh-CN')).toBe('异地就学: 否 → 是');
  });
});

describe('history changes', () => {
  it('leave out the type tag and identifiers, in schema order', () => {
    const changes = [
      { field: 'stage', old: null, new: 'intake' },
      { field: 'id', old: null, new: '0190' },
      { field: 'person_id', old: null, new: '0191' },
      { field: 'case_number', old: null, new: 'DZ-2026-0001' },
      { field: 'police_reference', old: null, new: '' },
      { field: 'flags', old: null, new: { minor: false, woman: false, disabled: false, foreign: false, cross_province: false } },
    ];
    expect(shownChanges('case', changes).map((c) => c.field)).toEqual(['case_number', 'stage']);
    expect(shownChanges('note', [{ field: 'type', old: null, new: 'note' }])).toEqual([]);
  });
});
