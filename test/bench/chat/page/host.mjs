// The extension, as far as the chat webview sees it, for the bench page (bundled to /bench/host.js,
// loaded before dist/webview.js): `acquireVsCodeApi` answering Ready with the snapshot the bench
// set (window.benchConfig, from an init script) and EstimateBudget with a fixed budget; and
// `window.bench.play(messages, times)`, which has the producer worker (one for the page) post the
// messages at their times, delivers each as a `message` event (as VS Code delivers what the
// extension posts), and resolves once the page has rendered the last one.
/* global window, document, Worker, MessageEvent, requestAnimationFrame, performance */
import { applyTheme } from '../../../webview-harness/themes.mts';

const config = window.benchConfig;
applyTheme(config.theme ?? 'dark');

const deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));

window.acquireVsCodeApi = () => ({
  postMessage(message) {
    if (message?.type !== 'request') return;
    let reply;
    if (message.method === config.methods.ready) reply = { result: config.snapshot };
    else if (message.method === config.methods.estimate) reply = { result: config.budget };
    else reply = { error: `bench: no handler for ${message.method}` };
    // answered asynchronously, as the extension does
    setTimeout(() => deliver({ type: 'response', id: message.id, ...reply }), 0);
  },
  getState: () => undefined,
  setState: () => {},
});

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Work the renderer still has queued (code blocks waiting for colour, done in idle time). */
const pendingWork = () => window.__hunyuanChatStats?.highlight?.pending ?? 0;

/**
 * Waits until what was delivered is on screen: frames, the renderer's idle timers and its queued
 * work (all of it, so a measurement counts the whole of a render), frames again.
 */
async function settle() {
  await frame();
  await frame();
  await pause(config.settleMs ?? 350);
  for (let i = 0; pendingWork() > 0 && i < 600; i++) await pause(50);
  await frame();
  await frame();
}

// One producer for the page's life: starting a worker costs the main thread, and must not be counted.
const producer = new Worker('/bench/producer.js');
let playing;
producer.onerror = (e) => playing?.reject(new Error(`producer worker: ${e.message}`));
producer.onmessage = (event) => {
  if (event.data && event.data.benchDone) {
    const { label, mode, resolve, reject } = playing;
    (mode === 'frames' ? frame().then(frame) : settle()).then(() => {
      performance.mark(`bench:${label}:end`);
      playing = undefined;
      resolve();
    }, reject);
    return;
  }
  deliver(event.data);
};

window.bench = {
  ready: () => !!document.querySelector('[data-testid="input-bar"]'),
  settle,
  /**
   * Plays `messages` at `times` (ms); resolves once the page rendered the last one ('frames': two
   * frames later; 'full': also after its idle timers), between two marks for the trace.
   */
  play(messages, times, label = 'play', mode = 'full') {
    if (playing) return Promise.reject(new Error('bench: already playing'));
    return new Promise((resolve, reject) => {
      playing = { label, mode, resolve, reject };
      performance.mark(`bench:${label}:start`);
      producer.postMessage({ messages, times });
    });
  },
};
