// Static measures of one GraphQL operation (depth, aliases, cost, root mutation fields, introspection),
// taken on the parsed document before validation or execution, so an expensive request is refused
// before it costs anything. Fragments count as expanded: a fragment spread five times costs five times.
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxRootMutations: number;
  introspection: boolean;
}

/** Each field costs 1; a mutation field (a write) costs this much instead. */
export const MUTATION_FIELD_COST = 10;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

interface Measure {
  /** Deepest field nesting below this point (a leaf field is 1). */
  depth: number;
  aliases: number;
  /** Fields at every level, each costing 1. */
  fields: number;
  /** Fields directly in this selection set (through inline fragments and spreads). */
  topFields: number;
  /** First introspection field met, if any. */
  introspection: string | null;
}

const NOTHING: Measure = { depth: 0, aliases: 0, fields: 0, topFields: 0, introspection: null };

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  rootMutations: number;
  introspection: string | null;
}

/**
 * Measures `operation`. Fragment measures are memoised, so a fragment "bomb" (each fragment spreading
 * the previous one several times) is measured in linear time; numbers may grow huge, never slow.
 * Unknown and cyclic fragment spreads count as nothing: validation refuses them afterwards.
 */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Measure>();
  const visiting = new Set<string>();

  function fragment(name: string): Measure {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || visiting.has(name)) return NOTHING;
    visiting.add(name);
    const measure = selectionSet(definition.selectionSet);
    visiting.delete(name);
    measured.set(name, measure);
    return measure;
  }

  function selectionSet(set: SelectionSetNode): Measure {
    const total = { ...NOTHING };
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) {
        const children = selection.selectionSet ? selectionSet(selection.selectionSet) : NOTHING;
        part = {
          depth: children.depth + 1,
          aliases: children.aliases + (selection.alias ? 1 : 0),
          fields: children.fields + 1,
          topFields: 1,
          introspection: INTROSPECTION_FIELDS.has(selection.name.value) ? selection.name.value : children.introspection,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = selectionSet(selection.selectionSet);
      } else {
        part = fragment(selection.name.value);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.topFields += part.topFields;
      total.introspection ??= part.introspection;
    }
    return total;
  }

  const root = selectionSet(operation.selectionSet);
  const rootMutations = operation.operation === OperationTypeNode.MUTATION ? root.topFields : 0;
  return {
    depth: root.depth,
    aliases: root.aliases,
    cost: root.fields + rootMutations * (MUTATION_FIELD_COST - 1),
    rootMutations,
    introspection: root.introspection,
  };
}

/** The first limit `measure` exceeds, as a message for the caller, or null when it fits. */
export function exceededLimit(measure: OperationMeasure, limits: DocumentLimits): string | null {
  if (measure.introspection && !limits.introspection) {
    return `query: introspection (${measure.introspection}) is off on this server (SDE_GRAPHQL_INTROSPECTION)`;
  }
  if (measure.depth > limits.maxDepth) {
    return `query: depth ${measure.depth} exceeds the limit of ${limits.maxDepth} (SDE_GRAPHQL_MAX_DEPTH)`;
  }
  if (measure.rootMutations > limits.maxRootMutations) {
    return `query: ${measure.rootMutations} mutation fields exceed the limit of ${limits.maxRootMutations} per request (SDE_GRAPHQL_MAX_ROOT_MUTATIONS)`;
  }
  if (measure.aliases > limits.maxAliases) {
    return `query: ${measure.aliases} aliases exceed the limit of ${limits.maxAliases} (SDE_GRAPHQL_MAX_ALIASES)`;
  }
  if (measure.cost > limits.maxCost) {
    return `query: cost ${measure.cost} exceeds the limit of ${limits.maxCost} (each field 1, each mutation ${MUTATION_FIELD_COST}; SDE_GRAPHQL_MAX_COST)`;
  }
  return null;
}
