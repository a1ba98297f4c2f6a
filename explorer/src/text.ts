/** Small text helpers shared by the views. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML markup: everything the service returns goes through here first. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `PARTICIPATES_IN` → `participates in`: how a relation type reads on an edge and in lists. */
export function relationLabel(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A partial ISO date at its own precision: `2022` → `2022`, `2022-02` → `February 2022`, `2022-02-24` → `24 February 2022`. */
export function formatDate(date: string): string {
  const [year, month, day] = date.split('-');
  const monthName = month === undefined ? undefined : MONTHS[Number(month) - 1];
  if (monthName === undefined) return year ?? date;
  return day === undefined ? `${monthName} ${year}` : `${Number(day)} ${monthName} ${year}`;
}
