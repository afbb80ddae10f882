"""Speed and memory of slagen against the tools it is measured by.

Run:  .venv/bin/python bench/run.py [--repeat N]     (about 12 minutes with the default 7)

Builds the largest bundled example and a generated large agreement (50
services x 6 metrics) and compares, side by side in one run:
  - `slagen build -f docx` against pandoc converting slagen's own Markdown;
  - `slagen build -f pdf` against WeasyPrint alone rendering slagen's own HTML;
  - `slagen --help` against a bare `python -c pass`;
  - peak memory (max RSS) of the large PDF build.
Prints a Markdown table; copy it into bench/README.md with the date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLAGEN = [str(BIN / "slagen")]
# As a user runs it: Python may write bytecode (some shells and CI images turn that off,
# which would make every run compile slagen's modules again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) in seconds, and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def interleaved(ours: list[str], theirs: list[str], repeat: int
                ) -> tuple[tuple[float, float, int], tuple[float, float, int]]:
    """Median wall and CPU time and largest peak RSS of each command.

    One untimed run of each first (bytecode, caches and the file system warm),
    then the two commands take turns, so a slow spell on the machine hits both.
    """
    run_once(ours)
    run_once(theirs)
    runs: tuple[list[tuple[float, float, int]], list[tuple[float, float, int]]] = ([], [])
    for _ in range(repeat):
        runs[0].append(run_once(ours))
        runs[1].append(run_once(theirs))
    return tuple((statistics.median(r[0] for r in side),  # type: ignore[return-value]
                  statistics.median(r[1] for r in side),
                  max(r[2] for r in side)) for side in runs)


def large_agreement(folder: Path, services: int = 50, metrics: int = 6) -> Path:
    """The SaaS example with its service copied `services` times, `metrics` each."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "saas-crm.yaml").read_text())
    template = data["services"][0]
    kinds = template["metrics"]
    out = []
    for n in range(services):
        service = dict(template, id=f"svc{n:02d}", name=f"Business application {n + 1:02d}")
        service.pop("tier", None)
        service["metrics"] = [dict(kinds[i % len(kinds)], id=f"{kinds[i % len(kinds)]['id']}-{i}")
                              for i in range(metrics)]
        for metric in service["metrics"]:
            if "targets" in metric:
                metric["target"] = metric.pop("targets")["premium"]
        out.append(service)
    data["services"] = out
    data["teams"], data["suppliers"] = [], []
    for duty in data["responsibilities"]["customer"]:
        if isinstance(duty, dict):
            duty.pop("affects", None)
    data.pop("tiers", None)
    data["agreement"]["id"] = "BENCH-LARGE"
    path = folder / "large.yaml"
    class Dumper(yaml.SafeDumper):  # slagen refuses anchors: write every value out
        def ignore_aliases(self, data: object) -> bool:
            return True

    path.write_text(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True))
    return path


def compare(name: str, ours: list[str], theirs: list[str], repeat: int,
            goal: str) -> tuple[str, ...]:
    (ours_t, ours_cpu, ours_mem), (theirs_t, theirs_cpu, _) = interleaved(ours, theirs, repeat)
    return (name, f"{ours_t:.2f} s", f"{theirs_t:.2f} s", f"{ours_t / theirs_t:.2f}x",
            f"{ours_cpu / theirs_cpu:.2f}x", goal, f"{ours_mem / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7,
                        help="timed runs of each command, taking turns (default 7)")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        raise SystemExit("pandoc is needed for the comparison: apt-get install pandoc")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [("largest example", ROOT / "examples" / "managed-network.yaml"),
                 ("50 services x 6 metrics", large_agreement(folder))]
        for label, agreement in cases:
            out = folder / label.split()[0]
            base = [*SLAGEN, "build", str(agreement), "-o", str(out), "--force", "--no-ola"]
            subprocess.run([*base, "-f", "md,html"], check=True, capture_output=True, env=ENV)
            md = next(out.glob("*-sla.md"))
            html = next(out.glob("*-sla.html"))
            rows.append(compare(f"DOCX, {label}", [*base, "-f", "docx"],
                                ["pandoc", str(md), "-o", str(folder / "pandoc.docx")],
                                args.repeat, "no slower than pandoc"))
            rows.append(compare(f"PDF, {label}", [*base, "-f", "pdf"],
                                [sys.executable, "-m", "weasyprint", "--base-url",
                                 str(ROOT / "templates") + "/", str(html),
                                 str(folder / "weasy.pdf")],
                                args.repeat, "within 15% of WeasyPrint"))
        rows.append(compare("`slagen --help`", [*SLAGEN, "--help"],
                            [sys.executable, "-c", "pass"], max(args.repeat, 5),
                            "within 6x of python -c pass"))
    header = ("case", "slagen", "reference", "ratio", "CPU ratio", "goal", "peak RSS (slagen)")
    print(f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}, median of {args.repeat} runs.\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
