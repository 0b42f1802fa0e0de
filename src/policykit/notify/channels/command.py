"""A command run once per job, with the job as JSON on stdin; exit 0 means delivered.

For anything policyctl has no channel for (a chat room, a status page, an
in-app message queue). The command runs in the project folder without a
shell; ``POLICYCTL_JOB_KEY`` in its environment and ``key`` in the JSON carry
the idempotency key. Any other exit status, or running past ``timeout``, is
retried; after ``max_attempts`` the job is dead.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from policykit.diagnostics import Diagnostic, error
from policykit.errors import NotifyError
from policykit.notify.channels.base import DeliveryError, audience_by_locale
from policykit.notify.outbox import Job
from policykit.notify.settings import ChannelSpec, ConfigMapping

KEYS = ("id", "type", "locales", "command", "timeout")


def _argv(value: object) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else [str(a) for a in value or []]  # type: ignore[attr-defined]


class CommandChannel:
    def __init__(self, spec: ChannelSpec, *, root: Path, argv: list[str], timeout: float) -> None:
        self.id = spec.id
        self.spec = spec
        self.root = root
        self.argv = argv
        self.timeout = timeout

    @classmethod
    def check(cls, spec: ChannelSpec, problems: list[Diagnostic]) -> None:
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, problems)
        value = spec.options.get("command")
        if value is None:
            problems.append(error(spec.pos, f"channel {spec.id!r} needs `command` (a list: program and "
                                  "arguments)", "notify.schema"))
        elif isinstance(value, str):
            try:
                if not shlex.split(value):
                    raise ValueError("empty")
            except ValueError as exc:
                problems.append(error(o.where("command"), f"channel {spec.id!r}: command: {exc}", "notify.schema"))
        else:
            o.strings("command")
        o.seconds("timeout", 60.0)

    @classmethod
    def open(cls, spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> CommandChannel:
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, [])
        argv = _argv(spec.options.get("command"))
        program = argv[0]
        if "/" in program:
            path = (root / program).resolve()
            if not os.access(path, os.X_OK):
                raise NotifyError(f"channel {spec.id!r}: {program} is not an executable file "
                                  f"(relative to {root})")
            argv[0] = str(path)
        elif shutil.which(program) is None:
            raise NotifyError(f"channel {spec.id!r}: command {program!r} is not on PATH")
        return cls(spec, root=root, argv=argv, timeout=o.seconds("timeout", 60.0))

    audience = staticmethod(audience_by_locale)

    def deliver(self, job: Job) -> None:
        data = json.dumps(job.as_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            done = subprocess.run(self.argv, input=data, cwd=self.root, capture_output=True, timeout=self.timeout,
                                  env={**os.environ, "POLICYCTL_JOB_KEY": job.key}, check=False)
        except subprocess.TimeoutExpired:
            raise DeliveryError(f"{self.argv[0]} ran longer than {self.timeout:g} s") from None
        except OSError as exc:
            raise DeliveryError(f"cannot run {self.argv[0]}: {exc}") from None
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["(no output on stderr)"]
            raise DeliveryError(f"exit {done.returncode}: {tail[0][:300]}")

    def close(self) -> None:
        pass
