/**
 * Line icons in the spirit of VS Code's codicons (16×16, currentColor), built as SVG elements:
 * no icon font, no inline styles, nothing the CSP would block.
 */
const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  copy: ['M5.5 5.5h8v8h-8z', 'M10.5 3.5v-1h-8v8h1'],
  insert: ['M8 3v10', 'M6 2.5h4', 'M6 13.5h4', 'M2.5 6.5L5 8l-2.5 1.5'],
  apply: ['M2.5 13.5l7.5-7.5', 'M9 5l2 2', 'M12 1.5v2', 'M14.5 4h-2', 'M13.7 2.3l-1 1', 'M7 2.5v1.5', 'M14 9v1.5'],
  newFile: ['M9.5 1.5h-6v13h9v-10z', 'M9.5 1.5v3h3', 'M8 7v5', 'M5.5 9.5h5'],
  send: ['M2 2.5l12.5 5.5L2 13.5l2.5-5.5z', 'M4.5 8h5'],
  stop: ['M4 4h8v8h-8z'],
  plus: ['M8 2.5v11', 'M2.5 8h11'],
  chevronDown: ['M4 6l4 4 4-4'],
  edit: ['M10.5 2.5l3 3-8 8h-3v-3z', 'M9 4l3 3'],
  refresh: ['M13.5 8a5.5 5.5 0 1 1-1.6-3.9', 'M12.5 1.5v3h-3'],
  close: ['M4 4l8 8', 'M12 4l-8 8'],
  attach: ['M11 4.5l-5.3 5.3a1.4 1.4 0 0 0 2 2l5.5-5.5a2.8 2.8 0 0 0-4-4L3.7 7.8a4.2 4.2 0 0 0 6 6l4.3-4.3'],
  bulb: ['M6 12.5h4', 'M6.5 14.5h3', 'M8 1.5a4.5 4.5 0 0 0-2.6 8.2c.4.3.6.7.6 1.2v.6h4v-.6c0-.5.2-.9.6-1.2A4.5 4.5 0 0 0 8 1.5z'],
  error: ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M8 4.5v4.5', 'M8 11v.5'],
  warning: ['M8 1.8l6.7 12H1.3z', 'M8 6v4', 'M8 11.6v.4'],
  arrowDown: ['M8 2.5v11', 'M3.5 9l4.5 4.5L12.5 9'],
  file: ['M9.5 1.5h-6v13h9v-10z', 'M9.5 1.5v3h3'],
  code: ['M5.5 4.5L2 8l3.5 3.5', 'M10.5 4.5L14 8l-3.5 3.5'],
  check: ['M3 8.5l3 3 7-7'],
  key: ['M10 1.5a4.5 4.5 0 0 0-4.3 5.8L1.5 11.5v3h3v-1.5H6V11.5h1.5l1.2-1.2A4.5 4.5 0 1 0 10 1.5z', 'M11 4.5v.5'],
  folder: ['M1.5 3.5h4.5l1.5 1.5h7v8h-13z'],
  symbol: ['M8 1.5l5.5 3.2v6.6L8 14.5l-5.5-3.2V4.7z', 'M2.5 4.7L8 8l5.5-3.3', 'M8 8v6.5'],
  editors: ['M1.5 3.5h13v10h-13z', 'M1.5 6h13', 'M5.5 3.5V6'],
  problems: ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M5.7 5.7l4.6 4.6', 'M10.3 5.7l-4.6 4.6'],
  git: ['M4.5 2.5v8.5', 'M4.5 11.0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 1 0 0-3.0z', 'M11.5 3.0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 1 0 0-3.0z', 'M11.5 6c0 3-7 2-7 5'],
  terminal: ['M1.5 2.5h13v11h-13z', 'M4 6l2.5 2L4 10', 'M8 10.5h4'],
  rules: ['M3.5 1.5h9v13h-9z', 'M5.5 4.5h5', 'M5.5 7h5', 'M5.5 9.5h3'],
  search: ['M6.5 1.5a5 5 0 1 0 0 10 5 5 0 0 0 0-10z', 'M10.2 10.2l4.3 4.3'],
  scissors: ['M4 2.0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 1 0 0-3.0z', 'M4 11.0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 1 0 0-3.0z', 'M5.2 4.2l9.3 7.3', 'M5.2 11.8l9.3-7.3'],
  chevronRight: ['M6 4l4 4-4 4'],
  sparkle: ['M8 1.5l1.6 4.9 4.9 1.6-4.9 1.6L8 14.5l-1.6-4.9L1.5 8l4.9-1.6z'],
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `${className} icon-${name}`);
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
