/**
 * SIGINT and SIGTERM: the first asks for a clean stop (`signal` aborts, `stopped` resolves); a second one while
 * stopping calls `force`.
 */
export function stopRequests(force: () => void): { signal: AbortSignal; stopped: Promise<void>; dispose(): void } {
  const controller = new AbortController();
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const onSignal = (): void => {
    if (controller.signal.aborted) return force();
    controller.abort();
    resolveStopped();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    stopped,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
