/**
 * What retention needs of a registry. Adapters: the OCI Distribution API (any registry) and GHCR
 * through GitHub's Packages API (packages/adapters/registry).
 */
export interface RegistryImage {
  /** The manifest's digest: what a delete removes, with every tag on it. */
  digest: string;
  tags: string[];
  /** When the image was built (its config's `created`) or pushed (GHCR); its OCI created label wins over both. */
  created?: Date;
  /** The image config's labels; for a multi-architecture index, those of its first image. */
  labels: Record<string, string>;
  /** For a multi-architecture index: the digests of the manifests it lists. */
  children: string[];
  /** The registry's own id for the image, when it deletes by that (GHCR's package version id). */
  registryId?: string;
}

export interface ImageRegistry {
  /** e.g. `registry 127.0.0.1:15000`, for messages. */
  describe(): string;
  /** Every tagged manifest of a repository, one entry per digest. */
  listImages(repository: string): Promise<RegistryImage[]>;
  /** Deletes the manifest (and so every tag on it). */
  deleteImage(repository: string, image: RegistryImage): Promise<void>;
  /** HTTP requests made so far, for the benchmark and the summary. */
  readonly requests: number;
}
