// The project rules' pure part (src/core/context/rules.ts): files put together under their
// headers, cut to the cap at line boundaries with a note, CRLF and BOMs normalized, Chinese text;
// property tests on generated files and caps.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  assembleRules, describeCuts, groupDigits, normalizeRulesText, RULES_FILES, RULES_MAX_CHARS, rulesHeader, rulesSystemSection, type RulesFile,
} from '../../src/core/context/rules';

const file = (folder: string, path: string, text: string): RulesFile => ({ folder, path, text });

describe('project rules (pure)', () => {
  it('looks for AGENTS.md, .hunyuan/rules.md and .github/copilot-instructions.md, in that order, 12,000 characters at most', () => {
    assert.deepEqual(RULES_FILES, ['AGENTS.md', '.hunyuan/rules.md', '.github/copilot-instructions.md']);
    assert.equal(RULES_MAX_CHARS, 12000);
  });

  it('puts every file under its header, in the order given, a blank line between them', () => {
    const r = assembleRules([
      file('workspace', 'AGENTS.md', '# Agents\nUse tabs.\n'),
      file('lib', '.github/copilot-instructions.md', 'Write tests first.\n'),
    ]);
    assert.equal(r.text, 'Rules from workspace/AGENTS.md:\n# Agents\nUse tabs.\n\nRules from lib/.github/copilot-instructions.md:\nWrite tests first.');
    assert.deepEqual(r.files, ['workspace/AGENTS.md', 'lib/.github/copilot-instructions.md']);
    assert.equal(r.omitted, undefined);
    assert.deepEqual(r.cuts, []);
  });

  it('gives nothing for no files, and skips empty ones', () => {
    assert.deepEqual(assembleRules([]), { text: '', files: [], omitted: undefined, cuts: [] });
    const r = assembleRules([file('a', 'AGENTS.md', ' \r\n\n'), file('a', '.hunyuan/rules.md', 'x')]);
    assert.equal(r.text, 'Rules from a/.hunyuan/rules.md:\nx');
    assert.deepEqual(r.files, ['a/.hunyuan/rules.md']);
  });

  it('normalizes CRLF, lone CR and a BOM, and drops blank lines around the text', () => {
    assert.equal(normalizeRulesText('\uFEFF\r\n\r\n# T\r\nline 1\rline 2\r\n\r\n'), '# T\nline 1\nline 2');
    const r = assembleRules([file('w', 'AGENTS.md', '\uFEFFa\r\nb\r\n')]);
    assert.equal(r.text, 'Rules from w/AGENTS.md:\na\nb');
    assert.ok(!r.text.includes('\r'));
  });

  it('keeps Chinese text as it is and counts it in characters', () => {
    const zh = '# 项目规则\n所有注释用中文书写。\n函数名使用驼峰命名法。';
    const r = assembleRules([file('工作区', 'AGENTS.md', zh)]);
    assert.equal(r.text, `Rules from 工作区/AGENTS.md:\n${zh}`);
    // cut: the cap counts characters (UTF-16 units), not bytes
    const header = rulesHeader('工作区/AGENTS.md');
    const longZh = Array.from({ length: 400 }, (_, i) => `第${i}条：请使用中文回答问题。`).join('\n');
    const cut = assembleRules([file('工作区', 'AGENTS.md', longZh)], 2000);
    assert.ok(cut.text.length <= 2000, `${cut.text.length}`);
    assert.ok(cut.text.startsWith(`${header}\n第0条：请使用中文回答问题。\n第1条`));
    assert.ok(cut.omitted?.endsWith(' characters of 工作区/AGENTS.md'), cut.omitted);
  });

  it('cuts at a line boundary, names what was left out, and says so in the text', () => {
    const agents = Array.from({ length: 150 }, (_, i) => `Rule ${i}: ${'x'.repeat(50)}`).join('\n');
    const copilot = 'y'.repeat(3399);
    const r = assembleRules([file('workspace', 'AGENTS.md', agents), file('lib', '.github/copilot-instructions.md', copilot)], 12000);
    // all of AGENTS.md fits, the copilot file's single line does not
    assert.equal(r.omitted, '3,399 characters of lib/.github/copilot-instructions.md');
    assert.deepEqual(r.files, ['workspace/AGENTS.md']);
    assert.deepEqual(r.cuts, [{ name: 'lib/.github/copilot-instructions.md', characters: 3399, whole: true }]);
    assert.ok(r.text.startsWith(`Rules from workspace/AGENTS.md:\n${agents}\n\n`));
    assert.ok(r.text.endsWith('[Cut to fit: 3,399 characters of lib/.github/copilot-instructions.md left out.]'), r.text.slice(-200));
    assert.ok(r.text.length <= 12000);

    const small = assembleRules([file('workspace', 'AGENTS.md', agents)], 1000);
    const kept = small.text.split('\n').slice(1, -2);
    assert.deepEqual(kept, agents.split('\n').slice(0, kept.length));
    assert.ok(kept.length > 5 && kept.length < 150);
    const left = agents.split('\n').slice(kept.length).join('\n').length + 1;
    assert.equal(small.omitted, `${groupDigits(left)} characters of workspace/AGENTS.md`);
  });

  it('describes several cuts, and groups digits the same in every locale', () => {
    assert.equal(groupDigits(0), '0');
    assert.equal(groupDigits(999), '999');
    assert.equal(groupDigits(1000), '1,000');
    assert.equal(groupDigits(1234567), '1,234,567');
    assert.equal(describeCuts([{ name: 'a/AGENTS.md', characters: 1200, whole: false }, { name: 'b/AGENTS.md', characters: 30, whole: true }]),
      '1,200 characters of a/AGENTS.md, 30 characters of b/AGENTS.md');
  });

  it('leaves out the note when not even it fits', () => {
    const r = assembleRules([file('w', 'AGENTS.md', 'short\nline\nhere')], 20);
    assert.ok(r.text.length <= 20);
    assert.equal(r.text, '');
    assert.equal(r.omitted, '15 characters of w/AGENTS.md');
  });

  it('puts the rules into the system prompt after an instruction to follow them', () => {
    const s = rulesSystemSection('Rules from w/AGENTS.md:\nUse tabs.');
    assert.equal(s, "The project's own instructions follow; follow them unless the user asks otherwise:\n\nRules from w/AGENTS.md:\nUse tabs.");
  });

  describe('properties', () => {
    const lineChars = fc.constantFrom('a', 'b', 'Z', ' ', '#', '-', '`', '规', '则', '中', '文', '😀', '\t', ':');
    const line = fc.array(lineChars, { maxLength: 60 }).map((cs) => cs.join(''));
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const text = fc.tuple(fc.array(line, { maxLength: 40 }), eol, fc.boolean(), fc.boolean())
      .map(([lines, e, bom, endEol]) => `${bom ? '\uFEFF' : ''}${lines.join(e)}${endEol ? e : ''}`);
    const files = fc.array(
      fc.record({ folder: fc.constantFrom('workspace', 'lib', '工作区'), path: fc.constantFrom(...RULES_FILES), text }),
      { maxLength: 6 },
    );
    const cap = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 300, max: 2500 }), fc.constant(RULES_MAX_CHARS));

    /** The text split back into blocks: each file's header and lines, and the note if any. */
    function parse(text: string): { blocks: { name: string; lines: string[] }[]; note?: string } {
      const blocks: { name: string; lines: string[] }[] = [];
      let noteLine: string | undefined;
      for (const l of text === '' ? [] : text.split('\n')) {
        const h = /^Rules from (.*):$/.exec(l);
        if (h && (blocks.length === 0 || blocks[blocks.length - 1].lines.at(-1) === '')) {
          if (blocks.length) blocks[blocks.length - 1].lines.pop();
          blocks.push({ name: h[1], lines: [] });
        } else if (l.startsWith('[Cut to fit: ')) {
          noteLine = l;
        } else {
          assert.ok(blocks.length, `a line before any header: ${JSON.stringify(l)}`);
          blocks[blocks.length - 1].lines.push(l);
        }
      }
      if (noteLine && blocks.length) assert.equal(blocks[blocks.length - 1].lines.pop(), '', 'a blank line before the note');
      return { blocks, ...(noteLine ? { note: noteLine } : {}) };
    }

    it('never goes over the cap, keeps whole lines under their headers, and sets omitted iff it cut', () => {
      fc.assert(fc.property(files, cap, (fs, max) => {
        const r = assembleRules(fs, max);
        assert.ok(r.text.length <= max, `${r.text.length} > ${max}`);
        assert.ok(!r.text.includes('\r') && !r.text.includes('\uFEFF'));
        const nonEmpty = fs.map((f) => ({ name: `${f.folder}/${f.path}`, lines: normalizeRulesText(f.text) }))
          .filter((f) => f.lines.trim() !== '')
          .map((f) => ({ name: f.name, lines: f.lines.split('\n') }));
        const all = nonEmpty.map((f) => `${rulesHeader(f.name)}\n${f.lines.join('\n')}`).join('\n\n');
        const cut = all.length > max;
        assert.equal(r.omitted !== undefined, cut, 'omitted iff cut');
        assert.equal(r.cuts.length > 0, cut);
        if (!cut) {
          assert.equal(r.text, all);
          assert.deepEqual(r.files, nonEmpty.map((f) => f.name));
          return;
        }
        const { blocks, note } = parse(r.text);
        // the kept files: a prefix of the files, each with a prefix of its lines (at least one), all but the last whole
        assert.deepEqual(blocks.map((b) => b.name), r.files);
        assert.deepEqual(r.files, nonEmpty.slice(0, blocks.length).map((f) => f.name));
        blocks.forEach((b, i) => {
          const src = nonEmpty[i].lines;
          assert.ok(b.lines.length >= 1, 'a header only with a line of its file');
          assert.deepEqual(b.lines, src.slice(0, b.lines.length), 'whole lines, in order, from the start');
          if (i < blocks.length - 1) assert.equal(b.lines.length, src.length);
        });
        // what was cut: the rest of the last kept file and every later one, counted exactly
        const expected = nonEmpty.flatMap((f, i) => {
          const kept = i < blocks.length ? blocks[i].lines.length : 0;
          if (kept === f.lines.length) return [];
          return [{ name: f.name, characters: f.lines.slice(kept).join('\n').length + (kept ? 1 : 0), whole: kept === 0 }];
        });
        assert.deepEqual(r.cuts, expected);
        assert.equal(r.omitted, describeCuts(expected));
        if (note !== undefined) assert.equal(note, `[Cut to fit: ${r.omitted} left out.]`);
        // with the usual cap the note is always there
        if (max === RULES_MAX_CHARS) assert.ok(note);
      }), { numRuns: 600 });
    });

    it('keeps as many lines as fit: one more line would have passed the cap', () => {
      fc.assert(fc.property(files, cap, (fs, max) => {
        // a folder has one file of each name: two files named alike would make the cut file ambiguous here
        const names = fs.map((x) => `${x.folder}/${x.path}`);
        if (new Set(names).size !== names.length) return;
        const r = assembleRules(fs, max);
        if (!r.omitted) return;
        const c = r.cuts[0];
        const f = fs.find((x) => `${x.folder}/${x.path}` === c.name && normalizeRulesText(x.text).trim() !== '');
        assert.ok(f);
        const rest = normalizeRulesText(f.text).split('\n');
        const keptLines = rest.length - (c.whole ? rest.length : normalizeRulesText(f.text).slice(-c.characters + 1).split('\n').length);
        const next = rest[keptLines];
        // the next line (with the header when the file was not started) would not fit beside the longest note
        const extra = c.whole ? (r.files.length ? 2 : 0) + rulesHeader(c.name).length + 1 + next.length : 1 + next.length;
        const longest = `[Cut to fit: ${describeCuts(fs.filter((x) => normalizeRulesText(x.text).trim() !== '').map((x) => ({
          name: `${x.folder}/${x.path}`, characters: normalizeRulesText(x.text).length, whole: true })))} left out.]`;
        const content = r.text.endsWith(']') && r.text.includes('[Cut to fit: ') ? r.text.slice(0, r.text.lastIndexOf('[Cut to fit: ')).replace(/\n\n$/, '') : r.text;
        const room = longest.length + 2 <= max ? max - longest.length - 2 : max;
        assert.ok(content.length + extra > room, `${content.length} + ${extra} <= ${room}`);
      }), { numRuns: 300 });
    });
  });
});
