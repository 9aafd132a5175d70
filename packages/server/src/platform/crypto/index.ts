export { Keyring } from './keyring.ts';
export type { KeyStore, KeyPurpose } from './keyring.ts';
export { KeyStoreRepo } from './keystore.repo.ts';
export { resolveCustodians } from './custodians.ts';
export type { CustodianPasswords } from './custodians.ts';
