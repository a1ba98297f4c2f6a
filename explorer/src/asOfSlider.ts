/**
 * The as-of slider: one step per month from January 2000 to this month, and a last step for "any date"
 * (every fact, whatever its valid time). Arrow keys move a month, Page Up/Down a year.
 */
import { formatDate } from './text';

const FIRST_YEAR = 2000;
/** How long the slider rests before the graph is redrawn, so that dragging asks once. */
const SETTLE_MS = 250;

function monthIndex(date: string): number {
  const [year, month] = date.split('-');
  return (Number(year) - FIRST_YEAR) * 12 + (month === undefined ? 11 : Number(month) - 1);
}

function monthAt(index: number): string {
  const year = FIRST_YEAR + Math.floor(index / 12);
  return `${year}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export class AsOfSlider {
  private readonly anyDate: number;
  private timer: number | undefined;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly output: HTMLElement,
    onSettle: (asOf: string | null) => void,
    /** Called at once on every move, before the redraw waits for the slider to rest. */
    onMove: () => void,
    today = new Date(),
  ) {
    this.anyDate = monthIndex(`${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}`) + 1;
    input.min = '0';
    input.max = String(this.anyDate);
    input.step = '1';
    input.addEventListener('input', () => this.label());
    input.addEventListener('change', () => {
      this.label();
      onMove();
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => onSettle(this.value()), SETTLE_MS);
    });
    input.addEventListener('keydown', (event) => {
      // Page Up/Down move a year rather than the browser's tenth of the range.
      if (event.key !== 'PageUp' && event.key !== 'PageDown') return;
      event.preventDefault();
      this.input.value = String(Math.min(this.anyDate, Math.max(0, Number(this.input.value) + (event.key === 'PageUp' ? 12 : -12))));
      this.input.dispatchEvent(new Event('change'));
    });
  }

  value(): string | null {
    const index = Number(this.input.value);
    return index >= this.anyDate ? null : monthAt(index);
  }

  set(asOf: string | null): void {
    this.input.value = String(asOf === null ? this.anyDate : Math.min(this.anyDate - 1, Math.max(0, monthIndex(asOf))));
    this.label();
  }

  private label(): void {
    const asOf = this.value();
    const text = asOf === null ? 'Any date (every fact)' : `As of ${formatDate(asOf)}`;
    this.output.textContent = text;
    this.input.setAttribute('aria-valuetext', text);
  }
}
