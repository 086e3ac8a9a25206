import type { PreviewSite, PreviewSites } from '../../previews/preview-sites.ts';

/** FAKE router entries of previews: host → port by environment, each change written to the journal. */
export class FakePreviewSites implements PreviewSites {
  readonly sites = new Map<string, PreviewSite>();
  #journal: string[];

  constructor(journal: string[]) {
    this.#journal = journal;
  }

  describe(): string {
    return 'fake nginx preview server blocks';
  }

  async put(site: PreviewSite): Promise<void> {
    this.#journal.push(`site put ${site.environment} ${site.host} -> ${site.port}`);
    this.sites.set(site.environment, { ...site });
  }

  async remove(_app: string, environment: string): Promise<void> {
    this.#journal.push(`site remove ${environment}`);
    this.sites.delete(environment);
  }
}
