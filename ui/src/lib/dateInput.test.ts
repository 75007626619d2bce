import { describe, expect, it } from 'vitest';
import cases from '../../../crates/domain/tests/written_dates.json';
import { dateText, readDate } from './dateInput';

describe('readDate', () => {
  it('reads every shared case as the domain reader does', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) {
      const r = readDate(c.input);
      const got = r.kind === 'date' ? r.iso : r.kind === 'empty' ? 'not_a_date' : r.kind;
      expect(got, `${JSON.stringify(c.input)} should read as ${c.read}`).toBe(c.read);
    }
  });

  it('says what is impossible about an impossible date', () => {
    expect(readDate('2026-02-30')).toEqual({ kind: 'impossible', year: 2026, month: 2, day: 30, days: 28 });
    expect(readDate('2024年2月30日')).toEqual({ kind: 'impossible', year: 2024, month: 2, day: 30, days: 29 });
    expect(readDate('2026.13.1')).toEqual({ kind: 'impossible', year: 2026, month: 13, day: 1, days: 0 });
  });

  it('keeps an empty field empty', () => {
    expect(readDate('')).toEqual({ kind: 'empty' });
    expect(readDate('   ')).toEqual({ kind: 'empty' });
  });

  it('never reads the month-first form the system locale would show', () => {
    expect(readDate('03/14/1983').kind).toBe('not_a_date');
  });
});

describe('dateText', () => {
  it('shows 2026年1月31日 in Chinese and 2026-01-31 in English', () => {
    expect(dateText('2026-01-31', 'zh-CN')).toBe('2026年1月31日');
    expect(dateText('1983-03-14', 'zh-CN')).toBe('1983年3月14日');
    expect(dateText('2026-01-31', 'en')).toBe('2026-01-31');
  });

  it('reads back what it shows', () => {
    for (const iso of ['2026-01-31', '2024-02-29', '1900-01-01', '2100-12-31']) {
      for (const lang of ['zh-CN', 'en'] as const) {
        expect(readDate(dateText(iso, lang))).toEqual({ kind: 'date', iso });
      }
    }
  });

  it('leaves a value that is not an ISO date as it is', () => {
    expect(dateText('2026年1月', 'zh-CN')).toBe('2026年1月');
  });
});
