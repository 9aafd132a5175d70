/** Moments (战友圈): what the shells use of this feature. The screens load lazily from MomentsRoutes. */
export { MomentsDiscoverItem, useDiscoverDot } from './entries/MomentsDiscoverItem.tsx';
export { MomentsRailLink } from './entries/MomentsRailLink.tsx';
export { MOMENTS_PATH } from './feed/paths.ts';
