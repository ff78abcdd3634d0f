#!/usr/bin/env python3
"""Replays an asciicast v2 recording into pyte (an independent VT100 terminal model) and prints the
final screen, one line per row with trailing blanks removed, after checking the format:
the header is a JSON object with version 2, width and height; every event is [float, "o", str]
with non-decreasing times. Exit status 2 and a message on a format error; 3 when pyte is missing
and cannot be fetched.

When pyte is not installed, its wheel and wcwidth's (both pure Python, pinned) are downloaded once
with `pip download` into the tokenscope cache and imported from there, so a fresh machine needs
nothing installed system-wide (no `pip install`, which some systems refuse).

Usage: cast_screen.py FILE.cast
"""
import glob
import json
import os
import subprocess
import sys

WHEELS = ["pyte==0.8.2", "wcwidth==0.2.13"]


def import_pyte():
    """Returns the pyte module, fetching its pinned wheels into the cache when it is not installed."""
    try:
        import pyte
        return pyte
    except ImportError:
        pass
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(cache, "tokenscope", "python-wheels")
    def wheels():
        return sorted(glob.glob(os.path.join(folder, "pyte-*.whl")) + glob.glob(os.path.join(folder, "wcwidth-*.whl")))
    if len(wheels()) < 2:
        os.makedirs(folder, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                        "-q", "-d", folder] + WHEELS, stdout=sys.stderr, check=False)
    for wheel in wheels():
        sys.path.insert(0, wheel)
    try:
        import pyte
        return pyte
    except ImportError:
        return None


def main(path):
    pyte = import_pyte()
    if pyte is None:
        print("pyte is not installed and its wheels could not be downloaded (pip install pyte)", file=sys.stderr)
        return 3
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        print("empty recording", file=sys.stderr)
        return 2
    header = json.loads(lines[0])
    if not isinstance(header, dict) or header.get("version") != 2:
        print("header: not version 2: %r" % (header,), file=sys.stderr)
        return 2
    width, height = header.get("width"), header.get("height")
    if not isinstance(width, int) or not isinstance(height, int) or width <= 0 or height <= 0:
        print("header: bad width/height", file=sys.stderr)
        return 2
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    last = 0.0
    for number, line in enumerate(lines[1:], start=2):
        event = json.loads(line)
        if not (isinstance(event, list) and len(event) == 3 and isinstance(event[0], float)
                and event[1] == "o" and isinstance(event[2], str)):
            print("line %d: not [float, \"o\", string]: %s" % (number, line[:80]), file=sys.stderr)
            return 2
        if event[0] < last:
            print("line %d: time goes back" % number, file=sys.stderr)
            return 2
        last = event[0]
        stream.feed(event[2])
    print("events %d" % (len(lines) - 1))
    for row in screen.display:
        print(row.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
