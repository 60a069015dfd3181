"""A local SMTP sink for the benchmarks, run as its own process.

`python bench/smtp_sink.py PORT [--kind lean|aiosmtpd]` prints `ready`, then accepts mail until
stdin closes. Each line `report` on stdin makes it print one JSON line with what it received
since the last report (messages, envelope recipients, Message-IDs, bytes) and start counting
afresh, so the bench can check every run against the outbox rows in the database.

`lean` is a small asyncio SMTP server (EHLO/HELO, MAIL, RCPT, DATA with the `.` terminator and
dot-unstuffing, RSET, NOOP, QUIT; PIPELINING works because commands are read from a buffer in
order): benchmark infrastructure, not product, and much cheaper per mail than aiosmtpd, which
parsed every message in ~370 µs of CPU and so slowed the drain it was meant to measure.
`aiosmtpd` is the earlier sink, kept for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from typing import Any

HOSTNAME = b"sink.local"
EHLO_REPLY = (
    b"250-" + HOSTNAME + b"\r\n250-PIPELINING\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250 HELP\r\n"
)
TERMINATOR = b"\r\n.\r\n"
MAX_LINE = 4096


class Received:
    """What the sink accepted since the last report (appended to by the event loop only)."""

    def __init__(self) -> None:
        self.recipients: list[list[str]] = []
        self.message_ids: list[str] = []
        self.octets = 0

    def add(self, recipients: list[str], content: bytes) -> None:
        self.recipients.append(recipients)
        self.message_ids.append(_message_id(content))
        self.octets += len(content)


def _message_id(content: bytes) -> str:
    """The Message-ID header of a message (unfolded), or "" when it has none."""
    head_end = content.find(b"\r\n\r\n")
    head = b"\r\n" + (content if head_end < 0 else content[:head_end])
    for name in (b"\r\nMessage-ID:", b"\r\nMessage-Id:", b"\r\nmessage-id:"):
        start = head.find(name)
        if start >= 0:
            start += len(name)
            end = head.find(b"\r\n", start)
            while end >= 0 and head[end + 2 : end + 3] in (b" ", b"\t"):
                end = head.find(b"\r\n", end + 2)
            return head[start : end if end >= 0 else len(head)].decode("ascii", "replace").strip()
    return ""


def _address(argument: bytes) -> str:
    """`<a@b> SIZE=12` → "a@b"."""
    text = argument.decode("utf-8", "replace").strip()
    if text.startswith("<"):
        return text[1 : text.find(">")] if ">" in text else text[1:]
    return text.split(" ", 1)[0]


class SinkProtocol(asyncio.Protocol):
    def __init__(self, received: Received) -> None:
        self.received = received
        self.buffer = bytearray()
        self.in_data = False
        self.mail_from: str | None = None
        self.recipients: list[str] = []
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(b"220 " + HOSTNAME + b" ESMTP bench sink\r\n")

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        replies: list[bytes] = []
        while True:
            if self.in_data:
                if buffer[:3] == b".\r\n":  # an empty message
                    end, skip = 0, 3
                else:
                    found = buffer.find(TERMINATOR)
                    if found < 0:
                        break
                    end, skip = found + 2, found + 5
                content = bytes(buffer[:end])
                del buffer[:skip]
                if content.startswith(b".."):
                    content = content[1:]
                content = content.replace(b"\r\n..", b"\r\n.")
                self.received.add(self.recipients, content)
                self.in_data = False
                self.mail_from, self.recipients = None, []
                replies.append(b"250 OK\r\n")
                continue
            found = buffer.find(b"\r\n")
            if found < 0:
                if len(buffer) > MAX_LINE:
                    replies.append(b"500 Line too long\r\n")
                    buffer.clear()
                break
            line = bytes(buffer[:found])
            del buffer[: found + 2]
            reply = self.command(line)
            if reply is None:  # QUIT
                self.transport.write(b"".join(replies) + b"221 Bye\r\n")
                self.transport.close()
                return
            replies.append(reply)
        if replies:
            self.transport.write(b"".join(replies))

    def command(self, line: bytes) -> bytes | None:
        verb, _sep, argument = line.partition(b" ")
        verb = verb.upper()
        if verb == b"MAIL":
            if not argument.upper().startswith(b"FROM:"):
                return b"501 Syntax: MAIL FROM:<address>\r\n"
            self.mail_from, self.recipients = _address(argument[5:]), []
            return b"250 OK\r\n"
        if verb == b"RCPT":
            if self.mail_from is None:
                return b"503 Error: need MAIL command\r\n"
            if not argument.upper().startswith(b"TO:"):
                return b"501 Syntax: RCPT TO:<address>\r\n"
            self.recipients.append(_address(argument[3:]))
            return b"250 OK\r\n"
        if verb == b"DATA":
            if not self.recipients:
                return b"503 Error: need RCPT command\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"EHLO":
            self.mail_from, self.recipients = None, []
            return EHLO_REPLY
        if verb == b"HELO":
            self.mail_from, self.recipients = None, []
            return b"250 " + HOSTNAME + b"\r\n"
        if verb == b"RSET":
            self.mail_from, self.recipients = None, []
            return b"250 OK\r\n"
        if verb == b"NOOP":
            return b"250 OK\r\n"
        if verb == b"QUIT":
            return None
        return b"500 Error: command not recognized\r\n"


def _serve_lean(port: int, received: Received, stop: threading.Event) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SinkProtocol(received), "127.0.0.1", port, reuse_address=True
        )
        print("ready", flush=True)
        while not stop.is_set():
            await asyncio.sleep(0.1)
        server.close()
        await server.wait_closed()

    asyncio.run(main())


def _serve_aiosmtpd(port: int, received: Received, stop: threading.Event) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            content = envelope.original_content or envelope.content
            received.add(
                list(envelope.rcpt_tos), content.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
            )
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--kind", choices=["lean", "aiosmtpd"], default="lean")
    args = parser.parse_args()
    holder = [Received()]
    stop = threading.Event()

    def read_commands() -> None:
        for line in sys.stdin:
            if line.strip() == "report":
                # reported between runs, when no client is connected
                done, holder[0] = holder[0], Received()
                report = {
                    "messages": len(done.recipients),
                    "recipients": done.recipients,
                    "message_ids": done.message_ids,
                    "octets": done.octets,
                }
                sys.stdout.write(json.dumps(report) + "\n")
                sys.stdout.flush()
        stop.set()

    class Proxy(Received):
        def add(self, recipients: list[str], content: bytes) -> None:
            holder[0].add(recipients, content)

    threading.Thread(target=read_commands, daemon=True).start()
    serve = _serve_lean if args.kind == "lean" else _serve_aiosmtpd
    serve(args.port, Proxy(), stop)


if __name__ == "__main__":
    main()
