import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { customersMigrations } from '../index.js';
import { signingKeyStoreContract } from './signing-key-store.contract-test.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
describe.skipIf(!postgres.available)('postgres', () => {
  signingKeyStoreContract('postgresql', () => postgres.create([customersMigrations]));
});
