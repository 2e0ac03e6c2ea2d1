/**
 * Entry point: wires the key store, the log, the Hunyuan service, the chat, the inline diff and the
 * commands. Activation is lazy: on our commands and views, and on the first opened file (so that
 * "Fix with Hunyuan" is in the light bulb); nothing runs at VS Code startup, and activating sends
 * nothing over the network.
 */
import * as vscode from 'vscode';
import { ui, type UserInterface } from './ui';
import { ApiKeyStore, promptForApiKey } from './auth/apiKeyStore';
import { checkConnection } from './commands/checkConnection';
import { COMMANDS } from './commands/ids';
import { HunyuanService } from './hunyuan/service';
import { Logger } from './log/logger';
import { ChatController } from './chat/chatController';
import { ChatPanels, ChatViewProvider, CHAT_PANEL_TYPE, CHAT_VIEW_ID } from './chat/chatViews';
import { ProposalDocuments } from './diff/virtualDocuments';
import { HistoryStore } from './chat/historyStore';
import { explainSelection } from './edit/explain';
import { registerEditFeatures } from './edit/register';
import { InlineDiffs } from './diff/inlineDiff';
import { registerDiffCommands } from './diff/commands';
import { registerLanguageModelProvider } from './lm/provider';
import { CommitMessages } from './scm/commitMessage';
import { DiffView } from './diff/view';
import { HunyuanParticipant } from './participant/participant';
import { ProjectRules } from './rules/projectRules';
import { WorkspaceSearch } from './search/workspaceSearch';
import { Mentions } from './mentions/mentions';

/** Only returned in `ExtensionMode.Test`, for the host tests: other extensions get nothing. */
export interface TestApi {
  apiKeys: { set(key: string): Promise<void>; clear(): Promise<void>; isSet(): Promise<boolean> };
  service: HunyuanService;
  logUri: vscode.Uri;
  chat: ChatController;
  /** Where the chat history is kept. */
  history: HistoryStore;
  /** Every notification and input box shown, answerable as the user would. */
  ui: UserInterface;
  chatView: ChatViewProvider;
  chatPanels: ChatPanels;
  diffs: InlineDiffs;
  /** `@hunyuan` in VS Code's Chat view (its handler, follow-ups and buttons' commands). */
  participant: HunyuanParticipant;
  /** What the inline diffs show (zones, lenses, decorations). */
  diffView: DiffView;
  /** The project rules the chat attaches. */
  rules: ProjectRules;
  /** The workspace index behind @workspace. */
  search: WorkspaceSearch;
  /** What the chat's @-mention list offers and resolves. */
  mentions: Mentions;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const keys = new ApiKeyStore(context.secrets);
  const log = new Logger((text) => keys.redact(text));
  const service = new HunyuanService(keys, log);
  context.subscriptions.push(keys, log);

  const proposals = new ProposalDocuments();
  const diffs = new InlineDiffs(proposals);
  const diffView = new DiffView(diffs);
  const store = new HistoryStore(context.storageUri ?? context.globalStorageUri, log);
  const rules = new ProjectRules(log);
  const search = new WorkspaceSearch(log, context.extensionUri);
  // the chat's view has the focus when a mention is picked: the mentions read the chat's last editor
  let lastEditor: () => vscode.TextEditor | undefined = () => vscode.window.activeTextEditor;
  const mentions = new Mentions(log, {
    lastEditor: () => lastEditor(),
    workspaceSearchEnabled: () => vscode.workspace.getConfiguration('hunyuan.context').get('workspaceSearch') !== 'off',
  });
  context.subscriptions.push(rules, search, mentions);
  const chat = new ChatController(service, keys, store, diffs, log, { rules, search, mentions });
  lastEditor = () => chat.lastEditor;
  beforeShutdown = async () => {
    // a running answer is stopped and saved as it stands; then the last save completes
    chat.stop();
    await Promise.race([chat.whenIdle(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    await store.flush();
  };
  const participant = new HunyuanParticipant(service, diffs, log, context.extensionUri, rules);
  const chatView = new ChatViewProvider(context.extensionUri, chat);
  const chatPanels = new ChatPanels(context.extensionUri, chat);
  context.subscriptions.push(
    proposals,
    diffs,
    diffView,
    store,
    chat,
    chatPanels,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, chatPanels),
  );

  /** Shows the chat where the user has it: the editor tab if open, else the side view. */
  const revealChat = async () => {
    if (chatPanels.current) chatPanels.current.reveal(undefined, false);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    chat.focusInput();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setApiKey, () => promptForApiKey(keys)),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, async () => {
      await keys.clear();
      log.info('API key cleared');
      void ui.info(vscode.l10n.t('Hunyuan API key removed from secret storage.'));
    }),
    vscode.commands.registerCommand(COMMANDS.checkConnection, (options?: { silent?: boolean }) =>
      checkConnection(service, { silent: options?.silent === true }),
    ),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.openChat, revealChat),
    vscode.commands.registerCommand(COMMANDS.newChat, async () => {
      await chat.newChat();
      await revealChat();
    }),
    vscode.commands.registerCommand(COMMANDS.openChatInEditor, () => {
      chatPanels.open();
    }),
    vscode.commands.registerCommand(COMMANDS.askAboutSelection, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void ui.info(vscode.l10n.t('Select some code in an editor first.'));
        return;
      }
      chat.attachSelection(editor);
      await revealChat();
    }),
    vscode.commands.registerCommand(COMMANDS.explainSelection, () => explainSelection(chat, revealChat)),
    vscode.commands.registerCommand(COMMANDS.attachActiveFile, async () => {
      chat.attachActiveFile();
      await revealChat();
    }),
    ...registerDiffCommands(diffs, diffView),
    ...registerEditFeatures({ service, diffs, chat, log, revealChat }),
    ...registerLanguageModelProvider(service, keys, log),
    participant,
    ...new CommitMessages(service, log).register(),
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
    chat,
    history: store,
    ui,
    chatView,
    chatPanels,
    diffs,
    diffView,
    rules,
    search,
    mentions,
    participant,
  };
}

/** What `deactivate` waits for: the last save of the chat history. */
let beforeShutdown: (() => Promise<void>) | undefined;

/**
 * Returns when the chat history is on disk (VS Code waits for it); everything else is disposed
 * through context.subscriptions.
 */
export async function deactivate(): Promise<void> {
  await beforeShutdown?.();
}
