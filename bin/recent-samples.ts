// The latest `capacity` figures, oldest dropped first: a window for metrics that cannot grow without bound.
export interface RecentSamples<T> {
  add(sample: T): void;
  values(): readonly T[];
}

export function recentSamples<T>(capacity: number): RecentSamples<T> {
  const ring: T[] = [];
  let next = 0;
  return {
    add(sample) {
      if (ring.length < capacity) ring.push(sample);
      else ring[next] = sample;
      next = (next + 1) % capacity;
    },
    values: () => [...ring],
  };
}
