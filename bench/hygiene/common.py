"""Shared helpers for the hygiene benchmarks: start a tonghu server on a fresh demo database,
log in, make requests, read the server's memory from /proc. Standard library only."""
import http.client
import json
import os
import shutil
import subprocess
import time

DEMO_PASSWORD = 'Demo@2026tonghu'


class Server:
    """A `tonghu serve` process on a fresh demo district (SQLite) under `work`."""

    def __init__(self, binary, port, work, extra=()):
        self.binary, self.port, self.work = binary, port, work
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        subprocess.run([binary, 'demo', '--data-dir', work + '/db'], check=True, stdout=subprocess.DEVNULL)
        self.log = open(work + '/server.log', 'w')
        self.proc = subprocess.Popen([binary, 'serve', '--data-dir', work + '/db', '--port', str(port), *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                if request(port, 'GET', '/api/v1/health')[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError('server did not start')

    def status(self):
        """VmRSS and VmHWM (peak) of the server in MB."""
        out = {}
        with open(f'/proc/{self.proc.pid}/status') as f:
            for line in f:
                k, _, v = line.partition(':')
                if k in ('VmRSS', 'VmHWM'):
                    out[k] = int(v.split()[0]) / 1024
        return out

    def reset_peak(self):
        """Resets VmHWM to the current RSS (Linux >= 4.0: write 5 to clear_refs)."""
        with open(f'/proc/{self.proc.pid}/clear_refs', 'w') as f:
            f.write('5')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


def request(port, method, path, body=None, headers=None, timeout=120, source='127.0.0.1'):
    """One request on a new connection from the loopback address `source` (127.x.y.z: tests can
    play several client addresses)."""
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout, source_address=(source, 0))
    h = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault('Content-Type', 'application/json')
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, dict(r.getheaders())


class Session:
    def __init__(self, port, username, password=DEMO_PASSWORD, source='127.0.0.1'):
        self.port, self.source = port, source
        status, data, headers = request(port, 'POST', '/api/v1/auth/login', {'username': username, 'password': password},
                                        source=source)
        if status != 200:
            raise RuntimeError(f'login {username}: {status} {data[:200]}')
        self.cookie = headers['Set-Cookie'].split(';')[0]
        self.csrf = json.loads(data)['csrf_token']

    def call(self, method, path, body=None, content_type=None, timeout=300):
        h = {'Cookie': self.cookie, 'X-CSRF-Token': self.csrf}
        if content_type:
            h['Content-Type'] = content_type
        return request(self.port, method, path, body, h, timeout, self.source)
