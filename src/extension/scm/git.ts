/**
 * The small part of the built-in Git extension's API (`vscode.git`, API version 1) that the commit
 * message command uses, declared here: the extension ships no types, and these members have been
 * stable since long before VS Code 1.90.
 */
import * as vscode from 'vscode';

export interface GitCommit {
  readonly hash: string;
  /** The whole message: subject, blank line, body. */
  readonly message: string;
}

export interface GitInputBox {
  value: string;
}

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepositoryState {
  readonly indexChanges: readonly GitChange[];
  readonly workingTreeChanges: readonly GitChange[];
  readonly untrackedChanges?: readonly GitChange[];
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: GitInputBox;
  readonly state: GitRepositoryState;
  readonly ui?: { readonly selected: boolean };
  /** `git diff --cached` when `cached`, else `git diff` (the working tree against the index). */
  diff(cached?: boolean): Promise<string>;
  log(options?: { maxEntries?: number }): Promise<GitCommit[]>;
  status(): Promise<void>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

export interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export const GIT_EXTENSION_ID = 'vscode.git';

/** Why the Git API cannot be had: not installed (or disabled), or `git.enabled` is false. */
export type GitUnavailable = 'missing' | 'disabled';

/** The Git extension's API, activated and initialized, or why not. */
export async function gitApi(): Promise<GitApi | GitUnavailable> {
  const ext = vscode.extensions.getExtension<GitExtension>(GIT_EXTENSION_ID);
  if (!ext) return 'missing';
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports?.enabled) return 'disabled';
  const api = exports.getAPI(1);
  if (api.state !== 'initialized') {
    await new Promise<void>((resolve) => {
      const sub = api.onDidChangeState((state) => {
        if (state === 'initialized') {
          sub.dispose();
          resolve();
        }
      });
    });
  }
  return api;
}

/**
 * The repository a command is for: the one whose Source Control title bar it was run from (VS Code
 * passes its `SourceControl`, with `rootUri`), else the one holding the active editor's file, else
 * the one selected in the Source Control view, else the first.
 */
export function pickRepository(api: GitApi, arg: unknown): GitRepository | undefined {
  const rootUri = (arg as { rootUri?: { fsPath?: unknown } } | undefined)?.rootUri;
  if (rootUri && typeof rootUri.fsPath === 'string') {
    const repo = api.getRepository(rootUri as vscode.Uri);
    if (repo) return repo;
  }
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri) {
    const repo = api.getRepository(editorUri);
    if (repo) return repo;
  }
  const repos = api.repositories;
  return repos.find((r) => r.ui?.selected) ?? repos[0];
}
