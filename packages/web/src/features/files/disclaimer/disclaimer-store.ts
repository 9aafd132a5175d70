import type { Disclaimer, FilePolicy } from '@zhixin/protocol';
import { create } from 'zustand';
import { client } from '../../../app/client.ts';
import { disclaimerApplies } from './applies.ts';

let lastPolicy: FilePolicy | null = null;

/**
 * The file policy, asked for at every send so an operator's change applies at once; when the
 * server cannot be reached, the last one seen.
 */
export async function filePolicy(): Promise<FilePolicy> {
  try {
    lastPolicy = await client.call('files.policy', {});
  } catch (err) {
    if (!lastPolicy) throw err;
  }
  return lastPolicy;
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
export async function confirmDisclaimer(
  disclaimer: Disclaimer,
  selfChat: boolean,
): Promise<number | null | false> {
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
