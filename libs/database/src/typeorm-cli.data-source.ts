import 'reflect-metadata';
import { createDataSource } from './data-source';

/**
 * DataSource for the TypeORM CLI (`npm run migration:generate -- <Name>`, `migration:run`).
 * Uses DATABASE_OWNER_URL, then DATABASE_URL.
 */
const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_OWNER_URL or DATABASE_URL to run the TypeORM CLI');

export const cliDataSource = createDataSource({ url, poolSize: 1, applicationName: 'pilotage-cli' });
