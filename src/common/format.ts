/** Number formatting shared by the extension and the webview. Pure. */

/** `¥0.0042`: four decimals below one yuan (a request costs fractions of a fen), two above. */
export function formatYuan(amount: number): string {
  if (!Number.isFinite(amount) || amount < 0) return '¥—';
  return amount >= 1 ? `¥${amount.toFixed(2)}` : `¥${amount.toFixed(4)}`;
}
