import { Controller, Get, HttpCode, Inject, type OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { Pool } from 'pg';
import { Public } from '../auth/auth.guard';

/** Nest token of the database URL /health pings on its own connection. */
export const HEALTH_DATABASE_URL = Symbol('HEALTH_DATABASE_URL');

/**
 * Liveness and readiness: the API answers and its database answers. The ping has its own
 * connection, not the request pool: when heavy requests fill the pool (up to its size in
 * transactions, each bounded by statement_timeout), the API is busy, not down, and a load
 * balancer must not take it out of rotation for that.
 */
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(@Inject(HEALTH_DATABASE_URL) databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'pilotage-api-health', connectionTimeoutMillis: 5_000 });
    // An idle connection the server closed is replaced on the next check; nothing to report here.
    this.pool.on('error', () => undefined);
  }

  @Public()
  @Get()
  @HttpCode(200)
  async check(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await this.pool.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'error', database: 'down' });
    }
    return { status: 'ok', database: 'up' };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
