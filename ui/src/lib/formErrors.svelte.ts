// Which messages a form shows where: a value it cannot send yet (required, not a number,
// not a date) once its field was touched or a save was tried; the rules' refusal at the
// field it names.
import type { DomainError } from './types';
import type { Issue } from './schemaForm';
import { ISSUE_TEXT } from './schemaForm';
import { touchedPaths } from './touch';
import { problemText, t } from '../i18n/index.svelte';

export class FormErrors {
  touched = $state<{ [path: string]: boolean }>({});
  attempted = $state(false);

  /** An input, change or focus-out event of the form. */
  mark = (e: Event): void => {
    for (const p of touchedPaths(e.target)) this.touched[p] = true;
  };

  /** Something was typed or a save was tried. */
  get dirty(): boolean {
    return this.attempted || Object.keys(this.touched).length > 0;
  }

  reset(): void {
    this.touched = {};
    this.attempted = false;
  }

  /** The message at form path `path`, if any. */
  at(path: string, issues: readonly Issue[], refusal: DomainError | null, refusalPath: string | null): string | null {
    if (refusal && refusalPath === path) return problemText(refusal);
    const issue = issues.find((i) => i.path === path);
    if (issue && (this.attempted || this.touched[path])) return t(ISSUE_TEXT[issue.kind]);
    return null;
  }
}
