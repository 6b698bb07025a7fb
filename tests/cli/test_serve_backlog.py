"""`restli serve` keeps up with a burst of new connections (its listen backlog)."""

from __future__ import annotations

import socket

from restli_cli._serve import LoopbackServer
from restli_core.testing import RestliServer


def test_a_burst_of_connections_is_queued_not_dropped() -> None:
    # The server is not accepting yet: every connection of the burst must still be
    # established by the kernel at once (with socketserver's backlog of 5, the
    # sixth and later ones hang until the SYN is retried, about a second later).
    server = LoopbackServer(RestliServer())
    sockets: list[socket.socket] = []
    try:
        for _ in range(64):
            sockets.append(socket.create_connection(("127.0.0.1", server.port), timeout=0.5))
    finally:
        for sock in sockets:
            sock.close()
        server.close()
    assert len(sockets) == 64
