const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** A diagram time stamp, "14:03:07" plus ".123" milliseconds, in this browser's time zone. */
export function clockParts(epochMs: number): { time: string; ms: string } {
  const date = new Date(epochMs);
  return {
    time: `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`,
    ms: `.${pad(date.getMilliseconds(), 3)}`,
  };
}

/** An epoch-seconds claim as a local date and time in the page's language. */
export function localTime(epochSeconds: number, locale: string): string {
  return new Date(epochSeconds * 1000).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Just the local time of day of an epoch-seconds claim. */
export function localClock(epochSeconds: number, locale: string): string {
  return new Date(epochSeconds * 1000).toLocaleTimeString(locale);
}
