// Application state: the vault status, the lock overlay and the current screen.
import type { AppStatus, Permission, Warning } from './types';

export type Route =
  | { name: 'dashboard' }
  | { name: 'cases' }
  | { name: 'case'; reference: string }
  | { name: 'new-case' }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'duplicates' }
  | { name: 'reports' }
  | { name: 'ledger-import' }
  | { name: 'devices' }
  | { name: 'conflicts'; caseId?: string; caseNumber?: string };

export type Phase = 'loading' | 'setup' | 'unlock' | 'main';

export const app = $state({
  phase: 'loading' as Phase,
  status: null as AppStatus | null,
  /** The vault was locked while the main layout is up: the unlock screen covers it. */
  locked: false,
  route: { name: 'dashboard' } as Route,
  /** Earlier screens, for "back". */
  history: [] as Route[],
  /** Warnings a save returned, shown on the next screen (e.g. after creating a case). */
  notice: [] as Warning[],
});

export function navigate(route: Route): void {
  if (JSON.stringify(route) === JSON.stringify(app.route)) return;
  app.history = [...app.history.slice(-30), app.route];
  app.route = route;
}

export function back(fallback: Route = { name: 'cases' }): void {
  const previous = app.history.pop();
  app.route = previous ?? fallback;
}

export function openCase(reference: string): void {
  navigate({ name: 'case', reference });
}

/** The signed-in user's name (for "by" defaults). */
export function currentUser(): string {
  return app.status?.user ?? app.status?.default_user ?? '';
}

/**
 * Today according to the shell (GUITU_TODAY may override the clock). Never the browser's
 * clock: its UTC date is yesterday before 08:00 in China. '' before the shell answered.
 */
export function today(): string {
  return app.status?.today ?? '';
}

/**
 * Whether the unlocked user's roles allow `permission` (over some cases). Only hides what
 * the UI offers: the use cases refuse on their own.
 */
export function can(permission: Permission): boolean {
  return app.status?.permissions.includes(permission) ?? false;
}
