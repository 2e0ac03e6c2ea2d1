/**
 * The extension's settings as plain data: their schema (name, type, range, default, name on the
 * wire), validation of whatever the user wrote, and nothing else. The VS Code layer reads raw
 * values from the configuration and hands them here. Pure: no `vscode`, no DOM.
 */

import type { ThinkingMode } from '../../common/chat/model';

export type { ThinkingMode };

export interface Prices {
  /** Yuan per 1000 prompt tokens. */
  input: number;
  /** Yuan per 1000 completion tokens (reasoning included). */
  output: number;
}

/** Sampling parameters as the gateway names them; `undefined` = not sent. */
export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  repetition_penalty?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  min_p?: number;
  seed?: number;
}

export interface HunyuanSettings {
  baseUrl: string;
  model: string;
  thinking: ThinkingMode;
  maxTokens: number;
  sampling: SamplingParams;
  stop: string[];
  contextWindow: number;
  requestTimeoutSeconds: number;
  prices: Prices;
  extraBody: Record<string, unknown>;
  logPrompts: boolean;
}

type NumberSpec = {
  kind: 'number' | 'integer';
  /** The parameter's name in the request body, for sampling parameters. */
  wire?: keyof SamplingParams;
  min?: number;
  max?: number;
  default: number | null;
};

/** Numeric settings (suffix after `hunyuan.`), with the same ranges and defaults as package.json. */
export const NUMBER_SETTINGS = {
  temperature: { kind: 'number', wire: 'temperature', min: 0, max: 2, default: 0.7 },
  topP: { kind: 'number', wire: 'top_p', min: 0, max: 1, default: 0.8 },
  topK: { kind: 'integer', wire: 'top_k', min: 0, default: 20 },
  repetitionPenalty: { kind: 'number', wire: 'repetition_penalty', min: 0, max: 2, default: 1.05 },
  frequencyPenalty: { kind: 'number', wire: 'frequency_penalty', min: -2, max: 2, default: null },
  presencePenalty: { kind: 'number', wire: 'presence_penalty', min: -2, max: 2, default: null },
  minP: { kind: 'number', wire: 'min_p', min: 0, max: 1, default: null },
  seed: { kind: 'integer', wire: 'seed', default: null },
  maxTokens: { kind: 'integer', min: 1, max: 32768, default: 8192 },
  contextWindow: { kind: 'integer', min: 1024, max: 1048576, default: 32768 },
  requestTimeoutSeconds: { kind: 'integer', min: 5, max: 3600, default: 60 },
} as const satisfies Record<string, NumberSpec>;

export const DEFAULTS = {
  baseUrl: 'https://wcode.net/api/gpt/v1',
  model: 'tencent/hunyuan-a13b-instruct',
  thinking: 'slow' as ThinkingMode,
  stop: [] as string[],
  prices: { input: 0.0019, output: 0.0075 } as Prices,
  extraBody: {} as Record<string, unknown>,
  logPrompts: false,
};

export const MAX_STOP_SEQUENCES = 4;

/** Body fields `hunyuan.extraBody` may not override: they are the request itself. */
export const RESERVED_BODY_KEYS = ['model', 'messages', 'stream', 'stream_options'] as const;

/** Settings of the user interface, read by the VS Code layer itself (not request parameters). */
export const UI_SETTING_KEYS = [
  'chat.collapseThinking', 'explain.language', 'commitMessage.language',
  'context.projectRules', 'context.workspaceSearch', 'context.maxIndexedFiles',
] as const;

/** Every request setting this module reads, as `hunyuan.<key>`. */
export const SETTING_KEYS = [
  'baseUrl', 'model', 'thinking', ...Object.keys(NUMBER_SETTINGS), 'stop', 'prices', 'extraBody', 'debug.logPrompts',
] as const;

export type ProblemCode =
  | 'notNumber'
  | 'notInteger'
  | 'outOfRange'
  | 'notUrl'
  | 'notString'
  | 'notEnum'
  | 'notStringList'
  | 'tooMany'
  | 'notObject'
  | 'reservedKey'
  | 'notPrices';

/** One bad value, described as data so the VS Code layer can say it in the user's language. */
export interface SettingProblem {
  /** Full setting name, e.g. `hunyuan.temperature`. */
  setting: string;
  code: ProblemCode;
  value: unknown;
  min?: number;
  max?: number;
  /** Allowed values (enums) or offending keys (reservedKey). */
  items?: string[];
}

export interface ParsedSettings {
  settings: HunyuanSettings;
  problems: SettingProblem[];
}

/**
 * Validates raw values (as read from the configuration: `undefined` = unset) into settings.
 * A bad value is reported as a problem and replaced by its default, so callers can decide to
 * refuse the request with a clear message instead of crashing.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>): ParsedSettings {
  const problems: SettingProblem[] = [];
  const problem = (key: string, p: Omit<SettingProblem, 'setting'>) => problems.push({ setting: `hunyuan.${key}`, ...p });

  const num = (key: keyof typeof NUMBER_SETTINGS): number | undefined => {
    const spec: NumberSpec = NUMBER_SETTINGS[key];
    const value = raw[key];
    const fallback = spec.default ?? undefined;
    if (value === undefined) return fallback;
    // An explicit null (or an emptied field) means "not sent": the gateway's own default applies.
    if (value === null || value === '') return spec.wire ? undefined : fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      problem(key, { code: 'notNumber', value });
      return fallback;
    }
    if (spec.kind === 'integer' && !Number.isInteger(n)) {
      problem(key, { code: 'notInteger', value });
      return fallback;
    }
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      problem(key, { code: 'outOfRange', value, min: spec.min, max: spec.max });
      return fallback;
    }
    return n;
  };

  const sampling: SamplingParams = {};
  for (const key of Object.keys(NUMBER_SETTINGS) as (keyof typeof NUMBER_SETTINGS)[]) {
    const spec: NumberSpec = NUMBER_SETTINGS[key];
    if (!spec.wire) continue;
    const v = num(key);
    if (v !== undefined) sampling[spec.wire] = v;
  }

  let baseUrl = DEFAULTS.baseUrl;
  if (raw.baseUrl !== undefined && raw.baseUrl !== null && raw.baseUrl !== '') {
    const url = typeof raw.baseUrl === 'string' ? normalizeBaseUrl(raw.baseUrl) : undefined;
    if (url) baseUrl = url;
    else problem('baseUrl', { code: 'notUrl', value: raw.baseUrl });
  }

  let model = DEFAULTS.model;
  if (raw.model !== undefined && raw.model !== null && raw.model !== '') {
    if (typeof raw.model === 'string' && raw.model.trim()) model = raw.model.trim();
    else problem('model', { code: 'notString', value: raw.model });
  }

  let thinking = DEFAULTS.thinking;
  if (raw.thinking !== undefined && raw.thinking !== null) {
    if (raw.thinking === 'slow' || raw.thinking === 'fast') thinking = raw.thinking;
    else problem('thinking', { code: 'notEnum', value: raw.thinking, items: ['slow', 'fast'] });
  }

  let stop: string[] = [];
  if (raw.stop !== undefined && raw.stop !== null) {
    if (!Array.isArray(raw.stop) || raw.stop.some((s) => typeof s !== 'string')) {
      problem('stop', { code: 'notStringList', value: raw.stop });
    } else if (raw.stop.filter((s: string) => s !== '').length > MAX_STOP_SEQUENCES) {
      problem('stop', { code: 'tooMany', value: raw.stop, max: MAX_STOP_SEQUENCES });
    } else {
      stop = (raw.stop as string[]).filter((s) => s !== '');
    }
  }

  let prices = DEFAULTS.prices;
  if (raw.prices !== undefined && raw.prices !== null) {
    const p = raw.prices as Partial<Prices>;
    const ok = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
    if (typeof raw.prices !== 'object' || Array.isArray(raw.prices) || !ok(p.input) || !ok(p.output)) {
      problem('prices', { code: 'notPrices', value: raw.prices });
    } else {
      prices = { input: p.input ?? DEFAULTS.prices.input, output: p.output ?? DEFAULTS.prices.output };
    }
  }

  let extraBody: Record<string, unknown> = {};
  if (raw.extraBody !== undefined && raw.extraBody !== null) {
    if (typeof raw.extraBody !== 'object' || Array.isArray(raw.extraBody)) {
      problem('extraBody', { code: 'notObject', value: raw.extraBody });
    } else {
      const reserved = Object.keys(raw.extraBody).filter((k) => (RESERVED_BODY_KEYS as readonly string[]).includes(k));
      if (reserved.length) problem('extraBody', { code: 'reservedKey', value: raw.extraBody, items: reserved });
      extraBody = Object.fromEntries(
        Object.entries(raw.extraBody as Record<string, unknown>).filter(([k]) => !reserved.includes(k)),
      );
    }
  }

  const settings: HunyuanSettings = {
    baseUrl,
    model,
    thinking,
    maxTokens: num('maxTokens') ?? NUMBER_SETTINGS.maxTokens.default,
    sampling,
    stop,
    contextWindow: num('contextWindow') ?? NUMBER_SETTINGS.contextWindow.default,
    requestTimeoutSeconds: num('requestTimeoutSeconds') ?? NUMBER_SETTINGS.requestTimeoutSeconds.default,
    prices,
    extraBody,
    logPrompts: raw['debug.logPrompts'] === true,
  };
  return { settings, problems };
}

/** An http(s) URL without trailing slashes or a trailing `/chat/completions`, or undefined. */
export function normalizeBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined; // credentials never go in a URL
  let s = url.toString().replace(/\/+$/, '');
  s = s.replace(/\/chat\/completions$/, '');
  return s;
}
