/**
 * The hand-written protobuf decoder's field numbers and wire types against the official OTLP .proto
 * definitions (test-support/otlp-proto: printed from the descriptors of opentelemetry-proto, with
 * its version and licence; extract.py writes them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROTOBUF_FIELDS, PROTOBUF_TAGS } from './decode-protobuf.js';

const PROTO_DIR = fileURLToPath(new URL('../../test-support/otlp-proto/', import.meta.url));

interface ProtoField {
  type: string;
  repeated: boolean;
  number: number;
}

const protoFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? protoFiles(join(dir, e.name)) : e.name.endsWith('.proto') ? [join(dir, e.name)] : [],
  );

/** Every field of every message, keyed by the message's name within its package (`Span.Event.name`). */
function parseProtos(): Map<string, ProtoField> {
  const fields = new Map<string, ProtoField>();
  for (const file of protoFiles(PROTO_DIR)) {
    const scopes: (string | null)[] = [];
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      const line = raw.trim();
      const open = /^(message|enum|oneof) (\w+) \{$/.exec(line);
      if (open) {
        // A oneof's fields belong to the message around it.
        scopes.push(open[1] === 'message' ? open[2]! : null);
        continue;
      }
      if (line === '}') {
        scopes.pop();
        continue;
      }
      const field = /^(repeated )?(\S+) (\w+) = (\d+);$/.exec(line);
      if (field && scopes.length > 0 && !line.startsWith('option')) {
        const message = scopes.filter((s) => s !== null).join('.');
        if (message === '' || scopes.at(-1) === undefined) continue;
        fields.set(`${message}.${field[3]}`, {
          repeated: field[1] !== undefined,
          type: field[2]!,
          number: Number(field[4]),
        });
      }
    }
  }
  return fields;
}

/** The wire type a proto3 field of this type is written with (repeated scalars of number types are packed). */
function wireType(field: ProtoField): number {
  if (['fixed64', 'sfixed64', 'double'].includes(field.type)) return field.repeated ? 2 : 1;
  if (['fixed32', 'sfixed32', 'float'].includes(field.type)) return field.repeated ? 2 : 5;
  if (['string', 'bytes'].includes(field.type) || field.type.startsWith('.')) {
    // A message type or an enum: enums are varints.
    return field.type.startsWith('.') && /\.[A-Z]\w*Code$|\.SpanKind$/.test(field.type) ? 0 : 2;
  }
  return field.repeated ? 2 : 0;
}

const fields = parseProtos();

/** The decoder's short name (`Event.name`) as the .proto's (`Span.Event.name`): the one field ending so. */
function official(name: string): [string, ProtoField] {
  const matches = [...fields].filter(([key]) => key === name || key.endsWith(`.${name}`));
  expect(
    matches.map(([key]) => key),
    `one field of the .proto files named ${name}`,
  ).toHaveLength(1);
  return matches[0]!;
}

describe('the protobuf decoder against the OTLP .proto definitions', () => {
  it('reads the vendored definitions', () => {
    expect(fields.get('Span.trace_id')).toEqual({ type: 'bytes', repeated: false, number: 1 });
    expect(fields.get('ExportTraceServiceRequest.resource_spans')?.number).toBe(1);
    expect(fields.get('AnyValue.kvlist_value')?.number).toBe(6);
    expect(fields.size).toBeGreaterThan(40);
  });

  const entries = PROTOBUF_FIELDS.flatMap((table) =>
    Object.entries(table).map(([number, [name, wire]]) => [name, Number(number), wire] as const),
  );
  it.each(entries)('%s is field %i with wire type %i', (name, number, wire) => {
    const [, field] = official(name);
    expect(field.number).toBe(number);
    expect(wireType(field)).toBe(wire);
  });

  it.each(Object.entries(PROTOBUF_TAGS))('the tag the decoder switches on for %s', (name, tag) => {
    const [, field] = official(name);
    expect(tag).toBe((field.number << 3) | wireType(field));
  });

  it('names every tag it switches on in its tables', () => {
    const named = new Set(entries.map(([name]) => name));
    for (const name of Object.keys(PROTOBUF_TAGS)) expect(named).toContain(name);
  });
});
