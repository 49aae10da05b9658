// Quick exit: in one step the page forgets everything and the neutral site replaces it in the history, so "back"
// does not return to the chat.

let exiting = false;
const cleanups: (() => void)[] = [];

/** Registers something to wipe on exit (e.g. stopping the Matrix client). */
export function onQuickExit(cleanup: () => void): void {
  cleanups.push(cleanup);
}

export function quickExit(exitUrl: string): void {
  if (exiting) return;
  exiting = true;
  document.title = "";
  document.body.replaceChildren();
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // leaving matters more than a clean stop
    }
  }
  // The page writes none of these; cleared anyway in case a browser extension or a future change did.
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // storage may be disabled
  }
  location.replace(exitUrl);
}

/** Esc twice within 1.5 s leaves, like the button. */
export function listenForDoubleEscape(exitUrl: () => string): void {
  let last = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = performance.now();
    if (now - last < 1500) quickExit(exitUrl());
    last = now;
  });
}
