#!/usr/bin/env python3
"""Issue 9 item 10: an office of N people behind one address logs in at 08:30.

Starts a server on a fresh demo database with the production argon2id cost (no --fast-hash) and
the default throttles, creates N accounts (community-level 儿童主任 under the demo's first
community) and sets their passwords, then sends their N logins spread evenly over `window`
seconds from one address. Meanwhile a logged-in user asks GET /api/v1/children every 100 ms.
Set-up and the reader use other loopback addresses. A login answered 429/503 is retried after its Retry-After, as the web client does, until
`give_up` seconds after it first arrived. Prints how many got in at the first try and in the end,
the wait distribution, and the reader's latency before and during the storm.

  bench/hygiene/login_storm.py <tonghu binary> <port> [N=100] [window=10] [work dir]
Run from the repository root (the server reads config/ from there).
"""
import json
import statistics
import sys
import threading
import time

from common import DEMO_PASSWORD, Server, Session, request

PASSWORD = 'Office2026login'


def pct(values, p):
    if not values:
        return float('nan')
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def make_users(port, n):
    # Set-up runs from other loopback addresses than the office (127.0.0.1), so the office's
    # per-address window starts empty.
    admin = Session(port, 'admin', source='127.0.0.2')
    director = Session(port, 'director', source='127.0.0.2')
    community = json.loads(director.call('GET', '/api/v1/me')[1])['org_unit']
    names = []
    for i in range(n):
        name = f'office{i:03d}'
        status, data, _ = admin.call('POST', '/api/v1/users', {
            'username': name, 'display_name': f'儿童主任{i}', 'role': 'child_director', 'org_unit_id': community['id']})
        if status != 201:
            raise RuntimeError(f'create {name}: {status} {data[:200]}')
        initial = json.loads(data)['initial_password']
        s = Session(port, name, initial, source=f'127.0.1.{i % 250 + 1}')
        status, data, _ = s.call('POST', '/api/v1/me/password', {'old_password': initial, 'new_password': PASSWORD})
        if status != 204:
            raise RuntimeError(f'password {name}: {status} {data[:200]}')
        names.append(name)
    return names


def storm(port, names, window, give_up):
    results = [None] * len(names)
    t0 = time.monotonic()

    def one(i):
        arrive = t0 + window * i / len(names)
        time.sleep(max(0, arrive - time.monotonic()))
        first, tries = None, 0
        while True:
            tries += 1
            status, _, headers = request(port, 'POST', '/api/v1/auth/login', {'username': names[i], 'password': PASSWORD})
            if first is None:
                first = status
            if status == 200 or status not in (429, 503) or time.monotonic() - arrive > give_up:
                break
            time.sleep(float(headers.get('Retry-After', '1')))
        results[i] = (first, status, time.monotonic() - arrive, tries)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(names))]
    for t in threads:
        t.start()
    return threads, results


def reader_loop(port, stop, out):
    s = Session(port, 'director', source='127.0.0.3')
    while not stop.is_set():
        t = time.monotonic()
        status, _, _ = s.call('GET', '/api/v1/children?page_size=20')
        out.append(((time.monotonic() - t) * 1000, status))
        time.sleep(0.1)


def main():
    binary, port = sys.argv[1], int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    window = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    work = sys.argv[5] if len(sys.argv) > 5 else '/tmp/hygiene/bench-login'
    give_up = 60
    srv = Server(binary, port, work)
    try:
        t = time.monotonic()
        names = make_users(port, n)
        print(f'created {n} accounts in {time.monotonic() - t:.1f} s', flush=True)
        time.sleep(1)
        base, during = [], []
        stop = threading.Event()
        th = threading.Thread(target=reader_loop, args=(port, stop, base))
        th.start()
        time.sleep(5)
        stop.set()
        th.join()
        stop = threading.Event()
        th = threading.Thread(target=reader_loop, args=(port, stop, during))
        th.start()
        started = time.monotonic()
        threads, results = storm(port, names, window, give_up)
        for x in threads:
            x.join()
        elapsed = time.monotonic() - started
        stop.set()
        th.join()
        first_ok = sum(1 for r in results if r[0] == 200)
        final_ok = sum(1 for r in results if r[1] == 200)
        waits = [r[2] for r in results if r[1] == 200]
        firsts = sorted({r[0] for r in results})
        retries = sum(r[3] - 1 for r in results)
        print(f'logins: {n} over {window:.0f} s from one address; storm took {elapsed:.1f} s')
        print(f'  first answer statuses: {firsts}; 200 at the first try: {first_ok}/{n}; '
              f'200 in the end (retrying after Retry-After for up to {give_up} s): {final_ok}/{n}; retries: {retries}')
        if waits:
            print(f'  wait from arrival to 200: p50 {pct(waits, 50):.2f} s, p95 {pct(waits, 95):.2f} s, max {max(waits):.2f} s')
        for label, xs in (('before', base), ('during', during)):
            ms = [x[0] for x in xs]
            bad = sum(1 for x in xs if x[1] != 200)
            print(f'  GET /api/v1/children {label} the storm: n={len(ms)} p50 {pct(ms, 50):.0f} ms, '
                  f'p95 {pct(ms, 95):.0f} ms, max {max(ms):.0f} ms, non-200 {bad}')
        print('  server', srv.status())
    finally:
        srv.stop()


if __name__ == '__main__':
    main()
