export type { Broker, Subscription } from './broker.ts';
export { subjectMatches } from './broker.ts';
export { MemoryBroker } from './memory.ts';
