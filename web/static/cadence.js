// The cadence picker of the survey editor: every kind of cadence the API
// knows (weekly, monthly by day or nth weekday, quarterly, once, cron) in a
// chosen time zone, and the live preview of the next sends as the HR admin
// and two sample recipients see them. The API computes every time; this
// module only asks and shows.

import { api } from "./api.js";
import { el, fill, uid } from "./dom.js";

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const kinds = [
  ["", "Not on a schedule (sent by hand)"],
  ["weekly", "Every week"],
  ["monthly", "Every month"],
  ["quarterly", "Every quarter"],
  ["once", "Once"],
  ["cron", "Cron expression"],
];
const nths = [["1", "First"], ["2", "Second"], ["3", "Third"], ["4", "Fourth"], ["-1", "Last"]];

// Which inputs each kind uses; the rest are hidden and left out of the value.
const uses = {
  "": [],
  weekly: ["weekday", "time", "timezone", "start_date", "end_date"],
  monthly: ["by", "weekday", "time", "timezone", "start_date", "end_date"],
  quarterly: ["weekday", "time", "timezone", "start_date", "end_date"],
  once: ["at", "timezone"],
  cron: ["spec", "timezone", "start_date", "end_date"],
};

function zones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

function options(pairs, selected) {
  return pairs.map(([value, label]) => el("option", { value, selected: value === selected }, label));
}

function capital(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// cadencePicker builds the picker; field(name, label, control, hint) lays
// out one labelled input and returns it with its error slot.
export function cadencePicker(field, defaultZone, onChange) {
  const c = {
    kind: el("select", {}, options(kinds, "weekly")),
    weekday: el("select", {}, options(weekdays.map((d) => [d, capital(d)]), "monday")),
    time: el("input", { type: "time", value: "09:00", required: true }),
    by: el("select", {}, options([["day", "On a day of the month"], ["nth", "On a weekday of the month"]], "day")),
    day: el("input", { type: "number", min: 1, max: 31, value: 1, inputmode: "numeric" }),
    nth: el("select", {}, options(nths, "1")),
    at: el("input", { type: "datetime-local" }),
    spec: el("input", { type: "text", placeholder: "0 9 * * MON", autocomplete: "off", spellcheck: "false" }),
    timezone: el("select", {}, options(zones().map((z) => [z, z]), defaultZone)),
    start_date: el("input", { type: "date" }),
    end_date: el("input", { type: "date" }),
  };
  // The browser's list uses CLDR's names (Asia/Calcutta); a zone from
  // Slack or the API may be another IANA name of it (Asia/Kolkata).
  const offerZone = (zone) => {
    if (zone && ![...c.timezone.options].some((o) => o.value === zone)) c.timezone.prepend(el("option", { value: zone }, zone));
  };
  offerZone(defaultZone);
  c.timezone.value = defaultZone;
  const fields = {
    kind: field("cadence.kind", "How often", c.kind),
    by: field("cadence.by", "Which day", c.by),
    day: field("cadence.day", "Day of the month", c.day, "Months without that day use their last day."),
    nth: field("cadence.nth", "Which one", c.nth),
    weekday: field("cadence.weekday", "Weekday", c.weekday),
    time: field("cadence.time", "Local time", c.time, "Each person gets it at this time in their own time zone."),
    at: field("cadence.at", "Date and time", c.at),
    spec: field("cadence.spec", "Cron expression", c.spec, "Five fields (minute hour day month weekday), at most once a day."),
    timezone: field("cadence.timezone", "Time zone", c.timezone, "Used for people whose own time zone is not known."),
    start_date: field("cadence.start_date", "First day (optional)", c.start_date),
    end_date: field("cadence.end_date", "Last day (optional)", c.end_date),
  };
  let paused = false;

  const sync = () => {
    const used = uses[c.kind.value];
    for (const [name, f] of Object.entries(fields)) {
      if (name === "kind") continue;
      let shown = used.includes(name);
      if (c.kind.value === "monthly") {
        if (name === "day") shown = c.by.value === "day";
        if (name === "nth") shown = c.by.value === "nth";
        if (name === "weekday") shown = c.by.value === "nth";
      }
      f.node.hidden = !shown;
    }
    fields.weekday.label.textContent = c.kind.value === "quarterly" ? "First weekday of the quarter" : "Weekday";
  };
  for (const control of Object.values(c)) {
    control.addEventListener("change", () => {
      sync();
      onChange();
    });
    if (control.tagName === "INPUT") control.addEventListener("input", onChange);
  }
  sync();

  return {
    fields,
    node: el("div", { class: "cadence-fields" }, Object.values(fields).map((f) => f.node)),
    // value is the cadence as the API takes it, or null for "sent by hand".
    value() {
      const kind = c.kind.value;
      if (!kind) return null;
      const out = { kind, timezone: c.timezone.value, paused };
      const used = uses[kind];
      if (used.includes("time")) out.time = c.time.value;
      if (kind === "weekly" || kind === "quarterly") out.weekday = c.weekday.value;
      if (kind === "monthly" && c.by.value === "day") out.day = Number(c.day.value) || 0;
      if (kind === "monthly" && c.by.value === "nth") Object.assign(out, { nth: Number(c.nth.value), weekday: c.weekday.value });
      if (kind === "once") out.at = c.at.value.slice(0, 16);
      if (kind === "cron") out.spec = c.spec.value.trim();
      if (used.includes("start_date") && c.start_date.value) out.start_date = c.start_date.value;
      if (used.includes("end_date") && c.end_date.value) out.end_date = c.end_date.value;
      return out;
    },
    set(cadence) {
      const v = cadence || { kind: "" };
      paused = Boolean(v.paused);
      c.kind.value = v.kind || "";
      if (v.weekday) c.weekday.value = v.weekday;
      if (v.time) c.time.value = v.time;
      c.by.value = v.nth ? "nth" : "day";
      if (v.day) c.day.value = v.day;
      if (v.nth) c.nth.value = String(v.nth);
      if (v.at) c.at.value = v.at;
      c.spec.value = v.spec || "";
      offerZone(v.timezone);
      if (v.timezone) c.timezone.value = v.timezone;
      c.start_date.value = v.start_date || "";
      c.end_date.value = v.end_date || "";
      sync();
    },
  };
}

// sampleZones picks the two time zones most of the audience lives in
// (people without a zone of their own get the survey's), for the preview.
export function sampleZones(audience, surveyZone) {
  const picked = [];
  for (const z of (audience && audience.zones) || []) {
    const zone = z.zone || surveyZone;
    const seen = picked.find((p) => p.zone === zone);
    if (seen) seen.people += z.people;
    else picked.push({ zone, people: z.people });
  }
  return picked.slice(0, 2);
}

function wallClock(iso, zone) {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone,
  }).format(new Date(iso));
}

// previewSends asks the API for the next 5 sends of cadence and draws
// them into box: when each round starts on the HR admin's clock, and when
// each sample recipient gets it on theirs (the cadence's time, locally).
// It throws the API's error.
export async function previewSends(box, cadence, ownZone, samples) {
  if (!cadence) {
    fill(box, el("p", { class: "muted" }, "No schedule: rounds go out only when you send one."));
    return;
  }
  if (cadence.paused) {
    fill(box, el("p", { class: "muted" }, "Paused: nothing is sent until you resume it."));
    return;
  }
  const preview = await api("/schedule/preview", { method: "POST", body: { cadence, count: 5, zones: samples.map((s) => s.zone) } });
  if (!preview.next.length) {
    fill(box, el("p", { class: "muted" }, "This schedule sends nothing more after today."));
    return;
  }
  const heads = ["Round starts, your time (" + ownZone + ")",
    ...samples.map((s) => "Reaches someone in " + s.zone + " (" + s.people + ")")];
  const captionId = uid("preview");
  const inZones = preview.in_zones || [];
  const rows = preview.next.map((send, i) => el("tr", {},
    el("th", { scope: "row", "data-label": heads[0] }, wallClock(send.utc, ownZone)),
    samples.map((s, j) => el("td", { "data-label": heads[j + 1] }, wallClock(inZones[j].next[i].utc, s.zone)))));
  fill(box,
    el("p", { class: "hint", id: captionId }, "The next " + preview.next.length + " sends. " +
      (samples.length ? "Everyone gets each round at the scheduled time on their own clock." : "")),
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-labelledby": captionId },
      el("table", { class: "preview stack-narrow" },
        el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows))));
}
