/**
 * Which unit-test framework a project uses, from its files (package.json, pyproject.toml, go.mod,
 * Cargo.toml, pom.xml, …), for `@hunyuan /tests`. Pure: the caller reads the files; this only
 * looks at their names and contents. When nothing names a framework, the language's standard one
 * is returned with `detected: false`, so the prompt can say it is a default.
 */

/** A file of the project: its path (relative or absolute, `/`-separated) and its text. */
export interface ProjectFile {
  readonly path: string;
  readonly content: string;
}

export interface TestFramework {
  /** `vitest`, `jest`, `mocha`, `node-test`, `pytest`, `unittest`, `go-test`, `cargo-test`, `junit5`, … */
  readonly id: string;
  /** For the prompt and the user: `Vitest`, `pytest`, `Go's testing package`. */
  readonly name: string;
  /** True when a project file names it; false for the language's default. */
  readonly detected: boolean;
  /** Where the finding came from (`package.json devDependencies`), for the user. */
  readonly evidence?: string;
  /** How tests are written in it: imports, file naming, assertions (one or two sentences for the prompt). */
  readonly conventions: string;
}

/** The file names worth reading to detect a framework (the caller looks for them from the code's folder up to the workspace root). */
export const TEST_CONFIG_FILES: readonly string[] = [
  'package.json', 'vitest.config.ts', 'vitest.config.js', 'vitest.config.mts', 'jest.config.js', 'jest.config.ts', 'jest.config.cjs',
  '.mocharc.json', '.mocharc.yml', '.mocharc.js', 'pyproject.toml', 'pytest.ini', 'setup.cfg', 'tox.ini', 'requirements.txt',
  'requirements-dev.txt', 'go.mod', 'Cargo.toml', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'composer.json', 'Gemfile',
];

const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte']);
const baseName = (p: string): string => p.slice(p.replace(/\\/g, '/').lastIndexOf('/') + 1);

function find(files: readonly ProjectFile[], name: string | RegExp): ProjectFile | undefined {
  return files.find((f) => (typeof name === 'string' ? baseName(f.path) === name : name.test(baseName(f.path))));
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  jest?: unknown;
}

function parsePackage(file: ProjectFile | undefined): PackageJson | undefined {
  if (!file) return undefined;
  try {
    const value = JSON.parse(file.content) as unknown;
    return typeof value === 'object' && value !== null ? (value as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

const JS_CONVENTIONS: Record<string, (ts: boolean) => string> = {
  vitest: () => "Import `describe`, `it`, `expect` (and `vi` for mocks) from 'vitest'; put the tests in a `*.test.ts`/`*.test.js` file next to the code.",
  jest: (ts) => `Use Jest's global \`describe\`, \`it\`/\`test\` and \`expect\`${ts ? " (or import them from '@jest/globals')" : ''}; put the tests in a \`*.test.${ts ? 'ts' : 'js'}\` file.`,
  mocha: () => "Use Mocha's `describe`/`it` with Node's `assert` (`import * as assert from 'node:assert/strict'`) unless the project uses chai; put the tests in a `*.test.*` file.",
  'node-test': () => "Use Node's built-in runner: `import { describe, it } from 'node:test'` and `import assert from 'node:assert/strict'`; put the tests in a `*.test.*` file.",
  jasmine: () => "Use Jasmine's global `describe`, `it` and `expect`; put the tests in a `*.spec.*` file.",
  ava: () => "Use `import test from 'ava'` with `t.is`/`t.deepEqual`; put the tests in a `*.test.*` file.",
};

const JS_NAMES: Record<string, string> = { vitest: 'Vitest', jest: 'Jest', mocha: 'Mocha', 'node-test': 'node:test', jasmine: 'Jasmine', ava: 'AVA' };

function jsFramework(files: readonly ProjectFile[], ts: boolean): TestFramework {
  const make = (id: string, evidence: string | undefined): TestFramework => {
    let conventions = JS_CONVENTIONS[id](ts);
    if (id === 'mocha' && evidence?.includes('chai')) conventions = "Use Mocha's `describe`/`it` with chai's `expect`; put the tests in a `*.test.*` file.";
    return { id, name: JS_NAMES[id], detected: evidence !== undefined, evidence, conventions };
  };
  const pkg = parsePackage(find(files, 'package.json'));
  if (pkg) {
    const deps = { ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) };
    const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(deps, name);
    const where = pkg.devDependencies && Object.keys(pkg.devDependencies).some((k) => /^(vitest|jest|ts-jest|mocha|jasmine|ava)$/.test(k))
      ? 'package.json devDependencies' : 'package.json dependencies';
    if (has('vitest')) return make('vitest', where);
    if (has('jest') || has('ts-jest') || has('@jest/globals') || pkg.jest !== undefined) return make('jest', where);
    if (has('mocha')) return make('mocha', has('chai') ? `${where} (mocha, chai)` : where);
    if (has('jasmine')) return make('jasmine', where);
    if (has('ava')) return make('ava', where);
    const scripts = Object.values(pkg.scripts ?? {}).join('\n');
    if (/\bvitest\b/.test(scripts)) return make('vitest', 'package.json scripts');
    if (/\bjest\b/.test(scripts)) return make('jest', 'package.json scripts');
    if (/\bmocha\b/.test(scripts)) return make('mocha', 'package.json scripts');
    if (/\bnode\b[^\n]*--test\b/.test(scripts)) return make('node-test', 'package.json scripts');
  }
  if (find(files, /^vitest\.config\./)) return make('vitest', find(files, /^vitest\.config\./)?.path);
  if (find(files, /^jest\.config\./)) return make('jest', find(files, /^jest\.config\./)?.path);
  if (find(files, /^\.mocharc\./)) return make('mocha', find(files, /^\.mocharc\./)?.path);
  return make('node-test', undefined);
}

function pythonFramework(files: readonly ProjectFile[]): TestFramework {
  const pytest = (evidence: string | undefined): TestFramework => ({
    id: 'pytest', name: 'pytest', detected: evidence !== undefined, evidence,
    conventions: 'Write plain `test_*` functions with bare `assert` statements (fixtures and `pytest.raises`/`pytest.mark.parametrize` where they help), in a `tests/test_<module>.py` file.',
  });
  if (find(files, 'pytest.ini')) return pytest('pytest.ini');
  const pyproject = find(files, 'pyproject.toml');
  if (pyproject && /\[tool\.pytest|\bpytest\b/.test(pyproject.content)) return pytest('pyproject.toml');
  const setupCfg = find(files, 'setup.cfg');
  if (setupCfg && /\[tool:pytest\]|\bpytest\b/.test(setupCfg.content)) return pytest('setup.cfg');
  const tox = find(files, 'tox.ini');
  if (tox && /\[pytest\]|\bpytest\b/.test(tox.content)) return pytest('tox.ini');
  for (const name of ['requirements-dev.txt', 'requirements.txt']) {
    const req = find(files, name);
    if (req && /^\s*pytest\b/m.test(req.content)) return pytest(name);
  }
  return {
    id: 'unittest', name: 'unittest', detected: false,
    conventions: 'Use the standard library: a `unittest.TestCase` subclass with `test_*` methods and `self.assert*` calls, in a `tests/test_<module>.py` file.',
  };
}

function goFramework(files: readonly ProjectFile[]): TestFramework {
  const mod = find(files, 'go.mod');
  const testify = !!mod && /github\.com\/stretchr\/testify/.test(mod.content);
  return {
    id: 'go-test', name: testify ? "Go's testing package with testify" : "Go's testing package", detected: !!mod, evidence: mod ? 'go.mod' : undefined,
    conventions: `Write \`func TestXxx(t *testing.T)\` functions in a \`<file>_test.go\` file of the same package, table-driven where there are several cases${testify ? ', asserting with `github.com/stretchr/testify/assert` or `require`' : ', failing with `t.Errorf`/`t.Fatalf`'}; they run with \`go test\`.`,
  };
}

function rustFramework(files: readonly ProjectFile[]): TestFramework {
  const cargo = find(files, 'Cargo.toml');
  return {
    id: 'cargo-test', name: "Rust's built-in test harness", detected: !!cargo, evidence: cargo ? 'Cargo.toml' : undefined,
    conventions: 'Write `#[test]` functions with `assert_eq!`/`assert!` in a `#[cfg(test)] mod tests { use super::*; … }` module at the end of the same file; they run with `cargo test`.',
  };
}

function jvmFramework(files: readonly ProjectFile[], kotlin: boolean): TestFramework {
  const build = find(files, 'pom.xml') ?? find(files, 'build.gradle.kts') ?? find(files, 'build.gradle');
  const text = build?.content ?? '';
  const file = kotlin ? '`<Class>Test.kt`' : '`<Class>Test.java`';
  if (/testng/i.test(text)) {
    return { id: 'testng', name: 'TestNG', detected: true, evidence: build?.path, conventions: `Use \`@Test\` from \`org.testng.annotations\` and \`org.testng.Assert\`, in ${file} under \`src/test\`.` };
  }
  if (/junit-jupiter|junit5|org\.junit\.jupiter/i.test(text) || (!/junit:junit|<artifactId>junit<\/artifactId>/.test(text))) {
    return {
      id: 'junit5', name: 'JUnit 5', detected: /junit/i.test(text), evidence: /junit/i.test(text) ? build?.path : undefined,
      conventions: `Use JUnit 5 (\`org.junit.jupiter.api.Test\`, \`Assertions.assertEquals\`…), in ${file} under \`src/test\`.`,
    };
  }
  return { id: 'junit4', name: 'JUnit 4', detected: true, evidence: build?.path, conventions: `Use JUnit 4 (\`org.junit.Test\`, \`org.junit.Assert.*\`), in ${file} under \`src/test\`.` };
}

/**
 * The test framework for code of `languageId` in a project with `files` (the nearest ones first:
 * the first package.json found is the one used). Undefined for languages without a known default.
 */
export function detectTestFramework(files: readonly ProjectFile[], languageId: string): TestFramework | undefined {
  const id = languageId.toLowerCase();
  if (JS_LANGUAGES.has(id)) return jsFramework(files, id.startsWith('typescript') || id === 'vue' || id === 'svelte');
  if (id === 'python') return pythonFramework(files);
  if (id === 'go') return goFramework(files);
  if (id === 'rust') return rustFramework(files);
  if (id === 'java' || id === 'kotlin') return jvmFramework(files, id === 'kotlin');
  if (id === 'php') {
    const composer = find(files, 'composer.json');
    const detected = !!composer && /phpunit/i.test(composer.content);
    return { id: 'phpunit', name: 'PHPUnit', detected, evidence: detected ? 'composer.json' : undefined, conventions: 'Write a `<Class>Test extends \\PHPUnit\\Framework\\TestCase` class with `test*` methods, in `tests/`.' };
  }
  if (id === 'ruby') {
    const gemfile = find(files, 'Gemfile');
    if (gemfile && /rspec/.test(gemfile.content)) {
      return { id: 'rspec', name: 'RSpec', detected: true, evidence: 'Gemfile', conventions: 'Write `RSpec.describe` blocks with `it` and `expect(...).to`, in `spec/<name>_spec.rb`.' };
    }
    return { id: 'minitest', name: 'Minitest', detected: false, conventions: 'Write a `Minitest::Test` subclass with `test_*` methods and `assert_equal`, in `test/test_<name>.rb`.' };
  }
  return undefined;
}
