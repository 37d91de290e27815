import { databaseAdapters } from '../../../../test/support/databases.js';
import { customersMigrations } from '../index.js';
import { signingKeyStoreContract } from './signing-key-store.contract-test.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;
signingKeyStoreContract('pglite', () => pglite.create([customersMigrations]));
