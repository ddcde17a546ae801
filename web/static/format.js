// How numbers, dates and periods read on the dashboard, in the language in
// use (i18n.js). Instants are shown in the browser's time zone; period
// starts and comment days are calendar days (already in the survey's zone)
// and are shown as they are.

import { intlLocale, strings } from "./i18n.js";

const t = strings({
  en: {
    "format.zone": "your time zone",
    "format.weekOf": "Week of {day}",
    "format.quarter": "Q{q} {year}",
    "format.everyone": "everyone answered",
    "format.interval": "95%: {low} to {high}",
    "role.hr_admin": "HR admin",
    "role.manager": "Manager",
    "role.employee": "Employee",
  },
  ms: {
    "format.zone": "zon waktu anda",
    "format.weekOf": "Minggu {day}",
    "format.quarter": "S{q} {year}",
    "format.everyone": "semua menjawab",
    "format.interval": "95%: {low} hingga {high}",
    "role.hr_admin": "Pentadbir HR",
    "role.manager": "Pengurus",
    "role.employee": "Pekerja",
  },
});

const formats = {
  dateTime: { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  shortDateTime: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  day: { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" },
  shortDay: { day: "numeric", month: "short", timeZone: "UTC" },
  month: { month: "short", year: "numeric", timeZone: "UTC" },
  localDay: { day: "numeric", month: "short", year: "numeric" },
  localShortDay: { day: "numeric", month: "short" },
};
const made = new Map();

// formatter is the Intl formatter named in formats for the language in use,
// made on first use (the language is known only after sign-in).
function formatter(name) {
  const key = intlLocale() + " " + name;
  if (!made.has(key)) made.set(key, new Intl.DateTimeFormat(intlLocale(), formats[name]));
  return made.get(key);
}

// dateTimeIn shows an instant on the clock of zone, with the weekday.
export function dateTimeIn(iso, zone) {
  return new Intl.DateTimeFormat(intlLocale(), {
    weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone,
  }).format(new Date(iso));
}

// count writes a whole number with the language's grouping: 12,345 or 12,345.
export function count(value) {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 0 }).format(value);
}

// money writes an amount, in currency when it is an ISO code.
export function money(value, currency) {
  if (currency) {
    try {
      return new Intl.NumberFormat(intlLocale(), { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
    } catch {
      // not an ISO code: fall through to a plain number
    }
  }
  return count(value);
}

// dateTime shows an instant in the browser's zone, with the zone's name.
export function dateTime(iso) {
  return iso ? formatter("dateTime").format(new Date(iso)) : "—";
}

// shortDateTime is dateTime for tables: no weekday, and the zone is said once above.
export function shortDateTime(iso) {
  return iso ? formatter("shortDateTime").format(new Date(iso)) : "—";
}

// browserZone names the time zone times are shown in.
export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || t("format.zone");
}

// localDay shows the day of an instant in the browser's zone.
export function localDay(iso) {
  return formatter("localDay").format(new Date(iso));
}

function calendarDay(day) {
  return new Date(day.slice(0, 10) + "T00:00:00Z");
}

// day shows a calendar day ("2026-03-02") without moving it across zones.
export function day(value) {
  return value ? formatter("day").format(calendarDay(value)) : "—";
}

// period names a trend point's period in full; short is for chart axes.
export function period(point, groupBy, short) {
  const start = point.period_start;
  if (groupBy === "round" || start.length > 10) {
    return formatter(short ? "localShortDay" : "localDay").format(new Date(start));
  }
  const d = calendarDay(start);
  switch (groupBy) {
    case "week":
      return short ? formatter("shortDay").format(d) : t("format.weekOf", { day: formatter("day").format(d) });
    case "month":
      return formatter("month").format(d);
    case "quarter":
      return t("format.quarter", { q: Math.floor(d.getUTCMonth() / 3) + 1, year: d.getUTCFullYear() });
    default:
      return formatter("day").format(d);
  }
}

const minus = "\u2212";

// signed writes a score with its sign: +27.9, −4.0, 0.
export function signed(value, digits = 1) {
  const s = Math.abs(value).toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return (value < 0 ? minus : "+") + s;
}

// number writes a plain number with a true minus sign.
export function number(value, digits = 0) {
  const s = value.toFixed(digits);
  return value < 0 ? minus + s.slice(1) : s;
}

// percent writes a 0..1 share as a percentage.
export function percent(share, digits = 0) {
  return (share * 100).toFixed(digits) + "%";
}

// plural: plural(3, "answer") is "3 answers". English only: pages use
// t() with { one, other } forms instead (i18n.js).
export function plural(n, word, words) {
  return n + " " + (n === 1 ? word : words || word + "s");
}

// addDays moves a "YYYY-MM-DD" day by n days.
export function addDays(value, n) {
  const d = calendarDay(value);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// roleName names a role in the language in use.
export function roleName(role) {
  return ["hr_admin", "manager", "employee"].includes(role) ? t("role." + role) : role;
}

// margin says how precise a shown eNPS is: "± 12.3 (95%: +4.0 to +28.6)", or
// that everyone in the group answered, which makes the score exact.
export function margin(point) {
  if (point.everyone_answered) return t("format.everyone");
  if (typeof point.moe !== "number") return "";
  const range = typeof point.ci_low === "number" && typeof point.ci_high === "number"
    ? " (" + t("format.interval", { low: signed(point.ci_low), high: signed(point.ci_high) }) + ")" : "";
  return "\u00b1 " + point.moe.toFixed(1) + range;
}

// interval is the 95% range a point's band is drawn over; a point where
// everyone answered has none, so its band is the score itself.
export function interval(point) {
  if (typeof point.ci_low === "number" && typeof point.ci_high === "number") return [point.ci_low, point.ci_high];
  return [point.enps - (point.moe || 0), point.enps + (point.moe || 0)];
}
