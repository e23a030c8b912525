import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields the client selected at `path` below the current root field (fragments
 * and inline fragments included). Services load only these (intersected with what the policy
 * permits), and the audit event lists exactly them.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  const out = new Set<string>();
  for (const node of info.fieldNodes) {
    if (node.selectionSet) collect(node.selectionSet, path, info.fragments, out, new Set());
  }
  return out;
}

function collect(
  set: SelectionSetNode,
  path: string[],
  fragments: Record<string, FragmentDefinitionNode>,
  out: Set<string>,
  seen: Set<string>,
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      if (path.length === 0) out.add(name);
      else if (name === path[0] && sel.selectionSet) collect(sel.selectionSet, path.slice(1), fragments, out, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, path, fragments, out, seen);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
      const fragment = fragments[sel.name.value];
      if (fragment) collect(fragment.selectionSet, path, fragments, out, new Set([...seen, sel.name.value]));
    }
  }
}
