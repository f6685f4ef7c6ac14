import type { Random } from '../core/random';
import type { Candidate, CandidateParams, Learner, ProblemShape } from './learners';

/**
 * Seeded random search over the portfolio. The first round is every learner's default
 * candidate, cheapest first; afterwards each call visits the learners in a random order and
 * returns a random draw of the first one whose predicted cost fits (`fits`), halving the
 * resource of boosting and forests until it does, so a tight budget falls back to smaller or
 * cheaper candidates instead of stopping. Tree learners get a drawn seed, and on
 * imbalanced classification half of their draws use balanced class weights.
 */
export class CandidateGenerator {
  private readonly firstRound: Learner[];

  constructor(
    private readonly learners: readonly Learner[],
    private readonly shape: ProblemShape,
    private readonly rng: Random,
    private readonly imbalanced: boolean,
  ) {
    this.firstRound = [...learners];
  }

  /** True once every learner's default candidate has been handed out (or skipped). */
  get firstRoundDone(): boolean {
    return this.firstRound.length === 0;
  }

  /** A random draw of a random learner at its drawn resource, for a successive-halving bracket. */
  draw(): Candidate {
    const learner = this.learners[this.rng.int(this.learners.length)];
    return this.complete(learner, learner.sample(this.rng, this.shape), true);
  }

  /** The same candidate with its resource halved, or undefined at the floor. */
  shrink(candidate: Candidate): Candidate | undefined {
    const learner = this.learners.find((l) => l.name === candidate.learner);
    const params = learner?.shrink?.(candidate.params);
    return params ? { learner: candidate.learner, params } : undefined;
  }

  next(fits: (candidate: Candidate) => boolean): Candidate | undefined {
    while (this.firstRound.length > 0) {
      const learner = this.firstRound.shift() as Learner;
      const candidate = this.fitted(learner, learner.defaults(this.shape), false, fits);
      if (candidate) return candidate;
    }
    const order = this.rng.shuffle(Int32Array.from(this.learners, (_, i) => i));
    for (const i of order) {
      const learner = this.learners[i];
      const candidate = this.fitted(learner, learner.sample(this.rng, this.shape), true, fits);
      if (candidate) return candidate;
    }
    return undefined;
  }

  /** The candidate, or its resource halved until it fits (undefined when even the floor does not). */
  private fitted(
    learner: Learner,
    params: CandidateParams,
    drawn: boolean,
    fits: (candidate: Candidate) => boolean,
  ): Candidate | undefined {
    let candidate: Candidate | undefined = this.complete(learner, params, drawn);
    while (candidate && !fits(candidate)) {
      const smaller: CandidateParams | undefined = learner.shrink?.(candidate.params);
      candidate = smaller ? { learner: learner.name, params: smaller } : undefined;
    }
    return candidate;
  }

  private complete(learner: Learner, params: CandidateParams, drawn: boolean): Candidate {
    if (learner.preprocessing !== 'native') return { learner: learner.name, params };
    const extra: Record<string, number | string> = { seed: this.rng.nextUint32() % 1_000_000 };
    if (this.imbalanced && drawn && this.rng.next() < 0.5) extra.classWeight = 'balanced';
    return { learner: learner.name, params: { ...params, ...extra } };
  }
}
