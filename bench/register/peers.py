"""Peers of the register-import benchmark: read the same asset register workbook with openpyxl
(read-only mode, every cell of every sheet, as an importer must) and with pandas.read_excel
(openpyxl engine, header row 3 as kojo writes it). Prints JSON: rows seen and best-of-three
seconds for each."""
import json
import sys
import time

import openpyxl
import pandas as pd

path = sys.argv[1]


def openpyxl_read():
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = 0
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            if any(v is not None and v != "" for v in row):
                rows += 1
                cells += sum(1 for v in row if v is not None and v != "")
    wb.close()
    return rows, cells


def pandas_read():
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    rows = sum(len(f.dropna(how="all")) for f in frames.values())
    cells = sum(int(f.notna().sum().sum()) for f in frames.values())
    return rows, cells


def best(f):
    times = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return min(times), result


t_o, (rows_o, cells_o) = best(openpyxl_read)
t_p, (rows_p, cells_p) = best(pandas_read)
print(json.dumps({
    "openpyxl": {"seconds": t_o, "rows": rows_o, "cells": cells_o},
    "pandas": {"seconds": t_p, "rows": rows_p, "cells": cells_p},
}))
