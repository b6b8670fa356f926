import { closeLeftovers } from './test-resources';
import { E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from './timeouts';

// `testTimeout` inside a Jest project is ignored (Jest reads it from the global config only),
// so the e2e default is set here, for the e2e project alone.
jest.setTimeout(E2E_TEST_TIMEOUT_MS);

// Runs after each file's own afterAll hooks: closes an app whose boot outlived a timeout, or
// that a failing hook left open, before Jest tears the environment down.
afterAll(closeLeftovers, TEARDOWN_TIMEOUT_MS);
