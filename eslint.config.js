import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Lint: ESLint's and typescript-eslint's recommended rules, type-checked against tsconfig.json.
export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'bench/results/', 'schema/', 'coverage/', 'tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  {
    rules: {
      // Ports and their fakes implement async interfaces; many have nothing to await, and are async on purpose.
      '@typescript-eslint/require-await': 'off',
      // Readers and ports are closures handed around as functions (`get: inputs.get`); none uses `this`.
      '@typescript-eslint/unbound-method': 'off',
      // Terminal-escape stripping and log sanitising match control characters on purpose.
      'no-control-regex': 'off',
      // `_name` marks a parameter or element an interface or a destructuring needs but this code does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read real tools' JSON (docker inspect, trivy, reports) and assert on it; typing every field would add nothing.
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // This file is plain JavaScript outside tsconfig.json.
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
);
