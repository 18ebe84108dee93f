"""Evidence attached to a dispute: a few small files of types that carry no macros or scripts.

The type is decided by the content, not by the name or the browser's claim, and the
name's extension must agree with it (a PNG called ``.pdf`` is refused). Accepted:

- PDF (``%PDF-``) without JavaScript, launch actions or embedded files
- PNG (its 8-byte signature), JPEG (``FF D8 FF``)
- XLSX: a ZIP holding ``[Content_Types].xml`` and ``xl/workbook.xml`` and no VBA project
- CSV: UTF-8 text without NUL bytes

The bytes are stored in the database (``DisputeAttachment.data``), so whichever web or
worker host serves the statement serves its evidence too.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

#: most files on one dispute, and most bytes in one file
MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024

#: content type -> the extensions a file of that type may carry
TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "text/csv": (".csv",),
}
ALLOWED_TEXT = "PDF, PNG, JPEG, Excel (.xlsx) or CSV"

#: PDF names that run code or carry files (ISO 32000-1, 12.6 actions and 7.11.4 embedded files)
_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".") or "attachment"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base


def _xlsx(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError):
        return "it is not a readable Excel workbook"
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        return "it is a ZIP file but not an Excel (.xlsx) workbook"
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "it holds macros (a VBA project); save it as a plain .xlsx"
    return None


def sniff(data: bytes) -> tuple[str | None, str | None]:
    """(content type, why refused) from the bytes alone."""
    if data.startswith(b"%PDF-"):
        active = [m.decode() for m in _PDF_ACTIVE if re.search(re.escape(m) + rb"[\s/<\[(]", data)]
        return "application/pdf", (f"the PDF holds active content ({', '.join(active)})" if active else None)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", None
    if data.startswith(b"PK\x03\x04"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx(data)
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, None
        return "text/csv", None
    return None, None


def check_files(files) -> list[Checked]:
    """Each uploaded file checked, or one ValidationError naming the file and the reason."""
    files = [f for f in files or [] if f is not None]
    if len(files) > MAX_FILES:
        raise ValidationError({"attachments": f"Attach at most {MAX_FILES} files ({len(files)} given)."})
    out = []
    for f in files:
        name = clean_name(getattr(f, "name", ""))
        size = getattr(f, "size", None)
        if size is not None and size > MAX_BYTES:
            raise ValidationError({"attachments": f"{name}: {size:,} bytes; a file may have at most {MAX_BYTES:,}."})
        data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError({"attachments": f"{name}: larger than {MAX_BYTES:,} bytes."})
        if not data:
            raise ValidationError({"attachments": f"{name}: the file is empty."})
        content_type, problem = sniff(data)
        if content_type is None:
            raise ValidationError({"attachments": f"{name}: not a {ALLOWED_TEXT} file."})
        if problem:
            raise ValidationError({"attachments": f"{name}: refused because {problem}."})
        extensions = TYPES[content_type]
        if not name.lower().endswith(extensions):
            raise ValidationError(
                {"attachments": f"{name}: the content is {extensions[0][1:].upper()} but the name says otherwise; "
                 f"name it {extensions[0]}."}
            )  # fmt: skip
        out.append(Checked(name, content_type, data))
    return out
