"""The parts of model files that training makes, apart from the header
(which holds the command line): prints 'same' when every file's equal the
first's, else the first key that differs.

usage: model-tensors.py [--only KEY] MODEL MODEL...
"""
import sys

import msgpack


def body(path):
    with open(path, 'rb') as f:
        m = msgpack.unpackb(f.read(), raw=False, strict_map_key=False)
    m.pop('header')
    return m


args = sys.argv[1:]
only = None
if args[0] == '--only':
    only, args = args[1], args[2:]
first = body(args[0])
for path in args[1:]:
    other = body(path)
    for key in [only] if only else first:
        if first[key] != other.get(key):
            print(f'{path}: {key} differs')
            sys.exit(1)
print('same')
