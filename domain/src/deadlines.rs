//! Submission deadlines of plan events, as pure rules: the due date of a
//! required document from a submission rule and the event's dates, the rule
//! in force on a date, and the status of a required document on a day.
//!
//! Days are calendar days in the Secretariat's time zone (Astana); the
//! caller turns an instant into that day (`workflow::clock::astana_date`),
//! so nothing here knows about clocks or time zones.

use chrono::{Days, NaiveDate};

use crate::{DomainError, Result};

string_enum! {
    /// A document the organising member state must submit for an event.
    pub enum DocumentKind ("document kind") {
        /// The concept paper (60 days before the start under the 2021 Guidelines).
        ConceptPaper => "CONCEPT_PAPER",
        /// The tentative programme (45 days before the start).
        TentativeProgramme => "TENTATIVE_PROGRAMME",
        /// The post-event report (after the end).
        PostEventReport => "POST_EVENT_REPORT",
    }
}

string_enum! {
    /// The event date a rule counts from.
    pub enum RuleAnchor ("rule anchor") {
        /// The first day of the event.
        Start => "START",
        /// The last day of the event.
        End => "END",
    }
}

string_enum! {
    /// Where a required document stands on a given day.
    pub enum DocumentStatus ("document status") {
        /// Not submitted, and the due date is further away than the window.
        NotYetDue => "NOT_YET_DUE",
        /// Not submitted, and due within the window (due today included).
        DueSoon => "DUE_SOON",
        /// Submitted on or before the due date.
        SubmittedOnTime => "SUBMITTED_ON_TIME",
        /// Submitted after the due date.
        SubmittedLate => "SUBMITTED_LATE",
        /// Not submitted, and the due date has passed.
        Overdue => "OVERDUE",
    }
}

string_enum! {
    /// Where an event of a plan stands.
    pub enum EventStatus ("event status") {
        /// Scheduled on its dates.
        Planned => "PLANNED",
        /// Moved to new dates by the organisers.
        Postponed => "POSTPONED",
        /// Took place.
        Held => "HELD",
        /// Will not take place; nothing is due for it any more.
        Cancelled => "CANCELLED",
    }
}

/// The default window within which an unsubmitted document is "due soon".
pub const DEFAULT_DUE_SOON_DAYS: u32 = 14;

/// The longest offset a rule may give, in days either way.
pub const MAX_OFFSET_DAYS: i32 = 366;

impl DocumentStatus {
    /// Whether the document has been received.
    pub fn is_submitted(self) -> bool {
        matches!(
            self,
            DocumentStatus::SubmittedOnTime | DocumentStatus::SubmittedLate
        )
    }
}

/// A rule: submit `kind` `offset_days` from the event's `anchor` date
/// (negative: before), in force from `in_force_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRule {
    /// The document.
    pub kind: DocumentKind,
    /// The event date counted from.
    pub anchor: RuleAnchor,
    /// Days from the anchor; negative is before.
    pub offset_days: i32,
    /// The first day the rule applies.
    pub in_force_from: NaiveDate,
}

impl SubmissionRule {
    /// A rule, refusing an offset beyond a year either way.
    pub fn new(
        kind: DocumentKind,
        anchor: RuleAnchor,
        offset_days: i32,
        in_force_from: NaiveDate,
    ) -> Result<SubmissionRule> {
        if offset_days.abs() > MAX_OFFSET_DAYS {
            return Err(DomainError::invalid(
                "offset",
                &offset_days.to_string(),
                format!("must be between -{MAX_OFFSET_DAYS} and {MAX_OFFSET_DAYS} days"),
            ));
        }
        Ok(SubmissionRule {
            kind,
            anchor,
            offset_days,
            in_force_from,
        })
    }
}

/// An event's first and last day, checked to be in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDates {
    start: NaiveDate,
    end: NaiveDate,
}

impl EventDates {
    /// The dates, refusing an end before the start.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<EventDates> {
        if end < start {
            return Err(DomainError::invalid(
                "event dates",
                &format!("{start}..{end}"),
                "the end is before the start",
            ));
        }
        Ok(EventDates { start, end })
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day.
    pub fn end(&self) -> NaiveDate {
        self.end
    }
}

/// The day `rule` makes its document due for an event on `dates`.
pub fn due_date(rule: &SubmissionRule, dates: EventDates) -> NaiveDate {
    let anchor = match rule.anchor {
        RuleAnchor::Start => dates.start,
        RuleAnchor::End => dates.end,
    };
    let days = Days::new(u64::from(rule.offset_days.unsigned_abs()));
    let moved = if rule.offset_days < 0 {
        anchor.checked_sub_days(days)
    } else {
        anchor.checked_add_days(days)
    };
    // Offsets are at most a year, so this only saturates at the ends of
    // chrono's calendar.
    moved.unwrap_or(anchor)
}

/// The rule for `kind` in force on `on`: the one with the latest
/// `in_force_from` not after `on`.
pub fn rule_in_force<R>(
    rules: &[R],
    kind: DocumentKind,
    on: NaiveDate,
    rule: impl Fn(&R) -> &SubmissionRule,
) -> Option<&R> {
    rules
        .iter()
        .filter(|r| rule(r).kind == kind && rule(r).in_force_from <= on)
        .max_by_key(|r| rule(r).in_force_from)
}

/// The status on `today` of a document due on `due`, first received on
/// `submitted_on` (if at all), with `due_soon_days` as the "due soon"
/// window. A document received on its due date is on time; one not
/// received is due soon from `due_soon_days` before its due date up to and
/// including that date, and overdue from the next day. A document received
/// after `today` was not yet received on `today` (a dashboard as of an
/// earlier day shows what was known then).
pub fn status(
    due: NaiveDate,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
    due_soon_days: u32,
) -> DocumentStatus {
    match submitted_on.filter(|received| *received <= today) {
        Some(day) if day <= due => DocumentStatus::SubmittedOnTime,
        Some(_) => DocumentStatus::SubmittedLate,
        None if today > due => DocumentStatus::Overdue,
        None if (due - today).num_days() <= i64::from(due_soon_days) => DocumentStatus::DueSoon,
        None => DocumentStatus::NotYetDue,
    }
}

/// Whether `kind` is still required for an event in `status`: nothing is
/// due for a cancelled event.
pub fn is_required(status: EventStatus, _kind: DocumentKind) -> bool {
    status != EventStatus::Cancelled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn guideline(kind: DocumentKind) -> SubmissionRule {
        let (anchor, offset) = match kind {
            DocumentKind::ConceptPaper => (RuleAnchor::Start, -60),
            DocumentKind::TentativeProgramme => (RuleAnchor::Start, -45),
            DocumentKind::PostEventReport => (RuleAnchor::End, 30),
        };
        SubmissionRule::new(kind, anchor, offset, d(2021, 6, 23)).unwrap()
    }

    fn dates(start: NaiveDate, end: NaiveDate) -> EventDates {
        EventDates::new(start, end).unwrap()
    }

    #[test]
    fn the_2021_guidelines_give_60_and_45_days_before_the_start_and_30_after_the_end() {
        let event = dates(d(2024, 4, 15), d(2024, 4, 17));
        assert_eq!(
            due_date(&guideline(DocumentKind::ConceptPaper), event),
            d(2024, 2, 15)
        );
        assert_eq!(
            due_date(&guideline(DocumentKind::TentativeProgramme), event),
            d(2024, 3, 1)
        );
        assert_eq!(
            due_date(&guideline(DocumentKind::PostEventReport), event),
            d(2024, 5, 17)
        );
    }

    #[test]
    fn a_leap_day_counts() {
        // 2024 is a leap year: 60 days before 1 April is 1 February, not 31 January.
        let leap = dates(d(2024, 4, 1), d(2024, 4, 1));
        assert_eq!(
            due_date(&guideline(DocumentKind::ConceptPaper), leap),
            d(2024, 2, 1)
        );
        let common = dates(d(2023, 4, 1), d(2023, 4, 1));
        assert_eq!(
            due_date(&guideline(DocumentKind::ConceptPaper), common),
            d(2023, 1, 31)
        );
        let on_leap_day = dates(d(2024, 4, 14), d(2024, 4, 14));
        assert_eq!(
            due_date(&guideline(DocumentKind::TentativeProgramme), on_leap_day),
            d(2024, 2, 29)
        );
    }

    #[test]
    fn an_event_ending_before_it_starts_is_refused() {
        assert!(EventDates::new(d(2024, 2, 2), d(2024, 2, 1)).is_err());
        assert!(EventDates::new(d(2024, 2, 1), d(2024, 2, 1)).is_ok());
    }

    #[test]
    fn an_offset_beyond_a_year_is_refused() {
        let from = d(2025, 1, 1);
        assert!(
            SubmissionRule::new(DocumentKind::ConceptPaper, RuleAnchor::Start, -367, from).is_err()
        );
        assert!(
            SubmissionRule::new(DocumentKind::ConceptPaper, RuleAnchor::Start, 366, from).is_ok()
        );
    }

    #[test]
    fn a_postponed_event_moves_its_due_dates_with_it() {
        let rule = guideline(DocumentKind::TentativeProgramme);
        let before = due_date(&rule, dates(d(2024, 2, 20), d(2024, 2, 21)));
        let after = due_date(&rule, dates(d(2024, 3, 20), d(2024, 3, 21)));
        assert_eq!(before, d(2024, 1, 6));
        assert_eq!(after, d(2024, 2, 4));
    }

    #[test]
    fn the_rule_in_force_is_the_latest_adopted_on_or_before_the_day() {
        let old = guideline(DocumentKind::ConceptPaper);
        let new = SubmissionRule::new(
            DocumentKind::ConceptPaper,
            RuleAnchor::Start,
            -90,
            d(2024, 7, 1),
        )
        .unwrap();
        let other = guideline(DocumentKind::TentativeProgramme);
        let rules = vec![old.clone(), new.clone(), other];
        let pick = |on| rule_in_force(&rules, DocumentKind::ConceptPaper, on, |r| r);
        assert_eq!(pick(d(2021, 6, 22)), None);
        assert_eq!(pick(d(2021, 6, 23)), Some(&old));
        assert_eq!(pick(d(2024, 6, 30)), Some(&old));
        assert_eq!(pick(d(2024, 7, 1)), Some(&new));
        assert_eq!(pick(d(2030, 1, 1)), Some(&new));
    }

    #[test]
    fn a_document_received_later_is_not_yet_received_as_of_an_earlier_day() {
        let due = d(2024, 5, 25);
        let received = Some(d(2024, 6, 3));
        assert_eq!(
            status(due, received, d(2024, 5, 20), 14),
            DocumentStatus::DueSoon
        );
        assert_eq!(
            status(due, received, d(2024, 6, 1), 14),
            DocumentStatus::Overdue
        );
        assert_eq!(
            status(due, received, d(2024, 6, 3), 14),
            DocumentStatus::SubmittedLate
        );
        let early = Some(d(2024, 5, 1));
        assert_eq!(
            status(due, early, d(2024, 4, 30), 14),
            DocumentStatus::NotYetDue
        );
        assert_eq!(
            status(due, early, d(2024, 5, 1), 14),
            DocumentStatus::SubmittedOnTime
        );
    }

    #[test]
    fn statuses_across_the_due_date() {
        let due = d(2024, 2, 15);
        let s = |today| status(due, None, today, 14);
        assert_eq!(s(d(2024, 1, 31)), DocumentStatus::NotYetDue);
        assert_eq!(s(d(2024, 2, 1)), DocumentStatus::DueSoon);
        assert_eq!(s(d(2024, 2, 15)), DocumentStatus::DueSoon, "due today");
        assert_eq!(s(d(2024, 2, 16)), DocumentStatus::Overdue);
    }

    #[test]
    fn a_document_received_on_its_due_date_is_on_time() {
        let due = d(2024, 2, 29);
        let today = d(2024, 6, 1);
        assert_eq!(
            status(due, Some(d(2024, 2, 29)), today, 14),
            DocumentStatus::SubmittedOnTime
        );
        assert_eq!(
            status(due, Some(d(2024, 3, 1)), today, 14),
            DocumentStatus::SubmittedLate
        );
        assert_eq!(
            status(due, Some(d(2023, 12, 1)), d(2023, 12, 1), 14),
            DocumentStatus::SubmittedOnTime
        );
    }

    #[test]
    fn the_due_soon_window_is_configurable() {
        let due = d(2024, 3, 1);
        assert_eq!(
            status(due, None, d(2024, 2, 1), 29),
            DocumentStatus::DueSoon
        );
        assert_eq!(
            status(due, None, d(2024, 2, 1), 28),
            DocumentStatus::NotYetDue
        );
        assert_eq!(status(due, None, d(2024, 3, 1), 0), DocumentStatus::DueSoon);
        assert_eq!(
            status(due, None, d(2024, 2, 29), 0),
            DocumentStatus::NotYetDue
        );
    }

    #[test]
    fn nothing_is_due_for_a_cancelled_event() {
        for kind in DocumentKind::ALL {
            assert!(!is_required(EventStatus::Cancelled, kind));
            assert!(is_required(EventStatus::Postponed, kind));
            assert!(is_required(EventStatus::Held, kind));
        }
    }

    #[test]
    fn kinds_and_statuses_round_trip_their_stored_names() {
        for kind in DocumentKind::ALL {
            assert_eq!(kind.as_str().parse::<DocumentKind>().unwrap(), kind);
        }
        for s in DocumentStatus::ALL {
            assert_eq!(s.as_str().parse::<DocumentStatus>().unwrap(), s);
        }
        assert!("LATE".parse::<DocumentStatus>().is_err());
    }
}
