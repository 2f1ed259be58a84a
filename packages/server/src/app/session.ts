import { rm } from 'node:fs/promises';
import type pl from 'nodejs-polars';
import type { FawkesServer } from '../server/create-server.js';
import { exportsDirectory } from '../server/export-files.js';
import { ExportedData } from './exported-data.js';
import { InlineFrame } from './inline-frame.js';
import { type SpanReader, type SpansDataframeOptions, spansDataframeOf } from './span-reader.js';

export interface ViewOptions {
  /** Height of the frame in pixels (or any CSS length). Default 1000, as in Phoenix. */
  height?: number | string;
  /** A path inside the app to open, e.g. `projects`. */
  slug?: string;
}

export interface CloseOptions {
  /**
   * Also delete the data: the temporary directory of a session launched without `workingDir`, else
   * the SQLite database (and its exports) inside the working directory. Default false.
   */
  deleteData?: boolean;
}

/** @internal What launchApp hands a Session. */
export interface SessionParts {
  server: FawkesServer;
  reader: SpanReader;
  workingDir: string;
  /** The working directory is ours (a temporary one) and may be deleted whole. */
  temporary: boolean;
  onClose: (session: Session) => void;
}

/** A running app, as `launchApp()` returns it (Phoenix's `Session`). */
export class Session {
  /** The app in a browser, with a trailing slash as in Phoenix: `http://127.0.0.1:6006/`. */
  readonly url: string;
  /** Where OTLP/HTTP exporters send spans: `<url>v1/traces`. */
  readonly tracesEndpoint: string;
  /** Where OTLP/gRPC exporters send spans: `http://<host>:<grpc port>`. */
  readonly grpcEndpoint: string;
  /** Where the SQLite database (and the UI's exports) live. */
  readonly workingDir: string;
  readonly #parts: SessionParts;
  readonly #exports: ExportedData;
  #closing: Promise<void> | undefined;

  /** @internal Sessions come from `launchApp()`. */
  constructor(parts: SessionParts) {
    this.#parts = parts;
    this.url = `${parts.server.url}/`;
    this.tracesEndpoint = new URL('v1/traces', this.url).href;
    this.grpcEndpoint = `http://${new URL(this.url).host.replace(/:\d+$/, '')}:${parts.server.grpcPort}`;
    this.workingDir = parts.workingDir;
    this.#exports = new ExportedData(exportsDirectory(parts.workingDir));
  }

  /** True until `close()`. */
  get active(): boolean {
    return this.#closing === undefined;
  }

  /** Where the data is: the SQLite file. */
  get databaseLocation(): string {
    return this.#parts.server.dataLocation;
  }

  /** An inline frame on the app, which notebooks (e.g. Deno's Jupyter kernel) display in place. */
  view({ height = 1000, slug = '' }: ViewOptions = {}): InlineFrame {
    return new InlineFrame(new URL(slug.replace(/^\/+/, ''), this.url).href, height);
  }

  /**
   * Spans as a polars DataFrame in Phoenix's columns (`context.span_id`, `name`, `span_kind`,
   * `start_time`, …, `attributes.llm.token_count.total`, …), newest first. Spans an exporter has had
   * acknowledged are always included: the server answers an export only once it is stored.
   */
  async getSpansDataframe(options: SpansDataframeOptions = {}): Promise<pl.DataFrame> {
    this.#checkActive('getSpansDataframe');
    return spansDataframeOf(this.#parts.reader, options, this.#parts.server.config.defaultProject);
  }

  /** DataFrames exported from the UI, oldest first (`exports.at(-1)` is the newest). */
  get exports(): pl.DataFrame[] {
    return this.#exports.list();
  }

  /**
   * Stops the app: stops accepting spans, stores every span already accepted, frees the ports.
   * Calling it again waits for the first call.
   */
  close({ deleteData = false }: CloseOptions = {}): Promise<void> {
    this.#closing ??= (async () => {
      this.#parts.onClose(this);
      try {
        await this.#parts.reader.close();
      } finally {
        await this.#parts.server.close();
      }
      if (deleteData) await this.#deleteData();
    })();
    return this.#closing;
  }

  async #deleteData(): Promise<void> {
    const { workingDir, temporary, server } = this.#parts;
    if (temporary) {
      await rm(workingDir, { recursive: true, force: true });
      return;
    }
    const db = server.dataLocation;
    for (const path of [db, `${db}-wal`, `${db}-shm`, exportsDirectory(workingDir)]) {
      await rm(path, { recursive: true, force: true });
    }
  }

  #checkActive(what: string): void {
    if (!this.active) throw new Error(`${what}: this session is closed; launch a new one with launchApp()`);
  }
}
