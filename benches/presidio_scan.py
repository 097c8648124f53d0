#!/usr/bin/env python3
"""The Presidio side of benches/compare.py: scan a text file line by line with
Microsoft Presidio's AnalyzerEngine and count the entities found.

    python3 benches/presidio_scan.py FILE

No spaCy model is installed (and none can be downloaded), so the engine runs
with Presidio's NoOpNlpEngine -- its own engine "for AnalyzerEngine
configurations where all active recognizers are self-contained": it loads no
model and hands every recognizer empty NLP artifacts. The registry holds only
four regex PatternRecognizers, one per identifier, with the same patterns
compare.py gives ripgrep and DuckDB. No predefined recognizer is loaded (the
predefined e-mail recognizer would pull in tldextract, which fetches the
public-suffix list over the network).

Each line is one analyze() call, as a user scanning a dump would write it;
the entity counts go to stdout.
"""
import argparse
import collections
import sys
import time

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine

LANG = "zh"

# entity -> regex; the same shapes as compare.py (ripgrep) and duckdb_count.py.
PATTERNS = {
    "CN_RESIDENT_ID": r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
    "CN_MOBILE": r"1[3-9]\d{9}",
    "EMAIL_ADDRESS": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "BANK_CARD": r"[3-6]\d{15,18}",
}


def build_analyzer():
    """An AnalyzerEngine with no NLP model and only the four regex recognizers."""
    nlp_engine = NoOpNlpEngine(models=[{"lang_code": LANG, "model_name": "none"}])
    registry = RecognizerRegistry(supported_languages=[LANG])
    for entity, regex in PATTERNS.items():
        registry.add_recognizer(PatternRecognizer(
            supported_entity=entity,
            name=f"{entity}_recognizer",
            patterns=[Pattern(name=entity.lower(), regex=regex, score=0.6)],
            supported_language=LANG,
        ))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine,
                          supported_languages=[LANG])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    a = ap.parse_args()

    t0 = time.perf_counter()
    analyzer = build_analyzer()
    entities = list(PATTERNS)
    counts = collections.Counter()
    lines = 0
    with open(a.file, encoding="utf-8", errors="replace") as f:
        for line in f:
            lines += 1
            for r in analyzer.analyze(text=line, language=LANG, entities=entities):
                counts[r.entity_type] += 1
    for entity in entities:
        print(f"{entity:<16}{counts[entity]:>12,}")
    print(f"# {a.file}: {lines:,} lines, {time.perf_counter() - t0:.3f} s inside Python",
          file=sys.stderr)


if __name__ == "__main__":
    main()
