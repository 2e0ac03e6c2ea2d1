/** Cost of a request in yuan, from its usage and the per-1000-token prices. Pure. */
import type { Prices } from '../settings/settings';
import type { Usage } from '../hunyuan/types';

export function costYuan(usage: Pick<Usage, 'promptTokens' | 'completionTokens'>, prices: Prices): number {
  return (usage.promptTokens / 1000) * prices.input + (usage.completionTokens / 1000) * prices.output;
}

/** `¥0.0042`: four decimals below one yuan (typical requests cost fractions of a fen), two above. */
export function formatYuan(amount: number): string {
  if (!Number.isFinite(amount) || amount < 0) return '¥—';
  return amount >= 1 ? `¥${amount.toFixed(2)}` : `¥${amount.toFixed(4)}`;
}
