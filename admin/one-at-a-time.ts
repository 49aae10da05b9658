// Check-then-write sequences (read, compare If-Match, write) that must not interleave. One Haven process serves
// the API, so a queue in memory is enough: two updates sent with the same ETag cannot both pass the check.
export type OneAtATime = <T>(work: () => Promise<T>) => Promise<T>;

export function oneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}
