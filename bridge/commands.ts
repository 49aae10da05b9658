// The few words the bridge acts on instead of relaying: pure.
import type { MatrixEvent } from "matrix-js-sdk";
import { normaliseInput } from "../core/i18n/translate.ts";
import { exitWordsLocale } from "../core/i18n/exit-words.ts";

const bodyOf = (event: MatrixEvent): string | undefined => {
  if (event.getType() !== "m.room.message") return undefined;
  const body: unknown = event.getContent()["body"];
  return typeof body === "string" ? body : undefined;
};

/** "close" / "បិទ" closes her case; any exit word ("exit", "quit", "ចាកចេញ", …) is the quick exit (the intake bot's). Only the whole message. */
export function survivorCommand(event: MatrixEvent): "close" | "exit" | undefined {
  const body = bodyOf(event);
  if (body === undefined) return undefined;
  const word = normaliseInput(body);
  if (word === "close" || word === "បិទ") return "close";
  if (exitWordsLocale(body) !== undefined) return "exit";
  return undefined;
}

/** `!close` (with or without the case code) in an org-side room. */
export function staffCommand(event: MatrixEvent): "close" | undefined {
  const body = bodyOf(event);
  return body !== undefined && /^\s*!close(\s+\S+)?\s*$/i.test(body) ? "close" : undefined;
}
