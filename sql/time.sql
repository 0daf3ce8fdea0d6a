-- Time to expiry: ACT/365 to the microsecond, and exchange expiry instants.
SET TIME ZONE 'UTC';
SELECT year_frac('2025-01-01 00:00+00', '2026-01-01 00:00+00') AS one_year,
       year_frac('2025-03-14 15:00-04', '2025-03-14 16:00-04') * 525600 AS minutes_0dte,
       year_frac('2025-03-14 16:00-04', '2025-03-14 15:00-04') * 525600 AS negative_when_past;

-- PM (SPXW) at 16:00 New York, AM (SPX monthly, VIX) at 09:30; daylight saving applies
SELECT expiry_ts('2025-01-17') AS pm_winter, expiry_ts('2025-07-18') AS pm_summer,
       expiry_ts('2025-01-17', 'AM') AS am_winter, expiry_ts('2025-07-16', 'am') AS am_summer;

-- 0DTE: 10:30 to the 16:00 close is 330 minutes
SELECT year_frac('2025-03-14 10:30 America/New_York', expiry_ts('2025-03-14')) * 525600 AS minutes;

SELECT year_frac('-infinity', now()) AS minus_inf, year_frac(now(), 'infinity') AS plus_inf;
SELECT expiry_ts('infinity'::date) AS inf_expiry;
RESET TIME ZONE;
