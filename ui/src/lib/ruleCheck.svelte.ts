// Asking the rules as the user types: `check_record`, `check_person`, `check_settings`
// say what saving would say, without saving. The answer to older values is dropped.
import { toApiError } from './api';
import { app } from './app.svelte';
import type { DomainError, Warning } from './types';
import type { UiProblem } from '../i18n/codes';

export class RuleCheck<T> {
  /** The rules' refusal of the last values checked. */
  refusal = $state.raw<DomainError | null>(null);
  /** Their warnings, when allowed. */
  warnings = $state.raw<Warning[]>([]);
  /** A failure that is not a rule's (e.g. the vault locked meanwhile). */
  other = $state.raw<UiProblem | null>(null);
  checking = $state(false);
  #seq = 0;
  readonly #ask: (value: T) => Promise<Warning[]>;
  readonly #delayMs: number;

  constructor(ask: (value: T) => Promise<Warning[]>, delayMs = 300) {
    this.#ask = ask;
    this.#delayMs = delayMs;
  }

  /**
   * Checks `value` (null: the form cannot be sent yet) after a pause; call it from an
   * `$effect` with a value derived from the form, and return what it returns.
   */
  run(value: T | null): () => void {
    const seq = ++this.#seq;
    if (app.locked) return () => {}; // asked again after unlocking
    if (value === null) {
      this.refusal = null;
      this.warnings = [];
      this.checking = false;
      return () => {};
    }
    this.checking = true;
    const timer = setTimeout(async () => {
      try {
        const w = await this.#ask(value);
        if (seq !== this.#seq) return;
        this.warnings = w;
        this.refusal = null;
        this.other = null;
      } catch (err) {
        if (seq !== this.#seq) return;
        this.warnings = [];
        this.fail(err);
      } finally {
        if (seq === this.#seq) this.checking = false;
      }
    }, this.#delayMs);
    return () => clearTimeout(timer);
  }

  /** Takes a failed save's problem as the current answer. */
  fail(err: unknown): void {
    const e = toApiError(err);
    this.refusal = e.rule;
    this.other = e.rule ? null : e.problem;
  }

  /** A refusal of older values does not hold the save back while the new ones are checked. */
  get blocks(): boolean {
    return this.refusal !== null && !this.checking;
  }
}
