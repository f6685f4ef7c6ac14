import { Controller, Get, Header, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint: unauthenticated and unthrottled; keep it off the public ingress. */
@ApiExcludeController()
@Public()
@SkipThrottle({ default: true, auth: true, prediction: true, execution: true })
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: FastifyReply): Promise<void> {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
