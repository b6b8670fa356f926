import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import type { DataProvider } from '@pilotage/database';
import type { DataProviderConnector, DataProviderFactory } from '../provider.types';
import { ga4Provider } from './ga4.provider';
import { googleAdsProvider } from './google-ads.provider';
import { searchConsoleProvider } from './search-console.provider';

/** Every platform Pilotage pulls from. One line per provider. */
const PROVIDER_FACTORIES: readonly DataProviderFactory[] = [ga4Provider, googleAdsProvider, searchConsoleProvider];

/** The providers of this process, built once from the configuration (one ProviderHttp, so one rate limit, per platform). */
@Injectable()
export class ProviderRegistry {
  private readonly providers: ReadonlyMap<DataProvider, DataProviderConnector>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.providers = new Map(PROVIDER_FACTORIES.map((factory) => factory(config.connectors)).map((provider) => [provider.provider, provider]));
  }

  get(provider: DataProvider): DataProviderConnector {
    const found = this.providers.get(provider);
    if (found === undefined) throw new Error(`No connector for ${provider}`);
    return found;
  }

  all(): readonly DataProviderConnector[] {
    return [...this.providers.values()];
  }
}
