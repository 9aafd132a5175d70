/** Moments (战友圈): what the shells use of this feature. The screens load lazily from MomentsRoutes. */
export { useMomentsDot } from './moments-live.ts';
export { MOMENTS_PATH } from './feed/paths.ts';
