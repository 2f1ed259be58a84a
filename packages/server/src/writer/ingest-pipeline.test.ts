import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import type { IngestPipeline } from './ingest-pipeline.js';
import { PostgresIngestWriter } from './postgres/ingest-writer.js';
import type { IngestOutcome } from './protocol.js';
import { SqliteIngestWriter } from './sqlite/ingest-writer.js';

const options = { projectOverride: null, defaultProject: 'default' };
/** A request of `turns` conversation turns (3 spans each), encoded as exporters send it. */
const body = (turns = 5) =>
  ProtobufTraceSerializer.serializeRequest(Array.from({ length: turns }, () => conversationTurn()).flat())!;

describeEachDialect('ingest pipeline: request bytes in flight', (dialect) => {
  let database: TestDatabase;
  let pipeline: IngestPipeline | null = null;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await pipeline?.close();
    pipeline = null;
    await database.close();
  });

  /** A pipeline whose only binding bound is `maxInFlightBytes` (the writer's queue holds far more). */
  async function start(maxInFlightBytes: number): Promise<IngestPipeline> {
    const location = database.location;
    pipeline =
      location.dialect === 'sqlite'
        ? await SqliteIngestWriter.start({
            databasePath: location.path,
            maxQueuedSpans: 1_000_000,
            maxBatchSpans: 5_000,
            maxInFlightBytes,
          })
        : await PostgresIngestWriter.start({
            location: { url: location.url },
            maxQueuedSpans: 1_000_000,
            maxBatchSpans: 5_000,
            maxInFlightBytes,
          });
    return pipeline;
  }

  it('refuses as busy what passes the bound, and takes all of it again once answered', async () => {
    const bodies = Array.from({ length: 10 }, () => body());
    const size = Math.max(...bodies.map((b) => b.byteLength));
    const p = await start(3 * size + size / 2);
    // Submitted in one turn: nothing is answered in between, so exactly three fit.
    const outcomes = await Promise.all(bodies.map((b) => p.submit(b, 'protobuf', options)));
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', ...Array(7).fill('busy')]);
    expect(p.inFlight).toBe(0);
    // The refused ones are taken once the others have been answered.
    const again = await Promise.all(bodies.slice(3, 6).map((b) => p.submit(b, 'protobuf', options)));
    expect(again.map((o) => o.status)).toEqual(['stored', 'stored', 'stored']);
  });

  it('always takes one request when nothing is in flight, however large', async () => {
    const p = await start(1024);
    const large = body(40);
    expect(large.byteLength).toBeGreaterThan(1024);
    const [first, second] = await Promise.all([
      p.submit(large, 'protobuf', options),
      p.submit(body(1), 'protobuf', options),
    ]);
    expect(first).toMatchObject({ status: 'stored', inserted: 120 });
    expect(second!.status).toBe('busy');
  });

  it('stays within the bound over a sustained load (many rounds of more than it holds)', async () => {
    const size = body().byteLength;
    const bound = 4 * size;
    const p = await start(bound);
    let peak = 0;
    const counts: Record<IngestOutcome['status'], number> = {
      stored: 0,
      busy: 0,
      invalid: 0,
      unavailable: 0,
      failed: 0,
    };
    // Senders that each send again as soon as they are answered: always more wanted than the bound.
    const sender = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        const answer = p.submit(body(), 'protobuf', options);
        peak = Math.max(peak, p.inFlight);
        counts[(await answer).status]++;
      }
    };
    await Promise.all(Array.from({ length: 12 }, () => sender(15)));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(bound);
    expect(counts.stored + counts.busy).toBe(12 * 15);
    expect(counts.stored).toBeGreaterThan(0);
    expect(counts.busy).toBeGreaterThan(0);
    expect(p.inFlight).toBe(0);
  });
});
