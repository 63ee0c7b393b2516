// Firefox ESR (Debian's firefox-esr) driven by Puppeteer over WebDriver BiDi,
// for the phone checks of tests/test_engines_other.py. No geckodriver and no
// browser download: Puppeteer starts the system Firefox.
//
// Usage: node firefox.mjs FIREFOX WIDTH HEIGHT
// Reads one command a line on stdin (JSON) and writes one answer a line on
// stdout ({"ok": value} or {"error": message}):
//   {"op": "goto", "url": ...}          open a page and wait for its load event
//   {"op": "eval", "js": ...}           the value of a JavaScript expression (a promise is awaited)
//   {"op": "click", "selector": ...}    click (tap) the first element that matches
//   {"op": "type", "text": ...}         type into the focused element, key by key
//   {"op": "errors"}                    the script errors since the last ask
// The browser closes when stdin closes.

import { createInterface } from "node:readline";
import puppeteer from "puppeteer";

const [firefox, width, height] = process.argv.slice(2);
// Nothing outside the test's own server: no captive-portal or connectivity
// probe, no updates (Puppeteer's own Firefox preferences turn off the rest).
const prefs = {
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "app.update.enabled": false,
  "browser.safebrowsing.update.enabled": false,
};
const browser = await puppeteer.launch({ browser: "firefox", executablePath: firefox, headless: true,
  extraPrefsFirefox: prefs });
const page = (await browser.pages())[0] || (await browser.newPage());
// Firefox 140 ESR has no BiDi command for the screen orientation that
// Puppeteer sends with the size; the size itself is set (the checks measure
// innerWidth on every page).
await page.setViewport({ width: Number(width), height: Number(height) }).catch((error) => {
  if (!/setScreenOrientationOverride/.test(error.message)) throw error;
});
const errors = [];
page.on("pageerror", (error) => errors.push(String(error.message || error)));

const commands = {
  goto: async ({ url }) => { await page.goto(url, { waitUntil: "load" }); return null; },
  eval: ({ js }) => page.evaluate(js),
  click: async ({ selector }) => { await page.click(selector); return null; },
  type: async ({ text }) => { await page.keyboard.type(text); return null; },
  errors: () => errors.splice(0),
};

for await (const line of createInterface({ input: process.stdin })) {
  let answer;
  try {
    const command = JSON.parse(line);
    answer = { ok: (await commands[command.op](command)) ?? null };
  } catch (error) {
    answer = { error: String(error.message || error).split("\n")[0] };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
