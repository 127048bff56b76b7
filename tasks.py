#!/usr/bin/env python3
"""Set up and run casemap's tasks with nothing but Python 3.11+ (no make, no global installs).

python3 tasks.py map         # create .venv, install, build output/map.html
python3 tasks.py test        # create .venv, install test tools, Chromium and gmt-dcw (apt), axe-core (npm), run ruff,
                             # mypy, all tests
python3 tasks.py regenerate  # rebuild data/layers from the raw datasets
python3 tasks.py bench       # run the benchmark (bench/RESULTS.md)
python3 tasks.py screenshots # write the README's screenshots (docs/screenshot*.png), the same bytes every time
python3 tasks.py docs        # write docs/data-schema.md from the schema declaration (geo/casefile/schema.py)
python3 tasks.py pdf         # print the map to output/case.pdf (A4) with the tests' Chromium; builds the map if stale
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
# Debian packages the tests need: the browser that opens the map, the raw boundaries regeneration reads,
# and a CJK font so Chinese names render in screenshots (1.8 MB).
SYSTEM_PACKAGES = {
    "/usr/bin/chromium": "chromium",
    "/usr/share/gmt-dcw/dcw-gmt.nc": "gmt-dcw",
    # rivers and lakes: GSHHG 2.3.7 at high resolution (11 MB) and GMT, which reads its binned files
    "/usr/share/gmt-gshhg/binned_river_h.nc": "gmt-gshhg-high",
    "/usr/bin/gmt": "gmt",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf": "fonts-droid-fallback",
}
# axe-core, the accessibility checker the browser tests inject into the page, pinned by its npm lockfile.
AXE_FOLDER = ROOT / "tests" / "browser" / "axe"


def run(*command: str | Path) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)  # noqa: S603 - our own fixed commands


def ensure_venv(extra: str) -> None:
    """Create .venv and install the project with an extra, once per version of pyproject.toml."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs before anything checks the version
        sys.exit(f"casemap needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        run(sys.executable, "-m", "venv", VENV)
    stamp = VENV / f".installed-{extra or 'base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]" if extra else ".")
    stamp.write_text(wanted)


def compile_sources() -> None:
    """Compile the project's own modules to bytecode once, as pip does for the packages it installs (an editable
    install is not compiled). Where PYTHONDONTWRITEBYTECODE is set, as on this project's build machines, Python would
    otherwise compile every module from source at every run: 0.12 s of a default build of about 1.3 s under cProfile
    (bench/RESULTS.md), 1.64 s against 1.76 s median wall over five interleaved pairs (27 November). The bytecode
    goes to __pycache__ folders, which git ignores; compileall leaves a file whose bytecode is current alone.

    Only a speed-up, so it never fails the task: in a tree that cannot be written (a read-only checkout, a folder of
    another user) compileall exits 1 with an error per module, and Python then runs the modules from source as it
    did before. A syntax error is left to the import that follows, which names it."""
    # Timestamp checks, even where SOURCE_DATE_EPOCH is set (tasks.py map sets it): there compileall would write
    # hash-checked bytecode, whose source every import reads and hashes again.
    command = [str(PYTHON), "-m", "compileall", "-q", "--invalidation-mode", "timestamp", "geo", "bench"]
    print("+", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 - fixed words
    if done.returncode != 0:
        lines = done.stdout.splitlines()
        first = next((n for n, line in enumerate(lines) if line.startswith("*** ")), None)
        found = " ".join(lines[first : first + 2]) if first is not None else "no message"
        print(
            f"note: compileall exited {done.returncode} ({found}); the modules run from source, only more slowly."
            " To compile them, make geo/ and bench/ writable for this user.",
            flush=True,
        )


def ensure_system_packages() -> None:
    """Install the Debian packages the tests need, when missing and when apt-get can be used."""
    missing = [package for path, package in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    apt = shutil.which("apt-get")
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:  # noqa: S607
            prefix = ["sudo", "-n"]
        else:
            apt = None
    if apt is None:
        print(
            f"note: cannot install {', '.join(missing)} (needs apt-get as root); the tests that need them "
            "will skip here and fail in CI",
            flush=True,
        )
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["update", "-q"], ["install", "-y", "-q", "--no-install-recommends", *missing]):
        print("+", " ".join([*prefix, apt, *command]), flush=True)
        subprocess.run([*prefix, apt, *command], check=True, env=env)  # noqa: S603


def ensure_axe() -> None:
    """Install the pinned axe-core into tests/browser/axe/node_modules (git-ignored) with npm ci, once per version."""
    lock = json.loads((AXE_FOLDER / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"]["node_modules/axe-core"]["version"]
    installed = AXE_FOLDER / "node_modules" / "axe-core" / "package.json"
    if installed.exists() and json.loads(installed.read_text(encoding="utf-8")).get("version") == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        print(
            f"note: cannot install axe-core {wanted} (needs npm); the accessibility tests skip here and fail in CI",
            flush=True,
        )
        return
    # npm ci installs exactly what the lockfile names (its integrity hash checked); no install scripts are run.
    run(npm, "ci", "--prefix", AXE_FOLDER, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")


def map_is_stale(page: Path) -> bool:
    """True when the built page is missing or older than anything it is built from (the case data, the engine)."""
    if not page.is_file():
        return True
    built = page.stat().st_mtime
    inputs = [ROOT / "build_map.py", *(ROOT / "data").rglob("*"), *(ROOT / "geo").rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > built for path in inputs)


def pin_build_date() -> None:
    """The date a map cites (geo/export/cite.py) is SOURCE_DATE_EPOCH when set, else the newest case file's mtime,
    which in a fresh clone is the checkout time. In a git checkout whose case folder has no uncommitted change, the
    date of the last commit that touched it says when the case data last changed; set it unless the caller did."""
    if "SOURCE_DATE_EPOCH" in os.environ or shutil.which("git") is None or not (ROOT / ".git").exists():
        return
    git = ["git", "-C", str(ROOT)]

    def ask(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*git, *words], capture_output=True, text=True, check=False)  # noqa: S603 - fixed words

    dirty, last = ask("status", "--porcelain", "--", "data"), ask("log", "-1", "--format=%ct", "--", "data")
    if dirty.returncode == 0 and not dirty.stdout.strip() and last.returncode == 0 and last.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = last.stdout.strip()


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "map"
    if task in {"map", "pdf", "screenshots"}:
        pin_build_date()
    if task == "map":
        ensure_venv("")
        compile_sources()
        run(PYTHON, "build_map.py", *argv[1:])
    elif task == "test":
        ensure_venv("test")
        ensure_system_packages()
        ensure_axe()
        compile_sources()
        run(PYTHON, "-m", "ruff", "check", ".")
        run(PYTHON, "-m", "mypy")  # strict, over the files [tool.mypy] names
        run(PYTHON, "-m", "pytest", *argv[1:])
    elif task == "regenerate":
        ensure_venv("regenerate")
        ensure_system_packages()
        run(PYTHON, "build_map.py", "regenerate", *argv[1:])
    elif task == "screenshots":
        # The same tools as the tests (Playwright, Debian's Chromium, the CJK font the names need).
        ensure_venv("test")
        ensure_system_packages()
        with tempfile.TemporaryDirectory(prefix="casemap-screenshots-") as scratch:
            page = Path(scratch) / "map.html"
            run(PYTHON, "build_map.py", "--output", page)
            run(PYTHON, "docs/screenshots.py", page, *argv[1:])
    elif task == "docs":
        ensure_venv("")
        command = [str(PYTHON), "-m", "geo.casefile.schemadoc", *argv[1:]]
        print("+", " ".join(command), "> docs/data-schema.md", flush=True)
        text = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603
        (ROOT / "docs" / "data-schema.md").write_text(text, encoding="utf-8")
    elif task == "pdf":
        ensure_venv("test")  # Playwright drives the Chromium the tests use; pypdf counts the pages
        ensure_system_packages()
        page = ROOT / "output" / "map.html"
        if map_is_stale(page):
            run(PYTHON, "build_map.py", "--output", page)
        run(PYTHON, "casepdf.py", page, ROOT / "output" / "case.pdf", *argv[1:])
    elif task == "bench":
        ensure_venv("bench")
        ensure_system_packages()
        compile_sources()
        run(PYTHON, "bench/run.py", *argv[1:])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode or 1)
