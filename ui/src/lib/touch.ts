// Which form paths a user's input touched: the control's test id is `field-<path>`; the
// path and each of its parents count (`field-needs.health` touches `needs.health` and
// `needs`, so the list's message shows too).
export function pathsOfTestId(id: string | undefined): string[] {
  if (!id?.startsWith('field-')) return [];
  const parts = id.slice('field-'.length).split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

export function touchedPaths(target: EventTarget | null): string[] {
  return target instanceof HTMLElement ? pathsOfTestId(target.dataset.testid) : [];
}
