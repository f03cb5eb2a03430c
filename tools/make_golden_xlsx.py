#!/usr/bin/env python3
"""Saves the golden fixture's CSV exports as Excel workbooks, the way a user re-saves a
download in Excel: dates as date cells, numbers as number cells (money like "¥3,800.00" or
"2,000.00" as the number 3800 / 2000), text as text, on a sheet named 数据 that starts one row
down and one column right (so cell references are not just line numbers). Writes
tests/fixtures/golden_xlsx/{daily,ledger,progress}.xlsx. Needs openpyxl (pip install openpyxl);
the tests only read the committed files.

    python3 tools/make_golden_xlsx.py
"""
import csv
import datetime
import pathlib
import re

import openpyxl

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "tests/fixtures/golden/data/nuanbake-summer-2025"
OUT = ROOT / "tests/fixtures/golden_xlsx"


def cell(text):
    t = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        return datetime.date.fromisoformat(t)
    money = t.lstrip("¥").replace(",", "")
    if re.fullmatch(r"-?\d+", money):
        return int(money)
    if re.fullmatch(r"-?\d+\.\d+", money):
        return float(money)
    return t


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ["daily", "ledger", "progress"]:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "数据"
        with open(SRC / f"{name}.csv", newline="", encoding="utf-8-sig") as f:
            for r, row in enumerate(csv.reader(f)):
                for c, text in enumerate(row):
                    value = text if r == 0 else cell(text)
                    target = sheet.cell(row=r + 2, column=c + 2, value=value)
                    if isinstance(value, datetime.date):
                        target.number_format = "yyyy-mm-dd"
        # A second sheet, not read: a source reads its first sheet unless it names one.
        book.create_sheet("说明").cell(row=1, column=1, value="从 CSV 另存为")
        # Fixed metadata so the file is byte-stable across runs.
        book.properties.creator = "qunce tools/make_golden_xlsx.py"
        book.properties.created = datetime.datetime(2026, 1, 1)
        book.properties.modified = datetime.datetime(2026, 1, 1)
        book.save(OUT / f"{name}.xlsx")


if __name__ == "__main__":
    main()
