import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionIO } from './action-io.ts';
import { Redactor } from './redaction.ts';

/** What an ActionIO implementation writes to, before redaction: the runner's protocol or a terminal. */
export type RawIO = Omit<ActionIO, 'redact' | 'writeReport'> & {
  /** Told each secret form too, for sinks that mask on their own (the runner's log). */
  setSecret(value: string): void;
};

/**
 * Puts the one redaction step in front of every sink of `raw`: the log, outputs, the summary,
 * annotations, the failure message and report files. Secrets given to setSecret are masked in all of
 * them from then on, in every form (see Redactor).
 */
export function redactingIO(raw: RawIO, redactor = new Redactor()): ActionIO {
  const redact = (text: string): string => redactor.redact(text);
  const redactDeep = <T>(value: T): T => redactor.redactDeep(value);
  return {
    getInput: (name) => raw.getInput(name),
    setSecret(value) {
      const known = new Set(redactor.forms());
      redactor.add(value);
      for (const form of redactor.forms()) if (!known.has(form)) raw.setSecret(form);
    },
    setOutput: (name, value) => raw.setOutput(name, redact(value)),
    log: {
      debug: (message) => raw.log.debug(redact(message)),
      info: (message) => raw.log.info(redact(message)),
      warning: (message) => raw.log.warning(redact(message)),
      error: (message) => raw.log.error(redact(message)),
    },
    writeSummary: (doc) => raw.writeSummary(redactDeep(doc)),
    annotate: (annotation) => raw.annotate(redactDeep(annotation)),
    fail: (message) => raw.fail(redact(message)),
    redact: redactDeep,
    async writeReport(kind, value) {
      const file = path.join(raw.context.tempDir, `sidhe-${kind}-${Date.now()}.json`);
      await writeFile(file, `${JSON.stringify(redactDeep(value), null, 2)}\n`, { mode: 0o600 });
      return file;
    },
    context: raw.context,
  };
}
