// ESLint flat config: type-aware rules for every TypeScript file (packages, convex/, scripts).
// Entry points (scripts, demos, benches, CLI mains) and tests may print (tests print their
// property seeds); library code reports through return values, errors and the status stream.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", ".tmp/**", "convex/_generated/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["vitest.config.ts"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-console": "error",
      // Forwarding a rejection whose reason is `unknown` (as caught) is not inventing a non-Error one.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // `let unsubscribe` read by closures before its one assignment is the subscription idiom.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // Remotes and harnesses implement Promise-returning interfaces; an async body without await is the plain way to do that.
      "@typescript-eslint/require-await": "off",
      // String(value) of unknown input is how error messages quote what was wrong.
      "@typescript-eslint/no-base-to-string": "off",
    },
  },
  {
    files: ["scripts/**", "packages/*/demo/**", "packages/*/bench/**", "**/main.ts", "**/*.test.ts", "packages/*/test/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.test.ts", "packages/*/test/**"],
    rules: {
      // expect.any(...) and friends are typed `any` by vitest.
      "@typescript-eslint/no-unsafe-assignment": "off",
      // Decoder tests feed arrays with holes on purpose.
      "no-sparse-arrays": "off",
      // CLI tests check that no ANSI escape (\x1b) reaches a non-TTY.
      "no-control-regex": "off",
    },
  },
  {
    // The fast decoder bails out to the schema decoder with a thrown sentinel: a hot path where an Error's stack would cost.
    files: ["packages/core/src/op/op-fast.ts"],
    rules: { "@typescript-eslint/only-throw-error": "off" },
  },
);
