"""Loading many ВПР forms: 500 through the import page, 20 000 through the command (issue 18).

    .venv/bin/python bench/bench_import_forms.py [--web 500] [--cli 20000] [--per-request 500]
        [--gunicorn-workers 3] [--keep]

1. Writes the forms (``bench/import_forms_data.py``: the sample's layout, every file different,
   named ``edu<login>_<РУ|МА>_<grade>_2025.xlsx``) and a fresh PostgreSQL database
   ``opora_bench_imp`` (127.0.0.1:5432, user postgres; dropped at the end unless ``--keep``) with
   one region: the web municipality's schools and, for the command, 20 municipalities of schools
   (10 works a school, so 500 forms are 50 schools and 20 000 are 2 000).
2. **The page, end to end, as deployed:** gunicorn serves the site (``--preload``, every process
   warmed by a few requests first, as a running server is), ``opora worker`` runs the
   background tasks (both against that database); a coordinator signs in, sends the files in
   one POST of the upload form (``--per-request`` files a POST), and then polls the job's
   progress fragment every second as the page does, until no file is left to process. Reported:
   the POST, the time to the last file done, and what the page said on the way. Target: under
   60 s for 500 forms. The same files opened by python-calamine alone in the same run are the
   floor the ratio is given against.
3. **The command:** ``opora manage import`` with all the files (a new process, as an
   administrator runs it); its floor is python-calamine opening the same files and turning every
   sheet into Python rows, in one process (as ``bench/bench_read_vpr.py`` does). Reported: both
   times, files per second and the ratio.

Both checks count what reached the database (batches, results) and refuse to report a run where
a file was not loaded. Results: stdout and ``bench/out/import_forms.md``; load averages beside
every figure (2 shared cores: ratios are what compare).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench_web_load as web
from bench_read_vpr import time_calamine
from bench_web_load import _free_port, _psql, _wait_until_up, sign_in
from import_forms_data import WORKS_PER_SCHOOL, schools_needed, write_forms

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "import_forms.md"
DB_NAME = "opora_bench_imp"
PASSWORD = web.PASSWORD  # sign_in is the web bench's
WEB_FIRST_SCHOOL = 100_000
CLI_FIRST_SCHOOL = 200_000
CLI_MUNICIPALITIES = 20

_SETUP = r"""
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from opora.web.accounts import models as roles
from opora.web.schools.models import School
from opora.web.schools.services import municipality_get_or_create, region_get_or_create
call_command("migrate", interactive=False, verbosity=0)
web_first, web_n, cli_first, cli_n, cli_munis, password = sys.argv[1:7]
region = region_get_or_create(name="Бенч-область")
web = municipality_get_or_create(region=region, name="Бенч-муниципалитет")
def schools(municipality, first, count):
    School.objects.bulk_create([School(municipality=municipality, key=f"S{first + i}",
                                       short_name=f"Школа № {first + i}", number=first + i,
                                       fis_oko_login=f"edu{first + i:06d}")
                                for i in range(count)])
schools(web, int(web_first), int(web_n))
munis, per = int(cli_munis), -(-int(cli_n) // int(cli_munis))
for m in range(munis):
    municipality = municipality_get_or_create(region=region, name=f"Бенч-округ {m + 1}")
    first = int(cli_first) + m * per
    schools(municipality, first, max(0, min(per, int(cli_n) - m * per)))
user = get_user_model().objects.create_user("bench-coordinator", password=password)
roles.RoleAssignment.objects.create(user=user, role=roles.COORDINATOR, municipality=web)
print(web.pk)
"""

_COUNT = r"""
import json, sys
import django
django.setup()
from opora.web.assessment.models import StudentResult
from opora.web.imports.models import ImportBatch
prefix = sys.argv[1]
batches = ImportBatch.objects.filter(original_name__startswith=prefix)
print(json.dumps({"succeeded": batches.filter(status="succeeded").count(),
                  "failed": batches.filter(status="failed").count(),
                  "results": StudentResult.objects.filter(
                      batch__original_name__startswith=prefix).count()}))
"""


def load() -> str:
    return " / ".join(f"{v:.1f}".replace(".", ",") for v in os.getloadavg())


def _env(data_dir: Path) -> dict[str, str]:
    """The web bench's environment (no shared cache) on this bench's database."""
    env = web._env(data_dir, "memory")
    env["OPORA_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    return env


def _child(code: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


# ---- the page ---------------------------------------------------------------------------------

def _get(port: int, path: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read().decode()


def _multipart(fields: dict[str, str], files: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for path in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="uploads"; '
                     f'filename="{path.name}"\r\nContent-Type: application/vnd.openxmlformats-'
                     "officedocument.spreadsheetml.sheet\r\n\r\n".encode())
        parts.append(path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(port: int, cookie: str, target: str, files: list[Path]) -> int:
    """POST the upload form with ``files``; the job's number from the redirect."""
    status, page = _get(port, "/imports/", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token, f"the upload page answered {status}"
    body, content_type = _multipart({"csrfmiddlewaretoken": token.group(1), "target": target},
                                    files)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", "/imports/", body=body, headers={
        "Content-Type": content_type, "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{port}/imports/"})
    response = conn.getresponse()
    text = response.read().decode()
    location = response.getheader("Location") or ""
    found = re.search(r"/imports/(\d+)/", location)
    if response.status != 302 or not found:
        errors = re.findall(r'<ul class="error">(.*?)</ul>', text, re.S)
        raise SystemExit(f"the upload was refused: HTTP {response.status} {errors[:2]}")
    return int(found.group(1))


def progress_of(fragment: str) -> tuple[int, int, bool]:
    """(files finished, files in all, still running) as the progress fragment shows them."""
    running = 'hx-trigger="every' in fragment
    counted = re.search(r'data-done="(\d+)" data-total="(\d+)"', fragment)
    if counted:
        return int(counted.group(1)), int(counted.group(2)), running
    states = re.findall(r'<tr class="entry-(\w+)">', fragment)  # before issue 18: rows only
    return sum(s not in ("queued", "running") for s in states), len(states), running


def measure_page(args: argparse.Namespace, paths: list[Path], env: dict[str, str],
                 data_dir: Path, municipality: int) -> dict[str, object]:
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 — closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "opora.web.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers), "--timeout", "600",
         "--preload", "--log-level", "warning"], env=env, stdout=log, stderr=log)
    worker = subprocess.Popen([str(REPO / ".venv" / "bin" / "opora"), "worker"], env=env,
                              stdout=log, stderr=log)
    try:
        _wait_until_up(port, server)
        cookie = sign_in(port, "bench-coordinator")
        with ThreadPoolExecutor(args.gunicorn_workers) as pool:  # every process warm, as deployed
            list(pool.map(lambda _: _get(port, "/imports/", cookie), range(4 * args.gunicorn_workers)))
        time.sleep(3)  # the worker's start-up (reset_stalled, its first poll)
        out: dict[str, object] = {"load_before": load()}
        start = time.perf_counter()
        jobs, posts = [], []
        for at in range(0, len(paths), args.per_request):
            began = time.perf_counter()
            jobs.append(upload(port, cookie, f"m{municipality}", paths[at:at + args.per_request]))
            posts.append(time.perf_counter() - began)
        out["post"] = sum(posts)
        seen: list[tuple[float, int]] = []
        polls = []
        pending = list(jobs)
        while pending:
            time.sleep(1.0)
            done_all = 0
            for job in list(jobs):
                began = time.perf_counter()
                status, fragment = _get(port, f"/imports/{job}/progress/", cookie)
                polls.append(time.perf_counter() - began)
                assert status == 200, f"progress answered {status}"
                done, _total, running = progress_of(fragment)
                done_all += done
                if not running and job in pending:
                    pending.remove(job)
            seen.append((time.perf_counter() - start, done_all))
            if time.perf_counter() - start > args.give_up:
                raise SystemExit(f"not finished after {args.give_up} s: {seen[-3:]}")
        out["total"] = time.perf_counter() - start
        out["load_after"] = load()
        out["first_done"] = next((t for t, d in seen if d > 0), None)
        out["seen"] = [(round(t, 1), d) for t, d in seen]
        out["poll_p50"] = sorted(polls)[len(polls) // 2]
        out["poll_max"] = max(polls)
        out["jobs"] = jobs
        return out
    finally:
        for process in (worker, server):
            process.send_signal(signal.SIGTERM)
        for process in (worker, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


# ---- the command ------------------------------------------------------------------------------

def measure_command(paths: list[Path], env: dict[str, str], list_file: Path) -> dict[str, object]:
    out: dict[str, object] = {"load_before": load()}
    start = time.perf_counter()
    done = subprocess.run([str(REPO / ".venv" / "bin" / "opora"), "manage", "import",
                           *map(str, paths)], env=env, capture_output=True, text=True)
    out["seconds"] = time.perf_counter() - start
    out["load_after"] = load()
    out["exit"] = done.returncode
    out["tail"] = (done.stdout + done.stderr).strip().splitlines()[-3:]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", type=int, default=500, help="forms through the page")
    parser.add_argument("--cli", type=int, default=20_000, help="forms through the command")
    parser.add_argument("--per-request", type=int, default=500, help="files in one POST")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=1800)
    parser.add_argument("--keep", action="store_true", help="keep the database and the files")
    parser.add_argument("--label", default="", help="a note for the report (e.g. «до»)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="opora-bench-imp-"))
    env = _env(tmp / "data")
    report: dict[str, object] = {"label": args.label, "web": args.web, "cli": args.cli}
    try:
        began = time.perf_counter()
        web_paths = write_forms(tmp / "web", args.web, first_school=WEB_FIRST_SCHOOL)
        cli_paths = write_forms(tmp / "cli", args.cli, first_school=CLI_FIRST_SCHOOL, seed=19)
        print(f"бланков записано: {args.web} + {args.cli} за {time.perf_counter() - began:.1f} с",
              flush=True)
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _psql(f"CREATE DATABASE {DB_NAME}")
        municipality = int(_child(_SETUP, env, str(WEB_FIRST_SCHOOL), str(schools_needed(
            args.web)), str(CLI_FIRST_SCHOOL), str(schools_needed(args.cli)),
            str(CLI_MUNICIPALITIES), PASSWORD))
        if args.web:
            time_calamine(web_paths[:20])
            report["web_floor"] = time_calamine(web_paths)
            report["web_floor_load"] = load()
            page = measure_page(args, web_paths, env, tmp / "data", municipality)
            page["db"] = json.loads(_child(_COUNT, env, "edu1"))
            report["page"] = page
            print(json.dumps(page, ensure_ascii=False), flush=True)
        if args.cli:
            report["cli_floor"] = time_calamine(cli_paths)
            report["cli_floor_load"] = load()
            command = measure_command(cli_paths, env, tmp / "files.txt")
            command["db"] = json.loads(_child(_COUNT, env, "edu2"))
            report["command"] = command
            print(json.dumps(command, ensure_ascii=False), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            try:
                _psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            except Exception as exc:
                print(f"база {DB_NAME} не удалена: {exc}")
        else:
            print(f"оставлено: {tmp}, база {DB_NAME}")
    write_report(report)
    return 0


def _n(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def write_report(report: dict[str, object]) -> None:
    lines = [f"### {time.strftime('%d.%m.%Y %H:%M')} {report['label']}".rstrip(), ""]
    page = report.get("page")
    if isinstance(page, dict):
        db = page["db"]
        floor = float(report["web_floor"])  # type: ignore[arg-type]
        lines += [
            f"Сайт: {report['web']} бланков ВПР ({schools_needed(int(report['web']))} школ × "  # type: ignore[call-overload]
            f"{WORKS_PER_SCHOOL} работ), gunicorn + `opora worker`, PostgreSQL.", "",
            "| что | с | нагрузка (1/5/15 мин) |", "|---|---:|---|",
            f"| отправка формы (POST, все файлы) | {_n(page['post'])} | {page['load_before']} |",
            f"| от начала отправки до последнего обработанного файла | **{_n(page['total'])}** "
            f"| {page['load_after']} |",
            f"| python-calamine, только открыть те же файлы | {_n(floor, 2)} | "
            f"{report['web_floor_load']} |", "",
            f"Отношение к calamine: {_n(page['total'] / floor)}×. Загружено файлов: "
            f"{db['succeeded']}, отклонено: {db['failed']}, результатов: {db['results']}. "
            f"Первый файл готов через {_n(page['first_done'] or 0)} с; опрос страницы хода: "
            f"медиана {_n(page['poll_p50'] * 1000, 0)} мс, наибольший "
            f"{_n(page['poll_max'] * 1000, 0)} мс.", ""]
    command = report.get("command")
    if isinstance(command, dict):
        db = command["db"]
        floor = float(report["cli_floor"])  # type: ignore[arg-type]
        n = int(report["cli"])  # type: ignore[call-overload]
        lines += [
            f"Команда: `opora manage import` с {n} бланками ({schools_needed(n)} школ, "
            f"{CLI_MUNICIPALITIES} муниципалитетов), код выхода {command['exit']}.", "",
            "| что | с | файлов/с | нагрузка (1/5/15 мин) |", "|---|---:|---:|---|",
            f"| `opora manage import` | **{_n(command['seconds'])}** | "
            f"{_n(n / command['seconds'])} | {command['load_before']} → {command['load_after']} |",
            f"| python-calamine, только открыть | {_n(floor)} | {_n(n / floor)} | "
            f"{report['cli_floor_load']} |", "",
            f"Отношение к calamine: **{_n(command['seconds'] / floor)}×**. Загружено файлов: "
            f"{db['succeeded']}, отклонено: {db['failed']}, результатов: {db['results']}.", ""]
    text = "\n".join(lines) + "\n"
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
