import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('NarrativeML API')
    .setDescription(
      [
        'Low-code machine learning: datasets, transformations, AutoML training, predictions and drift monitoring.',
        '',
        'Every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail`, `instance` and `requestId`.',
        'Status codes: 400 invalid input, 401 not authenticated, 403 not allowed, 404 missing or not yours, 409 conflict,',
        '413 too large, 422 well-formed but impossible, 429 over a limit. Lists take `offset` and `limit` (at most 100).',
        '',
        'Authenticate with the OAuth2 password flow (Authorize → username = e-mail) or a personal API key as a Bearer token.',
      ].join('\n'),
    )
    .setVersion('1')
    .addOAuth2({
      type: 'oauth2',
      flows: {
        password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: {} },
      },
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Personal API key (nml_...) or access token' },
      'api-key',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, the document at /docs-json and /docs-yaml. */
export function mountSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
  return document;
}
