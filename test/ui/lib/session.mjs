// One UI test session: the gateway test server, the packaged extension installed into a fresh
// code-server with a sample workspace, and headless Chromium on the workbench.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser } from '../../host/lib/browser.mjs';
import {
  createRunDir, createSampleWorkspace, DEFAULT_USER_SETTINGS, ensureInstalled, installExtension, REPO_ROOT, startCodeServer,
} from '../../host/lib/codeServer.mjs';
import { answerInputBox, runCommand, until, waitForWorkbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startGateway } = require(path.join(REPO_ROOT, 'out/test/gateway/server.js'));

export const SHOTS = path.join(REPO_ROOT, 'test-results/ui');
export const KEY = 'sk-ui-test-key-0123456789';

/**
 * Starts everything; `close()` stops it. `gateway` options are `startGateway`'s. The run folder is
 * kept when KEEP_RUN_DIR is set.
 */
export async function startUiSession({ gateway: gatewayInit = {}, prefix = 'ui-' } = {}) {
  const vsix = process.env.UI_VSIX;
  await ensureInstalled();
  assert.ok(vsix && fs.existsSync(vsix), `UI_VSIX must name the packaged extension (got ${vsix})`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const s = {};
  s.gateway = await startGateway(gatewayInit);
  s.run = createRunDir({ prefix });
  s.workspace = createSampleWorkspace(path.join(s.run.dir, 'ws'));
  await installExtension(vsix, { run: s.run });
  s.server = await startCodeServer({
    run: s.run, workspace: s.workspace, smokeTestDriver: false,
    userSettings: {
      ...DEFAULT_USER_SETTINGS, 'hunyuan.baseUrl': s.gateway.baseUrl(), 'workbench.colorTheme': 'Default Dark Modern',
      // the workbench's own chat would sit beside ours in the screenshots
      'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true,
    },
  });
  s.browser = await launchBrowser({ dir: s.run.dir });
  s.page = s.browser.page;
  await s.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.server.url });
  await s.page.goto(s.server.workbenchUrl());
  await waitForWorkbench(s.page);
  s.close = async () => {
    await s.browser?.close();
    await s.server?.stop();
    await s.gateway?.close();
    if (s.run && !process.env.KEEP_RUN_DIR) s.run.remove();
  };
  return s;
}

/** Stores the API key the way a user does: the command, then the password box. */
export async function setApiKey(page, key = KEY) {
  await runCommand(page, 'Hunyuan: Set API Key');
  const box = page.locator('.quick-input-widget input');
  // the palette's own input turns into our password box once the command runs
  await until(async () => (await box.getAttribute('type')) === 'password', 'the password input box', 10000);
  await answerInputBox(page, key);
}

/** Saves a screenshot of a failed test (call from `afterEach`). */
export async function screenshotOnFailure(test, page) {
  if (test?.state === 'failed' && page) {
    const name = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page.screenshot({ path: path.join(SHOTS, `failed-${name}.png`) }).catch(() => {});
  }
}
