/** Cost of a request in yuan, from its usage and the per-1000-token prices. Pure. */
import type { Prices } from '../settings/settings';
import type { Usage } from '../hunyuan/types';

export function costYuan(usage: Pick<Usage, 'promptTokens' | 'completionTokens'>, prices: Prices): number {
  return (usage.promptTokens / 1000) * prices.input + (usage.completionTokens / 1000) * prices.output;
}

export { formatYuan } from '../../common/format';
