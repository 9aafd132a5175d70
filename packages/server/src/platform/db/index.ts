export { openDatabase, migrateToLatest, isUniqueViolation } from './database.ts';
export type { Database, Dialect, DatabaseOptions } from './database.ts';
export type { DB } from './schema.ts';
export {
  MAX_PADDED,
  columnArrays,
  padded,
  paddedKeyParts,
  paddedSize,
  placeholderTuples,
  unnestInsert,
  unnestParams,
} from './batches.ts';
export { keepPrepared } from './prepared-statements.ts';
export { writeTransaction } from './write-transaction.ts';
export { DurabilityError } from './wal-durability.ts';
