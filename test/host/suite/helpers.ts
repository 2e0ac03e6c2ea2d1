// Shared helpers of the host tests: the extension's test API, settings reset, a gateway server,
// waits on conditions, and what the extension showed the user (notifications, input boxes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension/extension';
import type { ShownInputBox, ShownMessage } from '../../../src/extension/ui';
import { startGateway, type GatewayServer } from '../../gateway/server';

/**
 * How long a wait on a condition may take before it fails. Generous: the suite must hold on a busy
 * 2-core machine, and a wait whose condition holds early costs nothing. Tests' own limits
 * (mocha's, in index.ts) are larger still, so a wait fails with its own message first.
 */
export const WAIT_MS = 60000;

export const EXTENSION_ID = 'hunyuan-coder.hunyuan-coder';

export async function activateExtension(): Promise<{ ext: vscode.Extension<TestApi | undefined>; api: TestApi }> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  const api = await ext.activate();
  if (!api) throw new Error('the extension returned no test API: is it running in ExtensionMode.Test?');
  return { ext, api };
}

/** Every `hunyuan.*` setting contributed by the manifest, without the prefix. */
export function settingKeys(ext: vscode.Extension<unknown>): string[] {
  const props = ext.packageJSON.contributes.configuration.properties as Record<string, unknown>;
  return Object.keys(props).map((k) => k.slice('hunyuan.'.length));
}

/** Sets user settings (undefined removes one) and waits until the configuration shows them. */
export async function setUserSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('hunyuan');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

export async function resetUserSettings(ext: vscode.Extension<unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('hunyuan');
  for (const key of settingKeys(ext)) {
    if (config.inspect(key)?.globalValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Drops every inline diff and closes the editors, reverting each first: accepted proposals leave
 * documents dirty, and a save prompt would block the next test.
 */
export async function closeDiffsAndEditors(api: TestApi, editors = 8): Promise<void> {
  for (const diff of api.diffs.sessions()) diff.dispose();
  for (let i = 0; i < editors && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/** Polls `probe` until it returns something truthy (returned), or fails after `ms`. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = WAIT_MS): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** VS Code's undo or redo on `doc` (they act on the editor with the focus: `doc`'s is given it first). */
export async function undoRedo(command: 'undo' | 'redo', doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand(command);
}

/** Every notification the extension has shown since the last `ui.reset()` (each test starts with one). */
export function shownMessages(api: TestApi): ShownMessage[] {
  return api.ui.shown.filter((s): s is ShownMessage => s.type === 'message');
}

/** Waits for a notification whose text matches `text`, not yet answered. */
export function waitForMessage(api: TestApi, text: RegExp, what = `a notification matching ${text}`): Promise<ShownMessage> {
  return waitFor(() => shownMessages(api).find((m) => !m.settled && text.test(m.message)), what);
}

/** Waits for an input box, not yet answered, whose title matches `title`. */
export function waitForInputBox(api: TestApi, title: RegExp): Promise<ShownInputBox> {
  return waitFor(
    () => api.ui.shown.find((s): s is ShownInputBox => s.type === 'input' && !s.settled && title.test(s.title)),
    `an input box titled ${title}`,
  );
}

/** The "Hunyuan Coder" log channel's file: VS Code writes it beside the extension's log folder. */
export function logFile(api: TestApi): string | undefined {
  const root = path.dirname(api.logUri.fsPath);
  const files = fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String) : [];
  const hit = files.find((f) => f.endsWith('Hunyuan Coder.log'));
  return hit ? path.join(root, hit) : undefined;
}

/** What the log channel holds so far ('' before its file exists). */
export function logText(api: TestApi): string {
  const file = logFile(api);
  return file ? fs.readFileSync(file, 'utf8') : '';
}

/** Waits until the log holds `text` (VS Code writes the file a little after each line); returns the log. */
export function waitForLog(api: TestApi, text: string | RegExp): Promise<string> {
  return waitFor(() => {
    const log = logText(api);
    return (typeof text === 'string' ? log.includes(text) : text.test(log)) ? log : '';
  }, `the log to show ${text}`);
}

export interface HostFixture {
  ext: vscode.Extension<TestApi | undefined>;
  api: TestApi;
  gateway: GatewayServer;
}

/**
 * Registers the hooks most host tests share: the activated extension, a gateway test server on
 * 127.0.0.1, and before each test default settings pointed at that gateway and `key` stored.
 * Returns an object whose fields are filled once `before` has run.
 */
export function hostFixture(key: string): HostFixture {
  const f = {} as HostFixture;
  before(async () => {
    Object.assign(f, await activateExtension());
    f.gateway = await startGateway();
  });
  after(async () => {
    await resetUserSettings(f.ext);
    await f.api.apiKeys.clear();
    await f.gateway.close();
  });
  beforeEach(async () => {
    // what the previous test left open is closed (as Escape would), and forgotten
    f.api.ui.reset();
    await vscode.commands.executeCommand('notifications.clearAll');
    await resetUserSettings(f.ext);
    await setUserSettings({ baseUrl: f.gateway.baseUrl() });
    await f.api.apiKeys.set(key);
    f.gateway.setScenario('reasoning');
    f.gateway.clear();
  });
  return f;
}
