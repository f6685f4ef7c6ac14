import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfigService } from './app-config.service';
import { loadConfiguration } from './configuration';
import { settleLibraryEnvironment } from './library-environment';

/**
 * The environment is read when the application is created (not when this file is imported),
 * so tests can boot several differently configured instances in one process by overriding
 * the APP_CONFIG provider.
 */
@Global()
@Module({
  providers: [
    {
      provide: APP_CONFIG,
      useFactory: () => {
        settleLibraryEnvironment(process.env);
        return loadConfiguration(process.env);
      },
    },
    AppConfigService,
  ],
  exports: [APP_CONFIG, AppConfigService],
})
export class AppConfigModule {}
