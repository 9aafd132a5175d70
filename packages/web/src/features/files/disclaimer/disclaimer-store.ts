import type { Disclaimer, FilePolicy } from '@zhixin/protocol';
import { create } from 'zustand';
import { client } from '../../../app/client.ts';
import { disclaimerApplies } from './applies.ts';

/** The policy changes rarely; a minute-old copy is fine for deciding whether to ask. */
const POLICY_TTL_MS = 60_000;
let policy: { value: FilePolicy; at: number } | null = null;

export async function filePolicy(fresh = false): Promise<FilePolicy> {
  if (!fresh && policy && Date.now() - policy.at < POLICY_TTL_MS) return policy.value;
  const value = await client.call('files.policy', {});
  policy = { value, at: Date.now() };
  return value;
}

interface Question {
  disclaimer: Disclaimer;
  answer: (accepted: boolean) => void;
}

/** The question on screen (one at a time; DisclaimerDialog shows it). */
export const useDisclaimerQuestion = create<{ current: Question | null }>(() => ({ current: null }));

/**
 * Ask the user to accept the operator's disclaimer when it applies to this chat. Resolves with the
 * accepted version, null when it does not apply, or false when the user cancelled the send.
 */
export async function confirmDisclaimer(selfChat: boolean, fresh = false): Promise<number | null | false> {
  const { disclaimer } = await filePolicy(fresh);
  if (!disclaimerApplies(disclaimer, selfChat)) return null;
  const accepted = await new Promise<boolean>((resolve) => {
    useDisclaimerQuestion.getState().current?.answer(false);
    useDisclaimerQuestion.setState({ current: { disclaimer, answer: resolve } });
  });
  useDisclaimerQuestion.setState({ current: null });
  return accepted ? disclaimer.version : false;
}

/** Answer the question on screen. */
export function answerDisclaimer(accepted: boolean): void {
  useDisclaimerQuestion.getState().current?.answer(accepted);
}
