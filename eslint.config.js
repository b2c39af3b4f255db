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
    },
  },
  {
    // TypeBox, OpenTelemetry and jose are ES modules by the hundred or the dozen: the apps take them
    // from one-file bundles (scripts/bundle-dist.mjs), which cost an app 5-7.5 MiB less memory.
    files: ['apps/*/src/**', 'packages/*/src/**'],
    ignores: [
      'packages/contracts/src/typebox.ts',
      'packages/service-kit/src/jose.ts',
      'packages/tracing/src/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typebox',
              message: "Import TypeBox from '@shop/contracts/typebox', its bundle.",
              allowTypeImports: true,
            },
            {
              name: 'jose',
              message: "Import jose from '@shop/service-kit/jose', its bundle.",
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: ['@opentelemetry/*'],
              message: "Import OpenTelemetry from '@shop/tracing', its bundle.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // An ES module import of `node:http` makes Node build its namespace, which reads the module's lazy
    // `WebSocket` exports and so loads Node's own undici: 1.5-2 MiB more for an idle app.
    files: ['apps/*/src/**', 'packages/{catalog-data,contracts,service-kit,tracing}/src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[importKind!='type'][source.value=/^(node:)?http$/]",
          message:
            "Use process.getBuiltinModule('node:http'): an ES module import of it loads Node's undici.",
        },
      ],
    },
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
