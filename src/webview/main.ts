// The chat webview bundle (browser): connects to the extension and starts the chat view.
import './styles.css';
import { Messenger } from '../common/ipc/messages.js';
import { App } from './app.js';
import { highlightStats } from './render/highlight.js';
import { markdownStats } from './render/markdown.js';
import { sanitizeStats } from './render/sanitize.js';
import { streamStats } from './render/stream.js';

const api = acquireVsCodeApi();
const messenger = new Messenger(
  (message) => api.postMessage(message),
  (error, method) => console.error(`[Hunyuan chat] ${method}:`, error),
);
window.addEventListener('message', (event) => void messenger.receive(event.data));

// Rendering counters, for performance tests: how much Markdown was parsed, sanitized, highlighted.
Object.defineProperty(window, '__hunyuanChatStats', {
  value: { markdown: markdownStats, highlight: highlightStats, sanitize: sanitizeStats, stream: streamStats },
});

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
new App(root, messenger, api).start().catch((error: unknown) => console.error('[Hunyuan chat] failed to start:', error));
