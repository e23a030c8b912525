import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Names of the fields the client selected at `path` below the current root field (fragments
 * and inline fragments included, `@skip`/`@include` evaluated with the request's variables).
 * Services load only these (intersected with what the policy permits), and the audit event
 * lists exactly them: a field the client skipped is neither read nor recorded as read.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  const out = new Set<string>();
  const walk: Walk = { fragments: info.fragments, variables: info.variableValues };
  for (const node of info.fieldNodes) {
    if (node.selectionSet) collect(walk, node.selectionSet, path, out, new Set());
  }
  return out;
}

/**
 * Names of the fields a selection set runs at its own level (e.g. an operation's root fields),
 * through fragments, without the ones `@skip`/`@include` leave out. `variables` are the
 * request's raw values: a directive whose condition cannot be read counts as "included", so a
 * caller of this check never treats as absent a field that execution would run.
 */
export function fieldsAtLevel(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
): Set<string> {
  const out = new Set<string>();
  collect({ fragments, variables, lenient: true }, set, [], out, new Set());
  return out;
}

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Unreadable directive conditions count as included (raw variables, before validation). */
  lenient?: boolean;
}

/** GraphQL's own rule (graphql-js `shouldIncludeNode`): skipped if @skip(if: true) or @include(if: false). */
function included(walk: Walk, node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
  } catch (error) {
    if (walk.lenient) return true;
    throw error;
  }
}

function collect(walk: Walk, set: SelectionSetNode, path: string[], out: Set<string>, seen: Set<string>): void {
  for (const sel of set.selections) {
    if (!included(walk, sel)) continue;
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      if (path.length === 0) out.add(name);
      else if (name === path[0] && sel.selectionSet) collect(walk, sel.selectionSet, path.slice(1), out, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(walk, sel.selectionSet, path, out, seen);
    } else if (!seen.has(sel.name.value)) {
      const fragment = walk.fragments[sel.name.value];
      if (fragment) collect(walk, fragment.selectionSet, path, out, new Set([...seen, sel.name.value]));
    }
  }
}
