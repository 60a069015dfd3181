"""Attachment checks: size, count and type by content (magic bytes), and image metadata removed.

Images are decoded and written again without EXIF/GPS/XMP/text chunks (after applying the EXIF
orientation so the picture still looks right). PDFs are checked by signature and stored as sent;
the form tells reporters that a PDF keeps its own document properties.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
# A decoded image costs up to 4 bytes per pixel, several times over while it is turned upright
# and re-encoded: 24 megapixels (6000 × 4000, more than a phone photo) stays under ~400 MB.
# A small file can declare a huge canvas (a 300 KB PNG of 8900 × 8900), so the size in the
# header is checked before any pixel is decoded (issue 10, finding 5).
MAX_PIXELS = 24_000_000
MAX_SIDE = 10_000
# Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; we check the header ourselves and
# also make Pillow's own guard a real bound everywhere in the process.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class CleanAttachment:
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _check_dimensions(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _(
                "Bijlagen: de afbeelding is te groot (%(width)d × %(height)d beeldpunten). "
                "Stuur een afbeelding van hoogstens 24 megapixel, bijvoorbeeld een schermafdruk "
                "of een verkleinde foto."
            )
            % {"width": width, "height": height}
        )


_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def header_dimensions(data: bytes, fmt: str) -> tuple[int, int] | None:
    """Width and height as the file declares them, read from the header bytes alone (PNG IHDR,
    JPEG start-of-frame), before Pillow is given the file. None if the header is unreadable."""
    if fmt == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _JPEG_SOF:
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            return width, height
        position += 2 + length
    return None


def _strip_image(data: bytes, fmt: str) -> bytes:
    declared = header_dimensions(data, fmt)
    if declared is not None:
        _check_dimensions(*declared)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads the header only; nothing is decoded before the size check.
            with Image.open(io.BytesIO(data)) as probe:
                _check_dimensions(*probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                _check_dimensions(*image.size)
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ValidationError(
            _("Bijlagen: de afbeelding is beschadigd of te groot en kan niet worden gelezen.")
        ) from error
    # A new image from the pixels only: no info dict, no EXIF, no ICC/XMP/text chunks.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    if fmt == "jpg" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    if fmt == "jpg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def clean_attachment(upload: UploadedFile) -> CleanAttachment:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("Bijlagen: '%(name)s' is groter dan 5 MB. Maak het bestand kleiner.")
            % {"name": upload.name}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("Bijlagen: '%(name)s' is groter dan 5 MB. Maak het bestand kleiner.")
            % {"name": upload.name}
        )
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            _(
                "Bijlagen: '%(name)s' is geen PDF, PNG of JPEG. Alleen die bestandstypen zijn "
                "toegestaan (het bestand zelf is gecontroleerd, niet alleen de naam)."
            )
            % {"name": upload.name}
        )
    content_type, extension = kind
    if extension in ("png", "jpg"):
        data = _strip_image(data, extension)
    return CleanAttachment(content=data, content_type=content_type, extension=extension)


def clean_attachments(uploads: list[UploadedFile]) -> list[CleanAttachment]:
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("Bijlagen: je kunt hoogstens 3 bestanden meesturen."))
    return [clean_attachment(upload) for upload in uploads]
