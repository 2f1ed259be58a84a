/**
 * Where in embedding space production moved away from training, and which examples those are:
 * two inference sets with a text embedding read from Parquet files, the app launched with them,
 * the point cloud (UMAP, then HDBSCAN clusters) asked of the server through the client, the most
 * drifted cluster exported, and its rows read back from `session.exports`, as Phoenix users do
 * with `px.active_session().exports[-1]`.
 *
 *   npm install && npx tsx examples/embeddings.ts
 *
 * PHOENIX_PORT / PHOENIX_GRPC_PORT choose the ports (default 6006 / 4317; 0 picks free ones).
 * Set KEEP_OPEN=1 to keep the app running until Ctrl-C.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@fawkes/client';
import { closeApp, Inferences, launchApp, Schema } from 'fawkes';
import pl from 'nodejs-polars';

// 1. Data: support questions with a 32-dimensional embedding each. Training has three topics;
//    production has the same three plus a new one ("refunds") that training never saw.
const random = seededRandom(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const DIMENSION = 32;
const topics = ['billing', 'login', 'shipping', 'refunds'];
const centres = topics.map(() => Array.from({ length: DIMENSION }, () => normal() * 4));

function questions(rows: number, firstDay: string, topicCount: number): pl.DataFrame {
  const start = Date.parse(firstDay);
  const day = 24 * 3600 * 1000;
  const topic = Array.from({ length: rows }, (_, i) => topics[i % topicCount]!);
  return pl.DataFrame([
    pl.Series(
      'prediction_id',
      Array.from({ length: rows }, (_, i) => `${firstDay}-${i}`),
    ),
    // Rows over the last day, so that all of them are in the point cloud's 2-day window.
    pl.Series(
      'timestamp',
      Array.from({ length: rows }, (_, i) => new Date(start + (i / rows) * day)),
    ),
    pl.Series('topic', topic),
    pl.Series(
      'text',
      topic.map((t, i) => `question ${i} about ${t}`),
    ),
    pl.Series(
      'embedding',
      topic.map((t) => centres[topics.indexOf(t)]!.map((c) => c + normal())),
      pl.List(pl.Float32),
    ),
  ]);
}

const dataDir = mkdtempSync(join(tmpdir(), 'fawkes-embeddings-example-'));
const trainingFile = join(dataDir, 'training.parquet');
const productionFile = join(dataDir, 'production.parquet');
questions(300, '2026-03-01', 3).writeParquet(trainingFile);
questions(400, '2026-03-15', 4).writeParquet(productionFile);

// 2. The Schema names the embedding feature: its vector column and the raw text it embeds.
const schema = new Schema({
  predictionIdColumnName: 'prediction_id',
  timestampColumnName: 'timestamp',
  tagColumnNames: ['topic'],
  embeddingFeatureColumnNames: { question: { vectorColumnName: 'embedding', rawDataColumnName: 'text' } },
});
const primary = await Inferences.fromParquet(productionFile, schema, 'production');
const reference = await Inferences.fromParquet(trainingFile, schema, 'training');

// 3. Launch the app, and ask it for the point cloud (computed in a worker thread of the server).
const session = await launchApp({ primary, reference });
const client = createClient({ baseUrl: session.url });
const cloud = await client.inferences.pointCloud('question', { seed: 1 });
console.log(`Point cloud: ${cloud.points.length} points in ${cloud.clusters.length} clusters`);

// 4. The most drifted cluster: drift ratio (primary − reference) / (primary + reference), 1 = only production.
const clusters = [...cloud.clusters].sort((a, b) => (b.drift_ratio ?? -2) - (a.drift_ratio ?? -2));
for (const c of clusters)
  console.log(`  cluster ${c.id}: ${c.size} points, drift ratio ${c.drift_ratio?.toFixed(2)}`);
const drifted = clusters[0]!;
const texts = new Map(cloud.points.map((p) => [p.event_id, p.raw_data]));
console.log(`Most drifted: cluster ${drifted.id}, e.g. "${texts.get(drifted.event_ids[0]!)}"`);

// 5. Export it: the server writes exports/<name>.parquet, and session.exports reads it at once.
const exported = await client.inferences.export({
  clusters: [{ id: drifted.id, eventIds: drifted.event_ids }],
  fileName: 'drifted-cluster',
});
console.log(
  `Exported ${exported.row_count} rows to ${exported.file_name} (download: ${new URL(exported.url, session.url)})`,
);
const rows = session.exports.at(-1)!;
console.log(
  `session.exports.at(-1): ${rows.height} rows, topics ${[...new Set(rows.getColumn('topic').toArray())].join(', ')}`,
);

if (process.env.KEEP_OPEN) {
  console.log('KEEP_OPEN is set: Ctrl-C stops the app.');
  await once(process, 'SIGINT');
}
await closeApp({ deleteData: true });
rmSync(dataDir, { recursive: true, force: true });

/** Mulberry32: a tiny seeded generator, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
