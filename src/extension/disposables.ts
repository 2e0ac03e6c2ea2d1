/**
 * The one way a part of the VS Code layer owns what must be disposed with it (listeners, emitters,
 * registrations, child parts): it extends `Owner`, takes each with `own(…)` as it makes it, and
 * puts any cleanup of its own (timers, maps, a running request) in `onDispose`. `dispose()` then
 * runs `onDispose` and disposes everything owned, the last owned first, once; one that throws does
 * not keep the others from being disposed. Something owned after `dispose()` is disposed at once.
 */
import type * as vscode from 'vscode';

export class Owner implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private ended = false;

  /** Takes `d` to dispose with this one (at once, if this one is disposed already); returns it. */
  protected own<T extends vscode.Disposable>(d: T): T {
    if (this.ended) d.dispose();
    else this.owned.push(d);
    return d;
  }

  /** `own` for several at once. */
  protected ownAll(...ds: vscode.Disposable[]): void {
    for (const d of ds) this.own(d);
  }

  get isDisposed(): boolean {
    return this.ended;
  }

  /** Cleanup of the part's own, before what it owns is disposed. */
  protected onDispose(): void {}

  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    const errors: unknown[] = [];
    try {
      this.onDispose();
    } catch (err) {
      errors.push(err);
    }
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} errors while disposing`);
  }
}
