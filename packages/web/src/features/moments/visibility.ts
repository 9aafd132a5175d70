import type { MomentVisibility } from '@zhixin/protocol';

/** The visibilities a post may have (R-W1), in the order the pickers show them. */
export const VISIBILITIES: readonly MomentVisibility[] = ['everyone', 'friends', 'self'];
