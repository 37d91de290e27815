import { databaseAdapters } from '../../../../test/support/databases.js';
import { customersMigrations } from '../index.js';
import { customerStoreContract } from './customer-store.contract-test.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;
customerStoreContract('pglite', () => pglite.create([customersMigrations]));
