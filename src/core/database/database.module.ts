import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfigService } from '../config';
import { MigrationRunner } from './migration-runner';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        uri: config.get('mongo').uri,
        // Indexes are created by migrations, never implicitly at boot (STYLE.md).
        autoIndex: false,
        autoCreate: false,
        serverSelectionTimeoutMS: 5000,
      }),
    }),
  ],
  providers: [MigrationRunner],
  exports: [MigrationRunner],
})
export class DatabaseModule {}
