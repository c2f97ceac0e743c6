#!/usr/bin/env python3
"""Writes the fixed benchmark query set: seeded known-item queries over the Debian
package corpus, as a search box would see them: 1-3 of a target package's most
distinctive synopsis words (lowest document frequency). One "query<TAB>target id"
per line. Deterministic.

Usage: zcat debian-packages.jsonl.gz | bench/make_queries.py 500 > bench/queries/debian-500.tsv
"""
import json
import random
import re
import sys
from collections import Counter

STOP = {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
        "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
        "there", "these", "they", "this", "to", "was", "will", "with", "-", "package"}


def words(text):
    return [w for w in re.findall(r"[a-z][a-z0-9+.-]*[a-z0-9]", text.lower()) if w not in STOP]


def main():
    count = int(sys.argv[1])
    docs = [json.loads(line) for line in sys.stdin]
    df = Counter()
    for doc in docs:
        df.update(set(words(doc["title"])))
    rng = random.Random(500)
    # Head/tail mix: half the targets weighted by popularity, half uniform.
    popular = sorted(docs, key=lambda d: -d.get("popularity", 0))[:5000]
    queries, seen = [], set()
    while len(queries) < count:
        doc = rng.choice(popular if rng.random() < 0.5 else docs)
        synopsis = doc["title"].split(":", 1)[-1]
        terms = sorted(set(words(synopsis)), key=lambda w: df[w])[:rng.choice([1, 2, 2, 3, 3])]
        if not terms:
            continue
        rng.shuffle(terms)
        query = " ".join(terms)
        if query not in seen:
            seen.add(query)
            queries.append(f"{query}\t{doc['id']}")
    sys.stdout.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
