"""The listening socket of ``recruitgraph serve``: accepted connections send without delay.

asyncio switches Nagle's algorithm off on a connection it accepts only when the listening socket
names its protocol; without that, every response on a kept-alive connection waited for the
client's delayed ACK (about 40 ms a request, measured with ``bench/run``'s HTTP table).
"""

from __future__ import annotations

import asyncio
import socket

from recruitgraph.commands.serve import listening_socket
from support import run_async


def test_accepted_connections_have_nagle_off() -> None:
    seen: list[int] = []

    async def scenario() -> None:
        sock = listening_socket("127.0.0.1")
        sock.bind(("127.0.0.1", 0))

        class Record(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                conn = transport.get_extra_info("socket")
                seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Record, sock=sock)
        port = sock.getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await reader.read()  # until the server closes it
        writer.close()
        server.close()
        await server.wait_closed()

    run_async(scenario, timeout=30)
    assert seen and seen[0] != 0
