"""What each candidate default rule gives: schools per flag, the list's share, precision and recall.

    nice -n 10 .venv/bin/python bench/bench_calibration.py [--seeds 1 2] [--country] [--real КАТАЛОГ …]

For the calibration of the default rules (docs/methodology.md, «Калибровка правила по
умолчанию»): each candidate is the literal seed-001 rule (``presets/seed001.toml``) with a few
parameters changed, run on generated regions (several seeds), on the demo municipality and on
real samples read with ``opora read`` (``--real``). The heavy per-student stage runs once per
data set; the rules run once per candidate on its ``cell_stats`` (:func:`opora.engine.rules_stage.evaluate`).

Counted per data set and candidate, in the last year of the window, **schools, not flags**: ШНОР
(either low-results rule), of them by the share-failing rule alone, persistently low, the risk
zone, ШНСУ, the list (ШНОР ∪ ШНСУ ∪ risk zone), leaders; ШНОР per municipality (median and
largest share); against the generator's truth: recall of ШНОР and precision/recall of
«persistently low» on the injected persistently low schools, and against the true levels
(:func:`opora.demo.generator.true_levels`) the share of ШНОР whose true gap to the region is
below −5 p.p. and the recall of schools truly 10 p.p. or more below. Writes
``bench/out/calibration.md``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opora.demo.generator import generate, true_levels
from opora.engine.aggregate import compute_cell_stats
from opora.engine.config import Rules, load_rules_text
from opora.engine.io import read_small_tables
from opora.engine.presets import preset_text
from opora.engine.rules_stage import evaluate
from opora.engine.session import open_session
from opora.glossary import (
    ADVERSE_CONTEXT,
    LEADER,
    LOW_RESULTS,
    LOW_RESULTS_FLAGS,
    PERSISTENTLY_LOW,
    RISK_ZONE,
)

OUT = Path(__file__).resolve().parent / "out" / "calibration.md"

#: name → (Russian description, parameters changed over the literal seed-001 rule)
CANDIDATES: dict[str, tuple[str, dict[str, Any]]] = {
    "A": ("seed 001 дословно: ниже региона (интервал ниже 0) 2 года из 3", {}),
    "B": ("отставание больше 5 п.п. 2 года из 3", {"identification.min_gap_pct": 5.0}),
    "C": ("отставание больше 5 п.п. 2 года из 3, включая последний",
          {"identification.min_gap_pct": 5.0, "identification.require_last_year": True}),
    "D": ("отставание больше 8 п.п. 2 года из 3, включая последний",
          {"identification.min_gap_pct": 8.0, "identification.require_last_year": True}),
    "E": ("отставание больше 10 п.п. 2 года из 3, включая последний",
          {"identification.min_gap_pct": 10.0, "identification.require_last_year": True}),
    "F": ("отставание больше 12 п.п. 2 года из 3, включая последний",
          {"identification.min_gap_pct": 12.0, "identification.require_last_year": True}),
    "G": ("отставание больше 10 п.п. 3 года из 3",
          {"identification.min_gap_pct": 10.0, "identification.min_low_years": 3}),
    "H": ("отставание больше 5 п.п. 3 года из 3",
          {"identification.min_gap_pct": 5.0, "identification.min_low_years": 3}),
}
#: p.p. of the maximum per SD of student ability, measured on the data set (see ``_pp_per_sd``)
LABELS = {"municipality": "муниципалитет (демо)", "region": "регион", "country": "страна"}
CLEARLY_BELOW_PCT = 5.0
FAR_BELOW_PCT = 10.0


def with_params(rules: Rules, params: dict[str, Any]) -> Rules:
    """``rules`` with «section.name» parameters replaced."""
    for dotted, value in params.items():
        section, name = dotted.split(".")
        rules = replace(rules, **{section: replace(getattr(rules, section), **{name: value})})
    return rules


def cell_stats_of(data: Path) -> pa.Table:
    cached = data / "cell_stats.cache.parquet"
    if cached.exists():
        return pq.read_table(cached)
    with open_session("duckdb") as es:
        table = compute_cell_stats(es, data)
    pq.write_table(table, cached)
    return table


def _truth_gaps(data: Path, scale: str, seed: int, stats: pa.Table) -> dict[str, float] | None:
    """School → its true gap to the region over the window, in p.p. of the maximum."""
    if not scale:
        return None
    levels = true_levels(scale=scale, years=3, seed=seed).to_pylist()
    gap_sd: dict[str, list[float]] = {}
    for r in levels:
        gap_sd.setdefault(r["school_key"], []).append(r["level_sd"] - r["region_level_sd"])
    mean_sd = {k: float(np.mean(v)) for k, v in gap_sd.items()}
    factor = _pp_per_sd(mean_sd, stats)
    return {k: v * factor for k, v in mean_sd.items()}


def _pp_per_sd(mean_sd: dict[str, float], stats: pa.Table) -> float:
    """The slope of the observed gap (p.p., schools with ≥ 200 counted participants over the
    window) on the true gap (SD): the model's own conversion, measured rather than assumed."""
    rows = stats.select(["school_key", "gap_pct", "participants", "procedure"]).to_pylist()
    acc: dict[str, list[float]] = {}
    for r in rows:
        if r["gap_pct"] is None or r["procedure"] not in ("VPR", "OGE") or not r["participants"]:
            continue
        a = acc.setdefault(r["school_key"], [0.0, 0.0])
        a[0] += r["gap_pct"] * r["participants"]
        a[1] += r["participants"]
    keys = [k for k, (_, n) in acc.items() if n >= 200 and k in mean_sd]
    x = np.array([mean_sd[k] for k in keys])
    y = np.array([acc[k][0] / acc[k][1] for k in keys])
    return float(np.polyfit(x, y, 1)[0])


def measure(name: str, found: Any, tables: dict[str, pa.Table],
            truth_gaps: dict[str, float] | None) -> dict[str, Any]:
    last = found.window[-1]
    schools = {str(s) for s in tables["schools"].column("school_key").to_pylist()}
    tested = {str(s) for s in found.school_stats.column("school_key").to_pylist()}
    schools &= tested
    by_flag: dict[str, set[str]] = {}
    for f in found.flags:
        if f.year == last:
            by_flag.setdefault(f.flag, set()).add(f.school_key)
    low = set().union(*(by_flag.get(c, set()) for c in LOW_RESULTS_FLAGS))
    risk = by_flag.get(RISK_ZONE.code, set())
    listed = low | by_flag.get(ADVERSE_CONTEXT.code, set()) | risk
    municipality = dict(zip(tables["schools"].column("school_key").to_pylist(),
                            tables["schools"].column("municipality").to_pylist(), strict=True))
    shares = _municipality_shares(low, schools, municipality)
    injected = {r["school_key"] for r in tables["truth"].to_pylist()
                if r["property"] == "persistently_low"}
    persist = by_flag.get(PERSISTENTLY_LOW.code, set())
    row: dict[str, Any] = {
        "candidate": name, "schools": len(schools), "low": len(low),
        "low_share": len(low) / len(schools), "low_by_share_only": len(
            low - by_flag.get(LOW_RESULTS.code, set())),
        "persist": len(persist), "risk": len(by_flag.get(RISK_ZONE.code, set())),
        "adverse": len(by_flag.get(ADVERSE_CONTEXT.code, set())),
        "list_share": len(listed) / len(schools),
        "results_share": len(low | risk) / len(schools), "leaders": len(by_flag.get(LEADER.code, set())),
        "mun_median": statistics.median(shares) if shares else None,
        "mun_max": max(shares) if shares else None,
        "pairs": len(found.pairs),
        "unpaired_low": sum(1 for u in found.unpaired if u.reason_code != "not_low"),
    }
    if injected:
        row.update(low_recall=len(low & injected) / len(injected),
                   persist_precision=len(persist & injected) / len(persist) if persist else None,
                   persist_recall=len(persist & injected) / len(injected))
    if truth_gaps:
        clearly = {k for k, g in truth_gaps.items() if g < -CLEARLY_BELOW_PCT}
        far = {k for k, g in truth_gaps.items() if g < -FAR_BELOW_PCT} & schools
        row.update(true_precision=len(low & clearly) / len(low) if low else None,
                   true_recall=len(low & far) / len(far) if far else None)
    return row


def _municipality_shares(low: set[str], schools: set[str],
                         municipality: dict[str, str]) -> list[float]:
    total: dict[str, int] = {}
    flagged: dict[str, int] = {}
    for s in schools:
        m = municipality.get(s, "")
        total[m] = total.get(m, 0) + 1
        flagged[m] = flagged.get(m, 0) + (s in low)
    return [flagged[m] / total[m] for m in total if total[m] >= 10]


def run_data_set(label: str, data: Path, scale: str, seed: int) -> list[dict[str, Any]]:
    stats = cell_stats_of(data)
    tables = read_small_tables(data)
    base = load_rules_text(preset_text("seed001"), "seed001.toml")
    rows = []
    gaps = None
    for name, (_, params) in CANDIDATES.items():
        try:
            rules = with_params(base, params)
        except TypeError:  # a parameter this version of the rules does not have
            continue
        found = evaluate(stats, tables, rules)
        if gaps is None and scale:
            gaps = _truth_gaps(data, scale, seed, found.school_stats)
        row = measure(name, found, tables, gaps)
        row["data"] = label
        rows.append(row)
        print(label, name, row["low"], f"{row['low_share']:.0%}")
    return rows


COLUMNS = (
    ("ШНОР", lambda r: f"{r['low']} ({_pct(r['low_share'])} %)"),
    ("из них только по доле «2»", lambda r: str(r["low_by_share_only"])),
    ("ШНОР по муниципалитетам, медиана / наибольшая, %",
     lambda r: f"{_pct(r['mun_median'])} / {_pct(r['mun_max'])}"),
    ("стабильно низкие", lambda r: str(r["persist"])),
    ("зона риска", lambda r: str(r["risk"])),
    ("ШНОР или зона риска, %", lambda r: _pct(r["results_share"])),
    ("весь список (с ШНСУ), %", lambda r: _pct(r["list_share"])),
    ("лидеры", lambda r: str(r["leaders"])),
    ("пар / ШНОР без пары", lambda r: f"{r['pairs']} / {r['unpaired_low']}"),
    ("полнота ШНОР по внедрённым", lambda r: _f(r.get("low_recall"))),
    ("стабильно низкие: точность / полнота по внедрённым",
     lambda r: f"{_f(r.get('persist_precision'))} / {_f(r.get('persist_recall'))}"),
    ("доля ШНОР с истинным отставанием > 5 п.п.", lambda r: _f(r.get("true_precision"))),
    ("полнота по школам с истинным отставанием > 10 п.п.", lambda r: _f(r.get("true_recall"))),
)


def markdown(rows: list[dict[str, Any]]) -> str:
    head = "| набор | вариант | школ | " + " | ".join(c for c, _ in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (3 + len(COLUMNS))]
    for r in rows:
        cells = [r["data"], r["candidate"], str(r["schools"])] + [f(r) for _, f in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    legend = "\n".join(f"* **{k}** — {v[0]}" for k, v in CANDIDATES.items())
    return (f"# Калибровка правила по умолчанию\n\nВарианты (поверх `presets/seed001.toml`):\n\n"
            f"{legend}\n\n" + "\n".join(lines) + "\n")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}".replace(".", ",")


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--country", action="store_true",
                        help="ещё и страна (зерно 1): около 40 000 школ, генерация — минуты")
    parser.add_argument("--data", type=Path, help="каталог для наборов (иначе временный)")
    parser.add_argument("--real", type=Path, nargs="*", default=[],
                        help="каталоги, записанные opora read")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.data or Path(tmp)
        sets = [("municipality", 1)] + [("region", s) for s in args.seeds]
        if args.country:
            sets.append(("country", 1))
        for scale, seed in sets:
            data = work / f"{scale}-{seed}"
            if not (data / "results.parquet").exists():
                generate(scale=scale, years=3, seed=seed, out=data)
            label = f"{LABELS[scale]}, зерно {seed}"
            rows += run_data_set(label, data, scale, seed)
        for real in args.real:
            rows += run_data_set(real.name, real, "", 0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(markdown(rows), "utf-8")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
