export { Keyring } from './keyring.ts';
export type { KeyringOptions } from './keyring.ts';
export type { Kek } from './master.ts';
export type { KeyHolder, KeyHolders, KeyStore, KeyPurpose, StoredKey } from './keystore.ts';
export { KeyStoreRepo } from './keystore.repo.ts';
export { resolveCustodians } from './custodians.ts';
export type { CustodianPasswords } from './custodians.ts';
