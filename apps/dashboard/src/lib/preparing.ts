import type { RefreshState } from '@ncms/platform';

/**
 * What a reader is told while a year has no analytics tables yet: which year the refresh is
 * computing, or that none has been built. The API's 503 and the pages' empty state say the same.
 */
export function preparingMessage(p: RefreshState | null): string {
  if (!p) return '分析表尚未生成，请稍后再试或联系管理员 (analytics tables not prepared yet)';
  const step = p.year === null ? '' : `${p.year} 年计算中（${p.index + 1}/${p.total}），`;
  return `分析表正在生成：${step}完成后即可查看，请稍后再试 (analytics tables are being prepared)`;
}
