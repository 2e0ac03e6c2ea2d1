import * as assert from 'node:assert/strict';
import { escapeRawTags } from '../../src/common/markdown/rawHtml';

describe('raw HTML in a model\'s Markdown (common/markdown/rawHtml)', () => {
  it('keeps formatting tags as tags and shows every other tag as text', () => {
    assert.equal(escapeRawTags('<kbd>Ctrl</kbd> and <b>bold</b><br>'), '<kbd>Ctrl</kbd> and <b>bold</b><br>');
    assert.equal(escapeRawTags('<details>\n<summary>More</summary>'), '<details>\n<summary>More</summary>');
    assert.equal(escapeRawTags('<textarea>'), '&lt;textarea&gt;');
    assert.equal(escapeRawTags('<pre><code>'), '&lt;pre&gt;&lt;code&gt;');
    assert.equal(escapeRawTags('<script src="x.js"></script>'), '&lt;script src="x.js"&gt;&lt;/script&gt;');
    assert.equal(escapeRawTags('<STYLE>a{}</STYLE>'), '&lt;STYLE&gt;a{}&lt;/STYLE&gt;');
    assert.equal(escapeRawTags('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeRawTags('<title'), '&lt;title', 'a tag cut short at the end');
  });

  it('leaves what is not a tag alone', () => {
    for (const text of ['a < b and c > d', '<!-- note -->', '<3', 'x<-y', '<>', '< textarea>']) assert.equal(escapeRawTags(text), text);
  });
});
