// One UI test session: the gateway test server, the packaged extension installed into a fresh
// code-server with a sample workspace, and headless Chromium on the workbench. One session serves
// a whole test file; each test sets up the state it needs on it (ensureApiKey, its own gateway
// scenario, a new chat or a file of its own), so any test can run alone (UI_TEST_GREP).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser } from '../../host/lib/browser.mjs';
import {
  createRunDir, createSampleWorkspace, DEFAULT_USER_SETTINGS, ensureInstalled, installExtension, REPO_ROOT, startCodeServer,
} from '../../host/lib/codeServer.mjs';
import {
  answerInputBox, clearNotifications, runCommand, toast, until, updateUserSettings, WAIT_MS, waitForWorkbench,
} from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startGateway } = require(path.join(REPO_ROOT, 'out/test/gateway/server.js'));

export const SHOTS = path.join(REPO_ROOT, 'test-results/ui');
export const KEY = 'sk-ui-test-key-0123456789';

/**
 * Starts everything; `close()` stops it. `gateway` options are `startGateway`'s; `extraArgs` go
 * to code-server's command line (e.g. ['--locale', 'zh-cn']); `userSettings` are added to the
 * defaults; `extensions(runDir)` returns more .vsix files to install; `beforeStart(run)` runs after
 * the installs, before code-server starts. The run folder is kept when KEEP_RUN_DIR is set.
 */
export async function startUiSession({ gateway: gatewayInit = {}, prefix = 'ui-', extraArgs = [], userSettings = {}, extensions = () => [], beforeStart = () => {} } = {}) {
  const vsix = process.env.UI_VSIX;
  await ensureInstalled();
  assert.ok(vsix && fs.existsSync(vsix), `UI_VSIX must name the packaged extension (got ${vsix})`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const s = { keySet: false };
  s.gateway = await startGateway(gatewayInit);
  s.run = createRunDir({ prefix });
  s.workspace = createSampleWorkspace(path.join(s.run.dir, 'ws'));
  s.settingsFile = path.join(s.run.userDataDir, 'User/settings.json');
  await installExtension(vsix, { run: s.run });
  for (const other of extensions(s.run.dir)) await installExtension(other, { run: s.run });
  await beforeStart(s.run);
  s.server = await startCodeServer({
    run: s.run, workspace: s.workspace, smokeTestDriver: false, extraArgs,
    userSettings: {
      ...DEFAULT_USER_SETTINGS, 'hunyuan.baseUrl': s.gateway.baseUrl(), 'workbench.colorTheme': 'Default Dark Modern',
      // the workbench's own chat would sit beside ours in the screenshots
      'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true,
      ...userSettings,
    },
  });
  s.browser = await launchBrowser({ dir: s.run.dir });
  s.page = s.browser.page;
  await s.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.server.url });
  await s.page.goto(s.server.workbenchUrl());
  await waitForWorkbench(s.page);
  /** Changes user settings through the settings editor (see updateUserSettings). */
  s.updateSettings = (patch) => updateUserSettings(s.page, s.settingsFile, patch);
  s.close = async () => {
    await s.browser?.close();
    await s.server?.stop();
    await s.gateway?.close();
    if (s.run && !process.env.KEEP_RUN_DIR) s.run.remove();
  };
  return s;
}

/**
 * Stores the API key the way a user does: the command, then the password box. `title` is the
 * command's title as the palette shows it (it changes with the display language).
 */
export async function setApiKey(page, key = KEY, { title = 'Hunyuan: Set API Key', saved = 'Hunyuan API key saved.' } = {}) {
  await runCommand(page, title);
  const box = page.locator('.quick-input-widget input');
  // the palette's own input turns into our password box once the command runs
  await until(async () => (await box.getAttribute('type')) === 'password', 'the password input box');
  await answerInputBox(page, key);
  // stored once it says so
  await toast(page, saved).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await clearNotifications(page);
}

/** Sets the key unless this session already did (a test that needs the key calls it first). */
export async function ensureApiKey(session, options) {
  if (session.keySet) return;
  await setApiKey(session.page, KEY, options);
  session.keySet = true;
}

/** Saves a screenshot of a failed test (call from `afterEach`). */
export async function screenshotOnFailure(test, page) {
  if (test?.state === 'failed' && page) {
    const name = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page.screenshot({ path: path.join(SHOTS, `failed-${name}.png`) }).catch(() => {});
  }
}
