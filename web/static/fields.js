// Form fields with their label, hint and error, and the placing of the
// API's field errors beside the fields they name; and a picker that finds a
// person by name or email without loading the whole directory.

import { apiPage, query } from "./api.js";
import { el, sentence, uid } from "./dom.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "fields.checkMarked": "Nothing was saved. Check the fields marked above.",
    "fields.find": "Find by name or email",
    "fields.nobody": "None",
    "fields.noMatch": "Nobody matches \u201c{q}\u201d.",
  },
  ms: {
    "fields.checkMarked": "Tiada apa-apa disimpan. Semak medan yang ditanda di atas.",
    "fields.find": "Cari mengikut nama atau e-mel",
    "fields.nobody": "Tiada",
    "fields.noMatch": "Tiada sesiapa sepadan dengan \u201c{q}\u201d.",
  },
});

// field wraps control with its label, an optional hint and an error line.
// name is the API's field name, so its errors land here.
export function field(name, label, control, hint) {
  const id = control.id || uid(name);
  control.id = id;
  const error = el("p", { id: id + "-error", class: "field-error" });
  const described = [hint ? id + "-hint" : null, id + "-error"].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  const node = el("div", { class: "field" }, el("label", { for: id }, label), control,
    hint ? el("p", { id: id + "-hint", class: "hint" }, hint) : null, error);
  return {
    name, node, control,
    setError(message) {
      error.textContent = message ? sentence(message) + "." : "";
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    },
  };
}

// select builds a <select> from [value, text] pairs with value chosen.
export function select(options, value) {
  const node = el("select", {}, options.map(([v, text]) => el("option", { value: v }, text)));
  node.value = value === null || value === undefined ? "" : String(value);
  return node;
}

// showErrors puts each field error of err beside its field and says the
// rest (or that fields are marked) in formError.
export function showErrors(err, fields, formError) {
  for (const f of fields) f.setError("");
  let placed = 0;
  const rest = [];
  for (const d of err.details || []) {
    const f = fields.find((x) => x.name === d.field);
    if (f) {
      f.setError(d.reason);
      placed++;
    } else if (d.field) {
      rest.push(d.field + ": " + d.reason);
    }
  }
  formError.textContent = placed && !rest.length ? t("fields.checkMarked") : sentence(rest.length ? rest.join("; ") : err.message);
}

// personPicker is a search box and a list of up to 20 active people
// matching it; current ({id, name}) is offered first, and "None" when
// noneAllowed. Its value is the chosen person's id, or 0 for none.
export function personPicker(name, label, current, noneAllowed) {
  const search = el("input", { type: "search", autocomplete: "off" });
  const list = el("select");
  const note = el("p", { class: "hint", role: "status" });
  const options = (people) => {
    const seen = new Set();
    const out = [];
    if (noneAllowed) out.push(["0", t("fields.nobody")]);
    for (const p of [current, ...people]) {
      if (!p || seen.has(p.id)) continue;
      seen.add(p.id);
      out.push([String(p.id), p.name + (p.email ? " \u00b7 " + p.email : "")]);
    }
    return out;
  };
  const draw = (people) => {
    const chosen = list.value;
    list.replaceChildren(...options(people).map(([v, text]) => el("option", { value: v }, text)));
    if ([...list.options].some((o) => o.value === chosen)) list.value = chosen;
  };
  draw([]);
  list.value = current ? String(current.id) : "0";
  let asked = 0;
  search.addEventListener("input", async () => {
    const q = search.value.trim();
    const mine = ++asked;
    note.textContent = "";
    if (!q) return draw([]);
    try {
      const page = await apiPage("/employees" + query({ q, active: true, limit: 20 }));
      if (mine !== asked) return;
      draw(page.rows);
      if (page.rows.length) list.value = String(page.rows[0].id);
      else note.textContent = t("fields.noMatch", { q });
    } catch (err) {
      note.textContent = err.message;
    }
  });
  const f = field(name, label, list);
  const searchId = uid(name + "-find");
  search.id = searchId;
  f.node.insertBefore(el("div", { class: "picker-find" }, el("label", { for: searchId, class: "sub-label" }, t("fields.find")), search, note), list);
  f.value = () => Number(list.value || 0);
  return f;
}
