// The one bundle every action shares (dist/sidhe/index.js); dist/<name>/index.js are stubs over it.
export { main } from './entry.ts';
export { cli } from './cli.ts';
