#!/usr/bin/env python3
"""Per-function size report of a .wasm that has a name section.

Build one with names (same code as the site's; the name section only adds
bytes at the end):
  emcmake cmake -S . -B build-wasm-prof -DCMAKE_BUILD_TYPE=Release \
    -DAP_WASM_OUTPUT_DIR=$PWD/build-wasm-prof/out \
    -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs ...   (as scripts/build-wasm.sh)
  cmake --build build-wasm-prof -j1 --target attention_engine
  python3 scripts/wasm-size-report.py build-wasm-prof/out/attention_engine.wasm

Prints the section sizes, the largest functions, and the code bytes grouped
by a name prefix (namespace, or the class a std::function wraps, ...).
Options: --top N (functions listed), --grep REGEX (only matching names),
--depth N (namespace components per group).
"""
import argparse
import collections
import re
import subprocess
import sys

SECTION_NAMES = {0: 'custom', 1: 'type', 2: 'import', 3: 'function', 4: 'table',
                 5: 'memory', 6: 'global', 7: 'export', 8: 'start', 9: 'element',
                 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag'}


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def name_str(buf, pos):
    n, pos = leb(buf, pos)
    return buf[pos:pos + n].decode('utf-8', 'replace'), pos + n


def parse(path):
    buf = open(path, 'rb').read()
    assert buf[:4] == b'\0asm', 'not a wasm file'
    pos = 8
    sections = []
    imported_funcs = 0
    bodies = []  # sizes, index = defined function index
    names = {}
    while pos < len(buf):
        sid = buf[pos]
        size, p = leb(buf, pos + 1)
        end = p + size
        label = SECTION_NAMES.get(sid, str(sid))
        if sid == 0:
            cname, q = name_str(buf, p)
            label = 'custom:' + cname
            if cname == 'name':
                while q < end:
                    sub = buf[q]
                    ssize, q2 = leb(buf, q + 1)
                    if sub == 1:
                        count, r = leb(buf, q2)
                        for _ in range(count):
                            idx, r = leb(buf, r)
                            nm, r = name_str(buf, r)
                            names[idx] = nm
                    q = q2 + ssize
        elif sid == 2:
            count, q = leb(buf, p)
            for _ in range(count):
                _, q = name_str(buf, q)
                _, q = name_str(buf, q)
                kind = buf[q]
                q += 1
                if kind == 0:
                    _, q = leb(buf, q)
                    imported_funcs += 1
                elif kind == 1:
                    q += 1
                    flags, q = leb(buf, q)
                    _, q = leb(buf, q)
                    if flags & 1:
                        _, q = leb(buf, q)
                elif kind == 2:
                    flags, q = leb(buf, q)
                    _, q = leb(buf, q)
                    if flags & 1:
                        _, q = leb(buf, q)
                elif kind == 3:
                    q += 2
                elif kind == 4:
                    q += 1
                    _, q = leb(buf, q)
        elif sid == 10:
            count, q = leb(buf, p)
            for _ in range(count):
                bsize, q2 = leb(buf, q)
                bodies.append(bsize + (q2 - q))
                q = q2 + bsize
        sections.append((label, end - pos))
        pos = end
    funcs = []
    for i, s in enumerate(bodies):
        funcs.append((s, names.get(imported_funcs + i, f'func{imported_funcs + i}')))
    return len(buf), sections, funcs


def demangle(names):
    mangled = [n for n in names if n.startswith('_Z')]
    out = {}
    if mangled:
        try:
            res = subprocess.run(['c++filt'], input='\n'.join(mangled), text=True,
                                 capture_output=True, check=True)
            for m, d in zip(mangled, res.stdout.split('\n')):
                out[m] = d
        except (OSError, subprocess.CalledProcessError):
            pass
    return [out.get(n, n) for n in names]


def strip_templates(s):
    # Drops <...> (nested) and (...) argument lists, to group by qualified name.
    out, depth = [], 0
    for ch in s:
        if ch in '<(':
            depth += 1
        elif ch in '>)':
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return ''.join(out)


def group_of(name, depth):
    if name.startswith('std::__2::__function::__func<') or \
            name.startswith('std::__2::__function::__alloc_func<'):
        return 'std::function __func (closure wrappers)'
    if 'anon' in name and '$_' in name and 'lambda' not in name:
        pass
    base = strip_templates(name).strip()
    # "void ap::ops::Foo" -> drop a leading return type
    parts = base.split(' ')
    qual = next((p for p in parts if '::' in p), parts[-1] if parts else base)
    comps = [c for c in qual.split('::') if c]
    if not comps:
        return '(other)'
    if comps[0] == 'std':
        return 'std::' + (comps[2] if len(comps) > 2 and comps[1] == '__2' else comps[1] if len(comps) > 1 else '')
    if comps[0] == 'nlohmann':
        return 'nlohmann'
    if comps[0] == 'Eigen':
        return 'Eigen'
    if comps[0] == '(anonymous namespace)':
        return '(anonymous namespace)'
    if len(comps) == 1:
        return '(c / global)'
    return '::'.join(comps[:min(depth, len(comps) - 1)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('wasm')
    ap.add_argument('--top', type=int, default=60)
    ap.add_argument('--depth', type=int, default=3)
    ap.add_argument('--grep')
    args = ap.parse_args()
    total, sections, funcs = parse(args.wasm)
    print(f'file: {total} B')
    for label, size in sections:
        print(f'  section {label:24s} {size:9d} B')
    dem = demangle([n for _, n in funcs])
    funcs = [(s, d) for (s, _), d in zip(funcs, dem)]
    if args.grep:
        rx = re.compile(args.grep)
        funcs = [f for f in funcs if rx.search(f[1])]
    code = sum(s for s, _ in funcs)
    print(f'\n{len(funcs)} functions, {code} B of code')
    groups = collections.Counter()
    counts = collections.Counter()
    for s, n in funcs:
        g = group_of(n, args.depth)
        groups[g] += s
        counts[g] += 1
    print('\nby group:')
    for g, s in groups.most_common(40):
        print(f'  {s:8d} B {counts[g]:5d} fns  {g}')
    print(f'\ntop {args.top} functions:')
    for s, n in sorted(funcs, reverse=True)[:args.top]:
        print(f'  {s:7d}  {n[:200]}')


if __name__ == '__main__':
    sys.exit(main())
