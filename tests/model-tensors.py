"""The parts of model files that training makes, apart from the header
(which holds the command line): prints 'same' when every file's equal the
first's, else the first key that differs.

usage: model-tensors.py MODEL MODEL...
"""
import sys

import msgpack


def body(path):
    with open(path, 'rb') as f:
        m = msgpack.unpackb(f.read(), raw=False, strict_map_key=False)
    m.pop('header')
    return m


first = body(sys.argv[1])
for path in sys.argv[2:]:
    other = body(path)
    for key in first:
        if first[key] != other.get(key):
            print(f'{path}: {key} differs')
            sys.exit(1)
print('same')
