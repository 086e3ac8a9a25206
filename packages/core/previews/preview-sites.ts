/** One preview's router entry: requests for `host` go to the preview's port on 127.0.0.1. */
export interface PreviewSite {
  app: string;
  environment: string;
  host: string;
  port: number;
}

/**
 * The router entries of previews (an nginx server block per preview today). Adapters implement it;
 * put() and remove() leave the router's previous config in place when it refuses the change.
 */
export interface PreviewSites {
  describe(): string;
  put(site: PreviewSite): Promise<void>;
  /** Removing an entry that is not there is not an error. */
  remove(app: string, environment: string): Promise<void>;
}
