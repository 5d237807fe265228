// Joins the browser script's ES modules (static/src/js) into one file, so a phone makes one
// request for it, and takes out comments and indentation. No bundler: acorn (the parser
// ESLint already uses) reads each module, and only the module syntax we use is accepted:
//   import { a, b as c } from "./file.js";     export function / async function / class / const
// Each module runs in a function scope of its own, in the order of its imports, and hands on
// only what it exports, so names in two modules never collide.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as acorn from "acorn";

const PARSE = { ecmaVersion: "latest", sourceType: "module" };

function fail(file, node, message) {
  const { line, column } = acorn.getLineInfo(readFileSync(file, "utf8"), node.start);
  throw new Error(`${file}:${line}:${column + 1}: ${message}`);
}

// One module: its code without the import and export words, what it imports, what it exports.
function readModule(file) {
  const source = readFileSync(file, "utf8");
  const program = acorn.parse(source, PARSE);
  const cuts = []; // [start, end) ranges of source to leave out
  const imports = []; // { from, names: [[imported, local]] }
  const exports = [];
  for (const node of program.body) {
    if (node.type === "ImportDeclaration") {
      if (!node.source.value.startsWith("./")) fail(file, node, "only ./file.js imports");
      const names = node.specifiers.map((s) => {
        if (s.type !== "ImportSpecifier") fail(file, s, "only named imports: import { a } from");
        return [s.imported.name, s.local.name];
      });
      imports.push({ from: join(dirname(file), node.source.value), names });
      cuts.push([node.start, node.end]);
    } else if (node.type === "ExportNamedDeclaration" && node.declaration && !node.source) {
      const declaration = node.declaration;
      if (declaration.type === "VariableDeclaration") {
        if (declaration.kind !== "const") fail(file, node, "export const only (no live bindings)");
        for (const d of declaration.declarations) {
          if (d.id.type !== "Identifier") fail(file, d, "export one name per declarator");
          exports.push(d.id.name);
        }
      } else {
        exports.push(declaration.id.name);
      }
      cuts.push([node.start, declaration.start]); // the word "export"
    } else if (node.type.startsWith("Export") || node.type === "ImportExpression") {
      fail(file, node, "only `export function/class/const` declarations");
    }
  }
  let code = "";
  let at = 0;
  for (const [start, end] of cuts) {
    code += source.slice(at, start);
    at = end;
  }
  code += source.slice(at);
  return { file, code, imports, exports };
}

// The modules in the order they must run: each after the modules it imports.
function inOrder(entry) {
  const done = new Map();
  const visiting = new Set();
  const visit = (file) => {
    if (done.has(file)) return;
    if (visiting.has(file)) throw new Error(`${file}: modules import each other in a circle`);
    visiting.add(file);
    const module = readModule(file);
    for (const { from } of module.imports) visit(from);
    visiting.delete(file);
    done.set(file, module);
  };
  visit(entry);
  return [...done.values()];
}

// After these a line break never ends a statement, and before these it never does either.
const OPENS = new Set(["{", "(", "[", ",", ";", ":", "=", "=>", "?", "&&", "||", "??", "+", "*"]);
const CLOSES = new Set(["}", ")", "]", ",", ".", ";", ":", "?", "&&", "||", "??", "=", "==="]);

// The syntax tree without positions: what the code means.
function meaning(code) {
  return JSON.stringify(acorn.parse(code, PARSE), (key, value) =>
    key === "start" || key === "end" ? undefined : value);
}

// Comments and indentation out, one space or line break kept wherever one is needed. The
// result must parse to the very same syntax tree as the input, or the build stops.
function squeeze(code) {
  const tokens = [];
  acorn.parse(code, { ...PARSE, onToken: tokens });
  let out = "";
  let previous = null;
  for (const token of tokens) {
    if (token.type === acorn.tokTypes.eof) break;
    const text = code.slice(token.start, token.end);
    if (previous) {
      const gap = code.slice(previous.end, token.start);
      const last = out[out.length - 1];
      const first = text[0];
      const before = code.slice(previous.start, previous.end);
      if (/[\n\r\u2028\u2029]/.test(gap) && !OPENS.has(before) && !CLOSES.has(text)) {
        out += "\n"; // a line break can end a statement (automatic semicolons): kept
      } else if (gap && (/[\w$\\]/.test(last) && /[\w$\\]/.test(first) || /[+\-/]/.test(last) && /[+\-/]/.test(first))) {
        out += " "; // `return x`, `a - -b`, `a / /re/` stay apart
      }
    }
    out += text;
    previous = token;
  }
  if (meaning(out) !== meaning(code)) throw new Error("bundle-js: squeezing changed the code");
  return out + "\n";
}

export function bundleJs(entry) {
  const modules = inOrder(entry);
  const names = new Map(modules.map((m, i) => [m.file, `__module${i}`]));
  let code = "";
  for (const module of modules) {
    const exported = new Set(module.exports);
    let body = "";
    for (const { from, names: imported } of module.imports) {
      const source = modules.find((m) => m.file === from);
      for (const [name] of imported) {
        if (!source.exports.includes(name)) {
          throw new Error(`${relative(dirname(entry), module.file)}: ${name} is not exported by ${relative(dirname(entry), from)}`);
        }
      }
      const list = imported.map(([name, local]) => (name === local ? name : `${name}: ${local}`));
      body += `const { ${list.join(", ")} } = ${names.get(from)};\n`;
    }
    body += module.code;
    if (module.file === entry) {
      code += `{\n${body}\n}\n`;
    } else {
      code += `const ${names.get(module.file)} = (() => {\n${body}\nreturn { ${[...exported].join(", ")} };\n})();\n`;
    }
  }
  return squeeze(code);
}
