// Shared helpers of the host tests: the extension's test API, settings reset, a gateway server.
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension/extension';
import { startGateway, type GatewayServer } from '../../gateway/server';

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

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = 5000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
    await resetUserSettings(f.ext);
    await setUserSettings({ baseUrl: f.gateway.baseUrl() });
    await f.api.apiKeys.set(key);
    f.gateway.setScenario('reasoning');
    f.gateway.clear();
  });
  return f;
}
