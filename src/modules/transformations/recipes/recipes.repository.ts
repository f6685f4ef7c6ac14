import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { isDuplicateKey, type Lean, type WithId, withId } from '../mongo-records';
import { Recipe, RecipeVersion } from '../schemas/recipe.schema';

export type RecipeRecord = WithId<Recipe>;
export type RecipeVersionRecord = WithId<RecipeVersion>;

/** Which recipes a user may read: their own, those shared with them, public ones (admins: all). */
export interface RecipeVisibility {
  userId: string;
  admin: boolean;
}

function visibleTo(v: RecipeVisibility): Record<string, unknown> {
  return v.admin
    ? {}
    : { $or: [{ ownerId: v.userId }, { sharedWith: v.userId }, { public: true }] };
}

export class RecipeNameTakenError extends Error {}

@Injectable()
export class RecipesRepository {
  constructor(
    @InjectModel(Recipe.name) private readonly recipes: Model<Recipe>,
    @InjectModel(RecipeVersion.name) private readonly versions: Model<RecipeVersion>,
  ) {}

  /** Creates the recipe and its version 1; a name the owner already uses is refused. */
  async create(recipe: Recipe, first: Omit<RecipeVersion, 'recipeId'>): Promise<RecipeRecord> {
    const id = new Types.ObjectId();
    try {
      await this.recipes.create({ _id: id, ...recipe });
    } catch (error) {
      if (isDuplicateKey(error)) throw new RecipeNameTakenError(recipe.name);
      throw error;
    }
    try {
      await this.versions.create({ ...first, recipeId: id.toHexString() });
    } catch (error) {
      await this.recipes.deleteOne({ _id: id }).exec(); // never a recipe without its version 1
      throw error;
    }
    return (await this.find(id.toHexString()))!;
  }

  async find(id: string): Promise<RecipeRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.recipes.findById(id).lean<Lean<Recipe>>().exec();
    return doc ? withId(doc) : null;
  }

  async findVisible(id: string, visibility: RecipeVisibility): Promise<RecipeRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.recipes
      .findOne({ _id: id, ...visibleTo(visibility) })
      .lean<Lean<Recipe>>()
      .exec();
    return doc ? withId(doc) : null;
  }

  async list(
    visibility: RecipeVisibility,
    filter: { scope: 'all' | 'mine' | 'shared' | 'public'; name?: string },
    offset: number,
    limit: number,
  ): Promise<{ items: RecipeRecord[]; total: number }> {
    const query: Record<string, unknown> = { ...visibleTo(visibility) };
    if (filter.scope === 'mine') query.ownerId = visibility.userId;
    if (filter.scope === 'shared') query.sharedWith = visibility.userId;
    if (filter.scope === 'public') query.public = true;
    if (filter.name) query.name = { $regex: escapeRegex(filter.name), $options: 'i' };
    const [docs, total] = await Promise.all([
      this.recipes
        .find(query)
        .sort({ updatedAt: -1 })
        .skip(offset)
        .limit(limit)
        .lean<Lean<Recipe>[]>()
        .exec(),
      this.recipes.countDocuments(query).exec(),
    ]);
    return { items: docs.map(withId), total };
  }

  /**
   * Appends version `next` (unique per recipe, so two concurrent updates cannot both write the
   * same number) and then moves the recipe's latest pointer to it.
   */
  async addVersion(
    recipeId: string,
    next: Omit<RecipeVersion, 'recipeId'>,
    changes: Partial<Pick<Recipe, 'name' | 'description'>>,
  ): Promise<RecipeRecord | null> {
    try {
      await this.versions.create({ ...next, recipeId });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    try {
      await this.recipes
        .updateOne(
          { _id: recipeId },
          {
            $set: {
              ...changes,
              latestVersion: next.version,
              stepsJson: next.stepsJson,
              inputSchema: next.inputSchema,
              updatedAt: next.createdAt,
            },
          },
        )
        .exec();
    } catch (error) {
      if (isDuplicateKey(error)) {
        await this.versions.deleteOne({ recipeId, version: next.version }).exec();
        throw new RecipeNameTakenError(changes.name ?? '');
      }
      throw error;
    }
    return this.find(recipeId);
  }

  async rename(
    recipeId: string,
    changes: Partial<Pick<Recipe, 'name' | 'description'>>,
  ): Promise<RecipeRecord | null> {
    try {
      await this.recipes
        .updateOne({ _id: recipeId }, { $set: { ...changes, updatedAt: new Date() } })
        .exec();
    } catch (error) {
      if (isDuplicateKey(error)) throw new RecipeNameTakenError(changes.name ?? '');
      throw error;
    }
    return this.find(recipeId);
  }

  async setSharing(
    recipeId: string,
    sharing: { sharedWith: string[]; public: boolean },
  ): Promise<RecipeRecord | null> {
    await this.recipes
      .updateOne({ _id: recipeId }, { $set: { ...sharing, updatedAt: new Date() } })
      .exec();
    return this.find(recipeId);
  }

  async version(recipeId: string, version: number): Promise<RecipeVersionRecord | null> {
    const doc = await this.versions
      .findOne({ recipeId, version })
      .lean<Lean<RecipeVersion>>()
      .exec();
    return doc ? withId(doc) : null;
  }

  async versionsOf(recipeId: string): Promise<RecipeVersionRecord[]> {
    const docs = await this.versions
      .find({ recipeId })
      .sort({ version: -1 })
      .lean<Lean<RecipeVersion>[]>()
      .exec();
    return docs.map(withId);
  }

  /** Deletes the recipe first (it disappears at once), then its versions. */
  async delete(recipeId: string): Promise<void> {
    await this.recipes.deleteOne({ _id: recipeId }).exec();
    await this.versions.deleteMany({ recipeId }).exec();
  }
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
