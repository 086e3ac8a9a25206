import { parseEnum } from '../../core/inputs/scalars.ts';
import type { ImageRegistry } from '../../core/images/index.ts';
import { GhcrRegistry } from './ghcr-registry.ts';
import { OciRegistry } from './oci-registry.ts';
import type { Credentials } from './registry-auth.ts';

export const REGISTRY_TYPES = ['auto', 'oci', 'ghcr'] as const;

export interface RegistrySettings {
  /** `auto` (GHCR for ghcr.io, the OCI Distribution API for any other host), `oci` or `ghcr`. */
  type: string;
  host: string;
  credentials?: Credentials;
  /** GitHub's API, for the GHCR path. */
  githubApiUrl: string;
}

/** The one place that knows every registry kind: settings in, an ImageRegistry out. */
export function createRegistry(settings: RegistrySettings): ImageRegistry {
  const type = parseEnum('registry-type', settings.type, REGISTRY_TYPES);
  const oci = new OciRegistry({ host: settings.host, ...(settings.credentials ? { credentials: settings.credentials } : {}) });
  const ghcr = type === 'ghcr' || (type === 'auto' && settings.host === 'ghcr.io');
  if (!ghcr) return oci;
  return new GhcrRegistry({ apiUrl: settings.githubApiUrl || 'https://api.github.com', token: settings.credentials?.password ?? '', oci });
}
