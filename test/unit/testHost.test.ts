// The test host's setup as a new user meets it: `npm ci && npm test` from a shell, where the setup
// runs inside npm. The npm that setup.sh starts must not take the outer npm's settings as its own
// (npm_config_user_agent named Node 20 and code-server's postinstall refused to build), and CI must
// run only the README's command, so that what CI proves is what a user gets.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../..');
const SETUP = path.join(ROOT, 'test/host/setup.sh');

/** What an outer `npm test` puts into the environment, and what a user may have set for their registry. */
const OUTER_NPM = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_cache: '/root/.npm',
  npm_lifecycle_event: 'test',
  npm_package_name: 'hunyuan-coder',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  NPM_CONFIG_LOGLEVEL: 'silly',
};
const NETWORK = {
  npm_config_registry: 'https://registry.example.test/',
  npm_config_https_proxy: 'http://proxy.example.test:3128',
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  npm_config__example_test_registry: 'https://scoped.example.test/',
};

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

describe('test host setup on a fresh machine', () => {
  it('setup.sh gives its npm none of the outer npm\'s settings, but keeps the registry, proxy and CA', () => {
    const r = spawnSync('bash', [SETUP, '--print-env'], {
      env: { ...process.env, ...OUTER_NPM, ...NETWORK, KEEP_ME: 'yes' }, encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const env = parseEnv(r.stdout);
    for (const name of Object.keys(OUTER_NPM)) assert.equal(env[name], undefined, `${name} reached setup's npm`);
    for (const [name, value] of Object.entries(NETWORK)) assert.equal(env[name], value, `${name} was dropped`);
    assert.equal(env.KEEP_ME, 'yes', 'other variables stay');
    assert.ok(env.PATH, 'PATH stays');
  });

  it('the runners start setup.sh with the same clean environment', async () => {
    const lib = await import(pathToFileURL(path.join(ROOT, 'test/host/lib/codeServer.mjs')).href) as {
      setupEnv(extra?: Record<string, string>): Record<string, string | undefined>;
    };
    const saved = { ...process.env };
    Object.assign(process.env, OUTER_NPM, NETWORK);
    try {
      const env = lib.setupEnv({ VSHOST: '/somewhere' });
      for (const name of Object.keys(OUTER_NPM)) assert.equal(env[name], undefined, `${name} passed on`);
      for (const [name, value] of Object.entries(NETWORK)) assert.equal(env[name], value, `${name} was dropped`);
      assert.equal(env.VSHOST, '/somewhere');
    } finally {
      for (const name of [...Object.keys(OUTER_NPM), ...Object.keys(NETWORK)]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('CI runs the README\'s test command and no setup of its own', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const tests = readme.slice(readme.indexOf('\n## Tests'));
    const command = /```sh\n(.*)\n/.exec(tests)?.[1];
    assert.equal(command, 'npm ci && npm test', 'the README\'s test command');
    const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    const code = ci.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    assert.doesNotMatch(code, /setup\.sh|apt-get|npm (ci|install|test|run)\b/, '.ci/run must not prepare anything the README does not');
    assert.match(code, /## Tests/, '.ci/run reads the command from the README');
  });
});
