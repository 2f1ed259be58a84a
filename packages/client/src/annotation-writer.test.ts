import { describe, expectTypeOf, it } from 'vitest';
import type { Synced } from './annotation-writer.js';
import { createClient } from './client.js';
import type { InsertedDocumentAnnotation, InsertedSpanAnnotation } from './resources/spans.js';

// Type-level only: the methods are never called (the resources' own tests call them on a server).
const client = createClient({ baseUrl: 'http://localhost:1' });
type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

describe('Synced', () => {
  it('answers T with sync: true, undefined with false or none, either with a run-time boolean', () => {
    expectTypeOf<Synced<true, string>>().toEqualTypeOf<string>();
    expectTypeOf<Synced<false, string>>().toEqualTypeOf<undefined>();
    expectTypeOf<Synced<undefined, string>>().toEqualTypeOf<undefined>();
    expectTypeOf<Synced<boolean, string>>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Synced<boolean | undefined, string>>().toEqualTypeOf<string | undefined>();
  });

  it('types the annotation writes by their sync flag, as overloads did', () => {
    const span = { spanId: 'a', annotationName: 'n', label: 'l' };
    const flag = Math.random() > 0.5;
    const add = () => client.spans.addSpanAnnotation({ ...span, sync: true });
    const addAsync = () => client.spans.addSpanAnnotation(span);
    const addFalse = () => client.spans.addSpanAnnotation({ ...span, sync: false });
    const addEither = () => client.spans.addSpanAnnotation({ ...span, sync: flag });
    expectTypeOf<Answer<typeof add>>().toEqualTypeOf<InsertedSpanAnnotation>();
    expectTypeOf<Answer<typeof addAsync>>().toEqualTypeOf<undefined>();
    expectTypeOf<Answer<typeof addFalse>>().toEqualTypeOf<undefined>();
    expectTypeOf<Answer<typeof addEither>>().toEqualTypeOf<InsertedSpanAnnotation | undefined>();

    const documents = [{ spanId: 'a', documentPosition: 0, annotationName: 'n', score: 1 }];
    const log = () => client.spans.logDocumentAnnotations({ documentAnnotations: documents, sync: true });
    const logAsync = () => client.spans.logDocumentAnnotations({ documentAnnotations: documents });
    expectTypeOf<Answer<typeof log>>().toEqualTypeOf<InsertedDocumentAnnotation[]>();
    expectTypeOf<Answer<typeof logAsync>>().toEqualTypeOf<undefined>();

    const frame = () => client.traces.logTraceAnnotationsDataframe({ dataframe: [], sync: flag });
    expectTypeOf<Answer<typeof frame>>().toEqualTypeOf<{ id: string }[] | undefined>();
  });
});
