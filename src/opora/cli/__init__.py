"""The ``opora`` command: the same readers, generator and engine the web app uses.

Subcommands::

    opora demo [--port P]                 set up SQLite, load the demo municipality, serve it
    opora read FILE [--format F] --out D  a real file → normalised Parquet tables + problems.csv
    opora generate --scale S --years N --seed X --out D
                                          a synthetic data set with its ground truth
    opora manage ARGS...                  Django's manage.py (migrate, createsuperuser, …)
    opora worker                          the background-task worker (imports, analysis runs);
                                          first marks work a dead worker left as interrupted
    opora template KIND --out FILE        a blank fill-in template (results, aggregates, context,
                                          markers, rechecks; staff, diagnostics,
                                          courses; events) as .xlsx or .csv
    opora docs-formats                    print docs/formats.md from the schemas and error codes
    opora docs-glossary                   print docs/glossary.md from the glossary
    opora analyze DIR --out OUT [--config RULES.toml] [--engine duckdb|spark] [--years 2022-2024]
                  [--spark-master spark://HOST:7077] [--spark-conf KEY=VALUE …]
                                          flags with evidence, context, objectivity, pairs;
                                          DIR and OUT may be s3://bucket/prefix or
                                          hdfs://host:port/path

Exit codes of ``read``: 0 everything read, 1 some rows rejected (good rows still written),
2 the file could not be read at all (one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

GROUPS_SHOWN = 30  # lines of grouped problems printed by ``opora read``; all are in problems.csv


def _read(args: argparse.Namespace) -> int:
    from opora.formats import FORMATS, ReadHints, UnreadableFile, write_result
    from opora.formats.grouping import group_problems
    from opora.formats.isolation import read_file_isolated

    if args.format not in FORMATS:
        print(f"ошибка: неизвестный формат «{args.format}»", file=sys.stderr)
        return 2
    hints = ReadHints(
        school_key=args.school, region=args.region, municipality=args.municipality,
        procedure=args.procedure, subject=args.subject, grade=args.grade, year=args.year,
    )
    try:
        result = read_file_isolated(Path(args.file), args.format, hints)
    except UnreadableFile as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    write_result(result, out)
    counts = ", ".join(f"{name}: {t.num_rows}" for name, t in result.tables.items()) or "нет строк"
    print(f"формат: {result.format}; прочитано — {counts}")
    if result.skipped:
        print(f"пропущено листов/блоков: {len(result.skipped)} (см. problems.csv)")
    for note in result.notes:
        print(f"— {note.message}")
    if result.problems:
        groups = group_problems(result.problems)
        print(f"проблем: {len(result.problems)} (видов по столбцам: {len(groups)}), отклонено "
              f"строк: {result.rejected_rows}; полный список — {out / 'problems.csv'}")
        for group in groups[:GROUPS_SHOWN]:
            print(f"— {group.line()}")
        if len(groups) > GROUPS_SHOWN:
            print(f"… и ещё {len(groups) - GROUPS_SHOWN} видов (см. problems.csv)")
    return result.exit_code


def _generate(args: argparse.Namespace) -> int:
    from opora.demo.generator import generate

    try:
        summary = generate(scale=args.scale, years=args.years, seed=args.seed, out=Path(args.out))
    except ValueError as exc:  # wrong arguments: a Russian one-line reason, no traceback
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    print(summary)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from opora.web.demo import run_demo

    return run_demo(port=args.port, host=args.host, reset=args.reset)


def _manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opora manage", *argv])
    return 0


def _worker(argv: Sequence[str]) -> int:
    """Reset the work a dead worker left behind, then run django-tasks' ``db_worker``.

    A worker starting is the usual moment after a crash or a restart; only jobs stale by
    ``OPORA_STALLED_AFTER_MINUTES`` are reset, so starting one more worker next to live ones
    (scaling out) interrupts nothing they are doing. ``--sole-worker`` (the demo's supervisor
    restarting its only worker) resets everything running at once.
    """
    argv = list(argv)
    sole = "--sole-worker" in argv
    if sole:
        argv.remove("--sole-worker")
    _manage(["reset_stalled", "--quiet", *(["--sole-worker"] if sole else [])])
    return _manage(["db_worker", *argv])


def _template(args: argparse.Namespace) -> int:
    from opora.formats.templates.files import write_template

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        print("ошибка: --out должен оканчиваться на .xlsx или .csv", file=sys.stderr)
        return 2
    try:
        write_template(args.kind, out)
    except ValueError as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    print(f"шаблон «{args.kind}» записан в {out} (пояснения: docs/templates.md)")
    return 0


def _analyze(args: argparse.Namespace) -> int:
    from opora.cli.analyze import run

    return run(args)


def _docs_formats(_: argparse.Namespace) -> int:
    from opora.cli.docs import formats_markdown

    sys.stdout.write(formats_markdown())
    return 0


def _docs_glossary(_: argparse.Namespace) -> int:
    from opora.cli.docs import glossary_markdown

    sys.stdout.write(glossary_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opora", description="Опора — работа со ШНОР и ШНСУ")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="запустить Опору с демонстрационным муниципалитетом")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--reset", action="store_true", help="удалить демо-базу и создать заново")
    demo.set_defaults(handler=_demo)

    read = sub.add_parser("read", help="прочитать файл в нормализованные таблицы")
    read.add_argument("file")
    from opora.formats.registry import FORMATS

    read.add_argument("--format", default="auto", help=" | ".join(FORMATS))
    read.add_argument("--out", required=True, help="каталог для Parquet и problems.csv")
    for name in ("school", "region", "municipality", "procedure", "subject"):
        read.add_argument(f"--{name}", default=None)
    read.add_argument("--grade", type=int, default=None)
    read.add_argument("--year", type=int, default=None)
    read.set_defaults(handler=_read)

    gen = sub.add_parser("generate", help="сгенерировать синтетический набор данных")
    gen.add_argument("--scale", choices=("municipality", "region", "country"), default="municipality")
    gen.add_argument("--years", type=int, default=3)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--out", required=True)
    gen.set_defaults(handler=_generate)

    template = sub.add_parser("template", help="записать пустой шаблон для заполнения (XLSX или CSV)")
    template.add_argument("kind", choices=("results", "aggregates", "context", "markers",
                                           "rechecks", "staff", "diagnostics", "courses",
                                           "events", "risk_profile", "roadmap"))
    template.add_argument("--out", required=True, help="файл .xlsx или .csv")
    template.set_defaults(handler=_template)

    analyze = sub.add_parser("analyze", help="анализ: ШНОР, ШНСУ, необъективность, пары")
    from opora.cli.analyze import add_arguments

    add_arguments(analyze)
    analyze.set_defaults(handler=_analyze)

    docs = sub.add_parser("docs-formats", help="напечатать docs/formats.md")
    docs.set_defaults(handler=_docs_formats)
    glossary = sub.add_parser("docs-glossary", help="напечатать docs/glossary.md")
    glossary.set_defaults(handler=_docs_glossary)

    sub.add_parser("manage", help="команды Django (migrate, createsuperuser, …)", add_help=False)
    sub.add_parser("worker", help="обработчик фоновых задач (импорт, анализ)")
    sub.add_parser("report", help="отчёт: справка, протокол, профиль школы, таблицы "
                   "показателей, экспертный лист (DOCX, PDF, XLSX)",
                   add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    if argv[:1] == ["worker"]:
        return _worker(argv[1:])
    if argv[:1] == ["report"]:  # the reports app's command (opora manage report …)
        return _manage(["report", *argv[1:]])
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code
