// The chat view's Markdown renderer in a page, for test/unit/markdownRender.test.ts: bundled with
// esbuild (the real sources) and loaded in headless Chromium, where DOMPurify and the DOM are real.
// `window.md` renders a text whole or streamed (cut where the test says, rendered where it says)
// and returns the resulting HTML with every code block's colour applied.
/* global window, document */
import { flushHighlights } from '../../../src/webview/render/highlight.ts';
import { markdownStats } from '../../../src/webview/render/markdown.ts';
import { MarkdownStream } from '../../../src/webview/render/stream.ts';

/** A toolbar that shows what the real one is given. */
function toolbar(info) {
  const el = document.createElement('span');
  el.className = 'toolbar';
  el.dataset.index = String(info.index);
  el.dataset.streaming = String(!!info.streaming);
  el.dataset.code = info.code();
  return el;
}

function container() {
  const el = document.createElement('div');
  el.className = 'markdown';
  document.body.append(el);
  return el;
}

function result(el) {
  flushHighlights();
  const html = el.innerHTML;
  const raw = el.querySelectorAll('[data-testid="raw-block"]').length;
  el.remove();
  return { html, raw, text: el.textContent };
}

window.md = {
  stats: () => ({ ...markdownStats }),
  whole(text) {
    const el = container();
    new MarkdownStream(el, { codeToolbar: toolbar }).renderWhole(text);
    return result(el);
  },
  /** Appends `text` in pieces ending at `cuts`; renders after the pieces whose `renders` flag is set; then finishes. */
  streamed(text, cuts, renders, finishWithText) {
    const el = container();
    const stream = new MarkdownStream(el, { codeToolbar: toolbar });
    let at = 0;
    const shown = [];
    [...cuts, text.length].forEach((cut, i) => {
      if (cut <= at) return;
      stream.append(text.slice(at, cut));
      at = cut;
      if (renders[i % renders.length]) {
        stream.flush();
        shown.push(el.textContent.length);
      }
    });
    stream.finish(finishWithText ? text : undefined);
    return { ...result(el), shown };
  },
};
