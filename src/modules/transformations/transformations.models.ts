import { MongooseModule } from '@nestjs/mongoose';
import { Recipe, RecipeSchema, RecipeVersion, RecipeVersionSchema } from './schemas/recipe.schema';
import { Reproduction, ReproductionSchema } from './schemas/reproduction.schema';
import { TransformationRun, TransformationRunSchema } from './schemas/transformation-run.schema';

/** The collections of the transformations domain, for the API and the worker modules. */
export const TransformationsModels = MongooseModule.forFeature([
  { name: TransformationRun.name, schema: TransformationRunSchema },
  { name: Recipe.name, schema: RecipeSchema },
  { name: RecipeVersion.name, schema: RecipeVersionSchema },
  { name: Reproduction.name, schema: ReproductionSchema },
]);
