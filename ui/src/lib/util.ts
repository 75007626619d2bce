// Small helpers shared by the screens.

/** Splits "a、b, c；d" into ["a", "b", "c", "d"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function joinList(items: readonly string[] | null | undefined, lang: string): string {
  return (items ?? []).join(lang === 'en' ? ', ' : '、');
}

/** '' → null, otherwise the trimmed text. */
export function orNull(text: string | null | undefined): string | null {
  const v = (text ?? '').trim();
  return v === '' ? null : v;
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

/** R-ID-NUM: an 18-character resident ID number with a valid check character and birth date. */
export function residentIdProblem(id: string): 'length' | 'characters' | 'birth_date' | 'check' | null {
  const v = id.trim().toUpperCase();
  if ([...v].length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(v)) return 'characters';
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isIsoDate(birth)) return 'birth_date';
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  return '10X98765432'[sum % 11] === v[17] ? null : 'check';
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** Passphrase strength: 0 (too short) … 3 (strong), by length and character variety. */
export function passphraseStrength(p: string): 0 | 1 | 2 | 3 {
  const len = charCount(p);
  if (len < 10) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d\s\u3400-\u9fff]/, /[\u3400-\u9fff]/, /\s/].filter((r) =>
    r.test(p),
  ).length;
  const score = (len >= 16 ? 2 : len >= 12 ? 1 : 0) + (classes >= 3 ? 2 : classes >= 2 ? 1 : 0);
  return score >= 3 ? 3 : score >= 1 ? 2 : 1;
}
