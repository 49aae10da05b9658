/** No 0/O or 1/I: a code is read aloud over the phone and copied by hand. 32 symbols, so each byte maps evenly. */
export const caseCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const length = 8;

export type CaseCode = string & { readonly __brand: "CaseCode" };

/**
 * A fresh case code like `K7Q2-M4XP`: 40 random bits, so codes cannot be guessed or enumerated, and they never
 * contain anything about the person. `randomBytes` is injected to keep this module pure.
 */
export function newCaseCode(randomBytes: (count: number) => Uint8Array): CaseCode {
  const bytes = randomBytes(length);
  let code = "";
  for (let i = 0; i < length; i++) {
    if (i === 4) code += "-";
    code += caseCodeAlphabet[bytes[i]! % caseCodeAlphabet.length];
  }
  return code as CaseCode;
}

/** Reads a code as staff type it: any case, spaces or no hyphen. Undefined when it cannot be a case code. */
export function parseCaseCode(input: string): CaseCode | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length !== length) return undefined;
  for (const symbol of compact) if (!caseCodeAlphabet.includes(symbol)) return undefined;
  return `${compact.slice(0, 4)}-${compact.slice(4)}` as CaseCode;
}
