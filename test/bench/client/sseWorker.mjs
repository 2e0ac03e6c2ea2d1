// The local gateway for client-overhead: an HTTP server on 127.0.0.1, in a worker thread, that
// answers every POST with the same SSE stream (the gateway's chunk shape), one event per write, in
// lockstep with the consumer: after each event it waits until the consumer in the main thread
// has counted something (Int32 slot 0 of the shared buffer changes; at most WAIT_MS), so each of
// the client's socket reads carries one event, as a model's tokens arrive.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const WAIT_MS = 20;
const { events, shared } = workerData;
const counter = new Int32Array(shared);

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', async () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.socket?.setNoDelay(true);
    for (const event of events) {
      const seen = Atomics.load(counter, 0);
      await new Promise((resolve) => res.write(event, resolve));
      Atomics.wait(counter, 0, seen, WAIT_MS);
    }
    res.end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => parentPort.close());
});
