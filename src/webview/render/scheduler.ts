/**
 * Coalesces rendering: any number of streamed deltas between two frames cost one render per
 * stream. Falls back to a timer when frames do not come (a hidden webview gets none).
 */

export interface Flushable {
  flush(): void;
}

const dirty = new Set<Flushable>();
let frame: number | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
const afterFlush = new Set<() => void>();

function run(): void {
  if (frame !== undefined) cancelAnimationFrame(frame);
  if (timer !== undefined) clearTimeout(timer);
  frame = timer = undefined;
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
}

/** Renders `target` at the next frame (once, however often this is called before). */
export function scheduleFlush(target: Flushable): void {
  dirty.add(target);
  if (frame === undefined) frame = requestAnimationFrame(run);
  if (timer === undefined) timer = setTimeout(run, 250);
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
