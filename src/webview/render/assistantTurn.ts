/**
 * An answer: a collapsible thinking block with its timing, the answer's Markdown (rendered
 * incrementally while it streams), a status mark (stopped, error with its buttons), notes, and a
 * footer with tokens, cost and latency, plus Regenerate on the last answer.
 */
import { formatYuan, type AssistantTurn, type ChatErrorInfo } from '../../common/chat/model.js';
import { Regenerate, Retry, RunErrorAction } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import { button, formatCount, formatSeconds, h, present } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { codeToolbarFor } from '../ui/codeToolbar.js';
import { MarkdownStream } from './stream.js';

export interface DeltaParams {
  thinking?: string;
  answer?: string;
  thinkingEndedAt?: number;
  firstTokenMs?: number;
}

/** Ticks the "Thinking… N s" labels of the turns that are thinking. */
const thinkingNow = new Set<AssistantTurnView>();
let ticker: ReturnType<typeof setInterval> | undefined;
function tick(view: AssistantTurnView, live: boolean): void {
  if (live) thinkingNow.add(view);
  else thinkingNow.delete(view);
  if (thinkingNow.size && ticker === undefined) ticker = setInterval(() => thinkingNow.forEach((v) => v.refreshThinkingLabel()), 1000);
  if (!thinkingNow.size && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

const ERROR_LABELS = { retry: 'retry', setApiKey: 'setApiKey', openSettings: 'openSettings', showLog: 'showLog' } as const;

export class AssistantTurnView {
  readonly element: HTMLElement;
  private turn: AssistantTurn;
  private readonly badges: HTMLElement;
  private readonly waiting: HTMLElement;
  private readonly answerEl: HTMLElement;
  private readonly answer: MarkdownStream;
  private readonly status: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly regenerate: HTMLButtonElement;
  private thinking: { details: HTMLDetailsElement; label: HTMLElement; stream: MarkdownStream } | undefined;
  private thinkingToggledByUser = false;
  private localThinkingStart: number | undefined;
  private localThinkingEnd: number | undefined;
  private last = false;
  /** Paths of the snippets sent with the question: the answer's references to them are links. */
  private readonly knownPaths: Set<string>;

  constructor(
    private readonly ctx: ViewContext,
    turn: AssistantTurn,
    knownPaths: readonly string[] = [],
  ) {
    this.turn = { ...turn };
    this.knownPaths = new Set(knownPaths);
    const t = ctx.t;
    this.badges = h('span', { class: 'badges' });
    this.waiting = h('div', { class: 'waiting', 'data-testid': 'waiting', role: 'status' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')), t('waiting'));
    this.answerEl = h('div', { class: 'answer markdown', 'data-testid': 'answer' });
    this.answer = new MarkdownStream(this.answerEl, {
      codeToolbar: codeToolbarFor(ctx, turn.id),
      fileLinks: { known: this.knownPaths, title: (path, line) => (line > 0 ? t('openLocation', path, line) : t('openFile', path)) },
    });
    this.status = h('div', { class: 'turn-status' });
    this.regenerate = button({ label: t('regenerate'), icon: 'refresh', testId: 'regenerate-button', className: 'icon-button turn-action', onClick: () => ctx.messenger.sendNotification(Regenerate, undefined) });
    this.footer = h('footer', { class: 'turn-footer', 'data-testid': 'turn-footer' });
    this.element = h(
      'article',
      { class: 'turn turn-assistant', 'data-testid': 'assistant-turn', 'data-turn-id': turn.id, 'aria-label': t('hunyuan') },
      h('header', { class: 'turn-header' }, icon('sparkle', 'icon author-icon'), h('span', { class: 'turn-author' }, t('hunyuan')), this.badges),
      this.answerEl,
      this.status,
      this.footer,
    );
    const live = turn.status === 'streaming';
    if (turn.thinking) {
      const stream = this.ensureThinking().stream;
      if (live) stream.append(turn.thinking);
      else stream.renderWhole(turn.thinking);
    }
    if (live) this.answer.append(turn.answer);
    else this.answer.renderWhole(turn.answer);
    if (this.thinking) this.thinking.details.open = this.initiallyOpen();
    this.refresh();
  }

  get id(): string {
    return this.turn.id;
  }

  get streaming(): boolean {
    return this.turn.status === 'streaming';
  }

  /** Whether this view already shows `turn` (so a redraw can keep it). */
  shows(turn: AssistantTurn): boolean {
    const mine = this.turn;
    // A streaming view takes the rest of its text and its end as an update.
    if (mine.status === 'streaming') return turn.answer.startsWith(this.answer.text) && turn.thinking.startsWith(this.thinkingText());
    return turn.status === mine.status && turn.answer === this.answer.text && turn.thinking === this.thinkingText() &&
      turn.endedAt === mine.endedAt && turn.usage?.totalTokens === mine.usage?.totalTokens && turn.error?.message === mine.error?.message &&
      turn.costYuan === mine.costYuan;
  }

  /** The turn as a whole (TurnChanged, or a redraw of a streaming turn). */
  update(turn: AssistantTurn): void {
    const wasStreaming = this.streaming;
    this.turn = { ...turn };
    if (turn.status === 'streaming') {
      // Catch up with text the snapshot has and the deltas did not bring (none, normally).
      this.appendMissing(turn);
    } else {
      if (turn.thinking && !this.thinking) this.ensureThinking();
      for (const [stream, text] of [[this.thinking?.stream, turn.thinking], [this.answer, turn.answer]] as const) {
        if (!stream) continue;
        if (!stream.finished) stream.finish(text);
        else if (stream.text !== text) stream.renderWhole(text);
      }
      if (wasStreaming && this.thinking && !turn.answer && !this.thinkingToggledByUser) this.thinking.details.open = true;
    }
    this.refresh();
  }

  appendDelta(d: DeltaParams): void {
    if (!this.streaming) return;
    if (d.thinking) {
      this.localThinkingStart ??= Date.now();
      this.ensureThinking().stream.append(d.thinking);
    }
    if (d.thinkingEndedAt) this.turn.thinkingEndedAt = d.thinkingEndedAt;
    if (d.firstTokenMs !== undefined) this.turn.firstTokenMs = d.firstTokenMs;
    if (d.answer) {
      if (!this.answer.text) this.answerStarted();
      this.answer.append(d.answer);
    }
    this.refreshProgress();
  }

  /** The snippets sent with the question changed: a finished answer is drawn again with their links. */
  setKnownPaths(paths: readonly string[]): void {
    // a path comes once per snippet: compared as sets, or a search of 5 snippets from 2 files would redraw each time
    const next = new Set(paths);
    if (next.size === this.knownPaths.size && [...next].every((p) => this.knownPaths.has(p))) return;
    this.knownPaths.clear();
    for (const p of next) this.knownPaths.add(p);
    if (this.answer.finished && this.answer.text) this.answer.renderWhole(this.answer.text);
  }

  setLast(last: boolean): void {
    this.last = last;
    this.refreshFooter();
  }

  /** Stops timers (the view is being removed). */
  dispose(): void {
    tick(this, false);
  }

  refreshThinkingLabel(): void {
    const th = this.thinking;
    if (!th) return;
    const t = this.ctx.t;
    const live = this.streaming && !this.answer.text && !this.turn.thinkingEndedAt;
    tick(this, live);
    th.details.classList.toggle('live', live);
    const ms = this.thinkingMs();
    const text = live ? t('thinkingLive', Math.floor(this.liveThinkingMs() / 1000)) : ms === undefined ? t('thinking') : t('thoughtFor', Math.max(1, Math.round(ms / 1000)));
    if (th.label.textContent !== text) th.label.textContent = text;
  }

  // ---- internals -------------------------------------------------------------------------------

  private thinkingText(): string {
    return this.thinking?.stream.text ?? '';
  }

  private appendMissing(turn: AssistantTurn): void {
    const thinking = this.thinkingText();
    if (turn.thinking.length > thinking.length && turn.thinking.startsWith(thinking)) this.appendDelta({ thinking: turn.thinking.slice(thinking.length) });
    const answer = this.answer.text;
    if (turn.answer.length > answer.length && turn.answer.startsWith(answer)) this.appendDelta({ answer: turn.answer.slice(answer.length) });
  }

  private initiallyOpen(): boolean {
    if (this.streaming) return !this.answer.text || !this.ctx.settings.collapseThinking;
    return !this.ctx.settings.collapseThinking || !this.turn.answer;
  }

  private answerStarted(): void {
    this.localThinkingEnd ??= Date.now();
    if (this.thinking && this.ctx.settings.collapseThinking && !this.thinkingToggledByUser) this.thinking.details.open = false;
  }

  private ensureThinking(): NonNullable<AssistantTurnView['thinking']> {
    if (this.thinking) return this.thinking;
    const label = h('span', { class: 'thinking-label' });
    const body = h('div', { class: 'thinking-body markdown', 'data-testid': 'thinking-body' });
    const summary = h('summary', { class: 'thinking-summary', 'data-testid': 'thinking-summary' }, icon('chevronDown', 'icon chevron'), icon('bulb', 'icon thinking-icon'), label);
    const details = h('details', { class: 'thinking', 'data-testid': 'thinking', open: true }, summary, body);
    summary.addEventListener('click', () => {
      this.thinkingToggledByUser = true;
    });
    this.thinking = { details, label, stream: new MarkdownStream(body) };
    this.element.insertBefore(details, this.waiting.isConnected ? this.waiting : this.answerEl);
    return this.thinking;
  }

  private liveThinkingMs(): number {
    const start = this.turn.thinkingStartedAt ?? this.localThinkingStart ?? this.turn.startedAt;
    return Math.max(0, Date.now() - start);
  }

  /** How long the model thought, when that is known. */
  private thinkingMs(): number | undefined {
    const { thinkingStartedAt: start, thinkingEndedAt: end, endedAt } = this.turn;
    if (start !== undefined && (end ?? endedAt) !== undefined) return Math.max(0, (end ?? endedAt ?? start) - start);
    if (this.localThinkingStart !== undefined) return Math.max(0, (this.localThinkingEnd ?? Date.now()) - this.localThinkingStart);
    return undefined;
  }

  private refresh(): void {
    const turn = this.turn;
    const streaming = this.streaming;
    this.element.dataset.status = turn.status;
    this.element.classList.toggle('streaming', streaming);
    this.element.setAttribute('aria-busy', String(streaming));
    this.answerEl.setAttribute('aria-busy', String(streaming));
    this.refreshProgress();
    this.refreshBadges();
    this.refreshStatus();
    this.refreshFooter();
  }

  /** What a streamed delta can change: the waiting mark, the answer's visibility, the thinking label. */
  private refreshProgress(): void {
    const streaming = this.streaming;
    present(this.waiting, streaming && !this.answer.text && !this.thinkingText(), (el) => this.answerEl.before(el));
    // Called for every streamed batch: change the DOM only when something changes (a change costs a frame).
    const hidden = !this.answer.text && !streaming;
    if (this.answerEl.hidden !== hidden) this.answerEl.hidden = hidden;
    this.refreshThinkingLabel();
  }

  private refreshBadges(): void {
    const t = this.ctx.t;
    this.badges.replaceChildren();
    if (this.turn.status === 'stopped') {
      this.badges.append(h('span', { class: 'badge badge-stopped', 'data-testid': 'stopped-badge', title: t('stoppedTitle') }, t('stopped')));
    }
  }

  private refreshStatus(): void {
    const t = this.ctx.t;
    const turn = this.turn;
    const parts: Node[] = [];
    if (turn.status === 'error' && turn.error) parts.push(this.errorBox(turn.error));
    if (turn.status !== 'streaming' && turn.finishReason === 'length') {
      parts.push(h('p', { class: 'note', 'data-testid': 'truncated-note' }, icon('warning', 'icon note-icon'), t('truncated')));
    }
    if (turn.droppedTurns) {
      parts.push(h('p', { class: 'note', 'data-testid': 'dropped-note' }, icon('warning', 'icon note-icon'), turn.droppedTurns === 1 ? t('droppedTurn') : t('droppedTurns', turn.droppedTurns)));
    }
    this.status.replaceChildren(...parts);
  }

  private errorBox(error: ChatErrorInfo): HTMLElement {
    const t = this.ctx.t;
    const actions = h('div', { class: 'error-actions' });
    error.actions.forEach((action, i) => {
      const label = t(ERROR_LABELS[action] ?? 'retry');
      actions.append(button({
        label,
        text: label,
        testId: `error-action-${action}`,
        className: i === 0 ? 'button primary' : 'button secondary',
        onClick: () => {
          if (action === 'retry') this.ctx.messenger.sendNotification(Retry, undefined);
          else this.ctx.messenger.sendNotification(RunErrorAction, { action });
        },
      }));
    });
    return h(
      'div',
      { class: 'error-box', role: 'alert', 'data-testid': 'error', 'data-error-kind': error.kind },
      icon('error', 'icon error-icon'),
      h('div', { class: 'error-content' }, h('p', { class: 'error-message', 'data-testid': 'error-message' }, error.message), error.actions.length ? actions : null),
    );
  }

  private refreshFooter(): void {
    const t = this.ctx.t;
    const turn = this.turn;
    const parts: Node[] = [];
    if (turn.status !== 'streaming') {
      const u = turn.usage;
      if (u) {
        const approx = u.estimated ? '≈' : '';
        parts.push(h('span', {
          class: 'meta',
          'data-testid': 'usage',
          title: `${t('usageTitle', formatCount(u.promptTokens), formatCount(u.completionTokens))}${u.estimated ? `\n${t('estimatedNote')}` : ''}`,
        }, approx + t('usageTokens', formatCount(u.promptTokens), formatCount(u.completionTokens))));
      }
      if (turn.costYuan !== undefined) {
        parts.push(h('span', { class: 'meta', 'data-testid': 'cost', title: u?.estimated ? t('estimatedNote') : null }, (u?.estimated ? '≈' : '') + formatYuan(turn.costYuan)));
      }
      if (turn.endedAt !== undefined) {
        const total = turn.endedAt - turn.startedAt;
        const first = turn.firstTokenMs;
        parts.push(h('span', {
          class: 'meta',
          'data-testid': 'latency',
          title: first !== undefined ? t('latencyTitle', formatSeconds(total), formatSeconds(first)) : null,
        }, t('seconds', formatSeconds(total))));
        if (first !== undefined) parts.push(h('span', { class: 'meta', 'data-testid': 'first-token' }, t('firstToken', formatSeconds(first))));
      }
    }
    const canRegenerate = this.last && turn.status !== 'streaming' && !this.ctx.streamingId && !(turn.status === 'error' && turn.error?.actions.includes('retry'));
    this.footer.replaceChildren(h('span', { class: 'meta-list' }, ...parts), h('span', { class: 'spacer' }), canRegenerate ? this.regenerate : '');
    this.footer.hidden = !parts.length && !canRegenerate;
  }
}
