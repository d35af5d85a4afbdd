// Third-party headers with their real flags: one unit per library, built with `pkg-config --cflags`
// read through layoutof's gcc flag table (kernel/gcc-flags.ts), and every record compared with gcc
// compiling the same unit with the same flags. x86-64 only: Debian's cross -dev packages of these
// libraries (libglib2.0-dev:arm64, ...) are not installed by scripts/install-test-deps.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { dropDuplicateDirs, gccMacros, parseGccArgs, targetVariant } from '../../src/kernel/gcc-flags.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { compareRecord, probeFor, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN } from '../support/gcc-truth.js';

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

function cflags(module: string): string[] | undefined {
  const r = spawnSync('pkg-config', ['--cflags', module], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(/\s+/).filter(Boolean) : undefined;
}

const builtin = systemIncludeDirs() ?? [];
const fs = new NodeFileSystem();

for (const [pkg, module, headers] of LIBRARIES) {
  const flags = haveTool('pkg-config') ? cflags(module) : undefined;
  test(
    `${pkg} (${module}): every record of ${headers.join(', ')} matches gcc with pkg-config's flags`,
    {
      skip: (!haveTool('gcc') && 'gcc not installed') || (!flags && `${pkg} not installed (no pkg-config ${module})`),
      timeout: 300_000,
    },
    () => {
      // -pthread (gio's flags) and the like go through the same table as the command line's.
      const g = parseGccArgs([...flags!, '-D_GNU_SOURCE']);
      assert.deepEqual(g.rest, []);
      const target = targetVariant(DEFAULT_TARGET, g.layout);
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
      const truth = gccTruth(src, probes, { ...HOST_TOOLCHAIN, flags: [...flags!, '-D_GNU_SOURCE'] });
      const diffs = probes.flatMap((p, i) => compareRecord(recs[i], p, truth[i]!));
      assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${probes.length} records`);
      assert.ok(probes.length >= 5, `only ${probes.length} records`);
      console.log(`# ${pkg}: ${probes.length} records match gcc`);
    },
  );
}
