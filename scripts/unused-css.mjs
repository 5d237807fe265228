// Drops the rules of a stylesheet whose every selector names a class no page can have.
// NHS.UK frontend's core brings every utility (margins, paddings, widths, type sizes at each
// breakpoint) and each component every variant; the pages use a few. A class counts as used
// when it appears as a word anywhere in what can write one: our templates, Python and
// JavaScript, and the NHS.UK frontend Jinja templates the pages render (the page template and
// the components ours and theirs import).
// A word ending in "-" or "_" (`mkw-entry--{{ feeling }}`, `"nhsuk-button--" ~ variant`)
// keeps every class that starts with it. Anything that is not a class (elements, attributes,
// :root, @font-face, @keyframes) is kept as it is. The browser tests check that no page they
// open has a class this dropped (static/dist/unused-classes.json).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import postcss from "postcss";
import selectorParser from "postcss-selector-parser";

const SOURCE = /\.(html|py|js|mjs|jinja)$/;

function* files(path) {
  if (!statSync(path).isDirectory()) {
    if (SOURCE.test(path)) yield path;
    return;
  }
  for (const name of readdirSync(path)) yield* files(join(path, name));
}

// NHS.UK frontend's Jinja templates, from the Python package that renders them (make install).
export function nhsukJinjaTemplates(root) {
  const lib = join(root, ".venv", "lib");
  const found = existsSync(lib)
    ? readdirSync(lib)
        .map((python) => join(lib, python, "site-packages", "nhsuk_frontend_jinja", "templates", "nhsuk"))
        .find((dir) => existsSync(dir))
    : undefined;
  if (!found) throw new Error("nhsuk-frontend-jinja is not installed in .venv: run make install");
  return found;
}

// The NHS.UK templates the pages render: those our templates and Python name (`nhsuk/template.jinja`,
// `nhsuk/components/header/…`, `nhsuk_fragment("footer", …)`), and those they import in turn
// (`nhsuk/macros/icon.jinja`). `nhsuk` is the folder of the package's templates.
export function templatesUsed(sources, nhsuk) {
  const mentions = (text) =>
    [...text.matchAll(/nhsuk\/(components\/[a-z-]+|[a-z/-]+\.jinja)|nhsuk_fragment\("([a-z-]+)"/g)].map(
      (m) => (m[2] ? `components/${m[2]}` : m[1]),
    );
  const found = new Set();
  const queue = [];
  for (const dir of sources) for (const file of files(dir)) queue.push(...mentions(readFileSync(file, "utf8")));
  while (queue.length) {
    const name = queue.pop();
    if (found.has(name) || !existsSync(join(nhsuk, name))) continue;
    found.add(name);
    for (const file of files(join(nhsuk, name))) queue.push(...mentions(readFileSync(file, "utf8")));
  }
  return [...found].sort().map((name) => join(nhsuk, name));
}

export function wordsIn(dirs) {
  const words = new Set();
  for (const dir of dirs) {
    for (const file of files(dir)) {
      for (const word of readFileSync(file, "utf8").match(/[A-Za-z0-9_-]+/g) || []) words.add(word);
    }
  }
  const prefixes = [...words].filter((w) => /[-_]$/.test(w) && w.length > 3);
  return { words, prefixes };
}

// The stylesheet without those rules, and the classes that made a rule go.
export function dropUnusedRules(css, { words, prefixes }) {
  const used = (name) => words.has(name) || prefixes.some((p) => name.startsWith(p));
  const dropped = new Set();
  const possible = (selector) => {
    let ok = true;
    selectorParser((root) => {
      root.walkClasses((node) => {
        // A class inside :not() rules nothing out.
        if (node.parent?.parent?.type === "pseudo" && node.parent.parent.value === ":not") return;
        if (!used(node.value)) {
          ok = false;
          dropped.add(node.value);
        }
      });
    }).processSync(selector);
    return ok;
  };
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    if (rule.parent?.type === "atrule" && /keyframes$/.test(rule.parent.name)) return;
    const kept = rule.selectors.filter(possible);
    if (kept.length === 0) rule.remove();
    else if (kept.length !== rule.selectors.length) rule.selectors = kept;
  });
  root.walkAtRules((at) => {
    if (at.nodes && at.nodes.length === 0) at.remove();
  });
  return { css: root.toResult().css, dropped: [...dropped].sort() };
}
