import {
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { Operation, refusalRecorded } from '../request/operation';
import type { AuditOutcome } from '../trail/audit-event.entity';
import { isUuid } from '../trail/audit-text';
import { formatError } from '../errors';
import type { RequestContext } from '../request/context';

/**
 * Denied attempts are events too, whatever refused them. Services record the refusals they
 * decide (DENY, NOT_FOUND, CONFLICT through the Operation); everything else that refuses a
 * signed-in caller's field — the text guard, class-validator, an id that is not a UUID, a
 * failure — is recorded here, once, after the fact: a DENY event with the outcome the error's
 * code stands for, the id the caller sent (as clean text) and the field's name. So a probe
 * with hostile ids leaves a trail under its request id like any other attempt.
 */
const OUTCOME: Record<string, AuditOutcome> = {
  FORBIDDEN: 'DENIED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_USER_INPUT: 'INVALID',
};

/** Nothing to record: the caller is not known, or the database (where it would go) is away. */
const UNRECORDED = new Set(['UNAUTHENTICATED', 'SERVICE_UNAVAILABLE']);

/** The first id the caller sent: an ID argument, or an ID field of an input argument. */
function sentIds(args: readonly GraphQLArgument[], values: Record<string, unknown>): { entityId?: string; returneeId?: string } {
  const found: { name: string; value: string }[] = [];
  for (const a of args) {
    const type = getNamedType(a.type);
    const value = values[a.name];
    if (type.name === 'ID' && typeof value === 'string') found.push({ name: a.name, value });
    if (isInputObjectType(type) && value !== null && typeof value === 'object') {
      for (const f of Object.values(type.getFields())) {
        const v = (value as Record<string, unknown>)[f.name];
        if (getNamedType(f.type).name === 'ID' && typeof v === 'string') found.push({ name: f.name, value: v });
      }
    }
  }
  const returneeId = found.find((f) => f.name === 'returneeId' && isUuid(f.value))?.value;
  return { entityId: found[0]?.value, returneeId };
}

async function recordRefusal(
  field: GraphQLField<unknown, unknown>,
  ctx: RequestContext,
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
  error: unknown,
): Promise<void> {
  const code = String(formatError({ message: '' }, error, ctx.requestId).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (UNRECORDED.has(code)) return;
  const op = new Operation(ctx, info.fieldName, args);
  const { entityId, returneeId } = sentIds(field.args, args);
  try {
    await op.recordDurably([
      {
        action: 'DENY',
        entityType: getNamedType(info.returnType).name,
        entityId: entityId ?? returneeId,
        returneeId,
        outcome: OUTCOME[code] ?? 'ERROR',
        reason: code,
      },
    ]);
  } catch (recordError) {
    // The caller gets the refusal it earned either way (no data leaves); the operator learns the event is missing.
    ctx.runtime.log.error(
      { err: recordError, requestId: ctx.requestId, field: info.fieldName },
      'a refusal could not be recorded in the audit trail',
    );
  }
}

/**
 * Wraps, once when the schema is built, every root field and every field with arguments
 * (where a caller's values come in). Apply after the text guard, so its refusals are recorded too.
 */
export function auditRefusals(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 && !roots.has(type)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, ctx: RequestContext | undefined, info) => {
        const refused = async (error: unknown): Promise<never> => {
          if (ctx?.actor && !refusalRecorded(args)) await recordRefusal(field, ctx, args, info, error);
          throw error;
        };
        try {
          const result: unknown = resolve(source, args, ctx, info);
          return result instanceof Promise ? result.catch(refused) : result;
        } catch (error) {
          return refused(error);
        }
      };
    }
  }
  return schema;
}
