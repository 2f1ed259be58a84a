/**
 * The point cloud's default UMAP parameters, checked as Phoenix's `launch_app(default_umap_parameters=…)`
 * checks them: each key optional (Phoenix's defaults fill in), each within Phoenix's range.
 */

export interface UmapParameters {
  /** How tightly UMAP packs points together: 0 to 0.99. Default 0. */
  minDist: number;
  /** The neighbourhood size UMAP balances local against global structure with: a whole number from 5 to 100. Default 30. */
  nNeighbors: number;
  /** Points sampled from each inference set: a whole number from 1 to 1000. Default 500. */
  nSamples: number;
}

export const DEFAULT_UMAP_PARAMETERS: Readonly<UmapParameters> = Object.freeze({
  minDist: 0,
  nNeighbors: 30,
  nSamples: 500,
});

interface Rule {
  min: number;
  max: number;
  integer: boolean;
}

const RULES: Record<keyof UmapParameters, Rule> = {
  minDist: { min: 0, max: 0.99, integer: false },
  nNeighbors: { min: 5, max: 100, integer: true },
  nSamples: { min: 1, max: 1000, integer: true },
};

/** Problems with `defaultUmapParameters` (named `label` in the messages), one line each (none: an empty list). */
export function umapParameterProblems(value: unknown, label = 'defaultUmapParameters'): string[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`${label} must be an object like { minDist: 0, nNeighbors: 30, nSamples: 500 }`];
  }
  const problems: string[] = [];
  for (const [key, given] of Object.entries(value)) {
    const rule = RULES[key as keyof UmapParameters];
    if (!rule) {
      problems.push(`${label}.${key} is not a UMAP parameter (expected minDist, nNeighbors or nSamples)`);
      continue;
    }
    if (given === undefined) continue;
    const kind = rule.integer ? 'a whole number' : 'a number';
    const ok =
      typeof given === 'number' &&
      Number.isFinite(given) &&
      (!rule.integer || Number.isInteger(given)) &&
      given >= rule.min &&
      given <= rule.max;
    if (!ok) {
      problems.push(
        `${label}.${key} must be ${kind} from ${rule.min} to ${rule.max}, got ${JSON.stringify(given) ?? String(given)}`,
      );
    }
  }
  return problems;
}

/** The parameters with Phoenix's defaults filled in; call umapParameterProblems first. */
export function umapParameters(value: Partial<UmapParameters> | undefined): UmapParameters {
  return {
    minDist: value?.minDist ?? DEFAULT_UMAP_PARAMETERS.minDist,
    nNeighbors: value?.nNeighbors ?? DEFAULT_UMAP_PARAMETERS.nNeighbors,
    nSamples: value?.nSamples ?? DEFAULT_UMAP_PARAMETERS.nSamples,
  };
}

/** Phoenix's command-line form, `min_dist,n_neighbors,n_samples` (e.g. `0,30,500`); problems as umapParameterProblems. */
export function parseUmapParameters(text: string): { value?: UmapParameters; problems: string[] } {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 3 || parts.some((part) => part === '' || Number.isNaN(Number(part)))) {
    return {
      problems: [`--umap-parameters must be min_dist,n_neighbors,n_samples (e.g. 0,30,500), got '${text}'`],
    };
  }
  const [minDist, nNeighbors, nSamples] = parts.map(Number) as [number, number, number];
  const value = { minDist, nNeighbors, nSamples };
  const problems = umapParameterProblems(value, '--umap-parameters').map((problem) =>
    problem.replace(/^--umap-parameters\.(\w+)/, '--umap-parameters: $1'),
  );
  return problems.length > 0 ? { problems } : { value, problems };
}

/** The command-line form of the parameters. */
export function formatUmapParameters(value: UmapParameters): string {
  return `${value.minDist},${value.nNeighbors},${value.nSamples}`;
}
