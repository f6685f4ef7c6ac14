import { Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { LineageService, type LineageView, type ReproductionView } from './lineage.service';
import type { DrawableGraph } from './lineage-graph';

@ApiTags('lineage')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'lineage', version: '1' })
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get(':datasetId')
  @ApiOperation({
    summary: 'The version graph of a dataset',
    description:
      'Nodes are versions; edges are the pipelines that made them, with parameters, recipe, user and time.',
  })
  @ApiProblems(401, 404)
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('datasetId') datasetId: string,
  ): Promise<LineageView> {
    return this.lineage.lineage(user, datasetId);
  }

  @Get(':datasetId/graph')
  @ApiOperation({ summary: 'The version graph laid out for drawing (coordinates, labels)' })
  @ApiProblems(401, 404)
  graph(
    @CurrentUser() user: AuthenticatedUser,
    @Param('datasetId') datasetId: string,
  ): Promise<DrawableGraph & { datasetId: string }> {
    return this.lineage.graph(user, datasetId);
  }

  @Get(':datasetId/graph.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'The version graph as a self-contained SVG' })
  @ApiOkResponse({ description: 'SVG document' })
  @ApiProblems(401, 404)
  svg(
    @CurrentUser() user: AuthenticatedUser,
    @Param('datasetId') datasetId: string,
  ): Promise<string> {
    return this.lineage.svg(user, datasetId);
  }

  @Post(':datasetId/versions/:version/reproduce')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a version from its root upload and recorded pipelines (a job)',
    description:
      'The reproduction record (GET …/reproductions/{id}) says whether each content hash matched.',
  })
  @ApiResponse({ status: 202, description: 'Reproduction started' })
  @ApiProblems(400, 401, 404, 409, 429)
  reproduce(
    @CurrentUser() user: AuthenticatedUser,
    @Param('datasetId') datasetId: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<ReproductionView> {
    return this.lineage.reproduce(user, datasetId, version);
  }

  @Get(':datasetId/reproductions/:id')
  @ApiOperation({ summary: 'A reproduction: state, and per version whether the hash matched' })
  @ApiProblems(401, 404)
  reproduction(
    @CurrentUser() user: AuthenticatedUser,
    @Param('datasetId') datasetId: string,
    @Param('id') id: string,
  ): Promise<ReproductionView> {
    return this.lineage.reproduction(user, datasetId, id);
  }
}
