// Runs the UI tests: packages the extension, installs the .vsix into a fresh code-server, drives it
// in headless Chromium (test/ui/*.ui.test.mjs, mocha). Prints `N passed, N failed` last.
// Needs `npm run build && npx tsc -p .` done (the gateway test server comes from out/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { REPO_ROOT, hostPaths } from '../host/lib/codeServer.mjs';

const dir = path.join(hostPaths().vshost, 'ui');
fs.mkdirSync(dir, { recursive: true });
const vsix = path.join(dir, 'hunyuan-coder-ui-test.vsix');
console.log('[ui] packaging the extension');
const pack = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: REPO_ROOT, stdio: 'inherit' });
if (pack.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.env.UI_VSIX = vsix;

// UI_TEST_GREP=regex runs only the tests whose full title matches (development only).
const mocha = new Mocha({ ui: 'bdd', timeout: 300000, color: false, reporter: 'spec', bail: false, grep: process.env.UI_TEST_GREP });
for (const f of fs.readdirSync(path.join(REPO_ROOT, 'test/ui')).filter((f) => f.endsWith('.ui.test.mjs'))) {
  mocha.addFile(path.join(REPO_ROOT, 'test/ui', f));
}
await mocha.loadFilesAsync();
let passed = 0;
let failed = 0;
await new Promise((resolve) => {
  const runner = mocha.run(() => resolve());
  runner.on('pass', () => passed++);
  runner.on('fail', () => failed++);
});
if (passed + failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
