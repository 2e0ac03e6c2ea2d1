/**
 * Read-only virtual documents (`hunyuan-proposal:` URIs) for diff views: the original and the
 * proposed text of a change, served from memory, so "Show side by side" needs no temporary files.
 */
import * as vscode from 'vscode';
import { Owner } from '../disposables';

export const PROPOSAL_SCHEME = 'hunyuan-proposal';

/** Serves the read-only texts shown in diff previews; a text is dropped when its document closes. */
export class ProposalDocuments extends Owner implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 0;

  constructor() {
    super();
    this.own(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this));
    this.own(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === PROPOSAL_SCHEME) this.texts.delete(doc.uri.toString());
    }));
  }

  /** A URI whose document is `text`, named after `label`. */
  add(label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.next++}/${label.replace(/^\/+/, '')}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  protected override onDispose(): void {
    this.texts.clear();
  }
}

