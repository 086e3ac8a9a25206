import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, eventsRedisUrlInput } from '../shared-inputs.ts';

const patterns =
  'glob patterns one a line, relative to the workspace (`!` excludes); a pattern list that matches no file fails its gate. A pattern or match (symlinks followed) outside the workspace is refused, as is a report over 50 MB or reports over 200 MB together';

export const qualityGate = defineAction({
  name: 'quality-gate',
  title: 'SIDHE quality gate',
  description: "Reads test, coverage, lint and security reports and the commit's check runs, and blocks a deploy that misses a threshold.",
  branding: { icon: 'check-circle', color: 'green' },
  inputs: {
    junit: { description: `JUnit XML reports (node --test, vitest, jest-junit, pytest, Maven Surefire, gotestsum/go-junit-report): ${patterns}.` },
    coverage: { description: `Coverage reports (lcov, Cobertura XML, istanbul coverage-summary.json): ${patterns}.` },
    sarif: { description: `SARIF 2.1.0 reports (ESLint, CodeQL, trivy, ...): ${patterns}.` },
    trivy: { description: `trivy JSON reports (\`--format json\`): ${patterns}.` },
    'min-coverage': { description: 'Lowest line coverage over all coverage reports, in %. Default 80 when `coverage` is given.' },
    'max-failed-tests': { description: 'Most failed and errored tests allowed over all JUnit reports. Default 0 when `junit` is given.' },
    'max-sarif-errors': { description: 'Most unsuppressed SARIF results of level `error` allowed. Default 0 when `sarif` is given.' },
    'max-severity': {
      description:
        'Highest severity allowed among trivy findings and SARIF results with a `security-severity`: LOW, MEDIUM, HIGH or CRITICAL. Default HIGH when `trivy` is given.',
    },
    'required-checks': {
      description:
        "Check runs that must have succeeded (success, neutral or skipped) on the commit, one name a line, or `all`: every check run but this workflow run's unfinished jobs. Needs `github-token` with `checks: read`.",
    },
    gates: {
      description:
        'A named gate set: an environment of `deployment_strategies` in the configuration file, whose `quality_gates` apply (basic_tests, performance_test: max-failed-tests 0; coverage_check: min-coverage, 80 by default; linting_check: max-sarif-errors 0; security_scan: max-severity HIGH). Thresholds given as inputs win. Default: the set of `environment`, if it has one.',
    },
    environment: { description: 'Environment the gate guards, e.g. `production`: named in the summary, and its gate set applies when `gates` is not given.' },
    ref: {
      description: 'Commit whose check runs `required-checks` reads. Default GITHUB_SHA; on pull_request events pass `github.event.pull_request.head.sha`.',
    },
    'github-token': {
      secret: 'value',
      description: 'Token to read check runs with (`checks: read`); needed only for `required-checks`.',
      default: '${{ github.token }}',
    },
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    passed: { description: '`true` when every gate passed, else `false` (also when the gate could not run).' },
    results: { description: 'One entry a gate, as JSON: `[{gate, value, threshold, passed, details, from}]`.' },
    'report-path': { description: 'Path of the JSON report: the results, every failing test and counted finding, the report files read.' },
  },
});
