// diff-stream-1000, diff-stream-5000, diff-longest-update-5000, diff-redraw-5000: the inline
// diff's streaming path. diff-event-5000-changes: one change event of many changes (see below).
//
// What runs on the extension host's thread for an edit proposal (src/extension/edit/proposeEdit.ts
// and src/extension/diff/inlineDiff.ts), without vscode: the diff opens (proposalWindow + a
// streaming DiffSession); every answer event goes through the line-by-line cleaner
// (CodeAnswerStream) when the diff next redraws (InlineDiff.streamed: the text of all the events
// since the last redraw at once), and the lines it completes are appended to the session
// (appendLines: the anchored diff freezes what cannot change and re-diffs only the unfrozen tail);
// at the end analyzeCodeAnswer and the session's finish. The figure is that CPU divided by computing
// the final hunks once (clean the whole answer, one non-streaming session), each the median of
// ROUNDS rounds that each take the mean of several runs, both measured warm: each path first runs
// WARM_RUNS times, so the JIT has compiled both (the baseline, short and repeated, would otherwise
// be the only one measured warm; with 10 warm-up runs and single measured runs, the figure for
// 1000 lines wandered from 4.8 to 6.6). CPU is the process's (see threadCpuMs below), so a busy
// machine does not count.
//
// The view is not redrawn per line: while streaming it redraws at most every 100 ms (InlineDiffs'
// REDRAW_MS), and the session works out its hunks (the anchors reached, the provisional tail) only
// when a redraw reads them. The bench redraws every REDRAW_TOKENS answer events: 100 ms at 200
// tokens a second, the fast end of what a gateway streams (Hunyuan-A13B is usually slower, so
// this counts more redraws than a user gets). diff-redraw-5000 is the CPU of one redraw's reads
// (the hunks, the visible ones, one range per hunk for the decorations) at the end of a 5000-line
// answer, the costliest point.
//
// The answer rewrites a range of a TypeScript file: every 7th line changed and a fifth of the range
// re-indented (wrapped in a new block), in a fenced block with prose around it, arriving in tokens
// of ~4 characters (a line break comes with the next line's indentation, as tokenizers do).
//
// Bounded: a run still going after CAP_MS (wall) stops where it is, and the rest is estimated:
// updates spread over the remaining lines are timed (as many as SAMPLE_BUDGET_MS allows) and
// interpolated; the line then says "estimated" and how. The longest update is timed in a second,
// instrumented run (CPU around each update); when the range had to be sampled it is the longest
// sampled update, a lower bound (">").
import { figure, fmt, log, median, now, out, processCpuMs } from './lib/common.mjs';

// The process's CPU (getrusage: microseconds). The main thread's schedstat clock only moves at
// scheduler ticks (~4 ms), too coarse for one update or for the final diff once, which take well
// under that now; the other threads (libuv, GC helpers) add little to this single-threaded work.
const threadCpuMs = processCpuMs;

const GROUP = 'diff';
export const FIGURES = [
  { name: 'diff-stream-1000', unit: 'x', goal: { op: '<=', value: 2 } },
  { name: 'diff-stream-5000', unit: 'x', goal: { op: '<=', value: 2 } },
  { name: 'diff-longest-update-5000', unit: 'ms', goal: { op: '<=', value: 16 } },
  { name: 'diff-redraw-5000', unit: 'ms', goal: { op: '<=', value: 16 } },
  { name: 'diff-event-5000-changes', unit: 'ms', goal: { op: '<=', value: 50 } },
];

const CAP_MS = Number(process.env.BENCH_DIFF_CAP_MS) || 15000;
/** Runs of each path before measuring (see the top). */
const WARM_RUNS = 40;
/** Rounds of measurement (the figure divides medians), and the CPU each round's stream runs take (see measureSize). */
const ROUNDS = 7;
const STREAM_ROUND_MS = 40;
const SAMPLE_BUDGET_MS = Number(process.env.BENCH_DIFF_SAMPLE_MS) || 15000;

const { analyzeCodeAnswer } = out('src/core/edit/clean');
const { CodeAnswerStream } = out('src/core/edit/streamClean');
const { hunksInLines, proposalWindow, windowProposal } = out('src/core/diff/placement');
const { DiffSession } = out('src/core/diff/session');

// ---- the input --------------------------------------------------------------------------------

function functionLines(i) {
  return [
    `export function compute${i}(values: readonly number[], limit: number): number {`,
    '  let total = 0;',
    '  for (const value of values) {',
    '    if (value > limit) {',
    `      total += value * ${i % 17 + 2};`,
    '    } else {',
    `      total -= Math.min(value, ${i % 5 + 1});`,
    '    }',
    '  }',
    `  return total; // ${i}`,
    '}',
    '',
  ];
}

/** A document with `n` lines to rewrite between a header and a footer, and the model's answer. */
export function makeCase(n) {
  const header = ['// Generated for the Hunyuan Coder benchmark.', "import { strict as assert } from 'node:assert';", ''];
  for (let i = 0; header.length < 40; i++) header.push(...functionLines(100000 + i));
  const body = [];
  for (let i = 0; body.length < n; i++) body.push(...functionLines(i));
  body.length = n;
  if (body[n - 1] === '') body[n - 1] = '// end of range';
  const footer = [''];
  for (let i = 0; footer.length < 40; i++) footer.push(...functionLines(200000 + i));
  footer.push('assert.ok(true);', '');
  const docLines = [...header, ...body, ...footer];
  const startLine = header.length;
  const endLine = startLine + n - 1;

  // The rewrite: every 7th line changed; lines [40%, 60%) wrapped in a block and re-indented.
  const wrapFrom = Math.floor(n * 0.4);
  const wrapTo = Math.floor(n * 0.6);
  const rewritten = [];
  body.forEach((l, i) => {
    if (i === wrapFrom) rewritten.push('export namespace Guarded {');
    let next = l;
    if (i % 7 === 3 && l.trim()) next = l.includes('total') ? l.replace(/total/g, 'sum') : `${l} // checked`;
    if (i >= wrapFrom && i < wrapTo && next) next = `  ${next}`;
    rewritten.push(next);
    if (i === wrapTo - 1) rewritten.push('}');
  });
  const answer = [
    'Here is the rewritten code. 以下是修改后的代码:',
    '',
    '```ts',
    ...rewritten,
    '```',
    '',
    'Every seventh line now uses `sum`, and the middle functions are grouped in `Guarded`.',
    '',
  ].join('\n');

  const text = docLines.join('\n');
  const before = docLines.slice(Math.max(0, startLine - 60), startLine).join('\n') + '\n';
  const after = docLines.slice(endLine, Math.min(docLines.length, endLine + 61)).join('\n').slice(body[n - 1].length);
  const original = body.join('\n');
  return {
    n,
    text,
    docLines,
    range: { startLine, startCharacter: 0, endLine, endCharacter: body[n - 1].length },
    original,
    clean: { languageId: 'typescript', eol: '\n', original, contextBefore: before.slice(-8000), contextAfter: after.slice(0, 8000) },
    answer,
    tokens: tokenize(answer),
  };
}

/** Model tokens: a line break with the next line's indentation, words with their leading space, short punctuation runs. */
function tokenize(text) {
  return text.match(/\n[ \t]*|[ ]?[A-Za-z_]{1,8}|[ ]?\d{1,3}|[ \t]+|[^\s\w]{1,2}|[\s\S]/gu);
}

// ---- the streaming path, as proposeEdit + InlineDiff run it ------------------------------------

/** Answer events between two redraws: 100 ms at 200 tokens a second (see the top). */
const REDRAW_TOKENS = 20;

/** proposeEdit's `replacement` for a range edit (no insertion): the cleaned code itself. */
const replacement = (code) => code || '';

/**
 * What a redraw reads (DiffView.render): the hunks on and around the lines the editor shows (its
 * 60 visible lines and DRAW_MARGIN = 200 either side), found by binary search, and one range per
 * shown hunk for the decorations and the zones. The editor follows the end of what streamed.
 */
function readView(session) {
  const hunks = session.hunks;
  const last = hunks.length ? hunks[hunks.length - 1].endLine : 0;
  const shown = hunksInLines(hunks, Math.max(0, last - 60 - 200), last + 200).filter((h) => h.state === 'pending' || h.state === 'conflict');
  const ranges = shown.map((h) => ({ start: h.startLine, end: Math.max(h.startLine, h.endLine - 1) }));
  return ranges.length;
}

function open(c) {
  const window = proposalWindow(c.docLines, c.range);
  const session = new DiffSession({
    text: c.text, startLine: window.startLine, endLine: window.endLine, proposal: '', streaming: true, eol: '\n',
  });
  readView(session);
  return { window, session, code: new CodeAnswerStream(c.clean), started: false, unread: [], events: 0 };
}

/**
 * One answer event: its text waits (proposeEdit's `unread`); every REDRAW_TOKENS events a redraw
 * takes the unread text (InlineDiff.takeStreamed: the cleaner, then the lines it completed
 * appended, the first one with the window's prefix) and reads the view. Returns whether lines were
 * appended (an "update"). (proposeEdit also keeps the whole answer, `answer += text`, as it would
 * whatever the diff did: not counted here, the end reads `c.answer`.)
 */
function onToken(c, s, tok) {
  s.unread.push(tok);
  if (++s.events % REDRAW_TOKENS !== 0) return false;
  let lines = s.code.push(s.unread.join(''));
  s.unread.length = 0;
  if (lines.length) {
    if (!s.started) {
      s.started = true;
      lines = [s.window.prefix + lines[0], ...lines.slice(1)];
    }
    s.session.appendLines(lines);
  }
  readView(s.session);
  return lines.length > 0;
}

/** How many updates (redraws that append lines) streaming the answer makes: the cleaner alone. */
function countUpdates(c) {
  const code = new CodeAnswerStream(c.clean);
  const unread = [];
  let updates = 0;
  c.tokens.forEach((tok, k) => {
    unread.push(tok);
    if ((k + 1) % REDRAW_TOKENS !== 0) return;
    if (code.push(unread.join('')).length) updates++;
    unread.length = 0;
  });
  return updates;
}

function finish(c, s) {
  const result = analyzeCodeAnswer(c.answer, c.clean);
  const text = replacement(result.code);
  if (text === c.original) return 0;
  if (s.session.isStreaming) s.session.finish(windowProposal(s.window, text, false));
  const count = s.session.hunks.length;
  readView(s.session);
  return count;
}

/** Computing the final hunks once: clean the whole answer, one non-streaming session. */
function finalOnce(c) {
  const t0 = threadCpuMs();
  const result = analyzeCodeAnswer(c.answer, c.clean);
  const window = proposalWindow(c.docLines, c.range);
  const session = new DiffSession({
    text: c.text, startLine: window.startLine, endLine: window.endLine, proposal: windowProposal(window, replacement(result.code), false), eol: '\n',
  });
  const hunks = session.hunks.length;
  return { ms: threadCpuMs() - t0, hunks };
}

/**
 * Streams the answer through the path. `instrument`: CPU around each update (for the longest one).
 * Stops after `capMs` of wall time, returning where it got.
 */
function streamFull(c, { instrument, capMs }) {
  const wall0 = now();
  const cpu0 = threadCpuMs();
  const s = open(c);
  let lines = 0;
  let longest = 0;
  const { tokens } = c;
  for (let k = 0; k < tokens.length; k++) {
    if (instrument) {
      const u0 = threadCpuMs();
      if (onToken(c, s, tokens[k])) lines++;
      longest = Math.max(longest, threadCpuMs() - u0);
    } else if (onToken(c, s, tokens[k])) {
      lines++;
    }
    // the clock is read at each redraw, not per event (reading it costs more than an event)
    if (k % REDRAW_TOKENS === 0 && now() - wall0 > capMs) return { capped: true, lines, cpuMs: threadCpuMs() - cpu0, longest };
  }
  // one redraw's reads at the end of the stream, the costliest point (averaged over 20: each is short)
  const r0 = threadCpuMs();
  for (let k = 0; k < 20; k++) readView(s.session);
  const redrawMs = (threadCpuMs() - r0) / 20;
  const f0 = threadCpuMs();
  const hunks = finish(c, s);
  longest = Math.max(longest, threadCpuMs() - f0);
  return { capped: false, lines, cpuMs: threadCpuMs() - cpu0 - 20 * redrawMs, longest, hunks, redrawMs };
}

/**
 * After a capped run that got through `prefixLines` updates: times updates spread over the rest of
 * the range (with a wall-time budget: the step between samples grows when the updates get
 * costlier) and the end, and integrates them (trapezoids between samples). Returns the estimated
 * CPU of the lines after the cap and of the end, and the longest update seen.
 */
function streamSampled(c, { prefixLines, budgetMs }) {
  const s = open(c);
  const totalLines = countUpdates(c);
  const samples = [];
  const wall0 = now();
  let line = 0;
  let next = prefixLines + 1;
  let step = Math.max(1, Math.floor((totalLines - prefixLines) / 100));
  for (const tok of c.tokens) {
    const u0 = threadCpuMs();
    if (!onToken(c, s, tok)) continue;
    const ms = threadCpuMs() - u0;
    line++;
    if (line !== next && line !== totalLines) continue;
    samples.push({ line, ms });
    // the next sample: as many as the budget left allows at this update's cost, at most 100 more
    const left = Math.max(1, budgetMs - (now() - wall0));
    const remainingLines = totalLines - line;
    const affordable = Math.max(1, Math.floor(left / Math.max(ms, 0.01)));
    step = Math.max(step, Math.ceil(remainingLines / Math.min(100, affordable)));
    next = line + step;
  }
  let remainder = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = samples[i];
    const b = samples[i + 1];
    remainder += b ? ((a.ms + b.ms) / 2) * (b.line - a.line) : a.ms * (totalLines - a.line + 1);
  }
  const f0 = threadCpuMs();
  const hunks = finish(c, s);
  const endMs = threadCpuMs() - f0;
  const longest = Math.max(endMs, ...samples.map((x) => x.ms));
  return { remainderMs: remainder + endMs, longest, samples: samples.length, hunks, totalLines, profile: samples };
}

/** `times` measurements of computing the final hunks once, each averaged over enough repetitions to take ~20 ms. */
function baseline(c, times) {
  const reps = Math.max(1, Math.ceil(20 / Math.max(0.05, finalOnce(c).ms)));
  return Array.from({ length: times }, () => {
    let total = 0;
    for (let k = 0; k < reps; k++) total += finalOnce(c).ms;
    return total / reps;
  });
}

async function measureSize(n, { wantLongest }) {
  const c = makeCase(n);
  log(GROUP, `${n} lines: ${c.answer.length} chars, ${c.tokens.length} tokens`);
  // Both paths warmed up first, as many times each: the JIT compiles what runs often (on other
  // threads, whose CPU the process clock counts), and the baseline, short and repeated, would
  // otherwise be the only one measured warm.
  let run = streamFull(c, { instrument: false, capMs: CAP_MS });
  for (let k = 1; k < WARM_RUNS && !run.capped; k++) run = streamFull(c, { instrument: false, capMs: CAP_MS });
  for (let k = 0; k < WARM_RUNS; k++) finalOnce(c);
  const { hunks: onceHunks } = finalOnce(c);
  const once = [];
  if (!run.capped) {
    // ROUNDS rounds, each measuring the stream then the baseline, each the mean of enough runs to
    // take ~STREAM_ROUND_MS / ~20 ms (a single run of a few ms is mostly the noise of a collection
    // or a compilation landing in it); the figure divides the medians. Measured alternately, so a
    // busy spell weighs on both.
    const reps = Math.max(1, Math.ceil(STREAM_ROUND_MS / Math.max(0.05, run.cpuMs)));
    const rounds = [];
    for (let k = 0; k < ROUNDS; k++) {
      let cpuMs = 0;
      let last;
      for (let r = 0; r < reps; r++) {
        last = streamFull(c, { instrument: false, capMs: CAP_MS });
        cpuMs += last.cpuMs;
      }
      rounds.push({ ...last, cpuMs: cpuMs / reps });
      once.push(...baseline(c, 1));
    }
    rounds.sort((a, b) => a.cpuMs - b.cpuMs);
    run = rounds[ROUNDS >> 1];
  } else {
    once.push(...baseline(c, ROUNDS));
  }
  const onceMs = median(once);
  const details = { lines: n, answerChars: c.answer.length, tokens: c.tokens.length, finalOnceMs: once, finalHunks: onceHunks };
  let streamMs;
  let bound = 'exact';
  let note;
  let longest;
  let longestBound = 'exact';
  let longestNote;
  if (!run.capped) {
    streamMs = run.cpuMs;
    details.streamMs = streamMs;
    details.streamHunks = run.hunks;
    if (run.hunks !== onceHunks) details.warning = `streamed ${run.hunks} hunks, final-once ${onceHunks}`;
    note = `streaming ${fmt(streamMs)} ms CPU vs final diff once ${fmt(onceMs)} ms`;
    if (wantLongest) {
      log(GROUP, `${n} lines: streamed in ${fmt(streamMs)} ms CPU; now timing each update`);
      const inst = streamFull(c, { instrument: true, capMs: CAP_MS });
      longest = inst.longest;
      if (inst.capped) {
        longestBound = 'lower';
        longestNote = `the instrumented run was stopped after ${inst.lines} of ${countUpdates(c)} updates`;
      }
      details.longestUpdateMs = longest;
    }
  } else {
    const remaining = countUpdates(c) - run.lines;
    log(GROUP, `${n} lines: stopped after ${run.lines} updates (${fmt(run.cpuMs)} ms CPU); sampling the other ${remaining}`);
    const sampled = streamSampled(c, { prefixLines: run.lines, budgetMs: SAMPLE_BUDGET_MS });
    streamMs = run.cpuMs + sampled.remainderMs;
    bound = 'estimate';
    note = `estimated: updates 1-${run.lines} streamed in full (${fmt(run.cpuMs / 1000)} s CPU), the other ${remaining} ` +
      `interpolated from ${sampled.samples} timed updates: ~${fmt(streamMs / 1000)} s CPU vs final diff once ${fmt(onceMs)} ms`;
    longest = sampled.longest;
    longestBound = 'lower';
    longestNote = `the longest of ${sampled.samples} sampled updates: the ${n}-line stream was too slow to time every update`;
    Object.assign(details, {
      capped: true, capMs: CAP_MS, measuredLines: run.lines, measuredMs: run.cpuMs, samples: sampled.samples,
      estimatedStreamMs: streamMs, longestSampledUpdateMs: longest, streamHunks: sampled.hunks,
      sampledUpdates: sampled.profile.map((x) => [x.line, Math.round(x.ms * 10) / 10]),
    });
  }
  return { streamMs, onceMs, bound, note, longest, longestBound, longestNote, details, redrawMs: run.redrawMs, hunks: run.hunks };
}

/**
 * diff-event-5000-changes: one document change event of 5,000 changes (a Format Document, a Replace
 * All, trimming whitespace on save: one change every 4th line) in a 20,000-line document with a
 * settled diff open on 10 of its lines, as every open diff gets it. CPU of onDocumentChange, the
 * median of 7 (each on a fresh session).
 */
function eventOfManyChanges() {
  const n = 20000;
  const lines = Array.from({ length: n }, (_, i) => `  line${i} = compute(${i});`);
  const text = `${lines.join('\n')}\n`;
  const changes = [];
  for (let i = 0; i < n; i += 4) changes.push({ startLine: i, startCharacter: 0, endLine: i, endCharacter: 2, text: '    ' });
  const run = () => {
    const session = new DiffSession({ text, startLine: 100, endLine: 110, proposal: `${lines.slice(100, 110).map((l) => `${l} // checked`).join('\n')}\n`, eol: '\n' });
    const t0 = threadCpuMs();
    session.onDocumentChange(changes);
    return threadCpuMs() - t0;
  };
  for (let k = 0; k < 3; k++) run();
  return { ms: median(Array.from({ length: 7 }, run)), changes: changes.length, lines: n };
}

export async function measure({ only }) {
  const results = [];
  if (only.has('diff-event-5000-changes')) {
    const r = eventOfManyChanges();
    results.push(figure({
      ...FIGURES[4], value: r.ms,
      note: `CPU of one event of ${r.changes} changes in a ${r.lines}-line document with a diff open (was ~2.2 s when each change copied the document)`,
      details: r,
    }));
  }
  if (only.has('diff-stream-1000')) {
    const r = await measureSize(1000, { wantLongest: false });
    results.push(figure({ ...FIGURES[0], value: r.streamMs / r.onceMs, bound: r.bound, note: r.note, details: r.details }));
  }
  if (only.has('diff-stream-5000') || only.has('diff-longest-update-5000') || only.has('diff-redraw-5000')) {
    const r = await measureSize(5000, { wantLongest: only.has('diff-longest-update-5000') });
    if (only.has('diff-redraw-5000')) {
      results.push(figure({
        ...FIGURES[3], value: r.redrawMs ?? NaN, bound: r.redrawMs === undefined ? 'estimate' : 'exact',
        note: `CPU of one redraw's reads (${r.hunks ?? '?'} hunks) at the end of the stream; redraws come at most every 100 ms while streaming`,
        details: { redrawMs: r.redrawMs },
      }));
    }
    if (only.has('diff-stream-5000')) {
      results.push(figure({ ...FIGURES[1], value: r.streamMs / r.onceMs, bound: r.bound, note: r.note, details: r.details }));
    }
    if (only.has('diff-longest-update-5000')) {
      results.push(figure({
        ...FIGURES[2], value: r.longest, bound: r.longestBound,
        note: ['CPU of one update (an answer event: clean, append, diff; or the end: clean, finish, view reads)', r.longestNote].filter(Boolean).join('; '),
        details: { longestUpdateMs: r.longest },
      }));
    }
  }
  return results;
}
