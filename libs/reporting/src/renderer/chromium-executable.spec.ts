import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headlessModeFor, resolveChromiumExecutable, SYSTEM_CHROMIUM_PATHS } from './chromium-executable';
import { ChromiumNotFoundError } from './renderer.errors';

function executable(path: string): string {
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveChromiumExecutable', () => {
  const root = mkdtempSync(join(tmpdir(), 'chromium-lookup-'));

  it('prefers the configured path when it exists', () => {
    const configured = executable(join(root, 'my-chrome'));
    expect(resolveChromiumExecutable(configured, { systemPaths: [], homeDir: root })).toBe(configured);
  });

  it("falls back to a system path, then to the newest browser in Puppeteer's cache", () => {
    const system = executable(join(root, 'system-chromium'));
    expect(resolveChromiumExecutable(join(root, 'missing'), { systemPaths: [system], homeDir: root })).toBe(system);

    const home = mkdtempSync(join(tmpdir(), 'chromium-home-'));
    for (const version of ['linux-120.0.1', 'linux-131.0.2']) {
      mkdirSync(join(home, '.cache/puppeteer/chrome', version, 'chrome-linux64'), { recursive: true });
      executable(join(home, '.cache/puppeteer/chrome', version, 'chrome-linux64/chrome'));
    }
    expect(resolveChromiumExecutable(undefined, { systemPaths: [join(root, 'nope')], homeDir: home })).toBe(
      join(home, '.cache/puppeteer/chrome/linux-131.0.2/chrome-linux64/chrome'),
    );
  });

  it('throws an error that lists what was tried and how to fix it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'chromium-empty-'));
    const lookup = (): string => resolveChromiumExecutable('/opt/nothing/chrome', { systemPaths: ['/usr/bin/not-a-chromium'], homeDir: empty });
    expect(lookup).toThrow(ChromiumNotFoundError);
    expect(lookup).toThrow(/\/opt\/nothing\/chrome, \/usr\/bin\/not-a-chromium, .*\.cache\/puppeteer\/chrome.*apt-get install -y chromium.*CHROMIUM_PATH/);
  });

  it("prefers Debian's headless shell to the full browser among system paths", () => {
    expect(SYSTEM_CHROMIUM_PATHS.indexOf('/usr/lib/chromium/chromium-headless-shell')).toBeLessThan(SYSTEM_CHROMIUM_PATHS.indexOf('/usr/bin/chromium'));
  });
});

describe('headlessModeFor', () => {
  it('launches a headless shell in shell mode and a full browser in the new headless mode', () => {
    expect(headlessModeFor('/usr/bin/chromium-headless-shell')).toBe('shell');
    expect(headlessModeFor('/home/me/.cache/puppeteer/chrome-headless-shell/linux-131/chrome-headless-shell-linux64/chrome-headless-shell')).toBe('shell');
    expect(headlessModeFor('/usr/bin/chromium')).toBe(true);
    expect(headlessModeFor('/opt/headless-shell-fan/chrome')).toBe(true);
  });
});
