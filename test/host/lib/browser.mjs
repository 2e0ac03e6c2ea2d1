// Headless Debian Chromium driven by playwright-core (from the repo's node_modules), for loading
// code-server's workbench. Used by test/host/run-code-server.mjs and meant for UI tests too:
//
//   const browser = await launchBrowser({ dir: run.dir });
//   const exit = exposeAutomationExit(browser.page);           // before page.goto
//   const fwd = forwardConsole(browser.page, { onLine: console.log });
//   await browser.page.goto(cs.workbenchUrl({ payload }));
//   const code = await exit;
//   await fwd.flush();
//   await browser.close();                                      // also removes the profile
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The Chromium binary: env CHROMIUM_PATH, else Debian's /usr/bin/chromium. Throws a clear error if missing. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const hit = candidates.find((p) => fs.existsSync(p));
  if (!hit) {
    throw new Error(`Chromium not found (tried ${candidates.join(', ')}). Install it with: bash test/host/setup.sh ` +
      '(apt-get install chromium), or set CHROMIUM_PATH.');
  }
  return hit;
}

/**
 * Launches headless Chromium with a fresh profile folder (created under `dir`, default the OS
 * temp dir) that `close()` removes. Returns { context, page, userDataDir, close() }.
 * options: dir, viewport ({ width, height }), extraArgs, headless (default true).
 */
export async function launchBrowser({ dir = os.tmpdir(), viewport = { width: 1400, height: 900 }, extraArgs = [], headless = true } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(dir, 'chrome-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(), headless, viewport, args: [...CHROMIUM_ARGS, ...extraArgs],
    });
  } catch (e) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? await context.newPage();
  let closed = false;
  return {
    context, page, userDataDir,
    async close() {
      if (closed) return;
      closed = true;
      try { await context.close(); } catch { /* already gone */ }
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * Resolves with the exit code the workbench reports when the extension tests settle (the smoke-test
 * driver calls window.codeAutomationExit(code)). Call before page.goto().
 */
export function exposeAutomationExit(page) {
  return new Promise((resolve, reject) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).catch(reject);
  });
}

/**
 * Messages of code-server's workbench and of the offline server that say nothing about our
 * extension (connection setup, agent/chat/account services, lookups of open-vsx.org and GitHub
 * that fail without network). Anchored where possible so test output is never hidden.
 */
export const CONSOLE_NOISE = new RegExp([
  '^(?:Resolving connection token|Resolved connection token|Creating a socket|Failed to load resource',
  '\\[reconnection-grace-time\\]|\\[AgentHost|\\[ChatModelSelection\\]|\\[AccountPolicyGate\\]|\\[Service Worker\\]',
  'The web worker extension host is started|Updating additional builtin extensions cache',
  'An iframe which has both allow-scripts and allow-same-origin)',
  "Timed out waiting for authentication provider 'github'",
  '^ERR Canceled: Canceled\\s[\\s\\S]*(?:_doStopExtensionHosts|_onExtensionHostExit)',   // workbench shutting the host down
  'getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?:open-vsx\\.org|[\\w.-]*(?:visualstudio|vscode-cdn|github|microsoft)[\\w.-]*)',
  'net::ERR_NAME_NOT_RESOLVED|net::ERR_INTERNET_DISCONNECTED',
].join('|'));

/**
 * Turns page console messages into text, in arrival order, and calls `onLine(text, { isNoise, type })`
 * for each. The workbench logs (including everything the extension host writes to its console) as
 * `'%c LEVEL', css, format, ...args`: the styling is dropped, INFO/LOG/DEBUG/TRACE levels too, other
 * levels (ERR, WARN) stay as a prefix. The default `onLine` prints what is not noise.
 * Returns { flush(): Promise<void> }, which waits until every message received so far was handled.
 */
export function forwardConsole(page, { onLine, noise = CONSOLE_NOISE } = {}) {
  const handle = onLine ?? ((text, { isNoise }) => { if (!isNoise) console.log(text); });
  let chain = Promise.resolve();
  page.on('console', (message) => {
    chain = chain.then(async () => {
      let values;
      try {
        values = await Promise.all(message.args().map((a) => a.jsonValue()));
      } catch {
        values = [message.text()];
      }
      if (values.length === 0) values = [message.text()];
      if (typeof values[0] === 'string' && values[0].includes('%c')) {
        const styles = (values[0].match(/%c/g) ?? []).length;
        const head = values[0].replace(/%c/g, '').trim();
        values = values.slice(1 + styles);
        if (head && !/^(?:INFO|LOG|DEBUG|TRACE)$/i.test(head)) values.unshift(head);
      }
      const text = values.length ? util.format(...values) : message.text();
      handle(text, { isNoise: noise.test(text) || noise.test(message.text()), type: message.type() });
    }).catch(() => { /* a handler problem must not break the chain */ });
  });
  return { flush: () => chain };
}
