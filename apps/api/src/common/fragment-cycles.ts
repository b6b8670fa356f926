import { Kind, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Whether following the document's fragment spreads can loop (`fragment A { ...B }`,
 * `fragment B { ...A }`) or lead to a fragment that does not exist.
 */
function hasUnsafeFragmentSpreads(context: ValidationContext): boolean {
  const state = new Map<string, 'VISITING' | 'DONE'>();
  const loops = (name: string): boolean => {
    const seen = state.get(name);
    if (seen === 'DONE') return false;
    if (seen === 'VISITING') return true;
    const fragment = context.getFragment(name);
    if (fragment === null || fragment === undefined) return true;
    state.set(name, 'VISITING');
    for (const spread of context.getFragmentSpreads(fragment.selectionSet)) {
      if (loops(spread.name.value)) return true;
    }
    state.set(name, 'DONE');
    return false;
  };
  return context
    .getDocument()
    .definitions.some(
      (definition) =>
        (definition.kind === Kind.FRAGMENT_DEFINITION && loops(definition.name.value)) ||
        (definition.kind === Kind.OPERATION_DEFINITION && context.getFragmentSpreads(definition.selectionSet).some((spread) => loops(spread.name.value))),
    );
}

/**
 * `rule`, skipped on documents whose fragment spreads loop or name a missing fragment. Rules that
 * walk into fragments eagerly (graphql-depth-limit does, when it is created) recurse forever on
 * a cycle — a stack overflow, an HTTP 500 and a stack trace in the log for a 100-byte request —
 * or crash on a missing fragment. GraphQL's own NoFragmentCyclesRule and KnownFragmentNamesRule
 * already refuse such documents with a clear validation error (HTTP 400); nothing executes.
 */
export function unlessFragmentSpreadsLoop(rule: ValidationRule): ValidationRule {
  return (context: ValidationContext): ASTVisitor => (hasUnsafeFragmentSpreads(context) ? {} : rule(context));
}
