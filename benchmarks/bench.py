"""mitra's performance targets, measured side by side on this machine.

    python benchmarks/bench.py            # all three comparisons
    python benchmarks/bench.py startup    # or: batch, memory

Run it with the Python of the environment mitra is installed in (it calls the
`mitra` next to that interpreter).  It prints:

1. batch throughput: `mitra recommend --batch` on 100,000 random valid answer
   sets against the floor of any Python JSON Lines filter (a loop doing
   json.dumps(json.loads(line)) per line).  Target: at most 2x the floor.
   Both write to /dev/null, so the disk is not what is measured.
2. peak memory of the batch on 10,000 and on 100,000 lines (the process and
   its workers).  Target: less than 10 MiB apart.
3. start-up: the median wall time of `mitra patterns --json` and of
   `mitra recommend --answers FILE --json --no-input` (FILE in JSON, and in
   YAML as a person writes it) against
   `python -c "import typer"`, over interleaved runs.  Target: at most 1.3x.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
MITRA = str(Path(PYTHON).with_name("mitra"))
FLOOR = "import json, sys\nw = sys.stdout.write\nfor line in sys.stdin:\n    w(json.dumps(json.loads(line)) + '\\n')\n"
STARTUP_RUNS = 21


MAX_CHOSEN = 4  # a "many" question gets between its minimum and this many values


def random_answers(count: int, seed: int = 7) -> list[str]:
    """`count` random valid answer sets, one JSON object per line.

    Every answer is drawn uniformly; a "many" question gets a random number of
    distinct values between its minimum and MAX_CHOSEN, as people answer (the
    goals question asks for the few that really matter).
    """
    from mitra_cli import load_rules

    rules = load_rules()
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        answers: dict[str, object] = {}
        for question in rules.questions:
            if question.kind == "one":
                answers[question.id] = rng.choice(question.values)
            else:
                size = rng.randint(question.min_choices, MAX_CHOSEN)
                answers[question.id] = rng.sample(question.values, max(size, question.min_choices))
        lines.append(json.dumps(answers))
    return lines


def timed(command: list[str], stdin_path: str | None = None) -> tuple[float, int]:
    """Wall seconds, and the peak resident memory in KiB of the command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(stdin_path or os.devnull, "rb") as stdin, open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        completed = subprocess.run(command, stdin=stdin, stdout=devnull, check=False)
        elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def peak_kib(command: list[str], stdin_path: str) -> int:
    """Peak RSS (KiB) of one run, measured in a fresh process so earlier runs do not count."""
    probe = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({command!r}, stdin=open({stdin_path!r}, 'rb'), stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    return int(subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, check=True).stdout)


def bench_batch(workdir: Path) -> None:
    path = workdir / "answers-100000.jsonl"
    path.write_text("\n".join(random_answers(100_000)) + "\n")
    floor_script = workdir / "floor.py"
    floor_script.write_text(FLOOR)
    floor_times, mitra_times = [], []
    for _ in range(3):  # interleaved, best of three each
        floor_times.append(timed([PYTHON, str(floor_script)], str(path))[0])
        mitra_times.append(timed([MITRA, "recommend", "--batch"], str(path))[0])
    floor, mitra = min(floor_times), min(mitra_times)
    small = workdir / "answers-10000.jsonl"  # what-if re-scores every alternative: a tenth of the lines is enough
    small.write_text("\n".join(random_answers(10_000)) + "\n")
    what_if = timed([MITRA, "recommend", "--batch", "--what-if"], str(small))[0] * 10
    print("1. batch throughput, 100,000 answer sets (best of 3)")
    print(f"   floor (json.loads + json.dumps per line): {floor:6.2f} s  {100_000 / floor:10,.0f} lines/s")
    print(f"   mitra recommend --batch:                  {mitra:6.2f} s  {100_000 / mitra:10,.0f} answer sets/s")
    print(f"   ratio: {mitra / floor:.2f}x the floor (target: at most 2x) -> {'met' if mitra <= 2 * floor else 'NOT met'}")
    print(f"   with --what-if (10,000 lines, times 10): {what_if:6.2f} s  {100_000 / what_if:10,.0f} answer sets/s")


def bench_memory(workdir: Path) -> None:
    lines = random_answers(100_000, seed=11)
    small, large = workdir / "answers-10000.jsonl", workdir / "answers-100000-m.jsonl"
    small.write_text("\n".join(lines[:10_000]) + "\n")
    large.write_text("\n".join(lines) + "\n")
    command = [MITRA, "recommend", "--batch"]
    peak_small = peak_kib(command, str(small))
    peak_large = peak_kib(command, str(large))
    apart = abs(peak_large - peak_small) / 1024
    print("2. peak memory of --batch (largest process)")
    print(f"   10,000 lines:  {peak_small / 1024:6.1f} MiB")
    print(f"   100,000 lines: {peak_large / 1024:6.1f} MiB")
    print(f"   apart: {apart:.1f} MiB (target: less than 10 MiB) -> {'met' if apart < 10 else 'NOT met'}")


def bench_startup(workdir: Path) -> None:
    import yaml

    answers = workdir / "answers.json"
    answers.write_text(random_answers(1)[0])
    answers_yaml = workdir / "answers.yaml"  # as a person writes one: block style
    answers_yaml.write_text(yaml.safe_dump(json.loads(random_answers(1, seed=3)[0]), sort_keys=False))
    commands = {
        "python -c 'import typer'": [PYTHON, "-c", "import typer"],
        "mitra patterns --json": [MITRA, "patterns", "--json"],
        "mitra recommend --answers F.json --json --no-input": [
            MITRA,
            "recommend",
            "--answers",
            str(answers),
            "--json",
            "--no-input",
        ],
        "mitra recommend --answers F.yaml --json --no-input": [
            MITRA,
            "recommend",
            "--answers",
            str(answers_yaml),
            "--json",
            "--no-input",
        ],
    }
    for command in commands.values():  # warm the disk cache and mitra's rule cache
        timed(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(STARTUP_RUNS):
        for name, command in commands.items():
            samples[name].append(timed(command)[0])
    base = statistics.median(samples["python -c 'import typer'"])
    print(f"3. start-up, median of {STARTUP_RUNS} interleaved runs")
    for name, times in samples.items():
        median = statistics.median(times)
        verdict = (
            ""
            if name.startswith("python")
            else f"  {median / base:.2f}x (target: at most 1.3x) -> {'met' if median <= 1.3 * base else 'NOT met'}"
        )
        print(f"   {name:51s} {median * 1000:7.1f} ms{verdict}")


def main() -> None:
    wanted = set(sys.argv[1:]) or {"batch", "memory", "startup"}
    print(f"mitra benchmarks on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        if "batch" in wanted:
            bench_batch(workdir)
        if "memory" in wanted:
            bench_memory(workdir)
        if "startup" in wanted:
            bench_startup(workdir)


if __name__ == "__main__":
    main()
