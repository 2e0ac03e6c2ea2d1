// The VS Code layer's one disposal pattern (src/extension/disposables.ts; it needs no `vscode` at run time).
import * as assert from 'node:assert/strict';
import { Owner } from '../../src/extension/disposables';

class Part extends Owner {
  readonly log: string[] = [];
  take(name: string, fail = false): void {
    this.own({ dispose: () => { this.log.push(name); if (fail) throw new Error(`${name} failed`); } });
  }
  protected override onDispose(): void {
    this.log.push('own cleanup');
  }
}

describe('Owner', () => {
  it('runs its own cleanup, then disposes what it owns, the last owned first, once', () => {
    const p = new Part();
    p.take('a');
    p.take('b');
    p.dispose();
    p.dispose();
    assert.deepEqual(p.log, ['own cleanup', 'b', 'a']);
    assert.equal(p.isDisposed, true);
  });

  it('disposes at once what it is given after being disposed', () => {
    const p = new Part();
    p.dispose();
    p.take('late');
    assert.deepEqual(p.log, ['own cleanup', 'late']);
  });

  it('one that throws does not keep the others from being disposed; the errors are reported', () => {
    const p = new Part();
    p.take('a');
    p.take('b', true);
    p.take('c', true);
    assert.throws(() => p.dispose(), (e: unknown) => e instanceof AggregateError && e.errors.length === 2);
    assert.deepEqual(p.log, ['own cleanup', 'c', 'b', 'a']);
  });
});
