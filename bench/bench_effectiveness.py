"""How often the effectiveness analysis finds an injected support effect, and how often it claims
one that is not there (issue 16).

    .venv/bin/python bench/bench_effectiveness.py [--seeds 40] [--scale region] [--effects 0 3 5]

Each replication is a generated territory (``opora.demo.support_effect``: the generator's
schools and true levels, ВПР school means drawn from the student-level model, schools entering
the system by their observed results of the entry year) with ``effect`` points of the maximum
added to the entered schools' level in the two following years; ``opora.engine.effectiveness``
estimates it over all works. Detected: the 95 % interval lies above zero; a claim where none was
injected: the interval excludes zero (either way). Writes ``bench/out/effectiveness.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from opora.demo.support_effect import generate
from opora.engine.effectiveness import estimate, school_year_gaps

OUT = Path(__file__).resolve().parent / "out" / "effectiveness.md"


def replicate(scale: str, seed: int, effect: float) -> tuple[float | None, bool, bool, int]:
    data = generate(scale=scale, seed=seed, effect_pp=effect)
    e = estimate(school_year_gaps(data.gaps), data.entered, data.never, data.context,
                 data.entry_year)
    return e.effect, e.detected, e.detected or e.harmful, e.treated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--scale", default="region")
    parser.add_argument("--effects", type=float, nargs="+", default=[0.0, 3.0, 5.0])
    args = parser.parse_args()
    lines = [f"# Анализ эффективности на сгенерированных данных ({args.scale}, "
             f"{args.seeds} повторений)", "",
             "| внедрённый эффект, п. п. | среднее оценки | разброс оценки | найден (интервал > 0) "
             "| заявлен хоть какой-то (интервал не содержит 0) | нет оценки (мало школ) "
             "| школ в системе |", "|---|---|---|---|---|---|---|"]
    start = time.perf_counter()
    for effect in args.effects:
        found = [replicate(args.scale, seed, effect) for seed in range(1, args.seeds + 1)]
        estimates = [f[0] for f in found if f[0] is not None]
        n = len(found)
        lines.append(
            f"| {effect:g} | {np.mean(estimates):.2f} | {np.std(estimates):.2f} "
            f"| {sum(f[1] for f in found)}/{n} | {sum(f[2] for f in found)}/{n} "
            f"| {n - len(estimates)}/{n} | {np.mean([f[3] for f in found]):.0f} |")
        print(lines[-1], flush=True)
    lines += ["", f"Время: {time.perf_counter() - start:.0f} с."]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"→ {OUT}")


if __name__ == "__main__":
    main()
