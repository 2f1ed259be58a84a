"""
Writes the OTLP trace .proto definitions this folder vendors, from the official descriptors that
the opentelemetry-proto Python package (PyPI, Apache-2.0) compiles from open-telemetry/opentelemetry-proto.
The text is printed from the descriptors (messages, enums, fields with their numbers and types);
the original comments are not in them. Run with that package and protobuf installed:

    python3 -m venv /tmp/pv && /tmp/pv/bin/pip install opentelemetry-proto==1.45.0
    /tmp/pv/bin/python packages/server/test-support/otlp-proto/extract.py
"""
import os
from importlib.metadata import version

from google.protobuf.descriptor import FieldDescriptor as F
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

SCALARS = {
    F.TYPE_DOUBLE: 'double', F.TYPE_FLOAT: 'float', F.TYPE_INT64: 'int64', F.TYPE_UINT64: 'uint64',
    F.TYPE_INT32: 'int32', F.TYPE_FIXED64: 'fixed64', F.TYPE_FIXED32: 'fixed32', F.TYPE_BOOL: 'bool',
    F.TYPE_STRING: 'string', F.TYPE_BYTES: 'bytes', F.TYPE_UINT32: 'uint32', F.TYPE_SFIXED32: 'sfixed32',
    F.TYPE_SFIXED64: 'sfixed64', F.TYPE_SINT32: 'sint32', F.TYPE_SINT64: 'sint64',
}


def type_name(field):
    if field.type in (F.TYPE_MESSAGE, F.TYPE_ENUM):
        target = field.message_type or field.enum_type
        return '.' + target.full_name
    return SCALARS[field.type]


def enum_text(enum, indent):
    lines = [f'{indent}enum {enum.name} {{']
    lines += [f'{indent}  {v.name} = {v.number};' for v in enum.values]
    return lines + [f'{indent}}}']


def message_text(message, indent=''):
    lines = [f'{indent}message {message.name} {{']
    for enum in message.enum_types:
        lines += enum_text(enum, indent + '  ')
    for nested in message.nested_types:
        lines += message_text(nested, indent + '  ')
    oneofs = {}
    for field in message.fields:
        label = 'repeated ' if field.label == F.LABEL_REPEATED else ''
        line = f'{label}{type_name(field)} {field.name} = {field.number};'
        oneof = field.containing_oneof
        if oneof is not None and not oneof.name.startswith('_'):
            oneofs.setdefault(oneof.name, []).append(line)
            if len(oneofs[oneof.name]) == 1:
                lines.append(f'{indent}  oneof {oneof.name} {{ @{oneof.name} }}')
        else:
            lines.append(f'{indent}  {line}')
    text = '\n'.join(lines)
    for name, fields in oneofs.items():
        body = '\n'.join(f'{indent}    {f}' for f in fields)
        text = text.replace(f'{{ @{name} }}', '{\n' + body + f'\n{indent}  }}')
    return text.split('\n') + [f'{indent}}}']


here = os.path.dirname(os.path.abspath(__file__))
for module in (common_pb2, resource_pb2, trace_pb2, trace_service_pb2):
    file = module.DESCRIPTOR
    lines = [
        f'// {file.name}, printed by extract.py from the descriptors of opentelemetry-proto '
        f'{version("opentelemetry-proto")} (PyPI), Apache-2.0 (LICENSE).',
        'syntax = "proto3";',
        f'package {file.package};',
    ]
    lines += [f'import "{d.name}";' for d in file.dependencies]
    for enum in file.enum_types_by_name.values():
        lines += enum_text(enum, '')
    for message in file.message_types_by_name.values():
        lines += message_text(message)
    path = os.path.join(here, file.name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print(path)
