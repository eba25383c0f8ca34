// Flat config: typescript-eslint for TS everywhere, eslint-plugin-svelte for the renderer's components.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', '.tmp/', 'build/icon*', '.tfjs-node-venv/', '.torch-venv/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Non-null assertions are used where an invariant holds (a Map entry just set, a bound element).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,svelte}', '**/*.svelte.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The renderer reaches src-main/shared through one alias, and takes only types from the
    // contract: its zod schemas must not end up in the renderer bundle.
    files: ['src-renderer/**/*.{ts,svelte}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-main/**'], message: 'Import shared code as $shared/… (see electron.vite.config.ts).' },
            {
              group: ['$shared/contract', '$shared/contract/*', '$shared/bridge'],
              allowTypeImports: true,
              message:
                'The contract holds zod schemas: import its types (lib/api-types.ts), and plain values from zod-free modules such as $shared/limits.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);
