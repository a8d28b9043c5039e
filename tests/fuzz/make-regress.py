#!/usr/bin/python3
# make-regress.py: write the crafted inputs of tests/fuzz/regress, one file a
# finding (issue 13's and those of later runs), each replayed by `make test`
# through its harness and run through the tools by tests/hardening.bats.
# Needs python3-msgpack (Debian) only to regenerate; the output is committed.
import copy
import math
import os
import struct

import msgpack

R = 'tests/fuzz/regress'
C = 'tests/fuzz/corpus'


def put(sub, name, data):
    os.makedirs(f'{R}/{sub}', exist_ok=True)
    with open(f'{R}/{sub}/{name}', 'wb') as f:
        f.write(data)


def header(columns, fields=(), users=(1, 2), items=(1, 2)):
    return {'format': 'rs-stream', 'version': 1, 'columns': list(columns), 'target': 'rating',
            'users': {'count': len(users), 'ids': list(users)},
            'items': {'count': len(items), 'ids': list(items)},
            'fields': [dict(f) for f in fields], 'history': ['crafted']}


def stream(h, *records):
    return b''.join(msgpack.packb(o, use_single_float=False) for o in (h,) + records)


BASE = ('split', 'user', 'item', 'rating', 'ts')
# a field that ends at 2^32-1, no 'x': the loader's user and item fields
# wrapped the 32-bit feature count
put('stream', 'field-ends-at-2p32.mp', stream(
    header(BASE, [{'name': 'a', 'offset': 0, 'size': 2**32 - 1}]), [0, 0, 0, 4.0, 1]))
# a field of 2^28 features sized a table of 1 GB before any record was read
put('stream', 'field-of-2p28.mp', stream(
    header(BASE + ('x',), [{'name': 'a', 'offset': 0, 'size': 2**28}]), [0, 0, 0, 4.0, 1, [5]]))
# five bytes: a map claiming 10^9 entries (msgpack-c asked for 64 GiB)
put('stream', 'map-claims-1e9.mp', bytes.fromhex('df3ba33b3b'))
# the same inside a record, after a good header
put('stream', 'array-claims-2p32.mp', stream(header(BASE)) + bytes.fromhex('95ddffffffff'))
# fields without 'x' (the loader appended user and item after them)
put('stream', 'fields-without-x.mp', stream(
    header(BASE, [{'name': 'user', 'offset': 0, 'size': 2}]), [0, 0, 0, 4.0, 1]))
# a rating finite as a double, infinite as a float
put('stream', 'rating-1e300.mp', stream(header(BASE), [0, 0, 0, 1e300, 1]))
# 65 fields
put('stream', 'fields-65.mp', stream(header(BASE + ('x',), [
    {'name': f'f{i}', 'offset': i, 'size': 1} for i in range(65)]), [0, 0, 0, 4.0, 1, [0]]))

# time fields (ml-onehot --time): one of 2^32-1 features (a time field's cap
# is 256 times another's), a bin without its origin, a bin of 0 days
put('stream', 'time-field-of-2p32.mp', stream(header(BASE + ('x',), [
    {'name': 'day', 'offset': 0, 'size': 2**32 - 1, 'bin': 1, 'origin': 0}]), [0, 0, 0, 4.0, 1, [0]]))
put('stream', 'time-bin-without-origin.mp', stream(header(BASE + ('x',), [
    {'name': 'day', 'offset': 0, 'size': 3, 'bin': 1}]), [0, 0, 0, 4.0, 1, [0]]))
put('stream', 'time-bin-0.mp', stream(header(BASE + ('x',), [
    {'name': 'day', 'offset': 0, 'size': 3, 'bin': 0, 'origin': 5}]), [0, 0, 0, 4.0, 1, [0]]))

with open(f'{C}/model/mf.bin', 'rb') as f:
    MF = msgpack.unpackb(f.read(), strict_map_key=False)


def model(name, change):
    m = copy.deepcopy(MF)
    change(m)
    put('model', name, msgpack.packb(m, use_single_float=False))


def epoch_2p32(m):
    m['log'][0][0] = 4294967296.0


def factors_4096(m):
    m['hyper']['factors'] = 4096
    m['tensors'] = m['tensors'][:1]


def users_2p32(m):
    m['header']['fields'][0]['size'] = 2**32 - 1


def short_tensor(m):
    m['tensors'][1]['data'] = m['tensors'][1]['data'][:-4]


def nan_weight(m):
    m['tensors'][0]['data'] = struct.pack('<f', math.nan) + m['tensors'][0]['data'][4:]


def version_1(m):
    m['version'] = 1


def pairs_claimed(m):
    m['train_pairs']['count'] = 8 * len(m['train_pairs']['data'])


def pairs_flipped(m):
    d = bytearray(m['train_pairs']['data'])
    d[-1] ^= 0x80
    m['train_pairs']['data'] = bytes(d)


def kind_unknown(m):
    m['kind'] = 'nfm'   # no such kind (ffm is one since issue 32)


def tensor_renamed(m):
    m['tensors'][0]['name'] = 'Q'


def shape_swapped(m):
    m['tensors'][0]['shape'] = m['tensors'][0]['shape'][::-1]


model('log-epoch-2p32.bin', epoch_2p32)
model('factors-4096-one-tensor.bin', factors_4096)
model('field-of-2p32.bin', users_2p32)
model('tensor-short.bin', short_tensor)
model('weight-nan.bin', nan_weight)
model('version-1.bin', version_1)
model('pairs-claimed.bin', pairs_claimed)
model('pairs-flipped.bin', pairs_flipped)
model('kind-unknown.bin', kind_unknown)
model('tensor-renamed.bin', tensor_renamed)
model('shape-swapped.bin', shape_swapped)
put('model', 'trailing-data.bin', msgpack.packb(MF, use_single_float=False) + b'\xc0')

# a rating finite as a double, infinite as a float (ml-split wrote +inf)
put('ratings', 'rating-4e50', b'\x01' + b'1\t2\t4E50\t5\n')
put('pairs', 'rating-nan', b'1 2 nan\n')
put('side', 'user-too-many-fields', b'\x00' + b'1|2|M|x|1|extra\n')

# issue 35: bytes that changed a field silently, and what a log's text
# brings before its data (each refused or read, never misread)
put('ratings', 'nul-in-rating', b'\x00' + b'1,1,4,1\n1,2,3\x00garbage,2\n')
put('ratings', 'tab-in-comma-id', b'\x00' + b'a,i1,4,1\nb\tc,i2,3,2\n')
put('ratings', 'bom-comment-header', b'\x00' + b'\xef\xbb\xbf# exported\n\nvisitor,product\n1,5\n')
put('ratings', 'iso-time-bad-day', b'\x00' + b'a,b,2021-02-29\n')
put('ratings', 'names-only', b'\x00' + b'user,item\n')
put('pairs', 'nul-in-id', b'1 2\x003\n')
put('side', 'dat-tab-in-title', b'\x00' + b'1::Toy\tStory (1995)::Comedy\n')
put('features', 'nul-in-value', b'\x00' + b'id,genre\n1,a\x00b\n')
put('itemlist', 'bom-comment', b'\x00' + b'\xef\xbb\xbf# items\n1\n')

# a stream whose id holds a tab or a line break (which ml-split no longer
# writes): ml-split's stream of the log below with the 3-byte id's bytes
# replaced, the same length, so the msgpack stays whole
import subprocess  # noqa: E402
_log = b'a,x,1\na,y,2\nb,y,3\nb,z,4\nc,x,5\nc,z,6\n\xf5\xbd\x8a,x,7\n\xf5\xbd\x8a,y,8\n'
_f5 = subprocess.run(['bin/ml-split', '-q', '--split', 'seq-aware'], input=_log, capture_output=True,
                     check=True).stdout
put('stream', 'id-with-tab.mp', _f5.replace(b'\xa3\xf5\xbd\x8a', b'\xa3a\tb'))
put('stream', 'id-with-newline.mp', _f5.replace(b'\xa3\xf5\xbd\x8a', b'\xa3a\nb'))
