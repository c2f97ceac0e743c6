#!/usr/bin/env python3
"""Converts this machine's Debian package catalogue into foldrank's JSONL format.

Reads `apt-cache dumpavail` (every package apt knows) and, where apt has downloaded
them, the Translation-en lists that hold long descriptions. One document a package:
  id          package name
  title       "name: short description"
  body        long description (short description when no translation is available)
  section     Debian section (kept as stored data)
  tags        debtags (e.g. "use::editing")
  popularity  number of packages that depend on it (Depends and Pre-Depends)
  url         /packages/NAME

Usage: scripts/debian_to_jsonl.py > debian.jsonl
Long descriptions need the translation lists: run
  apt-get update -o Acquire::Languages=en
once if /var/lib/apt/lists has no *Translation-en* file (the script says so).
"""

import glob
import json
import re
import subprocess
import sys
from collections import Counter

APT_HELPER = "/usr/lib/apt/apt-helper"


def stanzas(text):
    """Yields each RFC 822 stanza as a dict; continuation lines are joined with \\n."""
    fields, key = {}, None
    for line in text.splitlines():
        if not line.strip():
            if fields:
                yield fields
            fields, key = {}, None
        elif line[0] in " \t" and key:
            fields[key] += "\n" + line[1:]
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    if fields:
        yield fields


def read_list(path):
    """Reads an apt list file, decompressing .lz4/.gz/.xz through apt-helper."""
    return subprocess.run([APT_HELPER, "cat-file", path], check=True, capture_output=True,
                          text=True).stdout


def long_descriptions():
    """Description-md5 -> long description text, from every Translation-en list."""
    found = {}
    for path in glob.glob("/var/lib/apt/lists/*Translation-en*"):
        for fields in stanzas(read_list(path)):
            md5, text = fields.get("Description-md5"), fields.get("Description-en")
            if md5 and text:
                found[md5] = text
    return found


def description_body(text):
    """The long part of a Debian description: drop the synopsis line, ' .' = blank."""
    lines = text.split("\n")[1:]
    return "\n".join("" if line.strip() == "." else line for line in lines).strip()


def dependency_names(value):
    for alternative in re.split(r"[,|]", value):
        name = alternative.strip().split(" ")[0].split(":")[0]
        if name:
            yield name


def main():
    dump = subprocess.run(["apt-cache", "dumpavail"], check=True, capture_output=True,
                          text=True).stdout
    packages = {}
    for fields in stanzas(dump):
        name = fields.get("Package")
        if name and name not in packages:  # dumpavail lists the candidate version first
            packages[name] = fields
    translations = long_descriptions()
    if not translations:
        print("note: no Translation-en lists found; bodies hold short descriptions only. "
              "Run 'apt-get update -o Acquire::Languages=en' for long descriptions.",
              file=sys.stderr)

    reverse_depends = Counter()
    for fields in packages.values():
        dependencies = set()
        for key in ("Depends", "Pre-Depends"):
            dependencies.update(dependency_names(fields.get(key, "")))
        dependencies.discard(fields["Package"])
        reverse_depends.update(dependencies)

    for name, fields in sorted(packages.items()):
        synopsis = fields.get("Description", "").split("\n")[0].strip()
        long_text = translations.get(fields.get("Description-md5", ""))
        body = description_body(long_text) if long_text else ""
        if not body:
            body = description_body(fields.get("Description", "")) or synopsis
        tags = [t.strip() for t in fields.get("Tag", "").replace("\n", " ").split(",")
                if t.strip()]
        doc = {"id": name, "title": f"{name}: {synopsis}", "body": body,
               "section": fields.get("Section", ""), "tags": tags,
               "popularity": reverse_depends[name], "url": f"/packages/{name}"}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(packages)} packages", file=sys.stderr)


if __name__ == "__main__":
    main()
