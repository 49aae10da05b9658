import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".tools/", ".haven/", ".scratch/", "coverage/", "webchat/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: [
      "core/cases/**",
      "core/routing/**",
      "core/retention/**",
      "core/directory/**",
      "core/i18n/**",
      "core/organisations/**",
      "core/ids/**",
      "core/validation/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "matrix-js-sdk*",
                "kysely*",
                "better-sqlite3",
                "pg",
                "node:fs*",
                "node:net",
                "node:http*",
                "hono*",
                "../db/**",
                "../matrix/**",
              ],
              message: "core domain modules are pure: no I/O, no adapters.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["bots/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/bridge/**", "**/admin/**"], message: "bots/ depends on core/ only." }] },
      ],
    },
  },
  {
    files: ["bridge/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/bots/**", "**/admin/**"], message: "bridge/ depends on core/ only." }] },
      ],
    },
  },
  {
    files: ["admin/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/bots/**", "**/bridge/**"], message: "admin/ depends on core/ only." }] },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
