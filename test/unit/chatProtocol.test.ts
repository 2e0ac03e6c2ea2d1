// Every message from the chat view is validated at one boundary: the validators written next to
// each message's declaration (src/common/ipc/schema.ts, src/common/chat/protocol.ts) and a
// validating Messenger (the extension's end) that refuses what fails before any handler runs. Each
// malformed message below is refused, reported, and reaches no handler; a request gets an error.
import assert from 'node:assert/strict';
import * as P from '../../src/common/chat/protocol';
import { codeFingerprint, shownCode } from '../../src/common/chat/fingerprint';
import { httpUrl } from '../../src/common/chat/links';
import { Messenger, notification, type Envelope, type NotificationType, type RequestType } from '../../src/common/ipc/messages';
import { v } from '../../src/common/ipc/schema';

type Descriptor = RequestType<unknown, unknown> | NotificationType<unknown>;

const isDescriptor = (x: unknown): x is Descriptor =>
  !!x && typeof x === 'object' && ((x as Descriptor).kind === 'request' || (x as Descriptor).kind === 'notification');

const descriptors = Object.entries(P as Record<string, unknown>).filter((e): e is [string, Descriptor] => isDescriptor(e[1]));
/** Messages the webview sends (the extension handles them); the rest go the other way. */
const TO_WEBVIEW = new Set(['SnapshotChanged', 'TurnChanged', 'StreamDelta', 'PendingContextChanged', 'FocusInput', 'ReturnMessage']);
const fromWebview = descriptors.filter(([name]) => !TO_WEBVIEW.has(name));

const FP = codeFingerprint('print(1)');

/** A valid payload of each message the webview sends. */
const VALID: Record<string, unknown> = {
  Ready: undefined,
  Send: { text: 'hello' },
  Stop: undefined,
  Regenerate: undefined,
  EditAndResend: { turnId: 'u-1', text: 'again' },
  Retry: undefined,
  NewChat: undefined,
  SwitchConversation: { id: 'c-1' },
  RenameConversation: { id: 'c-1' },
  DeleteConversation: { id: 'c-1' },
  ExportConversation: { id: 'c-1' },
  RemoveContext: { id: 'x-1' },
  AttachActiveFile: undefined,
  SetThinking: { mode: 'fast' },
  EstimateBudget: { draft: '' },
  DropOldest: { turns: 2 },
  SaveDraft: { text: 'draft' },
  RunCodeAction: { action: 'insert', turnId: 'a-1', blockIndex: 0, shown: FP },
  OpenLink: { href: 'https://docs.python.org/3/' },
  RunErrorAction: { action: 'retry' },
  QueryMentions: { trigger: '@', query: 'src/ut' },
  PickMention: { id: 'm-1' },
  OpenLocation: { path: 'src/util.py', line: 12 },
};

const big = (n: number) => 'x'.repeat(n);

/** Malformed payloads, each refused: [message, payload, why]. */
const MALFORMED: [string, unknown, string][] = [
  ['Send', { text: big(30 * 1024 * 1024) }, 'a 30 MB message'],
  ['Send', { text: big(P.MAX_TEXT_LENGTH + 1) }, 'one character over the limit'],
  ['Send', { text: 42 }, 'text not a string'],
  ['Send', {}, 'text missing'],
  ['Send', { text: 'hi', extra: 1 }, 'an extra key'],
  ['Send', 'hello', 'not an object'],
  ['Send', ['hello'], 'an array'],
  ['Send', null, 'null'],
  ['Send', undefined, 'nothing'],
  ['Stop', { now: true }, 'a payload where none is declared'],
  ['SetThinking', { mode: big(1024 * 1024) }, 'a 1 MB mode'],
  ['SetThinking', { mode: 'medium' }, 'a mode that does not exist'],
  ['SetThinking', { mode: 'toString' }, 'an Object.prototype name'],
  ['SetThinking', {}, 'no mode'],
  ['DropOldest', { turns: 'all' }, 'turns "all"'],
  ['DropOldest', { turns: 0 }, 'zero turns'],
  ['DropOldest', { turns: -1 }, 'negative turns'],
  ['DropOldest', { turns: 1.5 }, 'a fraction of a turn'],
  ['DropOldest', { turns: Number.MAX_SAFE_INTEGER }, 'more turns than allowed'],
  ['DropOldest', { turns: Infinity }, 'Infinity'],
  ['RunCodeAction', { action: 'insert', turnId: 'a-1', blockIndex: 0, shown: FP, code: 'rm -rf /' }, 'code carried in the message'],
  ['RunCodeAction', { action: 'insert', turnId: 'a-1', blockIndex: 0, code: 'rm -rf /', languageId: 'shellscript' }, 'the old shape: code, no fingerprint'],
  ['RunCodeAction', { action: 'run', turnId: 'a-1', blockIndex: 0, shown: FP }, 'an action that does not exist'],
  ['RunCodeAction', { action: 'insert', turnId: 'a-1', blockIndex: -1, shown: FP }, 'a negative block index'],
  ['RunCodeAction', { action: 'insert', turnId: 'a-1', blockIndex: '0', shown: FP }, 'a block index as a string'],
  ['RunCodeAction', { action: 'insert', turnId: '', blockIndex: 0, shown: FP }, 'an empty turn id'],
  ['RunCodeAction', { action: 'insert', turnId: big(P.MAX_ID_LENGTH + 1), blockIndex: 0, shown: FP }, 'a too long turn id'],
  ['RunCodeAction', { action: 'insert', turnId: 'a-1', blockIndex: 0, shown: 'anything' }, 'not a fingerprint'],
  ['OpenLink', { href: 'x' }, 'a relative link'],
  ['OpenLink', { href: '//evil.example/' }, 'a protocol-relative link'],
  ['OpenLink', { href: 'javascript:alert(1)' }, 'javascript:'],
  ['OpenLink', { href: 'command:workbench.action.terminal.new' }, 'command:'],
  ['OpenLink', { href: 'file:///etc/passwd' }, 'file:'],
  ['OpenLink', { href: 'vscode://settings' }, 'vscode:'],
  ['OpenLink', { href: `https://example.com/${big(9000)}` }, 'a link over 8192 characters'],
  ['RunErrorAction', { action: 'runCommand' }, 'an error action that does not exist'],
  ['EditAndResend', { turnId: 'u-1', text: big(P.MAX_TEXT_LENGTH + 1) }, 'a too long edit'],
  ['SaveDraft', { text: big(P.MAX_TEXT_LENGTH + 1) }, 'a too long draft'],
  ['SwitchConversation', { id: { $ne: '' } }, 'an object as id'],
  ['DeleteConversation', { id: big(1024 * 1024) }, 'a 1 MB id'],
  ['EstimateBudget', { draft: big(P.MAX_TEXT_LENGTH + 1) }, 'a too long draft to estimate'],
  ['Ready', { all: true }, 'a payload for Ready'],
  ['QueryMentions', { trigger: '!', query: 'x' }, 'a trigger that does not exist'],
  ['QueryMentions', { trigger: '@', query: big(501) }, 'a too long mention query'],
  ['QueryMentions', { trigger: '@' }, 'no query'],
  ['PickMention', { id: '' }, 'an empty mention id'],
  ['PickMention', { id: 'm-1', path: '/etc/passwd' }, 'a path carried with the pick'],
  ['OpenLocation', { path: '', line: 1 }, 'an empty path'],
  ['OpenLocation', { path: 'a.ts', line: -1 }, 'a negative line'],
  ['OpenLocation', { path: 'a.ts', line: 1.5 }, 'a fractional line'],
  ['OpenLocation', { path: 'a.ts' }, 'no line'],
  ['OpenLocation', { path: big(5000), line: 1 }, 'a path over 4096 characters'],
];

/** The extension's end, with a counting handler for every message the webview sends. */
function extensionEnd() {
  const posted: Envelope[] = [];
  const refused: { method: string; problem: string }[] = [];
  const handled: string[] = [];
  const m = new Messenger((e) => posted.push(e), () => {}, { validate: true, onInvalid: (method, problem) => refused.push({ method, problem }) });
  for (const [name, d] of fromWebview) {
    if (d.kind === 'request') m.onRequest(d, () => handled.push(name));
    else m.onNotification(d, () => handled.push(name));
  }
  return { m, posted, refused, handled };
}

describe('chat protocol: every message from the view is validated', () => {
  it('each message the view sends declares a validator; the others declare none', () => {
    assert.equal(fromWebview.length, Object.keys(VALID).length, 'a VALID payload for every message the view sends');
    for (const [name, d] of fromWebview) assert.ok(d.params, `${name} has a validator`);
    for (const [name, d] of descriptors.filter(([n]) => TO_WEBVIEW.has(n))) assert.equal(d.params, undefined, `${name} goes to the view`);
  });

  it('accepts a well-formed message of each kind and hands it to its handler', async () => {
    for (const [name, d] of fromWebview) {
      const end = extensionEnd();
      assert.ok(Object.hasOwn(VALID, name), `a valid payload for ${name}`);
      await end.m.receive(d.kind === 'request' ? { type: 'request', id: 1, method: d.method, params: VALID[name] } : { type: 'notification', method: d.method, params: VALID[name] });
      assert.deepEqual(end.refused, [], `${name} accepted`);
      assert.deepEqual(end.handled, [name]);
    }
  });

  for (const [name, params, why] of MALFORMED) {
    it(`refuses ${name} with ${why}`, async () => {
      const d = (P as unknown as Record<string, Descriptor>)[name];
      const end = extensionEnd();
      if (d.kind === 'request') {
        await end.m.receive({ type: 'request', id: 7, method: d.method, params });
        assert.equal(end.posted.length, 1);
        const reply = end.posted[0] as Extract<Envelope, { type: 'response' }>;
        assert.equal(reply.id, 7);
        assert.match(reply.error ?? '', new RegExp(`^invalid ${d.method}: `));
      } else {
        await end.m.receive({ type: 'notification', method: d.method, params });
        assert.deepEqual(end.posted, []);
      }
      assert.deepEqual(end.handled, [], 'no handler ran');
      assert.equal(end.refused.length, 1);
      assert.equal(end.refused[0].method, d.method);
      // the report names the rule, never the value
      assert.ok(end.refused[0].problem.length < 200, end.refused[0].problem);
      assert.ok(!end.refused[0].problem.includes('rm -rf') && !end.refused[0].problem.includes('xxxxxxxx'), end.refused[0].problem);
    });
  }

  it('refuses messages it does not handle, the extension\'s own, and what is not a message at all', async () => {
    const end = extensionEnd();
    await end.m.receive({ type: 'notification', method: P.SnapshotChanged.method, params: {} });
    await end.m.receive({ type: 'notification', method: 'chat/doesNotExist', params: {} });
    await end.m.receive({ type: 'notification', method: big(100_000), params: {} });
    await end.m.receive({ type: 'request', id: 3, method: 'chat/doesNotExist', params: {} });
    await end.m.receive({ type: 'request', id: 1.5, method: P.Ready.method });
    await end.m.receive('chat/send');
    await end.m.receive(null);
    assert.deepEqual(end.handled, []);
    assert.equal(end.refused.length, 7);
    assert.ok(end.refused.every((r) => r.method.length <= 100));
    assert.equal((end.posted[0] as { error?: string }).error, 'no handler for chat/doesNotExist');
  });

  it('a validating Messenger cannot handle a message declared without a validator', () => {
    const m = new Messenger(() => {}, () => {}, { validate: true });
    assert.throws(() => m.onNotification(P.SnapshotChanged, () => {}), /has no validator/);
    assert.throws(() => m.onNotification(notification<string>('x/free'), () => {}), /has no validator/);
  });

  it('a Messenger that does not validate (the webview\'s end) passes messages on as before', async () => {
    const seen: unknown[] = [];
    const m = new Messenger(() => {});
    m.onNotification(P.SnapshotChanged, (s) => seen.push(s));
    await m.receive({ type: 'notification', method: P.SnapshotChanged.method, params: { any: 'thing' } });
    assert.deepEqual(seen, [{ any: 'thing' }]);
  });
});

describe('chat protocol: validators', () => {
  it('objects are exact and plain; keys are their own', () => {
    const s = v.object({ a: v.string({ max: 3 }), n: v.integer({ min: 0, max: 9 }) });
    assert.equal(s.check({ a: 'abc', n: 9 }), undefined);
    assert.match(s.check({ a: 'abcd', n: 1 }) ?? '', /^a: longer than 3 characters/);
    assert.match(s.check({ a: 'a' }) ?? '', /^n: missing/);
    assert.match(s.check(JSON.parse('{"a":"a","n":1,"__proto__":{"x":1}}')) ?? '', /unexpected key "__proto__"/);
    assert.match(s.check(Object.assign(Object.create({ a: 'a', n: 1 }))) ?? '', /expected an object/);
    assert.match(s.check(new Date()) ?? '', /expected an object/);
    assert.match(v.object({ o: s }).check({ o: { a: 'a', n: 10 } }) ?? '', /^o\.n: expected an integer from 0 to 9/);
  });

  it('keyOf takes only the listed keys (not Object.prototype\'s)', () => {
    const s = v.keyOf<'slow' | 'fast'>({ slow: 1, fast: 1 });
    assert.equal(s.check('slow'), undefined);
    for (const bad of ['constructor', 'hasOwnProperty', '__proto__', 'SLOW', '', 1, null]) assert.ok(s.check(bad), String(bad));
  });

  it('links: only absolute http(s) URLs, without user names, as they will be opened', () => {
    assert.equal(httpUrl('https://docs.python.org/3/'), 'https://docs.python.org/3/');
    assert.equal(httpUrl('  HTTP://Example.COM/a b'), 'http://example.com/a%20b');
    assert.equal(httpUrl('https://docs.python.org@evil.example/?d=1'), 'https://evil.example/?d=1');
    for (const bad of ['x', './x', '/x', '//evil.example/', '#top', 'mailto:a@b.c', 'javascript:alert(1)', 'data:text/html,x', 'command:x', 'https:evil.example', 'http://', 'ftp://x/', '', null, undefined]) {
      assert.equal(httpUrl(bad), undefined, String(bad));
    }
  });

  it('fingerprints: the whole code, or the start of a block still being written', () => {
    const code = 'let a = 1;\nlet b = 2;';
    assert.equal(shownCode(code, codeFingerprint(code)), code);
    assert.equal(shownCode(code, codeFingerprint('let a = 1;\r\nlet b = 2;')), code, 'line breaks do not matter');
    assert.equal(shownCode(code, codeFingerprint('let a = 1;')), undefined, 'a prefix only when allowed');
    assert.equal(shownCode(code, codeFingerprint('let a = 1;'), { allowPrefix: true }), 'let a = 1;');
    assert.equal(shownCode(code, codeFingerprint('let a = 2;\nlet b = 2;')), undefined, 'other code of the same length');
    assert.equal(shownCode(code, codeFingerprint(`${code}\nmore`), { allowPrefix: true }), undefined);
    assert.equal(shownCode(code, 'nonsense'), undefined);
  });
});
