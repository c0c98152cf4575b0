"""Excel lists of people: read what offices upload, write the template they fill. No ORM.

``read_people`` reads the first worksheet of an .xlsx file as offices really make it: the
header row somewhere in the first rows under title lines ("Đơn vị: …"), headers with or
without diacritics and with notes in parentheses, the name in one column or two, the sex as
"Giới tính" or as two columns "Nam" / "Nữ" holding an x (or the birth date), dates as real
date cells or as text typed day first, citizen IDs that Excel turned into numbers. Nothing is
evaluated: a formula is reported, never computed. Every problem comes back as a ``CellError``
with the Excel row and the header as written, all of them at once.

``people_template_xlsx`` writes the workbook offices download and fill; it reads back with
no errors.

Modules: ``headers`` (the template's columns, header variants, finding the header row),
``values`` (one cell: cleaning and the parsers of dates, sex, marks, category, year),
``fields`` (one row, field by field), ``reader`` (the file), ``template`` (the workbook to
fill).
"""

from .headers import CANDIDATE_COLUMNS, COLUMNS, HEADER_SCAN_ROWS
from .reader import CellError, PersonRow, SheetRead, read_people
from .template import people_template_xlsx

__all__ = [
    "CANDIDATE_COLUMNS",
    "COLUMNS",
    "HEADER_SCAN_ROWS",
    "CellError",
    "PersonRow",
    "SheetRead",
    "people_template_xlsx",
    "read_people",
]
