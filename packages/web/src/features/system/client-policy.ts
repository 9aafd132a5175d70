import { create } from 'zustand';
import { client } from '../../app/client.ts';
import { DEFAULT_WATERMARK_TEMPLATE } from '../../watermark/template.ts';

interface ClientPolicyState {
  watermarkTemplate: string;
  recallWindowSeconds: number | null;
}

/** The runtime settings every signed-in client applies (system.clientPolicy). */
export const useClientPolicy = create<ClientPolicyState>(() => ({
  watermarkTemplate: DEFAULT_WATERMARK_TEMPLATE,
  recallWindowSeconds: null,
}));

/** Fetch the policy (after sign-in, and again when an administrator saved new settings). */
export async function refreshClientPolicy(): Promise<void> {
  const policy = await client.system.clientPolicy();
  useClientPolicy.setState(policy);
}
