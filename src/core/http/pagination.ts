import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;

/** The one pagination convention: `?offset=0&limit=20`, at most 100 items a page. */
export class PageQuery {
  /** Items to skip. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset: number = 0;
  /** Items a page (1–100). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit: number = 20;
}

export class PageInfo {
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'Items matching the query across all pages' }) total!: number;
}

export interface Page<T> {
  items: T[];
  page: PageInfo;
}

export function pageOf<T>(items: T[], total: number, query: PageQuery): Page<T> {
  return { items, page: { offset: query.offset, limit: query.limit, total } };
}
