import {
  getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, type FieldNode, type FragmentDefinitionNode,
  type FragmentSpreadNode, type GraphQLResolveInfo, type InlineFragmentNode, type SelectionSetNode,
} from 'graphql';

/**
 * Names of the fields the client selected at `path` below the current root field (fragments
 * and inline fragments included). Services load only these (intersected with what the policy
 * permits), and the audit event lists exactly them. A selection under `@skip(if: true)` or
 * `@include(if: false)` is not executed, so it is neither read nor recorded: the same rule
 * graphql-js applies when it collects fields (with the request's variables).
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  const out = new Set<string>();
  const variables = info.variableValues;
  for (const node of info.fieldNodes) {
    if (node.selectionSet) collect(node.selectionSet, path, info.fragments, variables, out, new Set());
  }
  return out;
}

type Variables = GraphQLResolveInfo['variableValues'];

/** graphql-js's own rule (execute/collectFields shouldIncludeNode): skip wins over include. */
function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: Variables): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function collect(
  set: SelectionSetNode,
  path: string[],
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Variables,
  out: Set<string>,
  seen: Set<string>,
): void {
  for (const sel of set.selections) {
    if (!included(sel, variables)) continue;
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      if (path.length === 0) out.add(name);
      else if (name === path[0] && sel.selectionSet) collect(sel.selectionSet, path.slice(1), fragments, variables, out, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, path, fragments, variables, out, seen);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
      const fragment = fragments[sel.name.value];
      if (fragment) collect(fragment.selectionSet, path, fragments, variables, out, new Set([...seen, sel.name.value]));
    }
  }
}
