/**
 * Timeouts sized for a loaded machine: the suite must hold while a benchmark (or another
 * engineer's run) keeps both cores busy, when booting the API or launching Chromium takes
 * several times what it takes on an idle machine. Jest's 5-second default is far too short for
 * any of them. Generous limits cost nothing when all goes well: they only bound a hang.
 */

/** Default of every e2e test and hook (set by e2e-timeouts.setup.ts). */
export const E2E_TEST_TIMEOUT_MS = 60_000;

/** Booting a Nest application (the API or the worker, with its pool and pg-boss) and listening. */
export const APP_BOOT_TIMEOUT_MS = 60_000;

/** Closing what a suite started: apps (pg-boss stops gracefully), Chromium, pools, SMTP peers. */
export const TEARDOWN_TIMEOUT_MS = 30_000;

/** Launching Chromium and rendering a first PDF with it. */
export const BROWSER_TIMEOUT_MS = 60_000;

/** A test that renders one or a few reports through the real pipeline (snapshot, Chromium, storage). */
export const RENDER_TEST_TIMEOUT_MS = 120_000;

/** A beforeAll that boots the API, seeds a client and renders a first report with Chromium. */
export const REPORT_SETUP_TIMEOUT_MS = 180_000;

/** Starting a loopback peer (SMTP sink, fake HTTP server). */
export const PEER_TIMEOUT_MS = 15_000;
