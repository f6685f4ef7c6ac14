import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/core/audit/audit.service';
import { type AuthenticatedUser, isAdmin } from 'src/core/auth';
import { NotFoundError, ValidationFailedError } from 'src/core/errors/app-error';
import { UsersRepository } from '../../auth/users.repository';
import type { ColumnSchema } from '../engine';
import type {
  ApplyRecipeDto,
  CreateRecipeDto,
  ListRecipesDto,
  RecipeSourceDto,
  RecipeTargetDto,
  ShareRecipeDto,
  UpdateRecipeDto,
} from '../dto/recipe-requests.dto';
import type { CompatibilityDto, RecipeDto, RecipeVersionDto } from '../dto/recipe-responses.dto';
import type { TransformationRunDto } from '../dto/transformation-responses.dto';
import { TransformationError, TransformationErrorCode } from '../transformations.errors';
import { TransformationsService, validateOrThrow } from '../transformations.service';
import { VersionLookupService } from '../version-lookup.service';
import { checkCompatibility } from './recipe-compatibility';
import {
  RecipeNameTakenError,
  type RecipeRecord,
  RecipesRepository,
  type RecipeVisibility,
} from './recipes.repository';

function nameTaken(name: string): TransformationError {
  return new TransformationError(
    TransformationErrorCode.RecipeNameTaken,
    `You already have a recipe named "${name}"; choose another name.`,
  );
}

/** Named, versioned pipelines: owned, shared read-only with named users, or public. */
@Injectable()
export class RecipesService {
  constructor(
    private readonly recipes: RecipesRepository,
    private readonly users: UsersRepository,
    private readonly lookup: VersionLookupService,
    private readonly transformations: TransformationsService,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthenticatedUser, dto: CreateRecipeDto): Promise<RecipeDto> {
    const inputSchema = await this.inputSchemaOf(user, dto);
    const { steps } = validateOrThrow(dto.steps, inputSchema);
    const now = new Date();
    let recipe: RecipeRecord;
    try {
      recipe = await this.recipes.create(
        {
          ownerId: user.id,
          name: dto.name.trim(),
          description: dto.description,
          latestVersion: 1,
          stepsJson: JSON.stringify(steps),
          inputSchema,
          sharedWith: [],
          public: false,
          createdAt: now,
          updatedAt: now,
        },
        {
          version: 1,
          stepsJson: JSON.stringify(steps),
          inputSchema,
          createdBy: user.id,
          createdAt: now,
        },
      );
    } catch (error) {
      if (error instanceof RecipeNameTakenError) throw nameTaken(dto.name.trim());
      throw error;
    }
    await this.recordAudit(user, 'recipe.create', recipe.id, { name: recipe.name });
    return this.view(user, recipe);
  }

  async list(
    user: AuthenticatedUser,
    query: ListRecipesDto,
  ): Promise<{ items: RecipeDto[]; total: number }> {
    const { items, total } = await this.recipes.list(
      this.visibility(user),
      { scope: query.scope, name: query.name },
      query.offset,
      query.limit,
    );
    return { items: await Promise.all(items.map((r) => this.view(user, r))), total };
  }

  async get(user: AuthenticatedUser, id: string, version?: number): Promise<RecipeDto> {
    const recipe = await this.readable(user, id);
    if (version === undefined || version === recipe.latestVersion) return this.view(user, recipe);
    const old = await this.recipes.version(recipe.id, version);
    if (!old) throw new NotFoundError('Recipe version', `${id} v${version}`);
    return this.view(
      user,
      {
        ...recipe,
        stepsJson: old.stepsJson,
        inputSchema: old.inputSchema,
        latestVersion: recipe.latestVersion,
      },
      version,
    );
  }

  async versions(user: AuthenticatedUser, id: string): Promise<RecipeVersionDto[]> {
    const recipe = await this.readable(user, id);
    return (await this.recipes.versionsOf(recipe.id)).map((v) => ({
      version: v.version,
      steps: JSON.parse(v.stepsJson) as Record<string, unknown>[],
      inputSchema: v.inputSchema,
      note: v.note,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    }));
  }

  /** New steps or schema make a new version; a name or description alone does not. */
  async update(user: AuthenticatedUser, id: string, dto: UpdateRecipeDto): Promise<RecipeDto> {
    const recipe = await this.writable(user, id);
    const changes = {
      ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
    };
    const newContent = dto.steps !== undefined || dto.inputSchema !== undefined || dto.from;
    let updated: RecipeRecord | null;
    try {
      if (!newContent) {
        updated = await this.recipes.rename(recipe.id, changes);
      } else {
        const inputSchema =
          dto.inputSchema || dto.from ? await this.inputSchemaOf(user, dto) : recipe.inputSchema;
        const { steps } = validateOrThrow(
          dto.steps ?? (JSON.parse(recipe.stepsJson) as unknown[]),
          inputSchema,
        );
        updated = await this.recipes.addVersion(
          recipe.id,
          {
            version: recipe.latestVersion + 1,
            stepsJson: JSON.stringify(steps),
            inputSchema,
            note: dto.note,
            createdBy: user.id,
            createdAt: new Date(),
          },
          changes,
        );
        if (!updated) {
          throw new TransformationError(
            TransformationErrorCode.RecipeNameTaken,
            'The recipe was updated at the same time by another request; reload it and retry.',
          );
        }
      }
    } catch (error) {
      if (error instanceof RecipeNameTakenError) throw nameTaken(changes.name ?? recipe.name);
      throw error;
    }
    if (!updated) throw new NotFoundError('Recipe', id);
    await this.recordAudit(user, 'recipe.update', recipe.id, { version: updated.latestVersion });
    return this.view(user, updated);
  }

  async remove(user: AuthenticatedUser, id: string): Promise<void> {
    const recipe = await this.writable(user, id);
    await this.recipes.delete(recipe.id);
    await this.recordAudit(user, 'recipe.delete', recipe.id, { name: recipe.name });
  }

  /** Replaces who the recipe is shared with; every address must belong to a user. */
  async share(user: AuthenticatedUser, id: string, dto: ShareRecipeDto): Promise<RecipeDto> {
    const recipe = await this.writable(user, id);
    const emails = [...new Set(dto.users.map((email) => email.toLowerCase()))];
    const found = await this.users.findByEmails(emails);
    const unknown = emails.filter((email) => !found.some((u) => u.email === email));
    if (unknown.length > 0) {
      throw new TransformationError(
        TransformationErrorCode.UnknownUser,
        `No user has the address(es) ${unknown.join(', ')}.`,
        { errors: unknown.map((email) => ({ field: 'users', message: `unknown user ${email}` })) },
      );
    }
    const updated = await this.recipes.setSharing(recipe.id, {
      sharedWith: found.map((u) => u.id).filter((uid) => uid !== recipe.ownerId),
      public: dto.public,
    });
    if (!updated) throw new NotFoundError('Recipe', id);
    await this.recordAudit(user, 'recipe.share', recipe.id, {
      users: emails.length,
      public: dto.public,
    });
    return this.view(user, updated);
  }

  async check(
    user: AuthenticatedUser,
    id: string,
    dto: RecipeTargetDto,
  ): Promise<CompatibilityDto> {
    const recipe = await this.readable(user, id);
    const { steps, inputSchema, version } = await this.contentOf(recipe, dto.recipeVersion);
    const target = await this.lookup.ready(user, dto.datasetId, dto.version);
    return {
      ...checkCompatibility(steps, inputSchema, target.version.columns),
      recipeVersion: version,
      datasetId: target.dataset.id,
      version: target.version.number,
    };
  }

  /** Applies the recipe to one of the caller's datasets after the compatibility check. */
  async apply(
    user: AuthenticatedUser,
    id: string,
    dto: ApplyRecipeDto,
  ): Promise<{ run: TransformationRunDto; created: boolean }> {
    const recipe = await this.readable(user, id);
    const { steps, inputSchema, version } = await this.contentOf(recipe, dto.recipeVersion);
    const target = await this.lookup.ready(user, dto.datasetId, dto.version);
    const compatibility = checkCompatibility(steps, inputSchema, target.version.columns);
    if (!compatibility.compatible) {
      throw new TransformationError(
        TransformationErrorCode.RecipeIncompatible,
        compatibility.explanation,
        { errors: compatibility.issues, extensions: { compatibility } },
      );
    }
    return this.transformations.apply(
      user,
      {
        datasetId: target.dataset.id,
        version: target.version.number,
        steps: steps as Record<string, unknown>[],
        confirm: dto.confirm,
      },
      { id: recipe.id, name: recipe.name, version },
    );
  }

  private async contentOf(
    recipe: RecipeRecord,
    version?: number,
  ): Promise<{ steps: unknown[]; inputSchema: ColumnSchema[]; version: number }> {
    if (version === undefined || version === recipe.latestVersion) {
      return {
        steps: JSON.parse(recipe.stepsJson) as unknown[],
        inputSchema: recipe.inputSchema,
        version: recipe.latestVersion,
      };
    }
    const old = await this.recipes.version(recipe.id, version);
    if (!old) throw new NotFoundError('Recipe version', `${recipe.id} v${version}`);
    return {
      steps: JSON.parse(old.stepsJson) as unknown[],
      inputSchema: old.inputSchema,
      version,
    };
  }

  private async inputSchemaOf(
    user: AuthenticatedUser,
    dto: { inputSchema?: ColumnSchema[]; from?: RecipeSourceDto },
  ): Promise<ColumnSchema[]> {
    if (dto.from) {
      const { version } = await this.lookup.ready(user, dto.from.datasetId, dto.from.version);
      return version.columns;
    }
    if (dto.inputSchema) return dto.inputSchema;
    throw new ValidationFailedError([
      {
        field: 'inputSchema',
        message: 'give the expected columns (inputSchema) or a dataset (from)',
      },
    ]);
  }

  private recordAudit(
    user: AuthenticatedUser,
    action: string,
    recipeId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      userId: user.id,
      actorEmail: user.email,
      target: recipeId,
      details,
    });
  }

  private visibility(user: AuthenticatedUser): RecipeVisibility {
    return { userId: user.id, admin: isAdmin(user) };
  }

  private async readable(user: AuthenticatedUser, id: string): Promise<RecipeRecord> {
    const recipe = await this.recipes.findVisible(id, this.visibility(user));
    if (!recipe) throw new NotFoundError('Recipe', id);
    return recipe;
  }

  /** Only the owner (or an admin) changes a recipe; readers get 403, strangers 404. */
  private async writable(user: AuthenticatedUser, id: string): Promise<RecipeRecord> {
    const recipe = await this.readable(user, id);
    if (recipe.ownerId !== user.id && !isAdmin(user)) {
      throw new TransformationError(
        TransformationErrorCode.RecipeReadOnly,
        `Recipe ${id} is shared with you read-only; only its owner can change it.`,
      );
    }
    return recipe;
  }

  private async view(
    user: AuthenticatedUser,
    recipe: RecipeRecord,
    version?: number,
  ): Promise<RecipeDto> {
    const mayManage = recipe.ownerId === user.id || isAdmin(user);
    const sharedWith = mayManage
      ? (await this.users.findByIds(recipe.sharedWith)).map((u) => u.email).sort()
      : undefined;
    return {
      id: recipe.id,
      name: recipe.name,
      description: recipe.description,
      ownerId: recipe.ownerId,
      version: version ?? recipe.latestVersion,
      latestVersion: recipe.latestVersion,
      steps: JSON.parse(recipe.stepsJson) as Record<string, unknown>[],
      inputSchema: recipe.inputSchema,
      sharedWith,
      public: recipe.public,
      access:
        recipe.ownerId === user.id
          ? 'owner'
          : recipe.sharedWith.includes(user.id)
            ? 'shared'
            : recipe.public
              ? 'public'
              : 'admin',
      createdAt: recipe.createdAt,
      updatedAt: recipe.updatedAt,
    };
  }
}
