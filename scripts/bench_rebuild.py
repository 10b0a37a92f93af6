#!/usr/bin/env python3
"""A live-preview rebuild in one process, as `mkdocs serve` runs it: the configuration read again,
the plugin kept, one story's text edited before each rebuild. Prints wall and CPU time (the
whole process, its threads included) per rebuild and their medians, without the browser and
the watcher around it (`bench_preview.py` measures those too).

The first two rebuilds are left out of the medians: the preview keeps the site of the build
before last as the next staging folder, so only the second rebuild after startup has one.

To compare two versions in the same hour, run it alternately with each on the import path:

    python scripts/bench_rebuild.py --stories 1000 --reps 8
    PYTHONPATH=/path/to/other/checkout/src python scripts/bench_rebuild.py --stories 1000 --reps 8
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import bench  # noqa: E402 (the corpus and the site of the build benchmark)
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"
LEFT_OUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=8, help=f"rebuilds (the first {LEFT_OUT} are left out)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here and reuse it (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.reps <= LEFT_OUT:
        parser.error(f"--reps must be more than {LEFT_OUT}")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="rv-rebuild-"))
    corpus_dir = work / f"corpus-{args.stories}"
    if corpus_dir.exists():  # written by an earlier run with the same --workdir
        config_file = corpus_dir / "mkdocs-pagefind-auto.yml"
    else:
        config_file = bench.plugin_site(bench.write_corpus(corpus_dir, args.stories))["plugin+pagefind"]
    stories = sorted((config_file.parent / "stories").rglob("*.md"))
    story = stories[len(stories) // 2]
    original = story.read_bytes()
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")  # as `mkdocs serve` does

    def config() -> MkDocsConfig:
        return load_config(config_file=str(config_file), site_dir=site_dir)

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    build(first, serve_url=SERVE_URL)
    walls: list[float] = []
    cpus: list[float] = []
    try:
        for rep in range(args.reps):
            story.write_bytes(original + f"\n\nDeze alinea is nieuw: {rep}.\n".encode())
            this = config()
            wall, cpu = time.perf_counter(), time.process_time()
            build(this, serve_url=SERVE_URL)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            print(f"  rebuild {rep + 1}/{args.reps}: wall {walls[-1]:.2f} s, CPU {cpus[-1]:.2f} s", flush=True)
    finally:
        story.write_bytes(original)
        first.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    wall_kept, cpu_kept = walls[LEFT_OUT:], cpus[LEFT_OUT:]
    print(
        f"\n{args.stories} stories, rebuilds {LEFT_OUT + 1} to {args.reps}: "
        f"median wall {statistics.median(wall_kept):.2f} s "
        f"({min(wall_kept):.2f} to {max(wall_kept):.2f}), median CPU {statistics.median(cpu_kept):.2f} s "
        f"({min(cpu_kept):.2f} to {max(cpu_kept):.2f}); load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
