import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput } from '../shared-inputs.ts';

export const qualityGate = defineAction({
  name: 'quality-gate',
  title: 'SIDHE quality gate',
  description:
    "Reads test, coverage, lint and security reports and the commit's check runs, and blocks a deploy that misses a threshold.",
  branding: { icon: 'check-circle', color: 'green' },
  inputs: {
    junit: { description: 'JUnit XML reports, glob patterns one a line.' },
    coverage: { description: 'Coverage reports (lcov, Cobertura XML, istanbul coverage-summary.json), glob patterns one a line.' },
    sarif: { description: 'SARIF 2.1.0 reports, glob patterns one a line.' },
    trivy: { description: 'trivy JSON reports, glob patterns one a line.' },
    'min-coverage': { description: 'Lowest line coverage, in %.' },
    'max-failed-tests': { description: 'Most failed tests allowed.', default: '0' },
    'max-sarif-errors': { description: 'Most SARIF results of level `error` allowed.' },
    'max-severity': { description: 'Highest vulnerability severity allowed: LOW, MEDIUM, HIGH or CRITICAL.' },
    'required-checks': { description: 'Check-run names that must have succeeded on the commit, one a line, or `all`.' },
    gates: { description: 'A named gate set from `deployment_strategies` of the configuration file, e.g. `production`.' },
    environment: { description: 'Environment the gate guards.' },
    'github-token': { description: 'Token to read check runs.', default: '${{ github.token }}' },
    config: configInput,
  },
  outputs: {
    passed: { description: '`true` when every gate passed, else `false`.' },
    results: { description: 'Every gate with its value and threshold, as JSON.' },
    'report-path': { description: 'Path of the JSON report.' },
  },
});
