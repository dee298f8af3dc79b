#!/usr/bin/env python3
"""Holds idle keep-alive HTTP connections open, for bench/serve.

    idle_conns.py HOST:PORT PATH [COUNT]      (default 1000 connections)

Opens COUNT TCP connections, sends one GET PATH with keep-alive on each, reads
the whole answer (Content-Length body), then prints "ready N" on stdout and
holds every connection silently until SIGTERM or SIGINT. On the way out it
checks which connections the server closed meanwhile and prints
"held N, still open M"; the exit status is 1 when any answer was not 200 or
any connection was closed by the server.
"""
import select
import signal
import socket
import sys


def read_answer(sock):
    """Reads one HTTP/1.1 answer with a Content-Length; returns the status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the headers")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        body += chunk
    return status


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: idle_conns.py HOST:PORT PATH [COUNT]")
    host, _, port = sys.argv[1].rpartition(":")
    path = sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) == 4 else 1000
    # Blocked now, waited for below: a signal during the set-up is not lost.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})

    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode()
    socks = []
    bad = 0
    for _ in range(count):
        s = socket.create_connection((host, int(port)))
        s.sendall(request)
        if read_answer(s) != 200:
            bad += 1
        socks.append(s)
    print(f"ready {len(socks)}", flush=True)

    signal.sigwait({signal.SIGTERM, signal.SIGINT})

    # A connection the server closed is readable (EOF); an idle open one is not.
    poller = select.poll()
    for s in socks:
        poller.register(s, select.POLLIN | select.POLLRDHUP)
    closed = len(poller.poll(0))
    print(f"held {len(socks)}, still open {len(socks) - closed}"
          + (f", {bad} answers not 200" if bad else ""), flush=True)
    for s in socks:
        s.close()
    sys.exit(1 if bad or closed else 0)


if __name__ == "__main__":
    main()
