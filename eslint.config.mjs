// Lint config. The rule that matters most: `src/core/` is pure TypeScript and never
// imports `vscode` (or the host/webview layers), so it runs in plain Node and the CLI.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', '.e2e/**', 'bench/data/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    // The parse worker runs in a worker thread, where the vscode module does not exist.
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts', 'src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core, src/protocol and src/worker are pure TypeScript: pass what you need in from src/host.' }],
        patterns: [
          { group: ['**/host/**', '**/host', '**/webview/**', '**/extension'], message: 'src/core must not depend on the VS Code layers.' },
        ],
      }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser: talk to the host through src/protocol messages.' }],
        patterns: [{ group: ['**/host/**', '**/extension'], message: 'Webview code runs in the browser.' }],
      }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Insert record fields as text (textContent), never as HTML.' },
        { property: 'outerHTML', message: 'Insert record fields as text (textContent), never as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Insert record fields as text, never as HTML.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
