import type { Disclaimer } from '@zhixin/protocol';

/** Whether sending a file in this chat needs the cross-terminal disclaimer (R-T1). */
export function disclaimerApplies(d: Disclaimer, selfChat: boolean): boolean {
  if (!d.enabled) return false;
  return d.scope === 'allFiles' || selfChat;
}
