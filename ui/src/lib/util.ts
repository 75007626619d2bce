// Small helpers shared by the screens.
import limitsJson from '../bindings/limits.json';
import type { Limits } from './types';

/** Splits "a、b, c；d" into ["a", "b", "c", "d"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Number of Unicode characters (a Chinese passphrase counts per character, as the vault does). */
export function charCount(s: string): number {
  return [...s].length;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** The limits the forms show and check as the user types (generated from Rust). */
export const LIMITS: Limits = limitsJson;

/** Passphrase strength: 0 (too short) … 3 (strong), by length and character variety. */
export function passphraseStrength(p: string, min: number = LIMITS.passphrase_min): 0 | 1 | 2 | 3 {
  const len = charCount(p);
  if (len < min) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d\s\u3400-\u9fff]/, /[\u3400-\u9fff]/, /\s/].filter((r) =>
    r.test(p),
  ).length;
  const score = (len >= 16 ? 2 : len >= 12 ? 1 : 0) + (classes >= 3 ? 2 : classes >= 2 ? 1 : 0);
  return score >= 3 ? 3 : score >= 1 ? 2 : 1;
}
