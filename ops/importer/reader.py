"""Reading an import file: CSV (UTF-8, comma or semicolon) or XLSX, with the 23 columns of the format
and, if the file has them, the optional ones (handling_code, grading). Other spreadsheets (the
equipment register's items) pass their own `Columns` and get the same reading and messages.

Files are streamed, never loaded whole: a million rows pass in constant
memory. Anything that is not such a file (empty, UTF-16, Windows-1251, old
.xls, a zip that is no workbook, binary garbage, other columns) raises
FileError with a message an officer can act on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ops.importformat import COLUMNS, OPTIONAL_COLUMNS

HEAD_BYTES = 8192
DELIMITERS = (",", ";", "\t")
csv.field_size_limit(1 << 24)  # long narratives are fine; a 16 MB cell is not a narrative


class FileError(ValueError):
    """The file as a whole cannot be read as the import format."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Columns:
    """The columns of one spreadsheet format: those the first line must name, those it may add."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


SEIZURES = Columns(tuple(COLUMNS), tuple(OPTIONAL_COLUMNS))


@dataclass
class Source:
    path: Path
    kind: str  # "csv" or "xlsx"
    columns: Columns = SEIZURES

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, the values in ALL_COLUMNS order) per non-blank record after the header;
        an optional column the file lacks is given as "".

        A record with another number of values comes through as it is, so that
        the validator can name its line.
        """
        if self.kind == "csv":
            return _csv_records(self.path, self.columns)
        return _xlsx_records(self.path, self.columns)

    def estimate_rows(self) -> int:
        """A quick estimate for progress bars (the real count comes from reading)."""
        if self.kind == "xlsx":
            return 0
        lines = 0
        with open(self.path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                lines += chunk.count(b"\n")
        return max(lines - 1, 0)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_source(path: Path | str, columns: Columns = SEIZURES) -> Source:
    """Recognise the file's format from its first bytes (never from its name alone)."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise FileError(_l("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return Source(path, "xlsx", columns)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_l("This is an old Excel (.xls) file. Save it as Excel workbook (.xlsx) or as CSV UTF-8."))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise FileError(_l('The file is UTF-16 text. Save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)").'))
    if _looks_binary(head):
        raise FileError(_l("This is not a CSV or XLSX file (it contains binary data)."))
    return Source(path, "csv", columns)


def _looks_utf16(head: bytes) -> bool:
    sample = head[:2000]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return b"\x00" in head or controls > len(head) // 100


# --- header ---------------------------------------------------------------------------


def _normal(name) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower()


class WrongWidth(list):
    """A record with another number of values than its header has columns, as it came: the parser names its line."""

    def __init__(self, values, expected: int):
        super().__init__(values)
        self.expected = expected


@dataclass(frozen=True)
class Layout:
    """How the header's columns map onto ALL_COLUMNS."""

    width: int  # columns in the file's header
    order: list[int | None] | None  # per column of the format (all), its place in the file; None: in order already
    columns: Columns = SEIZURES

    def arrange(self, values: list[str]) -> list[str]:
        """A record of the header's width in the format's order; another width comes through as it is."""
        if len(values) != self.width:
            return WrongWidth(values, self.width)
        if self.order is None:
            return values
        required = len(self.columns.required)
        if self.width == required and self.order[: self.width] == list(range(self.width)):
            return values + [""] * len(self.columns.optional)  # the plain format in order: the cheap way
        return [values[index] if index is not None else "" for index in self.order]


def column_order(header: list, columns: Columns = SEIZURES) -> Layout:
    """Where each column of the format is in `header`."""
    names = [_normal(name) for name in header]
    while names and not names[-1]:
        names.pop()
    missing = [column for column in columns.required if column not in names]
    unexpected = [name for name in names if name not in columns.all]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if missing or unexpected or duplicated:
        raise FileError(_header_message(missing, unexpected, duplicated, columns))
    order = [names.index(column) if column in names else None for column in columns.all]
    return Layout(len(names), None if order == list(range(len(columns.all))) else order, columns)


def _header_message(missing, unexpected, duplicated, columns: Columns = SEIZURES):
    parts = []
    if missing:
        parts.append(_l("missing: %(names)s", names=", ".join(missing)))
    if unexpected:
        parts.append(_l("not part of the format: %(names)s", names=", ".join(unexpected[:10])))
    if duplicated:
        parts.append(_l("twice: %(names)s", names=", ".join(duplicated)))
    return _l(
        "The first line must name the %(count)s columns of the import format (%(problems)s). Expected: %(expected)s.",
        count=len(columns.required),
        problems="; ".join(str(p) for p in parts),
        expected=", ".join(columns.required),
    )


# --- CSV --------------------------------------------------------------------------------


def _delimiter(first_line: str, columns: Columns = SEIZURES) -> str:
    return max(DELIMITERS, key=lambda d: sum(_normal(name) in columns.required for name in first_line.split(d)))


def _csv_records(path: Path, columns: Columns = SEIZURES) -> Iterator[tuple[int, list[str]]]:
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        try:
            first = text.readline()
            reader = csv.reader(_chain(first, text), delimiter=_delimiter(first, columns), strict=False)
            yield from _csv_rows(reader, columns)
        except UnicodeDecodeError as error:
            raise FileError(_encoding_message(error)) from None
        except csv.Error as error:
            raise FileError(
                _l("The CSV file is malformed near line %(line)s: %(reason)s", line=reader.line_num, reason=str(error))
            ) from None


def _chain(first: str, rest) -> Iterator[str]:
    yield first
    yield from rest


def _csv_rows(reader, columns: Columns = SEIZURES) -> Iterator[tuple[int, list[str]]]:
    header = next(reader, None)
    if header is None:
        raise FileError(_l("The file is empty."))
    layout = column_order(header, columns)
    width = layout.width
    last_line = reader.line_num
    for values in reader:
        line, last_line = last_line + 1, reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) > width and not any(v.strip() for v in values[width:]):
            values = values[:width]  # trailing empty cells a spreadsheet left behind
        yield line, layout.arrange(values)


def _encoding_message(error: UnicodeDecodeError):
    sample = error.object[max(error.start - 40, 0) : error.end + 40]
    try:
        cyrillic = any("\u0400" <= char <= "\u04ff" for char in sample.decode("cp1251"))
    except UnicodeDecodeError:
        cyrillic = False
    if cyrillic:
        return _l(
            "The file is not UTF-8: it looks like Windows-1251 (Cyrillic). Save it as CSV UTF-8 "
            '(in Excel: "CSV UTF-8 (comma delimited)") and upload it again.'
        )
    return _l('The file is not UTF-8 text. Save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)").')


# --- XLSX -------------------------------------------------------------------------------


class UncomputedFormula(str):
    """A cell holding a formula whose value the workbook never saved (written by a program, not by Excel).

    openpyxl reads no value for it; the row checks make it a bad row instead of an empty cell.
    """


def _open_workbook(path: Path, data_only: bool):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    handle = open(path, "rb")  # a file object: openpyxl would judge a path by its name, we judge the content
    try:
        return load_workbook(handle, read_only=True, data_only=data_only), handle
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        handle.close()
        raise FileError(_l("This is not a readable Excel workbook (.xlsx): %(reason)s", reason=str(error))) from None


def _xlsx_records(path: Path, columns: Columns = SEIZURES) -> Iterator[tuple[int, list[str]]]:
    # Two streams side by side: the saved values, and the formulas, to tell an empty cell from a
    # formula whose value was never computed (both read as None with data_only).
    workbook, handle = _open_workbook(path, data_only=True)
    formulas, formula_handle = _open_workbook(path, data_only=False)
    try:
        if not workbook.worksheets:
            raise FileError(_l("The workbook has no sheet."))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        formula_rows = formulas.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        next(formula_rows, None)
        if header is None:
            raise FileError(_l("The file is empty."))
        layout = column_order(list(header), columns)
        for line, (cells, written) in enumerate(zip(rows, formula_rows, strict=False), 2):
            values = _row_values(cells, written, layout.width)
            if values is not None:
                yield line, layout.arrange(values)
    finally:
        for book, file in ((workbook, handle), (formulas, formula_handle)):
            book.close()
            file.close()


def _row_values(cells, written, width: int) -> list[str] | None:
    """A sheet row as CSV-like texts (None when blank); an uncomputed formula stays recognisable."""
    values = [
        UncomputedFormula(formula)
        if cell is None and isinstance(formula, str) and formula.startswith("=")
        else _cell_text(cell)
        for cell, formula in zip(cells, list(written) + [None] * (len(cells) - len(written)), strict=False)
    ]
    while len(values) > width and not values[-1]:
        values.pop()
    if not any(values):
        return None
    return values + [""] * (width - len(values))  # a workbook leaves trailing empty cells out


def _cell_text(value) -> str:
    """A cell as the text a CSV would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
