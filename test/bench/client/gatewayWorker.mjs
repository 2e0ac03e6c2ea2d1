// The gateway test server (out/test/gateway/server.js, the one the unit tests use) in a worker
// thread, for client-longest-stall: its CPU is not the main thread's, where the client runs. Posts
// { url } once listening; closes on 'close'. workerData.options: { [scenario]: ScenarioOptions },
// workerData.contextWindow: the window it accepts (large, for answers of 100,000 newlines).
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(path.join(workerData.repoRoot, 'package.json'));
const { startGateway } = require(path.join(workerData.repoRoot, 'out/test/gateway/server.js'));

const gateway = await startGateway({ contextWindow: workerData.contextWindow });
for (const [scenario, options] of Object.entries(workerData.options ?? {})) gateway.setOptions(scenario, options);
if (workerData.defaultScenario) gateway.setScenario(workerData.defaultScenario.name, workerData.defaultScenario.options);
parentPort.postMessage({ url: gateway.url });
parentPort.on('message', (m) => {
  if (m === 'close') void gateway.close().then(() => parentPort.close());
});
