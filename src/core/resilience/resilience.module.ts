import { Global, Module } from '@nestjs/common';
import { DependencyPolicies } from './dependency-policies';

@Global()
@Module({ providers: [DependencyPolicies], exports: [DependencyPolicies] })
export class ResilienceModule {}
