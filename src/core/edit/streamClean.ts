/**
 * The streaming counterpart of `cleanPartialCodeAnswer` (./clean.ts), for an answer that arrives
 * in pieces: `CodeAnswerStream` takes the answer as it streams and gives the cleaned lines that can
 * no longer change, each once, in order. The inline diff appends them as they come and never has
 * to take one back. Pure: no `vscode`, no DOM.
 *
 * `cleanPartialCodeAnswer` reads the whole answer each time; called for every line that completes,
 * that is quadratic (seconds for a rewrite of a few thousand lines). The stream reads each line
 * once, with a cost that does not grow with the answer:
 *
 * - Line breaks (`\r\n`, `\r`, `\n`, split across chunks anywhere) are found as the text arrives;
 *   only complete lines are looked at, the unfinished last one waits.
 * - The head: until the code's first line is decided, the lines so far go through the same steps
 *   as `cleanPartialCodeAnswer`, on the lines since the leftover tags taken off (`<think>` blocks,
 *   `<answer>`, `/no_think`), and only when a line could decide something: a line with `</think>`
 *   while thinking, a fence, a line of code in an unfenced answer, any line while a possible echo
 *   of `contextBefore` is held back. The code starts inside the first block (the one
 *   `cleanPartialCodeAnswer` follows) at its first line past a `/no_think` and an echoed
 *   `contextBefore`, or in an unfenced answer once two lines of code arrived, likewise.
 * - The code: each new line alone. In a block: does it close the block (then nothing more comes),
 *   the block's indentation off. In an unfenced answer: is it prose (a heading, an explanation) or
 *   code. Then the indentation `restoreIndent` decided on the code's first line, and what is held
 *   back at the end: blank lines, prose lines of an unfenced answer until a line of code follows,
 *   the longest run of last lines that is the start of `contextAfter` (a possible echo; it is
 *   followed line by line, as string matching follows a pattern, so each line costs the same
 *   however long the run), and in an unclosed block a last line of fence characters (a closing
 *   fence the stream may cut short).
 * - A line that is `</answer>`, or ends with it, ends the answer (as `cleanPartialCodeAnswer`
 *   takes it while streaming): its text before the tag is the last line looked at. (Before any
 *   line is shown the stream reads on, nothing lost: if more lines come, the tag was text.)
 *
 * So `lines` is, at every point, a prefix of the lines of `cleanPartialCodeAnswer(answerSoFar)`
 * (with `original`'s leading blank lines first), and of those of `cleanCodeAnswer(answer)` at the
 * end; for an answer that is one block, or plain code, it is all of them but what is held back at
 * the end. Where `cleanPartialCodeAnswer` itself changes its mind the stream stops instead (no line
 * shown is ever wrong, later lines are just not shown): a fence after lines taken for code, or a
 * `</think>` line after them, in an unfenced answer; and after the block followed closes, a later
 * block the final answer may prefer. Until a line is shown, none of this is final: the stream goes
 * back to the head and follows `cleanPartialCodeAnswer` again.
 */
import type { CleanOptions } from './clean';
import {
  ANSWER_END, chooseFence, classifyPlainLine, closingFence, contentLines, countsAsCode, cutFence, endsWithAnswerTag, expectedIndent, type Fence,
  frame, indentRestorer, isBlank, leadingEcho, MAX_CONTEXT_LINES, openingFence, parseFences, plainBounds, stripIndentUpTo, stripLeadingTags,
} from './clean';
import { commentSyntax } from './languages';

const LINE_BREAKS = /\r\n|\r|\n/g;
/** A line that may open or close a fence (parseFences decides). */
const FENCE_LIKE = /^[ \t]*(?:`{3,}|~{3,})/;
/** A line that is only `</think>`: above it, thinking without its opening tag. */
const THINK_END_LINE = /^[ \t]*<\/think>[ \t]*$/;

/**
 * While the head is undecided, which new lines make it worth looking at the head again (any other
 * line cannot change what `cleanPartialCodeAnswer` shows, which is nothing yet):
 * - `every`: all (before anything is known);
 * - `thinkEnd`: inside `<think>`, a line with `</think>`;
 * - `nonBlank`: after a bare `<answer>` in markup, the line that tells whether it is a tag;
 * - `count`: an unfenced answer without two lines of code yet: a line of code, a fence, a tag;
 * - `grow`: two lines of code whose start may echo `contextBefore`: a line that extends the code;
 * - `fence`: after a block with nothing to show: another fence, `</answer>`.
 */
type Trigger = 'every' | 'thinkEnd' | 'nonBlank' | 'count' | 'grow' | 'fence';

/**
 * The longest run of last lines that is the start of `contextAfter`, line by line: the states of
 * a Knuth–Morris–Pratt matcher whose characters are lines (compared trimmed, as echo removal
 * does). A new line makes the run at most one line longer, and the fallbacks are paid for by the
 * lines that made it long, so a line costs O(1) comparisons amortized.
 */
class EchoMatcher {
  private readonly keys: readonly string[];
  private readonly fallback: number[];

  constructor(after: readonly string[]) {
    this.keys = after.map((l) => l.trim());
    const fallback = new Array<number>(this.keys.length).fill(0);
    for (let i = 1; i < this.keys.length; i++) {
      let k = fallback[i - 1];
      while (k > 0 && this.keys[i] !== this.keys[k]) k = fallback[k - 1];
      if (this.keys[i] === this.keys[k]) k++;
      fallback[i] = k;
    }
    this.fallback = fallback;
  }

  /** The run's length after `line`, given its length before. */
  next(run: number, line: string): number {
    const m = this.keys.length;
    if (m === 0) return 0;
    const key = line.trim();
    let k = run === m ? this.fallback[m - 1] : run;
    while (k > 0 && this.keys[k] !== key) k = this.fallback[k - 1];
    return this.keys[k] === key ? k + 1 : 0;
  }
}

interface Pending {
  /** The line, re-indented. */
  readonly line: string;
  /** How many lines, up to this one, may be the start of `contextAfter`. */
  readonly echo: number;
}

/**
 * What a line of code can do to what is shown: `anchor`, the shown code may end with it (a non-blank
 * line of a block, a line of code of an unfenced answer); `followed`, it may once another line
 * follows (a line of fence characters in an open block: the final answer drops it when it is the
 * last line, a closing fence the stream cut short); `other`, it waits for an anchor after it.
 */
type LineKind = 'anchor' | 'followed' | 'other';

/**
 * The code from its first line on: re-indents each line and hands on the ones that are stable.
 * When an anchor arrives, everything up to it is shown but the possible echo of `contextAfter`
 * that ends at it, and the blank lines before that; what follows the last anchor waits.
 */
class CodeLines {
  private restore: ((line: string) => string) | undefined;
  private echo = 0;
  private readonly pending: Pending[] = [];
  /** The last line is `followed`: the next line makes it an anchor. */
  private lastFollowed = false;

  constructor(
    private readonly expectedIndent: string,
    private readonly after: EchoMatcher | undefined,
    private readonly emit: (lines: string[]) => void,
  ) {}

  add(line: string, kind: LineKind): void {
    if (!this.restore) {
      if (isBlank(line)) return; // blank lines before the code's first line go
      this.restore = indentRestorer(line, this.expectedIndent); // decided on the first line, as restoreIndent does
    }
    if (this.lastFollowed) {
      this.lastFollowed = false;
      this.release(this.pending.length - 1);
    }
    if (this.after) this.echo = this.after.next(this.echo, line);
    this.pending.push({ line: this.restore(line), echo: this.echo });
    if (kind === 'anchor') this.release(this.pending.length - 1);
    this.lastFollowed = kind === 'followed';
  }

  /** The block closed: its last non-blank line may end the code (a line of fence characters too). */
  close(): void {
    let i = this.pending.length - 1;
    while (i >= 0 && isBlank(this.pending[i].line)) i--;
    if (i >= 0) this.release(i);
  }

  /**
   * Shows the pending lines up to `i` but its possible echo and the blank lines before it. The run
   * never reaches back into lines shown: it grew by at most one line per line since they were.
   */
  private release(i: number): void {
    let end = i + 1 - this.pending[i].echo;
    while (end > 0 && isBlank(this.pending[end - 1].line)) end--;
    if (end === 1 && this.pending.length === 1) {
      this.emit([this.pending[0].line]);
      this.pending.length = 0;
    } else if (end > 0) {
      this.emit(this.pending.splice(0, end).map((p) => p.line));
    }
  }
}

type State = 'head' | 'fenceWait' | 'fence' | 'plain' | 'done';

/**
 * Cleans a code answer as it streams: `push` each piece of the answer as it arrives; it returns the
 * cleaned lines that became stable (see the top of this file). One per answer.
 */
export class CodeAnswerStream {
  private readonly languageId: string;
  private readonly markers: readonly string[];
  private readonly before: string[] | undefined;
  private readonly original: string[];
  private readonly expectedIndent: string;
  private readonly after: EchoMatcher | undefined;
  /** `original`'s blank lines before its first line, shown with the code's first line. */
  private readonly lead: string[];

  private readonly shown: string[] = [];
  private fresh: string[] = [];
  /** The unfinished last line. */
  private partial = '';
  /** The last piece ended with `\r`: a `\n` starting the next one is the same line break. */
  private skipLineFeed = false;

  private state: State = 'head';
  /**
   * The complete lines since the leftover tags taken off, while nothing is shown: the head, and
   * what to look at again if the code turns out to start elsewhere.
   */
  private rest: string[] | undefined = [];
  private answerTag = false;
  private trigger: Trigger = 'every';
  /** Whether a `</answer>` ending a line ends the answer (in markup it may be an element). */
  private answerEnd = false;
  /** The block the code is in (`fenceWait`, `fence`), with its closing and cut-closing lines. */
  private fence: Fence | undefined;
  private closing = /$^/;
  private cutClosing = /$^/;
  /** `fenceWait`: the block's lines so far, and whether the code start waits on an echo of `contextBefore`. */
  private content: string[] = [];
  private holding = false;
  private code: CodeLines | undefined;

  constructor(opts: CleanOptions) {
    this.languageId = opts.languageId;
    this.markers = commentSyntax(opts.languageId).line;
    this.before = opts.contextBefore ? contentLines(opts.contextBefore).slice(-MAX_CONTEXT_LINES) : undefined;
    this.original = opts.original === undefined ? [] : contentLines(opts.original);
    this.expectedIndent = expectedIndent(opts, this.original);
    this.after = opts.contextAfter ? new EchoMatcher(contentLines(opts.contextAfter).slice(0, MAX_CONTEXT_LINES)) : undefined;
    const { lead } = frame(opts.original, opts.eol);
    this.lead = lead ? lead.split(opts.eol).slice(0, -1) : [];
  }

  /** All stable cleaned lines so far (grows only; what push returned, concatenated). */
  get lines(): readonly string[] {
    return this.shown;
  }

  /**
   * Adds streamed answer text (any chunking: tokens of a few chars, line breaks anywhere, CRLF
   * split across chunks). Returns the cleaned lines that became stable with it (complete lines, no
   * line breaks), in order; often none.
   */
  push(text: string): string[] {
    if (this.isDone() || text === '') return [];
    // Most pieces are a token inside a line: nothing to look at yet.
    if (!this.skipLineFeed && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      this.partial += text;
      return [];
    }
    this.fresh = [];
    let from = this.skipLineFeed && text[0] === '\n' ? 1 : 0;
    this.skipLineFeed = false;
    LINE_BREAKS.lastIndex = from;
    for (let m = LINE_BREAKS.exec(text); m; m = LINE_BREAKS.exec(text)) {
      const line = this.partial + text.slice(from, m.index);
      this.partial = '';
      from = m.index + m[0].length;
      if (m[0] === '\r' && from === text.length) this.skipLineFeed = true;
      this.onLine(line);
      if (this.isDone()) break;
    }
    LINE_BREAKS.lastIndex = 0;
    if (!this.isDone()) this.partial += text.slice(from);
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }

  /** (A method, so that the state read after `onLine` is not taken for the one read before.) */
  private isDone(): boolean {
    return this.state === 'done';
  }

  private onLine(raw: string): void {
    switch (this.state) {
      case 'head':
        this.rest?.push(raw);
        if (this.fires(raw)) this.analyze();
        break;
      case 'fenceWait':
        this.fenceWaitLine(raw);
        break;
      case 'fence':
        this.fenceLine(raw);
        break;
      case 'plain':
        this.plainLine(raw);
        break;
      case 'done':
        break;
    }
  }

  private fires(raw: string): boolean {
    switch (this.trigger) {
      case 'every':
        return true;
      case 'thinkEnd':
        return raw.includes('</think>');
      case 'nonBlank':
        return !isBlank(raw);
      case 'count':
        return FENCE_LIKE.test(raw) || raw.includes('</think>') || raw.includes('</answer>') || countsAsCode(raw, this.languageId, this.markers);
      case 'grow': {
        if (FENCE_LIKE.test(raw) || raw.includes('</think>') || raw.includes('</answer>')) return true;
        const c = classifyPlainLine(raw, this.languageId, this.markers);
        return c === 'code' || c === 'cont';
      }
      case 'fence':
        return FENCE_LIKE.test(raw) || raw.includes('</answer>');
    }
  }

  // ---- the head ---------------------------------------------------------------------------------

  /**
   * Looks at the head again, as `cleanPartialCodeAnswer` would (nothing is shown yet, so `rest` is
   * there), and moves on when the code's start is decided.
   */
  private analyze(): void {
    const text = this.rest?.length ? `${this.rest.join('\n')}\n` : '';
    const tags = stripLeadingTags(text, this.languageId, false, this.answerTag);
    // What was taken off stays off: look only at what follows from now on.
    this.answerTag = tags.answerTag;
    this.rest = tags.text ? tags.text.slice(0, -1).split('\n') : [];
    this.state = 'head';
    this.code = undefined;
    if (tags.waiting) {
      this.trigger = tags.text.trimStart().startsWith('<think>') ? 'thinkEnd' : 'nonBlank';
      return;
    }
    let body = tags.text;
    this.answerEnd = endsWithAnswerTag(body, this.languageId, tags.answerTag);
    const ended = this.answerEnd && ANSWER_END.test(body);
    if (ended) body = body.replace(ANSWER_END, '\n');
    const lines = body ? body.slice(0, -1).split('\n') : [];
    this.decideHead(lines);
    if (ended) this.endAnswer();
  }

  /** The head's lines (after the tags): where the code starts, if that is decided. */
  private decideHead(lines: readonly string[]): void {
    const fences = parseFences(lines);
    if (fences.length) {
      const fence = chooseFence(fences, this.languageId, false);
      if (fence.closed) {
        // A block complete already: show what it gives, and that is all.
        const start = this.codeStart(fence.content);
        if (typeof start === 'number') {
          const code = this.startCode();
          for (const line of fence.content.slice(start)) code.add(line, isBlank(line) ? 'other' : 'anchor');
          code.close();
        }
        // Nothing (blank, or all of it may echo the context): a later block may still be the one.
        if (this.shown.length) this.finish();
        else this.trigger = 'fence';
        return;
      }
      // The last block, open: its lines so far.
      this.fence = fence;
      this.closing = closingFence(fence);
      this.cutClosing = cutFence(fence);
      this.content = [...fence.content];
      this.decideInBlock();
      return;
    }

    const bounds = plainBounds(lines, this.languageId, false);
    const start = bounds && this.codeStart(lines.slice(bounds.start, bounds.end));
    if (!bounds || typeof start !== 'number') {
      this.trigger = bounds ? 'grow' : 'count';
      return;
    }
    this.state = 'plain';
    const code = this.startCode();
    for (const line of lines.slice(bounds.start + start)) code.add(line, this.plainKind(line));
  }

  /**
   * A line ended with `</answer>`: once lines are shown, that is the end. Before, nothing is lost
   * by reading on: when more lines come, the tag was text after all, and the head is looked at
   * again with the next line (as cleanPartialCodeAnswer then reads it).
   */
  private endAnswer(): void {
    if (this.shown.length) {
      this.finish();
    } else if (this.state !== 'done') {
      this.state = 'head';
      this.trigger = 'every';
      this.code = undefined;
      this.content = [];
    }
  }

  /**
   * Where the code starts in `lines` (the start of a block, or of an unfenced answer's code): past
   * blank lines, a `/no_think` line and the lines that repeat the end of `contextBefore`; `hold`
   * while they may be the start of a longer repetition, nothing while there is no line yet.
   */
  private codeStart(lines: readonly string[]): number | 'hold' | undefined {
    let a = firstNonBlank(lines, 0);
    if (a >= 0 && lines[a].trim() === '/no_think') a = firstNonBlank(lines, a + 1);
    if (a < 0) return undefined;
    if (this.before) {
      const { drop, hold } = leadingEcho(lines.slice(a), this.before, this.original, false);
      if (hold) return 'hold';
      a += drop;
    }
    return a;
  }

  /** In the open block: starts the code if its start is decided, else waits for more lines. */
  private decideInBlock(): void {
    const start = this.codeStart(this.content);
    this.holding = start === 'hold';
    if (typeof start !== 'number') {
      this.state = 'fenceWait';
      return;
    }
    this.state = 'fence';
    const code = this.startCode();
    for (const line of this.content.slice(start)) code.add(line, this.blockKind(line));
    this.content = [];
  }

  private fenceWaitLine(raw: string): void {
    this.rest?.push(raw);
    // The block closes, or the answer ends, before the code started: see it whole again.
    if ((this.answerEnd && ANSWER_END.test(raw)) || this.closing.test(raw)) {
      this.analyze();
      return;
    }
    const line = stripIndentUpTo(raw, this.fence?.indent ?? 0);
    this.content.push(line);
    // A blank line decides nothing, unless it ends a possible echo.
    if (!isBlank(line) || this.holding) this.decideInBlock();
  }

  // ---- the code ---------------------------------------------------------------------------------

  private startCode(): CodeLines {
    this.code = new CodeLines(this.expectedIndent, this.after, (lines) => this.emit(lines));
    return this.code;
  }

  private emit(lines: string[]): void {
    if (!this.shown.length) {
      this.shown.push(...this.lead);
      this.fresh.push(...this.lead);
      this.rest = undefined; // shown lines stay: no going back to the head
    }
    for (const line of lines) {
      this.shown.push(line);
      this.fresh.push(line);
    }
  }

  private fenceLine(raw: string): void {
    this.rest?.push(raw);
    let line = raw;
    const ended = this.answerEnd && ANSWER_END.test(line);
    if (ended) line = line.replace(ANSWER_END, '');
    if (this.closing.test(line)) {
      this.code?.close();
      // Nothing shown from this block: the answer may have a better one, look at it whole.
      if (this.shown.length) this.finish();
      else this.analyze();
      return;
    }
    const content = stripIndentUpTo(line, this.fence?.indent ?? 0);
    this.code?.add(content, this.blockKind(content));
    if (ended) this.endAnswer();
  }

  private plainLine(raw: string): void {
    let line = raw;
    const ended = this.answerEnd && ANSWER_END.test(line);
    if (ended) line = line.replace(ANSWER_END, '');
    if (openingFence(line) || THINK_END_LINE.test(line)) {
      // cleanPartialCodeAnswer would start over from here (the block, or what follows the
      // thinking): so does the stream while nothing is shown; after, it stops.
      if (this.rest) {
        this.rest.push(raw);
        this.analyze();
      } else {
        this.finish();
      }
      return;
    }
    this.rest?.push(raw);
    this.code?.add(line, this.plainKind(line));
    if (ended) this.endAnswer();
  }

  /** In an open block: the code may end with a non-blank line, with fence characters alone once a line follows. */
  private blockKind(line: string): LineKind {
    return isBlank(line) ? 'other' : this.cutClosing.test(line) ? 'followed' : 'anchor';
  }

  /** In an unfenced answer: the code may end with a line of code, not with prose. */
  private plainKind(line: string): LineKind {
    return classifyPlainLine(line, this.languageId, this.markers) === 'code' ? 'anchor' : 'other';
  }

  private finish(): void {
    this.state = 'done';
    this.rest = undefined;
    this.code = undefined;
    this.content = [];
    this.partial = '';
  }
}

function firstNonBlank(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (!isBlank(lines[i])) return i;
  return -1;
}
