import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OnboardingStepDto {
  @ApiProperty({
    enum: ['upload', 'profile', 'transform', 'train', 'evaluate', 'deploy', 'predict', 'monitor'],
  })
  key!: string;
  @ApiProperty() title!: string;
  @ApiProperty() done!: boolean;
  /** Whether the platform can already offer this step (later releases add the rest). */
  @ApiProperty() available!: boolean;
  @ApiProperty() hint!: string;
}

export class OnboardingDto {
  @ApiProperty({ type: [OnboardingStepDto] }) steps!: OnboardingStepDto[];
  @ApiProperty() completed!: number;
  @ApiProperty() total!: number;
  @ApiPropertyOptional({ type: OnboardingStepDto }) next?: OnboardingStepDto;
}
