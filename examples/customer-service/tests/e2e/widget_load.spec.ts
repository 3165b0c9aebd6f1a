// Synthetic performance test of the chat widget, run with Playwright on every
// build (mid-range Android profile, throttled to "Fast 4G").
// verifies REQ-0006

import { test, expect, devices } from "@playwright/test";
import { statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

const bundle = "dist/widget/launcher.js";

test("REQ-0006 launcher is smaller than 60 KB compressed", () => {
  statSync(bundle); // fails when the bundle was not built
  const gz = gzipSync(readFileSync(bundle));
  expect(gz.byteLength).toBeLessThan(60 * 1024);
});

test.use({ ...devices["Pixel 5"] });

test("REQ-0006 widget is interactive within one second on 4G", async ({ page, context }) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 60,
    downloadThroughput: (9 * 1024 * 1024) / 8,
    uploadThroughput: (1.5 * 1024 * 1024) / 8,
  });
  await page.goto("/fixtures/host-page.html");
  await page.waitForLoadState("load");
  const t0 = Date.now();
  const launcher = page.locator(".rt-chat-launcher");
  await launcher.waitFor({ state: "visible" });
  await launcher.click({ trial: true });
  expect(Date.now() - t0).toBeLessThan(1000);
});
