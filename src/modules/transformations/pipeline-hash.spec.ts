import { canonicalJson, pipelineHash } from './pipeline-hash';
import type { Step } from './engine';

describe('pipelineHash', () => {
  const steps: Step[] = [
    { op: 'impute', params: { columns: ['age'], strategy: 'median' } },
    { op: 'scale', params: { columns: ['income'], method: 'standard' } },
  ];

  it('should not depend on the order of object keys', () => {
    const reordered = [
      { params: { strategy: 'median', columns: ['age'] }, op: 'impute' },
      { params: { method: 'standard', columns: ['income'] }, op: 'scale' },
    ] as unknown as Step[];
    expect(pipelineHash(reordered)).toBe(pipelineHash(steps));
  });

  it('should change with the step order, a parameter or a column list order', () => {
    const hash = pipelineHash(steps);
    expect(pipelineHash([steps[1], steps[0]])).not.toBe(hash);
    expect(
      pipelineHash([{ op: 'impute', params: { columns: ['age'], strategy: 'mean' } }, steps[1]]),
    ).not.toBe(hash);
    expect(
      pipelineHash([
        steps[0],
        { op: 'scale', params: { columns: ['income', 'age'], method: 'standard' } },
      ]),
    ).not.toBe(
      pipelineHash([
        steps[0],
        { op: 'scale', params: { columns: ['age', 'income'], method: 'standard' } },
      ]),
    );
  });

  it('should drop undefined members and keep null ones, as JSON does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: 'x' })).toBe(
      '{"a":"x","b":[2,{"c":0,"d":1}]}',
    );
  });
});
