/**
 * Every notification and input box the extension shows goes through here. The user always gets
 * VS Code's own UI; besides, each one is kept in `shown` (the last 100) with a way to answer it as
 * the user would (press a button, type a value and Enter, or Escape). VS Code's API can neither
 * read a notification nor press its buttons, so this is how the host tests check what the user was
 * told and act on it; nothing else reads it.
 */
import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';

export interface ShownMessage {
  readonly type: 'message';
  readonly severity: Severity;
  readonly message: string;
  /** The buttons, in order. */
  readonly items: readonly string[];
  /** Answered (by the user or `answer`), or closed. */
  readonly settled: boolean;
  /** As a click on the button `item` would; undefined closes it without a choice. */
  answer(item: string | undefined): Promise<void>;
}

export interface ShownInputBox {
  readonly type: 'input';
  readonly title: string;
  readonly prompt: string;
  /** The value it opened with. */
  readonly value: string;
  readonly settled: boolean;
  /**
   * As typing `value` and pressing Enter would (the box closes); undefined is Escape. A value the
   * box would refuse throws with its validation message, and the box stays open.
   */
  answer(value: string | undefined): Promise<void>;
}

export type Shown = ShownMessage | ShownInputBox;

const KEEP = 100;

function settler<T>(): { promise: Promise<T | undefined>; settle: (value: T | undefined) => void; readonly settled: boolean } {
  let resolve!: (value: T | undefined) => void;
  let settled = false;
  const promise = new Promise<T | undefined>((r) => {
    resolve = r;
  });
  return {
    promise,
    settle: (value) => {
      if (settled) return;
      settled = true;
      resolve(value);
    },
    get settled() {
      return settled;
    },
  };
}

function showMessage(severity: Severity, message: string, items: string[]): Thenable<string | undefined> {
  switch (severity) {
    case 'error':
      return vscode.window.showErrorMessage(message, ...items);
    case 'warning':
      return vscode.window.showWarningMessage(message, ...items);
    case 'info':
      return vscode.window.showInformationMessage(message, ...items);
  }
}

export class UserInterface {
  private readonly list: Shown[] = [];
  private readonly closers = new Map<Shown, () => void>();

  /** What was shown, oldest first (the last 100). */
  get shown(): readonly Shown[] {
    return this.list;
  }

  info(message: string, ...items: string[]): Promise<string | undefined> {
    return this.message('info', message, items);
  }

  warn(message: string, ...items: string[]): Promise<string | undefined> {
    return this.message('warning', message, items);
  }

  error(message: string, ...items: string[]): Promise<string | undefined> {
    return this.message('error', message, items);
  }

  /** `vscode.window.showInputBox`, answerable through `shown`. */
  input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const s = settler<string>();
    const cancel = new vscode.CancellationTokenSource();
    const entry: ShownInputBox = {
      type: 'input',
      title: options.title ?? '',
      prompt: options.prompt ?? '',
      value: options.value ?? '',
      get settled() {
        return s.settled;
      },
      answer: async (value) => {
        if (s.settled) throw new Error(`the input box "${entry.title}" was already answered`);
        if (value !== undefined && options.validateInput) {
          const problem = await options.validateInput(value);
          const text = typeof problem === 'string' ? problem : problem?.message;
          if (text) throw new Error(`the input box refused ${JSON.stringify(value)}: ${text}`);
        }
        s.settle(value);
        cancel.cancel(); // closes VS Code's box
      },
    };
    this.remember(entry, () => {
      s.settle(undefined);
      cancel.cancel();
    });
    Promise.resolve(vscode.window.showInputBox(options, cancel.token)).then(s.settle, () => s.settle(undefined));
    return s.promise.finally(() => cancel.dispose());
  }

  /** Closes (as Escape would) whatever is still open, and forgets everything shown. */
  reset(): void {
    for (const close of this.closers.values()) close();
    this.closers.clear();
    this.list.length = 0;
  }

  private message(severity: Severity, message: string, items: string[]): Promise<string | undefined> {
    const s = settler<string>();
    const entry: ShownMessage = {
      type: 'message',
      severity,
      message,
      items,
      get settled() {
        return s.settled;
      },
      answer: async (item) => {
        if (s.settled) throw new Error(`the message "${message}" was already answered`);
        if (item !== undefined && !items.includes(item)) throw new Error(`no button "${item}" on "${message}" (buttons: ${items.join(', ')})`);
        s.settle(item);
      },
    };
    this.remember(entry, () => s.settle(undefined));
    Promise.resolve(showMessage(severity, message, items)).then(s.settle, () => s.settle(undefined));
    return s.promise;
  }

  private remember(entry: Shown, close: () => void): void {
    this.list.push(entry);
    this.closers.set(entry, close);
    for (const old of this.list.splice(0, Math.max(0, this.list.length - KEEP))) this.closers.delete(old);
  }
}

/** The one instance: everything the extension shows goes through it. */
export const ui = new UserInterface();
