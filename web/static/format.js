// How numbers, dates and periods read on the dashboard. Instants are shown
// in the browser's time zone; period starts and comment days are calendar
// days (already in the survey's zone) and are shown as they are.

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", year: "numeric",
  hour: "2-digit", minute: "2-digit", timeZoneName: "short",
});
const shortDateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
});
const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });
const localDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const localShortDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

// dateTime shows an instant in the browser's zone, with the zone's name.
export function dateTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)) : "—";
}

// shortDateTime is dateTime for tables: no weekday, and the zone is said once above.
export function shortDateTime(iso) {
  return iso ? shortDateTimeFormat.format(new Date(iso)) : "—";
}

// browserZone names the time zone times are shown in.
export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "your time zone";
}

// localDay shows the day of an instant in the browser's zone.
export function localDay(iso) {
  return localDayFormat.format(new Date(iso));
}

function calendarDay(day) {
  return new Date(day.slice(0, 10) + "T00:00:00Z");
}

// day shows a calendar day ("2026-03-02") without moving it across zones.
export function day(value) {
  return value ? dayFormat.format(calendarDay(value)) : "—";
}

// period names a trend point's period in full; short is for chart axes.
export function period(point, groupBy, short) {
  const start = point.period_start;
  if (groupBy === "round" || start.length > 10) {
    return (short ? localShortDayFormat : localDayFormat).format(new Date(start));
  }
  const d = calendarDay(start);
  switch (groupBy) {
    case "week":
      return short ? shortDayFormat.format(d) : "Week of " + dayFormat.format(d);
    case "month":
      return monthFormat.format(d);
    case "quarter":
      return "Q" + (Math.floor(d.getUTCMonth() / 3) + 1) + " " + d.getUTCFullYear();
    default:
      return dayFormat.format(d);
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

// plural: plural(3, "answer") is "3 answers".
export function plural(n, word, words) {
  return n + " " + (n === 1 ? word : words || word + "s");
}

// addDays moves a "YYYY-MM-DD" day by n days.
export function addDays(value, n) {
  const d = calendarDay(value);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const roleNames = { hr_admin: "HR admin", manager: "Manager", employee: "Employee" };

// margin says how precise a shown eNPS is: "± 12.3 (95%: +4.0 to +28.6)", or
// that everyone in the group answered, which makes the score exact.
export function margin(point) {
  if (point.everyone_answered) return "everyone answered";
  if (typeof point.moe !== "number") return "";
  const range = typeof point.ci_low === "number" && typeof point.ci_high === "number"
    ? " (95%: " + signed(point.ci_low) + " to " + signed(point.ci_high) + ")" : "";
  return "\u00b1 " + point.moe.toFixed(1) + range;
}

// interval is the 95% range a point's band is drawn over; a point where
// everyone answered has none, so its band is the score itself.
export function interval(point) {
  if (typeof point.ci_low === "number" && typeof point.ci_high === "number") return [point.ci_low, point.ci_high];
  return [point.enps - (point.moe || 0), point.enps + (point.moe || 0)];
}
