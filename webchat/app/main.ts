// The first screen: no SDK, no WASM. They load after it shows (see `preload`), so a slow phone sees the page fast.
import "@fontsource/noto-sans-khmer/khmer-400.css";
import "@fontsource/noto-sans-khmer/khmer-700.css";
import type { MessageKey } from "../../core/i18n/catalogue.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { API, type WebchatRuntimeConfig } from "../shared/api.ts";
import { listenForDoubleEscape, onQuickExit, quickExit } from "./quick-exit.ts";
import { formatReturnCode, parseReturnCode } from "./return-code.ts";
import type * as SessionModule from "./session.ts";
import type { ChatSession, SessionOutcome } from "./session.ts";

type Screen = "start" | "restore" | "connecting" | "code" | "chat";

const state: {
  locale: Locale;
  screen: Screen;
  notice?: MessageKey;
  session?: ChatSession;
  activeRoomId?: string;
  config?: WebchatRuntimeConfig;
} = { locale: "km", screen: "start" };

// Only messages without parameters are shown here, so the parameter check of `translate` has nothing to check.
const translateKey = translate as (locale: Locale, key: MessageKey) => string;
const t = (key: MessageKey): string => translateKey(state.locale, key);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; testId?: string } = {},
  ...children: (Node | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text; // never innerHTML: messages are untrusted text
  if (props.testId !== undefined) node.dataset.testid = props.testId;
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

function button(key: MessageKey, testId: string, onClick: () => void, className = "button"): HTMLButtonElement {
  const node = el("button", { className, text: t(key), testId });
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

const preload = (): Promise<typeof SessionModule> => import("./session.ts");

function exitUrl(): string {
  return state.config?.exitUrl ?? "about:blank";
}

function exitAndErase(): void {
  const session = state.session;
  if (session !== undefined) {
    // keepalive: the request outlives the page, which is leaving right now.
    void fetch(API.erase, {
      method: "POST",
      keepalive: true,
      headers: { authorization: `Bearer ${session.accessToken}` },
    }).catch(() => undefined);
  }
  quickExit(exitUrl());
}

function header(): HTMLElement {
  const other: Locale = state.locale === "km" ? "en" : "km";
  const language = el("button", { className: "link", text: translate(other, "locale.name"), testId: "language" });
  language.type = "button";
  language.lang = other;
  language.addEventListener("click", () => {
    state.locale = other;
    render();
  });
  return el(
    "header",
    { className: "bar" },
    language,
    state.session === undefined ? undefined : button("webchat.exitErase", "exit-erase", exitAndErase, "link"),
    button("webchat.exit", "exit", () => quickExit(exitUrl()), "exit"),
  );
}

function refusalNotice(refused: string, returning: boolean): MessageKey {
  if (refused === "unknown-code") return "webchat.restore.wrong";
  if (refused === "too-many") return returning ? "webchat.status.throttled" : "webchat.status.tooMany";
  return "webchat.status.failed";
}

async function begin(
  returning: boolean,
  run: (session: typeof SessionModule) => Promise<SessionOutcome>,
): Promise<void> {
  state.screen = "connecting";
  delete state.notice;
  render();
  let outcome: SessionOutcome;
  try {
    outcome = await run(await preload());
  } catch {
    outcome = { refused: "failed" };
  }
  if ("refused" in outcome) {
    state.notice = refusalNotice(outcome.refused, returning);
    state.screen = returning ? "restore" : "start";
    render();
    return;
  }
  const { session } = outcome;
  state.session = session;
  onQuickExit(() => session.stop());
  session.onChange(() => {
    if (state.screen === "chat") renderChat();
  });
  state.screen = session.code === "" ? "chat" : "code";
  render();
}

function startScreen(): HTMLElement {
  return el(
    "main",
    { className: "card" },
    el("h1", { text: t("webchat.start.title") }),
    el("p", { text: t("webchat.start.intro") }),
    state.notice === undefined ? undefined : el("p", { className: "notice", text: t(state.notice), testId: "notice" }),
    button("webchat.start.button", "start", () => {
      void begin(false, (s) => s.startNewSession(state.config!.intakeUserId));
    }),
    button(
      "webchat.restore.button",
      "have-code",
      () => {
        state.screen = "restore";
        delete state.notice;
        render();
      },
      "button secondary",
    ),
    el("p", { className: "hint", text: t("webchat.exitHint") }),
  );
}

function restoreScreen(): HTMLElement {
  const input = el("input", { testId: "code-input" });
  input.inputMode = "numeric";
  input.autocomplete = "off";
  input.setAttribute("aria-label", t("webchat.restore.label"));
  const form = el("form", { className: "card" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = parseReturnCode(input.value);
    if (code === undefined) {
      state.notice = "webchat.restore.wrong";
      render();
      return;
    }
    void begin(true, (s) => s.restoreSession(state.config!.intakeUserId, code));
  });
  const submit = el("button", { className: "button", text: t("webchat.restore.submit"), testId: "code-submit" });
  submit.type = "submit";
  form.append(
    el("h1", { text: t("webchat.restore.label") }),
    input,
    ...(state.notice === undefined ? [] : [el("p", { className: "notice", text: t(state.notice), testId: "notice" })]),
    submit,
  );
  return form;
}

function codeScreen(session: ChatSession): HTMLElement {
  return el(
    "main",
    { className: "card" },
    el("h1", { text: t("webchat.code.title") }),
    el("p", { className: "code", text: formatReturnCode(session.code), testId: "return-code" }),
    el("p", { text: t("webchat.code.explain") }),
    button("webchat.code.continue", "code-done", () => {
      state.screen = "chat";
      render();
    }),
  );
}

let chatRoot: HTMLElement | undefined;
let draft = "";

function renderChat(): void {
  const session = state.session;
  if (session === undefined || chatRoot === undefined) return;
  const rooms = session.rooms();
  const active = rooms.find((room) => room.roomId === state.activeRoomId) ?? rooms[0];
  state.activeRoomId = active?.roomId;
  const tabs = el("nav", { className: "tabs" });
  for (const room of rooms) {
    const label = room.kind === "assistant" ? t("webchat.room.assistant") : t("webchat.room.case");
    const tab = el("button", {
      className: room === active ? "tab active" : "tab",
      text: label,
      testId: `tab-${room.kind}`,
    });
    tab.type = "button";
    tab.addEventListener("click", () => {
      state.activeRoomId = room.roomId;
      renderChat();
    });
    tabs.append(tab);
  }
  const list = el("ol", { className: "messages", testId: "messages" });
  for (const message of active?.messages ?? []) {
    const item = el("li", { className: message.mine ? "message mine" : "message" }, el("span", { text: message.body }));
    if (message.mark !== undefined && message.mark !== "sending") {
      item.append(
        el("small", {
          className: "mark",
          text: t(message.mark === "read" ? "webchat.mark.read" : "webchat.mark.delivered"),
        }),
      );
    }
    list.append(item);
  }
  const about =
    active?.kind === "case"
      ? el("p", {
          className: "about",
          text: [active.name, active.topic].filter(Boolean).join(" · "),
          testId: "case-about",
        })
      : undefined;
  const typing = active?.othersTyping ? el("p", { className: "typing", text: t("webchat.typing") }) : undefined;
  const input = el("textarea", { testId: "composer" });
  input.rows = 2;
  input.value = draft;
  input.placeholder = t("webchat.composer.placeholder");
  input.addEventListener("input", () => {
    draft = input.value;
    if (active !== undefined) session.typing(active.roomId);
  });
  const form = el("form", { className: "composer" }, input);
  const send = el("button", { className: "button", text: t("webchat.composer.send"), testId: "send" });
  send.type = "submit";
  form.append(send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === "" || active === undefined) return;
    draft = "";
    void session.send(active.roomId, text).catch(() => undefined);
    renderChat();
  });
  const focused = document.activeElement?.getAttribute("data-testid") === "composer";
  chatRoot.replaceChildren(tabs, ...(about ? [about] : []), list, ...(typing ? [typing] : []), form);
  chatRoot.dataset.keysSaved = String(session.keysSaved());
  list.scrollTop = list.scrollHeight;
  if (focused) input.focus();
}

function render(): void {
  document.documentElement.lang = state.locale;
  const app = document.getElementById("app")!;
  let body: HTMLElement;
  switch (state.screen) {
    case "start":
      body = startScreen();
      break;
    case "restore":
      body = restoreScreen();
      break;
    case "connecting":
      body = el("main", { className: "card" }, el("p", { text: t("webchat.status.connecting"), testId: "connecting" }));
      break;
    case "code":
      body = codeScreen(state.session!);
      break;
    case "chat":
      chatRoot = el("main", { className: "chat", testId: "chat" });
      body = chatRoot;
      break;
  }
  app.replaceChildren(header(), body);
  app.dataset.screen = state.screen;
  if (state.screen === "chat") renderChat();
}

async function boot(): Promise<void> {
  listenForDoubleEscape(exitUrl);
  render();
  const response = await fetch(API.config);
  state.config = (await response.json()) as WebchatRuntimeConfig;
  // The SDK comes after the first screen and its font are on the glass; the crypto WASM when a chat starts.
  const whenIdle = (): void => void requestIdleCallback(() => void preload().catch(() => undefined));
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

void boot();
