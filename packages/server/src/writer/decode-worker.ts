import { parentPort, workerData } from 'node:worker_threads';
import { decodeExportRequestPartially, OtlpDecodeError } from '../ingest/index.js';
import {
  type CopyRowSpanRecord,
  type SerializedSpanRecord,
  serializeSpanRecord,
} from '../model/span-record.js';
import { withCopyRows } from '../store/postgres/copy-rows.js';
import type { DecoderConfig, DecoderRequest, DecoderResponse, SpansMessage } from './protocol.js';

/**
 * The decoding thread: OTLP bytes → validated span records with their JSON already serialized
 * (SQLite) or their COPY rows already rendered (PostgreSQL), handed straight to the writer thread. Decoding is about as costly as writing, so doing it here
 * lets the two run on two cores and keeps both off the server's event loop.
 */
const { spansPort, spans: format } = workerData as DecoderConfig;
const port = parentPort!;
const reply = (message: DecoderResponse) => port.postMessage(message);
const forward = (
  message: SpansMessage<SerializedSpanRecord | CopyRowSpanRecord>,
  transfer: ArrayBuffer[] = [],
) => spansPort.postMessage(message, transfer);

port.on('message', (message: DecoderRequest) => {
  if (message.type === 'close') {
    forward({ type: 'close' });
    spansPort.close();
    port.close();
    return;
  }
  try {
    const { spans, rejected } = decodeExportRequestPartially(message.body, message.encoding, {
      projectOverride: message.projectOverride,
      defaultProject: message.defaultProject,
    });
    // Nothing valid at all is a bad request (400), not a partial success.
    if (spans.length === 0 && rejected) throw new OtlpDecodeError(rejected.message);
    const partial = rejected ? { rejected } : {};
    if (format === 'serialized')
      forward({ type: 'spans', id: message.id, spans: spans.map(serializeSpanRecord), ...partial });
    else {
      const rendered = withCopyRows(spans);
      forward({ type: 'spans', id: message.id, spans: rendered.spans, ...partial }, [rendered.buffer]);
    }
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    reply({ type: 'outcome', id: message.id, outcome: { status: 'invalid', message: error.message } });
  }
});

reply({ type: 'ready' });
