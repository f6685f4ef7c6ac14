import { Module } from '@nestjs/common';

/** Placeholder wired into AppModule; the module's providers and controllers are added here. */
@Module({})
export class DatasetsModule {}
