// Third-party headers with their real flags: one unit per library, built with `pkg-config --cflags`
// read through layoutof's gcc flag table (kernel/gcc-flags.ts), and every record compared with gcc
// compiling the same unit with the same flags. On x86-64, and on aarch64 and i686 with Debian's cross
// gcc, the target's multiarch -dev packages (libglib2.0-dev:arm64, ...) and the target's pkg-config
// directory; scripts/install-test-deps.sh installs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { dropDuplicateDirs, gccMacros, parseGccArgs, targetVariant } from '../../src/kernel/gcc-flags.js';
import { DEFAULT_TARGET, findTarget } from '../../src/target/target.js';
import { compareRecord, probeFor, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';

/** Debian package, pkg-config module, headers of the unit (install-test-deps.sh installs them). */
const LIBRARIES: [string, string, string[]][] = [
  ['libglib2.0-dev', 'gio-2.0', ['glib.h', 'glib-object.h', 'gio/gio.h']],
  ['libgtk-3-dev', 'gtk+-3.0', ['gtk/gtk.h']],
  ['libvulkan-dev', 'vulkan', ['vulkan/vulkan.h']],
  ['libxcb1-dev', 'xcb', ['xcb/xcb.h', 'xcb/xproto.h']],
  ['libx11-dev', 'x11', ['X11/Xlib.h', 'X11/Xutil.h', 'X11/Xresource.h']],
  ['libavcodec-dev', 'libavcodec', ['libavcodec/avcodec.h', 'libavutil/frame.h']],
  ['libssl-dev', 'openssl', ['openssl/ssl.h', 'openssl/evp.h', 'openssl/x509v3.h']],
  [
    'libsystemd-dev',
    'libsystemd',
    ['systemd/sd-bus.h', 'systemd/sd-journal.h', 'systemd/sd-event.h', 'systemd/sd-device.h'],
  ],
  ['liburing-dev', 'liburing', ['liburing.h']],
  ['libibverbs-dev', 'libibverbs', ['infiniband/verbs.h']],
  ['libdrm-dev', 'libdrm', ['xf86drm.h', 'xf86drmMode.h']],
];

/** The targets of the sweep: the compiler, and Debian's multiarch directory and architecture. */
const TARGETS: { cc: string; multiarch: string; arch: string }[] = [
  { cc: 'gcc', multiarch: 'x86_64-linux-gnu', arch: 'amd64' },
  { cc: 'aarch64-linux-gnu-gcc', multiarch: 'aarch64-linux-gnu', arch: 'arm64' },
  { cc: 'i686-linux-gnu-gcc', multiarch: 'i386-linux-gnu', arch: 'i386' },
];

/** pkg-config's flags for `module` as the target's own pkg-config gives them (its .pc files only). */
function cflags(module: string, multiarch: string): string[] | undefined {
  const env = { ...process.env, PKG_CONFIG_LIBDIR: `/usr/lib/${multiarch}/pkgconfig:/usr/share/pkgconfig` };
  delete env.PKG_CONFIG_PATH;
  const r = spawnSync('pkg-config', ['--cflags', module], { encoding: 'utf8', env });
  return r.status === 0 ? r.stdout.trim().split(/\s+/).filter(Boolean) : undefined;
}

const fs = new NodeFileSystem();

for (const { cc, multiarch, arch } of TARGETS) {
  const base = cc === 'gcc' ? DEFAULT_TARGET : findTarget(cc.replace(/-gcc$/, ''))!;
  const builtin = (haveTool(cc) && systemIncludeDirs(cc === 'gcc' ? undefined : base.triple)) || [];
  for (const [pkg, module, headers] of LIBRARIES) {
    const flags = haveTool('pkg-config') ? cflags(module, multiarch) : undefined;
    test(
      `${pkg}:${arch} (${module}), ${cc}: every record of ${headers.join(', ')} matches gcc with pkg-config's flags`,
      {
        skip:
          (!haveTool(cc) && `${cc} not installed`) ||
          (!flags && `${pkg}:${arch} not installed (no pkg-config ${module} in /usr/lib/${multiarch}/pkgconfig)`),
        timeout: 300_000,
      },
      () => {
        // -pthread (gio's flags) and the like go through the same table as the command line's.
        const g = parseGccArgs([...flags!, '-D_GNU_SOURCE']);
        assert.deepEqual(g.rest, []);
        const target = targetVariant(base, g.layout);
        const include = dropDuplicateDirs({ ...g.include, builtin });
        const src = headers.map((h) => `#include <${h}>\n`).join('');
        const ours = analyzeSourceText(src, {
          target,
          fs,
          include,
          macros: gccMacros(target, g),
          forcedIncludes: g.forcedIncludes,
        });
        const errors = ours.diagnostics.list
          .filter((d) => d.severity === 'error')
          .map((d) => formatDiagnostic(d, ours.sources));
        assert.deepEqual(errors.slice(0, 10), [], 'our front end reported errors');
        const { probes, ours: recs } = probesForTagged(ours.records);
        // Records known only by a typedef (Xlib's XEvent members, GTK's ...) are probed by that name.
        for (const [name, r] of ours.typedefs) {
          if (r.name !== null || r.incomplete) continue;
          probes.push(probeFor(r, name));
          recs.push(r);
        }
        const toolchain = {
          cc,
          nm: 'nm',
          objcopy: cc === 'gcc' ? 'objcopy' : cc.replace(/gcc$/, 'objcopy'),
          flags: [...flags!, '-D_GNU_SOURCE'],
          endian: 'little' as const,
        };
        const truth = gccTruth(src, probes, toolchain);
        const diffs = probes.flatMap((p, i) => compareRecord(recs[i], p, truth[i]!));
        assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${probes.length} records`);
        assert.ok(probes.length >= 5, `only ${probes.length} records`);
        console.log(`# ${pkg}:${arch}: ${probes.length} records match ${cc}`);
      },
    );
  }
}
