/**
 * Tool calls from Hunyuan-A13B, in both shapes a server may send them (see
 * ../../../README.md, "How it talks to the gateway"):
 *
 * - Parsed by the server (vLLM's `hunyuan_a13b` tool parser, SGLang's `hunyuan`): OpenAI
 *   `delta.tool_calls` entries, each call's `function.arguments` split across chunks, several
 *   calls told apart by `index`. `ToolCallDeltas` puts them together.
 * - Raw, from a server without a parser: the model's own text inside the answer,
 *   `<tool_calls>[{"name": …, "arguments": {…}}]</tool_calls>`, tags split anywhere across
 *   chunks, the JSON sometimes slightly off (a trailing comma, Python's True/False/None, a bracket
 *   missing at the end of a cut stream). `ToolCallTextStream` takes the calls out of the text and
 *   passes the rest through, with the "助手：" ("Assistant:") a plain reply may start with removed.
 *
 * Pure: no `vscode`, no DOM.
 */

/** One call of a tool, as the model asked for it. */
export interface ToolCall {
  /** The server's id, or one made up here (`call_<n>`) when it sent none (the raw shape never does). */
  readonly id: string;
  readonly name: string;
  /** The arguments object (`{}` when the model sent none). */
  readonly input: Record<string, unknown>;
}

/** A call that could not be read: its text is kept, so the answer loses nothing. */
export interface BadToolCall {
  readonly raw: string;
  readonly reason: string;
}

export type ToolTextEvent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'toolCall'; readonly call: ToolCall }
  | { readonly type: 'badToolCall'; readonly bad: BadToolCall };

const OPEN = '<tool_calls>';
const CLOSE = '</tool_calls>';
/** What a plain reply may start with once `tools` are in the request (the chat template's prompt). */
const ASSISTANT_PREFIXES = ['助手：', '助手:'];
/** The longest text held back before anything is known (leading blanks, then a prefix). */
const MAX_HEAD = 64;

/**
 * Takes raw `<tool_calls>` blocks out of an answer that streams in pieces. `push` returns the events
 * the text so far decides; `finish` the rest (an unclosed block is read as far as it got).
 */
export class ToolCallTextStream {
  private buffer = '';
  /** Before any text was passed on: a leading "助手：" may still come. */
  private atStart = true;
  private inCalls = false;
  /** Just after a closing tag: the line break that follows it is layout too. */
  private afterClose = false;
  /** Inside a block: how much of the buffer is known to hold no closing tag (a long block is scanned once). */
  private scanned = 0;
  private calls = 0;

  constructor(private readonly idPrefix = 'call_') {}

  push(chunk: string): ToolTextEvent[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  finish(): ToolTextEvent[] {
    return this.drain(true);
  }

  private drain(final: boolean): ToolTextEvent[] {
    const events: ToolTextEvent[] = [];
    for (;;) {
      if (this.atStart) {
        const decided = this.head(final);
        if (!decided) return events;
      }
      if (this.inCalls) {
        const end = this.buffer.indexOf(CLOSE, this.scanned);
        if (end < 0) {
          this.scanned = Math.max(0, this.buffer.length - CLOSE.length + 1);
          if (final && this.buffer.length) {
            events.push(...this.readCalls(this.buffer));
            this.buffer = '';
          }
          if (final) this.inCalls = false;
          return events;
        }
        events.push(...this.readCalls(this.buffer.slice(0, end)));
        this.buffer = this.buffer.slice(end + CLOSE.length);
        this.inCalls = false;
        this.afterClose = true;
        continue;
      }
      if (this.afterClose) {
        const br = /^[ \t]*(\r?\n|\r?$)/.exec(this.buffer);
        if (br && !br[1].endsWith('\n') && !final) return events; // the break may still come
        if (br) this.buffer = this.buffer.slice(br[0].length);
        this.afterClose = false;
      }
      const start = this.buffer.indexOf(OPEN);
      if (start >= 0) {
        const before = trimBreakBefore(this.buffer.slice(0, start));
        if (before) events.push({ type: 'text', text: before });
        this.buffer = this.buffer.slice(start + OPEN.length);
        this.inCalls = true;
        this.scanned = 0;
        continue;
      }
      // No opening tag: pass the text on, holding back an end that may be the start of one, and
      // blank space at the end (a line break before a tag is dropped with it).
      let keep = final ? 0 : partialSuffix(this.buffer, OPEN);
      while (!final && keep < this.buffer.length && /\s/.test(this.buffer[this.buffer.length - keep - 1])) keep++;
      const text = this.buffer.slice(0, this.buffer.length - keep);
      if (text) events.push({ type: 'text', text });
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return events;
    }
  }

  /**
   * Before anything was passed on: drops a leading "助手：" (after blank space). Returns whether
   * the start is decided; until then the text is held back.
   */
  private head(final: boolean): boolean {
    const body = this.buffer.replace(/^\s+/, '');
    for (const prefix of ASSISTANT_PREFIXES) {
      if (body.startsWith(prefix)) {
        this.buffer = body.slice(prefix.length);
        this.atStart = false;
        return true;
      }
      if (!final && prefix.startsWith(body) && this.buffer.length < MAX_HEAD) return false;
    }
    this.atStart = false;
    return true;
  }

  private readCalls(raw: string): ToolTextEvent[] {
    const parsed = parseCalls(raw);
    if ('reason' in parsed) return [{ type: 'badToolCall', bad: { raw, reason: parsed.reason } }];
    return parsed.calls.map((c) => ({ type: 'toolCall', call: { id: `${this.idPrefix}${this.calls++}`, ...c } }));
  }
}

/** One OpenAI `delta.tool_calls[]` entry (fields may be missing or null in any chunk). */
export interface ToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/**
 * Puts together streamed OpenAI tool-call deltas: each call's name and id come once, its
 * arguments in pieces, calls told apart by `index` (several, for parallel calls). `finish` reads
 * the arguments of each.
 */
export class ToolCallDeltas {
  private readonly byIndex = new Map<number, { id?: string; name: string; args: string }>();

  constructor(private readonly idPrefix = 'call_') {}

  get size(): number {
    return this.byIndex.size;
  }

  push(deltas: readonly ToolCallDelta[]): void {
    for (const d of deltas) {
      const index = typeof d.index === 'number' ? d.index : this.byIndex.size === 0 ? 0 : Math.max(...this.byIndex.keys());
      let call = this.byIndex.get(index);
      if (!call) {
        call = { name: '', args: '' };
        this.byIndex.set(index, call);
      }
      if (d.id) call.id ??= d.id;
      if (d.function?.name) call.name += d.function.name;
      if (d.function?.arguments) call.args += d.function.arguments;
    }
  }

  /** The calls in index order, and those whose arguments could not be read. */
  finish(): { calls: ToolCall[]; bad: BadToolCall[] } {
    const calls: ToolCall[] = [];
    const bad: BadToolCall[] = [];
    for (const [index, c] of [...this.byIndex].sort((a, b) => a[0] - b[0])) {
      const input = c.args.trim() ? parseLooseJson(c.args) : { value: {} };
      if (!c.name) {
        bad.push({ raw: c.args, reason: 'a tool call without a name' });
      } else if ('reason' in input || !isRecord(input.value)) {
        bad.push({ raw: `${c.name}(${c.args})`, reason: 'reason' in input ? input.reason : 'the arguments are not a JSON object' });
      } else {
        calls.push({ id: c.id ?? `${this.idPrefix}${index}`, name: c.name, input: input.value });
      }
    }
    return { calls, bad };
  }
}

/**
 * The calls in the text of a `<tool_calls>` block: a JSON array of `{name, arguments}` (a single
 * object is taken as one call; `arguments` may itself be a JSON string, or be called `parameters`).
 */
export function parseCalls(raw: string): { calls: { name: string; input: Record<string, unknown> }[] } | { reason: string } {
  const json = parseLooseJson(raw);
  if ('reason' in json) return json;
  const list = Array.isArray(json.value) ? json.value : [json.value];
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  for (const item of list) {
    if (!isRecord(item)) return { reason: 'a tool call that is not a JSON object' };
    const fn = isRecord(item.function) ? item.function : item;
    const name = fn.name;
    if (typeof name !== 'string' || !name) return { reason: 'a tool call without a name' };
    let args: unknown = fn.arguments ?? fn.parameters ?? {};
    if (typeof args === 'string') {
      const inner = args.trim() ? parseLooseJson(args) : { value: {} };
      if ('reason' in inner) return inner;
      args = inner.value;
    }
    if (!isRecord(args)) return { reason: `the arguments of ${name} are not a JSON object` };
    calls.push({ name, input: args });
  }
  return { calls };
}

/**
 * JSON as a model writes it: strict first, then lightly repaired: Python's True/False/None,
 * trailing commas, and brackets left open at the end (a cut stream) closed. Anything else is
 * refused with the parser's reason.
 */
export function parseLooseJson(text: string): { value: unknown } | { reason: string } {
  const trimmed = text.trim();
  try {
    return { value: JSON.parse(trimmed) };
  } catch (err) {
    const repaired = repairJson(trimmed);
    if (repaired !== trimmed) {
      try {
        return { value: JSON.parse(repaired) };
      } catch {
        // fall through with the first error
      }
    }
    return { reason: `malformed JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** See `parseLooseJson`: one pass outside strings, then the open brackets closed. */
function repairJson(text: string): string {
  let out = '';
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      open.push(c === '{' ? '}' : ']');
      out += c;
    } else if (c === '}' || c === ']') {
      out = out.replace(/,\s*$/, '');
      if (open[open.length - 1] === c) open.pop();
      out += c;
    } else if (/[A-Za-z]/.test(c)) {
      const word = /^[A-Za-z_]+/.exec(text.slice(i))?.[0] ?? c;
      out += word === 'True' ? 'true' : word === 'False' ? 'false' : word === 'None' ? 'null' : word;
      i += word.length - 1;
    } else {
      out += c;
    }
  }
  if (inString) out += '"';
  out = out.replace(/,\s*$/, '');
  while (open.length) out += open.pop();
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How long an end of `text` is that `tag` starts with (the tag may be split across chunks). */
function partialSuffix(text: string, tag: string): number {
  for (let k = Math.min(tag.length - 1, text.length); k > 0; k--) {
    if (text.endsWith(tag.slice(0, k))) return k;
  }
  return 0;
}

/** The line break the model writes before the tag is layout, not text. */
function trimBreakBefore(text: string): string {
  return text.replace(/\r?\n[ \t]*$/, '');
}
