import { validateFilter } from '@fawkes/query';
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
import { ApiError, InvalidArgumentError, type RejectedSpan, SpanCreationError } from '../errors.js';
import type { DataFrameInput } from '../frames/input.js';
import { dataFrameOf, loadPolars } from '../frames/output.js';
import { multipartJsonParts, tableOf } from '../frames/span-frames.js';
import { type Api, dataOf } from '../http.js';
import { collectPages } from '../pagination.js';
import type { ProjectSelector, RequestBody, ResponseBody, Span } from '../types.js';
import { noteData } from './notes.js';

export type SpanAnnotation = ResponseBody<'listSpanAnnotationsBySpanIds'>['data'][number];
export type InsertedSpanAnnotation = ResponseBody<'annotateSpans'>['data'][number];
export type InsertedDocumentAnnotation = ResponseBody<'annotateSpanDocuments'>['data'][number];
/** Phoenix's SpanQuery: select / filter / explode / concat / rename / index. */
export type SpanQuery = RequestBody<'querySpans'>['queries'][number];
export type LogSpansResult = ResponseBody<'createSpans'>;

export type SpanKind =
  | 'LLM'
  | 'CHAIN'
  | 'TOOL'
  | 'RETRIEVER'
  | 'EMBEDDING'
  | 'AGENT'
  | 'RERANKER'
  | 'GUARDRAIL'
  | 'EVALUATOR'
  | 'PROMPT'
  | 'UNKNOWN';

export type GetSpansOptions = ProjectSelector & {
  /** Spans starting at or after this instant. */
  startTime?: Date | string;
  /** Spans starting before this instant. */
  endTime?: Date | string;
  /** At most this many spans (default 100); cursors are followed until then. */
  limit?: number;
  traceIds?: readonly string[];
  spanIds?: readonly string[];
  /** Children of this span; `null`: root spans only. */
  parentId?: string | null;
  names?: readonly string[];
  spanKinds?: readonly SpanKind[];
  statusCodes?: readonly ('OK' | 'ERROR' | 'UNSET')[];
  /** Attribute equality filters, ANDed: `{ 'llm.model_name': 'gpt-4o', 'metadata.tier': 2 }`. */
  attributes?: Record<string, string | number | boolean>;
  /**
   * A filter in Phoenix's query language, e.g. `span_kind == 'LLM' and latency_ms > 2000`, ANDed
   * with the others; checked here first, so a bad one throws before any request.
   */
  filter?: string;
};

export type GetSpansDataframeOptions = ProjectSelector & {
  /** A filter in Phoenix's query language, e.g. `span_kind == 'LLM' and latency_ms > 2000`. */
  filterCondition?: string;
  /** A whole SpanQuery (select / filter / explode / concat / rename / index). */
  query?: SpanQuery;
  /** Spans starting at or after this instant. */
  startTime?: Date | string;
  /** Spans starting before this instant. */
  endTime?: Date | string;
  /** At most this many spans (default 1000). */
  limit?: number;
  /** Root spans only (spans whose parent is absent count as roots). */
  rootSpansOnly?: boolean;
};

export interface SpanAnnotationInput extends AnnotationFields {
  /** The OpenTelemetry span id (hex). */
  spanId: string;
}

export interface DocumentAnnotationInput extends AnnotationFields {
  /** The retriever span's OpenTelemetry id (hex). */
  spanId: string;
  /** The document's 0-based position among the span's retrieved documents. */
  documentPosition: number;
}

export type GetSpanAnnotationsOptions = AnnotationReadOptions & {
  spanIds?: readonly string[];
  /** Spans as getSpans returns them. */
  spans?: readonly Pick<Span, 'context'>[];
};

export interface LogSpanAnnotationsOptions {
  spanAnnotations: readonly SpanAnnotationInput[];
}

export interface LogDocumentAnnotationsOptions {
  documentAnnotations: readonly DocumentAnnotationInput[];
}

/**
 * Phoenix's two refusals of a log-spans request as one error: 400 with the rejected spans listed, or
 * FastAPI's 422 whose `loc` (`["body", "data", <index>, ...]`) names the bad span.
 */
function spanCreationError(error: ApiError, spans: readonly Span[]): SpanCreationError | ApiError {
  const detail = error.detail as Record<string, unknown> | undefined;
  if (error.status === 400 && detail && typeof detail === 'object' && !Array.isArray(detail)) {
    return new SpanCreationError(
      error,
      Number(detail.total_received ?? spans.length),
      (detail.invalid_spans as RejectedSpan[] | undefined) ?? [],
      (detail.duplicate_spans as RejectedSpan[] | undefined) ?? [],
    );
  }
  if (error.status === 422 && error.validationErrors.length > 0) {
    const invalid: RejectedSpan[] = [];
    for (const { loc, msg } of error.validationErrors) {
      const index = loc[0] === 'body' && loc[1] === 'data' && typeof loc[2] === 'number' ? loc[2] : -1;
      const span = spans[index];
      if (span)
        invalid.push({ span_id: span.context?.span_id, trace_id: span.context?.trace_id, error: msg });
    }
    if (invalid.length > 0) return new SpanCreationError(error, spans.length, invalid, []);
  }
  return error;
}

/** Attribute filters as Phoenix's TypeScript client writes them: `key:value`, strings that look like JSON quoted. */
function attributeFilter([key, value]: [string, string | number | boolean]): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InvalidArgumentError(`attributes['${key}'] must be a finite number`);
  }
  if (typeof value !== 'string') return `${key}:${JSON.stringify(value)}`;
  try {
    return typeof JSON.parse(value) === 'string' ? `${key}:${value}` : `${key}:${JSON.stringify(value)}`;
  } catch {
    return `${key}:${value === '' ? '""' : value}`;
  }
}

/** Spans: query (list and DataFrame), log, delete; span and document annotations and notes. */
export class Spans {
  constructor(private readonly api: Api) {}

  /** A project's spans, newest first, with simple filters, following cursors up to `limit`. */
  async getSpans(options: GetSpansOptions = {}): Promise<Span[]> {
    const project_identifier = projectIdentifier(options);
    if (options.filter !== undefined) checkFilter(options.filter);
    const list = (values: readonly string[] | undefined) => (values ? [...values] : undefined);
    const query = {
      start_time: isoInstant(options.startTime, 'startTime'),
      end_time: isoInstant(options.endTime, 'endTime'),
      trace_id: list(options.traceIds),
      span_id: list(options.spanIds),
      parent_id: options.parentId === null ? 'null' : options.parentId,
      name: list(options.names),
      span_kind: list(options.spanKinds),
      status_code: list(options.statusCodes),
      attribute: options.attributes ? Object.entries(options.attributes).map(attributeFilter) : undefined,
      filter: options.filter,
    };
    return collectPages(
      async (cursor, limit) =>
        dataOf(
          await this.api.GET('/v1/projects/{project_identifier}/spans', {
            params: {
              path: { project_identifier },
              query: { ...query, limit, ...(cursor ? { cursor } : {}) },
            },
          }),
        ),
      { limit: optionalLimit(options.limit) ?? 100 },
    );
  }

  /**
   * Spans as a polars DataFrame, chosen by Phoenix's query language: `context.span_id` first, then
   * `name`, `span_kind`, `parent_id`, `start_time`, `end_time` (datetimes), `status_code`,
   * `status_message`, `events`, `context.trace_id` and the `attributes.*` columns; or the columns a
   * SpanQuery selects. The filter is checked here first: a bad one throws before any request.
   */
  async getSpansDataframe(options: GetSpansDataframeOptions = {}): Promise<DataFrame> {
    await loadPolars('getSpansDataframe');
    const { filterCondition, query = {} } = options;
    if (filterCondition !== undefined && query.filter?.condition) {
      throw new InvalidArgumentError('Give filterCondition or query.filter, not both');
    }
    const spanQuery: SpanQuery =
      filterCondition !== undefined ? { ...query, filter: { condition: filterCondition } } : query;
    const condition = spanQuery.filter?.condition;
    if (condition) checkFilter(condition);
    const project_name = await this.projectName(options);
    const answer = await this.api.POST('/v1/spans', {
      params: { query: { project_name } },
      body: {
        queries: [spanQuery],
        start_time: isoInstant(options.startTime, 'startTime') ?? null,
        end_time: isoInstant(options.endTime, 'endTime') ?? null,
        limit: optionalLimit(options.limit) ?? 1000,
        root_spans_only: options.rootSpansOnly ?? null,
      },
      parseAs: 'text',
    });
    const [part] = multipartJsonParts(answer.response.headers.get('content-type') ?? '', dataOf(answer));
    const { columns, rows } = tableOf(part);
    return dataFrameOf('getSpansDataframe', columns, rows);
  }

  /** /v1/spans takes a project name: a GlobalID is looked up. */
  private async projectName(selector: ProjectSelector): Promise<string> {
    if (selector.projectId === undefined) return projectIdentifier(selector);
    projectIdentifier(selector);
    const project_identifier = selector.projectId;
    return dataOf(
      await this.api.GET('/v1/projects/{project_identifier}', { params: { path: { project_identifier } } }),
    ).data.name;
  }

  /**
   * Stores spans (in the shape getSpans returns) in a project, all or none: when some are invalid or
   * already stored, a SpanCreationError lists them and nothing is stored.
   */
  async logSpans(options: ProjectSelector & { spans: readonly Span[] }): Promise<LogSpansResult> {
    const project_identifier = projectIdentifier(options);
    const { spans } = options;
    if (!Array.isArray(spans) || spans.length === 0) throw new InvalidArgumentError('spans cannot be empty');
    try {
      return dataOf(
        await this.api.POST('/v1/projects/{project_identifier}/spans', {
          params: { path: { project_identifier } },
          body: { data: [...spans] },
        }),
      );
    } catch (error) {
      throw error instanceof ApiError ? spanCreationError(error, spans) : error;
    }
  }

  /** Deletes a span (GlobalID or OpenTelemetry span id) with its annotations. */
  async delete({ spanId }: { spanId: string }): Promise<void> {
    const span_identifier = requireText(spanId, 'spanId');
    await this.api.DELETE('/v1/spans/{span_identifier}', { params: { path: { span_identifier } } });
  }

  private readonly spanAnnotations: AnnotationTarget<
    SpanAnnotationInput,
    { span_id: string },
    InsertedSpanAnnotation
  > = {
    listName: 'spanAnnotations',
    wire: (a, where) => ({ span_id: targetId(a.spanId, 'spanId', where) }),
    idColumns: [{ name: 'span_id', fallback: 'context.span_id', kind: 'string' }],
    fromIds: (ids) => ({ spanId: String(ids.span_id) }),
    post: async (data, sync) =>
      dataOf(
        await this.api.POST('/v1/span_annotations', { params: { query: syncQuery(sync) }, body: { data } }),
      ).data,
  };

  private readonly documentAnnotations: AnnotationTarget<
    DocumentAnnotationInput,
    { span_id: string; document_position: number },
    InsertedDocumentAnnotation
  > = {
    listName: 'documentAnnotations',
    wire: (a, where) => {
      if (!Number.isInteger(a.documentPosition) || a.documentPosition < 0) {
        throw new InvalidArgumentError(
          `${where}documentPosition must be a whole number from 0, got ${a.documentPosition}`,
        );
      }
      return { span_id: targetId(a.spanId, 'spanId', where), document_position: a.documentPosition };
    },
    idColumns: [
      { name: 'span_id', fallback: 'context.span_id', kind: 'string' },
      { name: 'document_position', kind: 'integer' },
    ],
    fromIds: (ids) => ({ spanId: String(ids.span_id), documentPosition: Number(ids.document_position) }),
    post: async (data, sync) =>
      dataOf(
        await this.api.POST('/v1/document_annotations', {
          params: { query: syncQuery(sync) },
          body: { data },
        }),
      ).data,
  };

  private readonly spanAnnotationSource: AnnotationSource<Pick<Span, 'context'>, SpanAnnotation> = {
    idsOption: 'spanIds',
    itemsOption: 'spans',
    itemId: (span) => span.context?.span_id,
    frameOption: 'spansDataframe',
    frameColumns: ['context.span_id', 'span_id'],
    idColumn: 'span_id',
    fetchPage: async (project_identifier, spanIds, query) =>
      dataOf(
        await this.api.GET('/v1/projects/{project_identifier}/span_annotations', {
          params: { path: { project_identifier }, query: { span_ids: spanIds, ...query } },
        }),
      ),
  };

  /** Annotates one span; with `sync: true` returns the annotation's id once stored. */
  async addSpanAnnotation<S extends SyncFlag = undefined>(
    options: SpanAnnotationInput & SyncOption<S>,
  ): Promise<Synced<S, InsertedSpanAnnotation>> {
    return addAnnotation(this.spanAnnotations, options);
  }

  /** Annotates many spans in one request; with `sync: true` returns their ids, in order. */
  async logSpanAnnotations<S extends SyncFlag = undefined>({
    spanAnnotations,
    sync,
  }: LogSpanAnnotationsOptions & SyncOption<S>): Promise<Synced<S, InsertedSpanAnnotation[]>> {
    return logAnnotations(this.spanAnnotations, spanAnnotations, sync);
  }

  /**
   * Annotations from a DataFrame (or rows): a `span_id` (or `context.span_id`) column; `name` or
   * `annotation_name` (or `annotationName`); `annotator_kind` (or `annotatorKind`, default HUMAN);
   * at least one of `label`, `score`, `explanation`; optional `metadata`, `identifier`. Sent 100
   * rows per request.
   */
  async logSpanAnnotationsDataframe<S extends SyncFlag = undefined>(
    options: FrameOptions & SyncOption<S>,
  ): Promise<Synced<S, InsertedSpanAnnotation[]>> {
    return logAnnotationsFrame(this.spanAnnotations, options);
  }

  /** Annotates one retrieved document of a span; with `sync: true` returns the annotation's id. */
  async addDocumentAnnotation<S extends SyncFlag = undefined>(
    options: DocumentAnnotationInput & SyncOption<S>,
  ): Promise<Synced<S, InsertedDocumentAnnotation>> {
    return addAnnotation(this.documentAnnotations, options);
  }

  /** Annotates many documents in one request; with `sync: true` returns their ids, in order. */
  async logDocumentAnnotations<S extends SyncFlag = undefined>({
    documentAnnotations,
    sync,
  }: LogDocumentAnnotationsOptions & SyncOption<S>): Promise<Synced<S, InsertedDocumentAnnotation[]>> {
    return logAnnotations(this.documentAnnotations, documentAnnotations, sync);
  }

  /**
   * Document annotations from a DataFrame (or rows): `span_id` (or `context.span_id`) and
   * `document_position` columns, otherwise as logSpanAnnotationsDataframe.
   */
  async logDocumentAnnotationsDataframe<S extends SyncFlag = undefined>(
    options: FrameOptions & SyncOption<S>,
  ): Promise<Synced<S, InsertedDocumentAnnotation[]>> {
    return logAnnotationsFrame(this.documentAnnotations, options);
  }

  /** Adds a note to a span (a new one each time, unless an identifier is given); returns its id. */
  async addSpanNote({
    spanId,
    note,
    identifier,
  }: {
    spanId: string;
    note: string;
    identifier?: string;
  }): Promise<InsertedSpanAnnotation> {
    const data = { span_id: targetId(spanId, 'spanId', ''), ...noteData(note, identifier) };
    return dataOf(await this.api.POST('/v1/span_notes', { body: { data } })).data;
  }

  /** The annotations of some spans (excluding notes unless told otherwise). */
  async getSpanAnnotations(options: GetSpanAnnotationsOptions): Promise<SpanAnnotation[]> {
    return getAnnotations(this.spanAnnotationSource, options);
  }

  /**
   * The same as a DataFrame: `span_id` first, then `id`, `annotation_name`, `annotator_kind`,
   * `result.label`, `result.score`, `result.explanation`, `metadata`, `identifier`, `source`,
   * `user_id`, `created_at`, `updated_at` (datetimes). Takes a spans DataFrame too (its
   * `context.span_id` or `span_id` column).
   */
  async getSpanAnnotationsDataframe(
    options: GetSpanAnnotationsOptions & { spansDataframe?: DataFrameInput },
  ): Promise<DataFrame> {
    return getAnnotationsDataframe(this.spanAnnotationSource, 'getSpanAnnotationsDataframe', options);
  }
}

/** Throws InvalidArgumentError, before any request, when a query-language filter does not check. */
function checkFilter(condition: string): void {
  const checked = validateFilter(condition);
  if (!checked.ok) {
    throw new InvalidArgumentError(`Invalid filter: ${checked.error.message}`, { cause: checked.error });
  }
}
