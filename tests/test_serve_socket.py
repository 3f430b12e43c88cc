"""The listening socket of ``recruitgraph serve``: accepted connections send without delay.

asyncio switches Nagle's algorithm off on a connection it accepts only when the listening socket
names its protocol; without that, every response on a kept-alive connection waited for the
client's delayed ACK (about 40 ms a request, measured with ``bench/run``'s HTTP table).
"""

from __future__ import annotations

import asyncio
import socket
import threading

from recruitgraph.commands.serve import listening_socket


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

    # In a thread of its own: a session's Playwright (sync API) keeps an event loop running in
    # the main thread, where asyncio.run would refuse to start.
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # handed to the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and not failures, failures
    assert seen and seen[0] != 0
