// Stylelint: the Sass in static/src/scss, with the recommended rules for SCSS. Colours come
// by name from _colours.scss, the one file allowed to write a hex colour.
export default {
  extends: ["stylelint-config-recommended-scss"],
  rules: {
    "color-no-hex": true,
  },
  overrides: [
    {
      files: ["**/_colours.scss"],
      rules: { "color-no-hex": null },
    },
  ],
};
