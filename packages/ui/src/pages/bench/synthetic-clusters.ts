/**
 * Synthetic Gaussian clusters for the point cloud's benchmark and browser test: `clusters` blobs
 * around a ring (alternately above and below the plane, so that none hides another when seen from
 * the front), reproducible from the seed.
 */
export interface SyntheticCloud {
  positions: Float32Array;
  colors: Float32Array;
  ids: string[];
  /** The cluster of each point, by index. */
  cluster: Int32Array;
}

// Phoenix's inference-set colours (light theme): primary, reference.
const PALETTE: [number, number, number][] = [
  [0x00 / 255, 0xad / 255, 0xd0 / 255],
  [0x45 / 255, 0x00 / 255, 0xd9 / 255],
];

export function syntheticClusters(options: {
  count: number;
  clusters?: number;
  dimensions: 2 | 3;
  seed?: number;
}): SyntheticCloud {
  const { count, dimensions } = options;
  const clusters = options.clusters ?? 6;
  const random = mulberry32(options.seed ?? 7);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const positions = new Float32Array(count * 3);
  const colors = new Float32Array(count * 3);
  const ids: string[] = new Array(count);
  const cluster = new Int32Array(count);
  const spread = 0.7;
  for (let i = 0; i < count; i++) {
    const k = i % clusters;
    const angle = (2 * Math.PI * k) / clusters;
    positions[3 * i] = 10 * Math.cos(angle) + spread * gaussian();
    positions[3 * i + 1] = 10 * Math.sin(angle) + spread * gaussian();
    positions[3 * i + 2] = dimensions === 3 ? (k % 2 === 0 ? 4 : -4) + spread * gaussian() : 0;
    colors.set(PALETTE[k % 2]!, 3 * i);
    ids[i] = `${i}:${k % 2 === 0 ? 'primary' : 'reference'}`;
    cluster[i] = k;
  }
  return { positions, colors, ids, cluster };
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
