#!/usr/bin/env python3
"""Benchmark: the Regioverhalen plugin against plain MkDocs + Material on one synthetic corpus.

One command, on a fresh clone after `pip install -e .`:

    python scripts/bench.py                     # N = 1,000 and 5,000 (5 and 3 repetitions)
    python scripts/bench.py --sizes 1000 --reps 5 --serve --blog
    python scripts/bench.py --large             # adds N = 10,000

For every size it writes a deterministic corpus in the content contract (seeded
`random.Random`, a fixed Dutch-ish word list: no text is copied from anywhere) and
measures, in the same run and with the repetitions interleaved (each repetition
runs every variant once, in a rotating order, so slow phases of a shared machine
hit all variants alike):

  check            `regioverhalen check` (subprocess); its language cache is warm after the first
                   repetition, as on an editor's machine or a CI runner that keeps `.cache/`
  check-cold       `regioverhalen check --no-cache`: every story's language analysed anew
  frontmatter      lower bound for check: python-frontmatter parsing the same files (subprocess)
  plugin+pagefind  `mkdocs build` with the plugin, Pagefind search (the default)
  plugin           `mkdocs build` with the plugin, `search: none`
  plugin-1p, plugin+pagefind-1p
                   the same with `parallel: off` (only when named in --only)
  baseline+search  the same stories as ordinary pages in plain MkDocs + Material, left out
                   of the nav, with Material's built-in search plugin (MkDocs' default)
  baseline         the same, without any search plugin
  blog             (--blog) Material's blog plugin, regions as categories, no search plugin
  export           (--export) `regioverhalen export OUT`: the plain project for Zensical
  export+zensical  (--export) the whole path without the plugin: export, `zensical build`,
                   then `regioverhalen export --finish` (checks, Pagefind)

Fair pairs: plugin+pagefind against baseline+search (both build a search index),
plugin against baseline (neither does); export and export+zensical against plugin+pagefind
(the plugin's own MkDocs build of the same site, with its search index). Medians and spread (min-max) are printed,
with peak memory and site size per published story; a JSON file with every raw
measurement goes to bench-results/.

Peak memory: GNU `/usr/bin/time -v` when present (the largest single process of the
build; Linux reports the maximum over the process tree, not the sum), otherwise
`resource.getrusage(RUSAGE_CHILDREN)` (same caveat, and it only ever grows within
this process, so it is sampled per child as a running maximum). On Linux the summed
memory of the whole process tree (MkDocs, its forked helper, the Pagefind binary) is also
sampled every 50 ms and reported as "tree": resident sizes, and only the private pages of
the helper, which shares the rest with MkDocs.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench-results"
GNU_TIME = "/usr/bin/time"

# --------------------------------------------------------------------------------------
# Synthetic corpus
# --------------------------------------------------------------------------------------

#: Everyday Dutch words; bodies, titles and summaries are drawn from these only, so a
#: participant's (invented) name can never turn up in a text by accident.
WORDS = """
de het een en van in op met voor aan bij over naar uit door om als dat die dit deze
niet wel ook nog al maar want dus toen nu straks later eerst daarna samen alleen
boer boerin boeren erf stal koe koeien melk grond bodem akker weiland sloot beek
dijk polder veen klei zand water regen droogte peil grondwater zoet zout kreek
dorp dorpen buurt buren straat kerk school huis huizen boerderij schuur gemeente
provincie waterschap rijk ambtenaar wethouder raad loket regel regels vergunning
plan plannen project proef subsidie geld kosten opbrengst prijs markt winkel
energie zon wind warmte net stroom dak daken panelen molen coöperatie
natuur bos bomen heide vogels grutto bloemen insecten biodiversiteit landschap
stikstof mest kunstmest voer gewas gewassen oogst graan aardappel mais lisdodde
gesprek gesprekken tafel keukentafel vergadering avond ochtend week maand jaar
vertrouwen ongemak spanning twijfel moed geduld tijd ruimte rust zorg hoop
samenwerking netwerk initiatief ondernemer ondernemers zzp'er begeleider
opgave uitdaging aanpak doorbraak les lessen inzicht stap stappen begin einde
goed beter nieuw oud groot klein lang kort snel traag eerlijk open lastig
eenvoudig ingewikkeld moeilijk mooi sterk zwak zeker onzeker gewoon anders
kijken luisteren praten vragen zeggen denken weten leren werken bouwen maken
delen helpen wachten proberen beginnen stoppen blijven veranderen kiezen
vinden houden geven nemen laten brengen halen zetten leggen zoeken meten
zijn was waren heeft hebben had wordt werd kan kon moet moest wil wilde
zou zal gaan ging komt kwam staat stond ligt lag blijkt bleek voelt voelde
ze hij zij wij we je jullie hen hun haar zijn ons onze mijn iedereen niemand
veel weinig meer minder vaak soms altijd nooit elke iedere andere eigen hele
hier daar waar wanneer waarom hoe wat wie welke omdat terwijl hoewel zodat
ideeën financiën café overleg afspraak afspraken kaart route richting toekomst
""".split()  # noqa: SIM905
ASCII_WORDS = [w for w in WORDS if re.fullmatch(r"[a-z]+", w) and len(w) > 2]
FIRST_NAMES = [
    "Aaltje",
    "Berend",
    "Cees",
    "Dieuwke",
    "Egbert",
    "Fenna",
    "Gradus",
    "Hielke",
    "Ineke",
    "Jorrit",
    "Klaasje",
    "Lammert",
    "Minke",
    "Nanne",
    "Ottje",
    "Pieternel",
    "Reinoud",
    "Sjoukje",
    "Tjeerd",
    "Wubbe",
]
SURNAMES = [
    "Brinkhorst",
    "Dijkhuizer",
    "Elferink",
    "Foppema",
    "Geertsema",
    "Hoflander",
    "Jongebreur",
    "Kroeskamp",
    "Lubbersen",
    "Meijerink",
    "Nijenhuis",
    "Oldenkotte",
    "Plasmeijer",
    "Rikkerink",
    "Schoemaker",
    "Terpstrand",
    "Veldkampen",
    "Wiegersma",
    "Zuiderhoek",
    "Ypmakers",
]
# Organisations are named after places, not people: a surname in one would name someone
# who shares it and has not consented (as many as SURNAMES, so the corpus draws the same numbers).
ORGANISATION_NAMES = [
    "Lindehof",
    "Esveld",
    "Bronsweide",
    "Kampbroek",
    "Heidezoom",
    "Meulenveld",
    "Rietland",
    "Veldkamp",
    "Zandhorst",
    "Beekdal",
    "Wilgenerf",
    "Kleibroek",
    "Hooglanden",
    "Essenrand",
    "Dijkzicht",
    "Lindeweg",
    "Akkerzoom",
    "Brinkveld",
    "Zomerdijk",
    "Hagenoord",
]
THEMES = [
    "stikstof",
    "water",
    "energie",
    "bodem",
    "natuur",
    "landbouw",
    "wonen",
    "zorg",
    "mobiliteit",
    "klimaat",
    "voedsel",
    "biodiversiteit",
    "economie",
    "cultuur",
    "onderwijs",
]
ROLES = ["gemeente", "provincie", "rijk", "waterschap", "burgerinitiatief", "zzp", "boer", "ondernemer", "anders"]
LEVELS = ["individu", "opgave", "organisatie"]
SECTIONS = ["De uitdaging", "De aanpak", "Het ongemak", "De doorbraak", "Wat we leerden"]
REGIONS = [
    ("achterhoek", "Achterhoek", ["Gelderland"], 51.97, 6.55),
    ("de-peel", "De Peel", ["Noord-Brabant", "Limburg"], 51.45, 5.85),
    ("gelderse-vallei", "Gelderse Vallei", ["Gelderland", "Utrecht"], 52.1, 5.6),
    ("hoeksche-waard", "Hoeksche Waard", ["Zuid-Holland"], 51.77, 4.45),
    ("krimpenerwaard", "Krimpenerwaard", ["Zuid-Holland"], 51.95, 4.75),
    ("noord-limburg", "Noord-Limburg", ["Limburg"], 51.45, 6.1),
    ("noordoost-twente", "Noordoost-Twente", ["Overijssel"], 52.35, 6.9),
    ("veenkolonien", "Veenkoloniën", ["Groningen", "Drenthe"], 53.05, 6.9),
    ("zeeuws-vlaanderen", "Zeeuws-Vlaanderen", ["Zeeland"], 51.3, 3.85),
    ("zuidwest-fryslan", "Zuidwest-Fryslân", ["Fryslân"], 52.95, 5.5),
]
FIRST_DATE = dt.date(2022, 5, 1)
LAST_DATE = dt.date(2026, 6, 30)
DRAFT_EVERY = 97  # about 1% drafts
MARKUP_TOKENS = {"##", "-", ">", "!!!", "note"}


@dataclass
class Corpus:
    root: Path
    size: int
    published: list[tuple[str, str, str]]  # (slug, region name, file text) of every published story
    drafts: int
    words: int


def _sentence(rng: random.Random, low: int = 7, high: int = 18, ascii_only: bool = False) -> str:
    pool = ASCII_WORDS if ascii_only else WORDS
    words = [rng.choice(pool) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _participants(rng: random.Random, region_id: str, first_index: int) -> list[dict[str, Any]]:
    people = []
    for k in range(rng.randint(4, 6)):
        role = rng.choice(ROLES)
        # Names are unique across regions (index -> a distinct first name/surname pair), so a
        # public participant can never share a name with one who has not consented.
        index = first_index + k
        name = f"{FIRST_NAMES[index % 20]} {SURNAMES[(index // 20 + index) % 20]}"
        person: dict[str, Any] = {
            "id": f"{role}-{region_id}-{k + 1}",
            "name": name,
            "role": role,
        }
        if rng.random() < 0.7:
            person["organisation"] = (
                f"{rng.choice(ORGANISATION_NAMES)} {rng.choice(['Advies', 'Boerderij', 'Coöperatie', 'Stichting'])}"
            )
        person["opgave"] = _sentence(rng, 8, 16)
        if rng.random() < 0.4:
            person["public"] = True
        people.append(person)
    return people


def write_regions(folder: Path, seed: int) -> dict[str, list[dict[str, Any]]]:
    folder.mkdir(parents=True, exist_ok=True)
    people: dict[str, list[dict[str, Any]]] = {}
    for number, (region_id, name, provinces, lat, lon) in enumerate(REGIONS):
        rng = random.Random(f"{seed}-region-{region_id}")
        participants = _participants(rng, region_id, number * 10)
        people[region_id] = participants
        data = {
            "name": name,
            "provinces": provinces,
            "horizon": " ".join(_sentence(rng) for _ in range(3)),
            "description": "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(2)) + "\n",
            "location": {"lat": lat, "lon": lon},
            "participants": participants,
        }
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        (folder / f"{region_id}.yml").write_text(text, encoding="utf-8")
    return people


def _body(rng: random.Random, public_names: list[str]) -> tuple[str, int]:
    target = rng.randint(560, 640)
    parts: list[str] = []
    sections = list(SECTIONS)
    # A section ends with the paragraph that crosses its share, about 25 words past it on average.
    per_section = max(1, (target - 25 * len(sections)) // len(sections))
    for index, heading in enumerate(sections):
        parts.append(f"## {heading}\n")
        written = 0
        while written < per_section:
            sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
            if public_names and rng.random() < 0.15:
                sentences.insert(
                    1,
                    f"{rng.choice(public_names)} {rng.choice(['vertelt', 'zegt', 'merkt'])} "
                    f"dat het {rng.choice(ASCII_WORDS)} is.",
                )
            paragraph = " ".join(sentences)
            if rng.random() < 0.12:
                paragraph = "> " + paragraph
            elif rng.random() < 0.1:
                paragraph = "\n".join(f"- {_sentence(rng, 4, 9)}" for _ in range(rng.randint(2, 4)))
            elif rng.random() < 0.15:
                first, _, rest = paragraph.partition(" ")
                paragraph = f"**{first}** {rest}"
            count = len(paragraph.split())
            written += count
            parts.append(paragraph + "\n")
        if index == 0 and rng.random() < 0.2:
            parts.append(f'!!! note "{rng.choice(ASCII_WORDS).capitalize()}"\n    {_sentence(rng)}\n')
    body = "\n".join(parts)
    return body, sum(1 for token in body.split() if token not in MARKUP_TOKENS)


def _slug_words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(ASCII_WORDS) for _ in range(count)]


def write_corpus(root: Path, size: int, seed: int = 2022) -> Corpus:
    """Regions and `size` stories under `root`; story k is the same whatever `size` is."""
    people = write_regions(root / "regions", seed)
    stories = root / "stories"
    published: list[tuple[str, str, str]] = []
    drafts = 0
    total_words = 0
    span = (LAST_DATE - FIRST_DATE).days
    for k in range(size):
        rng = random.Random(f"{seed}-story-{k}")
        region_id, region_name = REGIONS[rng.randrange(len(REGIONS))][:2]
        region_people = people[region_id]
        title_words = _slug_words(rng, rng.randint(3, 6))
        title = " ".join(title_words).capitalize()
        slug = f"{'-'.join(title_words[:4])}-{k + 1}"
        date = FIRST_DATE + dt.timedelta(days=rng.randrange(span))
        chosen = rng.sample(region_people, rng.randint(1, min(3, len(region_people))))
        summary = " ".join(_sentence(rng, 10, 22) for _ in range(rng.randint(1, 2)))
        if len(summary) > 300:
            summary = summary[:296].rsplit(" ", 1)[0] + "..."
        meta: dict[str, Any] = {
            "title": title,
            "date": date,
            "region": region_id,
            "participants": [p["id"] for p in chosen],
            "summary": summary,
            "themes": sorted(rng.sample(THEMES, rng.randint(1, 3))),
        }
        if rng.random() < 0.3:
            happened = max(FIRST_DATE, date - dt.timedelta(days=rng.randrange(200)))
            breakthrough: dict[str, Any] = {
                "title": " ".join(_slug_words(rng, rng.randint(4, 7))).capitalize(),
                "date": happened,
                "status": "aanwijsbaar" if rng.random() < 0.6 else "in-wording",
            }
            if rng.random() < 0.5:
                breakthrough["place"] = rng.choice(
                    [
                        "Winterswijk",
                        "Deurne",
                        "Barneveld",
                        "Oud-Beijerland",
                        "Gouda",
                        "Venlo",
                        "Ootmarsum",
                        "Veendam",
                        "Hulst",
                        "Sneek",
                    ]
                )
            evidence = []
            for j in range(rng.randint(0, 2)):
                evidence.append(
                    f"https://example.org/{region_id}/{k + 1}/{j + 1}" if rng.random() < 0.5 else _sentence(rng, 5, 10)
                )
            if evidence:
                breakthrough["evidence"] = evidence
            meta["breakthrough"] = breakthrough
        meta["lessons"] = [
            {"level": rng.choice(LEVELS), "text": _sentence(rng, 8, 16)} for _ in range(rng.randint(1, 3))
        ]
        if rng.random() < 0.1:
            meta["extra"] = {"bron": "interview", "opgetekend": rng.choice(ASCII_WORDS)}
        is_draft = k % DRAFT_EVERY == DRAFT_EVERY // 2
        if is_draft:
            meta["draft"] = True
        public_names = [p["name"] for p in chosen if p.get("public")]
        body, words = _body(rng, public_names)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
        text = f"---\n{front}---\n\n{body}"
        folder = stories / region_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
        if is_draft:
            drafts += 1
        else:
            published.append((slug, region_name, text))
            total_words += words
    return Corpus(root, size, published, drafts, total_words // max(1, len(published)))


# --------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------

HOME = """\
---
title: Start
---
# Regioverhalen

Verhalen uit de regio's van de Community of Practice Regionale Transities.

<!-- regioverhalen:voortgang -->

## Nieuwste verhalen

<!-- regioverhalen:nieuwste -->
"""
ABOUT = "# Over de CoP\n\nDe Community of Practice Regionale Transities leert per regio.\n"
COMMON = {
    "site_name": "Regioverhalen (benchmark)",
    "site_url": "https://bench.example.org/",
    "theme": {"name": "material", "language": "nl", "features": ["navigation.sections", "navigation.top"]},
    "markdown_extensions": ["admonition", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
}


def _write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def plugin_site(corpus: Corpus) -> dict[str, Path]:
    """The corpus as a Regioverhalen site: configs with Pagefind and with `search: none`, each
    also with `parallel: off`."""
    root = corpus.root
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text(HOME, encoding="utf-8")
    (docs / "over.md").write_text(ABOUT, encoding="utf-8")
    configs = {}
    for name, search, parallel in (
        ("plugin+pagefind", "pagefind", "auto"),
        ("plugin", "none", "auto"),
        ("plugin+pagefind-1p", "pagefind", "off"),
        ("plugin-1p", "none", "off"),
    ):
        options = {
            "stories_dir": "stories",
            "regions_dir": "regions",
            "goal_regions": 10,
            "goal_deadline": "2024-12-31",
            "search": search,
            "parallel": parallel,
        }
        config = {**COMMON, "site_dir": f"site-{search}-{parallel}", "plugins": [{"regioverhalen": options}]}
        configs[name] = _write_config(root / f"mkdocs-{search}-{parallel}.yml", config)
    return configs


def baseline_site(corpus: Corpus, folder: Path) -> dict[str, Path]:
    """The published stories as ordinary pages (front matter and body copied), out of the nav."""
    docs = folder / "docs"
    (docs / "verhalen").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(HOME, encoding="utf-8")
    (docs / "over.md").write_text(ABOUT, encoding="utf-8")
    for slug, _, text in corpus.published:
        (docs / "verhalen" / f"{slug}.md").write_text(text, encoding="utf-8")
    configs = {}
    base = {**COMMON, "nav": ["index.md", "over.md"], "not_in_nav": "/verhalen/\n"}
    configs["baseline+search"] = _write_config(
        folder / "mkdocs-search.yml", {**base, "site_dir": "site-search", "plugins": ["search"]}
    )
    configs["baseline"] = _write_config(folder / "mkdocs-plain.yml", {**base, "site_dir": "site-plain", "plugins": []})
    return configs


def blog_site(corpus: Corpus, folder: Path) -> dict[str, Path]:
    """The published stories as posts of Material's blog plugin, regions as categories."""
    posts = folder / "docs" / "blog" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Regioverhalen\n", encoding="utf-8")
    (folder / "docs" / "blog" / "index.md").write_text("# Verhalen\n", encoding="utf-8")
    for slug, region_name, text in corpus.published:
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        post = {"title": meta["title"], "date": meta["date"], "categories": [region_name], "slug": slug}
        header = yaml.safe_dump(post, allow_unicode=True, sort_keys=False)
        (posts / f"{slug}.md").write_text(
            f"---\n{header}---\n\n# {meta['title']}\n\n{meta['summary']}\n\n<!-- more -->\n{body}", encoding="utf-8"
        )
    config = {**COMMON, "site_dir": "site-blog", "plugins": [{"blog": {"categories": True}}]}
    return {"blog": _write_config(folder / "mkdocs-blog.yml", config)}


def export_variants(config: Path, folder: Path) -> list[Variant]:
    """`regioverhalen export` of the plugin's site, and the whole path through Zensical (if installed)."""
    py = sys.executable
    out = folder / "out"
    export = [py, "-m", "regioverhalen.cli", "export", "-f", str(config), str(out)]
    variants = [Variant("export", export, config.parent, out)]
    zensical = Path(py).parent / "zensical"
    if zensical.is_file():
        out = folder / "out-zensical"  # its own folder: the site size is measured after the last run
        export = [py, "-m", "regioverhalen.cli", "export", "-f", str(config), str(out)]
        finish = [py, "-m", "regioverhalen.cli", "export", "--finish", "-f", str(config), str(out)]
        script = " && ".join(
            [
                shlex.join(export),
                f"(cd {shlex.quote(str(out))} && {shlex.quote(str(zensical))} build --clean)",
                shlex.join(finish),
            ]
        )
        variants.append(Variant("export+zensical", ["/bin/sh", "-c", script], config.parent, out / "site"))
    return variants


FRONTMATTER_LOWER_BOUND = """\
import sys
from pathlib import Path
import frontmatter
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    frontmatter.load(str(path))
    count += 1
print(count, "files parsed")
"""


# --------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    #: User + system CPU time of the whole process tree (children that were waited for).
    cpu: float
    peak_mb: float | None
    tree_mb: float | None


@dataclass
class Variant:
    name: str
    command: list[str]
    cwd: Path
    site_dir: Path | None = None
    runs: list[Run] = field(default_factory=list)
    site_bytes: int | None = None
    site_files: int | None = None


def _tree_memory_kb(root_pid: int) -> int:
    """Summed memory of a process and all its descendants (Linux /proc): the resident size of
    each, except for a forked copy of its parent (the build's helper), whose pages shared with
    the parent are already counted there: only its private ones are added. (Proportional set
    sizes would do the same for every process, but reading them walks the page tables: tens of
    milliseconds per read for a Pagefind of gigabytes, taken from the run being timed.)"""
    total = 0
    stack: list[tuple[int, bytes | None]] = [(root_pid, None)]
    while stack:
        pid, parent_command = stack.pop()
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read()
            if command == parent_command:
                total += _status_kb(f"/proc/{pid}/smaps_rollup", (b"Private_Clean:", b"Private_Dirty:"))
            else:
                total += _status_kb(f"/proc/{pid}/status", (b"VmRSS:",))
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as children:
                    stack.extend((int(c), command) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def _status_kb(source: str, keys: tuple[bytes, ...]) -> int:
    """The sum of the `keys` lines (in kB) of a /proc file."""
    total = 0
    with open(source, "rb") as lines:
        for line in lines:
            if line.startswith(keys):
                total += int(line.split()[1])
    return total


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak_kb = max(self.peak_kb, _tree_memory_kb(self.pid))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def measure(command: list[str], cwd: Path) -> Run:
    """Wall time, peak RSS (largest process) and the sampled peak memory of the whole process tree."""
    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as handle:
        time_file = handle.name
    full = [GNU_TIME, "-v", "-o", time_file, *command] if use_gnu_time else command
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    process = subprocess.Popen(full, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeSampler(process.pid) if sys.platform.startswith("linux") else None
    if sampler:
        sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    if sampler:
        sampler.done.set()
        sampler.join()
    if process.returncode != 0:
        os.unlink(time_file)
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{(err or out)[-3000:]}")
    peak_mb = None
    if use_gnu_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", Path(time_file).read_text())
        peak_mb = int(match.group(1)) / 1024 if match else None
    else:
        peak_mb = (
            usage.ru_maxrss / 1024 if usage.ru_maxrss > before else None
        )  # a running maximum: only a new peak is news
    os.unlink(time_file)
    tree_mb = sampler.peak_kb / 1024 if sampler and sampler.peak_kb else None
    return Run(seconds, cpu, peak_mb, tree_mb)


def folder_size(folder: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    return total, files


def _clean_site(variant: Variant) -> None:
    """Every build starts from an empty output folder, outside the timing."""
    if variant.site_dir is not None:
        for leftover in (variant.site_dir, Path(f"{variant.site_dir}.staging"), Path(f"{variant.site_dir}.previous")):
            shutil.rmtree(leftover, ignore_errors=True)


def _reps(args: argparse.Namespace, size: int) -> int:
    """Repetitions per variant: more where they are cheap and fixed costs make the ratio noisy."""
    return int(args.reps) if args.reps else (5 if size <= 1000 else 3)


def run_interleaved(variants: list[Variant], reps: int, log: Callable[[str], None]) -> None:
    for rep in range(reps):
        shift = rep % len(variants)
        order = variants[shift:] + variants[:shift]
        for variant in order:
            _clean_site(variant)
            # The previous run's files (thousands, with a search index) are still being written
            # back to disk: that work would otherwise land in this run's time.
            os.sync()
            result = measure(variant.command, variant.cwd)
            variant.runs.append(result)
            log(
                f"    rep {rep + 1}/{reps} {variant.name:<16} {result.seconds:7.2f} s  cpu {result.cpu:7.2f} s  "
                f"peak {result.peak_mb or 0:6.0f} MB  tree {result.tree_mb or 0:6.0f} MB"
            )
    for variant in variants:
        if variant.site_dir is not None and variant.site_dir.is_dir():
            variant.site_bytes, variant.site_files = folder_size(variant.site_dir)


def _median(values: list[float]) -> float:
    return statistics.median(values)


# --------------------------------------------------------------------------------------
# mkdocs serve: one-story edit latency
# --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", "rb") as children:
                found += [int(c) for c in children.read().split()]
    except (OSError, ValueError):
        pass
    return found


def _serve_idle(log_path: Path, process: subprocess.Popen[bytes], deadline: float) -> None:
    """Wait until `mkdocs serve` has finished every build it started (per its log) and runs no
    subprocess (such as a search indexer), then 1 s more."""
    quiet_since = None
    while time.perf_counter() < deadline and process.poll() is None:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        # Each rebuild starts with "Detected file changes" and ends with "Reloading browsers" or
        # an error (not so the first build; MkDocs also leaves out a "Documentation built in"
        # line that repeats an earlier one word for word, so that cannot be counted on).
        ended = text.count("Reloading browsers") + text.count("An error happened during the rebuild")
        busy = text.count("Detected file changes") > ended
        busy = busy or bool(_children(process.pid))
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= 1.0:
            return
        time.sleep(0.2)


def _default_sigint() -> None:
    # A background job's SIGINT is ignored, and children inherit that: give `mkdocs serve` back
    # its Ctrl-C, so that it shuts down cleanly (and removes its temporary site) when asked.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measure_serve(
    config: Path,
    corpus: Corpus,
    reps: int,
    log: Callable[[str], None],
    full_build: Callable[[], Run] | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Start `mkdocs serve` on loopback, edit one story, poll its page until the edit shows.

    Latency runs from the write of the file to the first response that contains the edit, as
    a reader's browser would see it; MkDocs' own figure for that rebuild is kept alongside.
    With `full_build`, a full `mkdocs build` runs after each edit, once the server is idle, so
    that both are measured under the same conditions."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with tempfile.NamedTemporaryFile("w+", suffix=".serve.log", delete=False) as handle:
        log_path = Path(handle.name)
    log_file = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        command,
        cwd=config.parent,
        env=_env(),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_default_sigint if os.name == "posix" else None,  # noqa: PLW1509 - no threads run yet
    )
    slug = corpus.published[len(corpus.published) // 2][0]
    story = next((corpus.root / "stories").rglob(f"{slug}.md"))
    original = story.read_bytes()
    latencies: list[float] = []
    rebuilds: list[float] = []
    builds: list[float] = []
    try:
        start = time.perf_counter()
        while _get(base + "/") is None:
            if process.poll() is not None or time.perf_counter() - start > 600:
                raise RuntimeError("mkdocs serve did not come up:\n" + log_path.read_text()[-3000:])
            time.sleep(0.5)
        log(f"    serve up after {time.perf_counter() - start:.1f} s (initial build)")
        for rep in range(reps):
            _serve_idle(log_path, process, time.perf_counter() + 600)
            built_before = len(_BUILT.findall(log_path.read_text(encoding="utf-8", errors="replace")))
            marker = f"benchmarkwijziging{rep}x{random.Random(rep).randrange(10**8)}"
            os.sync()  # not the previous full build's writes
            story.write_bytes(original + f"\n\nDeze alinea is gewijzigd: {marker}.\n".encode())
            edited = time.perf_counter()
            seen = None
            while time.perf_counter() - edited < timeout:  # bounded: at most `timeout` seconds
                page = _get(f"{base}/verhalen/{slug}/")
                if page is not None and marker in page:
                    seen = time.perf_counter() - edited
                    break
                time.sleep(0.1)
            if seen is None:
                raise RuntimeError(f"edit did not show up within {timeout:.0f} s")
            latencies.append(seen)
            built = _BUILT.findall(log_path.read_text(encoding="utf-8", errors="replace"))[built_before:]
            rebuilds.extend(float(b) for b in built[:1])
            log(
                f"    serve rep {rep + 1}/{reps}: edit visible after {seen:.2f} s "
                f"(MkDocs: rebuilt in {', '.join(built) or '?'} s)"
            )
            if full_build is not None:
                _serve_idle(log_path, process, time.perf_counter() + 600)
                builds.append(full_build().seconds)
                log(f"    serve rep {rep + 1}/{reps}: full build meanwhile {builds[-1]:.2f} s")
    finally:
        story.write_bytes(original)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log_file.close()
        log_path.unlink()
    return {
        "latencies": latencies,
        "median": _median(latencies),
        "min": min(latencies),
        "max": max(latencies),
        "rebuild_seconds": rebuilds,
        "full_builds": builds,
        "full_build_median": _median(builds) if builds else None,
    }


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

#: Seconds from saving a story to seeing it under `mkdocs serve`, at 1,000 stories (issue 17).
PREVIEW_TARGET = 1.5
PAIRS = {
    "plugin+pagefind": "baseline+search",
    "plugin": "baseline",
    "blog": "baseline",
    "check": "frontmatter",
    "check-cold": "frontmatter",
    "export": "plugin+pagefind",
    "export+zensical": "plugin+pagefind",
}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("mkdocs", "mkdocs-material", "pagefind", "pydantic", "python-frontmatter", "PyYAML", "Markdown"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            versions[package] = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "commit": commit or None,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "packages": versions,
        "gnu_time": os.access(GNU_TIME, os.X_OK),
    }


def _stat(variant: Variant, what: str) -> float | None:
    values = [getattr(r, what) for r in variant.runs if getattr(r, what)]
    return _median(values) if values else None


def table(results: dict[int, dict[str, Variant]], published: dict[int, int]) -> str:
    header = (
        f"{'N':>6}  {'variant':<16} {'wall s':>7} {'min-max':>12} {'x base':>7} {'cpu s':>7} {'x base':>7} "
        f"{'peak MB':>8} {'tree MB':>8} {'x base':>7} {'KB/story':>9} {'files':>6}"
    )
    lines = [header, "-" * len(header)]
    for size, variants in results.items():
        for name, variant in variants.items():
            times = [r.seconds for r in variant.runs]
            wall, cpu, peak, tree = (
                _median(times),
                _stat(variant, "cpu"),
                _stat(variant, "peak_mb"),
                _stat(variant, "tree_mb"),
            )
            pair = variants.get(PAIRS.get(name, ""))
            wall_x = cpu_x = tree_x = ""
            if pair is not None:
                wall_x = f"{wall / _median([r.seconds for r in pair.runs]):.2f}x"
                pair_cpu, pair_tree = _stat(pair, "cpu"), _stat(pair, "tree_mb") or _stat(pair, "peak_mb")
                cpu_x = f"{cpu / pair_cpu:.2f}x" if cpu and pair_cpu else ""
                mine = tree or peak
                tree_x = f"{mine / pair_tree:.2f}x" if mine and pair_tree else ""
            kb = f"{variant.site_bytes / 1024 / published[size]:.1f}" if variant.site_bytes else ""
            spread = f"{min(times):.2f}-{max(times):.2f}"
            lines.append(
                f"{size:>6}  {name:<16} {wall:>7.2f} {spread:>12} {wall_x:>7} {cpu or 0:>7.2f} {cpu_x:>7} "
                f"{peak or 0:>8.0f} {tree or 0:>8.0f} {tree_x:>7} {kb:>9} {variant.site_files or '':>6}"
            )
        lines.append("")
    lines.append(
        "x base: plugin+pagefind vs baseline+search, plugin vs baseline, blog vs baseline,\n"
        "check and check-cold vs frontmatter, "
        "export and export+zensical vs plugin+pagefind.\n"
        "wall: median (min-max) of the interleaved repetitions; cpu: user+system of the whole process tree;\n"
        "peak: largest single process (max RSS); tree: sampled peak of the summed RSS over the process tree "
        "(MkDocs, Pagefind; of MkDocs' forked helper only its private pages)."
    )
    return "\n".join(lines)


def targets(
    results: dict[int, dict[str, Variant]], published: dict[int, int], serve: dict[str, Any] | None
) -> list[str]:
    """The targets of issue 6, judged on median wall time (CPU time given alongside as a cross-check)."""

    def get(size: int, name: str) -> Variant | None:
        variant = results.get(size, {}).get(name)
        return variant if variant and variant.runs else None

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    def pair_line(size: int, mine: str, base: str, limit: float) -> str | None:
        a, b = get(size, mine), get(size, base)
        if not a or not b:
            return None
        wa, wb = _median([r.seconds for r in a.runs]), _median([r.seconds for r in b.runs])
        ca, cb = _stat(a, "cpu"), _stat(b, "cpu")
        cpu = f"; cpu {ca:.2f} / {cb:.2f} s = {ca / cb:.2f}x" if ca and cb else ""
        return (
            f"{verdict(wa / wb <= limit)}  N={size}: {mine} {wa:.2f} s / {base} {wb:.2f} s = {wa / wb:.2f}x "
            f"(target <= {limit}x){cpu}"
        )

    out: list[str | None] = []
    for size in results:
        out.append(pair_line(size, "plugin+pagefind", "baseline+search", 1.15))
        out.append(pair_line(size, "plugin", "baseline", 1.15))
        out.append(pair_line(size, "check", "frontmatter", 1.5))
        out.append(pair_line(size, "check-cold", "frontmatter", 1.5))
        # Issue 18: the export takes no more than the plugin's own build of the same site.
        out.append(pair_line(size, "export", "plugin+pagefind", 1.0))
        for mine, base in (("plugin+pagefind", "baseline+search"), ("plugin", "baseline")):
            a, b = get(size, mine), get(size, base)
            if a and b:
                ma, mb = _stat(a, "tree_mb") or _stat(a, "peak_mb"), _stat(b, "tree_mb") or _stat(b, "peak_mb")
                if ma and mb:
                    out.append(
                        f"{verdict(ma / mb <= 1.3)}  N={size}: peak memory {mine} {ma:.0f} MB / {base} {mb:.0f} MB "
                        f"= {ma / mb:.2f}x (target <= 1.3x)"
                    )
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        limit = 5.5 * (large / small) / 5
        for name in ("plugin+pagefind", "plugin", "baseline+search", "baseline", "check"):
            a, b = get(small, name), get(large, name)
            if a and b:
                ta, tb = _median([r.seconds for r in a.runs]), _median([r.seconds for r in b.runs])
                note = "" if name.startswith(("plugin", "check")) else " (for reference)"
                out.append(
                    f"{verdict(tb / ta <= limit)}  {name}: N={large} {tb:.2f} s / N={small} {ta:.2f} s "
                    f"= {tb / ta:.2f}x (target <= {limit:.2f}x){note}"
                )
        for name in ("plugin+pagefind", "plugin"):
            a, b = get(small, name), get(large, name)
            if a and b and a.site_bytes and b.site_bytes:
                ka, kb = a.site_bytes / published[small] / 1024, b.site_bytes / published[large] / 1024
                out.append(
                    f"{verdict(abs(kb / ka - 1) <= 0.10)}  {name}: site size per story {ka:.1f} KB (N={small}) "
                    f"-> {kb:.1f} KB (N={large}), {kb / ka - 1:+.1%} (target within 10%)"
                )
                # What a story adds, apart from what every site carries once (theme assets, search UI).
                marginal = (b.site_bytes - a.site_bytes) / (published[large] - published[small]) / 1024
                fixed = a.site_bytes / 1024 - marginal * published[small]
                out.append(f"      {name}: each story adds {marginal:.1f} KB; the fixed part is {fixed / 1024:.1f} MB")
    if serve:
        build = get(serve["size"], "plugin+pagefind")
        if serve.get("full_build_median") or build:
            full = serve.get("full_build_median") or _median([r.seconds for r in build.runs])  # type: ignore[union-attr]
            out.append(
                f"{verdict(serve['median'] <= PREVIEW_TARGET)}  serve N={serve['size']}: one-story edit visible "
                f"after {serve['median']:.2f} s (min {serve['min']:.2f}, max {serve['max']:.2f}) vs full build "
                f"{full:.2f} s, {serve['median'] / full:.2f}x (target <= {PREVIEW_TARGET} s, issue 17)"
            )
    return [line for line in out if line]


def _compile_package() -> None:
    """Bytecode for the package, as pip writes it when it installs one: an editable install
    in an environment with PYTHONDONTWRITEBYTECODE set would otherwise compile every module
    of it again in every measured run, which the libraries it is compared with never do."""
    import regioverhalen

    compileall.compile_dir(Path(regioverhalen.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="corpus sizes (default: 1000 5000)")
    parser.add_argument("--large", action="store_true", help="also N = 10,000")
    parser.add_argument(
        "--reps",
        type=int,
        help="repetitions per variant (default: 5 up to 1,000 stories, where a run takes seconds, 3 above)",
    )
    parser.add_argument("--blog", action="store_true", help="also Material's blog plugin (slow: quadratic)")
    parser.add_argument(
        "--export", action="store_true", help="also `regioverhalen export` and the whole Zensical path (issue 18)"
    )
    parser.add_argument("--serve", action="store_true", help="also the one-story edit latency under `mkdocs serve`")
    parser.add_argument("--serve-size", type=int, default=1000, help="corpus size for --serve (default: 1000)")
    parser.add_argument("--only", nargs="+", help="measure only these variants")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--label", help="what was measured (e.g. a commit), when this is not a git checkout")
    parser.add_argument("--workdir", type=Path, help="keep the corpora here instead of a temporary folder")
    parser.add_argument("--output", type=Path, help="JSON result file (default: bench-results/bench-<time>.json)")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([10000] if args.large else [])))
    if args.serve and args.serve_size not in sizes:
        sizes = sorted({*sizes, args.serve_size})

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    _compile_package()
    info = machine()
    if args.label:
        info["commit"] = args.label
    log(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}, load {info['load_average']}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="regioverhalen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Variant]] = {}
    published: dict[int, int] = {}
    corpora: dict[int, Corpus] = {}
    serve: dict[str, Any] | None = None
    py = sys.executable
    try:
        for size in sizes:
            folder = workdir / f"n{size}"
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            corpus = write_corpus(folder / "plugin", size, args.seed)
            corpora[size] = corpus
            published[size] = len(corpus.published)
            plugin_configs = plugin_site(corpus)
            base_configs = baseline_site(corpus, folder / "baseline")
            blog_configs = blog_site(corpus, folder / "blog") if args.blog else {}
            log(
                f"N={size}: {len(corpus.published)} published, {corpus.drafts} drafts, ~{corpus.words} words a story; "
                f"corpus written in {time.perf_counter() - started:.1f} s to {folder}"
            )
            lower = folder / "frontmatter_lower_bound.py"
            lower.write_text(FRONTMATTER_LOWER_BOUND, encoding="utf-8")
            variants = [
                Variant(
                    "check",
                    [py, "-m", "regioverhalen.cli", "check", "-f", str(plugin_configs["plugin+pagefind"])],
                    corpus.root,
                ),
                Variant(
                    "check-cold",
                    [
                        py,
                        "-m",
                        "regioverhalen.cli",
                        "check",
                        "--no-cache",
                        "-f",
                        str(plugin_configs["plugin+pagefind"]),
                    ],
                    corpus.root,
                ),
                Variant("frontmatter", [py, str(lower), str(corpus.root / "stories")], corpus.root),
            ]
            for name, config in {**plugin_configs, **base_configs, **blog_configs}.items():
                site_dir = config.parent / yaml.safe_load(config.read_text())["site_dir"]
                variants.append(
                    Variant(name, [py, "-m", "mkdocs", "build", "-q", "-f", str(config)], config.parent, site_dir)
                )
            if args.export:
                variants += export_variants(plugin_configs["plugin+pagefind"], folder / "export")
            if args.only:
                variants = [v for v in variants if v.name in args.only]
            else:  # `parallel: off`, one process: only when asked for by name
                variants = [v for v in variants if not v.name.endswith("-1p")]
            run_interleaved(variants, _reps(args, size), log)
            results[size] = {v.name: v for v in variants}
            if args.serve and size == args.serve_size:
                command = [py, "-m", "mkdocs", "build", "-q", "-f", str(plugin_configs["plugin+pagefind"])]
                paired = Variant("plugin+pagefind", command, corpus.root, corpus.root / "site-pagefind-auto")

                def full_build(variant: Variant = paired) -> Run:
                    _clean_site(variant)
                    os.sync()  # as before every measured build: not the serve rebuild's writes
                    return measure(variant.command, variant.cwd)

                serve = {
                    "size": size,
                    **measure_serve(plugin_configs["plugin+pagefind"], corpus, _reps(args, size), log, full_build),
                }
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(
        f"Regioverhalen benchmark, {dt.datetime.now().isoformat(timespec='seconds')}: "
        f"{info['nproc']} cores ({info['cpu']}), Python {info['python']}, "
        f"MkDocs {info['packages']['mkdocs']}, Material {info['packages']['mkdocs-material']}, "
        f"Pagefind {info['packages']['pagefind']}, commit {info['commit']}; "
        f"interleaved repetitions: {', '.join(f'{_reps(args, n)} at N={n}' for n in sizes)}; median and min-max"
    )
    print()
    print(table(results, published))
    if serve:
        print(
            f"serve N={serve['size']}: one-story edit visible after {serve['median']:.2f} s median "
            f"(min {serve['min']:.2f}, max {serve['max']:.2f}); MkDocs' own rebuild times: "
            f"{', '.join(f'{x:.2f}' for x in serve['rebuild_seconds']) or '?'} s"
        )
    print()
    verdicts = targets(results, published, serve)
    print("Targets (issue 6):")
    for line in verdicts:
        print("  " + line)

    output = args.output or RESULTS_DIR / f"bench-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "machine": info,
        "reps": {n: _reps(args, n) for n in sizes},
        "seed": args.seed,
        "sizes": {
            str(size): {
                "published": published[size],
                "drafts": corpora[size].drafts,
                "words_per_story": corpora[size].words,
                "variants": {
                    name: {
                        "command": v.command,
                        "seconds": [r.seconds for r in v.runs],
                        "cpu_seconds": [r.cpu for r in v.runs],
                        "peak_mb": [r.peak_mb for r in v.runs],
                        "tree_mb": [r.tree_mb for r in v.runs],
                        "median_s": _median([r.seconds for r in v.runs]),
                        "site_bytes": v.site_bytes,
                        "site_files": v.site_files,
                    }
                    for name, v in variants.items()
                },
            }
            for size, variants in results.items()
        },
        "serve": serve,
        "targets": verdicts,
    }
    output.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nraw results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
