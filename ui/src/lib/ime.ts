// Chinese input methods: the Enter (or Esc) that confirms or cancels a candidate must never
// act on the form. WebKit reports such keys with keyCode 229 and sometimes isComposing false.

export function isComposing(e: Event): boolean {
  const k = e as KeyboardEvent & InputEvent;
  return Boolean(k.isComposing) || k.keyCode === 229;
}

/** Action for a <form>: an Enter that belongs to an IME composition does not submit it. */
export function imeSafe(node: HTMLElement) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.keyCode !== 229) return;
    if (!(e.target instanceof HTMLInputElement)) return;
    if (isComposing(e)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  node.addEventListener('keydown', onKey, true);
  return {
    destroy() {
      node.removeEventListener('keydown', onKey, true);
    },
  };
}
