import { createParameterDecorator } from 'type-graphql';
import { Operation } from '../request/operation';
import type { RequestContext } from '../request/context';

/** Injects the request bound to this root field: `@Op() op: Operation`. */
export function Op(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<RequestContext>(
    ({ context, info, args }) => new Operation(context, info.fieldName, args, info.operation.selectionSet.selections.length),
  );
}
