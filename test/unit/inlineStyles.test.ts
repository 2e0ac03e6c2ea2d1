// Inline styles are taken out of the answer's HTML before anything parses it (the chat view's CSP
// reports each one a parser meets): src/common/markdown/inlineStyles.ts. Checked against parse5,
// a parser that follows the HTML standard as browsers do: for generated hostile markup (styles
// hidden in attribute values, comments, CDATA, raw-text elements, SVG and MathML), parsing the
// result finds no style attribute and no style element, in a document (scripting on or off) and
// in a fragment; and markup without the elements that change how the rest is read parses to the
// same tree as before, but for the styles.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as parse5 from 'parse5';
import { withoutInlineStyles } from '../../src/common/markdown/inlineStyles';

type Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; content?: Node };

/** Every element parse5 builds from `html`, in a document (scripting on and off) and as a fragment. */
function* elements(html: string): Generator<Node> {
  const roots: Node[] = [
    parse5.parse(html, { scriptingEnabled: true }) as unknown as Node,
    parse5.parse(html, { scriptingEnabled: false }) as unknown as Node,
    parse5.parseFragment(html) as unknown as Node,
  ];
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop() as Node;
    if (node.tagName !== undefined) yield node;
    if (node.childNodes) stack.push(...node.childNodes);
    if (node.content) stack.push(node.content);
  }
}

function styles(html: string): string[] {
  const found: string[] = [];
  for (const el of elements(html)) {
    if (el.tagName === 'style') found.push('<style> element');
    for (const a of el.attrs ?? []) if (a.name === 'style') found.push(`style attribute on <${el.tagName}>`);
  }
  return found;
}

/** The document parse5 builds, serialized, with every style and xstyle attribute removed. */
function treeWithoutStyles(html: string): string {
  const doc = parse5.parse(html) as unknown as Node;
  const stack: Node[] = [doc];
  while (stack.length) {
    const node = stack.pop() as Node;
    if (node.attrs) node.attrs = node.attrs.filter((a) => a.name !== 'style' && a.name !== 'xstyle');
    if (node.childNodes) stack.push(...node.childNodes);
    if (node.content) stack.push(node.content);
  }
  return parse5.serialize(doc as never);
}

const SWITCHING = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext'];
const TAGS = ['p', 'span', 'div', 'a', 'b', 'img', 'br', 'table', 'td', 'select', 'option', 'template', 'svg', 'math', 'mi', 'mtext',
  'foreignObject', 'desc', 'annotation-xml', 'Style', 'STYLE', ...SWITCHING];
const NAMES = ['style', 'Style', 'STYLE', 'title', 'class', 'xstyle', '=style', 'a"style', 'href', 'encoding'];
const VALUES = ['x', 'color:red', '>', '"', "'", '<p style=x>', '</textarea><p style=x>', '-->', '<!--', ']]>', 'text/html', ''];

const piece = fc.oneof(
  // text
  fc.constantFrom('a', ' ', '\n', '"', "'", '=', '>', '<', '/', '-', '!', '[', ']', 'style', 'style=', 'x'),
  // markup pieces that change what follows
  fc.constantFrom('<!--', '-->', '--!>', '<!-->', '<!--->', '<![CDATA[', ']]>', '<!DOCTYPE html>', '<?x ', '</', '</>', '<!x'),
  // start and end tags with attributes
  fc.record({
    close: fc.boolean(),
    name: fc.constantFrom(...TAGS),
    attrs: fc.array(fc.record({
      sep: fc.constantFrom(' ', '/', '\n', '', '  '),
      name: fc.constantFrom(...NAMES),
      eq: fc.constantFrom('', '=', ' = '),
      quote: fc.constantFrom('"', "'", ''),
      value: fc.constantFrom(...VALUES),
    }), { maxLength: 3 }),
    end: fc.constantFrom('>', '/>', ' >', ''),
  }).map(({ close, name, attrs, end }) => `<${close ? '/' : ''}${name}${attrs.map((a) => `${a.sep || (a.quote ? '' : ' ')}${a.name}${a.eq ? `${a.eq}${a.quote}${a.value}${a.quote}` : ''}`).join('')}${end}`),
);
const markup = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));

describe('withoutInlineStyles: no inline style reaches a parser', () => {
  it('leaves text without styles alone (the same string)', () => {
    for (const html of ['', 'plain', '<p>a <b>b</b> <a href="https://e.com/" title="t">l</a></p>\n<pre><code class="language-ts">x &lt; y\n</code></pre>', 'a < b > c']) {
      assert.equal(withoutInlineStyles(html), html);
    }
  });

  it('examples: attributes renamed, style elements and raw text removed, CDATA escaped', () => {
    const cases: [string, string][] = [
      ['<p style="color:red">a</p>', '<p xstyle="color:red">a</p>'],
      ['<span/style=x>b</span>', '<span/xstyle=x>b</span>'],
      ['<p title="a"STYLE=x>', '<p title="a"xSTYLE=x>'],
      ['<p title="style=x">', '<p title="style=x">'],
      ['<p =style=x>', '<p =style=x>'],
      ['a<style>p{}</style>b', 'ab'],
      ['a<svg><style>p{}</style></svg>b', 'a<svg></svg>b'],
      ['a<textarea><p title="</textarea><p style=x>">b', 'a<p xstyle=x>">b'],
      ['a<!-- <p title=" --><p style=x>', 'a<!-- <p title=" --><p xstyle=x>'],
      ['<svg><![CDATA[ > <p title="]]><p style=x>">', '<svg>&lt;![CDATA[ > <p title="]]><p style=x>">'],
      ['a<script>x</script', 'a'],
      ['a<plaintext><p style=x>', 'a'],
    ];
    for (const [input, output] of cases) assert.equal(withoutInlineStyles(input), output, input);
  });

  it('hostile examples parse with no style anywhere', () => {
    const hostile = [
      '<div style="color:red">a</div><span/style="color:red">b</span><p\nstyle=color:red>c</p>',
      '<style>body{display:none}</style><svg><style>x{}</style><circle style="fill:red"/></svg>',
      '<math><mi style="color:red">x</mi><mtext><style>y{}</style></mtext></math>',
      '<table style="x"><tr><td style="x">1</td></tr></table><template><p style="x"></p></template>',
      '<noscript><p style="x">n</p></noscript><iframe srcdoc="<p style=x>"></iframe>',
      '<svg><textarea><p style=x></textarea></svg><math><annotation-xml encoding="text/html"><style>a{}</style></annotation-xml></math>',
      '<select><style>a{}</style><option style=x>o</option></select>',
      '<p style>empty</p><p style=>empty</p><p style/>',
    ];
    for (const html of hostile) {
      assert.ok(styles(html).length > 0, `the example has styles: ${html}`);
      assert.deepEqual(styles(withoutInlineStyles(html)), [], html);
    }
  });

  it('generated markup: parsing the result finds no style attribute and no style element', () => {
    fc.assert(fc.property(markup, (html) => {
      assert.deepEqual(styles(withoutInlineStyles(html)), [], `${JSON.stringify(html)} -> ${JSON.stringify(withoutInlineStyles(html))}`);
    }), { numRuns: 3000 });
  });

  it('generated markup without state-changing elements: the same tree, but for the styles', () => {
    const plain = markup.filter((html) => !html.includes('<![CDATA[') && !SWITCHING.some((t) => html.toLowerCase().includes(`<${t}`)));
    fc.assert(fc.property(plain, (html) => {
      assert.equal(treeWithoutStyles(withoutInlineStyles(html)), treeWithoutStyles(html), JSON.stringify(html));
    }), { numRuns: 2000 });
  });

  it('handles a megabyte of tags, attributes, comments and style elements', () => {
    const html = '<p title="a" style=x class=\'b\'>t</p><!-- c --><style>s</style>'.repeat(20_000);
    const out = withoutInlineStyles(html);
    assert.equal(out, '<p title="a" xstyle=x class=\'b\'>t</p><!-- c -->'.repeat(20_000));
  });
});
