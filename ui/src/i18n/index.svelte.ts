// Message catalogues, the current language (a UI preference kept in localStorage, not in
// the vault), enumeration labels from the Rust side and date formatting.
import labels from '../bindings/labels.json';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey };
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'guitu.lang';
const catalogues: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = $state({ lang: initialLang() });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage unavailable: the choice lasts for this session
  }
  applyDocumentLang();
}

export function applyDocumentLang(): void {
  document.documentElement.lang = i18n.lang;
  document.title = t('app.title');
}

export type Params = Record<string, string | number>;

/** The message `key` in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Params): string {
  // `<key>.one` is the singular form, used when params.n is 1 (English "1 day").
  const one = `${key}.one` as MessageKey;
  const pick = params?.n === 1 && one in zhCN ? one : key;
  const text = catalogues[i18n.lang][pick] ?? zhCN[pick] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Whether a key exists (for keys built at run time, e.g. per record field). */
export function hasKey(key: string): key is MessageKey {
  return key in zhCN;
}

type Labels = Record<string, Record<string, { zh: string; en: string }>>;

/** The label of an enumeration value, from the Rust side's labels.json. */
export function label(enumName: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const entry = (labels as Labels)[enumName]?.[value];
  if (!entry) return value;
  return i18n.lang === 'en' ? entry.en : entry.zh;
}

/** The values of an enumeration in declaration order. */
export function enumValues(enumName: string): string[] {
  return Object.keys((labels as Labels)[enumName] ?? {});
}

/** The half of a bilingual "中文 / English" message for the current language. */
export function bilingual(message: string): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return i18n.lang === 'en' ? message.slice(at + 3) : message.slice(0, at);
}

/** "2026年1月31日" in zh-CN, "31 Jan 2026" in en; '' for no date. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = Number(m[2]);
  return t('date.format', {
    y: Number(m[1]),
    m: month,
    d: Number(m[3]),
    mon: t(`date.mon.${month}` as MessageKey),
  });
}

/** Day and month only ("1月31日", "31 Jan"), for chart axes. */
export function fmtDayMonth(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = Number(m[2]);
  return t('date.day_month', { m: month, d: Number(m[3]), mon: t(`date.mon.${month}` as MessageKey) });
}

/** A timestamp (RFC 3339) as the local date and hh:mm. */
export function fmtDateTime(stamp: string): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${fmtDate(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
