//! `creation-date` as cooler writes it: ISO 8601 in UTC, without a time zone suffix.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current time as `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC).
#[must_use]
pub fn iso8601_now() -> String {
    iso8601_utc(SystemTime::now())
}

/// `time` as `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC); times before 1970 give the epoch.
#[must_use]
pub fn iso8601_utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_micros()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil-from-days
/// algorithm, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso8601_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000000");
        // 2000-02-29 12:34:56.5 (a leap day in a century leap year).
        let t = UNIX_EPOCH + Duration::from_millis(951_827_696_500);
        assert_eq!(iso8601_utc(t), "2000-02-29T12:34:56.500000");
        // 2026-11-30 00:00:00.
        assert_eq!(
            iso8601_utc(UNIX_EPOCH + Duration::from_secs(1_796_000_000 - 1_796_000_000 % 86_400)),
            "2026-11-30T00:00:00.000000"
        );
    }
}
