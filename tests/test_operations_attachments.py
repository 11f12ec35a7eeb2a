"""Photos and documents: type from the content, SHA-256, thumbnails, access-checked and audited downloads."""

from __future__ import annotations

import hashlib
import html
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from ops.models import Attachment, AuditEvent, Operation, Revision
from tests.support.accounts import login
from tests.support.op_forms import create


def jpeg(size=(1200, 900), color=(180, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85)
    return out.getvalue()


def png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 90, 200, 120)).save(out, "PNG")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 10)).save(out, "WEBP")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bomb() -> bytes:
    """A tiny file that claims 100 000 x 100 000 pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.fixture
def draft(app, make_user, make_team):
    team = make_team("IMT-TER")
    lead = make_user("SCC", role="lead", teams=[team])
    client = app.test_client()
    login(client, lead)
    return client, create(client, team), lead


def upload(client, op_id, *files):
    # the body is built in memory: the test client would spool a large one to an unclosed temporary file
    values = MultiDict([("files", FileStorage(io.BytesIO(data), filename=name)) for name, data in files])
    boundary, body = encode_multipart(values)
    return client.post(
        f"/operations/{op_id}/attachments", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def refused_page(client, op_id, response):
    """A refused upload redirects (303) to the record's files and shows the message there, once."""
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"].endswith(f"/operations/{op_id}#attachments")
    page = client.get(f"/operations/{op_id}")
    assert page.status_code == 200
    section = page.get_data(as_text=True).split('id="attachments"')[1].split("</section>")[0]
    again = client.get(f"/operations/{op_id}").get_data(as_text=True)  # a reload: the message was shown once
    assert 'role="alert"' not in again.split('id="attachments"')[1].split("</section>")[0]
    return section


def fetch(client, url):
    with client.get(url) as response:  # a file response must be closed
        response.body = response.get_data()
        return response


def test_a_photo_is_stored_by_its_sha256_with_a_thumbnail_and_served_inline(app, db, draft):
    client, op_id, lead = draft
    photo = jpeg()
    assert upload(client, op_id, ("IMG_0042.jpg", photo)).status_code == 302
    attachment = db.exec(select(Attachment)).one()
    digest = hashlib.sha256(photo).hexdigest()
    assert (attachment.sha256, attachment.content_type, attachment.size) == (digest, "image/jpeg", len(photo))
    root = Path(app.config["UPLOAD_DIR"])
    assert (root / digest[:2] / digest).read_bytes() == photo
    with Image.open(root / attachment.thumbnail_key) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 480
    page = client.get(f"/operations/{op_id}").get_data(as_text=True)
    assert digest in page and "IMG_0042.jpg" in page
    response = fetch(client, f"/operations/{op_id}/attachments/{attachment.id}")
    assert response.body == photo and response.mimetype == "image/jpeg"
    assert (
        response.headers["Content-Disposition"].startswith("inline")
        and "IMG_0042.jpg" in response.headers["Content-Disposition"]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert fetch(client, f"/operations/{op_id}/attachments/{attachment.id}/thumbnail").mimetype == "image/jpeg"
    events = db.exec(select(AuditEvent).where(AuditEvent.action.like("attachment_%"))).all()
    assert [e.action for e in events] == ["attachment_add", "attachment_download"]
    assert all(e.object_agency_id == lead.agency_id and e.object_id == str(op_id) for e in events)
    # the thumbnail read is folded into the record page's view event, which names it
    views = db.exec(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert json.loads(views[-1].detail)["thumbnails"] == [attachment.id]
    assert db.exec(select(Revision.action).where(Revision.action == "attach")).one() == "attach"


def test_png_webp_and_pdf_are_accepted_by_content_whatever_their_names(db, draft):
    client, op_id, _lead = draft
    response = upload(client, op_id, ("seal.jpg", png_with_alpha()), ("x.webp", webp()), ("protocol.PDF", PDF))
    assert response.status_code == 302
    stored = db.exec(
        select(Attachment.filename, Attachment.content_type, Attachment.thumbnail_key).order_by(Attachment.id)
    ).all()
    assert [(name, kind) for name, kind, _thumb in stored] == [
        ("seal.jpg", "image/png"),
        ("x.webp", "image/webp"),
        ("protocol.PDF", "application/pdf"),
    ]
    assert stored[2][2] is None, "no thumbnail for a document"
    pdf_id = db.exec(select(Attachment.id).where(Attachment.content_type == "application/pdf")).one()
    download = fetch(client, f"/operations/{op_id}/attachments/{pdf_id}")
    assert download.headers["Content-Disposition"].startswith("attachment") and download.body == PDF


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 500, "Only JPEG, PNG and WebP photos and PDF documents are accepted"),
        ("scan.png", b"<html><script>alert(1)</script></html>", "Only JPEG, PNG and WebP photos"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50, "The picture is damaged or not really a picture."),
        ("bomb.png", png_bomb(), "The picture is damaged or not really a picture."),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj", "Only JPEG, PNG and WebP photos"),
        ("empty.jpg", b"", "The file is empty."),
    ],
)
def test_disguised_damaged_and_empty_files_are_refused_and_nothing_is_stored(app, db, draft, name, data, message):
    client, op_id, _lead = draft
    section = refused_page(client, op_id, upload(client, op_id, ("good.jpg", jpeg()), (name, data)))
    assert message in html.unescape(section), section
    assert db.exec(select(Attachment)).all() == []
    assert not any(Path(app.config["UPLOAD_DIR"]).rglob("*")), "one bad file stores nothing, not even the good one"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(app, db, draft):
    client, op_id, _lead = draft
    app.config["MAX_UPLOAD_MB"] = 1
    big = jpeg(size=(2600, 2600), color=(1, 2, 3)) + b"\0" * (1024 * 1024)
    assert "The file is larger than 1 MB." in refused_page(client, op_id, upload(client, op_id, ("huge.jpg", big)))
    assert db.exec(select(Attachment)).all() == []
    assert 'role="alert"' in refused_page(client, op_id, upload(client, op_id))  # no file chosen
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # far too big for the server to read at all
    assert "up to 1 MB each" in refused_page(client, op_id, upload(client, op_id, ("huge.jpg", big)))
    assert db.exec(select(Attachment)).all() == []


def test_downloads_are_checked_against_the_record(app, db, draft, make_user, make_agency, make_team, make_operation):
    client, op_id, _lead = draft
    upload(client, op_id, ("a.jpg", jpeg()))
    attachment = db.exec(select(Attachment)).one()
    outsider = app.test_client()
    login(outsider, make_user(make_agency("MIA"), role="analyst"))
    assert outsider.get(f"/operations/{op_id}/attachments/{attachment.id}").status_code == 404
    assert outsider.get(f"/operations/{op_id}/attachments/{attachment.id}/thumbnail").status_code == 404
    visible = make_operation(make_agency("MIA"), make_team("IMT-AND"), visibility="all")
    # an attachment is reached only through its own record, never through another visible one
    assert outsider.get(f"/operations/{visible.id}/attachments/{attachment.id}").status_code == 404
    assert app.test_client().get(f"/operations/{op_id}/attachments/{attachment.id}").status_code == 302


def test_files_can_be_added_and_removed_only_while_the_record_is_editable(app, db, draft):
    client, op_id, _lead = draft
    upload(client, op_id, ("a.jpg", jpeg()))
    attachment = db.exec(select(Attachment)).one()
    path = Path(app.config["UPLOAD_DIR"]) / attachment.storage_key
    client.post(f"/operations/{op_id}/submit", data={"version": str(db.get(Operation, op_id).version)})
    assert upload(client, op_id, ("b.jpg", jpeg(color=(0, 0, 0)))).status_code == 403
    assert client.post(f"/operations/{op_id}/attachments/{attachment.id}/delete").status_code == 403
    assert path.exists()


def test_removing_a_file_deletes_it_and_records_it(app, db, draft):
    client, op_id, _lead = draft
    upload(client, op_id, ("a.jpg", jpeg()))
    attachment = db.exec(select(Attachment)).one()
    path = Path(app.config["UPLOAD_DIR"]) / attachment.storage_key
    assert client.post(f"/operations/{op_id}/attachments/{attachment.id}/delete").status_code == 302
    assert db.exec(select(Attachment)).all() == [] and not path.exists()
    assert db.exec(select(AuditEvent.action).where(AuditEvent.action == "attachment_remove")).one()
    page = client.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Photo or document removed" in page and "a.jpg" in page
