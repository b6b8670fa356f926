import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BadUserInputError } from '@pilotage/common';

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: `How many items to return (1–${MAX_PAGE_SIZE}).` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (from `pageInfo.endCursor`).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

@ObjectType({ description: 'Relay pagination information.' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page.' })
  endCursor!: string | null;
}

/** Keyset cursor: (createdAt, id) of the last item, opaque to clients. */
export interface CreatedAtCursor {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(cursor: CreatedAtCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): CreatedAtCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      if (!Number.isNaN(Date.parse(parsed[0]))) return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw BadUserInputError.forField('after', 'is not a valid cursor');
}

/** Builds a Relay connection type for `node`. */
export function Connection<T>(
  node: Type<T>,
  name: string,
): abstract new () => { edges: { cursor: string; node: T }[]; pageInfo: PageInfo; totalCount: number } {
  @ObjectType(`${name}Edge`, { description: `An edge of a ${name} connection.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => node, { description: 'The item.' })
    node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [Edge], { description: 'The items of this page.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Pagination information.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Total number of items matching the query.' })
    totalCount!: number;
  }
  return ConnectionType;
}
