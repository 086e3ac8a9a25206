import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.ts';

const SECRET = 'TOKEN=ghp_0123456789abcdefSECRETMARKER';

/** The message of the ConfigurationError parseConfig throws. */
function problems(text: string): string {
  try {
    parseConfig(text, 'c.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('parseConfig accepted the text');
}

describe('errors about a configuration file that is not one', () => {
  it('does not quote a file that parses as one string (a log, an environ file)', () => {
    const environ = `HOME=/root\u0000PATH=/usr/bin\u0000${SECRET}\u0000`;
    for (const text of [environ, `root:x:0:0:root:/root:/bin/bash\n${SECRET}\n`]) {
      const message = problems(text);
      expect(message).not.toContain('SECRETMARKER');
      expect(message).not.toContain('/root');
    }
    expect(problems(`just some text ${SECRET}\n`)).toBe(
      'c.yaml:1:1: top level: text is not valid; use a mapping with keys: devops_automator, deployment_strategies, previews, infrastructure_monitoring, image_lifecycle, health_checks, pipeline_templates',
    );
  });

  it('quotes at most 80 characters of a value', () => {
    const long = 'v'.repeat(500);
    expect(problems(`devops_automator:\n  enabled: ${long}\n`)).toBe(
      `c.yaml:2:12: devops_automator.enabled: ${JSON.stringify('v'.repeat(80))}… (500 characters) is not valid; use true or false`,
    );
  });

  it('lists 20 problems and counts the rest', () => {
    const text = Array.from({ length: 50 }, (_, i) => `KEY_${i}: value-${i}\n`).join('');
    const lines = problems(text).split('\n');
    expect(lines[0]).toBe('c.yaml has 50 problems:');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('  … and 30 more');
    expect(lines.join('\n')).not.toContain('value-');
  });

  it('cuts an unknown key short and quotes it', () => {
    const key = `${SECRET}${'k'.repeat(100)}`;
    const message = problems(`"${key}": 1\n`);
    expect(message).toMatch(/^c\.yaml:1:1: "TOKEN=ghp_0123456789abcdefSECRETMARKERkk"… \(138 characters\): unknown key; allowed keys at the top level: /);
  });
});
