// Builds static/dist: CSS (one for English, one per other language), JS, self-hosted fonts and the
// OpenMoji pictures we use. Every output file carries a content hash in its name, so it can be
// cached for a year; static/dist/manifest.json maps plain names to hashed ones for the app.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import * as sass from "sass";
import rtlcss from "rtlcss";
import subsetFont from "subset-font";
import { minify } from "terser";
import { bundleJs } from "./bundle-js.mjs";
import { dropUnusedRules, nhsukJinjaTemplates, templatesUsed, wordsIn } from "./unused-css.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "static", "src");
const dist = join(root, "static", "dist");
const nm = join(root, "node_modules");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "fonts"), { recursive: true });
mkdirSync(join(dist, "pictures"), { recursive: true });

const manifest = { files: {}, pictures: {}, precache: [] };

function hashed(name, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

function emit(relDir, name, content, { compress = true, precache = true } = {}) {
  const file = join(relDir, hashed(name, content));
  writeFileSync(join(dist, file), content);
  if (compress) {
    writeFileSync(join(dist, file + ".gz"), gzipSync(content, { level: 9 }));
    writeFileSync(
      join(dist, file + ".br"),
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
  const url = "dist/" + file;
  if (precache) manifest.precache.push(url);
  return url;
}

// Fonts: only the latin 400 and 700 faces; OpenDyslexic loads only when the setting is on.
// Atkinson's latin faces cut down to the letters English pages and the names in them use:
// ASCII, Latin-1 (é, ö, £), the punctuation and the few signs the pages write (2.8 kB of the
// 25 a first visit fetched). Anything else comes from the Latin Extended faces on Polish and
// Romanian pages, or from the phone's own font.
const codePoints = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join("");
const LATIN_KEEP = codePoints(0x20, 0x7e) + codePoints(0xa0, 0xff) + "\u0131\u0152\u0153" +
  codePoints(0x2010, 0x2027) + codePoints(0x2030, 0x203a) + "\u20ac\u2122\u2191\u2193\u2212";
const LATIN_RANGE = "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+2010-2027,U+2030-203A," +
  "U+20AC,U+2122,U+2191,U+2193,U+2212";
const fonts = [
  ["Atkinson Hyperlegible Next", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next", 400],
  ["Atkinson Hyperlegible Next", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next", 700],
  ["OpenDyslexic", "@fontsource/opendyslexic", "opendyslexic", 400],
];
let fontFaces = "";
for (const [family, pkg, stem, weight] of fonts) {
  const file = `${stem}-latin-${weight}-normal.woff2`;
  const original = readFileSync(join(nm, pkg, "files", file));
  const atkinson = family !== "OpenDyslexic";
  const content = atkinson ? await subset(original, LATIN_KEEP) : original;
  const url = emit("fonts", file, content, { compress: false, precache: atkinson });
  // Atkinson: "optional", not "swap". Swapped in late, its wider letters re-wrapped the
  // header's menu and moved the whole page down (Lighthouse: layout shift 0.2 on home and the
  // plan). A first visit on a slow line keeps the phone's own sans-serif for that page; the
  // service worker keeps the font, so every page after has it. OpenDyslexic, chosen on
  // purpose, and the scripts' fonts (below), which some phones lack, still swap in.
  fontFaces +=
    `@font-face{font-family:"${family}";font-style:normal;` +
    `font-display:${atkinson ? "optional" : "swap"};` +
    `font-weight:${weight};src:url("/static/${url}") format("woff2")` +
    (atkinson ? `;unicode-range:${LATIN_RANGE}}\n` : "}\n");
}

// Fonts for the PDF in "Your data to take away", drawn on the server (webapp/pdf.py): WOFF,
// which Python reads without more packages. Latin first, then the faces for Urdu's script.
mkdirSync(join(dist, "pdf-fonts"));
manifest.pdf_fonts = {};
const pdfFonts = [
  ["regular", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next-latin-400"],
  ["bold", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next-latin-700"],
  ["regular-ext", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next-latin-ext-400"],
  ["bold-ext", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next-latin-ext-700"],
  ["arabic", "@fontsource/noto-naskh-arabic", "noto-naskh-arabic-arabic-400"],
  ["arabic-bold", "@fontsource/noto-naskh-arabic", "noto-naskh-arabic-arabic-700"],
];
for (const [face, pkg, stem] of pdfFonts) {
  const file = `${stem}-normal.woff`;
  const content = readFileSync(join(nm, pkg, "files", file));
  manifest.pdf_fonts[face] = emit("pdf-fonts", file, content, { compress: false, precache: false });
}

// CSS
const compiled = sass.compile(join(src, "scss", "app.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
}).css;
// Without the rules for classes no page can have (scripts/unused-css.mjs): 19.2 -> 14.1 kB (br).
const nhsuk = nhsukJinjaTemplates(root);
const sources = [join(root, "templates"), join(root, "webapp"), join(src, "js")];
const { css: used, dropped } = dropUnusedRules(
  compiled,
  wordsIn([...sources, ...templatesUsed(sources, nhsuk)]),
);
writeFileSync(join(dist, "unused-classes.json"), JSON.stringify(dropped));
const css = fontFaces + used;
manifest.files["app.css"] = emit("", "app.css", css);

// Each language but English gets its own stylesheet: right to left for Urdu and Arabic (made
// by rtlcss), and the one font its script needs, so a Polish page downloads no Arabic font.
// The script's font is the family "MKW Script", which every font stack in app.scss names
// after Atkinson Hyperlegible Next (it exists only in these stylesheets); with unicode-range
// it is fetched only for the script's own letters, and Latin letters stay in Atkinson. Only
// 400 is shipped, declared for every weight so the browser makes bold from it. Urdu and Arabic
// both use Naskh, cut down to the letters each language uses (the file covers every language
// written in Arabic script). Not Nastaliq for Urdu: its file was 112 kB against Naskh's 12,
// and its taller lines pushed a young person's Red plan below the first screen after red. Polish and Romanian get Atkinson's Latin
// Extended faces (ą, ł, ș, ț).
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join("");
const controls = "\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069";
const scripts = {
  ur: {
    pkg: "@fontsource/noto-naskh-arabic", file: "noto-naskh-arabic-arabic-400-normal.woff2",
    keep: "ءآأؤئابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھۂۃیےۓ" + range(0x064b, 0x0655) + "\u0670" +
      range(0x06f0, 0x06f9) + range(0x0660, 0x0669) + "،؛؟۔٪" + controls,
  },
  ar: {
    pkg: "@fontsource/noto-naskh-arabic", file: "noto-naskh-arabic-arabic-400-normal.woff2",
    keep: range(0x0621, 0x063a) + range(0x0640, 0x0652) + "\u0670\u0671" + range(0x0660, 0x0669) + "،؛؟٪" + controls,
  },
  bn: { pkg: "@fontsource/noto-sans-bengali", file: "noto-sans-bengali-bengali-400-normal.woff2" },
  pa: { pkg: "@fontsource/noto-sans-gurmukhi", file: "noto-sans-gurmukhi-gurmukhi-400-normal.woff2" },
};
const latinExtended = ["pl", "ro"];
// Ă ă Ą ą Ć ć, Ę ę, Ł ł Ń ń, Ś ś, Ş ş, Ţ ţ, Ź ź Ż ż, Ș ș Ț ț (capitals and small letters).
const PL_RO_RANGE = "U+0102-0107,U+0118-0119,U+0141-0144,U+015A-015B,U+015E-015F," +
  "U+0162-0163,U+0179-017C,U+0218-021B";
const PL_RO_KEEP = codePoints(0x102, 0x107) + codePoints(0x118, 0x119) +
  codePoints(0x141, 0x144) + codePoints(0x15a, 0x15b) + codePoints(0x15e, 0x15f) +
  codePoints(0x162, 0x163) + codePoints(0x179, 0x17c) + codePoints(0x218, 0x21b);
const rtl = ["ur", "ar"];

// The unicode-range fontsource gives a file, from the package's own CSS.
function unicodeRange(pkg, file) {
  const weight = file.match(/-(\d00)-normal/)[1];
  const faces = readFileSync(join(nm, pkg, `${weight}.css`), "utf8").split("@font-face");
  const face = faces.find((f) => f.includes(file));
  const found = face && face.match(/unicode-range:\s*([^;]+);/);
  if (!found) throw new Error(`no unicode-range for ${file} in ${pkg}/${weight}.css`);
  return found[1].trim();
}

// Cutting a font down takes seconds: the result is kept in
// node_modules/.cache, named by what went in.
async function subset(content, keep) {
  const key = createHash("sha256").update(content).update(keep).digest("hex").slice(0, 16);
  const cached = join(nm, ".cache", "mkw-fonts", `${key}.woff2`);
  if (existsSync(cached)) return readFileSync(cached);
  const cut = await subsetFont(content, keep, { targetFormat: "woff2" });
  mkdirSync(dirname(cached), { recursive: true });
  writeFileSync(cached, cut);
  return cut;
}

function face(family, url, weight, unicode, display = "swap") {
  return `@font-face{font-family:"${family}";font-style:normal;font-display:${display};` +
    `font-weight:${weight};src:url("/static/${url}") format("woff2");unicode-range:${unicode}}\n`;
}

for (const lang of [...Object.keys(scripts), ...latinExtended]) {
  let faces = "";
  if (scripts[lang]) {
    const { pkg, file, keep } = scripts[lang];
    const original = readFileSync(join(nm, pkg, "files", file));
    const content = keep ? await subset(original, keep) : original;
    const url = emit("fonts", file, content, { compress: false, precache: false });
    // Declared for every weight: a bold heading then uses this file too, made bold by the
    // browser (a face declared 400 only would leave bold text to a system font, or boxes).
    faces = face("MKW Script", url, "100 900", unicodeRange(pkg, file));
  } else {
    // Latin Extended cut to the letters Polish and Romanian write beyond Latin-1 (7.5 kB a
    // weight before, on every page in those languages). Any other letter a name may have is
    // drawn by the phone's own font.
    for (const weight of [400, 700]) {
      const file = `atkinson-hyperlegible-next-latin-ext-${weight}-normal.woff2`;
      const pkg = "@fontsource/atkinson-hyperlegible-next";
      const content = await subset(readFileSync(join(nm, pkg, "files", file)), PL_RO_KEEP);
      const url = emit("fonts", file, content, { compress: false, precache: false });
      faces += face("Atkinson Hyperlegible Next", url, weight, PL_RO_RANGE, "optional");
    }
  }
  const extra = join(src, "scss", "languages", `${lang}.scss`);
  const own = existsSync(extra) ? sass.compile(extra, { style: "compressed" }).css : "";
  const base = rtl.includes(lang) ? rtlcss.process(css) : css;
  // Fetched by pages in that language only; the service worker caches it when first used.
  manifest.files[`app-${lang}.css`] = emit("", `app-${lang}.css`, faces + base + own, { precache: false });
}

// JS: the small ES modules of static/src/js joined into one file from app.js (one request).
// Then terser shortens local names and expressions: 5.2 -> 4.3 kB (br) on every first visit.
const js = await minify(bundleJs(join(src, "js", "app.js")), { ecma: 2020, compress: true, mangle: true });
manifest.files["app.js"] = emit("", "app.js", js.code);

// OpenMoji draws on a 72-unit square with four decimals. Two are plenty: a hundredth of a unit
// is a seventieth of a pixel at the largest size a page shows (96 px), and the pictures weigh a
// third less. Not one: relative path commands add up each number's rounding. Numbers are
// written out again with a separator wherever two would run together.
const NUMBER = /[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
function coarser(path) {
  let out = "";
  let previous = null;
  for (const token of path.match(NUMBER) || []) {
    if (/^[a-z]$/i.test(token)) {
      out += token;
      previous = null;
      continue;
    }
    const text = String(Math.round(Number(token) * 100) / 100).replace(/^(-?)0\./, "$1.");
    const joins = text.startsWith("-") || (text.startsWith(".") && previous?.includes("."));
    out += previous === null || joins ? text : `,${text}`;
    previous = text;
  }
  return out;
}

// Pictures: OpenMoji colour SVGs, named by our own keys, with OpenMoji's own words for each
// (used by the key workers' picture search).
const pictures = JSON.parse(readFileSync(join(src, "pictures.json"), "utf8"));
const openmoji = new Map(
  JSON.parse(readFileSync(join(nm, "openmoji", "data", "openmoji.json"), "utf8")).map((e) => [e.hexcode, e]),
);
manifest.picture_words = {};
for (const [key, code] of Object.entries(pictures)) {
  if (key.startsWith("_")) continue;
  const entry = openmoji.get(code);
  if (!entry) throw new Error(`pictures.json: ${key} -> ${code} is not an OpenMoji hexcode`);
  manifest.picture_words[key] = [key.replaceAll("-", " "), entry.annotation, entry.tags, entry.openmoji_tags]
    .filter(Boolean)
    .join(", ");
  const svg = readFileSync(join(nm, "openmoji", "color", "svg", `${code}.svg`), "utf8")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\s+id="[^"]*"/g, "")
    .replace(/>\s+</g, "><")
    .replace(/ (d|points)="([^"]*)"/g, (_, name, value) => ` ${name}="${coarser(value)}"`);
  manifest.pictures[key] = emit("pictures", `${key}.svg`, svg, { precache: false });
}

// Icons are committed files, versioned here like everything else.
mkdirSync(join(dist, "icons"));
for (const name of readdirSync(join(root, "static", "icons"))) {
  const content = readFileSync(join(root, "static", "icons", name));
  manifest.files[`icons/${name}`] = emit("icons", name, content, {
    compress: name.endsWith(".svg"),
    precache: false,
  });
}

writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
console.log(`Built ${Object.keys(manifest.files).length} files and ${Object.keys(manifest.pictures).length} pictures into static/dist`);
