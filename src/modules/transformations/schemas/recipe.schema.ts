import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ColumnSchema } from '../engine/values';

/**
 * A named, versioned pipeline: the latest steps and the input schema they expect, who it is
 * shared with (read-only) and whether it is public. Each update appends a `recipe_versions`
 * document; this one mirrors the latest.
 */
@Schema({ collection: 'recipes', versionKey: false })
export class Recipe {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true, trim: true }) name!: string;
  @Prop({ type: String }) description?: string;
  @Prop({ type: Number, required: true }) latestVersion!: number;
  @Prop({ type: String, required: true }) stepsJson!: string;
  @Prop({ type: [Object], required: true }) inputSchema!: ColumnSchema[];
  @Prop({ type: [String], default: [] }) sharedWith!: string[];
  @Prop({ type: Boolean, default: false }) public!: boolean;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const RecipeSchema = SchemaFactory.createForClass(Recipe);

/** One immutable version of a recipe; `(recipeId, version)` is unique. */
@Schema({ collection: 'recipe_versions', versionKey: false })
export class RecipeVersion {
  @Prop({ type: String, required: true }) recipeId!: string;
  @Prop({ type: Number, required: true }) version!: number;
  @Prop({ type: String, required: true }) stepsJson!: string;
  @Prop({ type: [Object], required: true }) inputSchema!: ColumnSchema[];
  @Prop({ type: String }) note?: string;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export const RecipeVersionSchema = SchemaFactory.createForClass(RecipeVersion);
