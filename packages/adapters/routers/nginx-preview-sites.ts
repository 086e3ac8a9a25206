import { join } from 'node:path';
import { ActionFailure, errorMessage, invalidValue } from '../../core/errors.ts';
import type { PreviewSite, PreviewSites } from '../../core/previews/preview-sites.ts';
import { NginxControl } from './nginx-control.ts';
import { parseNginxEndpoint, type NginxEndpoint } from './nginx-endpoint.ts';
import { localSystem, type HostSystem } from '../host/host-system.ts';

const LISTEN = /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?\d{1,5}$/;

/**
 * A preview's router entry on nginx: one server block file per preview in a directory the suite owns,
 * which the user's nginx.conf includes inside `http { include /etc/nginx/sidhe-previews/*.conf; }`.
 * Each change is an atomic write, `nginx -T`, then a graceful reload; a file nginx refuses is never
 * left in place. Endpoint: `file:///etc/nginx/sidhe-previews/?conf=/etc/nginx/nginx.conf` (a directory).
 */
export class NginxPreviewSites implements PreviewSites {
  readonly #endpoint: NginxEndpoint;
  readonly #directory: string;
  readonly #listen: string;
  readonly #control: NginxControl;
  readonly #system: HostSystem;

  constructor(raw: string, listen: string, system: HostSystem = localSystem) {
    this.#endpoint = parseNginxEndpoint(raw, 'previews');
    if (!raw.split('?')[0]!.endsWith('/'))
      throw invalidValue(
        'preview-router-endpoint',
        raw,
        'give the directory of the preview server blocks, ending in /, e.g. file:///etc/nginx/sidhe-previews/',
      );
    if (!LISTEN.test(listen)) throw invalidValue('previews.listen', listen, 'use a port or address:port, e.g. 80 or 127.0.0.1:8080');
    this.#directory = this.#endpoint.upstreamFile.replace(/[^/]*$/, '');
    this.#listen = listen;
    this.#system = system;
    this.#control = new NginxControl(this.#endpoint, system);
  }

  describe(): string {
    return `nginx preview server blocks in ${this.#directory}`;
  }

  async put(site: PreviewSite): Promise<void> {
    await this.#change(this.#file(site.app, site.environment), render(site, this.#listen), `route ${site.host} to port ${site.port}`);
  }

  async remove(app: string, environment: string): Promise<void> {
    await this.#change(this.#file(app, environment), undefined, `remove the entry of ${environment}`);
  }

  #file(app: string, environment: string): string {
    return join(this.#directory, `sidhe-preview-${app}.${environment}.conf`);
  }

  /** Writes (or removes) one file, then test and reload; puts the old content back when nginx refuses. */
  async #change(file: string, content: string | undefined, what: string): Promise<void> {
    const previous = await this.#system.readFile(file).catch((error: unknown) => {
      throw new ActionFailure(`${this.describe()}: cannot read ${file}: ${errorMessage(error)}`);
    });
    if (previous === content) return;
    if (content === undefined) await this.#system.removeFile(file);
    else await this.#system.writeFileAtomic(file, content);
    try {
      const dump = await this.#control.test(`the nginx config test (nginx -T) rejected ${file}`);
      await this.#control.reload(dump);
    } catch (error) {
      const restore = previous === undefined ? this.#system.removeFile(file) : this.#system.writeFileAtomic(file, previous);
      const restored = await restore.then(
        () => 'the previous file was put back',
        (restoreError: unknown) => `putting the previous file back failed too (${errorMessage(restoreError)})`,
      );
      throw new ActionFailure(`${this.describe()}: could not ${what}: ${errorMessage(error)}; ${restored}`);
    }
  }
}

function render(site: PreviewSite, listen: string): string {
  return [
    `# Written by sidhe/devops for preview ${site.environment} of ${site.app}; \`teardown\` removes it. Do not edit.`,
    'server {',
    `  listen ${listen};`,
    `  server_name ${site.host};`,
    '  location / {',
    `    proxy_pass http://127.0.0.1:${site.port};`,
    '    proxy_set_header Host $host;',
    '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '  }',
    '}',
    '',
  ].join('\n');
}
