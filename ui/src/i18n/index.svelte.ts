// The current language (a UI preference kept in localStorage, not in the vault) and the
// text functions bound to it: the UI's own messages (t), the codes the Rust side reports
// (problemText, warningText, dueWhatText), enumeration and field labels, dates, names.
import type { DueWhat } from '../bindings/DueWhat';
import type { SettingProblem } from '../bindings/SettingProblem';
import type { Warning } from '../bindings/Warning';
import { type CodeCatalogue, type UiProblem, renderDueWhat, renderProblem, renderSettingProblem, renderWarning } from './codes';
import { codesEn } from './codes.en';
import { codesZh } from './codes.zh-CN';
import { en } from './en';
import * as format from './format';
import type { Lang } from './format';
import { zhCN, type MessageKey } from './zh-CN';

export type { Lang, MessageKey };
export { LANGS, enumValues } from './format';

const STORAGE_KEY = 'guitu.lang';
export const MESSAGES: { readonly [L in Lang]: { readonly [K in MessageKey]: string } } = { 'zh-CN': zhCN, en };
export const CODES: { readonly [L in Lang]: CodeCatalogue } = { 'zh-CN': codesZh, en: codesEn };

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

export type Params = { [name: string]: string | number };

/** The message `key` in `lang`, `{name}` placeholders filled from `params`. */
export function message(lang: Lang, key: MessageKey, params?: Params): string {
  // `<key>.one` is the singular form, used when params.n is 1 (English "1 day").
  const one = `${key}.one`;
  const pick: MessageKey = params?.n === 1 && isMessageKey(one) ? one : key;
  const text = MESSAGES[lang][pick];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

function isMessageKey(key: string): key is MessageKey {
  return key in zhCN;
}

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return message(i18n.lang, key, params);
}

/** A problem a command reported (or the UI met), as one sentence in the current language. */
export function problemText(p: UiProblem): string {
  return renderProblem(p, i18n.lang, CODES[i18n.lang]);
}

/** A rule's warning in the current language. */
export function warningText(w: Warning): string {
  return renderWarning(w, i18n.lang, CODES[i18n.lang]);
}

/** What a deadline is for, in the current language. */
export function dueWhatText(w: DueWhat): string {
  return renderDueWhat(w, i18n.lang, CODES[i18n.lang]);
}

/** Why a setting is refused (shown next to the setting). */
export function settingProblemText(p: SettingProblem): string {
  return renderSettingProblem(p, i18n.lang, CODES[i18n.lang]);
}

/** The name of a legal-aid channel. */
export function channelText(c: 'green' | 'ordinary'): string {
  return CODES[i18n.lang].channel[c];
}

/** The label of an enumeration value, from the Rust side's labels.json. */
export function label(enumName: string, value: string | null | undefined): string {
  return format.enumLabel(enumName, value, i18n.lang);
}

/** The label of a field by schema path (`case.caseworker`, `person.guardians.name`). */
export function fieldLabel(path: string): string {
  return format.fieldLabel(path, i18n.lang);
}

/** The label of a field by schema path as a heading or a form label (capitalised in English). */
export function fieldTitle(path: string): string {
  const text = format.fieldLabel(path, i18n.lang);
  return i18n.lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** A person's name, or 身份不明（intake number） / Identity unknown (intake number). */
export function personName(name: string | null | undefined, intakeNumber: string | null | undefined): string {
  return format.personName(name, intakeNumber, i18n.lang);
}

/** Items joined as the language lists them. */
export function joinList(items: readonly string[]): string {
  return format.joinList(items, i18n.lang);
}

/** "2026年1月31日" in zh-CN, "31 Jan 2026" in en; '' for no date. */
export function fmtDate(iso: string | null | undefined): string {
  return format.formatDate(iso, i18n.lang);
}

/** Day and month only ("1月31日", "31 Jan"), for chart axes. */
export function fmtDayMonth(iso: string): string {
  return format.formatDayMonth(iso, i18n.lang);
}

/** A timestamp (RFC 3339) as the local date and hh:mm. */
export function fmtDateTime(stamp: string): string {
  return format.formatDateTime(stamp, i18n.lang);
}
