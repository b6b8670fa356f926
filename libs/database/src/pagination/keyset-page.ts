import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from '@pilotage/common';
import { isUuid } from '../tenancy/tenant-context';

/** One page of a list, as GraphQL connections expose it (the API maps the nodes at the edge). */
export interface KeysetPage<N> {
  readonly edges: { cursor: string; node: N }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Rows matching the query's filters, all pages together. */
  readonly totalCount: number;
}

/** What the caller asks for: a page size (bounded by the API's PageArgs) and where to resume. */
export interface KeysetPageRequest {
  readonly first: number;
  /** The `endCursor` of the previous page, as the `after` argument received it. */
  readonly after?: string | null;
}

/** The stable order of the list: a timestamp property, then the id to break ties. */
export interface KeysetOrder<K extends string> {
  /** The query builder's alias of the listed entity. */
  readonly alias: string;
  /**
   * The timestamp property the list is sorted by (usually `createdAt`). Its column must hold
   * milliseconds at most (`timestamp(3)`): the cursor carries a JS Date, and a finer column
   * would make the last row of a page compare greater than its own cursor.
   */
  readonly sortBy: K;
  readonly direction: 'ASC' | 'DESC';
}

/**
 * One page of `query` in the stable order (sortBy, id), resuming strictly after the cursor:
 * `(sortBy, id) > cursor` ascending, `<` descending, so rows inserted meanwhile never shift
 * the pages already read. `query` carries the filters only (no order, no limit); it is
 * counted, then narrowed, ordered and limited here.
 *
 * A malformed cursor is BAD_USER_INPUT naming `after`, before any SQL runs.
 */
export async function keysetPage<E extends ObjectLiteral & { id: string } & Record<K, Date>, K extends string>(
  query: SelectQueryBuilder<E>,
  request: KeysetPageRequest,
  order: KeysetOrder<K>,
): Promise<KeysetPage<E>> {
  const sortColumn = `${order.alias}.${order.sortBy}`;
  const idColumn = `${order.alias}.id`;
  // Decoded before the count: a bad cursor fails the request without touching the database.
  const cursor = request.after === undefined || request.after === null ? null : decodeKeysetCursor(request.after);
  const totalCount = await query.getCount();
  if (cursor !== null) {
    const comparison = order.direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${sortColumn}, ${idColumn}) ${comparison} (:keysetSortValue, :keysetId)`, {
      keysetSortValue: cursor.sortValue,
      keysetId: cursor.id,
    });
  }
  // One row more than asked tells whether another page follows.
  const rows = await query
    .orderBy(sortColumn, order.direction)
    .addOrderBy(idColumn, order.direction)
    .take(request.first + 1)
    .getMany();
  const edges = rows.slice(0, request.first).map((node) => ({
    cursor: encodeKeysetCursor({ sortValue: (node[order.sortBy] as Date).toISOString(), id: node.id }),
    node,
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > request.first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}

/** The same page with each node mapped (e.g. an entity to its GraphQL model). */
export function mapKeysetPage<E, N>(page: KeysetPage<E>, toNode: (node: E) => N): KeysetPage<N> {
  return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toNode(edge.node) })) };
}

/** The same page with nodes mapped in one batch (`nodes[i]` is edge i's node), e.g. by an async loader. */
export function withKeysetNodes<E, N>(page: KeysetPage<E>, nodes: readonly N[]): KeysetPage<N> {
  if (nodes.length !== page.edges.length) throw new Error(`Expected ${page.edges.length} nodes for the page, got ${nodes.length}`);
  return { ...page, edges: page.edges.map((edge, index) => ({ cursor: edge.cursor, node: nodes[index] })) };
}

/** Keyset cursor: the sort timestamp and id of a page's last row, opaque to clients. */
export interface KeysetCursor {
  /** ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  readonly sortValue: string;
  readonly id: string;
}

const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.sortValue, cursor.id])).toString('base64url');
}

/**
 * Reads a cursor back. Only what `encodeKeysetCursor` writes is accepted (a real UTC instant
 * with milliseconds, a uuid): anything else would reach PostgreSQL as a bad timestamp or uuid
 * and come back as an internal error.
 */
export function decodeKeysetCursor(value: string): KeysetCursor {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    // Not base64url JSON: reported below like any other malformed cursor.
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const sortValue: unknown = parsed[0];
    const id: unknown = parsed[1];
    if (typeof sortValue === 'string' && typeof id === 'string' && isIsoInstant(sortValue) && isUuid(id)) return { sortValue, id };
  }
  throw BadUserInputError.forField('after', 'is not a valid cursor (pass the endCursor of the previous page)');
}

function isIsoInstant(value: string): boolean {
  if (!ISO_MILLISECONDS.test(value)) return false;
  const time = Date.parse(value);
  // Round trip: rejects dates that match the pattern but do not exist (2026-02-30).
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}
