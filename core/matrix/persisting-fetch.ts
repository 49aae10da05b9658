import type { CryptoPersister } from "./crypto-persister.ts";
import { revealsCryptoState } from "./reveals-crypto-state.ts";

/**
 * Wraps fetch so that every request that could let the homeserver learn crypto state waits until that state is
 * on disk. A `/sync` with a `since` token tells the server to drop the to-device messages (room keys) it already
 * sent; `/keys/upload` publishes one-time keys; `/sendToDevice` and encrypted room sends advance ratchets. Each of
 * them must happen only after the state that led to it is persisted, or a crash loses keys or reuses them.
 * Requests that reveal nothing (reads, plaintext and state events, invites, admin calls) go out at once: the next
 * revealing request still flushes whatever changed before it (decision 0021).
 */
export function persistingFetch(persister: CryptoPersister, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (revealsCryptoState(method, url)) await persister.flushIfChanged();
    return inner(input, init);
  };
}
