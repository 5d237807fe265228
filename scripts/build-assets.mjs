// Builds static/dist: CSS (left-to-right and right-to-left), JS, self-hosted fonts and the
// OpenMoji pictures we use. Every output file carries a content hash in its name, so it can be
// cached for a year; static/dist/manifest.json maps plain names to hashed ones for the app.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import * as sass from "sass";
import rtlcss from "rtlcss";
import { bundleJs } from "./bundle-js.mjs";

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
const fonts = [
  ["Atkinson Hyperlegible Next", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next", 400],
  ["Atkinson Hyperlegible Next", "@fontsource/atkinson-hyperlegible-next", "atkinson-hyperlegible-next", 700],
  ["OpenDyslexic", "@fontsource/opendyslexic", "opendyslexic", 400],
];
let fontFaces = "";
for (const [family, pkg, stem, weight] of fonts) {
  const file = `${stem}-latin-${weight}-normal.woff2`;
  const content = readFileSync(join(nm, pkg, "files", file));
  const url = emit("fonts", file, content, { compress: false, precache: family !== "OpenDyslexic" });
  fontFaces +=
    `@font-face{font-family:"${family}";font-style:normal;font-display:swap;` +
    `font-weight:${weight};src:url("/static/${url}") format("woff2")}\n`;
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
const css = fontFaces + compiled;
manifest.files["app.css"] = emit("", "app.css", css);
// Right-to-left readers fetch this instead; the service worker caches it when first used.
manifest.files["app-rtl.css"] = emit("", "app-rtl.css", rtlcss.process(css), { precache: false });

// JS: the small ES modules of static/src/js joined into one file from app.js (one request).
manifest.files["app.js"] = emit("", "app.js", bundleJs(join(src, "js", "app.js")));

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
    .replace(/>\s+</g, "><");
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
