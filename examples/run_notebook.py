"""Run a notebook headlessly and fail if any cell fails.

    python examples/run_notebook.py examples/notebooks/compare_framing.ipynb

The kernel is the Python running this script (its venv), not whatever
"python3" kernel a Jupyter installation happens to register: the kernel spec
is resolved with no kernel directories, so jupyter_client falls back to
ipykernel's own spec, which launches sys.executable. Nothing is installed or
registered.

The notebook file is never written. --output saves the executed copy
elsewhere (for looking at the plots).

Exit status: 0 when every cell ran, 1 when a cell raised (the cell and the
error are printed), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours of IPython tracebacks


def kernel_manager() -> KernelManager:
    """A kernel manager that starts ipykernel under this interpreter."""
    ksm = KernelSpecManager(kernel_dirs=[])  # ignore registered kernels
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ksm)
    argv0 = km.kernel_spec.argv[0]
    if Path(argv0).absolute() != Path(sys.executable).absolute():
        raise RuntimeError(f"kernel would run {argv0}, not {sys.executable}")
    return km


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebook", type=Path)
    ap.add_argument(
        "--cwd",
        type=Path,
        default=REPO_ROOT,
        help="working directory of the kernel (default: the repository root)",
    )
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument(
        "--output",
        type=Path,
        help="save the executed notebook here (never over the input)",
    )
    args = ap.parse_args(argv)

    src = args.notebook.resolve()
    if not src.is_file():
        print(f"run_notebook: {args.notebook}: no such file", file=sys.stderr)
        return 2
    if args.output is not None and args.output.resolve() == src:
        print("run_notebook: --output must not be the notebook itself", file=sys.stderr)
        return 2

    # The kernel inherits the environment: a relative FRAMELENS_OUT means
    # relative to where we were started, not to the kernel's directory.
    out = os.environ.get("FRAMELENS_OUT")
    if out and not os.path.isabs(out):
        os.environ["FRAMELENS_OUT"] = os.path.abspath(out)
    # Plots render with the inline (Agg-based) backend; no display needed.
    os.environ.pop("DISPLAY", None)

    nb = nbformat.read(src, as_version=4)
    km = kernel_manager()
    client = NotebookClient(
        nb,
        km=km,
        timeout=args.timeout,
        allow_errors=False,
        # The kernel's own start-up chatter (a warning about its local TCP
        # transport) is noise here; cell errors still reach us as outputs.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(args.cwd.resolve())}},
    )
    print(f"run_notebook: {src} (kernel {km.kernel_spec.argv[0]}, cwd {args.cwd.resolve()})")
    t0 = time.monotonic()
    status = 0
    try:
        client.execute()
    except CellExecutionError as e:
        status = 1
        index = _failed_cell(nb)
        print(f"run_notebook: cell {index} (0-based, all cells) failed", file=sys.stderr)
        msg = str(e)
        if not sys.stderr.isatty():
            msg = ANSI.sub("", msg)
        print(msg, file=sys.stderr)
    except CellTimeoutError as e:
        status = 1
        print(f"run_notebook: a cell timed out: {e}", file=sys.stderr)
    finally:
        if args.output is not None:
            nbformat.write(nb, args.output)
    if status == 0:
        n = sum(1 for c in nb.cells if c.cell_type == "code")
        print(f"run_notebook: {n} code cells ran in {time.monotonic() - t0:.1f} s")
    return status


def _failed_cell(nb) -> int:
    """Index (0-based, counting all cells) of the first cell with an error output."""
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                return i
    return -1


if __name__ == "__main__":
    sys.exit(main())
