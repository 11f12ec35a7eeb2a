"""Uzbek and Russian interface: the catalogues cover every string, and the pages speak the language.

The guard (`test_every_user_string_is_translated`) extracts the strings exactly as `make i18n`
does and fails on any msgid that Russian or Uzbek lacks, leaves empty, marks fuzzy, or whose
%(placeholders)s differ. English is the source language: its catalogue may stay empty.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from babel.messages.catalog import Catalog

from tests.support import i18n_catalogues as cats
from tests.support.op_forms import errors, operation_form

LANGS = ("ru", "uz")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    cats.compile_catalogues()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return cats.extract(tmp_path_factory.mktemp("pot") / "messages.pot")


@pytest.mark.parametrize("lang", LANGS)
def test_every_user_string_is_translated(extracted, lang):
    assert len(extracted) > 600  # the extraction really read the project
    assert cats.problems(extracted, cats.catalogue(lang)) == []


def _one(msgid, string=None, fuzzy=False):
    catalog = Catalog(locale="ru")
    catalog.add(msgid, string, flags=("fuzzy",) if fuzzy else ())
    return catalog


def test_the_guard_fails_on_missing_empty_fuzzy_and_mangled_strings():
    template = _one("Save %(ref)s")
    assert cats.problems(template, _one("Something else", "x")) == ["missing or fuzzy: 'Save %(ref)s'"]
    assert cats.problems(template, _one("Save %(ref)s", "")) == ["untranslated: 'Save %(ref)s'"]
    assert cats.problems(template, _one("Save %(ref)s", "Сохранить %(ref)s", fuzzy=True))
    assert cats.problems(template, _one("Save %(ref)s", "Сохранить %(реф)s"))
    assert cats.problems(template, _one("Save %(ref)s", "Сохранить")) != []
    assert cats.problems(template, _one("Save %(ref)s", "Сохранить %(ref)s")) == []
    plural = Catalog(locale="ru")
    plural.add(("%(num)d code", "%(num)d codes"), ("%(num)d код", "", "%(num)d кодов"))
    template = Catalog(locale="ru")
    template.add(("%(num)d code", "%(num)d codes"))
    assert cats.problems(template, plural) == ["untranslated: '%(num)d code'"]


def test_the_guard_sees_a_new_template_string(tmp_path):
    """A bare msgid added to a template is extracted and reported as missing."""
    probe = cats.ROOT / "templates" / "_i18n_probe_test.html"
    probe.write_text('{{ _("A string nobody has translated yet") }}', encoding="utf-8")
    try:
        extracted = cats.extract(tmp_path / "probe.pot")
    finally:
        probe.unlink()
    assert "missing or fuzzy: 'A string nobody has translated yet'" in cats.problems(extracted, cats.catalogue("ru"))


# --- the pages, in each language ------------------------------------------------------------


def _english_ui_strings(extracted, lang) -> set[str]:
    """English msgids whose translation differs: if one shows up whole on a page, it leaked."""
    translated = cats.catalogue(lang)
    found = set()
    for message in extracted:
        if not message.id or isinstance(message.id, tuple):
            continue
        entry = translated.get(message.id, context=message.context)
        if entry and entry.string and entry.string != message.id and "%(" not in message.id:
            found.add(message.id)
    return found


def _visible_texts(page: str) -> set[str]:
    # <code> holds identifiers (references, the import format's column names), not language
    page = re.sub(r"<(script|style|template|code)\b.*?</\1>", "", page, flags=re.S)
    texts = {html.unescape(t).strip() for t in re.findall(r">([^<]+)<", page)}
    for attr in (
        "placeholder",
        "title",
        "aria-label",
        "data-confirm",
        "data-label",
        "alt",
        "data-seizure-label",
        "data-kg-label",
    ):
        texts |= {html.unescape(v).strip() for v in re.findall(rf'{attr}="([^"]*)"', page)}
    texts |= {html.unescape(v).strip() for v in re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', page)}
    return {t for t in texts if t}


NAV = {"ru": (">Главная<", ">Операции<", "Выйти"), "uz": (">Bosh sahifa<", ">Operatsiyalar<", "Chiqish")}


@pytest.fixture
def lead_in(db, make_agency, make_user, make_team, make_operation, login_as):
    """A team lead who works in `lang`, with one record of the team; returns the record's id."""

    def sign_in(lang: str) -> int:
        agency, team = make_agency("SCC"), make_team("IMT-TER")
        user = make_user(agency=agency, role="lead", teams=[team])
        user.locale = lang
        db.commit()
        operation = make_operation(agency, team, status="returned")
        login_as(user)
        return operation.id

    return sign_in


PAGES = (
    "/",
    "/operations/",
    "/operations/new",
    "/operations/{id}",
    "/operations/{id}/edit",
    "/account",
    "/account/sessions",
    "/account/tokens/",
    "/account/two-factor",
)


@pytest.mark.parametrize("lang", LANGS)
def test_every_main_page_speaks_the_chosen_language(client, lead_in, extracted, lang):
    record = lead_in(lang)
    english = _english_ui_strings(extracted, lang)
    for path in PAGES:
        response = client.get(path.format(id=record))
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        for word in NAV[lang]:
            assert word in page, (path, word)
        leaked = sorted(_visible_texts(page) & english)
        assert leaked == [], (path, leaked)


def test_the_operation_form_is_labelled_in_uzbek_and_russian(client, lead_in):
    lead_in("ru")
    page = client.get("/operations/new").get_data(as_text=True)
    for text in (
        "Тип операции",
        "Пункт пропуска или место",
        "Способ сокрытия",
        "Способ обнаружения",
        "Предмет изъятия",
        "Героин",
        "Топливный бак",
        "Айритом (Термезский мост)",
        "Сурхандарьинская область",
        "Сохранить черновик",
    ):
        assert text in page, text
    client.post("/language", data={"lang": "uz", "next": "/"})
    page = html.unescape(client.get("/operations/new").get_data(as_text=True))
    for text in (
        "Operatsiya turi",
        "Chegara o'tish punkti yoki joy",
        "Yashirish usuli",
        "Aniqlash usuli",
        "Geroin",
        "Yoqilg'i baki",
        "Qoralamani saqlash",
    ):
        assert text in page, text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            ["Дайте операции краткое название.", "Выберите тип операции.", "Поле не может быть длиннее 200 символов."],
        ),
        (
            "uz",
            [
                "Operatsiyaga qisqa nom bering.",
                "Operatsiya turini tanlang.",
                "Maydon 200 ta belgidan uzun bo'lishi mumkin emas.",
            ],
        ),
    ],
)
def test_validation_errors_come_in_the_chosen_language(client, lead_in, db, lang, expected):
    lead_in(lang)
    seizure = {
        "category": "drugs",
        "commodity": "heroin",
        "quantity": "1",
        "unit": "kg",
        "concealment": "fuel_tank",
        "concealment_detail": "x" * 201,
        "conveyance": "truck",
        "detection": "x_ray",
    }
    response = client.post("/operations/new", data=operation_form(title="", op_type="", seizures=[seizure]))
    assert response.status_code == 400
    shown = errors(response)
    for message in expected:
        assert message in shown, shown


def test_wtforms_own_messages_are_translated_too(client, lead_in):
    lead_in("uz")
    response = client.post("/account/tokens/", data={"name": "", "days": "many", "access": "read"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "This field is required." not in page and "Not a valid integer value." not in page
    assert "Bu maydon to'ldirilishi shart." in page


def test_dates_and_numbers_follow_the_locale(client, lead_in):
    record = lead_in("ru")
    page = client.get(f"/operations/{record}").get_data(as_text=True)
    assert "1,5" in page  # the seizure's 1.5 kg, with a Russian decimal comma


def test_the_account_page_offers_the_language_in_use_before_one_is_saved(client, make_user, login_as):
    login_as(make_user())
    page = client.get("/account", headers={"Accept-Language": "uz"}).get_data(as_text=True)
    assert re.search(r'<option selected value="uz">|<option value="uz" selected>', page), page[:200]


def test_an_error_page_speaks_the_chosen_language(client, make_user, login_as):
    login_as(make_user())
    client.post("/language", data={"lang": "ru", "next": "/"})
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "Здесь ничего нет." in page and "Ошибка 404." in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ru", "Это не файл CSV или XLSX (он содержит двоичные данные)."),
        ("uz", "Bu CSV yoki XLSX fayl emas (unda ikkilik ma'lumotlar bor)."),
    ],
)
def test_the_import_page_and_its_refusals_speak_the_chosen_language(
    client, db, make_user, login_as, extracted, lang, message
):
    user = make_user(agency="SCC", role="supervisor")
    user.locale = lang
    db.commit()
    login_as(user)
    page = client.get("/import/").get_data(as_text=True)
    assert sorted(_visible_texts(page) & _english_ui_strings(extracted, lang)) == []
    response = client.post(
        "/import/",
        data={"file": (io.BytesIO(b"\x00\x01\x02binary" * 50), "seizures.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in html.unescape(response.get_data(as_text=True))


ROLE_PAGES = {
    "analyst": ("/search", "/search?q=heroin", "/search/dashboard", "/search/lookup?value=01A123BC"),
    "auditor": ("/audit/", "/audit/readers"),
    "admin": ("/admin/users", "/admin/users/new"),
    "supervisor": ("/", "/operations/", "/import/"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_the_pages_of_each_role_speak_the_chosen_language(
    client, db, make_user, make_team, login_as, extracted, role, lang
):
    user = make_user(agency="SCC", role=role, teams=[make_team("IMT-TER")])
    user.locale = lang
    db.commit()
    login_as(user)
    client.get("/")  # leaves an audit event or two for the auditor's page
    english = _english_ui_strings(extracted, lang)
    for path in ROLE_PAGES[role]:
        response = client.get(path)
        assert response.status_code == 200, path
        leaked = sorted(_visible_texts(response.get_data(as_text=True)) & english)
        assert leaked == [], (path, leaked)
