/*
 * The fake platforms of test/support/fakes in a process of their own, for bench:sync: a real
 * platform answers from elsewhere, so the fakes' own work (generating and serializing rows) must
 * not take turns with the sync engine on its event loop. Driven over the IPC channel of `fork`.
 */
import type { ConnectionTokens } from '@pilotage/connectors';
import { startPlatformFakes, type PlatformFakesOptions } from '../../test/support/fakes/platform-fakes';

/** A question the bench asks (answered with the same id). */
export type FakesQuestion = { readonly type: 'tokens'; readonly platform: 'GOOGLE' | 'META' } | { readonly type: 'requests' };

/** What the bench sends. */
export type FakesCommand = (FakesQuestion & { readonly id: number }) | { readonly type: 'close' };

/** What this process answers. */
export type FakesReply =
  | { readonly type: 'ready'; readonly origin: string; readonly env: Record<string, string> }
  | { readonly type: 'tokens'; readonly id: number; readonly tokens: ConnectionTokens }
  | { readonly type: 'requests'; readonly id: number; readonly count: number };

export interface FakesProcessOptions {
  readonly start: PlatformFakesOptions;
  readonly metaPageSize: number;
}

function reply(message: FakesReply): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.PILOTAGE_FAKES_OPTIONS ?? '{}') as FakesProcessOptions;
  const fakes = await startPlatformFakes(options.start);
  fakes.meta.pageSize = options.metaPageSize;
  process.on('message', (command: FakesCommand) => {
    if (command.type === 'close') {
      void fakes.close().then(() => process.exit(0));
    } else if (command.type === 'requests') {
      reply({ type: 'requests', id: command.id, count: fakes.requests.length });
    } else if (command.platform === 'GOOGLE') {
      reply({ type: 'tokens', id: command.id, tokens: fakes.google.identity.issueTokens() });
    } else {
      const meta = fakes.meta.issueTokens();
      reply({ type: 'tokens', id: command.id, tokens: { accessToken: meta.accessToken, refreshToken: null, expiresAt: meta.expiresAt, scopes: ['ads_read'] } });
    }
  });
  process.on('disconnect', () => void fakes.close().then(() => process.exit(0)));
  reply({ type: 'ready', origin: fakes.origin, env: fakes.env });
}

void main();
