/** Cost of a request in yuan, from its usage and the per-1000-token prices. Pure. */
import type { Prices } from '../settings/settings';
import type { Usage } from '../hunyuan/types';

export function costYuan(usage: Pick<Usage, 'promptTokens' | 'completionTokens'>, prices: Prices): number {
  return (usage.promptTokens / 1000) * prices.input + (usage.completionTokens / 1000) * prices.output;
}

export { formatYuan } from '../../common/format';

/**
 * A typical answer's length in tokens, thinking included, for the cost shown before sending: a
 * rough middle of chat answers (slow thinking writes its reasoning first, which costs as output).
 * Capped by max_tokens where it is used.
 */
export const TYPICAL_ANSWER_TOKENS = { slow: 1500, fast: 500 } as const;
