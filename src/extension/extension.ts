/**
 * Entry point: wires the key store, the log, the Hunyuan service and the commands. Activation
 * happens only on our own commands (and, later, views): nothing runs at VS Code startup.
 */
import * as vscode from 'vscode';
import { ApiKeyStore, promptForApiKey } from './auth/apiKeyStore';
import { checkConnection } from './commands/checkConnection';
import { COMMANDS } from './commands/ids';
import { HunyuanService } from './hunyuan/service';
import { Logger } from './log/logger';

/** Only returned in `ExtensionMode.Test`, for the host tests: other extensions get nothing. */
export interface TestApi {
  apiKeys: { set(key: string): Promise<void>; clear(): Promise<void>; isSet(): Promise<boolean> };
  service: HunyuanService;
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger((text) => keys.redact(text));
  const service = new HunyuanService(keys, log);
  context.subscriptions.push(keys, log);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setApiKey, () => promptForApiKey(keys)),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, async () => {
      await keys.clear();
      log.info('API key cleared');
      void vscode.window.showInformationMessage(vscode.l10n.t('Hunyuan API key removed from secret storage.'));
    }),
    vscode.commands.registerCommand(COMMANDS.checkConnection, (options?: { silent?: boolean }) =>
      checkConnection(service, { silent: options?.silent === true }),
    ),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.openSettings, () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
  );

  log.info(`Hunyuan Coder ${context.extension.packageJSON.version} activated in ${vscode.env.appName} ${vscode.version}`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    apiKeys: { set: (k) => keys.set(k), clear: () => keys.clear(), isSet: async () => !!(await keys.get()) },
    service,
    logUri: context.logUri,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
