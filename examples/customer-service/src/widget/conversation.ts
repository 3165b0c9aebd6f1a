// Conversation UI of the chat widget, loaded on demand by the launcher.
// implements REQ-0006 (lazy-loaded part of the widget)

import type { WidgetOptions } from "./launcher";

export function open(opts: WidgetOptions): void {
  const frame = document.createElement("iframe");
  frame.title = opts.language === "zh-CN" ? "在线客服" : "Chat";
  frame.src = `${opts.base}conversation.html?tenant=${encodeURIComponent(opts.tenant)}`;
  frame.className = "rt-chat-frame";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms");
  document.body.appendChild(frame);
}
