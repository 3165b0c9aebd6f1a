// Chat widget launcher embedded on tenants' websites.
//
// implements REQ-0006: the launcher is tiny and loads after the host page;
// the conversation UI is fetched only when the customer opens the chat.

export interface WidgetOptions {
  tenant: string;
  /** Base URL of the widget bundle, e.g. https://chat.example.com/w/ */
  base: string;
  language?: string;
}

let conversationModule: Promise<typeof import("./conversation")> | null = null;

/** Loads the conversation UI once, on first use. */
function loadConversation(): Promise<typeof import("./conversation")> {
  conversationModule ??= import("./conversation");
  return conversationModule;
}

/** Installs the launcher button without blocking the host page. */
export function install(opts: WidgetOptions, win: Window = window): void {
  const start = () => {
    const button = win.document.createElement("button");
    button.className = "rt-chat-launcher";
    button.setAttribute("aria-label", opts.language === "zh-CN" ? "在线客服" : "Chat with us");
    button.addEventListener("click", async () => {
      const ui = await loadConversation();
      ui.open(opts);
    });
    // Warm the cache when the pointer approaches the button.
    button.addEventListener("pointerenter", () => void loadConversation(), { once: true });
    win.document.body.appendChild(button);
  };
  if (win.document.readyState === "complete") {
    start();
  } else {
    win.addEventListener("load", start, { once: true });
  }
}
