//! Property tests of the date rules: R-ID-3M's month arithmetic and R-WORKDAY's
//! working-day arithmetic, on the shipped calendar and on generated calendars.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use guitu_domain::calendar::{WorkCalendar, YearCalendar};
use guitu_domain::rules::id3m::{add_months_clamped, due_date};
use proptest::prelude::*;

fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .unwrap()
        .pred_opt()
        .unwrap()
        .day()
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Dates from 1900 to about 2200.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    (0u64..110_000).prop_map(move |k| base.checked_add_days(Days::new(k)).unwrap())
}

/// Dates around the shipped years (2024-07-01 to 2027-06-30), so that known years,
/// year ends and unknown neighbours are all exercised.
fn near_date() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
    (0u64..1095).prop_map(move |k| base.checked_add_days(Days::new(k)).unwrap())
}

/// A generated calendar for 2031: some weekdays are holidays, some weekend days are
/// make-up working days (disjoint by construction).
fn generated_calendar() -> impl Strategy<Value = WorkCalendar> {
    let start = NaiveDate::from_ymd_opt(2031, 1, 1).unwrap();
    proptest::collection::vec(any::<u8>(), 365).prop_map(move |rolls| {
        let mut holidays = BTreeMap::new();
        let mut makeup_workdays = BTreeSet::new();
        for (i, roll) in rolls.into_iter().enumerate() {
            let day = start.checked_add_days(Days::new(i as u64)).unwrap();
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && roll < 20 {
                holidays.insert(day, "测试假日".to_owned());
            } else if weekend && roll < 25 {
                makeup_workdays.insert(day);
            }
        }
        WorkCalendar::empty().with_year(YearCalendar {
            year: 2031,
            source: "generated".to_owned(),
            holidays,
            makeup_workdays,
        })
    })
}

fn gen_date() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2030, 12, 1).unwrap();
    (0u64..420).prop_map(move |k| base.checked_add_days(Days::new(k)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn months_never_exceed_month_end(d in any_date(), m in 0u32..60) {
        let r = add_months_clamped(d, m);
        let dim = days_in_month(r.year(), r.month());
        prop_assert!(r.day() <= dim, "{r} has a day beyond its month's {dim} days");
        let total = d.year() * 12 + d.month0() as i32 + m as i32;
        prop_assert_eq!(
            (r.year(), r.month0() as i32),
            (total.div_euclid(12), total.rem_euclid(12)),
            "{} + {} months must land in the calendar month {} months later", d, m, m
        );
        prop_assert_eq!(
            r.day(),
            d.day().min(dim),
            "the day is kept, clamped to the target month's length ({} + {} → {})", d, m, r
        );
    }

    #[test]
    fn months_monotone_in_date(a in any_date(), b in any_date(), m in 0u32..60) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(
            add_months_clamped(lo, m) <= add_months_clamped(hi, m),
            "a later received date can never give an earlier due date ({lo}, {hi}, +{m})"
        );
    }

    #[test]
    fn months_land_on_feb_29_only_in_leap_years(year in 1900i32..2200, day in 29u32..=31) {
        let nov = NaiveDate::from_ymd_opt(year - 1, 11, day.min(30)).unwrap();
        let due = due_date(nov);
        prop_assert_eq!(due.month(), 2, "November + 3 months is February");
        let expected = if is_leap(year) { 29 } else { 28 };
        prop_assert_eq!(due.day(), expected, "February {} has {} days", year, expected);
    }

    #[test]
    fn add_workdays_lands_on_a_working_day(d in near_date(), n in 0u32..80) {
        let cal = WorkCalendar::builtin();
        let r = cal.add_workdays(d, n).value;
        prop_assert!(cal.is_workday(r), "{d} + {n} working days = {r}, which is a day off");
        prop_assert!(cal.holiday_name(r).is_none(), "{r} is a public holiday");
        prop_assert!(r >= d, "working days never go backwards");
        if n >= 1 {
            prop_assert!(r > d, "n ≥ 1 working days after {d} cannot be {d} itself");
        }
    }

    #[test]
    fn add_workdays_chains(d in near_date(), a in 1u32..60, b in 0u32..60) {
        // R-ID-3M counts each step on from the previous step's due date.
        let cal = WorkCalendar::builtin();
        let chained = cal.add_workdays(cal.add_workdays(d, a).value, b).value;
        let direct = cal.add_workdays(d, a + b).value;
        prop_assert_eq!(chained, direct, "{} + {} + {} working days", d, a, b);
    }

    #[test]
    fn add_workdays_strictly_increasing(d in near_date(), n in 0u32..80) {
        let cal = WorkCalendar::builtin();
        let a = cal.add_workdays(d, n).value;
        let b = cal.add_workdays(d, n + 1).value;
        if n >= 1 || cal.is_workday(d) {
            prop_assert!(a < b, "one more working day must be later: {d} +{n} = {a}, +{} = {b}", n + 1);
        } else {
            // By definition, from a day off both "the same day" (n = 0) and "one working
            // day after" (n = 1) are the next working day.
            prop_assert_eq!(a, b, "from day off {}, n = 0 and n = 1 are the next working day", d);
        }
    }

    #[test]
    fn workdays_between_inverts_add_workdays(d in near_date(), n in 0u32..80) {
        let cal = WorkCalendar::builtin();
        let start = cal.add_workdays(d, 0).value; // a working day
        let end = cal.add_workdays(start, n).value;
        prop_assert_eq!(
            cal.workdays_between(start, end).value,
            n,
            "counting the working days in ({}, {}] must give back n", start, end
        );
    }

    #[test]
    fn counting_matches_is_workday(a in near_date(), len in 0u64..60) {
        let cal = WorkCalendar::builtin();
        let b = a.checked_add_days(Days::new(len)).unwrap();
        let expected = a.iter_days().skip(1).take_while(|x| *x <= b)
            .filter(|x| cal.is_workday(*x)).count() as u32;
        prop_assert_eq!(cal.workdays_between(a, b).value, expected, "({}, {}]", a, b);
        prop_assert_eq!(cal.workdays_between(b, a).value, 0, "reversed interval is empty");
    }

    #[test]
    fn makeup_days_count(i in 0usize..11) {
        let cal = WorkCalendar::builtin();
        let makeup: Vec<NaiveDate> = cal.years().iter()
            .flat_map(|y| cal.year(*y).unwrap().makeup_workdays.iter().copied())
            .collect();
        prop_assume!(i < makeup.len());
        let m = makeup[i];
        let prev = m.pred_opt().unwrap();
        prop_assert!(cal.is_workday(m), "make-up day {m} is a working day");
        prop_assert_eq!(cal.add_workdays(m, 0).value, m, "n = 0 on make-up day stays");
        prop_assert_eq!(cal.workdays_between(prev, m).value, 1, "{} counts as one working day", m);
        // The working day before m: one working day after it is m.
        let mut before = prev;
        while !cal.is_workday(before) {
            before = before.pred_opt().unwrap();
        }
        prop_assert_eq!(cal.add_workdays(before, 1).value, m, "make-up day {} is not skipped", m);
    }

    #[test]
    fn fallback_reported_exactly_for_unknown_years(d in near_date(), n in 0u32..80) {
        let cal = WorkCalendar::builtin();
        let r = cal.add_workdays(d, n);
        let first = if n == 0 { d } else { d.succ_opt().unwrap() };
        let mut expected: Vec<i32> = (first.year()..=r.value.year())
            .filter(|y| !cal.is_known_year(*y))
            .collect();
        expected.dedup();
        prop_assert_eq!(&r.fallback_years, &expected, "years looked at but not loaded");
        prop_assert_eq!(r.warning().is_some(), !expected.is_empty(), "warning iff fallback");
    }

    #[test]
    fn generated_calendars_keep_the_laws(cal in generated_calendar(), d in gen_date(), n in 0u32..40) {
        let r = cal.add_workdays(d, n).value;
        prop_assert!(cal.is_workday(r), "{r} must be a working day");
        prop_assert!(cal.holiday_name(r).is_none(), "{r} must not be a holiday");
        if n >= 1 || cal.is_workday(d) {
            prop_assert!(cal.add_workdays(d, n + 1).value > r, "strictly increasing in n");
        }
        let start = cal.add_workdays(d, 0).value;
        let end = cal.add_workdays(start, n).value;
        prop_assert_eq!(cal.workdays_between(start, end).value, n, "between inverts add");
        if r.year() == 2031 {
            let y = cal.year(2031).unwrap();
            let weekend = matches!(r.weekday(), Weekday::Sat | Weekday::Sun);
            prop_assert!(!weekend || y.makeup_workdays.contains(&r),
                "a weekend result in 2031 must be a make-up day: {}", r);
        }
    }
}
