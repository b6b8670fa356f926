import { join } from 'node:path';
import { loadConfig, register } from 'tsconfig-paths';

// The global setup runs outside Jest's module registry, where moduleNameMapper does not apply,
// and the libs it imports import each other as @pilotage/<name> (libs/database imports
// @pilotage/common): resolve those through tsconfig.json's paths, as the start scripts do.
const config = loadConfig(join(__dirname, '..', '..'));
if (config.resultType === 'failed') throw new Error(`tsconfig.json: ${config.message}`);
register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
