/**
 * The client's token estimate and context budget against the gateway test server, which counts
 * tokens its own way (test/gateway/tokenizer.ts, stricter than the real vocabulary) and refuses,
 * as vLLM does, any request whose prompt plus max_tokens exceeds the window. Prompts of many
 * shapes are built right up to the window (max_tokens lowered to fill it exactly, or history
 * dropped until it fits) and sent through the real client: none may be refused.
 */
import * as assert from 'node:assert/strict';
import { fitToContext } from '../../src/core/budget/contextBudget';
import { TokenCounter } from '../../src/core/budget/tokens';
import { chatSystemPrompt } from '../../src/core/chat/prompt';
import { HunyuanClient } from '../../src/core/hunyuan/client';
import { buildRequestBody } from '../../src/core/hunyuan/request';
import type { ChatMessage, StreamEvent } from '../../src/core/hunyuan/types';
import { parseSettings, type ThinkingMode } from '../../src/core/settings/settings';
import { startGateway, type GatewayServer } from '../gateway/server';

const WINDOW = 32768;
const MAX_TOKENS = 8192;

/** A small seeded generator (mulberry32), so every run builds the same prompts. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

const WORDS = ['the', 'model', 'streams', 'its', 'reasoning', 'first', 'then', 'answer', 'a', 'I', 'internationalization',
  'configuration', 'approximately', "doesn't", "it's", 'Hunyuan', 'tokenizer', 'window', 'of', 'and', 'never', 'sends',
  'back', 'gateway', 'characters', 'incomprehensibilities', 'x', 'we', 'OK', 'VS', 'Code'];
const IDENTS = ['getUserById', 'HTTPServer', 'parseJSON', 'i', 'j', 'n', 'value', 'XMLHttpRequest', 'fitToContext',
  'estimateTokens', 'a1', 'tmp2', 'IOError', 'ABc', '_private', '$el', 'snake_case_name'];
const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞';
const CJK_PUNCT = ['，', '。', '、', '！', '？', '：', '；', '“', '”', '（', '）', '《', '》'];
const EMOJI = ['😀', '🎉', '👍🏽', '✅', '❤️', '👨‍👩‍👧', '🇨🇳', '🚀', '✓', '→', '—', '…', '½', 'é', 'ß', 'ж'];

const SHAPES: Record<string, (rand: Rand) => string> = {
  'English prose': (rand) => {
    const words = Array.from({ length: int(rand, 6, 18) }, () => pick(rand, WORDS));
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}${pick(rand, ['.', ',', ';', '?', ' (see 3.2).'])} `;
  },
  'TypeScript code': (rand) => {
    const indent = ' '.repeat(2 * int(rand, 0, 4));
    const a = pick(rand, IDENTS);
    const b = pick(rand, IDENTS);
    return pick(rand, [
      `${indent}const ${a} = await ${b}.${pick(rand, IDENTS)}(${int(rand, 0, 99999)}, '${pick(rand, WORDS)}');\n`,
      `${indent}if (${a}.length > ${int(rand, 0, 512)} && !${b}) {\n`,
      `${indent}}\n`,
      `${indent}export function ${a}(${b}: string[], opts?: { retries: number }): Promise<void> {\n`,
      `${indent}// ${pick(rand, WORDS)} ${pick(rand, WORDS)}: ${pick(rand, WORDS)}\n`,
      `${indent}return ${a}?.[${int(rand, 0, 9)}] ?? ${b} ?? null;\n`,
      '\n',
    ]);
  },
  'CJK text': (rand) => {
    const run = Array.from({ length: int(rand, 4, 24) }, () => pick(rand, [...HAN])).join('');
    return `${run}${pick(rand, CJK_PUNCT)}`;
  },
  'mixed Chinese and code': (rand) => pick(rand, [
    `把 ${pick(rand, IDENTS)} 改成 async 的，`,
    `第 ${int(rand, 1, 400)} 行的 timeout 设为 ${int(rand, 100, 60000)} 毫秒。`,
    `${[...Array(int(rand, 2, 8))].map(() => pick(rand, [...HAN])).join('')}（${pick(rand, WORDS)}）`,
    `\`${pick(rand, IDENTS)}()\` 返回 ${pick(rand, ['null', 'undefined', '0', 'true'])}：`,
    '\n',
  ]),
  'emoji': (rand) => `${Array.from({ length: int(rand, 1, 6) }, () => pick(rand, EMOJI)).join('')}${pick(rand, [' ', ' ok ', '', '！', '\n'])}`,
  'long whitespace runs': (rand) => `${pick(rand, WORDS)}${pick(rand, [' ', '\t', '\n', '\r\n']).repeat(int(rand, 1, 300))}${pick(rand, ['', '1', '混', '{'])}`,
  'minified JSON': (rand) => JSON.stringify({
    id: int(rand, 0, 1e9), k: pick(rand, IDENTS), v: [int(rand, 0, 99), rand() > 0.5, null, rand().toFixed(4)], n: { a: 1, b: [2, 3] },
  }),
  'numbers and CSV': (rand) => `${int(rand, 0, 99999)},${rand().toFixed(6)},${int(rand, -999, 999)},2026-0${int(rand, 1, 9)}-1${int(rand, 0, 9)}\n`,
  'Markdown table': (rand) => `| ${int(rand, 0, 99)} | ${pick(rand, IDENTS)} | ${pick(rand, ['✓', '✗', '是', '否'])} | ${rand().toFixed(2)} |\n`,
};

/** Text of `shape` whose client estimate (margin included) reaches `tokens`. */
function textOf(shape: string, tokens: number, seed: number): string {
  const rand = random(seed);
  const counter = new TokenCounter();
  const parts: string[] = [];
  while (counter.tokens < tokens) {
    const part = SHAPES[shape]!(rand);
    parts.push(part);
    counter.push(part);
  }
  return parts.join('');
}

interface Sent {
  events: StreamEvent[];
  body: ReturnType<typeof buildRequestBody>;
  promptEstimate: number;
}

describe('context budget against the strict gateway test server', function () {
  this.timeout(60000);
  let gateway: GatewayServer;
  const { settings } = parseSettings({});
  const system: ChatMessage = { role: 'system', content: chatSystemPrompt({ displayLanguage: 'zh-cn', workspace: 'demo' }) };

  before(async () => { gateway = await startGateway(); });
  after(async () => { await gateway.close(); });

  /** Fits the conversation as the extension does and sends it through the real client. */
  async function send(history: ChatMessage[], user: string, budgetThinking: ThinkingMode | undefined, sentThinking: ThinkingMode): Promise<Sent> {
    const budget = fitToContext({ system, history, current: [{ role: 'user', content: user }], contextWindow: WINDOW, maxTokens: MAX_TOKENS, thinking: budgetThinking });
    assert.ok(budget.fits, 'the budget finds room');
    const body = buildRequestBody(settings, budget.messages, { maxTokens: budget.maxTokens, thinking: sentThinking });
    const client = new HunyuanClient({ baseUrl: gateway.baseUrl('plain'), apiKey: 'sk-budget', timeoutMs: 20000, idleTimeoutMs: 20000 });
    const events: StreamEvent[] = [];
    for await (const event of client.chat(body)) events.push(event);
    return { events, body, promptEstimate: budget.promptTokens };
  }

  function assertAccepted(sent: Sent, label: string): void {
    const error = sent.events.find((e) => e.type === 'error');
    assert.ok(!error, `${label}: refused: ${error?.type === 'error' ? error.error.message : ''}`);
    const request = gateway.lastRequest();
    const counted = request?.promptTokens ?? Number.NaN;
    assert.ok(counted <= sent.promptEstimate, `${label}: the gateway counted ${counted} prompt tokens, the client estimated ${sent.promptEstimate}`);
    // The test means something only if the request really was near the window.
    assert.ok(counted + sent.body.max_tokens >= 0.7 * WINDOW, `${label}: only ${counted} + ${sent.body.max_tokens} tokens`);
  }

  for (const [index, shape] of Object.keys(SHAPES).entries()) {
    it(`${shape}: a message that leaves less than max_tokens, max_tokens lowered to fill the window`, async () => {
      const user = textOf(shape, WINDOW - 2500, 100 + index);
      // slow thinking, and fast thinking with the budget not told (it counts /no_think anyway)
      for (const [budgetThinking, sentThinking] of [['slow', 'slow'], [undefined, 'fast']] as const) {
        const sent = await send([], user, budgetThinking, sentThinking);
        assert.equal(sent.promptEstimate + sent.body.max_tokens, WINDOW, 'the budget fills the window exactly');
        assert.ok(sent.body.max_tokens < MAX_TOKENS);
        assertAccepted(sent, `${shape} (${sentThinking})`);
      }
    });

    it(`${shape}: a long history, oldest turns dropped, in fast mode (the /no_think prefix counted)`, async () => {
      const history = Array.from({ length: 10 }, (_, turn) => [
        { role: 'user' as const, content: textOf(shape, 1800, 1000 * index + 2 * turn) },
        { role: 'assistant' as const, content: textOf(shape, 1500, 1000 * index + 2 * turn + 1) },
      ]).flat();
      const sent = await send(history, textOf(shape, 2000, 999 + index), undefined, 'fast');
      assert.ok(sent.body.messages.length < history.length + 2, 'some history was dropped');
      assert.ok(sent.body.messages.at(-1)?.content.startsWith('/no_think '));
      assertAccepted(sent, shape);
    });
  }
});
