/**
 * Coalesces rendering. A model streams a batch of text every 30 ms or so, and each frame the
 * browser draws costs about a millisecond of the webview's main thread however little changed,
 * so streamed text is rendered a few times a second, not once per batch: all streams that got
 * text since the last render are rendered together, at least MIN_INTERVAL_MS apart (more when a
 * render itself costs more, so rendering keeps to a small share of the main thread). The first
 * text after a pause renders at once. Receiving a batch only stores its text: no DOM change, no
 * frame.
 *
 * Timers, not animation frames: a hidden webview gets no frames, and its text must still be
 * there when it is shown.
 */

export interface Flushable {
  flush(): void;
}

/** Shortest time between two renders of streamed text. */
export const MIN_INTERVAL_MS = 200;
/** Renders are at least this many times their own cost apart… */
const COST_FACTOR = 12;
/** …but never further apart than this. */
const MAX_INTERVAL_MS = 600;

const dirty = new Set<Flushable>();
let timer: ReturnType<typeof setTimeout> | undefined;
let lastStart = -Infinity;
let lastCost = 0;
const afterFlush = new Set<() => void>();

function run(): void {
  timer = undefined;
  const start = performance.now();
  lastStart = start;
  const targets = [...dirty];
  dirty.clear();
  for (const t of targets) {
    try {
      t.flush();
    } catch (err) {
      console.error('render failed', err);
    }
  }
  for (const cb of afterFlush) cb();
  lastCost = performance.now() - start;
}

/** Renders `target` soon (once, however often this is called before). */
export function scheduleFlush(target: Flushable): void {
  dirty.add(target);
  if (timer !== undefined) return;
  const interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, COST_FACTOR * lastCost));
  timer = setTimeout(run, Math.max(0, lastStart + interval - performance.now()));
}

/** Whether a render is due (work that changes the DOM can wait for it, and share its frame). */
export function flushScheduled(): boolean {
  return timer !== undefined;
}

/** Drops a pending render of `target` (it was flushed or discarded otherwise). */
export function cancelFlush(target: Flushable): void {
  dirty.delete(target);
}

/** Called after each batch of renders. */
export function onAfterFlush(cb: () => void): () => void {
  afterFlush.add(cb);
  return () => afterFlush.delete(cb);
}
