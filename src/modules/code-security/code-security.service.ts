import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AuditService } from 'src/core/audit/audit.service';
import { type AuthenticatedUser, ownerScope } from 'src/core/auth';
import { AppConfigService } from 'src/core/config';
import { AppError } from 'src/core/errors';
import type { PageQuery } from 'src/core/http/pagination';
import { CodeExecutionsRepository, type CodeExecutionRecord } from './code-executions.repository';
import { EXECUTION_LIMITS, LANGUAGES, type Language } from './code-security.limits';
import {
  ConcurrencyLimitError,
  ExecutionFailedError,
  SandboxUnavailableError,
} from './code-security.errors';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { ExecuteCodeDto } from './dto/execute-code.dto';
import type {
  ExecutionLimitsDto,
  ExecutionResultDto,
  SandboxHealthDto,
} from './dto/execution-responses.dto';
import type { Sandbox, SandboxHealth, SandboxResult } from './sandbox/sandbox.types';

export const SANDBOXES = Symbol('SANDBOXES');
export const CONCURRENCY_LIMITER = Symbol('CONCURRENCY_LIMITER');

/** Health probes are real runs; cache them so the endpoint stays cheap. */
const HEALTH_TTL_MS = 30_000;

@Injectable()
export class CodeSecurityService implements OnModuleDestroy {
  private readonly logger = new Logger(CodeSecurityService.name);
  private health?: { at: number; report: Promise<SandboxHealthDto> };

  constructor(
    @Inject(SANDBOXES) private readonly sandboxes: Record<Language, Sandbox>,
    @Inject(CONCURRENCY_LIMITER) private readonly limiter: ConcurrencyLimiter,
    private readonly executions: CodeExecutionsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfigService,
  ) {}

  onModuleDestroy(): void {
    for (const sandbox of Object.values(this.sandboxes)) sandbox.close?.();
  }

  /**
   * Runs a snippet in the language's sandbox. Returns the result of a successful run; throws
   * ExecutionFailedError (422) when the program ended badly, ConcurrencyLimitError (429) when the
   * user or the instance is at its cap. Every run is stored and audited, whatever its outcome.
   */
  async execute(user: AuthenticatedUser, dto: ExecuteCodeDto): Promise<ExecutionResultDto> {
    const limits = {
      timeoutSeconds: dto.timeoutSeconds ?? EXECUTION_LIMITS.timeoutSeconds.default,
      memoryMb: dto.memoryMb ?? EXECUTION_LIMITS.memoryMb.default,
    };
    const inputs = dto.inputs ?? {};
    const codeSha256 = createHash('sha256').update(dto.code).digest('hex');
    const lease = this.limiter.acquire(user.id);
    if ('refused' in lease) throw new ConcurrencyLimitError(lease.refused, lease.limit);

    let run: SandboxResult;
    try {
      run = await this.sandboxes[dto.language].run({
        code: dto.code,
        inputs,
        timeoutMs: limits.timeoutSeconds * 1000,
        memoryMb: limits.memoryMb,
        slot: lease.slot,
      });
    } catch (error) {
      this.logger.error({ err: error, language: dto.language }, 'sandbox failed to run');
      await this.audit.record({
        action: 'code.execute',
        outcome: 'failure',
        userId: user.id,
        actorEmail: user.email,
        target: `sha256:${codeSha256}`,
        details: { language: dto.language, codeSha256, ...limits, outcome: 'sandbox-unavailable' },
      });
      throw new SandboxUnavailableError(dto.language, error);
    } finally {
      lease.release();
    }

    const record = await this.executions.insert({
      ownerId: user.id,
      language: dto.language,
      codeSha256,
      codeLength: dto.code.length,
      ...limits,
      inputNames: Object.keys(inputs),
      outcome: run.outcome,
      durationMs: run.durationMs,
      cpuTimeMs: run.cpuTimeMs,
      peakMemoryBytes: run.peakMemoryBytes,
      stdoutBytes: Buffer.byteLength(run.stdout),
      stderrBytes: Buffer.byteLength(run.stderr),
      createdAt: new Date(),
    });
    await this.audit.record({
      action: 'code.execute',
      outcome: run.outcome === 'success' ? 'success' : 'failure',
      userId: user.id,
      actorEmail: user.email,
      target: `sha256:${codeSha256}`,
      details: {
        executionId: record.id,
        language: dto.language,
        codeSha256,
        ...limits,
        outcome: run.outcome,
        durationMs: run.durationMs,
      },
    });

    const common = {
      executionId: record.id,
      language: dto.language,
      stdout: run.stdout,
      stderr: run.stderr,
      stdoutTruncated: run.stdoutTruncated,
      stderrTruncated: run.stderrTruncated,
      executionTimeMs: run.durationMs,
      cpuTimeMs: run.cpuTimeMs,
      peakMemoryBytes: run.peakMemoryBytes,
      limits,
    };
    if (run.outcome === 'success') {
      return {
        ...common,
        outcome: 'success',
        result: run.result,
        variables: run.variables,
        omittedVariables: run.omittedVariables,
      };
    }
    const error = run.error ?? { message: run.outcome };
    throw new ExecutionFailedError(run.outcome, detailOf(run), {
      ...common,
      outcome: run.outcome,
      ...(error.type ? { errorType: error.type } : {}),
      message: error.message,
      ...(error.line !== undefined ? { line: error.line } : {}),
      ...(error.column !== undefined ? { column: error.column } : {}),
      ...(error.traceback ? { traceback: error.traceback } : {}),
    });
  }

  async list(
    user: AuthenticatedUser,
    page: PageQuery,
  ): Promise<{ items: CodeExecutionRecord[]; total: number }> {
    return this.executions.list(ownerScope(user).ownerId, page.offset, page.limit);
  }

  limits(): ExecutionLimitsDto {
    const rate = this.config.get('rateLimit');
    return {
      languages: [...LANGUAGES],
      timeoutSeconds: { ...EXECUTION_LIMITS.timeoutSeconds },
      memoryMb: { ...EXECUTION_LIMITS.memoryMb },
      maxCodeLength: EXECUTION_LIMITS.maxCodeLength,
      maxStdoutBytes: EXECUTION_LIMITS.maxStdoutBytes,
      maxStderrBytes: EXECUTION_LIMITS.maxStderrBytes,
      maxResultBytes: EXECUTION_LIMITS.maxResultBytes,
      maxInputs: EXECUTION_LIMITS.maxInputs,
      maxInputsBytes: EXECUTION_LIMITS.maxInputsBytes,
      maxConcurrentPerUser: EXECUTION_LIMITS.maxConcurrentPerUser,
      maxConcurrentGlobal: EXECUTION_LIMITS.maxConcurrentGlobal,
      rateLimit: rate.execution,
      rateLimitWindowSeconds: rate.ttlSeconds,
      maxProcesses: EXECUTION_LIMITS.maxProcesses,
      maxFileBytes: EXECUTION_LIMITS.maxFileBytes,
      maxOpenFiles: EXECUTION_LIMITS.maxOpenFiles,
      tmpfsBytes: EXECUTION_LIMITS.tmpfsBytes,
    };
  }

  /** Availability per language from a real probe run of each sandbox, cached for 30 s. */
  sandboxHealth(): Promise<SandboxHealthDto> {
    if (!this.health || Date.now() - this.health.at > HEALTH_TTL_MS) {
      this.health = { at: Date.now(), report: this.probe() };
    }
    return this.health.report;
  }

  private async probe(): Promise<SandboxHealthDto> {
    const entries = await Promise.all(
      LANGUAGES.map(async (language): Promise<[Language, SandboxHealth]> => [
        language,
        await this.sandboxes[language].probe(),
      ]),
    );
    const languages = Object.fromEntries(entries) as Record<Language, SandboxHealth>;
    const available = entries.filter(([, health]) => health.available).length;
    const status =
      available === entries.length ? 'ok' : available === 0 ? 'unavailable' : 'degraded';
    return { status, languages, checkedAt: new Date() };
  }
}

function detailOf(run: SandboxResult): string {
  const message = run.error?.message ?? '';
  switch (run.outcome) {
    case 'syntax-error':
      return `Syntax error${run.error?.line !== undefined ? ` on line ${run.error.line}` : ''}: ${message}`;
    case 'runtime-error':
      return `${run.error?.type ? `${run.error.type}: ` : ''}${message}`.slice(0, 1000);
    case 'timeout':
    case 'memory-limit':
    case 'output-limit':
      return message;
    case 'success':
      throw new AppError(
        'internal',
        'internal-error',
        'Internal server error',
        'a successful run has no failure detail',
      );
  }
}
