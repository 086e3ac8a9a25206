/**
 * Pushes small but complete OCI images straight through the Distribution API (one layer, a config
 * with labels and `created`, a manifest), so a test or the benchmark can fill a real registry with
 * hundreds of tags without building each one with Docker.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MANIFEST_TYPES, registryBaseUrl } from '../oci-registry.ts';

export interface TestImage {
  /** Distinguishes images: each seed gives a different layer, so a different digest. */
  seed: string;
  labels?: Record<string, string>;
  created?: Date;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A one-file tar archive (ustar), enough for a valid layer. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export async function uploadBlob(host: string, repository: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const base = registryBaseUrl(host);
  const digest = sha256(bytes);
  const started = await check(await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers }), `starting an upload to ${repository}`);
  const location = new URL(started.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  await check(
    await fetch(location, { method: 'PUT', body: new Uint8Array(bytes), headers: { ...headers, 'content-type': 'application/octet-stream' } }),
    `uploading ${digest}`,
  );
  return digest;
}

export async function putManifest(
  host: string,
  repository: string,
  reference: string,
  manifest: object,
  headers: Record<string, string> = {},
): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const mediaType = (manifest as { mediaType: string }).mediaType;
  await check(
    await fetch(`${registryBaseUrl(host)}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: { ...headers, 'content-type': mediaType },
    }),
    `putting ${repository}:${reference}`,
  );
  return sha256(body);
}

/** Pushes an image under each tag; returns its manifest digest. */
export async function pushTestImage(
  host: string,
  repository: string,
  tags: readonly string[],
  image: TestImage,
  headers: Record<string, string> = {},
): Promise<string> {
  const layer = gzipSync(tarOf('seed.txt', Buffer.from(`${image.seed}\n`)));
  const diffId = sha256(Buffer.from(tarOf('seed.txt', Buffer.from(`${image.seed}\n`))));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: (image.created ?? new Date()).toISOString(),
      config: { Labels: image.labels ?? {} },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const [layerDigest, configDigest] = [await uploadBlob(host, repository, layer, headers), await uploadBlob(host, repository, config, headers)];
  const manifest = {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  };
  let digest = '';
  for (const tag of tags) digest = await putManifest(host, repository, tag, manifest, headers);
  return digest;
}

/** Pushes a multi-architecture index listing the given manifests under a tag. */
export async function pushTestIndex(host: string, repository: string, tag: string, children: readonly string[]): Promise<string> {
  const manifests = children.map((digest, i) => ({
    mediaType: MANIFEST_TYPES.ociManifest,
    digest,
    size: 0,
    platform: { architecture: i === 0 ? 'amd64' : 'arm64', os: 'linux' },
  }));
  // Sizes must match for a registry that checks them; read them back.
  for (const m of manifests) {
    const head = await fetch(`${registryBaseUrl(host)}/v2/${repository}/manifests/${m.digest}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES.ociManifest },
    });
    m.size = Number(head.headers.get('content-length'));
  }
  return putManifest(host, repository, tag, { schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests });
}
