import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      // TypeBox's values come from its one-file bundle (packages/contracts/src/typebox.ts); its types
      // may come from 'typebox' itself.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typebox',
              message: "Import TypeBox from '@shop/contracts/typebox' (one bundled module, not 373).",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/contracts/src/typebox.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // The shop's page runs in the browser, as React components.
    files: ['apps/ecommerce-ui/src/page/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Scripts, test fixtures and command-line tools talk on stdout by design.
    files: ['**/scripts/**', '**/test/fixtures/**', 'packages/launcher/src/**', 'apps/loadgen/src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
)
