// Lint rules: typescript-eslint's recommended set plus a hard ban on import cycles,
// so stages stay a one-way pipeline (STYLE.md habit 4).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  { languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value=/^(fs|path|os|url|net|http|https|child_process|crypto|events|stream|util|zlib|readline|tls|timers)$/]", message: "Use the 'node:' prefix for built-in modules." },
      ],
    },
  },
  {
    // Machines and evaluation never read the wall clock: time is passed in (DESIGN.md, Time).
    files: ['actors/**/*.ts', 'src/evaluate/**/*.ts', 'src/correlate/**/*.ts', 'src/route/**/*.ts', 'src/language/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Pass time in; no wall clock here.' }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use the deadline queue driven by the watermark.' }, { name: 'setInterval', message: 'Use the deadline queue driven by the watermark.' }],
    },
  },
);
