"""Remake webapp/data/common-passwords.txt.gz from the npm package @zxcvbn-ts/language-common.

    npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz
    python scripts/common_passwords.py package/src/passwords.json

Keeps entries of 8 characters or more (shorter passwords are refused for their length), lower-
cased, most used first. The app reads the file offline; nothing is fetched at run time.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "webapp" / "data" / "common-passwords.txt.gz"
HEADER = (
    "# Common passwords, most used first: every entry of 8 characters or more from the\n"
    "# list in the npm package @zxcvbn-ts/language-common 4.1.3 (src/passwords.json, MIT licence,\n"
    "# (c) 2012-2016 Dan Wheeler and Dropbox, Inc., (c) 2021 @zxcvbn-ts), lower-cased.\n"
    "# Made by scripts/common_passwords.py. Shorter ones are refused for their length anyway.\n"
)


def main(source: str) -> None:
    words, seen = [], set()
    for word in json.loads(Path(source).read_text()):
        word = word.strip().lower()
        if len(word) >= 8 and word not in seen:
            seen.add(word)
            words.append(word)
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write((HEADER + "\n".join(words) + "\n").encode())
    print(f"{len(words)} passwords written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
