import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ChromiumNotFoundError } from './renderer.errors';

/**
 * System browsers first (`npm install puppeteer` cannot download one here): Debian's headless
 * shell (`chromium-headless-shell`, the same engine without the browser's UI layers: ~25 % less
 * CPU per report in bench:reports, identical PDFs), then Debian's `chromium`, then Chrome.
 * The shell's binary, not `/usr/bin/chromium-headless-shell`: that wrapper script runs it as a
 * child without `exec`, so the process Puppeteer holds (and kills, and watches for crashes)
 * would not be the browser.
 */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
] as const;

/**
 * Puppeteer's `headless` mode for an executable: `'shell'` for a headless shell (it has no
 * other mode), the new headless mode of a full browser otherwise.
 */
export function headlessModeFor(executablePath: string): true | 'shell' {
  return /headless[-_]shell/.test(executablePath.split('/').pop() ?? '') ? 'shell' : true;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `~/.cache/puppeteer/chrome/<version>/chrome-linux64/chrome`, newest version first. */
function puppeteerCacheCandidates(home: string): string[] {
  const root = join(home, '.cache', 'puppeteer', 'chrome');
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return [join(root, '*', 'chrome-linux64', 'chrome')];
  }
  const candidates = versions
    .sort((left, right) => right.localeCompare(left, 'en', { numeric: true }))
    .map((version) => join(root, version, 'chrome-linux64', 'chrome'));
  return candidates.length > 0 ? candidates : [join(root, '*', 'chrome-linux64', 'chrome')];
}

export interface ChromiumLookupOptions {
  /** Home directory holding Puppeteer's cache; the current user's by default. */
  readonly homeDir?: string;
  /** System paths to try; the usual Linux ones by default. */
  readonly systemPaths?: readonly string[];
}

/**
 * The Chromium executable to launch: the configured path (the caller passes CHROMIUM_PATH)
 * when it exists, else a system Chromium/Chrome, else Puppeteer's download cache. Throws
 * ChromiumNotFoundError naming every path tried and how to fix it.
 */
export function resolveChromiumExecutable(configured?: string, options: ChromiumLookupOptions = {}): string {
  const tried: string[] = [];
  const candidates = [
    ...(configured !== undefined && configured.trim() !== '' ? [configured.trim()] : []),
    ...(options.systemPaths ?? SYSTEM_CHROMIUM_PATHS),
    ...puppeteerCacheCandidates(options.homeDir ?? homedir()),
  ];
  for (const candidate of candidates) {
    if (isExecutableFile(candidate)) return candidate;
    tried.push(candidate);
  }
  throw new ChromiumNotFoundError(tried);
}
