"""The framelens binary: where it is, how it is run, what its errors mean."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Sequence

#: Exit codes of the binary (docs/errors.md): 0 complete; 1 nothing usable
#: (a fatal error, a bad flag or config, no document analysed); 2 complete,
#: but some documents failed (run.json lists them); 130 interrupted.
EXIT_OK, EXIT_FAILED, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 130


class FramelensError(RuntimeError):
    """framelens stopped with an error. ``str(e)`` is framelens's own
    message; ``exit_code`` the binary's exit status (1 when the error was
    found in Python before the binary ran); ``stderr`` what it printed."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED, stderr: str = ""):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr


def binary() -> Path:
    """The framelens binary used: ``$FRAMELENS_BIN``, else the one installed
    with this package."""
    env = os.environ.get("FRAMELENS_BIN")
    if env:
        p = Path(env)
        if not p.is_file():
            raise FramelensError(f"FRAMELENS_BIN={env}: no such file")
        return p
    exe = "framelens.exe" if os.name == "nt" else "framelens"
    p = Path(__file__).resolve().parent / "bin" / exe
    if not p.is_file():
        raise FramelensError(
            f"the framelens binary is missing from the package ({p}): install with "
            "`pip install ./python` from a framelens checkout (needs Go) or from a wheel "
            "(`make wheel`), or set FRAMELENS_BIN to a framelens binary"
        )
    return p


def binary_version() -> str:
    """The version the binary reports (``framelens version``), e.g. "0.1.0"."""
    res = subprocess.run([str(binary()), "version"], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise FramelensError(message_of(res.stderr.splitlines()) or "framelens version failed", res.returncode, res.stderr)
    # "framelens 0.1.0 (table schema 3, go1.26.8)"
    parts = res.stdout.split()
    return parts[1] if len(parts) > 1 else ""


def message_of(lines: Sequence[str]) -> str:
    """framelens's error: what it printed from its last "framelens: …"
    line on (a message may span lines: a config's YAML errors), else its
    last line."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("framelens:"):
            first = lines[i][len("framelens:") :].strip()
            return "\n".join([first, *(l.rstrip() for l in lines[i + 1 :] if l.strip())])
    return lines[-1].strip() if lines else ""
