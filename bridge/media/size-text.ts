// How a size limit is written in a message to her: whole megabytes, the way phones show file sizes.

/** 20_971_520 → "20 MB"; limits under one megabyte in kilobytes. */
export function sizeText(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  if (megabytes >= 1) return `${Math.floor(megabytes)} MB`;
  return `${Math.max(1, Math.floor(bytes / 1024))} KB`;
}
