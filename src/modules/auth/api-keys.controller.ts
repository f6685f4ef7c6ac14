import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { type Page, pageOf, PageQuery } from 'src/core/http/pagination';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { ApiKeysService } from './api-keys.service';
import { type ApiKeyDto, ApiKeyPageDto, CreatedApiKeyDto } from './dto/auth-responses.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import type { ApiKeyRecord } from './api-keys.repository';

function toDto({ ownerId: _owner, revokedAt: _revoked, ...rest }: ApiKeyRecord): ApiKeyDto {
  return rest;
}

@ApiTags('auth')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'auth/api-keys', version: '1' })
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a personal API key (the key is shown only in this answer)' })
  @ApiProblems(400, 401, 429)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { key, ...record } = await this.apiKeys.create(user, dto);
    return { ...toDto(record), key };
  }

  @Get()
  @ApiOperation({ summary: 'List your active API keys' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiProblems(400, 401, 429)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() page: PageQuery,
  ): Promise<Page<ApiKeyDto>> {
    const { items, total } = await this.apiKeys.list(user, page);
    return pageOf(items.map(toDto), total, page);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiProblems(401, 404, 429)
  async revoke(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(user, id);
  }
}
