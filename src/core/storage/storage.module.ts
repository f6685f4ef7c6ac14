import { Global, Module } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { AppConfigService } from '../config';
import { DependencyPolicies } from '../resilience/dependency-policies';
import { guardS3Client } from './resilient-s3.middleware';

/** The S3 client, the same code for s3rver (local), MinIO and AWS S3. */
@Global()
@Module({
  providers: [
    {
      provide: S3Client,
      inject: [AppConfigService, DependencyPolicies],
      useFactory: (config: AppConfigService, policies: DependencyPolicies) => {
        const s3 = config.get('s3');
        const client = new S3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: s3.forcePathStyle,
          credentials:
            s3.accessKeyId && s3.secretAccessKey
              ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
              : undefined,
          maxAttempts: 1,
        });
        guardS3Client(client, policies);
        return client;
      },
    },
  ],
  exports: [S3Client],
})
export class StorageModule {}
