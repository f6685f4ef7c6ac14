import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { type Page, pageOf, PageQuery } from 'src/core/http/pagination';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { RateLimitGroup } from 'src/core/throttling/rate-limit-group.decorator';
import { CodeSecurityService } from './code-security.service';
import { ExecuteCodeDto } from './dto/execute-code.dto';
import {
  type CodeExecutionDto,
  CodeExecutionPageDto,
  ExecutionLimitsDto,
  ExecutionResultDto,
  SandboxHealthDto,
} from './dto/execution-responses.dto';

const EXECUTE_DESCRIPTION = [
  'Runs a JavaScript snippet in a V8 isolate of its own, or a Python snippet (numpy and pandas available) in a',
  'bubblewrap sandbox: no network, no service files or environment, an unprivileged uid, CPU, wall-time, memory,',
  'process and output limits. See docs/code-security.md for the threat model.',
  '',
  '200: the program completed. 422: the program ended badly, with the problem type naming the outcome —',
  '`syntax-error` (line, column, message), `runtime-error` (errorType, message, traceback), `timeout`, `memory-limit`',
  'or `output-limit` — and whatever stdout, stderr, timings and peak memory were captured as problem members.',
  '429: over the per-user rate limit (`rate-limited`) or the concurrency cap per user or per server (`concurrency-limit`),',
  'with Retry-After. 503 only when the sandbox itself cannot start.',
  '',
  'The older mapping — 408 for a timeout, 507 for the memory limit, 500 for errors in the program — is replaced on',
  'purpose: each is the user program ending badly, not the request timing out or the server failing, so it is one 422',
  'with a problem type per outcome.',
].join('\n');

@ApiTags('code-security')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'security', version: '1' })
export class CodeSecurityController {
  constructor(private readonly codeSecurity: CodeSecurityService) {}

  @Post('execute')
  @HttpCode(200)
  @RateLimitGroup('execution')
  @ApiOperation({
    summary: 'Run a JavaScript or Python snippet in a sandbox',
    description: EXECUTE_DESCRIPTION,
  })
  @ApiOkResponse({ type: ExecutionResultDto })
  @ApiProblems(400, 401, 422, 429, 503)
  execute(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ExecuteCodeDto,
  ): Promise<ExecutionResultDto> {
    return this.codeSecurity.execute(user, dto);
  }

  @Get('limits')
  @ApiOperation({ summary: 'The limits every execution runs under' })
  @ApiOkResponse({ type: ExecutionLimitsDto })
  @ApiProblems(401, 429)
  limits(): ExecutionLimitsDto {
    return this.codeSecurity.limits();
  }

  @Get('health')
  @ApiOperation({
    summary: 'Sandbox availability per language (a real probe run, cached for 30 s)',
  })
  @ApiOkResponse({ type: SandboxHealthDto })
  @ApiProblems(401, 429)
  health(): Promise<SandboxHealthDto> {
    return this.codeSecurity.sandboxHealth();
  }

  @Get('executions')
  @ApiOperation({ summary: 'List executions, newest first: your own, or everyone’s for admins' })
  @ApiOkResponse({ type: CodeExecutionPageDto })
  @ApiProblems(400, 401, 429)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() page: PageQuery,
  ): Promise<Page<CodeExecutionDto>> {
    const { items, total } = await this.codeSecurity.list(user, page);
    return pageOf(items, total, page);
  }
}
