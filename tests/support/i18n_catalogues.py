"""Helpers for the translation tests: extract the project's strings and read the catalogues.

English is the source language: msgids are English, the `en` catalogue may leave msgstr empty
(gettext then shows the msgid). Uzbek (Latin) and Russian must translate every string.
"""

from __future__ import annotations

import os
import re
import subprocess  # nosec B404 - runs the project's own pybabel, no shell
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]  # the project root
TRANSLATIONS = ROOT / "ops" / "translations"
TRANSLATED = ("ru", "uz")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def extract(pot_path: Path):
    """The strings meant for users, as `make i18n` extracts them, into a temporary POT."""
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(  # nosec B603 - fixed arguments
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "_lp:1c,2",
            "--no-location",
            "-o",
            str(pot_path),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot_path.open("rb") as handle:
        return read_po(handle)


def catalogue(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def problems(template, translated) -> list[str]:
    """Every msgid of `template` that `translated` lacks, leaves empty, marks fuzzy or mangles."""
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        entry = translated.get(message.id, context=message.context)
        if entry is None or entry.fuzzy:
            found.append(f"missing or fuzzy: {key!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s and s.strip() for s in strings):
            found.append(f"untranslated: {key!r}")
            continue
        expected = placeholders(key)
        if isinstance(message.id, tuple):
            expected |= placeholders(message.id[1])
        for text in strings:
            if placeholders(text) != expected:
                found.append(f"placeholders differ: {key!r} -> {text!r}")
    return found


def compile_catalogues() -> None:
    """Build the .mo files from the .po files (what `make translations` does)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            cat = read_po(handle, locale=po.parent.parent.name)
        partial = po.with_suffix(f".mo.{os.getpid()}.partial")  # one per worker: two may compile at once
        with partial.open("wb") as handle:
            write_mo(handle, cat)
        partial.replace(po.with_suffix(".mo"))  # atomic: another test worker may be reading it
