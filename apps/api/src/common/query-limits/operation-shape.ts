import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationShape {
  /** Fields written with an alias, each fragment counted every time it is spread. */
  readonly aliases: number;
  /** Fields at the root of the operation, fragments expanded. */
  readonly rootFields: number;
}

/** Selections visited at most: fragments spread inside fragments multiply, the walk must not. */
const MAX_SELECTIONS_WALKED = 100_000;

/**
 * Counts an operation's aliases and root fields, fragments expanded where they are spread (a
 * fragment of 10 aliases spread 10 times asks for 100 answers). Runs after validation, which
 * refuses fragment cycles; `expanding` guards against one anyway, and the walk stops after
 * {@link MAX_SELECTIONS_WALKED} selections (the counts are then lower bounds, far past any limit).
 */
export function measureOperation(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): OperationShape {
  let aliases = 0;
  let walked = 0;
  const expanding = new Set<string>();
  const walk = (selectionSet: SelectionSetNode): number => {
    let fields = 0;
    for (const selection of selectionSet.selections) {
      walked += 1;
      if (walked > MAX_SELECTIONS_WALKED) return fields;
      if (selection.kind === Kind.FIELD) {
        fields += 1;
        if (selection.alias) aliases += 1;
        if (selection.selectionSet) walk(selection.selectionSet);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment) continue;
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
      if (name !== null) {
        if (expanding.has(name)) continue;
        expanding.add(name);
      }
      fields += walk(fragment.selectionSet);
      if (name !== null) expanding.delete(name);
    }
    return fields;
  };
  const rootFields = walk(operation.selectionSet);
  return { aliases, rootFields };
}
