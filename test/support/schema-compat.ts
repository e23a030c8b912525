import {
  buildSchema,
  findBreakingChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema's deprecation policy (docs/versioning.md) as code: a breaking change against the
 * released SDL is allowed only for an element that the release already marked
 * `@deprecated(reason: "… Deprecated YYYY-MM-DD; removal not before YYYY-MM-DD.")` and whose
 * removal date has passed; every deprecation gives both dates, at least MIN_NOTICE_MONTHS apart.
 */
export const MIN_NOTICE_MONTHS = 6;
const DATES = /Deprecated (\d{4}-\d{2}-\d{2}); removal not before (\d{4}-\d{2}-\d{2})\./;

export interface Deprecation {
  /** Schema coordinate: Type.field, Type.field(arg:), Enum.VALUE, Input.field */
  coordinate: string;
  /** Words that name the element in graphql-js's breaking-change descriptions. */
  mentions: RegExp;
  reason: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function deprecationsOf(schema: GraphQLSchema): Deprecation[] {
  const out: Deprecation[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (field.deprecationReason)
          out.push({ coordinate, mentions: new RegExp(`\\b${escape(coordinate)}\\b`), reason: field.deprecationReason });
        for (const arg of 'args' in field ? field.args : []) {
          if (arg.deprecationReason) {
            out.push({
              coordinate: `${coordinate}(${arg.name}:)`,
              mentions: new RegExp(`^${escape(coordinate)} arg ${escape(arg.name)}\\b`),
              reason: arg.deprecationReason,
            });
          }
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (value.deprecationReason) {
          out.push({
            coordinate: `${type.name}.${value.name}`,
            mentions: new RegExp(`^${escape(value.name)} was removed from enum type ${escape(type.name)}\\b`),
            reason: value.deprecationReason,
          });
        }
      }
    }
  }
  return out;
}

/** Problems with the wording of deprecations: each must carry both dates, far enough apart. */
export function deprecationProblems(schema: GraphQLSchema): string[] {
  return deprecationsOf(schema).flatMap(({ coordinate, reason }) => {
    const m = DATES.exec(reason);
    if (!m) return [`${coordinate}: the reason must say "Deprecated YYYY-MM-DD; removal not before YYYY-MM-DD." (got "${reason}")`];
    const [, since, removal] = m;
    const earliest = new Date(`${since}T00:00:00Z`);
    earliest.setUTCMonth(earliest.getUTCMonth() + MIN_NOTICE_MONTHS);
    if (Number.isNaN(earliest.getTime()) || new Date(`${removal}T00:00:00Z`) < earliest) {
      return [`${coordinate}: removal ${removal} is less than ${MIN_NOTICE_MONTHS} months after deprecation ${since}`];
    }
    return [];
  });
}

/** Breaking changes from `released` to `current` that the policy does not allow (today). */
export function disallowedBreakingChanges(releasedSdl: string, currentSdl: string, today = new Date()): string[] {
  const released = buildSchema(releasedSdl);
  const removable = deprecationsOf(released).filter((d) => {
    const m = DATES.exec(d.reason);
    return m !== null && new Date(`${m[2]}T00:00:00Z`) <= today;
  });
  return findBreakingChanges(released, buildSchema(currentSdl))
    .map((change) => change.description)
    .filter((description) => !removable.some((d) => d.mentions.test(description)));
}
