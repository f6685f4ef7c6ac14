import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { type Page, pageOf, PageQuery } from 'src/core/http/pagination';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { DatasetDownloadsService } from './dataset-downloads.service';
import { DatasetsService } from './datasets.service';
import { attachmentDisposition } from './storage/downloads';
import {
  type DatasetDto,
  DatasetPageDto,
  DatasetRowsDto,
  DatasetSchemaDto,
  type DatasetVersionDto,
  DatasetVersionPageDto,
} from './dto/dataset-responses.dto';
import { ListDatasetsDto } from './dto/list-datasets.dto';
import { DownloadQueryDto } from './dto/download-query.dto';
import { RowsQueryDto } from './dto/rows-query.dto';
import { VersionQueryDto } from './dto/version-query.dto';
import { UpdateDatasetDto } from './dto/update-dataset.dto';
import type { DatasetProfile } from './engine/profiler';
import { DATASET_FORMATS } from './engine/formats';

const UPLOAD_BODY = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      name: {
        type: 'string',
        description: 'Dataset name (default: the file name); send before the file',
      },
      description: { type: 'string' },
      format: {
        type: 'string',
        enum: [...DATASET_FORMATS],
        description: 'Overrides the extension; send before the file',
      },
      file: {
        type: 'string',
        format: 'binary',
        description:
          'CSV, TSV, JSON Lines (each may be gzip-compressed: .csv.gz), Parquet or Excel .xlsx (its first sheet)',
      },
    },
  },
};

@ApiTags('datasets')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'datasets', version: '1' })
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly downloads: DatasetDownloadsService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Upload a file as a new dataset (streamed to storage, validated on the way)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiProblems(400, 401, 413, 429)
  create(@CurrentUser() user: AuthenticatedUser, @Req() req: FastifyRequest): Promise<DatasetDto> {
    // Left unread by the body parsers (src/core/http/body-parsers.ts): the upload streams from
    // Node's request.
    return this.datasets.create(user, req.raw);
  }

  @Get()
  @ApiOperation({ summary: 'List your datasets' })
  @ApiOkResponse({ type: DatasetPageDto })
  @ApiProblems(400, 401, 429)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListDatasetsDto,
  ): Promise<Page<DatasetDto>> {
    const { items, total } = await this.datasets.list(user, query);
    return pageOf(items, total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a dataset with its current version' })
  @ApiProblems(401, 404, 429)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<DatasetDto> {
    return this.datasets.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename or describe a dataset' })
  @ApiProblems(400, 401, 404, 429)
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: UpdateDatasetDto,
  ): Promise<DatasetDto> {
    return this.datasets.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a dataset, its versions and stored files (repeat after a 503)' })
  @ApiProblems(401, 404, 409, 429, 503)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.datasets.remove(user, id);
  }

  @Post(':id/versions')
  @ApiOperation({ summary: 'Upload a new version of a dataset' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiProblems(400, 401, 404, 409, 413, 429)
  createVersion(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Req() req: FastifyRequest,
  ): Promise<DatasetDto> {
    return this.datasets.createVersion(user, id, req.raw);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'List the versions of a dataset, newest first' })
  @ApiOkResponse({ type: DatasetVersionPageDto })
  @ApiProblems(400, 401, 404, 429)
  async versions(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<Page<DatasetVersionDto>> {
    const { items, total } = await this.datasets.listVersions(user, id, page.offset, page.limit);
    return pageOf(items, total, page);
  }

  @Delete(':id/versions/:versionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a version nothing derives from' })
  @ApiProblems(401, 404, 409, 429)
  async removeVersion(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('versionId') versionId: string,
  ): Promise<void> {
    await this.datasets.removeVersion(user, id, versionId);
  }

  @Get(':id/schema')
  @ApiOperation({ summary: 'Columns and types of the current version (or ?version=N)' })
  @ApiOkResponse({ type: DatasetSchemaDto })
  @ApiProblems(400, 401, 404, 409, 429)
  schema(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: VersionQueryDto,
  ): Promise<DatasetSchemaDto> {
    return this.datasets.schema(user, id, query.version);
  }

  @Get(':id/rows')
  @ApiOperation({ summary: 'A page of typed rows of the current version (or ?version=N)' })
  @ApiOkResponse({ type: DatasetRowsDto })
  @ApiProblems(400, 401, 404, 409, 429)
  async rows(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: RowsQueryDto,
  ): Promise<DatasetRowsDto> {
    const { columns, rows, total } = await this.datasets.rows(user, id, query);
    return { columns, rows, page: { offset: query.offset, limit: query.limit, total } };
  }

  @Get(':id/download')
  @ApiOperation({
    summary: 'Download a version as CSV, as its typed Parquet copy, or as the file uploaded',
  })
  @ApiProduces('text/csv', 'application/vnd.apache.parquet', 'application/octet-stream')
  @ApiProblems(400, 401, 404, 409, 429)
  async download(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: DownloadQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.downloads.download(user, id, query.format, query.version);
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: attachmentDisposition(file.fileName),
    });
  }

  @Get(':id/profile')
  @ApiOperation({
    summary:
      'Profile of the current version (or ?version=N): statistics, correlations, alerts, story',
  })
  @ApiProblems(400, 401, 404, 409, 429)
  profile(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: VersionQueryDto,
  ): Promise<DatasetProfile> {
    return this.datasets.profile(user, id, query.version);
  }

  @Get(':id/profile.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Self-contained HTML profile report (current version, or ?version=N)' })
  @ApiProduces('text/html')
  @ApiProblems(400, 401, 404, 409, 429)
  profileHtml(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: VersionQueryDto,
  ): Promise<string> {
    return this.datasets.profileHtml(user, id, query.version);
  }
}
