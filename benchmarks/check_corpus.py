"""How long `tierbot check` takes over a real pattern library, next to a floor.

Each round runs two whole processes over the same explicit list of pages:

* tierbot: ``tierbot check --format json PAGE...`` (the console script of the interpreter
  running this script, else ``python -m bot``, so both processes start the same Python;
  output goes to /dev/null);
* floor: ``python -c ...`` that reads the same pages and loads their front matter with
  ``yaml.load(..., Loader=yaml.CSafeLoader)``: the least any front-matter checker must do.

The two alternate (the order flips every round) after one untimed warm-up each, so file-cache
and CPU-frequency drift hit both alike. Prints both medians and their ratio; the goal is a
ratio of at most 2.0.

The pages are the shared corpus's pattern pages (``../shared/corpus`` next to the repository,
or ``--corpus``); without it, 400 realistic pages generated into a temporary directory.

    python benchmarks/check_corpus.py [--runs 15] [--corpus DIR] [--generate] [--max-ratio R]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
GOAL = 2.0

FLOOR = """\
import sys
import yaml

for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        text = handle.read()
    if text.startswith("---"):
        end = text.find("\\n---", 3)
        if end != -1:
            try:
                yaml.load(text[3:end], Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                pass
"""


def is_pattern_page(relative: Path) -> bool:
    """tierbot's default include/exclude globs, restated (no import of the code under test)."""
    parts = relative.parts
    in_library = any(
        parts[index : index + 2] in (("docs", "pattern-library"), ("docs", "patterns"))
        for index in range(len(parts) - 1)
    )
    name = relative.name
    excluded = name in ("index.md", "README.md") or "template" in name
    return in_library and name.endswith(".md") and not excluded


def corpus_pages(corpus: Path) -> tuple[Path, list[str]]:
    """The directory to run in and the pattern pages beneath it, relative to it."""
    roots = sorted(path for path in corpus.iterdir() if (path / "docs").is_dir())
    root = roots[0] if len(roots) == 1 else corpus
    pages = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.md")
        if is_pattern_page(path.relative_to(root))
    )
    return root, pages


# --- A generated corpus, for machines without the shared one -----------------------------

CATEGORIES = {
    "resilience": ["circuit-breaker", "bulkhead", "retry", "timeout", "load-shedding"],
    "data-management": ["cqrs", "event-sourcing", "outbox", "saga", "write-ahead-log"],
    "coordination": ["leader-election", "lease", "consensus", "vector-clocks", "two-phase"],
    "scaling": ["sharding", "caching", "load-balancing", "auto-scaling", "rate-limiting"],
    "communication": ["api-gateway", "pub-sub", "service-mesh", "grpc", "websocket"],
}
COMPANIES = ["Netflix", "Amazon", "Google", "Uber", "Stripe", "LinkedIn", "Shopify", "Meta"]
BANNERS = {
    "gold": '!!! success "🏆 Gold Standard Pattern"',
    "silver": '!!! info "🥈 Silver Tier Pattern"',
    "bronze": '!!! warning "🥉 Bronze Tier Pattern"',
}
# Cumulative shares, close to the real library: gold, silver, bronze, then untiered pages.
TIER_SHARES = (("gold", 0.3), ("silver", 0.65), ("bronze", 0.7))
PROSE = (
    "Every remote call can fail slowly, and a slow failure holds a thread, a connection and a "
    "slot in every queue between the caller and the callee. The pattern bounds that cost: it "
    "measures what goes wrong, decides early and gives the caller a clear answer instead of a "
    "timeout. Teams that run it in production tune its thresholds from real traffic, export "
    "its state as metrics and rehearse its failure modes in game days before they need them."
)


def front_matter(rng: random.Random, title: str, category: str, tier: str | None) -> str:
    lines = [
        f"title: {title}",
        f"description: {title} for distributed systems that must stay up under partial failure",
        f"category: {category}",
        f"introduced: {rng.randint(1975, 2020)}-{rng.randint(1, 12):02d}",
        f"current_relevance: {rng.choice(['mainstream', 'growing', 'declining'])}",
        f"essential_question: How do we apply {title.lower()} without new failure modes?",
    ]
    if tier:
        lines.append(f"excellence_tier: {tier}")
    if tier == "gold":
        lines.append("modern_examples:")
        for company in rng.sample(COMPANIES, 3):
            lines += [
                f"- company: {company}",
                f"  implementation: {title} in front of every service-to-service call",
                f"  scale: {rng.randint(2, 900)}M requests a day, {rng.randint(10, 900)} services",
            ]
        lines.append("production_checklist:")
        lines += [f"- Step {n}: measure, alert and rehearse the failure path" for n in range(9)]
    elif tier == "silver":
        lines += ["trade_offs:", "  pros:", "  - Simple to reason about", "  - Mature libraries"]
        lines += ["  cons:", "  - Adds latency on every call", "  - Needs careful tuning"]
        lines.append(f"best_for: Services with {rng.choice(['bursty', 'steady'])} traffic")
    elif tier == "bronze":
        lines += ["modern_alternatives:", "- Event streaming", "- Sagas with compensation"]
        lines.append("deprecation_reason: Couples services and blocks independent deployment")
    lines += ["related_laws:", "- correlated-failure", "- asynchronous-reality"]
    lines += ["tags:", f"- {category}", "- distributed-systems", "type: pattern"]
    return "\n".join(lines)


def body(rng: random.Random, title: str, tier: str | None, size: int) -> str:
    parts = [f"# {title}", ""]
    if tier:
        parts += [BANNERS[tier], "    **Proven at scale** • see the examples below", ""]
    section = 0
    while sum(len(part) + 1 for part in parts) < size:
        section += 1
        parts += [f"## Part {section}", "", textwrap.fill(PROSE, 100), ""]
        parts += ["| Scenario | Example | Impact |", "|---|---|---|"]
        for case in range(5):
            parts.append(f"| Case {case} | {rng.choice(COMPANIES)} | {rng.randint(5, 99)}% |")
        parts += ["", "```mermaid", "graph LR", "    A[Client] --> B[Pattern] --> C[Service]"]
        parts += ["```", "", "---", ""]
    return "\n".join(parts)


def generate(directory: Path, count: int = 400, seed: int = 2024) -> list[str]:
    """``count`` pages shaped like the real library: mostly tiered, some untiered or bare."""
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        category = rng.choice(list(CATEGORIES))
        slug = f"{rng.choice(CATEGORIES[category])}-{number}"
        title = slug.replace("-", " ").title()
        roll = rng.random()
        tier = next((t for t, limit in TIER_SHARES if roll < limit), None)
        size = rng.randint(6_000, 35_000)
        text = body(rng, title, tier, size)
        if roll < 0.95:  # the rest has no front matter at all
            text = f"---\n{front_matter(rng, title, category, tier)}\n---\n\n{text}"
        relative = Path("docs", "pattern-library", category, f"{slug}.md")
        (directory / relative).parent.mkdir(parents=True, exist_ok=True)
        (directory / relative).write_text(text, encoding="utf-8")
        pages.append(relative.as_posix())
    return sorted(pages)


# --- Measuring ------------------------------------------------------------------------------


def timed(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds one whole process takes; tierbot exits 1 when the pages have errors."""
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{command[:4]} failed ({result.returncode}):\n{result.stderr.decode()}")
    return elapsed


def run(root: Path, pages: list[str], runs: int) -> tuple[list[float], list[float], dict]:
    env = dict(os.environ)
    # The `tierbot` console script beside this interpreter is what users run; without an
    # install, `python -m bot` from the source checkout does the same work.
    script = Path(sys.executable).with_name("tierbot")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    entry = [str(script)] if script.is_file() else [sys.executable, "-m", "bot"]
    tierbot = [*entry, "check", "--format", "json", *pages]
    floor = [sys.executable, "-c", FLOOR, *pages]
    check = subprocess.run(tierbot, cwd=root, env=env, capture_output=True, check=False)
    if check.returncode not in (0, 1):
        sys.exit(f"tierbot failed ({check.returncode}):\n{check.stderr.decode()}")
    summary = json.loads(check.stdout)["summary"]
    timed(floor, root, env)  # warm-up, untimed
    times: dict[str, list[float]] = {"tierbot": [], "floor": []}
    for round_number in range(runs):
        order = ("tierbot", "floor") if round_number % 2 == 0 else ("floor", "tierbot")
        for name in order:
            times[name].append(timed(tierbot if name == "tierbot" else floor, root, env))
    return times["tierbot"], times["floor"], summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus")
    parser.add_argument("--generate", action="store_true", help="use 400 generated pages")
    parser.add_argument("--max-ratio", type=float, help="exit 1 when the ratio is above this")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="tierbot-bench-") as scratch:
        if args.corpus.is_dir() and not args.generate:
            root, pages = corpus_pages(args.corpus)
            source = f"{len(pages)} pattern pages of {root}"
        else:
            root = Path(scratch)
            pages = generate(root)
            source = f"{len(pages)} generated pages in {root}"
        if not pages:
            sys.exit(f"no pattern pages under {args.corpus}")
        size = sum((root / page).stat().st_size for page in pages)
        print(f"corpus: {source} ({size / 1e6:.1f} MB)")
        tierbot, floor, summary = run(root, pages, args.runs)

    median_tierbot = statistics.median(tierbot)
    median_floor = statistics.median(floor)
    ratio = median_tierbot / median_floor
    print(
        f"findings: {summary['errors']} errors, {summary['warnings']} warnings "
        f"in {summary['files']} files"
    )
    print(f"runs: {args.runs}, interleaved; python: {sys.executable}")
    print(f"tierbot check --format json  median {median_tierbot * 1000:7.1f} ms")
    print(f"floor (read + CSafeLoader)   median {median_floor * 1000:7.1f} ms")
    verdict = "met" if ratio <= GOAL else "missed"
    print(f"ratio {ratio:.2f} (goal <= {GOAL}: {verdict})")
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
