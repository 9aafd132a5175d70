import type { OpCase } from './authz.types.ts';

/** Stub until the cases of this area are written (the completeness test lists what is missing). */
export const opCases: OpCase[] = [];
