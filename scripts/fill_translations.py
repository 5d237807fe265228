"""Fill empty msgstr entries of a .po file from a Python dict file (msgid -> translation).

Used when merging catalogues or adding a batch of translations: `python scripts/
fill_translations.py translations/ur/LC_MESSAGES/messages.po extra.py` where extra.py defines
a dict named UR (or any one dict). Existing translations are kept unless --force.
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, dict_path: str, force: bool = False) -> int:
    found = runpy.run_path(dict_path).items()
    values = [v for k, v in found if isinstance(v, dict) and not k.startswith("_")]
    wanted = values[0]
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    filled = 0
    for message in catalog:
        if message.id and message.id in wanted and (force or not message.string):
            message.string = wanted[message.id]
            message.flags.discard("fuzzy")
            filled += 1
    with open(po_path, "wb") as f:
        write_po(f, catalog, width=76)
    print(f"{po_path}: filled {filled}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], "--force" in sys.argv))
