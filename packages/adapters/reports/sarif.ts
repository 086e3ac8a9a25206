import { fileURLToPath } from 'node:url';
import type { Finding, FindingLevel, FindingsReport } from '../../core/gates/index.ts';
import type { Severity } from '../../core/images/severity.ts';
import { excerpt } from '../../core/message-bounds.ts';
import { parseJson, reportError } from './report-error.ts';

const KIND = 'sarif';

/** The parts of SARIF 2.1.0 the gate reads (OASIS sarif-v2.1.0, §3.11 onwards). */
interface SarifLog {
  version?: string;
  runs?: SarifRun[];
}
interface ToolComponent {
  name?: string;
  rules?: Rule[];
}
interface Rule {
  id?: string;
  defaultConfiguration?: { level?: FindingLevel };
  properties?: Record<string, unknown>;
}
interface ArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  index?: number;
}
interface SarifRun {
  tool?: { driver?: ToolComponent; extensions?: ToolComponent[] };
  artifacts?: { location?: ArtifactLocation }[];
  originalUriBaseIds?: Record<string, { uri?: string }>;
  results?: SarifResult[];
}
interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number; toolComponent?: { index?: number } };
  kind?: string;
  level?: FindingLevel;
  message?: { text?: string; markdown?: string; id?: string };
  locations?: { physicalLocation?: { artifactLocation?: ArtifactLocation; region?: { startLine?: number } } }[];
  suppressions?: { status?: string }[];
  baselineState?: string;
  properties?: Record<string, unknown>;
}

/** GitHub's reading of a CVSS `security-severity`: 9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low. */
export function cvssSeverity(score: number): Severity | undefined {
  if (!Number.isFinite(score) || score <= 0) return undefined;
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
}

/** The rule a result names: through rule.toolComponent into tool.extensions (CodeQL), else the driver's. */
function ruleOf(run: SarifRun, result: SarifResult): Rule | undefined {
  const component = result.rule?.toolComponent?.index;
  const rules = (component === undefined ? run.tool?.driver : run.tool?.extensions?.[component])?.rules ?? [];
  const index = result.rule?.index ?? result.ruleIndex;
  const id = result.ruleId ?? result.rule?.id;
  return (index !== undefined ? rules[index] : undefined) ?? rules.find((r) => r.id === id);
}

/** SARIF §3.27.10: a result that is not a failure has level none; else its own, the rule's, or warning. */
function levelOf(result: SarifResult, rule: Rule | undefined): FindingLevel {
  if (result.kind && result.kind !== 'fail') return 'none';
  return result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
}

/**
 * A relative URI stays relative (to the repository, as code scanning reads it); a file URI becomes
 * its path. Trivy's ROOTPATH base (`file:///`) would turn every path absolute, so bases are not applied.
 */
function pathOf(run: SarifRun, location: ArtifactLocation | undefined): string | undefined {
  const uri = location?.uri ?? (location?.index !== undefined ? run.artifacts?.[location.index]?.location?.uri : undefined);
  if (!uri) return undefined;
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** trivy writes several lines (`Artifact: ...`, `Message: ...`): keep them all, on one line. */
function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function findingOf(file: string, run: SarifRun, result: SarifResult): Finding {
  const rule = ruleOf(run, result);
  const physical = result.locations?.[0]?.physicalLocation;
  const score = Number(result.properties?.['security-severity'] ?? rule?.properties?.['security-severity']);
  const severity = cvssSeverity(score);
  const path = pathOf(run, physical?.artifactLocation);
  const line = physical?.region?.startLine;
  return {
    report: file,
    tool: run.tool?.driver?.name ?? 'unknown tool',
    rule: result.ruleId ?? result.rule?.id ?? rule?.id ?? 'unknown rule',
    message: oneLine(result.message?.text ?? result.message?.markdown ?? result.message?.id ?? ''),
    level: levelOf(result, rule),
    ...(severity ? { severity } : {}),
    ...(path ? { file: path } : {}),
    ...(line ? { line } : {}),
    // A suppression counts unless it is still under review or was rejected (§3.35.3).
    suppressed: (result.suppressions ?? []).some((s) => s.status === undefined || s.status === 'accepted'),
  };
}

/** A SARIF 2.1.0 log (ESLint's formatter, CodeQL, trivy, ...): every run's results as findings. */
export function parseSarif(file: string, content: string): FindingsReport {
  const log = parseJson(KIND, file, content) as SarifLog;
  if (typeof log !== 'object' || log === null || !Array.isArray(log.runs)) {
    throw reportError(KIND, file, 'has no "runs" array; is it a SARIF log?');
  }
  if (log.version !== '2.1.0') {
    throw reportError(
      KIND,
      file,
      `is SARIF version ${typeof log.version === 'string' ? excerpt(log.version) : String(typeof log.version)}; only 2.1.0 is read`,
    );
  }
  const findings = log.runs.flatMap((run) => (run.results ?? []).filter((r) => r.baselineState !== 'absent').map((result) => findingOf(file, run, result)));
  const tools = [...new Set(log.runs.map((run) => run.tool?.driver?.name ?? 'unknown tool'))];
  return { report: file, tool: tools.join(', '), findings };
}
