import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'src/generated/**', 'node_modules/**', 'coverage/**', 'test-output/**', 'leash-report/**']},
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The core is pure: no I/O, no clock, no environment, no CLI framework.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': ['error', 'process', 'fetch'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The core never reads the clock: take `now` as an argument.',
        },
        {selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The core never reads the clock.'},
        {selector: "CallExpression[callee.name='eval']", message: 'Never eval.'},
        {selector: "NewExpression[callee.name='Function']", message: 'Never new Function.'},
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:child_process', 'node:os', 'node:net', 'node:http', 'node:https'],
              message: 'The core does no I/O.',
            },
            {group: ['@oclif/*', '@inquirer/*', '../cli/*', '../commands/*'], message: 'The core does not depend on the CLI.'},
          ],
        },
      ],
    },
  },
)
