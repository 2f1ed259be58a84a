/**
 * A model judged by Fawkes, as Phoenix's `launch_app(primary, reference)` judges it: two inference
 * sets (the model's inputs and outputs in training and in production) read from Parquet files and
 * described by a Schema, the app launched with them, and the drifted feature found through the
 * client, with the address of its page.
 *
 *   npm install && npx tsx examples/inferences.ts
 *
 * PHOENIX_PORT / PHOENIX_GRPC_PORT choose the ports (default 6006 / 4317; 0 picks free ones).
 * Set KEEP_OPEN=1 to keep the app running until Ctrl-C, to look at it in a browser.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@fawkes/client';
import { closeApp, Inferences, launchApp, Schema } from 'fawkes';
import pl from 'nodejs-polars';

// 1. Data: a loan model's features and predictions, one Parquet file per set. Here they are made up
//    (seeded, so every run gives the same numbers), with incomes 40% higher in production.
const random = seededRandom(42);
const normal = (mean: number, sd: number) =>
  mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

function loanApplications(rows: number, firstDay: string, meanIncome: number): pl.DataFrame {
  const start = Date.parse(firstDay);
  const week = 7 * 24 * 3600 * 1000;
  const income = Array.from({ length: rows }, () => Math.max(5_000, Math.round(normal(meanIncome, 12_000))));
  const score = income.map((value) => 1 / (1 + Math.exp(-(value - 55_000) / 8_000)));
  return pl.DataFrame({
    prediction_id: Array.from({ length: rows }, (_, i) => `${firstDay}-${i}`),
    timestamp: Array.from({ length: rows }, (_, i) => new Date(start + (i / rows) * week)),
    age: Array.from({ length: rows }, () => 18 + Math.floor(random() * 60)),
    income,
    state: Array.from({ length: rows }, () => ['CA', 'NY', 'TX', 'WA'][Math.floor(random() * 4)]),
    prediction_score: score,
    prediction_label: score.map((p) => (p > 0.5 ? 'approved' : 'denied')),
    actual_label: score.map((p) => (random() < p ? 'approved' : 'denied')),
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'fawkes-inferences-example-'));
const trainingFile = join(dataDir, 'training.parquet');
const productionFile = join(dataDir, 'production.parquet');
loanApplications(1000, '2026-03-01', 50_000).writeParquet(trainingFile);
loanApplications(1000, '2026-03-15', 70_000).writeParquet(productionFile);

// 2. The Schema says what each column is; the same one describes both sets.
const schema = new Schema({
  predictionIdColumnName: 'prediction_id',
  timestampColumnName: 'timestamp',
  featureColumnNames: ['age', 'income', 'state'],
  predictionLabelColumnName: 'prediction_label',
  predictionScoreColumnName: 'prediction_score',
  actualLabelColumnName: 'actual_label',
});

// 3. The sets: production is the primary set, judged against training, the reference.
const primary = await Inferences.fromParquet(productionFile, schema, 'production');
const reference = await Inferences.fromParquet(trainingFile, schema, 'training');

// 4. Launch the app with them (positional, as in Phoenix: launchApp(primary, reference) works too).
const session = await launchApp({ primary, reference });

// 5. Read the model home page's table through the client: every feature's PSI, most drifted first.
const client = createClient({ baseUrl: session.url });
const { dimensions } = await client.inferences.summary();
const features = dimensions.filter((d) => d.type === 'feature').sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0));
console.log('Features, most drifted first (PSI of production against training):');
for (const feature of features) {
  console.log(`  ${feature.name.padEnd(8)} PSI ${feature.psi?.toFixed(3)}`);
}

const drifted = features[0]!;
const [before, after] = await Promise.all(
  (['reference', 'primary'] as const).map((inferences) =>
    client.inferences.dataQuality(drifted.name, { inferences }),
  ),
);
console.log(
  `${drifted.name} drifted: PSI ${drifted.psi?.toFixed(3)} (above 0.1 is a shift worth a look); ` +
    `mean ${before?.mean?.toFixed(0)} in training, ${after?.mean?.toFixed(0)} in production.`,
);
console.log(`Open ${new URL(`model/dimensions/${encodeURIComponent(drifted.name)}`, session.url)}`);
const accuracy = await client.inferences.performance({ metric: 'accuracy' });
console.log(`Accuracy in production: ${accuracy?.toFixed(3)}`);

if (process.env.KEEP_OPEN) {
  console.log('KEEP_OPEN is set: Ctrl-C stops the app.');
  await once(process, 'SIGINT');
}
await closeApp();
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
