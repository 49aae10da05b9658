import type { CryptoPersister } from "./crypto-persister.ts";

/**
 * Wraps fetch so that every request to the homeserver waits until the crypto state is on disk.
 * A `/sync` with a `since` token tells the server to drop the to-device messages (room keys) it already sent;
 * `/keys/upload` publishes one-time keys; `/sendToDevice` and room sends advance ratchets. Each of them must
 * happen only after the state that led to it is persisted, or a crash loses keys or reuses them.
 */
export function persistingFetch(persister: CryptoPersister, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    await persister.flushIfChanged();
    return inner(input, init);
  };
}
