"""Every CSV the portal writes: ';' and UTF-8 with a BOM (what French spreadsheets open as is),
and no cell a spreadsheet would run as a formula."""

import csv
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from import_export import resources
from import_export.formats.base_formats import CSV

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-1.6593", a longitude west of Greenwich) is read as a number, never run: it stays as it is.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?(?:[eE]-?[0-9]+)?")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run: formulas start with = + - @ (or a tab or return)."""
    text = "" if value is None else str(value)
    if isinstance(value, bool) or not text.startswith(FORMULA_STARTS):
        return text
    if isinstance(value, int | float | Decimal) or PLAIN_NUMBER.fullmatch(text):
        return text
    return f"'{text}"


def unguarded(text: str) -> str:
    """What safe_cell wrote, read back: an export re-imported unchanged changes nothing."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def write_rows(stream, rows) -> None:
    writer = csv.writer(stream, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def csv_response(filename: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM tells spreadsheets the file is UTF-8
    write_rows(response, rows)
    return response


class SpreadsheetCSV(CSV):
    """django-import-export's CSV, read with ';' or ',' (the header line tells), written the safe way."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode("utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        first_line = text.split("\n", 1)[0]
        kwargs["delimiter"] = ";" if first_line.count(";") > first_line.count(",") else ","
        dataset = super().create_dataset(text, **kwargs)
        rows = [tuple(unguarded(cell) if isinstance(cell, str) else cell for cell in row) for row in dataset]
        return type(dataset)(*rows, headers=dataset.headers)

    def export_data(self, dataset, **kwargs):
        stream = io.StringIO()
        stream.write("\ufeff")
        write_rows(stream, [dataset.headers or [], *dataset])
        return stream.getvalue()

    def get_content_type(self):
        return "text/csv; charset=utf-8"


def import_formats():
    return [SpreadsheetCSV]


class AllOrNothingResource(resources.ModelResource):
    """An import with any bad row, invalid value included, writes nothing."""

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)
