"""Attachment checks: size, count and type by content (magic bytes), and image metadata removed.

Images are decoded and written again without EXIF/GPS/XMP/text chunks (after applying the EXIF
orientation so the picture still looks right). PDFs are checked by signature and stored as sent;
the form tells reporters that a PDF keeps its own document properties.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_PIXELS = 40_000_000

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


def _strip_image(data: bytes, fmt: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
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
