// Checks the extension manifest (package.json), its translations (package.nls*.json) and the
// runtime string bundle (l10n/) against each other and against the gateway's documented limits.
// Runs on the compiled file out/test/unit/manifest.test.js, so the repository root is three up.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../../..');

interface SettingSchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  default?: unknown;
  scope?: string;
  properties?: Record<string, SettingSchema>;
  items?: SettingSchema;
}

interface ConfigurationSection {
  title?: string;
  properties?: Record<string, SettingSchema>;
}

interface Manifest {
  displayName?: string;
  description?: string;
  main?: string;
  icon?: string;
  l10n?: string;
  engines?: Record<string, string>;
  activationEvents?: string[];
  devDependencies?: Record<string, string>;
  capabilities?: {
    untrustedWorkspaces?: { supported?: boolean | string; description?: string; restrictedConfigurations?: string[] };
  };
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: ConfigurationSection | ConfigurationSection[];
  };
}

function readText(rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

function readJson<T>(rel: string): T {
  return JSON.parse(readText(rel)) as T;
}

function readStringMap(rel: string): Record<string, string> {
  const value: unknown = readJson<unknown>(rel);
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${rel} must be a JSON object`);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    assert.equal(typeof v, 'string', `${rel}: the value of "${key}" must be a string`);
  }
  return value as Record<string, string>;
}

const pkg = readJson<Manifest>('package.json');
const nlsEn = readStringMap('package.nls.json');
const nlsZh = readStringMap('package.nls.zh-cn.json');

/** All `%key%` placeholders anywhere in the manifest (VS Code only replaces whole-string values). */
function placeholders(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) found.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) placeholders(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) placeholders(v, found);
  }
  return found;
}

/** The English text of a manifest string: a placeholder is looked up in package.nls.json. */
function english(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^%(.+)%$/.exec(value);
  return m ? nlsEn[m[1]] : value;
}

function settings(): Record<string, SettingSchema> {
  const conf = pkg.contributes?.configuration;
  const sections = conf === undefined ? [] : Array.isArray(conf) ? conf : [conf];
  const all: Record<string, SettingSchema> = {};
  for (const section of sections) Object.assign(all, section.properties ?? {});
  return all;
}

function typesOf(s: SettingSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const PLACEHOLDER = /\{(\w+)\}/g;

function placeholderSet(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('manifest: package.json', () => {
  describe('translations (package.nls*.json)', () => {
    const used = placeholders(pkg);

    it('uses placeholders for the user-visible strings', () => {
      for (const key of ['displayName', 'description']) assert.ok(used.has(key), `package.json "${key}" is not localized`);
      for (const c of pkg.contributes?.commands ?? []) {
        assert.match(c.title, /^%.+%$/, `the title of ${c.command} is not localized`);
      }
    });

    it('has an English entry for every %key% in package.json', () => {
      const missing = sorted(used).filter((k) => !(k in nlsEn));
      assert.deepEqual(missing, [], `missing in package.nls.json: ${missing.join(', ')}`);
    });

    it('has a Chinese entry for every %key% in package.json', () => {
      const missing = sorted(used).filter((k) => !(k in nlsZh));
      assert.deepEqual(missing, [], `missing in package.nls.zh-cn.json: ${missing.join(', ')}`);
    });

    it('has no stale keys, and the same keys in both languages', () => {
      assert.deepEqual(sorted(Object.keys(nlsZh)), sorted(Object.keys(nlsEn)), 'package.nls.json and package.nls.zh-cn.json differ in keys');
      const stale = Object.keys(nlsEn).filter((k) => !used.has(k));
      assert.deepEqual(stale, [], `keys no longer used by package.json: ${stale.join(', ')}`);
    });

    it('has no empty strings', () => {
      for (const [file, nls] of [['package.nls.json', nlsEn], ['package.nls.zh-cn.json', nlsZh]] as const) {
        for (const [key, text] of Object.entries(nls)) assert.ok(text.trim().length > 0, `${file}: "${key}" is empty`);
      }
    });

    it('is translated into Chinese (every value but the product name contains CJK characters)', () => {
      const productName = new Set(['displayName', 'config.title']);
      assert.equal(nlsZh.displayName, nlsEn.displayName, 'the display name is the same in both languages');
      const untranslated = Object.entries(nlsZh).filter(([k, v]) => !productName.has(k) && !CJK.test(v)).map(([k]) => k);
      assert.deepEqual(untranslated, [], `untranslated in package.nls.zh-cn.json: ${untranslated.join(', ')}`);
    });

    it('links only to settings that exist, in the `#id#` form the Settings editor turns into links', () => {
      const ids = new Set(Object.keys(settings()));
      for (const [file, nls] of [['package.nls.json', nlsEn], ['package.nls.zh-cn.json', nlsZh]] as const) {
        for (const [key, text] of Object.entries(nls)) {
          for (const m of text.matchAll(/(.?)#([A-Za-z][\w-]*(?:\.[\w-]+)+)#(.?)/g)) {
            assert.ok(ids.has(m[2]), `${file} "${key}" links to unknown setting ${m[2]}`);
            assert.ok(m[1] === '`' && m[3] === '`', `${file} "${key}": write the link as \`#${m[2]}#\` (in backticks) or it is not rendered as a link`);
          }
        }
      }
    });
  });

  describe('settings', () => {
    const all = settings();

    it('contributes hunyuan.* settings only, none of them a secret', () => {
      assert.ok(Object.keys(all).length > 0, 'no settings found');
      for (const id of Object.keys(all)) {
        assert.match(id, /^hunyuan\./, `${id} is outside the hunyuan namespace`);
        assert.doesNotMatch(id, /api.?key|secret|password|credential/i, `${id}: the API key belongs in SecretStorage, not in settings`);
      }
    });

    it('gives every setting a type and a description', () => {
      const valid = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
      for (const [id, s] of Object.entries(all)) {
        const types = typesOf(s);
        assert.ok(types.length > 0, `${id} has no type`);
        for (const t of types) assert.ok(valid.has(t), `${id} has an unknown type ${t}`);
        const text = english(s.markdownDescription ?? s.description);
        assert.ok(text !== undefined && text.trim().length > 0, `${id} has no (markdown)Description`);
        for (const [sub, subSchema] of Object.entries(s.properties ?? {})) {
          const subText = english(subSchema.markdownDescription ?? subSchema.description);
          assert.ok(subText !== undefined && subText.trim().length > 0, `${id}.${sub} has no description`);
          assert.ok(typesOf(subSchema).length > 0, `${id}.${sub} has no type`);
        }
      }
    });

    it('describes every enum value', () => {
      for (const [id, s] of Object.entries(all)) {
        if (!s.enum) continue;
        const descriptions = s.markdownEnumDescriptions ?? s.enumDescriptions;
        assert.ok(descriptions, `${id} has no enumDescriptions`);
        assert.equal(descriptions.length, s.enum.length, `${id}: one description per enum value`);
      }
    });

    // Ranges from the gateway's documentation (gateway-api-doc.txt); undefined = not bounded there.
    const documented: Record<string, [number, number | undefined]> = {
      'hunyuan.temperature': [0, 2],
      'hunyuan.topP': [0, 1],
      'hunyuan.topK': [0, undefined],
      'hunyuan.frequencyPenalty': [-2, 2],
      'hunyuan.presencePenalty': [-2, 2],
      'hunyuan.repetitionPenalty': [0, 2],
      'hunyuan.minP': [0, 1],
      'hunyuan.maxTokens': [1, undefined],
    };

    it('bounds the sampling parameters as the gateway documents them', () => {
      for (const [id, [min, max]] of Object.entries(documented)) {
        const s = all[id];
        assert.ok(s, `${id} is missing`);
        assert.equal(s.minimum, min, `${id}: minimum`);
        if (max !== undefined) assert.equal(s.maximum, max, `${id}: maximum`);
      }
    });

    it('gives every other number setting a minimum, and keeps defaults in range and of the right type', () => {
      const unbounded = new Set(['hunyuan.seed']);
      for (const [id, s] of Object.entries(all)) {
        const types = typesOf(s);
        const numeric = types.includes('number') || types.includes('integer');
        if (!numeric) continue;
        if (!unbounded.has(id)) assert.equal(typeof s.minimum, 'number', `${id} has no minimum`);
        const d = s.default;
        if (d === null) {
          assert.ok(types.includes('null'), `${id} defaults to null but its type does not allow null`);
          continue;
        }
        assert.equal(typeof d, 'number', `${id}: default must be a number`);
        const n = d as number;
        if (types.includes('integer') && !types.includes('number')) assert.ok(Number.isInteger(n), `${id}: default must be an integer`);
        if (s.minimum !== undefined) assert.ok(n >= s.minimum, `${id}: default ${n} < minimum ${s.minimum}`);
        if (s.maximum !== undefined) assert.ok(n <= s.maximum, `${id}: default ${n} > maximum ${s.maximum}`);
      }
    });

    it('defaults to the model\'s recommended sampling and the gateway\'s documented values', () => {
      const expected: Record<string, unknown> = {
        'hunyuan.baseUrl': 'https://wcode.net/api/gpt/v1',
        'hunyuan.model': 'tencent/hunyuan-a13b-instruct',
        'hunyuan.temperature': 0.7,
        'hunyuan.topP': 0.8,
        'hunyuan.topK': 20,
        'hunyuan.repetitionPenalty': 1.05,
        'hunyuan.contextWindow': 32768,
        'hunyuan.prices': { input: 0.0019, output: 0.0075 },
      };
      for (const [id, value] of Object.entries(expected)) {
        assert.ok(all[id], `${id} is missing`);
        assert.deepEqual(all[id].default, value, `${id}: default`);
      }
    });

    it('leaves room for the prompt: maxTokens default below the context window', () => {
      const maxTokens = all['hunyuan.maxTokens'];
      const contextWindow = all['hunyuan.contextWindow'];
      assert.ok(maxTokens && contextWindow);
      assert.ok((maxTokens.default as number) < (contextWindow.default as number));
      assert.ok(maxTokens.maximum === undefined || maxTokens.maximum <= (contextWindow.default as number));
    });

    it('limits stop sequences to 4 and prices to non-negative numbers', () => {
      assert.equal(all['hunyuan.stop']?.maxItems, 4);
      for (const sub of ['input', 'output']) {
        assert.equal(all['hunyuan.prices']?.properties?.[sub]?.minimum, 0, `hunyuan.prices.${sub}: minimum`);
      }
    });

    it('makes the settings that could leak the key or code application-scoped and restricted', () => {
      const sensitive = ['hunyuan.baseUrl', 'hunyuan.model', 'hunyuan.extraBody', 'hunyuan.debug.logPrompts'];
      const restricted = pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
      for (const id of sensitive) {
        assert.ok(all[id], `${id} is missing`);
        assert.equal(all[id].scope, 'application', `${id} must have scope "application"`);
        assert.ok(restricted.includes(id), `${id} should be listed in capabilities.untrustedWorkspaces.restrictedConfigurations`);
      }
      for (const id of restricted) assert.ok(all[id], `restrictedConfigurations names unknown setting ${id}`);
    });

    it('makes the prices and the context window application-scoped (a workspace could hide the cost or overfill the window)', () => {
      for (const id of ['hunyuan.prices', 'hunyuan.contextWindow']) assert.equal(all[id]?.scope, 'application', `${id} must have scope "application"`);
    });
  });

  describe('activation, engines and packaging', () => {
    it('has no "*" activation event', () => {
      assert.ok(!(pkg.activationEvents ?? []).includes('*'), 'activate lazily, not on "*"');
    });

    const semver = (v: string): number[] => v.split('.').map(Number);
    const compare = (a: number[], b: number[]): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

    it('declares engines.vscode as a caret range matching @types/vscode', () => {
      const engine = pkg.engines?.vscode ?? '';
      const e = /^\^(\d+\.\d+\.\d+)$/.exec(engine);
      assert.ok(e, `engines.vscode should be a caret range like ^1.90.0, is "${engine}"`);
      const declared = pkg.devDependencies?.['@types/vscode'] ?? '';
      const t = /^[~^]?(\d+\.\d+\.\d+)$/.exec(declared);
      assert.ok(t, `devDependencies["@types/vscode"] should be a plain version, is "${declared}"`);
      const [ev, tv] = [semver(e[1]), semver(t[1])];
      assert.deepEqual(tv.slice(0, 2), ev.slice(0, 2), `@types/vscode ${t[1]} and engines.vscode ${engine} differ in minor version`);
      assert.ok(compare(tv, ev) <= 0, `vsce refuses @types/vscode ${t[1]} newer than engines.vscode ${engine}`);
      const installedFile = path.join(root, 'node_modules/@types/vscode/package.json');
      if (fs.existsSync(installedFile)) {
        const installed = (JSON.parse(fs.readFileSync(installedFile, 'utf8')) as { version: string }).version;
        assert.ok(compare(semver(installed), ev) <= 0, `installed @types/vscode ${installed} is newer than engines.vscode ${engine}`);
      }
    });

    it('points at the bundle, the l10n folder and a 256x256 PNG icon', () => {
      assert.equal(pkg.main, './dist/extension.js');
      assert.equal(pkg.l10n, './l10n');
      assert.ok(pkg.icon, 'no icon');
      const png = fs.readFileSync(path.join(root, pkg.icon));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${pkg.icon} is not a PNG`);
      assert.equal(png.readUInt32BE(16), 256, 'icon width');
      assert.equal(png.readUInt32BE(20), 256, 'icon height');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Runtime strings: vscode.l10n.t('...') in src/extension against l10n/bundle.l10n.zh-cn.json.

interface L10nCall {
  where: string;
  /** The bundle key, or undefined when the message is not a literal. */
  key: string | undefined;
}

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** The cooked text of a string literal or a template without substitutions, else undefined. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/** `l10n` or `<anything>.l10n` (e.g. `vscode.l10n`). */
function isL10n(node: ts.Expression): boolean {
  return (ts.isIdentifier(node) && node.text === 'l10n') || (ts.isPropertyAccessExpression(node) && node.name.text === 'l10n');
}

/**
 * The bundle key of an `l10n.t(...)` call: the message itself, or for the `{ message, comment }`
 * form `message/comment` (comment arrays joined), as VS Code's extHostLocalizationService looks it up.
 */
function keyOf(arg: ts.Expression | undefined): string | undefined {
  const text = literalText(arg);
  if (text !== undefined) return text;
  if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  let message: string | undefined;
  let comment = '';
  for (const prop of arg.properties) {
    if (!ts.isPropertyAssignment(prop)) continue;
    const name = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : undefined;
    if (name === 'message') {
      message = literalText(prop.initializer);
      if (message === undefined) return undefined;
    } else if (name === 'comment') {
      const single = literalText(prop.initializer);
      if (single !== undefined) {
        comment = single;
      } else if (ts.isArrayLiteralExpression(prop.initializer)) {
        const parts = prop.initializer.elements.map((e) => literalText(e));
        if (parts.some((p) => p === undefined)) return undefined;
        comment = parts.join('');
      } else {
        return undefined;
      }
    }
  }
  if (message === undefined) return undefined;
  return comment.length > 0 ? `${message}/${comment}` : message;
}

function l10nCalls(files: string[]): L10nCall[] {
  const calls: L10nCall[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && isL10n(callee.expression)) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          calls.push({ where: `${path.relative(root, file)}:${line + 1}`, key: keyOf(node.arguments[0]) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

describe('l10n: runtime strings', () => {
  const bundleFile = 'l10n/bundle.l10n.zh-cn.json';
  const bundle = readStringMap(bundleFile);
  const calls = l10nCalls(tsFiles(path.join(root, 'src/extension')));
  const used = new Set(calls.flatMap((c) => (c.key === undefined ? [] : [c.key])));

  it('parses the scanner\'s own edge cases', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "import { l10n } from 'vscode';",
      "vscode.l10n.t('It\\'s {0}', x);",
      'l10n.t("say \\"hi\\"");',
      'l10n.t(`plain`);',
      'l10n.t(`with ${x}`);',
      "l10n.t({ message: 'Saved {0}', args: [n], comment: ['a ', 'b'] });",
      "// l10n.t('in a comment')",
      "const s = \"l10n.t('in a string')\";",
      "other.t('not l10n');",
      'const re = /\'/; l10n.t(\'after regex\');',
    ].join('\n');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-scan-'));
    try {
      const file = path.join(tmp, 'sample.ts');
      fs.writeFileSync(file, sample);
      const keys = l10nCalls([file]).map((c) => c.key);
      assert.deepEqual(keys, ["It's {0}", 'say "hi"', 'plain', undefined, 'Saved {0}/a b', 'after regex']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('calls l10n.t with a literal message (so it can be translated)', () => {
    const dynamic = calls.filter((c) => c.key === undefined).map((c) => c.where);
    assert.deepEqual(dynamic, [], `l10n.t needs a string literal (args go in {0}, {1}...): ${dynamic.join(', ')}`);
  });

  it(`has a translation in ${bundleFile} for every l10n.t message`, () => {
    const missing = sorted(used).filter((k) => !(k in bundle));
    assert.deepEqual(missing, [], `missing in ${bundleFile}:\n${missing.map((k) => JSON.stringify(k)).join('\n')}`);
  });

  it(`has no stale keys in ${bundleFile}`, () => {
    const stale = Object.keys(bundle).filter((k) => !used.has(k));
    assert.deepEqual(stale, [], `not used by any l10n.t call in src/extension:\n${stale.map((k) => JSON.stringify(k)).join('\n')}`);
  });

  it('keeps the {0}/{name} placeholders of each message in its translation', () => {
    for (const [key, translation] of Object.entries(bundle)) {
      assert.deepEqual(placeholderSet(translation), placeholderSet(key), `placeholders differ for ${JSON.stringify(key)} → ${JSON.stringify(translation)}`);
    }
  });

  it('translates every message into Chinese (each value has CJK characters)', () => {
    const untranslated = Object.entries(bundle).filter(([, v]) => !CJK.test(v)).map(([k]) => k);
    assert.deepEqual(untranslated, [], `not translated in ${bundleFile}: ${untranslated.map((k) => JSON.stringify(k)).join(', ')}`);
  });
});
