import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for the typed client example (`npm run codegen`): the committed SDL
 * plus the example's operations give one file of types and typed documents. The output is
 * committed; test/typed-client.test.ts fails when it no longer matches a fresh run.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema/schema.graphql',
  documents: 'examples/typed-client/operations.graphql',
  generates: {
    'examples/typed-client/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        // Documents as plain strings: no GraphQL library is needed at run time, only fetch.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          DateTimeISO: 'string',
          LocalDate: 'string',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
