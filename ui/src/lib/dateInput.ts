// What a date field reads and shows, whatever the system locale: 2026-01-31, 2026年1月31日,
// 2026.1.31, 2026/1/31, 20260131 (full-width digits and spaces allowed). It reads exactly
// as the domain's `dates::text_date` (the ledger import's reader): both are tested with
// the same cases (crates/domain/tests/written_dates.json). It only turns typing into the
// ISO date the commands take; every rule on dates stays the domain's.
import type { Lang } from '../i18n/format';

/** What was typed: empty, a date (ISO), or why it is not one. */
export type DateReading =
  | { kind: 'empty' }
  | { kind: 'date'; iso: string }
  /** Written as a date that does not exist: 2026-02-30 (`days`: the month's days; 0 for a month that does not exist). */
  | { kind: 'impossible'; year: number; month: number; day: number; days: number }
  | { kind: 'not_a_date' };

const FULL_WIDTH_DIGIT = /[０-９]/g;

function normalise(s: string): string {
  return s
    .trim()
    .replace(/\s+/g, '')
    .replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．。]/g, '.')
    .replace(/／/g, '/')
    .replace(/[－—–]/g, '-');
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Reads a typed date. */
export function readDate(typed: string): DateReading {
  if (typed.trim() === '') return { kind: 'empty' };
  const s = normalise(typed);
  let parts: string[];
  if (s.endsWith('日') || s.endsWith('号')) parts = s.slice(0, -1).split(/[年月]/);
  else if (/^\d{8}$/.test(s)) parts = [s.slice(0, 4), s.slice(4, 6), s.slice(6)];
  else parts = s.split(/[./-]/);
  if (parts.length !== 3) return { kind: 'not_a_date' };
  const [y, m, d] = parts;
  if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return { kind: 'not_a_date' };
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const days = month >= 1 && month <= 12 ? daysInMonth(year, month) : 0;
  if (days === 0 || day < 1 || day > days) return { kind: 'impossible', year, month, day, days };
  return { kind: 'date', iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** An ISO date as a date field shows it: 2026年1月31日 in Chinese, 2026-01-31 in English. */
export function dateText(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return lang === 'zh-CN' ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : iso;
}
