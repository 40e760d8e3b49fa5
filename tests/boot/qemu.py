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
        # monitor=True: the QEMU monitor on a unix socket, for vm.monitor(cmd).
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
                    why = 'QEMU exited' if self.exited else 'timed out after %ds' % timeout
                    where = 'anywhere' if from_start else 'after byte %d' % start
                    raise AssertionError('%s: %r not seen on serial %s (%s); log: %s'
                                         % (self.name, pattern, where, why, self.log_path()))
                self.cond.wait(left)

    def wait_exit(self, timeout=30):
        """Wait for QEMU to exit by itself; its exit status, or raise
        AssertionError if it is still running after timeout (scaled)."""
        try:
            return self.proc.wait(timeout=timeout * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired:
            raise AssertionError('%s: QEMU still running after %ds; log: %s'
                                 % (self.name, timeout, self.log_path()))

    def send(self, data):
        """Type data (bytes) on the guest's COM1 (needs stdin=True)."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def monitor(self, cmd, timeout=30):
        """Run a QEMU monitor command (needs monitor=True); return the text
        it printed (without the echoed command and the prompts)."""
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            while True:  # QEMU creates the socket shortly after it starts
                try:
                    s.connect(self.monitor_path)
                    break
                except (FileNotFoundError, ConnectionRefusedError):
                    if time.monotonic() > deadline:
                        raise AssertionError('%s: no QEMU monitor at %s'
                                             % (self.name, self.monitor_path))
                    time.sleep(0.1)  # polling for QEMU's socket, not for the guest
            s.settimeout(timeout * TIMEOUT_SCALE)

            def until_prompt():
                buf = b''
                while not buf.endswith(b'(qemu) '):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                return buf.decode('utf-8', 'replace')

            until_prompt()  # the banner
            s.sendall(cmd.encode() + b'\n')
            text = until_prompt()
        # The monitor echoes the command with terminal escapes; drop them and it.
        text = re.sub(r'\x1b\[[0-9;]*[A-Za-z]|\x1b[A-Za-z]', '', text).replace('\r', '')
        lines = text.split('\n')
        if lines and cmd in lines[0]:
            lines = lines[1:]
        return '\n'.join(l for l in lines if l != '(qemu) ').rstrip() + '\n'

    def elapsed(self):
        return time.monotonic() - self.start_time

    def log_path(self):
        return os.path.join(LOG_DIR, self.name + '.log')

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=5)
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
