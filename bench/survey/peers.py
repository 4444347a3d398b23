"""The peer computations for the survey-analysis benchmark: the same work `kojo survey analyze`
does, read from `kojo survey plan` — every column's table (codes counted; several choices split
on "|"; numbers summarised), the respondents each routed column applies to, every figure (hits
among those who answered, within a subgroup where given) and the cross-tabs — from the CSV on
disk to a JSON result.

    python3 peers.py polars|duckdb PLAN.json FILE.csv OUT.json
"""
import json
import sys
import time


def run_polars(plan, path):
    import polars as pl

    df = pl.read_csv(path, infer_schema_length=0, encoding="utf8")  # every column as text
    out = {"respondents": df.height, "columns": {}, "figures": {}, "crosstabs": []}
    kinds = {c["name"]: c["kind"] for c in plan["columns"]}

    def codes(col):
        s = df[col]
        return s.str.split("|").explode() if kinds[col] == "multiple" else s

    for c in plan["columns"]:
        name, kind = c["name"], c["kind"]
        s = df[name]
        entry = {"answered": int(s.is_not_null().sum())}
        if c["show_if"]:
            cond = c["show_if"]
            entry["eligible"] = int(hit(df[cond["column"]], kinds[cond["column"]], cond["codes"]).sum())
        if kind in ("single", "multiple"):
            vc = codes(name).drop_nulls().value_counts()
            entry["counts"] = {r[0]: int(r[1]) for r in vc.iter_rows()}
        elif kind == "number":
            n = s.cast(pl.Float64, strict=False)
            entry.update(sum=n.sum(), min=n.min(), max=n.max())
        out["columns"][name] = entry
    for f in plan["figures"]:
        s = df[f["column"]]
        mask = s.is_not_null()
        if f["given"]:
            g = f["given"]
            mask = mask & hit(df[g["column"]], kinds[g["column"]], g["codes"])
        base = int(mask.sum())
        hits = int((mask & hit(s, kinds[f["column"]], f["codes"])).sum())
        out["figures"].setdefault(f["id"], []).append({"n": base, "count": hits})
    for x in plan["crosstabs"]:
        by, of = x["by"], x["of"]
        sub = df.select([by, of]).drop_nulls()
        if kinds[of] == "multiple":
            sub = sub.with_columns(pl.col(of).str.split("|")).explode(of)
        t = sub.group_by([by, of]).len()
        out["crosstabs"].append({"by": by, "of": of, "cells": [[r[0], r[1], int(r[2])] for r in t.iter_rows()]})
    return out


def hit(series, kind, wanted):
    import polars as pl

    if kind == "multiple":
        return series.str.split("|").list.eval(pl.element().is_in(wanted)).list.any().fill_null(False)
    return series.is_in(wanted).fill_null(False)


def run_duckdb(plan, path):
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
    kinds = {c["name"]: c["kind"] for c in plan["columns"]}

    def q(name):
        return '"' + name.replace('"', '""') + '"'

    def cond(col, wanted):
        lst = "[" + ", ".join("'" + w.replace("'", "''") + "'" for w in wanted) + "]"
        if kinds[col] == "multiple":
            return f"coalesce(len(list_intersect(string_split({q(col)}, '|'), {lst})) > 0, false)"
        return f"coalesce({q(col)} IN (SELECT unnest({lst})), false)"

    out = {"respondents": con.execute("SELECT count(*) FROM r").fetchone()[0], "columns": {}, "figures": {}, "crosstabs": []}
    for c in plan["columns"]:
        name, kind = c["name"], c["kind"]
        entry = {"answered": con.execute(f"SELECT count({q(name)}) FROM r").fetchone()[0]}
        if c["show_if"]:
            s = c["show_if"]
            entry["eligible"] = con.execute(f"SELECT count(*) FROM r WHERE {cond(s['column'], s['codes'])}").fetchone()[0]
        if kind == "single":
            rows = con.execute(f"SELECT {q(name)}, count(*) FROM r WHERE {q(name)} IS NOT NULL GROUP BY 1").fetchall()
            entry["counts"] = {k: v for k, v in rows}
        elif kind == "multiple":
            rows = con.execute(f"SELECT v, count(*) FROM (SELECT unnest(string_split({q(name)}, '|')) AS v FROM r WHERE {q(name)} IS NOT NULL) GROUP BY 1").fetchall()
            entry["counts"] = {k: v for k, v in rows}
        elif kind == "number":
            s, lo, hi = con.execute(f"SELECT sum(try_cast({q(name)} AS DOUBLE)), min(try_cast({q(name)} AS DOUBLE)), max(try_cast({q(name)} AS DOUBLE)) FROM r").fetchone()
            entry.update(sum=s, min=lo, max=hi)
        out["columns"][name] = entry
    for f in plan["figures"]:
        where = f"{q(f['column'])} IS NOT NULL"
        if f["given"]:
            where += " AND " + cond(f["given"]["column"], f["given"]["codes"])
        base, hits = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {cond(f['column'], f['codes'])}) FROM r WHERE {where}").fetchone()
        out["figures"].setdefault(f["id"], []).append({"n": base, "count": hits})
    for x in plan["crosstabs"]:
        by, of = x["by"], x["of"]
        of_expr = f"unnest(string_split({q(of)}, '|'))" if kinds[of] == "multiple" else q(of)
        rows = con.execute(
            f"SELECT b, o, count(*) FROM (SELECT {q(by)} AS b, {of_expr} AS o FROM r WHERE {q(by)} IS NOT NULL AND {q(of)} IS NOT NULL) GROUP BY 1, 2"
        ).fetchall()
        out["crosstabs"].append({"by": by, "of": of, "cells": [list(r) for r in rows]})
    return out


if __name__ == "__main__":
    engine, plan_path, path, out_path = sys.argv[1:5]
    started = time.time()
    plan = json.load(open(plan_path))
    result = (run_polars if engine == "polars" else run_duckdb)(plan, path)
    with open(out_path, "w") as f:
        json.dump(result, f, default=str)
    print(f"{engine}: {time.time() - started:.2f}s", file=sys.stderr)
