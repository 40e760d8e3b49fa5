"""Drive QEMU on a Red Bear OS image and watch its serial console.

A reader thread collects everything the guest writes to COM1; wait_for()
blocks on a condition variable until a pattern shows up, the guest exits,
or the timeout passes (no sleeps). Matches are IN ORDER: each wait_for()
searches only the output after the end of the previous match, so a test
that waits for A then B proves B came after A. A test that really needs to
look back passes from_start=True (that does not move the cursor). Every run's serial log is written to
build/test-logs/<name>.log so a failing test leaves its evidence behind.
"""
import os
import re
import shutil
import socket
import subprocess
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LOG_DIR = os.path.join(REPO, 'build', 'test-logs')
OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd'
OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd'

# TCG unless told otherwise: /dev/kvm may exist and still be unusable.
ACCEL = os.environ.get('QEMU_ACCEL', 'tcg')
# Timeouts scale with the accelerator and the machine's load (CI: 2 cores).
TIMEOUT_SCALE = float(os.environ.get('REDBEAR_TIMEOUT_SCALE', '1'))


def build_iso(cmdline='', name=None, debug=False):
    """Build (if needed) an ISO with this kernel command line; return its path.
    debug=True builds the kernel with make DEBUG=1 in its own build tree."""
    args = []
    build = os.path.join(REPO, 'build')
    if debug:
        build = os.path.join(REPO, 'build', 'debug')
        args = ['BUILD=' + build, 'DEBUG=1']
    iso = os.path.join(build, 'redbear.iso') if not cmdline else \
        os.path.join(build, 'iso', (name or re.sub(r'[^A-Za-z0-9]+', '-', cmdline)) + '.iso')
    subprocess.run(['make', '-s', '-j%d' % (os.cpu_count() or 1), 'iso',
                    'CMDLINE=' + cmdline, 'ISO=' + iso] + args, cwd=REPO, check=True)
    return iso


class QemuCrashed(AssertionError):
    """QEMU itself died of a signal: a host bug, not something the guest
    did wrong (see conftest.py, which runs such a test once more). log:
    the run's serial log."""

    def __init__(self, msg, log=None):
        super().__init__(msg)
        self.log = log


class Qemu:
    def __init__(self, iso, name, smp=4, mem='512M', uefi=False, cpu=None, extra=(), stdin=False,
                 monitor=False):
        self.name = name
        self.output = ''
        self.cond = threading.Condition()
        self.exited = False
        self.pos = 0  # end of the last in-order match
        os.makedirs(LOG_DIR, exist_ok=True)
        machine = 'q35'
        extra = list(extra)
        if '-machine' in extra:  # a test may choose machine options itself
            i = extra.index('-machine')
            machine = extra[i + 1]
            del extra[i:i + 2]
        args = ['qemu-system-x86_64', '-machine', machine, '-accel', ACCEL,
                '-smp', str(smp), '-m', mem, '-cdrom', iso, '-display', 'none',
                '-serial', 'stdio', '-monitor', 'none', '-no-reboot']
        # monitor=True: the QEMU monitor on a unix socket, for monitor(cmd)
        self.monitor_path = None
        if monitor:
            self.monitor_path = os.path.join(LOG_DIR, name + '.monitor')
            if os.path.exists(self.monitor_path):
                os.unlink(self.monitor_path)
            args[args.index('-monitor') + 1] = 'unix:%s,server,nowait' % self.monitor_path
        if cpu:
            args += ['-cpu', cpu]
        if uefi:
            vars_copy = os.path.join(LOG_DIR, name + '.vars.fd')
            shutil.copyfile(OVMF_VARS, vars_copy)
            args += ['-drive', 'if=pflash,format=raw,readonly=on,file=' + OVMF_CODE,
                     '-drive', 'if=pflash,format=raw,file=' + vars_copy]
        args += list(extra)
        self.args = args
        self.start_time = time.monotonic()
        # stdin=True: the test types on COM1 with send(); otherwise no input.
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            with self.cond:
                if not chunk:
                    self.exited = True
                    self.cond.notify_all()
                    return
                self.output += chunk.decode('utf-8', 'replace').replace('\r', '')
                self.cond.notify_all()

    def wait_for(self, pattern, timeout=30, from_start=False):
        """Return the first match of pattern after the previous match (or
        anywhere, with from_start=True), or raise AssertionError."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        start = 0 if from_start else self.pos
        with self.cond:
            while True:
                m = rx.search(self.output, start)
                if m:
                    if not from_start:
                        self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if self.exited or left <= 0:
                    why = self._exit_why() if self.exited else 'timed out after %ds' % timeout
                    where = 'anywhere' if from_start else 'after byte %d' % start
                    msg = ('%s: %r not seen on serial %s (%s); log: %s'
                           % (self.name, pattern, where, why, self.log_path()))
                    if why.startswith('QEMU crashed'):
                        raise QemuCrashed(msg, self.log_path())
                    raise AssertionError(msg)
                self.cond.wait(left)

    def wait_exit(self, timeout=30):
        """Wait for QEMU to exit by itself; its exit status, or raise
        AssertionError if it is still running after timeout (scaled)."""
        try:
            rc = self.proc.wait(timeout=timeout * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired:
            raise AssertionError('%s: QEMU still running after %ds; log: %s'
                                 % (self.name, timeout, self.log_path()))
        if rc < 0:
            raise QemuCrashed('%s: %s; log: %s' % (self.name, self._exit_why(), self.log_path()),
                              self.log_path())
        return rc

    def _exit_why(self):
        """Why QEMU's output ended: its exit status, or the signal that
        killed it (QEMU crashed: Debian 12's QEMU 7.2 has a multi-threaded
        TCG race between a memory-map change and another vCPU's MMIO)."""
        try:
            rc = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return 'QEMU closed its output'
        if rc < 0:
            return 'QEMU crashed (signal %d), a QEMU bug' % -rc
        return 'QEMU exited with status %d' % rc

    def send(self, data):
        """Type data (bytes) on the guest's COM1 (needs stdin=True)."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def monitor(self, cmd):
        """Run one QEMU monitor command (needs monitor=True); the text it
        printed."""
        prompt = b'(qemu) '
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sk:
            sk.settimeout(30 * TIMEOUT_SCALE)
            # QEMU makes the socket early in its start; a call right after
            # start may come first (nothing to wait on but the file)
            deadline = time.monotonic() + 30 * TIMEOUT_SCALE
            while True:
                try:
                    sk.connect(self.monitor_path)
                    break
                except (FileNotFoundError, ConnectionRefusedError):
                    if time.monotonic() > deadline or self.proc.poll() is not None:
                        raise
                    time.sleep(0.05)

            def until_prompt():
                data = b''
                while not data.endswith(prompt):
                    chunk = sk.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                return data
            until_prompt()  # the banner
            sk.sendall(cmd.encode() + b'\n')
            text = until_prompt().decode('utf-8', 'replace')
        # the monitor echoes the line with terminal escapes; drop them, the
        # echoed command and the next prompt
        text = re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', text).replace('\r', '')
        lines = text.split('\n')
        if lines and lines[0].strip().endswith(cmd):
            lines = lines[1:]
        if lines and lines[-1].startswith('(qemu)'):
            lines = lines[:-1]
        return '\n'.join(lines)

    def elapsed(self):
        return time.monotonic() - self.start_time

    def log_path(self):
        return os.path.join(LOG_DIR, self.name + '.log')

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=5)
        if self.monitor_path and os.path.exists(self.monitor_path):
            os.unlink(self.monitor_path)
        with open(self.log_path(), 'w') as f:
            f.write('# ' + ' '.join(self.args) + '\n' + self.output)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def boot(cmdline, name, iso_name=None, **kw):
    """Build (if needed) an ISO with this kernel command line, named iso_name
    (default: name, the run's log name), and start QEMU on it. Use as
    `with boot(...) as vm:`; keyword arguments go to Qemu."""
    return Qemu(build_iso(cmdline, name=iso_name or name), name, **kw)
