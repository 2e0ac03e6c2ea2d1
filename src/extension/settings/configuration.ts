/**
 * Reads `hunyuan.*` from the VS Code configuration into the pure settings model.
 * Settings that decide where the key and the code go (`baseUrl`, `model`, `extraBody`,
 * `debug.logPrompts`) and what the user is told it costs and how much is sent (`prices`,
 * `contextWindow`) are application-scoped in the manifest; we also read them from the user's own
 * settings only, so a workspace's `.vscode/settings.json` can never redirect the code, hide the
 * cost (prices of 0) or make requests bigger than the model takes.
 */
import * as vscode from 'vscode';
import { parseSettings, SETTING_KEYS, type ParsedSettings } from '../../core/settings/settings';

export const SECTION = 'hunyuan';

/** Keys read from user (global) settings and defaults only, never from a workspace. */
export const USER_ONLY_KEYS: ReadonlySet<string> = new Set(['baseUrl', 'model', 'extraBody', 'debug.logPrompts', 'prices', 'contextWindow']);

export function readRawSettings(config: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration(SECTION)): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    if (USER_ONLY_KEYS.has(key)) {
      const info = config.inspect(key);
      raw[key] = info?.globalValue ?? info?.defaultValue;
    } else {
      raw[key] = config.get(key);
    }
  }
  return raw;
}

export function readSettings(): ParsedSettings {
  return parseSettings(readRawSettings());
}
