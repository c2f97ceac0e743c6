#!/usr/bin/env python3
"""A test collection (queries.tsv, qrels.tsv as in shared/corpora/testcollections)
as the quality suite's judgment lines: `NAME<TAB>query id<TAB>query<TAB>doc:grade...`.
Queries without judgments are left out.

Usage: collection_to_tsv.py NAME DIR > judgments.tsv
"""
import sys
from collections import defaultdict


def main():
    name, directory = sys.argv[1], sys.argv[2]
    judged = defaultdict(dict)
    with open(f"{directory}/qrels.tsv", encoding="utf-8") as qrels:
        for line in qrels:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3 and int(fields[2]) > 0:
                judged[fields[0]][fields[1]] = int(fields[2])
    with open(f"{directory}/queries.tsv", encoding="utf-8") as queries:
        for line in queries:
            query_id, text = line.rstrip("\n").split("\t", 1)
            if judged[query_id]:
                text = " ".join(text.split())
                grades = " ".join(f"{d}:{g}" for d, g in sorted(judged[query_id].items()))
                print(f"{name}\t{query_id}\t{text}\t{grades}")


if __name__ == "__main__":
    main()
