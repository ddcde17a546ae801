// The cadence picker of the survey editor: every kind of cadence the API
// knows (weekly, monthly by day or nth weekday, quarterly, once, cron) in a
// chosen time zone, and the live preview of the next sends as the HR admin
// and two sample recipients see them. The API computes every time; this
// module only asks and shows.

import { api } from "./api.js";
import { el, fill, uid } from "./dom.js";
import { dateTimeIn } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "cadence.none": "Not on a schedule (sent by hand)",
    "cadence.weekly": "Every week",
    "cadence.monthly": "Every month",
    "cadence.quarterly": "Every quarter",
    "cadence.once": "Once",
    "cadence.cron": "Cron expression",
    "cadence.nth1": "First",
    "cadence.nth2": "Second",
    "cadence.nth3": "Third",
    "cadence.nth4": "Fourth",
    "cadence.nthLast": "Last",
    "cadence.monday": "Monday",
    "cadence.tuesday": "Tuesday",
    "cadence.wednesday": "Wednesday",
    "cadence.thursday": "Thursday",
    "cadence.friday": "Friday",
    "cadence.saturday": "Saturday",
    "cadence.sunday": "Sunday",
    "cadence.byDay": "On a day of the month",
    "cadence.byNth": "On a weekday of the month",
    "cadence.howOften": "How often",
    "cadence.whichDay": "Which day",
    "cadence.dayOfMonth": "Day of the month",
    "cadence.dayHint": "Months without that day use their last day.",
    "cadence.whichOne": "Which one",
    "cadence.weekday": "Weekday",
    "cadence.firstWeekday": "First weekday of the quarter",
    "cadence.time": "Local time",
    "cadence.timeHint": "Each person gets it at this time in their own time zone.",
    "cadence.at": "Date and time",
    "cadence.spec": "Cron expression",
    "cadence.specHint": "Five fields (minute hour day month weekday), at most once a day.",
    "cadence.zone": "Time zone",
    "cadence.zoneHint": "Used for people whose own time zone is not known.",
    "cadence.start": "First day (optional)",
    "cadence.end": "Last day (optional)",
    "cadence.noSchedule": "No schedule: rounds go out only when you send one.",
    "cadence.paused": "Paused: nothing is sent until you resume it.",
    "cadence.nothingMore": "This schedule sends nothing more after today.",
    "cadence.yourTime": "Round starts, your time ({zone})",
    "cadence.reaches": "Reaches someone in {zone} ({people})",
    "cadence.nextSends": "The next {n} sends.",
    "cadence.ownClock": " Everyone gets each round at the scheduled time on their own clock.",
    "cadence.tableLabel": "The next sends",
  },
  ms: {
    "cadence.none": "Tiada jadual (dihantar secara manual)",
    "cadence.weekly": "Setiap minggu",
    "cadence.monthly": "Setiap bulan",
    "cadence.quarterly": "Setiap suku tahun",
    "cadence.once": "Sekali",
    "cadence.cron": "Ungkapan cron",
    "cadence.nth1": "Pertama",
    "cadence.nth2": "Kedua",
    "cadence.nth3": "Ketiga",
    "cadence.nth4": "Keempat",
    "cadence.nthLast": "Terakhir",
    "cadence.monday": "Isnin",
    "cadence.tuesday": "Selasa",
    "cadence.wednesday": "Rabu",
    "cadence.thursday": "Khamis",
    "cadence.friday": "Jumaat",
    "cadence.saturday": "Sabtu",
    "cadence.sunday": "Ahad",
    "cadence.byDay": "Pada satu hari dalam bulan",
    "cadence.byNth": "Pada satu hari bekerja dalam bulan",
    "cadence.howOften": "Kekerapan",
    "cadence.whichDay": "Hari yang mana",
    "cadence.dayOfMonth": "Hari dalam bulan",
    "cadence.dayHint": "Bulan yang tiada hari itu menggunakan hari terakhirnya.",
    "cadence.whichOne": "Yang mana",
    "cadence.weekday": "Hari",
    "cadence.firstWeekday": "Hari pertama suku tahun",
    "cadence.time": "Waktu tempatan",
    "cadence.timeHint": "Setiap orang menerimanya pada waktu ini dalam zon waktu masing-masing.",
    "cadence.at": "Tarikh dan masa",
    "cadence.spec": "Ungkapan cron",
    "cadence.specHint": "Lima medan (minit jam hari bulan hari-minggu), paling kerap sekali sehari.",
    "cadence.zone": "Zon waktu",
    "cadence.zoneHint": "Digunakan untuk mereka yang zon waktunya tidak diketahui.",
    "cadence.start": "Hari pertama (pilihan)",
    "cadence.end": "Hari terakhir (pilihan)",
    "cadence.noSchedule": "Tiada jadual: pusingan dihantar hanya apabila anda menghantarnya.",
    "cadence.paused": "Dijeda: tiada apa-apa dihantar sehingga anda menyambungnya semula.",
    "cadence.nothingMore": "Jadual ini tidak menghantar apa-apa lagi selepas hari ini.",
    "cadence.yourTime": "Pusingan bermula, waktu anda ({zone})",
    "cadence.reaches": "Sampai kepada seseorang di {zone} ({people})",
    "cadence.nextSends": "{n} penghantaran seterusnya.",
    "cadence.ownClock": " Setiap orang menerima setiap pusingan pada waktu yang dijadualkan mengikut jam masing-masing.",
    "cadence.tableLabel": "Penghantaran seterusnya",
  },
});

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const kinds = () => [
  ["", t("cadence.none")],
  ["weekly", t("cadence.weekly")],
  ["monthly", t("cadence.monthly")],
  ["quarterly", t("cadence.quarterly")],
  ["once", t("cadence.once")],
  ["cron", t("cadence.cron")],
];
const nths = () => [["1", t("cadence.nth1")], ["2", t("cadence.nth2")], ["3", t("cadence.nth3")], ["4", t("cadence.nth4")],
  ["-1", t("cadence.nthLast")]];

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

// weekdayName names a weekday ("monday") in the language in use.
export function weekdayName(day) {
  return weekdays.includes(day) ? t("cadence." + day) : day;
}

// cadencePicker builds the picker; field(name, label, control, hint) lays
// out one labelled input and returns it with its error slot.
export function cadencePicker(field, defaultZone, onChange) {
  const c = {
    kind: el("select", {}, options(kinds(), "weekly")),
    weekday: el("select", {}, options(weekdays.map((d) => [d, weekdayName(d)]), "monday")),
    time: el("input", { type: "time", value: "09:00", required: true }),
    by: el("select", {}, options([["day", t("cadence.byDay")], ["nth", t("cadence.byNth")]], "day")),
    day: el("input", { type: "number", min: 1, max: 31, value: 1, inputmode: "numeric" }),
    nth: el("select", {}, options(nths(), "1")),
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
    kind: field("cadence.kind", t("cadence.howOften"), c.kind),
    by: field("cadence.by", t("cadence.whichDay"), c.by),
    day: field("cadence.day", t("cadence.dayOfMonth"), c.day, t("cadence.dayHint")),
    nth: field("cadence.nth", t("cadence.whichOne"), c.nth),
    weekday: field("cadence.weekday", t("cadence.weekday"), c.weekday),
    time: field("cadence.time", t("cadence.time"), c.time, t("cadence.timeHint")),
    at: field("cadence.at", t("cadence.at"), c.at),
    spec: field("cadence.spec", t("cadence.spec"), c.spec, t("cadence.specHint")),
    timezone: field("cadence.timezone", t("cadence.zone"), c.timezone, t("cadence.zoneHint")),
    start_date: field("cadence.start_date", t("cadence.start"), c.start_date),
    end_date: field("cadence.end_date", t("cadence.end"), c.end_date),
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
    fields.weekday.label.textContent = c.kind.value === "quarterly" ? t("cadence.firstWeekday") : t("cadence.weekday");
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
  return dateTimeIn(iso, zone);
}

// previewSends asks the API for the next 5 sends of cadence and draws
// them into box: when each round starts on the HR admin's clock, and when
// each sample recipient gets it on theirs (the cadence's time, locally).
// It throws the API's error.
export async function previewSends(box, cadence, ownZone, samples) {
  if (!cadence) {
    fill(box, el("p", { class: "muted" }, t("cadence.noSchedule")));
    return;
  }
  if (cadence.paused) {
    fill(box, el("p", { class: "muted" }, t("cadence.paused")));
    return;
  }
  const preview = await api("/schedule/preview", { method: "POST", body: { cadence, count: 5, zones: samples.map((s) => s.zone) } });
  if (!preview.next.length) {
    fill(box, el("p", { class: "muted" }, t("cadence.nothingMore")));
    return;
  }
  const heads = [t("cadence.yourTime", { zone: ownZone }),
    ...samples.map((s) => t("cadence.reaches", { zone: s.zone, people: s.people }))];
  const captionId = uid("preview");
  const inZones = preview.in_zones || [];
  const rows = preview.next.map((send, i) => el("tr", {},
    el("th", { scope: "row", "data-label": heads[0] }, wallClock(send.utc, ownZone)),
    samples.map((s, j) => el("td", { "data-label": heads[j + 1] }, wallClock(inZones[j].next[i].utc, s.zone)))));
  fill(box,
    el("p", { class: "hint", id: captionId }, t("cadence.nextSends", { n: preview.next.length }) +
      (samples.length ? t("cadence.ownClock") : "")),
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-labelledby": captionId },
      el("table", { class: "preview stack-narrow" },
        el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows))));
}
