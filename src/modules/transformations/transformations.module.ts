import { Module } from '@nestjs/common';
import { APP_CONFIG } from 'src/core/config';
import { AuthModule } from '../auth/auth.module';
import { DatasetsModule } from '../datasets/datasets.module';
import { DATASETS_OPTIONS, datasetsOptionsFrom } from '../datasets/datasets.options';
import { LineageController } from './lineage/lineage.controller';
import { LineageService } from './lineage/lineage.service';
import { ReproductionsRepository } from './lineage/reproductions.repository';
import { PreviewSamples } from './preview/preview-samples';
import { PreviewService } from './preview/preview.service';
import { RecipesController } from './recipes/recipes.controller';
import { RecipesRepository } from './recipes/recipes.repository';
import { RecipesService } from './recipes/recipes.service';
import { TransformationRunsRepository } from './runs/transformation-runs.repository';
import { TransformationDependents } from './transformation-dependents';
import { TransformationsController } from './transformations.controller';
import { TransformedDatasetMilestone } from './transformations.milestones';
import { TransformationsModels } from './transformations.models';
import { TRANSFORMATIONS_OPTIONS, transformationsOptionsFrom } from './transformations.options';
import { TransformationsService } from './transformations.service';
import { VersionLookupService } from './version-lookup.service';

/** Transformations in the API: validate, preview, apply (as jobs), recipes and lineage. */
@Module({
  imports: [AuthModule, DatasetsModule, TransformationsModels],
  controllers: [TransformationsController, RecipesController, LineageController],
  providers: [
    { provide: DATASETS_OPTIONS, inject: [APP_CONFIG], useFactory: datasetsOptionsFrom },
    {
      provide: TRANSFORMATIONS_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: transformationsOptionsFrom,
    },
    LineageService,
    PreviewSamples,
    PreviewService,
    RecipesRepository,
    RecipesService,
    ReproductionsRepository,
    TransformationDependents,
    TransformationRunsRepository,
    TransformationsService,
    TransformedDatasetMilestone,
    VersionLookupService,
  ],
})
export class TransformationsModule {}
