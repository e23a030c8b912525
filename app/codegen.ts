import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for the web client (`npm run codegen:app`), the same toolchain and
 * settings as examples/typed-client: the committed SDL plus the client's operations give one
 * file of result types and typed documents. Committed; test/web-i18n.test.ts fails on drift.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema/schema.graphql',
  documents: 'app/src/api/*.graphql',
  generates: {
    'app/src/api/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTimeISO: 'string', LocalDate: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
