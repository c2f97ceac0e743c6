#!/usr/bin/python3
"""The crash test's other process: a site writing to the ledger with its own SQLite
client while folders are killed.

  crash_writer.py write LEDGER ACKED COUNT   insert COUNT impressions with 1-2 clicks
                                            each; after each commit, append the click
                                            event ids to ACKED (acknowledged = committed)
  crash_writer.py verify LEDGER ACKED        check the ledger after the final fold;
                                            prints counts, exits 1 on any violation
"""
import random
import sqlite3
import struct
import sys
import time

FEATURES = 16


def write(ledger, acked_path, count):
    db = sqlite3.connect(ledger, timeout=30, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 30000")
    rng = random.Random(11)
    with open(acked_path, "a") as acked:
        for i in range(count):
            query_id = f"crash-{i:05d}"
            shown = [f"doc-{rng.randrange(40)}" for _ in range(6)]
            shown = list(dict.fromkeys(shown))
            clicked = rng.sample(range(len(shown)), rng.choice([1, 2]))
            now_ms = int(time.time() * 1000)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO impressions(query_id, created_ms, query, user_hash, model_version,"
                       " policy, temperature, feature_set) VALUES (?, ?, ?, '', 1, 'plackett_luce', 1.0, 1)",
                       (query_id, now_ms, f"query {i % 17}"))
            for position, doc in enumerate(shown):
                features = struct.pack(f"<{FEATURES}f", *[rng.random() for _ in range(FEATURES)])
                db.execute("INSERT INTO impression_results(query_id, position, doc_id, score,"
                           " probability, features) VALUES (?, ?, ?, 0.0, ?, ?)",
                           (query_id, position, doc, 1.0 / (len(shown) - position), features))
            events = []
            for position in clicked:
                event = f"{query_id}-click-{position}"
                db.execute("INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms)"
                           " VALUES (?, ?, ?, ?, ?)", (event, query_id, shown[position], position, now_ms))
                events.append(event)
            db.execute("COMMIT")
            for event in events:
                acked.write(event + "\n")
            acked.flush()
            time.sleep(0.008)


def verify(ledger, acked_path):
    db = sqlite3.connect(ledger)
    acked = [line.strip() for line in open(acked_path) if line.strip()]
    stored = {row[0] for row in db.execute("SELECT event_id FROM clicks")}
    missing = [event for event in acked if event not in stored]
    clicks = db.execute("SELECT COUNT(*) FROM clicks").fetchone()[0]
    unfolded = db.execute("SELECT COUNT(*) FROM clicks WHERE folded_by IS NULL").fetchone()[0]
    bad_fold = db.execute("SELECT COUNT(*) FROM clicks c LEFT JOIN models m ON m.version = c.folded_by"
                          " WHERE m.version IS NULL").fetchone()[0]
    counted = db.execute("SELECT COALESCE(SUM(clicks), 0) FROM click_counts_now").fetchone()[0]
    impressions = db.execute("SELECT COUNT(*) FROM impressions").fetchone()[0]
    unsettled = db.execute("SELECT COUNT(*) FROM impressions WHERE folded = 0").fetchone()[0]
    expected = db.execute("SELECT COALESCE(SUM(expected), 0) FROM click_counts_now").fetchone()[0]
    want_expected = db.execute("SELECT COALESCE(SUM(1.0 / (position + 1)), 0) FROM impression_results").fetchone()[0]
    versions = db.execute("SELECT COUNT(*) FROM models").fetchone()[0]
    print(f"acknowledged {len(acked)}, stored {clicks}, missing {len(missing)}, unfolded {unfolded},"
          f" folded by an unknown version {bad_fold}, counted {int(counted)}, impressions {impressions},"
          f" unsettled {unsettled}, model versions {versions}")
    ok = (not missing and unfolded == 0 and bad_fold == 0 and int(counted) == clicks
          and unsettled == 0 and abs(expected - want_expected) < 1e-6 * max(1.0, want_expected))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        verify(sys.argv[2], sys.argv[3])
