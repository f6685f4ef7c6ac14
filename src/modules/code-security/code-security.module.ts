import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CodeExecutionsRepository } from './code-executions.repository';
import { CodeSecurityController } from './code-security.controller';
import { EXECUTION_LIMITS } from './code-security.limits';
import { CodeSecurityService, CONCURRENCY_LIMITER, SANDBOXES } from './code-security.service';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { JavaScriptSandbox } from './sandbox/javascript-sandbox';
import { PythonSandbox } from './sandbox/python-sandbox';
import { CodeExecution, CodeExecutionSchema } from './schemas/code-execution.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: CodeExecution.name, schema: CodeExecutionSchema }])],
  controllers: [CodeSecurityController],
  providers: [
    CodeExecutionsRepository,
    CodeSecurityService,
    {
      provide: CONCURRENCY_LIMITER,
      useFactory: () =>
        new ConcurrencyLimiter(
          EXECUTION_LIMITS.maxConcurrentPerUser,
          EXECUTION_LIMITS.maxConcurrentGlobal,
        ),
    },
    {
      provide: SANDBOXES,
      useFactory: () => ({ javascript: new JavaScriptSandbox(), python: new PythonSandbox() }),
    },
  ],
  exports: [CodeSecurityService],
})
export class CodeSecurityModule {}
