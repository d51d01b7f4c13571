"""`python -m framelens …` (and the `framelens` script) run the binary."""

from __future__ import annotations

import os
import subprocess
import sys

from . import FramelensError, binary


def main() -> int:
    try:
        exe = str(binary())
    except FramelensError as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 1
    if os.name != "nt":
        os.execv(exe, [exe, *sys.argv[1:]])
    return subprocess.call([exe, *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
