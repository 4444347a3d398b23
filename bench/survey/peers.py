"""The peer computations for the survey-analysis benchmark: the same work `kojo survey analyze`
does, read from `kojo survey plan` — every column's table (codes counted; several choices split
on "|"; numbers summarised), the respondents each routed column applies to, every figure (hits
among those who answered, within a subgroup where given) and the cross-tabs — from the CSV on
disk to a JSON result.

Written the way each tool's experts would: polars builds one lazy query (several-choice columns
split once, every aggregation in one select, the cross-tabs as further queries over the same
scan) and collects them all at once; DuckDB parses the file once into a table (several-choice
columns split once) and computes every count, figure and table of single answers in one scan
with FILTER aggregates and histograms, then the several-choice tables in one more query and
the cross-tabs in one more.

    python3 peers.py polars|duckdb PLAN.json FILE.csv OUT.json
    python3 peers.py polars-parse|duckdb-parse PLAN.json FILE.csv OUT.json   (parse only)
"""
import json
import sys
import time


def run_polars(plan, path):
    import polars as pl

    kinds = {c["name"]: c["kind"] for c in plan["columns"]}
    multiples = [n for n, k in kinds.items() if k == "multiple"]
    # Every column as text; several-choice columns split once, shared by every expression.
    lf = pl.scan_csv(path, infer_schema=False).with_columns(
        pl.col(m).str.split("|") for m in multiples
    )

    def hit(col, wanted):
        if kinds[col] == "multiple":
            return pl.col(col).list.eval(pl.element().is_in(wanted)).list.any().fill_null(False)
        return pl.col(col).is_in(wanted).fill_null(False)

    aggs = [pl.len().alias("respondents")]
    for c in plan["columns"]:
        name, kind = c["name"], c["kind"]
        aggs.append(pl.col(name).is_not_null().sum().alias(f"{name}\x00answered"))
        if c["show_if"]:
            s = c["show_if"]
            aggs.append(hit(s["column"], s["codes"]).sum().alias(f"{name}\x00eligible"))
        if kind == "single":
            aggs.append(pl.col(name).drop_nulls().value_counts().implode().alias(f"{name}\x00counts"))
        elif kind == "multiple":
            aggs.append(
                pl.col(name).explode().drop_nulls().value_counts().implode().alias(f"{name}\x00counts")
            )
        elif kind == "number":
            n = pl.col(name).cast(pl.Float64, strict=False)
            aggs += [
                n.sum().alias(f"{name}\x00sum"),
                n.min().alias(f"{name}\x00min"),
                n.max().alias(f"{name}\x00max"),
            ]
    for i, f in enumerate(plan["figures"]):
        mask = pl.col(f["column"]).is_not_null()
        if f["given"]:
            mask = mask & hit(f["given"]["column"], f["given"]["codes"])
        aggs += [
            mask.sum().alias(f"f{i}\x00n"),
            (mask & hit(f["column"], f["codes"])).sum().alias(f"f{i}\x00count"),
        ]
    queries = [lf.select(aggs)]
    for x in plan["crosstabs"]:
        by, of = x["by"], x["of"]
        sub = lf.select(by, of).drop_nulls()
        if kinds[of] == "multiple":
            sub = sub.explode(of)
        queries.append(sub.group_by(by, of).len())
    main, *tabs = pl.collect_all(queries)

    row = main.row(0, named=True)
    out = {"respondents": row["respondents"], "columns": {}, "figures": {}, "crosstabs": []}
    for c in plan["columns"]:
        name, kind = c["name"], c["kind"]
        entry = {"answered": row[f"{name}\x00answered"]}
        if c["show_if"]:
            entry["eligible"] = row[f"{name}\x00eligible"]
        if kind in ("single", "multiple"):
            entry["counts"] = {v[name]: v["count"] for v in row[f"{name}\x00counts"]}
        elif kind == "number":
            entry.update(sum=row[f"{name}\x00sum"], min=row[f"{name}\x00min"], max=row[f"{name}\x00max"])
        out["columns"][name] = entry
    for i, f in enumerate(plan["figures"]):
        out["figures"].setdefault(f["id"], []).append({"n": row[f"f{i}\x00n"], "count": row[f"f{i}\x00count"]})
    for x, t in zip(plan["crosstabs"], tabs):
        out["crosstabs"].append({"by": x["by"], "of": x["of"], "cells": [list(r) for r in t.iter_rows()]})
    return out


def run_duckdb(plan, path):
    import duckdb

    kinds = {c["name"]: c["kind"] for c in plan["columns"]}
    multiples = [n for n, k in kinds.items() if k == "multiple"]

    def q(name):
        return '"' + name.replace('"', '""') + '"'

    def lit(values):
        return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

    def hit(col, wanted):
        if kinds[col] == "multiple":
            return f"coalesce(len(list_intersect({q(col)}, {lit(wanted)})) > 0, false)"
        return f"coalesce(list_contains({lit(wanted)}, {q(col)}), false)"

    con = duckdb.connect()
    # One parse of the file; several-choice columns split once.
    replace = ", ".join(f"string_split({q(m)}, '|') AS {q(m)}" for m in multiples)
    con.execute(
        f"CREATE TABLE r AS SELECT * REPLACE ({replace}) "
        f"FROM read_csv('{path}', all_varchar = true, header = true)"
    )

    # One scan: every count, eligibility, number summary, single-answer table and figure.
    exprs, keys = ["count(*)"], ["respondents"]
    for c in plan["columns"]:
        name, kind = c["name"], c["kind"]
        exprs.append(f"count({q(name)})")
        keys.append((name, "answered"))
        if c["show_if"]:
            s = c["show_if"]
            exprs.append(f"count(*) FILTER (WHERE {hit(s['column'], s['codes'])})")
            keys.append((name, "eligible"))
        if kind == "single":
            exprs.append(f"histogram({q(name)})")
            keys.append((name, "counts"))
        elif kind == "number":
            n = f"try_cast({q(name)} AS DOUBLE)"
            exprs += [f"sum({n})", f"min({n})", f"max({n})"]
            keys += [(name, "sum"), (name, "min"), (name, "max")]
    for i, f in enumerate(plan["figures"]):
        where = f"{q(f['column'])} IS NOT NULL"
        if f["given"]:
            where += " AND " + hit(f["given"]["column"], f["given"]["codes"])
        exprs += [
            f"count(*) FILTER (WHERE {where})",
            f"count(*) FILTER (WHERE {where} AND {hit(f['column'], f['codes'])})",
        ]
        keys += [("figure", i, "n"), ("figure", i, "count")]
    values = con.execute(f"SELECT {', '.join(exprs)} FROM r").fetchone()

    out = {"respondents": values[0], "columns": {c["name"]: {} for c in plan["columns"]}, "figures": {}, "crosstabs": []}
    figures = {}
    for key, value in zip(keys[1:], values[1:]):
        if key[0] == "figure":
            figures.setdefault(key[1], {})[key[2]] = value
        elif key[1] == "counts":
            out["columns"][key[0]]["counts"] = dict(value) if value else {}
        else:
            out["columns"][key[0]][key[1]] = value
    for i, f in enumerate(plan["figures"]):
        out["figures"].setdefault(f["id"], []).append(figures[i])

    # One more scan: the several-choice tables.
    if multiples:
        cols = ", ".join(q(m) for m in multiples)
        rows = con.execute(
            f"SELECT name, v, count(*) FROM (SELECT name, unnest(l) AS v FROM "
            f"(UNPIVOT (SELECT {cols} FROM r) ON {cols} INTO NAME name VALUE l)) GROUP BY ALL"
        ).fetchall()
        for m in multiples:
            out["columns"][m]["counts"] = {}
        for name, v, n in rows:
            out["columns"][name]["counts"][v] = n

    # And one query for the cross-tabs.
    parts = []
    for i, x in enumerate(plan["crosstabs"]):
        by, of = x["by"], x["of"]
        of_expr = f"unnest({q(of)})" if kinds[of] == "multiple" else q(of)
        parts.append(
            f"SELECT {i} AS x, b, o, count(*) AS n FROM (SELECT {q(by)} AS b, {of_expr} AS o FROM r "
            f"WHERE {q(by)} IS NOT NULL AND {q(of)} IS NOT NULL) GROUP BY ALL"
        )
    cells = {i: [] for i in range(len(plan["crosstabs"]))}
    if parts:
        for i, b, o, n in con.execute(" UNION ALL ".join(parts)).fetchall():
            cells[i].append([b, o, n])
    for i, x in enumerate(plan["crosstabs"]):
        out["crosstabs"].append({"by": x["by"], "of": x["of"], "cells": cells[i]})
    return out


def parse_polars(plan, path):
    import polars as pl

    df = pl.read_csv(path, infer_schema=False)
    return {"respondents": df.height}


def parse_duckdb(plan, path):
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
    return {"respondents": con.execute("SELECT count(*) FROM r").fetchone()[0]}


if __name__ == "__main__":
    engine, plan_path, path, out_path = sys.argv[1:5]
    started = time.time()
    plan = json.load(open(plan_path))
    run = {
        "polars": run_polars,
        "duckdb": run_duckdb,
        "polars-parse": parse_polars,
        "duckdb-parse": parse_duckdb,
    }[engine]
    result = run(plan, path)
    with open(out_path, "w") as f:
        json.dump(result, f, default=str)
    print(f"{engine}: {time.time() - started:.2f}s", file=sys.stderr)
