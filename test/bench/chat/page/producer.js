// The extension's side of the channel, in a worker so that it keeps its own time: posts each
// message at its time (ms from the start) whatever the page's main thread is doing, as the
// extension host (another process) posts to a webview. Messages that fall due while the page is
// busy queue up there, as they would in VS Code.
/* global self, performance */
self.onmessage = (event) => {
  const { messages, times } = event.data;
  const t0 = performance.now();
  let i = 0;
  const next = () => {
    while (i < messages.length && performance.now() - t0 >= times[i]) self.postMessage(messages[i++]);
    if (i < messages.length) setTimeout(next, Math.max(0, times[i] - (performance.now() - t0)));
    else self.postMessage({ benchDone: true });
  };
  next();
};
