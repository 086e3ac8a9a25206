import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput } from '../shared-inputs.ts';

export const buildScanImage = defineAction({
  name: 'build-scan-image',
  title: 'SIDHE build and scan image',
  description:
    'Builds a Docker image with OCI labels and tags, scans it for vulnerabilities and secrets with trivy (SBOM included), pushes it, and prunes old tags per environment.',
  branding: { icon: 'package', color: 'purple' },
  inputs: {
    context: { description: 'Build context directory.', default: '.' },
    file: { description: 'Dockerfile, relative to the workspace. Default: `Dockerfile` in the context.' },
    target: { description: 'Stage of a multi-stage Dockerfile to build.' },
    'build-args': { description: 'Build arguments, `NAME=value` one a line.' },
    tags: { description: 'Image references, one a line. Default: derived from the Git ref and commit (branch, semver tag, short SHA).' },
    labels: { description: 'Extra labels, `name=value` one a line; the OCI `org.opencontainers.image.*` labels are always added.' },
    push: { description: 'Push the image after a passing scan.', default: 'false' },
    registry: { description: 'Registry to log in to, e.g. `ghcr.io`.' },
    username: { description: 'Registry user name.' },
    password: { description: 'Registry password or token; masked, given to `docker login` on stdin.' },
    environment: { description: 'Environment the image is for; `production` forces the scan on and selects the retention policy.' },
    scan: { description: 'Scan the image with trivy.', default: 'true' },
    'severity-threshold': { description: 'Fail on findings at or above this severity: LOW, MEDIUM, HIGH or CRITICAL.', default: 'HIGH' },
    'ignore-unfixed': { description: 'Ignore vulnerabilities that have no fixed version yet.', default: 'false' },
    'ignore-file': { description: 'File of finding ids to ignore, each with a reason and an expiry date.' },
    scanners: { description: 'trivy scanners: `vuln`, `secret`, `misconfig`.', default: 'vuln,secret' },
    'dry-run': { description: 'Report which tags retention would delete, delete none.', default: 'false' },
    config: configInput,
  },
  outputs: {
    image: { description: 'The built image reference (first tag).' },
    digest: { description: 'Image digest, when pushed.' },
    tags: { description: 'Every tag given to the image, one a line.' },
    vulnerabilities: { description: 'Counts by severity, as JSON.' },
    'sarif-path': { description: 'SARIF report, for code scanning upload.' },
    'sbom-path': { description: 'CycloneDX SBOM.' },
    'report-path': { description: 'trivy JSON report.' },
    deleted: { description: 'Tags deleted by retention, one a line.' },
  },
});
