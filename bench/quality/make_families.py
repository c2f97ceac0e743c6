#!/usr/bin/env python3
"""Writes the quality suite's query families over a corpus (JSONL), with judgments,
as `family<TAB>query id<TAB>query<TAB>doc:grade doc:grade...` lines. Deterministic for
its own fixed seed (never calibration's: `foldrank calibrate` samples with others).

Families (each drawn from documents picked half by popularity, half uniformly):
  title   1-3 of the target's rarest title words (a user who knows the name's words)
  body    2-3 rare words of the target's body that are not in its title (someone who
          remembers what it does, not what it is called)
  rare    one word that at most 3 documents hold, from the target's body; every
          document holding it is relevant, the target most (grade 2)
  topic   a tag's words ("game strategy" for game::strategy) plus one rare word of
          the target's title; documents with the tag are grade 1, the target grade 2
  typo    two of the target's rarest title words, one misspelled (a letter dropped,
          doubled or swapped) or cut short, as typed in a hurry

Usage: make_families.py CORPUS.jsonl[.gz] [--per-family N] > families.tsv
"""
import argparse
import gzip
import json
import random
import re
from collections import Counter, defaultdict

SEED = 20261208
STOP = {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
        "is", "it", "its", "no", "not", "of", "on", "or", "such", "that", "the", "their",
        "then", "there", "these", "they", "this", "to", "was", "will", "with", "you", "can",
        "from", "which", "all", "also", "other", "more", "has", "have", "package", "provides",
        "contains", "files", "file", "library", "data", "support", "used", "using", "use"}


def words(text):
    return [w for w in re.findall(r"[a-z][a-z0-9]{2,}", text.lower()) if w not in STOP]


def misspell(word, rng):
    if len(word) > 6 and rng.random() < 0.3:
        return word[:max(4, len(word) * 2 // 3)]  # Cut short.
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--per-family", type=int, default=300)
    args = parser.parse_args()
    opener = gzip.open if args.corpus.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines if line.strip()]
    df = Counter()
    holders = defaultdict(list)
    by_tag = defaultdict(list)
    for doc in docs:
        distinct = set(words(doc.get("title", "") + " " + doc.get("body", "")))
        df.update(distinct)
        for word in distinct:
            if len(holders[word]) <= 3:
                holders[word].append(doc["id"])
        for tag in doc.get("tags", []):
            by_tag[tag].append(doc["id"])
    rng = random.Random(SEED)
    popular = sorted(docs, key=lambda d: -d.get("popularity", 0))[:5000]
    out = []

    def pick():
        return rng.choice(popular if rng.random() < 0.5 else docs)

    def title_words(doc):
        synopsis = doc.get("title", "").split(":", 1)[-1]
        return sorted(set(words(synopsis)), key=lambda w: (df[w], w))

    makers = {}

    def title(doc):
        terms = title_words(doc)[:rng.choice([1, 2, 2, 3])]
        return (" ".join(rng.sample(terms, len(terms))), {doc["id"]: 1}) if terms else None
    makers["title"] = title

    def body(doc):
        in_title = set(words(doc.get("title", "")))
        terms = [w for w in sorted(set(words(doc.get("body", ""))), key=lambda w: (df[w], w))
                 if w not in in_title and df[w] >= 2][:rng.choice([2, 3])]
        return (" ".join(rng.sample(terms, len(terms))), {doc["id"]: 1}) if len(terms) >= 2 else None
    makers["body"] = body

    def rare(doc):
        candidates = sorted(w for w in set(words(doc.get("body", ""))) if 2 <= df[w] <= 3)
        if not candidates:
            return None
        word = rng.choice(candidates)
        judged = {other: 1 for other in holders[word]}
        judged[doc["id"]] = 2
        return word, judged
    makers["rare"] = rare

    def topic(doc):
        tags = [t for t in doc.get("tags", []) if "::" in t and 3 <= len(by_tag[t]) <= 300
                and not t.startswith(("role::", "implemented-in::", "interface::"))]
        extra = title_words(doc)[:1]
        if not tags or not extra:
            return None
        tag = rng.choice(sorted(tags))
        tag_words = " ".join(re.split(r"[:_-]+", tag))
        judged = {other: 1 for other in by_tag[tag]}
        judged[doc["id"]] = 2
        return f"{tag_words} {extra[0]}", judged
    makers["topic"] = topic

    def typo(doc):
        terms = [w for w in title_words(doc) if len(w) >= 5][:2]
        if len(terms) < 2:
            return None
        which = rng.randrange(2)
        terms[which] = misspell(terms[which], rng)
        return " ".join(terms), {doc["id"]: 1}
    makers["typo"] = typo

    for family, make in makers.items():
        seen = set()
        tries = 0
        while len(seen) < args.per_family and tries < args.per_family * 50:
            tries += 1
            made = make(pick())
            if not made or made[0] in seen:
                continue
            query, judged = made
            seen.add(query)
            grades = " ".join(f"{doc}:{grade}" for doc, grade in sorted(judged.items()))
            out.append(f"{family}\t{family}-{len(seen)}\t{query}\t{grades}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
