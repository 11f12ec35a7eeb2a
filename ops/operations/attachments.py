"""Photos and documents of an operation: checked by content, stored by SHA-256, thumbnailed.

The type is decided from the bytes (magic numbers, then Pillow must be able
to verify an image), never from the file's name: an .exe renamed .jpg is
refused. Files are stored outside the web root under UPLOAD_DIR, named by
their SHA-256, and leave the server only through a route that asks
ops.policy first.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import select

from ops.db import session
from ops.models import Attachment, Operation, User
from ops.operations import revisions
from ops.operations.services import audit_operation

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 80_000_000  # about 10 000 x 8 000: more is a decompression bomb, not a photo
THUMBNAIL_BOX = (480, 480)


class UploadError(ValueError):
    """A file that is refused; the message says why, for the person who sent it."""


@dataclass
class CheckedFile:
    filename: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff(data: bytes) -> str | None:
    """The content type that the first bytes prove, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "application/pdf"
    return None


def _verify_image(data: bytes, content_type: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if IMAGE_TYPES.get(image.format) != content_type:
                    raise UploadError(_("The picture's content does not match its type."))
                if image.width * image.height > MAX_PIXELS:
                    raise UploadError(_("The picture has too many pixels to be a photo."))
                image.verify()
    except UploadError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        raise UploadError(_("The picture is damaged or not really a picture.")) from None


def clean_filename(name: str | None) -> str:
    """The name as the user knows it, without folders or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or "file")[-200:]


def check_upload(storage, max_mb: int) -> CheckedFile:
    if storage is None or not storage.filename:
        raise UploadError(_("Choose a file to add."))
    limit = max_mb * 1024 * 1024
    data = storage.stream.read(limit + 1)
    if not data:
        raise UploadError(_("The file is empty."))
    if len(data) > limit:
        raise UploadError(_("The file is larger than %(mb)s MB.", mb=max_mb))
    content_type = sniff(data)
    if content_type is None:
        raise UploadError(
            _(
                "Only JPEG, PNG and WebP photos and PDF documents are accepted, and this file is none "
                "of them (its content was checked, not its name)."
            )
        )
    if content_type in IMAGE_TYPES.values():
        _verify_image(data, content_type)
    return CheckedFile(clean_filename(storage.filename), content_type, data, hashlib.sha256(data).hexdigest())


# --- storage ------------------------------------------------------------------------------


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def stored_path(key: str) -> Path:
    root = upload_root().resolve()
    path = (root / key).resolve()
    if root not in path.parents:  # keys are ours (hex digests); refuse anything else outright
        raise ValueError("storage key outside the upload folder")
    return path


def _write_once(key: str, data: bytes) -> None:
    path = stored_path(key)
    if path.exists():  # same bytes, same name: stored already
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)  # atomic: a reader never sees half a file


def thumbnail(data: bytes) -> bytes:
    """A small JPEG, upright, without the original's metadata (GPS and the like)."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_BOX)
        if image.mode != "RGB":
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return out.getvalue()


def store(checked: CheckedFile) -> tuple[str, str | None]:
    key = f"{checked.sha256[:2]}/{checked.sha256}"
    _write_once(key, checked.data)
    if not checked.is_image:
        return key, None
    thumb_key = f"{key}.thumb.jpg"
    if not stored_path(thumb_key).exists():
        _write_once(thumb_key, thumbnail(checked.data))
    return key, thumb_key


# --- services -----------------------------------------------------------------------------


def describe(attachment: Attachment) -> str:
    return f"{attachment.filename} (SHA-256 {attachment.sha256[:12]}…)"


def add(
    actor: User,
    operation: Operation,
    checked: CheckedFile,
    handling_code: str | None = None,
    grading: str | None = None,
) -> Attachment:
    """Store one checked file; its handling code and grading are the record's unless given (None)."""
    key, thumb_key = store(checked)  # before the commit: a row never points at a missing file
    db = session()
    attachment = Attachment(
        operation_id=operation.id,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        storage_key=key,
        thumbnail_key=thumb_key,
        uploaded_by_id=actor.id,
        handling_code=handling_code,
        grading=grading,
    )
    db.add(attachment)
    db.flush()
    revisions.add(db, operation, actor, "attach", [{"field": "attachment", "old": None, "new": describe(attachment)}])
    audit_operation(
        db,
        actor,
        "attachment_add",
        operation,
        attachment=attachment.id,
        sha256=checked.sha256,
        filename=checked.filename,
        size=len(checked.data),
        handling_code=handling_code,
        grading=grading,
    )
    db.commit()
    return attachment


def remove(actor: User, operation: Operation, attachment: Attachment) -> None:
    db = session()
    keys = [k for k in (attachment.storage_key, attachment.thumbnail_key) if k]
    revisions.add(db, operation, actor, "detach", [{"field": "attachment", "old": describe(attachment), "new": None}])
    audit_operation(db, actor, "attachment_remove", operation, attachment=attachment.id, sha256=attachment.sha256)
    db.delete(attachment)
    db.commit()
    still_used = set(db.exec(select(Attachment.storage_key).where(Attachment.storage_key == keys[0])).all())
    if not still_used:  # the same photo may belong to another record; keep it for that one
        for key in keys:
            stored_path(key).unlink(missing_ok=True)


def of_operation(operation_id: int) -> list[Attachment]:
    return list(
        session().exec(select(Attachment).where(Attachment.operation_id == operation_id).order_by(Attachment.id)).all()
    )


def find(operation: Operation, attachment_id: int) -> Attachment | None:
    """An attachment of *this* operation only: the operation's access check covers it."""
    attachment = session().get(Attachment, attachment_id)
    return attachment if attachment is not None and attachment.operation_id == operation.id else None


def record_download(actor: User, operation: Operation, attachment: Attachment, what: str) -> None:
    db = session()
    audit_operation(db, actor, f"attachment_{what}", operation, attachment=attachment.id, sha256=attachment.sha256)
    db.commit()
