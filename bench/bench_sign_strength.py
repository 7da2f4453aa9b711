"""The smallest injected effect objectivity signs 2 (boundary peaks) and 4 (cohort collapse) detect.

    .venv/bin/python bench/bench_sign_strength.py [--seeds 2 3 4] [--scale region]
        [--peaks 0.5 0.7 0.8 0.9 1.0] [--helps 0.3 0.45 0.6 0.8 1.0]

For each pair of strengths (the i-th of ``--peaks`` with the i-th of ``--helps``: the two kinds go
to different schools, so one data set measures both) and each seed, generates the data set with
those strengths (``generate_tables(strengths=…)``, everything else as by default), runs the
analysis with the default rules (DuckDB) and scores both signs against the truth in cells of 30
or more participants (:func:`opora.demo.detection.sign_scores`). Writes
``bench/out/sign_strength.md``.

``boundary_peaks``: the probability that a score 1–2 points below the «3», «4» or «5» boundary is
raised to it (default ``PEAK`` = 0,9); ``cohort_collapse``: the help the grade-4 cohort gets, the
probability each task's score is raised to its maximum (default ``COLLAPSE_HELP`` = 0,45).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from opora.demo.detection import sign_scores
from opora.demo.generator import generate_tables
from opora.engine import analyze_tables
from opora.numbers import number

OUT = Path(__file__).resolve().parent / "out" / "sign_strength.md"
SIGNS = {"boundary_peaks": "пики у границ (признак 2)", "cohort_collapse": "обвал когорты (признак 4)"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--scale", default="region")
    parser.add_argument("--peaks", type=float, nargs="+", default=[0.5, 0.7, 0.8, 0.9, 1.0])
    parser.add_argument("--helps", type=float, nargs="+", default=[0.3, 0.45, 0.6, 0.8, 1.0])
    args = parser.parse_args()
    if len(args.peaks) != len(args.helps):
        parser.error("--peaks и --helps — одинаковой длины")
    # (sign, strength) → per seed (truth, flagged, hits, right)
    found: dict[tuple[str, float], list[tuple[int, int, int, int]]] = {}
    for peak, help_ in zip(args.peaks, args.helps, strict=True):
        for seed in args.seeds:
            start = time.perf_counter()
            strengths = {"boundary_peaks": peak, "cohort_collapse": help_}
            tables = generate_tables(scale=args.scale, years=3, seed=seed, strengths=strengths)
            evaluation = analyze_tables(tables)
            scores = sign_scores(evaluation.objectivity, tables["truth"], min_participants=30)
            for s in scores:
                prop = s.name.split(" ← ")[1]
                if prop in strengths:
                    found.setdefault((prop, strengths[prop]), []).append(
                        (s.truth, s.flagged, s.hits, s.right if s.right is not None else s.hits))
            print(f"сила {peak}/{help_}, зерно {seed}: {time.perf_counter() - start:.0f} с")
    lines = ["# Наименьший обнаруживаемый эффект признаков 2 и 4", "",
             f"`bench/bench_sign_strength.py`: масштаб {args.scale}, 3 года, зёрна "
             f"{', '.join(map(str, args.seeds))}, правила по умолчанию, ячейки с ≥ 30 "
             "участниками. Точность и полнота — по каждому зерну (через «/») и по всем вместе.", ""]
    for prop, title in SIGNS.items():
        lines += [f"## {title} ← {prop}", "",
                  "| сила | внедрено | найдено | верно | точность | полнота | "
                  "точность, все | полнота, все |", "|---|---|---|---|---|---|---|---|"]
        for (p, strength), rows in sorted(found.items()):
            if p != prop:
                continue
            t, f, h, r = (sum(x[i] for x in rows) for i in range(4))
            lines.append(
                f"| {number(strength, 2)} | {t} | {f} | {h} | "
                f"{' / '.join(_share(x[3], x[1]) for x in rows)} | "
                f"{' / '.join(_share(x[2], x[0]) for x in rows)} | {_share(r, f)} | "
                f"{_share(h, t)} |")
        lines.append("")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), "utf-8")
    print(f"записано: {OUT}")


def _share(a: int, b: int) -> str:
    return number(a / b, 2) if b else "—"


if __name__ == "__main__":
    main()
