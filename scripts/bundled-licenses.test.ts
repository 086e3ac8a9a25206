import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledPackages, licenseAllowed, licenseProblems, moduleNames, packageDirOf, renderLicenses } from './bundled-licenses.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'sidhe-licenses-'));
const supplied = path.join(root, 'supplied');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, name: string, license: string, files: Record<string, string> = {}): void {
  const full = path.join(root, dir);
  mkdirSync(full, { recursive: true });
  writeFileSync(path.join(full, 'package.json'), JSON.stringify({ name, version: '1.0.0', license }));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(full, file), text);
}

pkg('node_modules/alpha', 'alpha', 'MIT', { LICENSE: 'MIT License\nCopyright alpha' });
pkg('node_modules/@scope/beta', '@scope/beta', 'ISC', { 'LICENSE.md': 'ISC License\nCopyright beta' });
pkg('node_modules/alpha/node_modules/gamma', 'gamma', 'GPL-3.0-only', { COPYING: 'GNU GENERAL PUBLIC LICENSE' });
pkg('node_modules/delta', 'delta', 'MIT');
pkg('node_modules/unused', 'unused', 'MIT', { LICENSE: 'MIT unused' });
mkdirSync(supplied);
writeFileSync(path.join(supplied, 'delta.txt'), 'MIT License\nCopyright delta, from its repository');

/** Stats as ncc writes them: one concatenated module holding ESM packages, plain CommonJS modules beside it. */
const stats = {
  modules: [
    {
      name: './actions/index.ts + 3 modules',
      modules: [{ name: './actions/index.ts' }, { name: './node_modules/@scope/beta/lib/index.js' }, { name: './node_modules/alpha/index.js' }],
    },
    { name: './node_modules/alpha/node_modules/gamma/index.js' },
    { name: './node_modules/delta/dist/index.js' },
    { name: 'external "node:fs"' },
  ],
};

describe('bundled licenses', () => {
  it('finds the innermost package of a module path, scoped or nested', () => {
    expect(packageDirOf('./node_modules/@scope/beta/lib/index.js')).toBe('node_modules/@scope/beta');
    expect(packageDirOf('./node_modules/alpha/node_modules/gamma/index.js')).toBe('node_modules/alpha/node_modules/gamma');
    expect(packageDirOf('./actions/index.ts')).toBeUndefined();
  });

  it('lists exactly the packages the bundle holds modules of, concatenated ones included', () => {
    const packages = bundledPackages(moduleNames(stats), root, supplied);
    expect(packages.map((p) => `${p.name} ${p.license}`)).toEqual(['@scope/beta ISC', 'alpha MIT', 'delta MIT', 'gamma GPL-3.0-only']);
    expect(packages.find((p) => p.name === 'delta')?.text).toBe('MIT License\nCopyright delta, from its repository');
  });

  it('accepts a licenses.txt rendered from the allowed packages', () => {
    const packages = bundledPackages(moduleNames(stats), root, supplied).filter((p) => p.name !== 'gamma');
    expect(licenseProblems(packages, renderLicenses(packages))).toEqual([]);
  });

  it('names a package missing from licenses.txt, one whose license is not allowed, and one without a text', () => {
    const packages = bundledPackages(moduleNames(stats), root, path.join(root, 'no-supplied-texts'));
    const rendered = renderLicenses(packages.filter((p) => p.name !== 'alpha'));
    expect(licenseProblems(packages, rendered)).toEqual([
      'alpha@1.0.0: missing from licenses.txt',
      'delta@1.0.0: ships no LICENSE file; add its text to scripts/license-texts/',
      expect.stringMatching(/^gamma@1\.0\.0: license "GPL-3\.0-only" is not on the allowed list \(MIT, ISC, /),
    ]);
  });

  it('notices a license text that was cut from licenses.txt', () => {
    const packages = bundledPackages(moduleNames(stats), root, supplied).filter((p) => p.name === 'alpha');
    expect(licenseProblems(packages, renderLicenses(packages).replace('Copyright alpha', ''))).toEqual([
      'alpha@1.0.0: its license text is not in licenses.txt',
    ]);
  });

  it('prints a text that packages share once, under the name and license of each', () => {
    const shared = 'MIT License\nCopyright GitHub';
    const packages = [
      { name: 'one', version: '1.0.0', license: 'MIT', text: shared },
      { name: 'two', version: '2.0.0', license: 'MIT', text: shared },
    ];
    const rendered = renderLicenses(packages);
    expect(rendered.split(shared)).toHaveLength(2);
    expect(licenseProblems(packages, rendered)).toEqual([]);
  });

  it('reads SPDX expressions: OR needs one allowed side, AND needs all', () => {
    expect(licenseAllowed('(MIT OR GPL-3.0-only)')).toBe(true);
    expect(licenseAllowed('MIT AND GPL-3.0-only')).toBe(false);
    expect(licenseAllowed('Apache-2.0')).toBe(true);
    expect(licenseAllowed('')).toBe(false);
  });
});
