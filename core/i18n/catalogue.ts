import { en } from "./catalogues/en.ts";

/** The reference catalogue's shape: every locale has exactly these keys. */
export type MessageKey = keyof typeof en;

type ParamNames<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

/** The named parameters a message takes, read from the English text at compile time. */
export type MessageParams<K extends MessageKey> = [ParamNames<(typeof en)[K]>] extends [never]
  ? Record<string, never>
  : Record<ParamNames<(typeof en)[K]>, string | number>;

export type Catalogue = Readonly<Record<MessageKey, string>>;

export const referenceCatalogue: Catalogue = en;

type WidenedKeys = { [K in MessageKey]: string extends (typeof en)[K] ? K : never }[MessageKey];
// Compile error here if an English message is not one string literal (e.g. joined with +): its type would
// widen to string and its {parameters} would no longer be checked.
const _everyMessageLiteral: [WidenedKeys] extends [never] ? true : WidenedKeys = true;
void _everyMessageLiteral;
