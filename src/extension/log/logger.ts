/**
 * The "Hunyuan Coder" log channel. Every line goes through `redact` first, so the API key can't
 * reach the log even by accident; prompts and answers (the user's code) are logged only when
 * `hunyuan.debug.logPrompts` is on.
 */
import * as vscode from 'vscode';

export type Redactor = (text: string) => string;

export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(private readonly redact: Redactor) {
    this.channel = vscode.window.createOutputChannel('Hunyuan Coder', { log: true });
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redact(message));
  }

  debug(message: string): void {
    this.channel.debug(this.redact(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
