// WCAG 2 contrast of what the chat webview really paints: an element's text colour against the
// backgrounds under it, composited up through the webview's document and then through the
// workbench under the webview's iframe (webviews are transparent; the side bar shows through).

/** sRGB relative luminance of [r, g, b] (0-255). */
export function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two opaque colours (1-21). */
export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `rgb()` / `rgba()` as computed by the browser, to [r, g, b, a]. */
export function parseColor(css) {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css.trim());
  if (!m) throw new Error(`cannot parse colour ${css}`);
  let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  if (Number.isNaN(a)) a = 1;
  return [Number(m[1]), Number(m[2]), Number(m[3]), a];
}

/** `top` (with alpha) painted over the opaque `bottom`. */
export function over(top, bottom) {
  const a = top[3] ?? 1;
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a));
}

/** Paints a list of colours, lowest first (the first must be opaque or is taken over white). */
export function flatten(layers) {
  let out = [255, 255, 255];
  for (const c of layers) out = over(c, out);
  return out;
}

/**
 * The opaque colour the workbench paints under the centre of `iframeSelector` in `page` (the
 * iframe itself and the overlays holding it are transparent: what shows is the part below).
 */
export async function backdropUnder(page, iframeSelector = 'iframe.webview.ready') {
  const layers = await page.evaluate((sel) => {
    const frames = [...document.querySelectorAll(sel)].filter((f) => f.getBoundingClientRect().width > 0);
    const frame = frames[0];
    if (!frame) throw new Error(`no visible ${sel}`);
    const r = frame.getBoundingClientRect();
    const stack = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const out = [];
    for (const el of stack) {
      if (el === frame || el.contains(frame)) continue;
      const bg = getComputedStyle(el).backgroundColor;
      out.push(bg);
    }
    return out;
  }, iframeSelector);
  // elementsFromPoint lists top first: paint from the first opaque layer up
  const colours = layers.map(parseColor);
  const firstOpaque = colours.findIndex((c) => c[3] >= 1);
  return flatten(colours.slice(0, firstOpaque === -1 ? colours.length : firstOpaque + 1).reverse());
}

/**
 * For each element matching `selector` in `frame` (at most `limit`): its text colour and the
 * background layers from the document root down to it, with the opacity of its ancestors.
 */
export async function paintedColours(frame, selector, limit = 50) {
  return frame.$$eval(selector, (els, max) => els.slice(0, max).map((el) => {
    const layers = [];
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      layers.unshift(s.backgroundColor);
      opacity *= parseFloat(s.opacity);
    }
    return { text: (el.textContent ?? '').trim().slice(0, 40), className: String(el.className), color: getComputedStyle(el).color, layers, opacity };
  }), limit);
}

/** Contrast of each element's text against what is painted under it (see paintedColours). */
export async function textContrasts(frame, selector, backdrop, limit) {
  const found = await paintedColours(frame, selector, limit);
  return found.map((f) => {
    const bg = flatten([backdrop, ...f.layers.map(parseColor)]);
    const c = parseColor(f.color);
    const fg = over([c[0], c[1], c[2], (c[3] ?? 1) * f.opacity], bg);
    return { ...f, fg: fg.map(Math.round), bg: bg.map(Math.round), ratio: Math.round(contrastRatio(fg, bg) * 100) / 100 };
  });
}
