// The dashboard's languages: English ("en") and Bahasa Malaysia ("ms"),
// the same two Slack speaks (notify/i18n.go), with the same words.
//
// How a page adds its strings. Each module registers its own, next to the
// code that shows them, so no shared file grows with every page:
//
//   import { strings } from "./i18n.js";
//
//   const t = strings({
//     en: {
//       "rounds.title": "Rounds",
//       "rounds.sent": "Round sent to {people}; it closes {when}.",
//       "rounds.answers": { one: "{n} answer", other: "{n} answers" },
//     },
//     ms: {
//       "rounds.title": "Pusingan",
//       "rounds.sent": "Pusingan dihantar kepada {people}; ia ditutup {when}.",
//       "rounds.answers": "{n} jawapan",
//     },
//   });
//
//   el("h3", {}, t("rounds.title"));
//   t("rounds.answers", { n: 3 });  // "3 answers", "3 jawapan"
//
// Rules the tests hold every module to (web/i18n_test.go):
// - keys are "page.name", written on one line each as "key": value, inside
//   the module's en: { … } and ms: { … } blocks; both blocks have the same keys;
// - t() is called with a literal key, and every key it is called with is
//   registered; a key registered twice (by two modules) throws at load.
// - {name} in a string is replaced by vars.name. A value of { one, other }
//   picks by vars.n (Malay has no plural, so a plain string serves both).
// - call t() when drawing, never at module load: the language is known only
//   once the signed-in person is.
// Static text in index.html carries data-i18n="key" (text) or
// data-i18n-label="key" (aria-label); translatePage() fills those in.
//
// The language is the signed-in person's (GET /me's locale). The switch in
// the header saves it on the person (PATCH /me/preferences, so Slack follows)
// and reloads the page, which draws everything afresh in the new language.
// Until the person is known, the last language used in this browser serves.

export const locales = ["en", "ms"];
const stored = "pulse.locale";
const catalogs = { en: new Map(), ms: new Map() };
const intlNames = { en: undefined, ms: "ms-MY" };
let current = guess();

function guess() {
  const saved = localStorage.getItem(stored);
  if (locales.includes(saved)) return saved;
  return (navigator.language || "").toLowerCase().startsWith("ms") ? "ms" : "en";
}

// strings registers a module's strings and returns t.
export function strings(table) {
  for (const l of locales) {
    for (const [key, value] of Object.entries(table[l] || {})) {
      if (catalogs[l].has(key)) throw new Error("i18n: " + key + " is registered twice");
      catalogs[l].set(key, value);
    }
  }
  return t;
}

// t returns the string for key in the current language with vars filled in.
// A key missing from Malay falls back to English; one missing from both is
// shown as the key, so a slip is visible instead of blank.
export function t(key, vars) {
  let value = catalogs[current].get(key);
  if (value === undefined) value = catalogs.en.get(key);
  if (value === undefined) return key;
  if (typeof value === "object") {
    const n = vars && typeof vars.n === "number" ? vars.n : 0;
    value = value[new Intl.PluralRules(intlLocale()).select(n)] ?? value.other;
  }
  if (!vars) return value;
  return value.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

// locale is the language in use: "en" or "ms".
export function locale() {
  return current;
}

// intlLocale is what Intl formatters take for the language in use: the
// browser's own English (so an en-GB reader keeps day-month order), or
// Malaysian Malay.
export function intlLocale() {
  if (current === "en") {
    const english = (navigator.languages || []).find((l) => l.toLowerCase().startsWith("en"));
    return english || "en";
  }
  return intlNames[current];
}

// useLocale switches to l (when known) for what is drawn from now on, marks
// the document's language and remembers it in this browser. It says whether
// the language changed.
export function useLocale(l) {
  if (!locales.includes(l)) return false;
  const changed = l !== current;
  current = l;
  localStorage.setItem(stored, l);
  document.documentElement.lang = l;
  return changed;
}

// translatePage fills index.html's marked elements in the current language.
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
}

// missing lists keys one language has and the other lacks, for tests.
export function missing() {
  const out = [];
  for (const l of locales) {
    for (const other of locales) {
      if (l === other) continue;
      for (const key of catalogs[l].keys()) if (!catalogs[other].has(key)) out.push(other + ": " + key);
    }
  }
  return out;
}
document.documentElement.lang = current;
