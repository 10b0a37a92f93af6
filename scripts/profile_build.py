#!/usr/bin/env python3
"""Where does a Regioverhalen build (or check) spend its time? A sampling profile, summed per phase.

    python scripts/profile_build.py                       # mkdocs build, N=1000, search: none
    python scripts/profile_build.py --size 5000 --search pagefind
    python scripts/profile_build.py --target check
    python scripts/profile_build.py --timers              # CPU stopwatches per phase instead of sampling
    python scripts/profile_build.py --timers --baseline   # the same for plain MkDocs + Material

The corpus is the benchmark's (scripts/bench.py), written once into --workdir and reused.
The build runs in-process under pyinstrument (wall-clock sampling, so the Pagefind
process shows up as the time `SearchIndex.write` waits for it to finish). Rows are not exclusive:
an indented row is part of the row above it.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import bench  # noqa: E402  (the corpus generator)
import yaml  # noqa: E402

#: (label, function name, part of the file path); indented labels are part of the row above.
PHASES = [
    ("plugin on_config", "on_config", "regioverhalen/mkdocs/plugin.py"),
    ("  load_content (validation)", "load_content", "regioverhalen/content/loading.py"),
    ("    parse_yaml (YAML with positions)", "parse_yaml", "regioverhalen/content/yaml_source.py"),
    ("    consent check (NameMatcher.find)", "find", "regioverhalen/content/consent.py"),
    ("    find_unsafe_html", "find_unsafe_html", "regioverhalen/content/safety.py"),
    ("    validate_model (pydantic)", "validate_model", "regioverhalen/content/validation.py"),
    ("  build_site (generated pages, cards)", "build_site", "regioverhalen/site/pages.py"),
    ("plugin on_files (File.generated)", "on_files", "regioverhalen/mkdocs/plugin.py"),
    ("MkDocs reading pages (front matter)", "read_source", "mkdocs/structure/pages.py"),
    ("Markdown to HTML (Page.render)", "render", "mkdocs/structure/pages.py"),
    ("Jinja templates (Material)", "render", "jinja2/environment.py"),
    ("writing HTML files", "write_file", "mkdocs/utils/__init__.py"),
    ("theme static files (copy)", "copy_static_files", "mkdocs/structure/files.py"),
    ("plugin on_post_build", "on_post_build", "regioverhalen/mkdocs/plugin.py"),
    ("  feeds", "site_feeds", "regioverhalen/site/feeds.py"),
    ("  open data", "open_data", "regioverhalen/site/opendata.py"),
    ("  Pagefind (finishing, waited for)", "write", "regioverhalen/mkdocs/search_index.py"),
    ("  consent scan of the output", "scan_site", "regioverhalen/site/output_scan.py"),
    ("  swap staging folder into place", "replace_dir", "regioverhalen/mkdocs/atomic_site.py"),
    ("material search plugin", "on_post_build", "material/plugins/search/plugin.py"),
]


#: Functions wrapped with a stopwatch in --timers mode: (module, attribute path, label).
TIMED = [
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_config", "plugin on_config"),
    ("regioverhalen.mkdocs.site_loading", "load_content", "  load_content (validation)"),
    ("regioverhalen.content.consent", "NameMatcher.find", "    consent check (NameMatcher.find)"),
    ("regioverhalen.content.stories", "parse_yaml", "    parse_yaml (YAML with positions)"),
    ("regioverhalen.content.stories", "find_unsafe_html", "    find_unsafe_html"),
    ("regioverhalen.content.stories", "find_slow_markdown", "    find_slow_markdown"),
    ("regioverhalen.content.validation", "validate_model", "    validate_model (pydantic)"),
    ("regioverhalen.mkdocs.site_loading", "build_site", "  build_site (generated pages, cards)"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_files", "plugin on_files"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_page_markdown", "plugin on_page_markdown"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_page_content", "plugin on_page_content (HTML gate)"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_page_context", "plugin on_page_context"),
    ("mkdocs.structure.pages", "Page.read_source", "MkDocs reads page sources"),
    ("mkdocs.structure.pages", "Page.render", "Markdown to HTML"),
    ("jinja2.environment", "Template.render", "Jinja templates"),
    ("mkdocs.commands.build", "utils.write_file", "writing files"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_post_page", "plugin on_post_page (pages to Pagefind)"),
    ("regioverhalen.mkdocs.plugin", "RegioverhalenPlugin.on_post_build", "plugin on_post_build"),
    ("regioverhalen.mkdocs.generated_files", "site_feeds", "  feeds"),
    ("regioverhalen.mkdocs.generated_files", "open_data", "  open data"),
    ("regioverhalen.mkdocs.search_index", "SearchIndex.write", "  Pagefind (finishing, waited for)"),
    ("regioverhalen.mkdocs.consent_scan", "scan_site", "  consent scan of the output"),
    ("regioverhalen.mkdocs.atomic_site", "replace_dir", "  swap staging folder"),
    ("material.plugins.search.plugin", "SearchPlugin.on_page_context", "Material search: index pages"),
    ("material.plugins.search.plugin", "SearchPlugin.on_post_build", "Material search: write index"),
]


def install_timers(clock: Callable[[], float] = time.process_time, split_render: bool = True) -> dict[str, float]:
    """Wrap TIMED functions with a stopwatch (outermost call only); Markdown rendering is split
    into story pages and the other pages. The default clock is this process's CPU time, which a
    busy shared machine disturbs far less than wall time (subprocesses such as Pagefind are not in it)."""
    import importlib

    totals: dict[str, float] = {}
    active: set[str] = set()

    def wrap(label: str, function: Callable[..., Any], key: Callable[..., str] | None = None) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            name = key(*args) if key else label
            if name in active:
                return function(*args, **kwargs)
            active.add(name)
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + clock() - start
                active.discard(name)

        return timed

    def render_key(page: Any, *_: Any) -> str:
        uri = page.file.src_uri
        return "Markdown to HTML: stories" if uri.startswith("verhalen/") else "Markdown to HTML: other pages"

    for module_name, attribute, label in TIMED:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        owner: Any = module
        *parents, name = attribute.split(".")
        try:
            for parent in parents:
                owner = getattr(owner, parent)
            function = getattr(owner, name)
        except AttributeError:
            continue
        key = render_key if (split_render and attribute == "Page.render") else None
        setattr(owner, name, wrap(label, function, key))
    return totals


def phase_times(root: Any) -> dict[str, float]:
    """Time per phase: the outermost frame of each phase's function, summed over the tree."""
    totals = {label: 0.0 for label, _, _ in PHASES}

    def visit(frame: Any, inside: frozenset[str]) -> None:
        entered = set()
        for label, function, path in PHASES:
            if label in inside:
                continue
            if frame.function == function and path in (frame.file_path or "").replace(os.sep, "/"):
                totals[label] += frame.time
                entered.add(label)
        now = inside | entered
        for child in frame.children:
            visit(child, now)

    visit(root, frozenset())
    return totals


def prepare(size: int, workdir: Path) -> Path:
    marker = workdir / f".corpus-{size}"
    if not marker.exists():
        shutil.rmtree(workdir, ignore_errors=True)
        corpus = bench.write_corpus(workdir, size)
        bench.plugin_site(corpus)
        marker.write_text(str(len(corpus.published)))
    return workdir


def run_target(target: str, config: Path) -> None:
    if target == "check":
        from regioverhalen.cli import main as cli_main

        cli_main(["check", "-f", str(config)])
        return
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = config.parent / yaml.safe_load(config.read_text())["site_dir"]
    for leftover in (site_dir, Path(f"{site_dir}.staging"), Path(f"{site_dir}.previous")):
        shutil.rmtree(leftover, ignore_errors=True)
    cfg = load_config(str(config))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, help="corpus folder (default: a folder in the temp dir, reused)")
    parser.add_argument("--search", choices=("none", "pagefind"), default="none")
    parser.add_argument("--config", help=argparse.SUPPRESS)  # another mkdocs-<name>.yml in the workdir
    parser.add_argument("--target", choices=("build", "check"), default="build")
    parser.add_argument("--baseline", action="store_true", help="profile the plain MkDocs + Material baseline instead")
    parser.add_argument(
        "--timers", action="store_true", help="stopwatches around the main functions instead of sampling"
    )
    parser.add_argument("--tree", action="store_true", help="also print pyinstrument's call tree")
    parser.add_argument("--html", type=Path, help="save pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    import tempfile

    workdir = prepare(args.size, args.workdir or Path(tempfile.gettempdir()) / f"regioverhalen-profile-{args.size}")
    config = workdir / f"mkdocs-{args.config or args.search + '-auto'}.yml"
    if args.baseline:
        folder = workdir / "baseline"
        if not (folder / "mkdocs-plain.yml").exists():
            corpus = bench.Corpus(workdir, args.size, [], 0, 0)
            for story in sorted((workdir / "stories").rglob("*.md")):
                text = story.read_text(encoding="utf-8")
                if "\ndraft: true\n" not in text.split("\n---\n", 1)[0]:
                    corpus.published.append((story.stem, "", text))
            bench.baseline_site(corpus, folder)
        config = folder / ("mkdocs-search.yml" if args.search != "none" else "mkdocs-plain.yml")

    what = "baseline" if args.baseline else "plugin"
    if args.timers:
        totals = install_timers()
        start, cpu_start = time.perf_counter(), time.process_time()
        run_target(args.target, config)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(
            f"{args.target} of N={args.size}, {what} (search: {args.search}): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU in this process; CPU seconds per phase:"
        )
        wall = cpu
        labels = [label for _, _, label in TIMED] + ["Markdown to HTML: stories", "Markdown to HTML: other pages"]
        for label in sorted(totals, key=lambda item: labels.index(item) if item in labels else 99):
            print(f"  {label:<42} {totals[label]:7.2f} s  {100 * totals[label] / wall:5.1f}%")
        return 0

    from pyinstrument import Profiler

    profiler = Profiler(interval=0.002)
    start = time.perf_counter()
    profiler.start()
    run_target(args.target, config)
    profiler.stop()
    wall = time.perf_counter() - start
    root = profiler.last_session.root_frame() if profiler.last_session else None
    print(f"{args.target} of N={args.size}, {what} (search: {args.search}): {wall:.2f} s wall, profiled")
    if root is not None:
        for label, seconds in phase_times(root).items():
            if seconds >= 0.005:
                print(f"  {label:<42} {seconds:7.2f} s  {100 * seconds / wall:5.1f}%")
    if args.tree:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
