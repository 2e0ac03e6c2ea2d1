// Runs one bench module in its own process (so one figure's garbage, JIT state or crash does not
// touch another's): `node child.mjs <module> <names,...>`. Sends the figures to the parent over IPC.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR } from './common.mjs';

const [moduleName, names] = process.argv.slice(2);
const send = (message) => new Promise((resolve) => process.send(message, resolve));
try {
  const mod = await import(pathToFileURL(path.join(BENCH_DIR, moduleName)).href);
  const figures = await mod.measure({ only: new Set(names.split(',')) });
  await send({ figures });
  process.exit(0);
} catch (err) {
  await send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
