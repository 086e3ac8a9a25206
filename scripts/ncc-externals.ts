// Modules left out of every ncc bundle we build (dist/ and the start-time bench's bare core bundle):
// ncc's `-e` flags for them.
//
// undici carries llhttp twice, as SIMD and as plain WebAssembly (65 kB each), and reads the plain one
// only when V8 cannot compile SIMD, which Node 24 does on every CPU GitHub's runners have. The plain
// one is left out: on a CPU without SIMD, undici's first request would fail on the missing module.
const LEFT_OUT = ['../llhttp/llhttp-wasm.js'];

export const NCC_EXTERNAL_FLAGS: readonly string[] = LEFT_OUT.flatMap((module) => ['-e', module]);
