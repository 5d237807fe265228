"""Stop `make translations` on a broken translation, naming the file and line.

Checks every translations/<language>/LC_MESSAGES/messages.po with webapp/translation_check.py:
placeholders kept and spelled right, no stray "%", the plural forms its header asks for, and in
right-to-left languages the right-to-left marks. `--fix` adds the missing marks (nothing else:
a wrong placeholder needs a person who reads the language).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import languages  # noqa: E402
from webapp.translation_check import check_catalogue, fix_marks  # noqa: E402


def main(argv: list[str], folder: Path = ROOT / "translations") -> int:
    problems = []
    for code in languages.available(folder):
        if code == languages.SOURCE:
            continue
        path = languages.catalogue_path(folder, code)
        if path.is_relative_to(ROOT):
            path = path.relative_to(ROOT)  # short names in the messages, as editors link them
        rtl = code in languages.rtl_codes()
        if "--fix" in argv and rtl:
            print(f"{path}: added right-to-left marks to {fix_marks(ROOT / path)} translations")
        problems += check_catalogue(ROOT / path, rtl=rtl, shown_as=str(path))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problems in translations: fix them and run `make translations` "
              "again.", file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
