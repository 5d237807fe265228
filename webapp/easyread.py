"""The easy-read library in easyread/: loading the files and checking them against the rules.

One file per topic and language, e.g. easyread/what-is-a-key-worker.en.yaml. Every problem
names the file, the line, the topic and the chunk, so whoever wrote it can find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import ROOT
from .pictures import known_pictures

LIBRARY = ROOT / "easyread"
STATUSES = {"ready", "draft"}  # ready: load for review; draft: still being written
FIELDS = {"topic", "language", "version", "status", "title", "chunks"}
CHUNK_FIELDS = {"text", "picture", "alt"}
WORDS_EXPLAINED = "words-explained"


@dataclass
class Chunk:
    text: str
    picture: str
    alt: str
    line: int = 0


@dataclass
class LibraryEntry:
    topic: str
    language: str
    version: int
    status: str
    title: str
    chunks: list[Chunk]
    path: Path = field(default_factory=Path)
    line: int = 1

    def as_chunks(self) -> list[dict]:
        return [{"text": c.text, "picture": c.picture, "alt": c.alt} for c in self.chunks]


@dataclass
class Problem:
    path: Path
    line: int
    message: str
    topic: str = ""
    chunk: int | None = None

    def __str__(self) -> str:
        where = f"{_relative(self.path)}:{self.line}"
        if self.topic:
            where += f" [{self.topic}" + (f", chunk {self.chunk}" if self.chunk else "") + "]"
        return f"{where}: {self.message}"


class LibraryError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# Loading ---------------------------------------------------------------------------------


def _mapping(node, path: Path) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise LibraryError([Problem(path, node.start_mark.line + 1, "expected keys and values")])
    return {k.value: v for k, v in node.value}


def _text(node) -> str:
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) and node.value else ""


def load_file(path: Path) -> LibraryEntry:
    """Read one file, or raise LibraryError saying exactly where it is wrong."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise LibraryError(
            [Problem(path, line, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]
        ) from None
    if root is None:
        raise LibraryError([Problem(path, 1, "the file is empty")])
    nodes = _mapping(root, path)
    problems = []
    for missing in sorted(FIELDS - nodes.keys()):
        problems.append(Problem(path, 1, f"missing '{missing}'"))
    for extra in sorted(nodes.keys() - FIELDS):
        problems.append(Problem(path, nodes[extra].start_mark.line + 1, f"unknown key '{extra}'"))
    if problems:
        raise LibraryError(problems)

    def scalar(name):
        node = nodes[name]
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            problems.append(Problem(path, node.start_mark.line + 1, f"'{name}' must be a value"))
            return ""
        return str(node.value).strip()

    topic, language, status, title = (scalar(n) for n in ("topic", "language", "status", "title"))
    version_text = scalar("version")
    if version_text and not version_text.isdigit():
        problems.append(
            Problem(path, nodes["version"].start_mark.line + 1, "'version' must be a whole number")
        )
    if status and status not in STATUSES:
        problems.append(
            Problem(path, nodes["status"].start_mark.line + 1,
                    f"unknown status '{status}': use one of {', '.join(sorted(STATUSES))}")
        )  # fmt: skip
    expected = f"{topic}.{language}.yaml"
    if topic and language and path.name != expected:
        problems.append(
            Problem(path, 1, f"the file for this topic and language must be named {expected}")
        )

    chunks = []
    chunk_nodes = nodes["chunks"]
    if not isinstance(chunk_nodes, yaml.SequenceNode) or not chunk_nodes.value:
        problems.append(Problem(path, chunk_nodes.start_mark.line + 1, "'chunks' must be a list"))
    else:
        for node in chunk_nodes.value:
            line = node.start_mark.line + 1
            values = _mapping(node, path)
            unknown = values.keys() - CHUNK_FIELDS
            if unknown:
                problems.append(
                    Problem(path, line, f"unknown chunk key(s): {', '.join(sorted(unknown))}")
                )
            text, picture, alt = (_text(values.get(k)) for k in ("text", "picture", "alt"))
            chunks.append(Chunk(text, picture, alt, line))
    if problems:
        raise LibraryError(problems)
    return LibraryEntry(topic, language, int(version_text), status, title, chunks, path)


def load_library(folder: Path = LIBRARY) -> list[LibraryEntry]:
    """Every file, or LibraryError listing every problem in every file (nothing half-loaded)."""
    entries, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            entries.append(load_file(path))
        except LibraryError as error:
            problems.extend(error.problems)
    if problems:
        raise LibraryError(problems)
    return entries


# Linting ---------------------------------------------------------------------------------


def load_rules(folder: Path = LIBRARY) -> dict:
    return yaml.safe_load((folder / "_rules.yaml").read_text(encoding="utf-8"))


# Full stops: Latin, Arabic and Urdu, and the danda of Bengali and Gurmukhi.
SENTENCE_END = re.compile(r"(?<=[.!?؟۔।])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def words(sentence: str) -> list[str]:
    return [w for w in re.split(r"\s+", sentence.strip()) if w]


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", text.lower()) is not None


def reading_ease(entry: LibraryEntry) -> float | None:
    """Flesch reading ease of the whole entry; English only (the formula is for English)."""
    if entry.language != "en":
        return None
    import textstat

    return textstat.flesch_reading_ease(" ".join(c.text for c in entry.chunks))


def lint(entries: list[LibraryEntry], rules: dict, pictures: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    explained = " ".join(c.text for e in entries if e.topic == WORDS_EXPLAINED for c in e.chunks)
    max_words = rules["max_words_per_sentence"]
    max_sentences = rules["max_sentences_per_chunk"]
    for entry in entries:
        for n, chunk in enumerate(entry.chunks, start=1):

            def add(message, chunk=chunk, n=n, entry=entry):
                problems.append(Problem(entry.path, chunk.line, message, entry.topic, n))

            if not chunk.text:
                add("the chunk has no text")
                continue
            found = sentences(chunk.text)
            if len(found) > max_sentences:
                add(f"{len(found)} sentences: use at most {max_sentences} (one idea) per chunk")
            for sentence in found:
                count = len(words(sentence))
                if count > max_words:
                    add(f'{count} words in "{sentence}": use at most {max_words}')
            if not chunk.picture:
                add("no picture: every chunk needs one")
            elif chunk.picture not in pictures:
                add(f"unknown picture '{chunk.picture}': add it to static/src/pictures.json")
            if not chunk.alt:
                add("no alt text: say what the picture means here")
            for idiom in rules.get("idioms", []):
                if _contains(chunk.text, idiom):
                    add(f"'{idiom}' is an idiom: say what you mean in plain words")
            if entry.language == "en" and entry.topic != WORDS_EXPLAINED:
                for term in rules.get("jargon", []):
                    if _contains(chunk.text, term) and not _contains(explained, term):
                        add(f"'{term}' is not explained in '{WORDS_EXPLAINED}': explain it there")
        ease = reading_ease(entry)
        if ease is not None and ease < rules["reading_ease_floor"]:
            problems.append(
                Problem(entry.path, entry.line,
                        f"reading ease {ease:.0f} is below {rules['reading_ease_floor']}: "
                        "use shorter words and sentences", entry.topic)
            )  # fmt: skip
    return problems


def lint_library(folder: Path = LIBRARY) -> tuple[list[LibraryEntry], list[Problem]]:
    try:
        entries = load_library(folder)
    except LibraryError as error:
        return [], error.problems
    return entries, lint(entries, load_rules(folder), known_pictures())
