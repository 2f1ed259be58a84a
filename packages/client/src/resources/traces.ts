import type { DataFrame } from 'nodejs-polars';
import {
  type AnnotationReadOptions,
  type AnnotationSource,
  getAnnotations,
  getAnnotationsDataframe,
} from '../annotation-reads.js';
import {
  type AnnotationTarget,
  addAnnotation,
  type FrameOptions,
  logAnnotations,
  logAnnotationsFrame,
  type Synced,
  type SyncFlag,
  type SyncOption,
  syncQuery,
} from '../annotation-writer.js';
import { type AnnotationFields, targetId } from '../annotations.js';
import { isoInstant, optionalLimit, projectIdentifier, requireText } from '../arguments.js';
import { InvalidArgumentError } from '../errors.js';
import type { DataFrameInput } from '../frames/input.js';
import { type Api, dataOf } from '../http.js';
import { collectPages } from '../pagination.js';
import type { ProjectSelector, ResponseBody, Trace } from '../types.js';
import { noteData } from './notes.js';

export type TraceAnnotation = ResponseBody<'listTraceAnnotationsByTraceIds'>['data'][number];
export type InsertedTraceAnnotation = ResponseBody<'annotateTraces'>['data'][number];

export type GetTracesOptions = ProjectSelector & {
  /** Traces starting at or after this instant. */
  startTime?: Date | string;
  /** Traces starting before this instant. */
  endTime?: Date | string;
  /** Default `start_time`. */
  sort?: 'start_time' | 'latency_ms';
  /** Default `desc`. */
  order?: 'asc' | 'desc';
  /** Include each trace's spans. */
  includeSpans?: boolean;
  /** Only traces of these sessions (session_id strings or session GlobalIDs). */
  sessionIds?: readonly string[];
  /** At most this many traces (default 100); cursors are followed until then. */
  limit?: number;
};

export interface TraceAnnotationInput extends AnnotationFields {
  /** The OpenTelemetry trace id (hex). */
  traceId: string;
}

export type GetTraceAnnotationsOptions = AnnotationReadOptions & {
  traceIds?: readonly string[];
  /** Traces as getTraces returns them. */
  traces?: readonly Pick<Trace, 'trace_id'>[];
};

export interface LogTraceAnnotationsOptions {
  traceAnnotations: readonly TraceAnnotationInput[];
}

/** Traces: list per project, delete, transfer; trace annotations and notes. */
export class Traces {
  constructor(private readonly api: Api) {}

  /** A project's traces, newest first unless told otherwise, following cursors up to `limit`. */
  async getTraces(options: GetTracesOptions = {}): Promise<Trace[]> {
    const project_identifier = projectIdentifier(options);
    const query = {
      sort: options.sort ?? 'start_time',
      order: options.order ?? 'desc',
      include_spans: options.includeSpans ?? false,
      start_time: isoInstant(options.startTime, 'startTime'),
      end_time: isoInstant(options.endTime, 'endTime'),
      session_identifier: options.sessionIds ? [...options.sessionIds] : undefined,
    };
    return collectPages(
      async (cursor, limit) =>
        dataOf(
          await this.api.GET('/v1/projects/{project_identifier}/traces', {
            params: {
              path: { project_identifier },
              query: { ...query, limit, ...(cursor ? { cursor } : {}) },
            },
          }),
        ),
      { limit: optionalLimit(options.limit) ?? 100 },
    );
  }

  /** Deletes a trace (GlobalID or OpenTelemetry trace id) with its spans and annotations. */
  async delete({ traceId }: { traceId: string }): Promise<void> {
    const trace_identifier = requireText(traceId, 'traceId');
    await this.api.DELETE('/v1/traces/{trace_identifier}', { params: { path: { trace_identifier } } });
  }

  /** Moves traces (GlobalIDs or trace ids, all from one project) to another project. */
  async transfer({
    traceIds,
    toProjectId,
    toProjectName,
  }: {
    traceIds: readonly string[];
    toProjectId?: string;
    toProjectName?: string;
  }): Promise<ResponseBody<'transferTraces'>['data']> {
    if (!Array.isArray(traceIds) || traceIds.length === 0) {
      throw new InvalidArgumentError('traceIds cannot be empty');
    }
    if ((toProjectId === undefined) === (toProjectName === undefined)) {
      throw new InvalidArgumentError('Give toProjectId or toProjectName (one of them)');
    }
    const destination =
      toProjectId !== undefined
        ? requireText(toProjectId, 'toProjectId')
        : requireText(toProjectName, 'toProjectName');
    return dataOf(
      await this.api.POST('/v1/traces/transfer', {
        body: { trace_identifiers: [...traceIds], destination_project_identifier: destination },
      }),
    ).data;
  }

  private readonly annotations: AnnotationTarget<
    TraceAnnotationInput,
    { trace_id: string },
    InsertedTraceAnnotation
  > = {
    listName: 'traceAnnotations',
    wire: (a, where) => ({ trace_id: targetId(a.traceId, 'traceId', where) }),
    idColumns: [{ name: 'trace_id', fallback: 'context.trace_id', kind: 'string' }],
    fromIds: (ids) => ({ traceId: String(ids.trace_id) }),
    post: async (data, sync) =>
      dataOf(
        await this.api.POST('/v1/trace_annotations', { params: { query: syncQuery(sync) }, body: { data } }),
      ).data,
  };

  private readonly annotationSource: AnnotationSource<Pick<Trace, 'trace_id'>, TraceAnnotation> = {
    idsOption: 'traceIds',
    itemsOption: 'traces',
    itemId: (trace) => trace.trace_id,
    frameOption: 'tracesDataframe',
    frameColumns: ['context.trace_id', 'trace_id'],
    idColumn: 'trace_id',
    fetchPage: async (project_identifier, traceIds, query) =>
      dataOf(
        await this.api.GET('/v1/projects/{project_identifier}/trace_annotations', {
          params: { path: { project_identifier }, query: { trace_ids: traceIds, ...query } },
        }),
      ),
  };

  /** Annotates one trace; with `sync: true` returns the annotation's id once stored. */
  async addTraceAnnotation<S extends SyncFlag = undefined>(
    options: TraceAnnotationInput & SyncOption<S>,
  ): Promise<Synced<S, InsertedTraceAnnotation>> {
    return addAnnotation(this.annotations, options);
  }

  /** Annotates many traces in one request; with `sync: true` returns their ids, in order. */
  async logTraceAnnotations<S extends SyncFlag = undefined>({
    traceAnnotations,
    sync,
  }: LogTraceAnnotationsOptions & SyncOption<S>): Promise<Synced<S, InsertedTraceAnnotation[]>> {
    return logAnnotations(this.annotations, traceAnnotations, sync);
  }

  /**
   * Annotations from a DataFrame (or rows): a `trace_id` (or `context.trace_id`) column; `name` or
   * `annotation_name` (or `annotationName`); `annotator_kind` (or `annotatorKind`, default HUMAN);
   * at least one of `label`, `score`, `explanation`; optional `metadata`, `identifier`. Sent 100
   * rows per request.
   */
  async logTraceAnnotationsDataframe<S extends SyncFlag = undefined>(
    options: FrameOptions & SyncOption<S>,
  ): Promise<Synced<S, InsertedTraceAnnotation[]>> {
    return logAnnotationsFrame(this.annotations, options);
  }

  /** Adds a note to a trace (a new one each time, unless an identifier is given); returns its id. */
  async addTraceNote({
    traceId,
    note,
    identifier,
  }: {
    traceId: string;
    note: string;
    identifier?: string;
  }): Promise<InsertedTraceAnnotation> {
    const data = { trace_id: targetId(traceId, 'traceId', ''), ...noteData(note, identifier) };
    return dataOf(await this.api.POST('/v1/trace_notes', { body: { data } })).data;
  }

  /** The annotations of some traces (excluding notes unless told otherwise). */
  async getTraceAnnotations(options: GetTraceAnnotationsOptions): Promise<TraceAnnotation[]> {
    return getAnnotations(this.annotationSource, options);
  }

  /**
   * The same as a DataFrame: `trace_id` first, then `id`, `annotation_name`, `annotator_kind`,
   * `result.label`, `result.score`, `result.explanation`, `metadata`, `identifier`, `source`,
   * `user_id`, `created_at`, `updated_at` (datetimes). Takes a traces DataFrame too (its
   * `context.trace_id` or `trace_id` column).
   */
  async getTraceAnnotationsDataframe(
    options: GetTraceAnnotationsOptions & { tracesDataframe?: DataFrameInput },
  ): Promise<DataFrame> {
    return getAnnotationsDataframe(this.annotationSource, 'getTraceAnnotationsDataframe', options);
  }
}
