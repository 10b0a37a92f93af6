#!/usr/bin/env python3
"""Benchmark: what the glossary and the plain-language check cost, on bench.py's synthetic corpus.

    python scripts/bench_glossary.py                 # N = 1,000, 3 repetitions
    python scripts/bench_glossary.py --sizes 1000 5000 --reps 5

For each size it writes bench.py's corpus, with a glossary of the sample site's terms plus
50 words that the corpus uses often (so that every story has terms to mark; `--extra-terms 0`
for the sample glossary alone), and measures:

  mark          GlossaryMarker.mark over every published story's rendered HTML (in-process)
  terms_in      the terms each story uses, for /begrippen/ (in-process)
  language      the plain-language check over every story (in-process, syllable cache cold)
Times in-process are CPU seconds; builds and check give wall and CPU seconds (of all their
processes), as the machine this runs on may be shared.

  build         `mkdocs build` (plugin, search: none) with the glossary, and without it,
                interleaved; the difference is the whole cost of the glossary in a build
  check         `regioverhalen check` (subprocess), which now reads every story's text for
                the language check

Medians and spread (min-max) are printed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the corpus writer, next to this script)

from regioverhalen.content.glossary import load_glossary  # noqa: E402
from regioverhalen.content.loading import ContentPaths, load_content  # noqa: E402
from regioverhalen.content.plain_language import LanguageSettings, check_stories, syllable_count  # noqa: E402
from regioverhalen.site.glossary_marking import GlossaryMarker  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "toc"]


def write_glossary(root: Path, extra_terms: int = 50) -> None:
    """The sample glossary and `extra_terms` of the corpus's own words as terms (with a plural)."""
    terms = yaml.safe_load((REPO / "begrippen.yml").read_text(encoding="utf-8"))
    known = {str(t["term"]).casefold() for t in terms}
    extra = [w for w in dict.fromkeys(bench.WORDS) if len(w) >= 5 and w.isalpha() and w.casefold() not in known]
    for word in extra[:extra_terms]:
        terms.append({"term": word, "variants": [word + "en"], "explanation": f"Uitleg van {word}, in gewone taal."})
    (root / "begrippen.yml").write_text(yaml.safe_dump(terms, allow_unicode=True, sort_keys=False), encoding="utf-8")


def timed(function: object, *args: object) -> float:
    """CPU seconds of this process: on a machine shared with other work, wall time mostly
    measures the others."""
    start = time.process_time()
    function(*args)  # type: ignore[operator]
    return time.process_time() - start


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def spread(values: list[float], unit: float = 1.0, digits: int = 1) -> str:
    scaled = [v * unit for v in values]
    return f"{statistics.median(scaled):.{digits}f} ({min(scaled):.{digits}f}-{max(scaled):.{digits}f})"


def measure_in_process(root: Path, reps: int) -> dict[str, list[float]]:
    content = load_content(ContentPaths(root))
    glossary, problems = load_glossary(root, "begrippen.yml")
    assert not problems and not content.problems, (problems, content.problems[:3])
    marker = GlossaryMarker(glossary.terms)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    pages = [converter.reset().convert(story.body) for story in content.stories]
    marked = sum(marker.mark(page, "../../begrippen/").count('class="rv-begrip"') for page in pages)
    print(
        f"  {len(pages)} stories, {sum(map(len, pages)) / 1e6:.1f} MB of HTML, {len(glossary.terms)} terms, "
        f"{marked} terms marked ({marked / len(pages):.1f} per story)"
    )
    results: dict[str, list[float]] = {"mark": [], "terms_in": [], "language": []}
    for _ in range(reps):
        results["mark"].append(timed(lambda: [marker.mark(page, "../../begrippen/") for page in pages]))
        results["terms_in"].append(timed(lambda: [marker.terms_in(story.body) for story in content.stories]))
        syllable_count.cache_clear()
        results["language"].append(timed(check_stories, content.stories, LanguageSettings()))
    return results


def build_configs(root: Path) -> dict[str, Path]:
    configs = bench.plugin_site(bench.Corpus(root, 0, [], 0, 0))
    plugin = yaml.safe_load(configs["plugin"].read_text(encoding="utf-8"))
    plugin["site_dir"] = "site-without"
    plugin["plugins"][0]["regioverhalen"]["glossary"] = "geen-begrippen.yml"
    without = root / "mkdocs-without-glossary.yml"
    without.write_text(yaml.safe_dump(plugin, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"with glossary": configs["plugin"], "without glossary": without}


def measure_builds(root: Path, reps: int) -> dict[str, list[float]]:
    configs = build_configs(root)
    results: dict[str, list[float]] = {}
    for name in [*configs, "check"]:
        results[name] = []
        results[f"{name} (cpu)"] = []
    env = bench._env()
    for rep in range(reps):
        order = list(configs.items())
        for name, config in order[rep % 2 :] + order[: rep % 2]:  # alternate which goes first
            start, cpu = time.perf_counter(), children_cpu()
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], cwd=root, env=env, check=True
            )
            results[name].append(time.perf_counter() - start)
            results[f"{name} (cpu)"].append(children_cpu() - cpu)
        start, cpu = time.perf_counter(), children_cpu()
        command = [sys.executable, "-m", "regioverhalen.cli", "check", "-f", str(configs["with glossary"])]
        subprocess.run(command, cwd=root, env=env, check=False, capture_output=True)
        results["check"].append(time.perf_counter() - start)
        results["check (cpu)"].append(children_cpu() - cpu)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--extra-terms", type=int, default=50, help="corpus words added as terms (0: the sample glossary alone)"
    )
    args = parser.parse_args(argv)
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-glossary-") as folder:
            root = Path(folder)
            bench.write_corpus(root, size)
            write_glossary(root, args.extra_terms)
            print(f"N = {size}")
            for name, values in measure_in_process(root, args.reps).items():
                print(f"  {name:<18} {spread(values, 1000)} ms")
            for name, values in measure_builds(root, args.reps).items():
                print(f"  {name:<18} {spread(values, 1, 2)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
