"""Finding 5 (issue 10): image bombs. A small file that declares a huge canvas is refused from
its header, before Pillow decodes a single pixel; Pillow's own guard is a real bound."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile

from stagekans.meldpunt import attachments
from stagekans.meldpunt.models import Report, ReportAttachment

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 8900, height: int = 8900) -> bytes:
    """A valid 1-bit PNG of width × height black pixels: a few KB on disk, ~79 M pixels."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def bomb_jpeg(width: int = 8900, height: int = 8900) -> bytes:
    """A small real JPEG whose start-of-frame is patched to declare width × height."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_the_bomb_is_small_and_declares_79_megapixels():
    data = bomb_png()
    assert len(data) < 400_000
    assert attachments.header_dimensions(data, "png") == (8900, 8900)


@pytest.fixture
def decodes(monkeypatch):
    """Records every pixel decode Pillow starts (ImageFile.load), to prove none happened."""
    calls: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def spying_load(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spying_load)
    return calls


@pytest.mark.parametrize(
    ("name", "make"), [("bom.png", bomb_png), ("bom.jpg", bomb_jpeg)], ids=["png", "jpeg"]
)
def test_bomb_is_refused_from_its_header_before_decoding(decodes, name, make):
    with pytest.raises(ValidationError) as error:
        attachments.clean_attachment(SimpleUploadedFile(name, make()))
    assert "8900 × 8900" in error.value.messages[0]
    assert "te groot" in error.value.messages[0]
    assert decodes == []


def test_pillow_guard_is_a_real_bound():
    assert Image.MAX_IMAGE_PIXELS == attachments.MAX_PIXELS <= 25_000_000


def test_one_side_too_long_is_refused():
    with pytest.raises(ValidationError, match="te groot"):
        attachments.clean_attachment(SimpleUploadedFile("streep.png", bomb_png(20_000, 8)))


def test_an_ordinary_photo_still_passes():
    out = io.BytesIO()
    Image.new("RGB", (4032, 3024), "green").save(out, format="JPEG", quality=60)
    cleaned = attachments.clean_attachment(SimpleUploadedFile("foto.jpg", out.getvalue()))
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.size == (4032, 3024)


def test_intake_refuses_the_bomb_with_a_dutch_message_and_stores_nothing():
    data = {
        "reporter_role": "student",
        "what_happened": "De manager zei dat ze liever geen stagiair met een hoofddoek wilden.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "phase": "recruitment",
        "grounds": ["religion"],
        "company_name": "Kapsalon Knip & Go",
        "follow_up": "investigation",
        "verstuur": "1",
        "attachments": SimpleUploadedFile("bom.png", bomb_png(), content_type="image/png"),
    }
    response = Client(REMOTE_ADDR="203.0.113.5").post("/meldpunt/", data)
    assert response.status_code == 400
    assert "te groot (8900 × 8900 beeldpunten)" in response.content.decode()
    assert Report.objects.count() == 0 and ReportAttachment.objects.count() == 0
