"""`make bench`: run every bench/bench_*.py in turn (or those named) and print what each reports.

A benchmark is a script bench/bench_<name>.py that prints its own figures and exits non-zero
on failure; adding one needs nothing here. `python bench/run.py export dashboards` runs only
those two. Sizes and engines reach every script through LINDUNG_BENCH_SIZES and
LINDUNG_BENCH_ENGINES (`make bench SIZES=… ENGINES=…` sets them).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        known = {script.stem.removeprefix("bench_"): script for script in scripts}
        unknown = [name for name in names if name not in known]
        if unknown:
            print(f"No benchmark {', '.join(unknown)}; there are: {', '.join(sorted(known))}.")
            return 2
        scripts = [known[name] for name in names]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"Failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
