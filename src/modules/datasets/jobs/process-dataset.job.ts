import { JOB_QUEUES, type JobKind } from 'src/core/jobs';

/** The job kind that types, hashes and profiles an uploaded version. */
export const PROCESS_DATASET_JOB = 'dataset.process';

/** Its payload: ids only. */
export interface ProcessDatasetPayload {
  datasetId: string;
  versionId: string;
}

/**
 * True once the job catalogue (src/core/jobs/job-catalogue.ts) lists `dataset.process`: then
 * uploads enqueue a job for the worker instead of processing in the API process.
 */
export function processDatasetJobRegistered(): boolean {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUES, PROCESS_DATASET_JOB);
}

/** The kind, typed for JobsService until the catalogue entry lands (see docs/datasets.md). */
export const PROCESS_DATASET_KIND = PROCESS_DATASET_JOB as JobKind;
