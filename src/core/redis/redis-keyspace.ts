import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../config';

/** Every Redis key of this deployment lives under REDIS_KEY_PREFIX, so deployments can share a server. */
@Injectable()
export class RedisKeyspace {
  readonly prefix: string;

  constructor(config: AppConfigService) {
    this.prefix = config.get('redis').keyPrefix;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
