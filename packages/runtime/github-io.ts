import * as core from '@actions/core';
import type { ActionIO } from './action-io.ts';
import { inertLogText } from './inert-log-text.ts';
import { redactingIO } from './redacting-io.ts';
import { runContextFrom } from './run-context.ts';
import { renderMarkdown } from './summary/markdown.ts';

/** The runner's protocol: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, workflow commands. */
export function githubIO(): ActionIO {
  const context = runContextFrom(process.env);
  return redactingIO({
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    // The runner masks its log on its own too, including what @actions/* libraries print.
    setSecret: (value) => core.setSecret(value),
    log: {
      debug: (message) => core.debug(message),
      info: (message) => core.info(inertLogText(message)),
      warning: (message) => core.warning(message),
      error: (message) => core.error(message),
    },
    async writeSummary(doc) {
      if (!context.stepSummary) return; // e.g. a self-hosted runner too old to have one
      await core.summary.addRaw(renderMarkdown(doc)).write();
    },
    annotate({ level, message, file, line, title }) {
      const properties: core.AnnotationProperties = { ...(file ? { file } : {}), ...(line ? { startLine: line } : {}), ...(title ? { title } : {}) };
      ({ error: core.error, warning: core.warning, notice: core.notice })[level](message, properties);
    },
    fail: (message) => core.setFailed(message),
    context,
  });
}
