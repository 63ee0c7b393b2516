// Three accessibility engines on a list of pages, in one system Chromium:
//   pa11y 9 with HTML_CodeSniffer (WCAG2AA, errors only),
//   IBM Equal Access (accessibility-checker-engine's ace.js, injected into the
//     page as the accessibility-checker package does, so its rules come from
//     node_modules and not from IBM's CDN),
//   Siteimprove Alfa (alfa-puppeteer reads the page, Alfa's rules run in Node).
//
// Usage: node engines.mjs CHROMIUM FLAGS WIDTH HEIGHT READY URL...
// Prints one JSON object: { "<url>": { "pa11y": [...], "ibm": [...], "alfa": [...] } }
// Each finding: { rule, selector, message, level } where level is "A", "AA",
// "AAA" or "" (a rule tied to no WCAG criterion, or a best practice).
// Nothing here reaches the internet: Chromium runs with its background
// services off, and every engine's rules are files of this folder.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer";
import pa11y from "pa11y";
import { Audit, Outcome } from "@siteimprove/alfa-act";
import { Puppeteer } from "@siteimprove/alfa-puppeteer";
import { Rules } from "@siteimprove/alfa-rules";

const require = createRequire(import.meta.url);
const ACE = readFileSync(require.resolve("accessibility-checker-engine/ace.js"), "utf8");
// CHROMIUM and FLAGS (a JSON list) come from scripts/leaflet_site/chromium.py,
// the one home of how Chromium is started (tests/engines.py passes them).
const [chromium, flags, width, height, ready, ...urls] = process.argv.slice(2);
const FLAGS = JSON.parse(flags);
const viewport = { width: Number(width), height: Number(height) };

async function runPa11y(browser, page, url) {
  const result = await pa11y(url, { browser, page, ignoreUrl: true, viewport, standard: "WCAG2AA",
    runners: ["htmlcs"], includeNotices: false, includeWarnings: false, timeout: 60000 });
  return result.issues.map((i) => ({ rule: i.code, selector: i.selector, message: i.message, level: "AA" }));
}

// A page that stays put: the root redirect's meta refresh gets "204 No
// Content", which leaves the page where it is, so the engines read the
// redirect page itself (what a browser with refresh turned off shows), not
// the page it leads to.
async function stayingPage(browser, url) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame() && request.url() !== url) {
      request.respond({ status: 204 });
    } else {
      request.continue();
    }
  });
  return page;
}

// The page loaded, its scripts set up (READY, a JavaScript expression from
// tests/browser.py) and what they fetch arrived (nothing asked for in
// 100 ms). pa11y's own wait (until no more than two requests have been open
// for 500 ms) cost 0.5-1.1 s a page and finds the same: the engines are
// handed the page as it is (pa11y's ignoreUrl).
async function opened(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(ready);
  await page.waitForNetworkIdle({ idleTime: 100 });
}

// IBM's rule sets name the WCAG 2.2 A and AA rules; the rest of
// IBM_Accessibility (its own requirements and AAA) is reported, not failed.
async function runIbm(page) {
  await page.evaluate(ACE);
  return page.evaluate(async () => {
    const checker = new ace.Checker();
    const wcag = new Set();
    for (const set of checker.getGuidelines()) {
      if (set.id !== "WCAG_2_2") continue;
      for (const cp of set.checkpoints) for (const rule of cp.rules || []) wcag.add(rule.id);
    }
    const report = await checker.check(document, ["IBM_Accessibility"]);
    return report.results
      .filter((r) => r.value[0] === "VIOLATION" && r.value[1] === "FAIL")
      .map((r) => ({ rule: r.ruleId, selector: r.path.dom, message: r.message,
        level: wcag.has(r.ruleId) ? "AA" : "" }));
  });
}

async function runAlfa(page) {
  const alfaPage = await Puppeteer.toPage(await page.evaluateHandle(() => document));
  const outcomes = await Audit.of(alfaPage, Rules.values()).evaluate();
  const found = [];
  for (const outcome of outcomes) {
    if (!Outcome.isFailed(outcome)) continue;
    const levels = [...outcome.rule.requirements].map(levelOf);
    const level = levels.includes("A") ? "A" : levels.includes("AA") ? "AA" : levels.includes("AAA") ? "AAA" : "";
    const target = outcome.target;
    found.push({ rule: outcome.rule.uri.split("/").pop(), selector: selectorOf(target),
      message: "", level });
  }
  return found;
}

// A WCAG criterion's level in WCAG 2.2 ("" when it is not in 2.2, as 4.1.1).
function levelOf(requirement) {
  if (!requirement.level) return "";
  for (const [level, versions] of requirement.level.toJSON()) if (versions.includes("2.2")) return level;
  return "";
}

function selectorOf(target) {
  try {
    const path = target.path ? target.path() : String(target);
    return typeof path === "string" ? path : JSON.stringify(path);
  } catch {
    return String(target);
  }
}

const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: FLAGS });
const results = {};
try {
  for (const url of urls) {
    const page = await stayingPage(browser, url);
    await opened(page, url);
    const found = { pa11y: await runPa11y(browser, page, url) };
    found.ibm = await runIbm(page);
    found.alfa = await runAlfa(page);
    await page.close();
    results[url] = found;
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
