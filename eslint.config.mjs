// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const domGlobals = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage',
  'HTMLElement', 'Element', 'Node', 'MutationObserver', 'requestAnimationFrame', 'acquireVsCodeApi'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // UI tests: mocha in Node, with callbacks that playwright runs in the page.
  {
    files: ['test/ui/**/*.mjs'],
    languageOptions: {
      globals: { describe: 'readonly', it: 'readonly', before: 'readonly', after: 'readonly', beforeEach: 'readonly', afterEach: 'readonly',
        document: 'readonly', navigator: 'readonly', getComputedStyle: 'readonly', window: 'readonly' },
    },
  },
  // The pure layer (src/core) and the code shared with the webview (src/common) import neither
  // `vscode` nor the DOM, so they run in plain unit tests and in both bundles.
  {
    files: ['src/core/**/*.ts', 'src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The pure layer must not import vscode; adapt it in src/extension.' }],
        patterns: [
          { group: ['**/extension/**', '**/webview/**'], message: 'The pure layer must not depend on the VS Code layer or the webview.' },
        ],
      }],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'The pure layer must not use the DOM.' }))],
    },
  },
  // src/common is also bundled into the webview: no Node built-ins either.
  {
    files: ['src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Shared code must not import vscode.' }],
        patterns: [
          { group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'os'], message: 'Shared code runs in the webview too: no Node built-ins.' },
          { group: ['**/extension/**', '**/webview/**', '**/core/**'], message: 'Shared code depends on nothing but itself.' },
        ],
      }],
    },
  },
  // The webview is a browser bundle: it shares only src/common with the extension.
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview cannot import vscode; message the extension instead.' }],
        patterns: [{ group: ['**/extension/**', '**/core/**', 'node:*'], message: 'The webview shares only src/common with the extension.' }],
      }],
    },
  },
  // The VS Code layer does not reach into the webview bundle.
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/webview/**'], message: 'The extension talks to the webview through src/common/protocol only.' }],
      }],
    },
  },
);
