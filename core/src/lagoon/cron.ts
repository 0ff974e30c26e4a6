/**
 * Cron schedules exactly as a Lagoon build reads them (build-deploy-tool's
 * internal/cron): the schedule is split on single spaces into five fields;
 * `M`/`H` in the minute, `H`, `H(a-b)` in the hour and `(M|H|*)/n`,
 * `(H|*)/n` steps are replaced by values Lagoon picks; the result must parse
 * as a standard crontab (robfig/cron's parser); and unless the job says
 * `inPod`, its minute and hour fields must be simple enough for Lagoon to
 * decide where it runs: in the service's container when the median gap between
 * runs in a day is under 30 minutes, as a Kubernetes CronJob otherwise.
 */

export interface LagoonSchedule {
  /** Why Lagoon refuses the schedule (the build fails). */
  error?: string;
  /** The schedule after Lagoon's replacements (with a fixed pick for M and H). */
  standardized?: string;
  /** The median minutes between runs in a day; only for schedules that run every day. */
  medianMinutes?: number;
  /** Whether Lagoon runs it in the service's container (its crontab) rather than as a CronJob. */
  inPod?: boolean;
}

/** The minute of the median gap at and above which a job becomes a Kubernetes CronJob. */
export const IN_POD_CEILING_MINUTES = 30;

interface FieldBounds {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** A step list from Lagoon's pick: `pick mod step`, then every `step` up to the limit. */
function stepList(step: number, limit: number, pick: number): string {
  const values: number[] = [];
  for (let value = pick % step; value < limit; value += step) values.push(value);
  return values.join(',');
}

/** Lagoon's replacements of M and H (its pick depends on the namespace; validity does not). */
function replaceRandom(minute: string, hour: string, pick: number): { minute: string; hour: string } | { error: string } {
  if (/^(M|H)$/.test(minute)) minute = String(pick % 60);
  const minuteStep = /^(M|H|\*)\/([0-5]?[0-9])$/.exec(minute);
  if (minuteStep) {
    const step = Number(minuteStep[2]);
    // Lagoon's build loops forever on a zero step.
    if (step === 0) return { error: `the minute step '${minute}' is 0; use a step of 1 to 59` };
    minute = stepList(step, 60, pick);
  }
  if (hour === 'H') hour = String(pick % 24);
  const window = /^H\(([01]?[0-9]|2[0-3])-([01]?[0-9]|2[0-3])\)$/.exec(hour);
  if (window) hour = window[1]!;
  const hourStep = /^(H|\*)\/([01]?[0-9]|2[0-3])$/.exec(hour);
  if (hourStep) {
    const step = Number(hourStep[2]);
    if (step === 0) return { error: `the hour step '${hour}' is 0; use a step of 1 to 23` };
    hour = stepList(step, 24, pick);
  }
  return { minute, hour };
}

/** A whole number as Go's strconv.Atoi reads it, not negative; or a name of the field. */
function fieldValue(text: string, field: FieldBounds): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0 && text !== '') return named;
  if (!/^[+]?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** One field as the standard crontab parser reads it: comma-separated `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function checkStandardField(text: string, field: FieldBounds): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, ...extraSlashes] = part.split('/');
    if (extraSlashes.length) return `'${part}' has more than one '/' in the ${field.name}`;
    const bounds = range!.split('-');
    let start: number | undefined;
    let end: number | undefined;
    if (bounds[0] === '*' || bounds[0] === '?') {
      start = field.min;
      end = field.max;
    } else {
      if (bounds.length > 2) return `'${part}' has more than one '-' in the ${field.name}`;
      start = fieldValue(bounds[0]!, field);
      end = bounds.length === 2 ? fieldValue(bounds[1]!, field) : start;
      if (start === undefined || end === undefined) return `'${part}' is not a valid ${field.name} (${field.min}–${field.max}${field.names ? ' or a name' : ''})`;
      // `N/step` means from N to the end.
      if (bounds.length === 1 && step !== undefined) end = field.max;
    }
    if (step !== undefined) {
      if (!/^[+]?\d+$/.test(step)) return `the ${field.name} step '/${step}' is not a whole number`;
      if (Number(step) === 0) return `the ${field.name} step '/${step}' must be a positive number`;
    }
    if (start < field.min) return `${start} is below the smallest ${field.name} (${field.min})`;
    if (end > field.max) return `${end} is above the largest ${field.name} (${field.max})${field.name === 'day of week' && end === 7 ? '; Sunday is 0' : ''}`;
    if (start > end) return `the range '${range}' of the ${field.name} starts after it ends`;
  }
  return undefined;
}

/** The minutes (or hours) of a field, as Lagoon reads them to decide where a job runs; undefined when it cannot. */
function runTimes(text: string, min: number, max: number): number[] | undefined {
  const times = new Set<number>();
  for (const part of text.split(',')) {
    let match: RegExpExecArray | null;
    if (part === '*') for (let i = min; i <= max; i++) times.add(i);
    else if ((match = /^\*\/(\d{1,2})$/.exec(part))) {
      const step = Number(match[1]);
      if (step <= 0) return undefined;
      for (let i = min; i <= max; i += step) times.add(i);
    } else if (/^\d{1,2}$/.test(part)) times.add(Number(part));
    else if ((match = /^(\d{1,2})-(\d{1,2})$/.exec(part))) {
      const [start, end] = [Number(match[1]), Number(match[2])];
      if (end < start || start < min || end > max) return undefined;
      for (let i = start; i <= end; i++) times.add(i);
    } else if ((match = /^(\d{1,2})-(\d{1,2})\/(\d{1,2})$/.exec(part))) {
      const [start, end, step] = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (end < start || step <= 0 || step > 60) return undefined;
      for (let i = start; i <= end; i += step) times.add(i);
    } else return undefined;
  }
  return [...times];
}

/** The median gap, in minutes, between the runs of a day (wrapping to the next day). */
function medianGap(minutes: number[], hours: number[]): number {
  const times = [...new Set(hours.flatMap((hour) => minutes.map((minute) => hour * 60 + minute)))].sort((a, b) => a - b);
  if (times.length === 1) return 1440;
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  gaps.push(times[0]! + 1440 - times[times.length - 1]!);
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  return gaps.length % 2 === 0 ? Math.floor((gaps[middle - 1]! + gaps[middle]!) / 2) : gaps[middle]!;
}

/**
 * Reads a schedule as Lagoon does. `inPod`, when the job sets it, decides
 * where it runs (and spares it Lagoon's own decision). `pick` stands in for
 * the value Lagoon derives from the namespace for M and H.
 */
export function lagoonSchedule(schedule: string, { inPod, pick = 0 }: { inPod?: boolean; pick?: number } = {}): LagoonSchedule {
  const fields = schedule.replace(/^ +| +$/g, '').split(' ');
  if (fields.length !== 5) {
    const spaces = fields.some((field) => field === '') ? ' (fields are separated by single spaces)' : '';
    return {
      error: `'${schedule}' has ${fields.filter((field) => field !== '').length === 5 ? 'an empty field' : `${fields.length} fields`}${spaces}; a schedule has 5 (minute hour day-of-month month day-of-week)`,
    };
  }
  const replaced = replaceRandom(fields[0]!, fields[1]!, pick);
  if ('error' in replaced) return { error: replaced.error };
  const standard = [replaced.minute, replaced.hour, ...fields.slice(2)];
  for (const [index, text] of standard.entries()) {
    const problem = checkStandardField(text, FIELDS[index]!);
    if (problem) return { error: `${problem}${index < 2 ? ` (${index === 0 ? 'M, M/n' : 'H, H(2-4), H/n'} let Lagoon pick)` : ''}` };
  }
  const standardized = standard.join(' ');
  if (inPod !== undefined) return { standardized, inPod };
  if (standard.slice(2).some((field) => field !== '*')) return { standardized, inPod: false };
  const minutes = runTimes(standard[0]!, 0, 59);
  const hours = runTimes(standard[1]!, 0, 23);
  if (!minutes || !hours || minutes.length === 0 || hours.length === 0) {
    return { error: `Lagoon cannot tell how often '${schedule}' runs: write the minute and hour as *, */n, numbers or ranges, or set inPod` };
  }
  const medianMinutes = medianGap(minutes, hours);
  return { standardized, medianMinutes, inPod: medianMinutes < IN_POD_CEILING_MINUTES };
}

/** A Go duration (`4h`, `90m`, `1h30m`), as time.ParseDuration reads it; undefined when it does not parse. */
export function goDurationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const match = /^([-+]?)((?:\d*\.?\d*(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!match) return undefined;
  if (match[2] === '0') return 0;
  let total = 0;
  for (const [, number, unit] of match[2]!.matchAll(/(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/g)) {
    if (number === '' || number === '.') return undefined;
    total += Number(number) * units[unit!]!;
  }
  return match[1] === '-' ? -total : total;
}
