import { Controller, Get, Res, VERSION_NEUTRAL } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from 'src/core/auth';
import { HealthService, type ReadinessReport } from './health.service';

@ApiTags('health')
@Public()
@SkipThrottle({ default: true, auth: true, prediction: true, execution: true })
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: 200 while the process runs; touches no dependency' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: MongoDB, Redis and S3 (critical) and OpenAI (reported) checked in parallel',
  })
  @ApiOkResponse({ description: 'Every critical component is up' })
  @ApiServiceUnavailableResponse({ description: 'A critical component is down' })
  async ready(@Res({ passthrough: true }) res: FastifyReply): Promise<ReadinessReport> {
    const report = await this.health.readiness();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
