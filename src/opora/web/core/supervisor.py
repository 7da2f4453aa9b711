"""Keep a background worker alive: start it, watch it, start it again when it dies.

The demo runs one ``opora worker`` beside the site. Should it die (killed, out of memory), every
later upload and run would wait forever; so :class:`WorkerSupervisor` checks it every second and
starts a new one with ``--sole-worker``: being the only worker, the new one marks at once what
the dead one was doing as interrupted («Обработка прервана…», offered for «Обработать заново»)
and goes on with the queue. A worker that keeps dying right after its start is restarted with a
growing pause (2, 4, … 60 s), so a broken installation does not spin.

In production the service manager does this (systemd ``Restart=always``, docs/operations.md);
there several workers may run, so the reset waits for the stall threshold instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import IO

WORKER = (sys.executable, "-m", "opora.cli", "worker")
_QUICK_DEATH_SECONDS = 10.0
_MAX_PAUSE_SECONDS = 60.0


class WorkerSupervisor:
    """Run ``command`` (``opora worker`` by default) and restart it whenever it exits."""

    def __init__(self, command: Sequence[str] = WORKER, *, env: dict[str, str] | None = None,
                 check_every: float = 1.0, stdout: IO[bytes] | None = None,
                 say: IO[str] | None = None) -> None:
        self.command = list(command)
        self.env = dict(env if env is not None else os.environ)
        self.check_every = check_every
        self.stdout = stdout
        self.say = say or sys.stderr
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._quick_deaths = 0

    def start(self) -> None:
        self.process = self._spawn(restart=False)
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching, then ask the worker to finish (SIGTERM), killing it after ``timeout``."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self, *, restart: bool) -> subprocess.Popen[bytes]:
        command = [*self.command, "--sole-worker"] if restart else self.command
        return subprocess.Popen(command, env=self.env, stdout=self.stdout,
                                stderr=subprocess.STDOUT if self.stdout else None)

    def _watch(self) -> None:
        started = time.monotonic()
        while not self._stopping.wait(self.check_every):
            assert self.process is not None
            code = self.process.poll()
            if code is None:
                continue
            quick = time.monotonic() - started < _QUICK_DEATH_SECONDS
            self._quick_deaths = self._quick_deaths + 1 if quick else 0
            pause = min(_MAX_PAUSE_SECONDS, 2.0 ** self._quick_deaths) if quick else 0.0
            print(f"Фоновый обработчик остановился (код {code}). "
                  + (f"Запускаю заново через {pause:g} с. " if pause else "Запускаю заново. ")
                  + "Прерванные им задачи будут отмечены — их можно обработать заново.",
                  file=self.say, flush=True)
            if pause and self._stopping.wait(pause):
                return
            self.process = self._spawn(restart=True)
            self.restarts += 1
            started = time.monotonic()
