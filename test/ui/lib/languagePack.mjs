// A language pack for the UI tests, built on the spot. VS Code (code-server included) takes its
// display language from `--locale` only when a language pack for it is installed: that is what
// gives the workbench, and through it the extension host (`vscode.env.language`) and the manifest
// (package.nls.<lang>.json), the language. The marketplace's Chinese pack cannot be downloaded
// here, so this one declares zh-cn and translates nothing: the workbench stays English (as with a
// pack that lacks a string), while everything of ours switches to Chinese.
//
//   const vsix = buildLanguagePack(run.dir);
//   await installExtension(vsix, { run });
//   registerLanguagePack(run);          // what the running server does after installing a pack
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../host/lib/codeServer.mjs';

const PUBLISHER = 'hunyuan-ui-test';
const VERSION = '0.0.1';

/** Packages the language pack for `languageId` into `dir`; returns the .vsix path. */
export function buildLanguagePack(dir, { languageId = 'zh-cn', languageName = 'Chinese Simplified', localizedLanguageName = '中文(简体)' } = {}) {
  const folder = path.join(dir, `language-pack-${languageId}`);
  fs.mkdirSync(path.join(folder, 'translations'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify({
    name: `ui-test-language-pack-${languageId}`,
    displayName: `UI test language pack (${languageId})`,
    description: 'Declares a display language for the UI tests; translates nothing.',
    publisher: PUBLISHER,
    version: VERSION,
    engines: { vscode: '^1.90.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{
        languageId, languageName, localizedLanguageName,
        translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
      }],
    },
  }, null, 2)}\n`);
  fs.writeFileSync(path.join(folder, 'translations/main.i18n.json'), `${JSON.stringify({ version: '1.0.0', contents: {} })}\n`);
  fs.writeFileSync(path.join(folder, 'README.md'), `# UI test language pack (${languageId})\n\nFor the Hunyuan Coder UI tests only.\n`);
  const vsix = path.join(dir, `language-pack-${languageId}.vsix`);
  const vsce = path.join(REPO_ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix], { cwd: folder, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`packaging the language pack failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

/**
 * Writes <user-data>/languagepacks.json for the packs installed in `run`'s extensions dir, as the
 * server's language pack service does when a pack is installed into a running server (the
 * `--install-extension` command line does not run it). code-server reads it to resolve `--locale`.
 */
export function registerLanguagePack(run, { languageId = 'zh-cn', label = '中文(简体)' } = {}) {
  const id = `${PUBLISHER}.ui-test-language-pack-${languageId}`;
  const folder = fs.readdirSync(run.extensionsDir).find((f) => f.toLowerCase() === `${id}-${VERSION}`.toLowerCase());
  if (!folder) throw new Error(`the language pack ${id} is not installed in ${run.extensionsDir}`);
  const translations = path.join(run.extensionsDir, folder, 'translations/main.i18n.json');
  const hash = crypto.createHash('md5').update(id).update(VERSION).digest('hex');
  const packs = { [languageId]: { hash, extensions: [{ extensionIdentifier: { id }, version: VERSION }], translations: { vscode: translations }, label } };
  fs.mkdirSync(run.userDataDir, { recursive: true });
  fs.writeFileSync(path.join(run.userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
