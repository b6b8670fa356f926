import DataLoader from 'dataloader';

/**
 * The DataLoaders of one GraphQL request, created lazily by name. A field resolved for every
 * item of a list (`clients { edges { node { activePlan } } }`) then costs one batched query for
 * the page instead of one per item. Per request, so nothing is cached across users or tenants.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  get<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.loaders.get(name) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>((keys) => batch(keys), { maxBatchSize: 100 });
      this.loaders.set(name, loader);
    }
    return loader;
  }
}
