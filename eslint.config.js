// ESLint (flat config): the browser script in static/src/js and the Node build scripts.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "static/dist/", ".venv/", "test-artifacts/"] },
  js.configs.recommended,
  {
    files: ["static/src/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module", // loaded with <script type="module">
      globals: { ...globals.browser },
    },
    rules: {
      // A name of our own must not hide a browser global such as postMessage or stop. Allowed:
      // legacy window properties that no code here means (window.event, window.status).
      "no-shadow": ["error", { builtinGlobals: true, hoist: "all", allow: ["event", "status"] }],
      "no-redeclare": ["error", { builtinGlobals: true }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["scripts/**/*.mjs", "eslint.config.js", "stylelint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
