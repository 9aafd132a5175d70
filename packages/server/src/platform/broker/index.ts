export type { Broker, Subscription } from './broker.ts';
export { subjectMatches } from './broker.ts';
export { MemoryBroker } from './memory.ts';
export { SharedCache, type SharedCacheOptions } from './shared-cache.ts';
