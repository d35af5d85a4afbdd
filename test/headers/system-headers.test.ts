// Every record the system's own headers define, laid out by us and by gcc, must agree exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveTool, HOST_TOOLCHAIN } from '../support/gcc-truth.js';
import { probeHeaders } from '../support/system-probe.js';
import { packageHeaders, sweepHeaders } from '../support/header-sweep.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';

const HEADERS = [
  'stdio.h',
  'stdlib.h',
  'string.h',
  'signal.h',
  'pthread.h',
  'sys/stat.h',
  'sys/types.h',
  'sys/socket.h',
  'sys/un.h',
  'netinet/in.h',
  'netinet/ip.h',
  'netinet/tcp.h',
  'netinet/udp.h',
  'netinet/ip_icmp.h',
  'arpa/inet.h',
  'net/if.h',
  'netdb.h',
  'elf.h',
  'link.h',
  'dirent.h',
  'fcntl.h',
  'sys/epoll.h',
  'sys/time.h',
  'sys/resource.h',
  'sys/wait.h',
  'sys/mman.h',
  'sys/uio.h',
  'sys/ioctl.h',
  'sys/statfs.h',
  'sys/statvfs.h',
  'sys/utsname.h',
  'sys/sysinfo.h',
  'sys/ipc.h',
  'sys/shm.h',
  'sys/msg.h',
  'sys/sem.h',
  'termios.h',
  'time.h',
  'sched.h',
  'ucontext.h',
  'setjmp.h',
  'locale.h',
  'wchar.h',
  'glob.h',
  'regex.h',
  'search.h',
  'pwd.h',
  'grp.h',
  'utmp.h',
  'utmpx.h',
  'aio.h',
  'mqueue.h',
  'spawn.h',
  'poll.h',
  'sys/inotify.h',
  'sys/signalfd.h',
  'sys/timerfd.h',
  'sys/ptrace.h',
  'sys/user.h',
  'sys/procfs.h',
  'stdint.h',
  'stddef.h',
  'stdalign.h',
  'stdatomic.h',
  'fenv.h',
  'complex.h',
  'math.h',
];
// Linux uapi headers clash with glibc's (struct tcphdr twice): a translation unit of their own.
const UAPI = [
  'linux/bpf.h',
  'linux/if_ether.h',
  'linux/netlink.h',
  'linux/rtnetlink.h',
  'linux/perf_event.h',
  'linux/input.h',
  'linux/fs.h',
  'linux/tcp.h',
  'linux/if_packet.h',
  'linux/filter.h',
  'linux/ethtool.h',
  'linux/kvm.h',
  'linux/io_uring.h',
  'linux/usbdevice_fs.h',
  'linux/videodev2.h',
  'linux/sched.h',
  'linux/btf.h',
  'linux/elf.h',
  'linux/if_tun.h',
  'linux/virtio_net.h',
  'linux/fanotify.h',
];

for (const [label, list] of [
  ['glibc', HEADERS],
  ['Linux uapi', UAPI],
] as const)
  test(`every record of the ${label} headers matches gcc`, { skip: !haveTool('gcc') && 'gcc not installed' }, () => {
    const available = list.filter((h) => haveHeader(h));
    const src = '#define _GNU_SOURCE 1\n' + available.map((h) => `#include <${h}>`).join('\n') + '\n';
    const run = probeHeaders(src);
    assert.deepEqual(run.errors, [], 'our front end reported errors');
    assert.deepEqual(run.diffs.slice(0, 30), [], `${run.diffs.length} differences over ${run.compared} records`);
    assert.ok(run.compared > 100, `only ${run.compared} records compared`);
    console.log(`# ${label} headers: ${run.compared} records (${available.length} headers) match gcc`);
  });

import { spawnSync } from 'node:child_process';
function haveHeader(h: string): boolean {
  const r = spawnSync('gcc', ['-E', '-x', 'c', '-'], {
    input: `#include <${h}>\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return r.status === 0;
}

// Every header of glibc's and Linux's development packages, not just those above.
for (const [pkg, prelude] of [
  ['libc6-dev', '#define _GNU_SOURCE 1\n'],
  ['linux-libc-dev', ''],
] as const) {
  const list = packageHeaders(pkg);
  test(
    `every header of ${pkg} matches gcc`,
    {
      skip: (!haveTool('gcc') && 'gcc not installed') || (!list && `${pkg} not installed (or no dpkg)`),
      timeout: 600_000,
    },
    () => {
      const run = sweepHeaders(list!, prelude, DEFAULT_TARGET, HOST_TOOLCHAIN, systemIncludeDirs() ?? []);
      assert.deepEqual(run.errors.slice(0, 10), [], 'our front end reported errors');
      assert.deepEqual(run.diffs.slice(0, 30), [], `${run.diffs.length} differences over ${run.records} records`);
      assert.ok(run.headers >= list!.length * 0.9, `only ${run.headers} of ${list!.length} headers compile`);
      console.log(
        `# ${pkg}: ${run.headers} of ${list!.length} headers in ${run.units} units, ${run.records} records match gcc`,
      );
    },
  );
}
