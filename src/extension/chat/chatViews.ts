/**
 * Where the chat is shown: the "Chat" view in the Hunyuan activity-bar container, and an editor
 * tab (`hunyuan.openChatInEditor`, restored after a reload). Both load the same webview bundle
 * under a strict Content Security Policy and attach to the one ChatController.
 */
import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import { Owner } from '../disposables';

export const CHAT_VIEW_ID = 'hunyuan.chatView';
export const CHAT_PANEL_TYPE = 'hunyuan.chatPanel';

function nonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // Only the bundle: the webview can load nothing else from disk.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

/** Loads the chat into a webview and attaches it to the controller until `owner` is disposed. */
function connect(
  webview: vscode.Webview,
  owner: { onDidDispose: vscode.Event<void> },
  extensionUri: vscode.Uri,
  controller: ChatController,
  onDispose: () => void,
): void {
  webview.options = webviewOptions(extensionUri);
  const attachment = controller.attach(webview);
  webview.html = chatHtml(webview, extensionUri);
  owner.onDidDispose(() => {
    attachment.dispose();
    onDispose();
  });
}

/** The page: one script and one stylesheet from dist/, a nonce, no inline script or style. */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Hunyuan Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
  ) {}

  get visibleView(): vscode.WebviewView | undefined {
    return this.view;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    connect(view.webview, view, this.extensionUri, this.controller, () => {
      if (this.view === view) this.view = undefined;
    });
  }
}

/** The chat in an editor tab: one at a time, revealed if already open. */
export class ChatPanels extends Owner implements vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
  ) {
    super();
  }

  get current(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  open(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      CHAT_PANEL_TYPE,
      vscode.l10n.t('Hunyuan Chat'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    this.setUp(panel);
    return panel;
  }

  /** Restores the tab after a window reload (the chat itself comes from the controller). */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    this.setUp(panel);
  }

  private setUp(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    connect(panel.webview, panel, this.extensionUri, this.controller, () => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  protected override onDispose(): void {
    this.panel?.dispose();
  }
}
