"""In Chromium: a document type is marked required as its number is typed; a refused upload shows where the user is.

Screenshots: test-artifacts/screenshots/first-use/.
"""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in, submit

pytestmark = pytest.mark.browser
SHOTS = "first-use"


@pytest.fixture
def lead(make_user, make_team, make_agency):
    team, agency = make_team("IMT-TER", "IMT Termez"), make_agency("SCC", "State Customs Committee")
    return make_user(agency, role="lead", teams=[team], username="scc.lead"), team, agency


def test_the_document_type_mark_follows_the_number(page, live_server, live_app, lead, screenshot):
    user, _team, _agency = lead
    sign_in(page, live_server, user, app=live_app)
    page.goto(f"{live_server}/operations/new")
    page.click("[data-add-row=person]")
    mark = page.locator("label[for='persons-0-document_type'] .req")
    assert mark.is_hidden()
    page.fill("[name='persons-0-document_number']", "FA 3838205")
    assert mark.is_visible()
    screenshot(page, SHOTS, "document-type-marked", full_page=False)
    page.fill("[name='persons-0-document_number']", "")
    assert mark.is_hidden()
    for name in ("seizures-0-concealment", "seizures-0-conveyance", "seizures-0-detection", "persons-0-role"):
        assert page.locator(f"label[for='{name}'] .req").is_visible(), name


def test_a_refused_upload_lands_at_the_files_with_its_message(
    phone, live_server, live_app, lead, make_operation, screenshot, tmp_path
):
    user, team, agency = lead
    record = make_operation(agency, team, status="draft")
    sign_in(phone, live_server, user, app=live_app)
    phone.goto(f"{live_server}/operations/{record.id}")
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # a program dressed as a photo
    phone.set_input_files("#files", str(fake))
    submit(phone, "form.upload button[type=submit]")
    assert phone.url.endswith(f"/operations/{record.id}#attachments")
    error = phone.locator("#attachments .error")
    assert error.is_visible() and "Only JPEG, PNG and WebP" in error.inner_text()
    top = phone.evaluate("document.getElementById('attachments').getBoundingClientRect().top")
    assert -1 < top < 844, "the files, and the message, are in view (within a pixel: anchors land on sub-pixels)"
    screenshot(phone, SHOTS, "upload-refused-phone", full_page=False)
    answer = phone.reload()
    assert answer.status == 200  # a reload is a GET of the record, never a 405
    assert phone.locator("#attachments .error").count() == 0
