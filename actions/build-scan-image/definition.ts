import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, dockerHostInput, eventsRedisUrlInput } from '../shared-inputs.ts';

export const buildScanImage = defineAction({
  name: 'build-scan-image',
  title: 'SIDHE build and scan image',
  description:
    'Builds a Docker image with OCI labels and tags, scans it for vulnerabilities and secrets with trivy (SBOM included), pushes it, and prunes old tags per environment.',
  branding: { icon: 'package', color: 'purple' },
  inputs: {
    context: { description: 'Build context directory, inside the workspace.', default: '.' },
    file: { description: 'Dockerfile, inside the workspace. Default: `Dockerfile` in the context.' },
    target: { description: 'Stage of a multi-stage Dockerfile to build.' },
    'build-args': { description: 'Build arguments, `NAME=value` one a line. Not for secrets: Docker keeps them in the image history.' },
    image: {
      description:
        'Image name without a tag, e.g. `ghcr.io/acme/shop`; a name without a registry host (`acme/shop`) is on `devops_automator.docker.registry` (ghcr.io). The tags are derived for it. Needed unless `tags` is given.',
    },
    tags: {
      description:
        'Image references, one a line. Default: `image` with tags derived from the Git ref and commit: the branch (`main`), a semver tag’s `1.4.2`, `1.4` and `1`, `pr-12` for pull requests, and `sha-<7 hex digits>`.',
    },
    labels: {
      description: 'Extra labels, `name=value` one a line; the OCI `org.opencontainers.image.*` labels (created, source, revision, version) are always added.',
    },
    ref: { description: 'Git ref the tags and the version label are derived from.', default: '${{ github.ref }}' },
    'source-url': {
      description: 'Repository URL for the `org.opencontainers.image.source` label.',
      default: '${{ github.server_url }}/${{ github.repository }}',
    },
    push: { description: 'Push the image after a passing scan.', default: 'false' },
    registry: { description: 'Registry to log in to, e.g. `ghcr.io`. Default: the registry of the first tag.' },
    username: { description: 'Registry user name.' },
    password: {
      secret: 'value',
      description:
        'Registry password or token; masked, given to `docker login` on stdin. For GHCR, a token that may also delete package versions when retention runs.',
    },
    environment: {
      description:
        'Environment the image is for: labels the image (`dev.sidhe.environment`), picks the retention policy from `image_lifecycle`, and forces the scan on where that says `security_scanning: required` (production by default).',
    },
    scan: { description: 'Scan the image with trivy. Default: `devops_automator.docker.image_scanning` of the configuration file (true).' },
    'severity-threshold': {
      description: 'Fail on findings at or above this severity: LOW, MEDIUM, HIGH or CRITICAL. A failed scan pushes nothing.',
      default: 'HIGH',
    },
    'ignore-unfixed': { description: 'Ignore vulnerabilities that have no fixed version yet.', default: 'false' },
    'ignore-file': {
      description:
        'YAML file of accepted findings (trivy’s `.trivyignore.yaml` keys): under `vulnerabilities`, `secrets` or `misconfigurations`, entries with `id`, `statement` (the reason) and `expired_at` (YYYY-MM-DD). An expired entry counts again. Relative to the workspace, not outside it, at most 256 kB.',
    },
    scanners: {
      description: 'trivy scanners, any of `vuln`, `secret`, `misconfig`. `vuln` needs trivy’s vulnerability database (downloaded from ghcr.io).',
      default: 'vuln,secret',
    },
    retention: {
      description:
        'After a push with `environment` set, delete old tags of the image’s repository by the environment’s `image_lifecycle` policy (keep the N newest and anything younger than the retention days; never protected tags, images of releases on the Docker host, or images a kept multi-architecture index lists).',
      default: 'true',
    },
    'protected-tags': {
      description: 'Tags retention never deletes: regular expressions matching the whole tag, one a line.',
      default: 'latest\nv?[0-9]+\\.[0-9]+\\.[0-9]+',
    },
    app: { description: 'Application whose releases on the Docker host retention protects. Default: the last part of the image name.' },
    'docker-host': dockerHostInput,
    'registry-type': {
      description: 'How retention talks to the registry: `auto` (GitHub’s Packages API for ghcr.io, the OCI Distribution API otherwise), `oci` or `ghcr`.',
      default: 'auto',
    },
    'github-api-url': { description: 'GitHub’s REST API, for GHCR retention.', default: '${{ github.api_url }}' },
    'dry-run': { description: 'Report which tags retention would delete, delete none.', default: 'false' },
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    image: { description: 'The built image reference (first tag).' },
    'image-id': { description: 'The local image id (`sha256:…`).' },
    digest: { description: 'Manifest digest in the registry, when pushed.' },
    tags: { description: 'Every tag given to the image, one a line.' },
    vulnerabilities: { description: 'Counted findings by severity, as JSON, e.g. `{"CRITICAL":0,"HIGH":1,"MEDIUM":3,"LOW":0,"UNKNOWN":0}`.' },
    'sarif-path': { description: 'SARIF report, for code scanning upload.' },
    'sbom-path': { description: 'CycloneDX SBOM.' },
    'report-path': { description: 'trivy JSON report.' },
    deleted: { description: 'Tags deleted by retention (or that would be, in a dry run), one a line.' },
  },
});
