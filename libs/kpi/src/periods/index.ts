export { PeriodError } from './period-error';
export { addDays, addMonths, daysBetween, daysInMonth, isLeapYear, isoWeekday, isValidIsoDate, type CalendarDate } from './iso-date';
export { isValidTimeZone, localDate } from './time-zone';
export {
  MAX_CUSTOM_PERIOD_YEARS,
  PERIOD_GRAINS,
  assertValidPeriod,
  customPeriod,
  daysInPeriod,
  eachDay,
  elapsedFraction,
  isDateInPeriod,
  isoWeekOf,
  isoWeekPeriod,
  isoWeeksInYear,
  monthPeriod,
  periodContaining,
  quarterPeriod,
  yearPeriod,
  yearToDate,
  type IsoWeek,
  type Period,
  type PeriodGrain,
} from './period';
export { countPeriodsBetween, MAX_SERIES_PERIODS, periodsBetween, previousPeriod, samePeriodLastYear, yearToDateLastYear } from './period-navigation';
export { formatIsoWeekNumber, formatPeriodLabel, intlLocale, utcMidnight, type PeriodLabelOptions } from './format-period-label';
