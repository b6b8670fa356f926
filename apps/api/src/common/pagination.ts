import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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
