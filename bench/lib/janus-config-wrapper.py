#!/usr/bin/python3
"""Stand-in for the janus binary in A/B runs of the media benchmark (ZX_BENCH_JANUS_BINARY).

Our server starts Janus as `janus -F <dir> -C <dir>/janus.jcfg -L <log> -o -N` with a generated
configuration (packages/server/src/platform/media/janus-process.ts). This edits that
configuration as ZX_JANUS_SET says, then execs /usr/bin/janus (ZX_JANUS_REAL) with the same
arguments, so the process the bench measures is Janus itself.

ZX_JANUS_SET: `;`-separated `[file:]section.key=value` or `env:NAME=value`, e.g.
  `general.event_loops=1;media.min_nack_queue=0;videoroom:general.string_ids=false`
  `env:GLIBC_TUNABLES=glibc.malloc.tcache_max=4096` (Janus's environment)
`file` is the part of `janus.<file>.jcfg` (`janus` itself when omitted; `videoroom` means
janus.plugin.videoroom.jcfg). A key already in the section is replaced, a new one added, a
missing section created. `section.key=` (empty value) removes the key. Values are written as
given (quote strings: `media.rtp_port_range="20000-20999"`).
ZX_JANUS_LOG: write Janus's log there instead of the generated folder (removed when Janus stops).
"""
import os
import re
import sys


def config_path(folder, name):
    if name in ('', 'janus'):
        return os.path.join(folder, 'janus.jcfg')
    for candidate in (f'janus.plugin.{name}.jcfg', f'janus.transport.{name}.jcfg', f'janus.{name}.jcfg'):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            return path
    return os.path.join(folder, f'janus.plugin.{name}.jcfg')


def set_key(text, section, key, value):
    """`text` with `key = value` in `section: { ... }` (top-level sections only, as we generate)."""
    lines = text.split('\n')
    start = next((i for i, line in enumerate(lines) if re.match(rf'^{re.escape(section)}\s*:\s*{{', line)), None)
    if start is None:
        if value == '':
            return text
        return text.rstrip('\n') + f'\n{section}: {{\n  {key} = {value}\n}}\n'
    end = next(i for i in range(start + 1, len(lines)) if re.match(r'^}', lines[i]))
    for i in range(start + 1, end):
        if re.match(rf'^\s*{re.escape(key)}\s*=', lines[i]):
            if value == '':
                del lines[i]
            else:
                lines[i] = f'  {key} = {value}'
            return '\n'.join(lines)
    if value != '':
        lines.insert(start + 1, f'  {key} = {value}')
    return '\n'.join(lines)


def main():
    args = sys.argv[1:]
    folder = args[args.index('-F') + 1] if '-F' in args else None
    spec = os.environ.get('ZX_JANUS_SET', '')
    env = dict(os.environ)
    if folder and spec:
        for item in filter(None, (s.strip() for s in spec.split(';'))):
            target, _, value = item.partition('=')
            name, _, dotted = target.rpartition(':')
            if name == 'env':
                env[dotted] = value
                sys.stderr.write(f'janus-config-wrapper: environment {dotted}={value}\n')
                continue
            section, _, key = dotted.partition('.')
            path = config_path(folder, name)
            text = open(path).read() if os.path.exists(path) else ''
            with open(path, 'w') as f:
                f.write(set_key(text, section, key, value.strip()))
            sys.stderr.write(f'janus-config-wrapper: {os.path.basename(path)} {section}.{key} = {value}\n')
    if os.environ.get('ZX_JANUS_LOG') and '-L' in args:
        args[args.index('-L') + 1] = os.environ['ZX_JANUS_LOG']
    real = os.environ.get('ZX_JANUS_REAL', '/usr/bin/janus')
    os.execve(real, [real] + args, env)


if __name__ == '__main__':
    main()
