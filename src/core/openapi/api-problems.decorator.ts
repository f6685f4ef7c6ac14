import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input (per-field `errors`)',
  401: 'Not authenticated (see WWW-Authenticate)',
  403: 'Authenticated but not allowed',
  404: 'Missing, or not yours',
  406: 'No acceptable representation (unknown API version)',
  409: 'Conflicts with the current state',
  413: 'Too large',
  422: 'Well-formed but impossible to carry out',
  429: 'Over a rate or concurrency limit (see Retry-After)',
  503: 'A dependency is unavailable',
};

export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** Documents the problem+json answers a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_SCHEMA } },
      }),
    ),
  );
}
