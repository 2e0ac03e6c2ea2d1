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
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  debug(message: string): void {
    this.write('debug', message);
  }

  /**
   * A log line never throws: after the channel is gone (disposed, or closed by VS Code while the
   * extension shuts down) a timer's last line is dropped instead of failing whatever logged it.
   */
  private write(level: 'info' | 'warn' | 'error' | 'debug', message: string): void {
    if (this.isDisposed) return;
    try {
      this.channel[level](this.redact(message));
    } catch {
      // the channel is closed: nowhere to write
    }
  }

  show(): void {
    this.channel.show(true);
  }

}
