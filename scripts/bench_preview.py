#!/usr/bin/env python3
"""Live preview as an editor sees it: from saving a story to its new text in the browser.

Writes the benchmark corpus of scripts/bench.py (default 1,000 stories), starts `mkdocs serve`
on loopback with the plugin and Pagefind, opens one story in headless Chromium, and then, per
repetition, appends a paragraph to that story's file and times until the open page shows it:
MkDocs notices the change, rebuilds, and its livereload script reloads the page. Between two
repetitions it waits until the server is idle (no rebuild, no search indexer running).

The median is compared with issue 17's target (1.5 s at 1,000 stories). MkDocs' own figure for
each rebuild ("Documentation built in ...") is printed beside it.

Usage: python scripts/bench_preview.py [--stories 1000] [--reps 5] [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402 (the corpus, the site and the server helpers of the build benchmark)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def start_serve(config: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        command,
        cwd=config.parent,
        env=bench._env(),
        stdout=log_path.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=bench._default_sigint if os.name == "posix" else None,  # noqa: PLW1509 - no threads run yet
    )


def stop_serve(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(base: str, process: subprocess.Popen[bytes], log_path: Path) -> float:
    start = time.perf_counter()
    while bench._get(base + "/") is None:
        if process.poll() is not None or time.perf_counter() - start > 900:
            raise RuntimeError("mkdocs serve did not come up:\n" + log_path.read_text()[-3000:])
        time.sleep(0.5)
    return time.perf_counter() - start


def measure(config: Path, corpus: bench.Corpus, reps: int, timeout: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    port = bench._free_port()
    base = f"http://127.0.0.1:{port}"
    slug = corpus.published[len(corpus.published) // 2][0]
    story = next((corpus.root / "stories").rglob(f"{slug}.md"))
    original = story.read_bytes()
    log_path = Path(tempfile.mkstemp(suffix=".serve.log")[1])
    process = start_serve(config, port, log_path)
    latencies: list[float] = []
    rebuilds: list[float] = []
    try:
        print(f"serve up after {wait_until_up(base, process, log_path):.1f} s (first build)", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}/verhalen/{slug}/", wait_until="load")
            for rep in range(reps):
                bench._serve_idle(log_path, process, time.perf_counter() + 600)
                page.wait_for_load_state("load")
                built_before = len(bench._BUILT.findall(log_path.read_text(encoding="utf-8", errors="replace")))
                marker = f"voorbeeldwijziging{rep}x{os.getpid()}"
                story.write_bytes(original + f"\n\nDeze alinea is nieuw: {marker}.\n".encode())
                saved = time.perf_counter()
                page.wait_for_function(
                    "(marker) => document.body && document.body.innerText.includes(marker)",
                    arg=marker,
                    timeout=timeout * 1000,
                    polling="raf",
                )
                latencies.append(time.perf_counter() - saved)
                built = bench._BUILT.findall(log_path.read_text(encoding="utf-8", errors="replace"))[built_before:]
                rebuilds.extend(float(b) for b in built[:1])
                print(
                    f"  rep {rep + 1}/{reps}: new text in the browser after {latencies[-1]:.2f} s "
                    f"(MkDocs rebuilt in {', '.join(built) or '?'} s)",
                    flush=True,
                )
            browser.close()
    finally:
        story.write_bytes(original)
        stop_serve(process)
        log_path.unlink(missing_ok=True)
    return {
        "latencies_s": latencies,
        "median_s": statistics.median(latencies),
        "min_s": min(latencies),
        "max_s": max(latencies),
        "mkdocs_rebuild_s": rebuilds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one edit to show")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="rv-preview-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    corpus = bench.write_corpus(work / "corpus", args.stories)
    config = bench.plugin_site(corpus)["plugin+pagefind"]
    load_before = os.getloadavg()
    try:
        numbers = measure(config, corpus, args.reps, args.timeout)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    numbers.update(stories=args.stories, reps=args.reps, load_average={"before": load_before, "after": os.getloadavg()})
    verdict = "MET" if numbers["median_s"] <= bench.PREVIEW_TARGET else "NOT MET"
    print(
        f"\n{verdict}: at {args.stories} stories a saved story shows in the browser after "
        f"{numbers['median_s']:.2f} s (median of {args.reps}; min {numbers['min_s']:.2f}, max {numbers['max_s']:.2f}; "
        f"target <= {bench.PREVIEW_TARGET} s). Load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs."
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
