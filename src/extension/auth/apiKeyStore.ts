/**
 * The gateway API key lives only in VS Code's SecretStorage (the OS keychain where there is one):
 * never in settings, logs, error texts or webview state.
 */
import * as vscode from 'vscode';
import { Owner } from '../disposables';
import { redactKeys } from '../../core/hunyuan/redact';
import { ui } from '../ui';

const SECRET_KEY = 'hunyuan.apiKey';

export class ApiKeyStore extends Owner {
  private readonly changed = this.own(new vscode.EventEmitter<boolean>());
  /** Fires with whether a key is now set. */
  readonly onDidChange = this.changed.event;
  /** Known key values, so any text can be scrubbed of them before it is logged or shown. */
  private readonly seen = new Set<string>();
  private cached = false;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this.own(secrets.onDidChange(async (e) => {
      if (e.key === SECRET_KEY) this.changed.fire(!!(await this.get()));
    }));
    void this.get();
  }

  /** Whether a key was set when last looked at (for UI that cannot wait). */
  get hasKeyCached(): boolean {
    return this.cached;
  }

  async get(): Promise<string | undefined> {
    const key = (await this.secrets.get(SECRET_KEY))?.trim();
    if (key) this.seen.add(key);
    this.cached = !!key;
    return key || undefined;
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('empty key');
    this.seen.add(trimmed);
    await this.secrets.store(SECRET_KEY, trimmed);
    this.cached = true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = false;
  }

  /** Replaces any known key (and any bearer token) in `text` with a placeholder. */
  redact(text: string): string {
    return redactKeys(text, this.seen);
  }

}

/** Validates what the user typed into the key box; returns a message or undefined. */
export function validateApiKeyInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return vscode.l10n.t('Enter the API key from your gateway account.');
  if (/\s/.test(v)) return vscode.l10n.t('An API key contains no spaces.');
  return undefined;
}

export async function promptForApiKey(store: ApiKeyStore): Promise<boolean> {
  const value = await ui.input({
    title: vscode.l10n.t('Hunyuan: Set API Key'),
    prompt: vscode.l10n.t('Paste the API key of your Hunyuan gateway. It is kept in VS Code\'s secret storage, never in settings.'),
    placeHolder: 'sk-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: validateApiKeyInput,
  });
  if (value === undefined) return false;
  await store.set(value);
  void ui.info(vscode.l10n.t('Hunyuan API key saved.'));
  return true;
}
