import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { type Page, pageOf } from 'src/core/http/pagination';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import {
  ApplyRecipeDto,
  CreateRecipeDto,
  ListRecipesDto,
  RecipeTargetDto,
  RecipeVersionQueryDto,
  ShareRecipeDto,
  UpdateRecipeDto,
} from '../dto/recipe-requests.dto';
import {
  CompatibilityDto,
  RecipeDto,
  RecipePageDto,
  RecipeVersionDto,
} from '../dto/recipe-responses.dto';
import { TransformationRunDto } from '../dto/transformation-responses.dto';
import { RecipesService } from './recipes.service';

@ApiTags('recipes')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'recipes', version: '1' })
export class RecipesController {
  constructor(private readonly recipes: RecipesService) {}

  @Post()
  @ApiOperation({
    summary: 'Save a pipeline as a recipe (version 1)',
    description: 'Give the expected input columns (`inputSchema`) or a dataset version (`from`).',
  })
  @ApiResponse({ status: 201, type: RecipeDto })
  @ApiProblems(400, 401, 404, 409, 429)
  create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreateRecipeDto): Promise<RecipeDto> {
    return this.recipes.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Recipes you own, that are shared with you, or public' })
  @ApiOkResponse({ type: RecipePageDto })
  @ApiProblems(400, 401)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListRecipesDto,
  ): Promise<Page<RecipeDto>> {
    const { items, total } = await this.recipes.list(user, query);
    return pageOf(items, total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A recipe (latest version, or ?version=n)' })
  @ApiOkResponse({ type: RecipeDto })
  @ApiProblems(400, 401, 404)
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: RecipeVersionQueryDto,
  ): Promise<RecipeDto> {
    return this.recipes.get(user, id, query.version);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version of a recipe, newest first' })
  @ApiOkResponse({ type: [RecipeVersionDto] })
  @ApiProblems(401, 404)
  versions(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<RecipeVersionDto[]> {
    return this.recipes.versions(user, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a recipe (owner only)',
    description: 'New steps or input schema make a new version; name and description do not.',
  })
  @ApiOkResponse({ type: RecipeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: UpdateRecipeDto,
  ): Promise<RecipeDto> {
    return this.recipes.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a recipe and its versions (owner only)' })
  @ApiProblems(401, 403, 404)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.recipes.remove(user, id);
  }

  @Put(':id/sharing')
  @ApiOperation({
    summary: 'Share read-only with users (by e-mail) and/or make public (owner only)',
  })
  @ApiOkResponse({ type: RecipeDto })
  @ApiProblems(400, 401, 403, 404)
  share(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: ShareRecipeDto,
  ): Promise<RecipeDto> {
    return this.recipes.share(user, id, dto);
  }

  @Post(':id/check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Whether the recipe can run on one of your dataset versions, and why not',
  })
  @ApiOkResponse({ type: CompatibilityDto })
  @ApiProblems(400, 401, 404, 409)
  check(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: RecipeTargetDto,
  ): Promise<CompatibilityDto> {
    return this.recipes.check(user, id, dto);
  }

  @Post(':id/apply')
  @ApiOperation({
    summary: 'Apply the recipe to one of your dataset versions (a job making a new version)',
    description: '422 with the explanation when the dataset does not fit the recipe.',
  })
  @ApiResponse({ status: 202, type: TransformationRunDto })
  @ApiResponse({ status: 200, type: TransformationRunDto, description: 'Already applied' })
  @ApiProblems(400, 401, 404, 409, 422, 429)
  async apply(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: ApplyRecipeDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<TransformationRunDto> {
    const { run, created } = await this.recipes.apply(user, id, dto);
    res.status(created ? 202 : 200);
    return run;
  }
}
