/**
 * A real HTTP server that speaks the model gateway's OpenAI-compatible protocol, for tests (unit
 * tests and the VS Code extension host) and for manual runs (cli.ts). Node built-ins only.
 *
 *   {base}/chat/completions  POST, JSON or SSE, in the shape of the selected scenario
 *   {base}/models            GET, an OpenAI-style model list
 * where {base} is `/v1` (the default scenario) or `/s/<scenario>/v1`. Control endpoints for tests
 * in another process: GET /__gateway/requests, POST /__gateway/scenario {name, options},
 * POST /__gateway/options {scenario, options}, POST /__gateway/reset; and GET /healthz.
 *
 * Like a real server it is strict before any scenario runs: a chat request whose prompt (in the
 * gateway's own token count, tokenizer.ts) plus max_tokens exceeds the context window (32768,
 * or GatewayInit.contextWindow, or options.contextWindow) gets vLLM's HTTP 400. And like one, the
 * answers of the normal scenarios end at max_tokens (finish_reason `length`) or before the first of
 * the request's `stop` strings (finish_reason `stop` with vLLM's `stop_reason`, the string hit).
 *
 * Scenarios live in scenarios.ts, the generated text and protocol objects in content.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CONTEXT_LENGTH, DEFAULT_MODEL, type ChatRequest } from './content';
import { sendError, sendJson } from './respond';
import { SCENARIOS, contextRefusal, findScenario, type ScenarioOptions } from './scenarios';
import { countPromptTokens } from './tokenizer';

export { SCENARIOS, findScenario };
export type { ScenarioOptions };

export interface RecordedRequest {
  method: string;
  path: string;
  scenario: string;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the client sent
  body: any;
  receivedAt: number;
  /** For a chat request: its prompt tokens as the gateway counts them (chat template included). */
  promptTokens?: number;
  /** The client closed the connection before the response was complete (a cancelled request). */
  closedEarly?: boolean;
  /**
   * For the endless scenarios (keepalive-only, huge-line, ignores-max-tokens): bytes of the body
   * written so far (to the socket, not necessarily read by the client), updated as they go.
   */
  bytesSent?: number;
}

export interface GatewayServer {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  /** `${url}/v1` for the default scenario, or `${url}/s/<scenario>/v1`. */
  baseUrl(scenario?: string): string;
  /** Every request to /v1/... or /s/.../v1/..., in order. */
  readonly requests: RecordedRequest[];
  lastRequest(): RecordedRequest | undefined;
  /** Sets the scenario (and its options) for `${url}/v1`; resets that scenario's failure counter. */
  setScenario(name: string, options?: ScenarioOptions): void;
  /** Options for a scenario selected by path; resets its failure counter. */
  setOptions(scenario: string, options: ScenarioOptions): void;
  /** Forgets recorded requests and failure counters. */
  clear(): void;
  /** Closes the server, ending open streams and destroying sockets, so it returns promptly. */
  close(): Promise<void>;
}

export interface GatewayInit {
  port?: number;
  host?: string;
  scenario?: string;
  options?: ScenarioOptions;
  /** Known model ids (default: the Hunyuan model only). */
  models?: string[];
  /** Tokens of prompt + max_tokens a request may use (default 32768); options.contextWindow overrides it per scenario. */
  contextWindow?: number;
  /** Called for every recorded request (the CLI logs them). */
  onRequest?: (request: RecordedRequest) => void;
}

const API_PATH = /^(?:\/s\/([^/]+))?\/v1(\/.*)?$/;

class Gateway implements GatewayServer {
  readonly requests: RecordedRequest[] = [];
  private defaultScenario: string;
  private defaultOptions: ScenarioOptions;
  private readonly scenarioOptions = new Map<string, ScenarioOptions>();
  private readonly failures = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly active = new Set<AbortController>();
  private readonly models: readonly string[];
  private readonly server: Server;
  private address = '';
  private closing: Promise<void> | undefined;
  private completionCount = 0;
  private readonly contextWindow: number;

  constructor(private readonly init: GatewayInit) {
    this.defaultScenario = init.scenario ?? 'reasoning';
    this.defaultOptions = init.options ?? {};
    if (!findScenario(this.defaultScenario)) throw new Error(`Unknown gateway scenario: ${this.defaultScenario}`);
    this.models = init.models ?? [DEFAULT_MODEL];
    this.contextWindow = init.contextWindow ?? CONTEXT_LENGTH;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get url(): string {
    return this.address;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        this.address = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
        resolve();
      });
    });
  }

  baseUrl(scenario?: string): string {
    return scenario === undefined ? `${this.url}/v1` : `${this.url}/s/${encodeURIComponent(scenario)}/v1`;
  }

  lastRequest(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  setScenario(name: string, options: ScenarioOptions = {}): void {
    if (!findScenario(name)) throw new Error(`Unknown gateway scenario: ${name}`);
    this.defaultScenario = name;
    this.defaultOptions = options;
    this.failures.delete(name);
  }

  setOptions(scenario: string, options: ScenarioOptions): void {
    if (!findScenario(scenario)) throw new Error(`Unknown gateway scenario: ${scenario}`);
    this.scenarioOptions.set(scenario, options);
    this.failures.delete(scenario);
  }

  clear(): void {
    this.requests.length = 0;
    this.failures.clear();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const controller of this.active) controller.abort();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const controller = new AbortController();
    this.active.add(controller);
    res.on('close', () => {
      controller.abort();
      this.active.delete(controller);
    });
    try {
      await this.route(req, res, controller.signal);
    } catch (error) {
      if (!res.headersSent) sendError(res, 500, `Test gateway failure: ${String(error)}`);
      else res.destroy();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://gateway').pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path.startsWith('/__gateway/')) return this.control(method, path, await readBody(req), res);

    const api = API_PATH.exec(path);
    if (!api) return sendError(res, 404, `Not Found: ${path}`);
    const scenarioName = api[1] !== undefined ? decodeURIComponent(api[1]) : this.defaultScenario;
    const endpoint = api[2] ?? '/';
    const body = await readBody(req);
    const messages = endpoint === '/chat/completions' && typeof body === 'object' && body !== null ? (body as { messages?: unknown }).messages : undefined;
    const recorded: RecordedRequest = {
      method, path: req.url ?? path, scenario: scenarioName, headers: flatHeaders(req), body, receivedAt: Date.now(),
      ...(Array.isArray(messages) ? { promptTokens: countPromptTokens(messages, toolsOf(body)) } : {}),
    };
    this.record(recorded);
    res.on('close', () => {
      if (!res.writableEnded) recorded.closedEarly = true;
    });

    const scenario = findScenario(scenarioName);
    if (!scenario) return sendError(res, 404, `Unknown test gateway scenario: ${scenarioName}`);
    const options = this.optionsFor(api[1] !== undefined ? scenarioName : undefined);
    const authError = checkAuth(req);
    if (authError) return sendError(res, 401, authError);

    if (endpoint === '/models') {
      if (method !== 'GET') return sendError(res, 405, 'Method Not Allowed');
      if (scenario.fixedReply) return scenario.fixedReply(res, options, undefined);
      return sendJson(res, 200, this.modelList());
    }
    if (endpoint !== '/chat/completions') return sendError(res, 404, `Not Found: ${path}`);
    if (method !== 'POST') return sendError(res, 405, 'Method Not Allowed');

    const request = parseChatRequest(body);
    if (typeof request === 'string') return sendError(res, 400, request);
    if (!this.models.includes(request.model)) return sendError(res, 404, `Model ${request.model} does not exist`);
    const refusal = contextRefusal(request, options.contextWindow ?? this.contextWindow);
    if (refusal) return sendJson(res, 400, refusal);
    const created = Math.floor(Date.now() / 1000);
    const meta = { id: `chatcmpl-t${created}s${++this.completionCount}rtestgateway`, created, model: request.model };
    await scenario.chat({
      res, request, options, signal, meta, apiKey: bearerKey(req), attempt: () => this.countAttempt(scenarioName),
      sent: (bytes) => { recorded.bytesSent = (recorded.bytesSent ?? 0) + bytes; },
    });
  }

  /** `/s/<name>/v1` uses the options of setOptions(name), `/v1` those of setScenario (never mixed). */
  private optionsFor(pathScenario: string | undefined): ScenarioOptions {
    return pathScenario !== undefined ? this.scenarioOptions.get(pathScenario) ?? {} : this.defaultOptions;
  }

  private countAttempt(scenario: string): number {
    const count = (this.failures.get(scenario) ?? 0) + 1;
    this.failures.set(scenario, count);
    return count;
  }

  private record(request: RecordedRequest): void {
    this.requests.push(request);
    this.init.onRequest?.(request);
  }

  private modelList(): object {
    return {
      object: 'list',
      data: this.models.map((id) => ({
        id, object: 'model', created: 1751241600, owned_by: id.split('/')[0] ?? 'tencent', context_length: this.contextWindow,
      })),
    };
  }

  private control(method: string, path: string, body: unknown, res: ServerResponse): void {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const options = (typeof input.options === 'object' && input.options !== null ? input.options : {}) as ScenarioOptions;
    try {
      if (method === 'GET' && path === '/__gateway/requests') return sendJson(res, 200, this.requests);
      if (method === 'POST' && path === '/__gateway/scenario') {
        this.setScenario(String(input.name), options);
        return sendJson(res, 200, { scenario: this.defaultScenario, options });
      }
      if (method === 'POST' && path === '/__gateway/options') {
        this.setOptions(String(input.scenario), options);
        return sendJson(res, 200, { scenario: input.scenario, options });
      }
      if (method === 'POST' && path === '/__gateway/reset') {
        this.clear();
        return sendJson(res, 200, { status: 'ok' });
      }
      return sendError(res, 404, `Not Found: ${method} ${path}`);
    } catch (error) {
      return sendError(res, 400, error instanceof Error ? error.message : String(error));
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toolsOf(body: unknown): unknown[] | undefined {
  const tools = typeof body === 'object' && body !== null ? (body as { tools?: unknown }).tools : undefined;
  return Array.isArray(tools) ? tools : undefined;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The key of the request's `Authorization: Bearer` header ('' when there is none). */
function bearerKey(req: IncomingMessage): string {
  return /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
}

/** The 401 message for a request without a usable key, or undefined when the key is accepted. */
function checkAuth(req: IncomingMessage): string | undefined {
  const key = bearerKey(req);
  if (key === '') return 'No auth credentials found';
  if (key === 'bad-key') return 'User not found.';
  return undefined;
}

/** The fields the fake model uses, or the 400 message when the body is not a chat request. */
function parseChatRequest(body: unknown): ChatRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'Invalid JSON body';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return 'No models provided';
  if (!Array.isArray(b.messages)) return 'Input required: specify "prompt" or "messages"';
  const streamOptions = b.stream_options as { include_usage?: unknown } | null | undefined;
  const maxTokens = b.max_tokens ?? b.max_completion_tokens;
  if (maxTokens !== undefined && maxTokens !== null && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return 'max_tokens must be at least 1, got ' + JSON.stringify(maxTokens) + '.';
  }
  // OpenAI allows one string or a list of them.
  const stop = b.stop === undefined || b.stop === null ? [] : typeof b.stop === 'string' ? [b.stop] : b.stop;
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string')) return 'stop must be a string or a list of strings.';
  return {
    model: b.model,
    messages: b.messages,
    stream: b.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    stop: (stop as string[]).filter((s) => s !== ''),
    ...(Array.isArray(b.tools) && b.tools.length ? { tools: b.tools } : {}),
  };
}

/** Starts a gateway on 127.0.0.1 (a free port unless `init.port` is given). */
export async function startGateway(init: GatewayInit = {}): Promise<GatewayServer> {
  const gateway = new Gateway(init);
  await gateway.listen(init.port ?? 0, init.host ?? '127.0.0.1');
  return gateway;
}
