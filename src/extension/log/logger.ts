/**
 * The "Hunyuan Coder" log channel. Every line goes through `redact` first, so the API key can't
 * reach the log even by accident; prompts and answers (the user's code) are logged only when
 * `hunyuan.debug.logPrompts` is on.
 */
import * as vscode from 'vscode';
import { Owner } from '../disposables';

export type Redactor = (text: string) => string;

export class Logger extends Owner {
  readonly channel: vscode.LogOutputChannel;

  constructor(private readonly redact: Redactor) {
    super();
    this.channel = this.own(vscode.window.createOutputChannel('Hunyuan Coder', { log: true }));
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

}
