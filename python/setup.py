"""Builds the framelens Go binary into the package (framelens/bin/framelens).

`pip install ./python` from a framelens checkout needs Go on the PATH: the
binary is compiled from the repository (the parent folder) at build time,
so nothing is downloaded at run time. A wheel built this way (`make wheel`)
carries the binary and is tagged for the current platform.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# framelens.bin is a package of its own (the binary only); on a fresh clone
# the folder does not exist yet, and setuptools refuses a missing package
# folder before build_py has compiled the binary into it.
(HERE / "framelens" / "bin").mkdir(exist_ok=True)


def go_version_const() -> str:
    """pipeline.Version, the binary's version, which the package shares."""
    src = (REPO / "pipeline" / "run.go").read_text()
    m = re.search(r'const Version = "([^"]+)"', src)
    if not m:
        raise RuntimeError("framelens: pipeline.Version not found in pipeline/run.go")
    return m.group(1)


def write_version() -> None:
    if (REPO / "pipeline" / "run.go").exists():
        v = go_version_const()
        (HERE / "framelens" / "_version.py").write_text(
            f'"""The framelens version (pipeline.Version), written by setup.py."""\n\n__version__ = "{v}"\n'
        )


class BuildWithGo(build_py):
    """Compiles cmd/framelens into the package before copying it."""

    def run(self) -> None:
        write_version()
        exe = "framelens.exe" if os.name == "nt" else "framelens"
        target = HERE / "framelens" / "bin" / exe
        if os.environ.get("FRAMELENS_PREBUILT"):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.environ["FRAMELENS_PREBUILT"], target)
        elif (REPO / "go.mod").exists():
            go = shutil.which("go")
            if go is None:
                sys.exit("framelens: building from source needs Go (https://go.dev) on the PATH, or a wheel")
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.check_call(
                # Static, without paths of this machine or debug symbols.
                [go, "build", "-trimpath", "-ldflags=-s -w", "-o", str(target), "./cmd/framelens"],
                cwd=REPO,
                env={**os.environ, "CGO_ENABLED": "0"},
            )
        elif not target.exists():
            sys.exit("framelens: no Go source beside this package and no binary in it")
        super().run()


cmdclass = {"build_py": BuildWithGo}

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel


class PlatformWheel(bdist_wheel):
    """The wheel holds a native binary: tag it for this platform only. The
    binary is static (CGO_ENABLED=0), so any Linux of manylinux2014 runs it."""

    def get_tag(self):
        plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        if plat.startswith("linux_"):
            plat = "manylinux2014_" + plat[len("linux_"):]
        return "py3", "none", plat


class BinaryDistribution(Distribution):
    """A distribution with a native part (the binary), so that the wheel is
    not "pure": its files install as platform files, at the wheel's root."""

    def has_ext_modules(self) -> bool:
        return True


cmdclass["bdist_wheel"] = PlatformWheel

write_version()
setup(cmdclass=cmdclass, distclass=BinaryDistribution)
