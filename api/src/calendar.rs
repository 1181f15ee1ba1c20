//! The iCalendar feed of events and due dates: `GET /calendar/<name>.ics`.
//!
//! - `/calendar/cal_<64 hex>.ics`: a feed token made by
//!   `createCalendarFeed` (for calendar programs, which cannot send a
//!   bearer token). The feed shows what its scope says; a malformed,
//!   unknown or revoked token is 404, and the token opens nothing else.
//! - `/calendar/me.ics` with `Authorization: Bearer <JWT>`: the same feed
//!   for the person the JWT names: a delegate's own state, everyone else's
//!   all states; `?memberState=KAZ` chooses another.
//!
//! Events are all-day `VEVENT`s over their days (`DTEND` is the day after
//! the last, as RFC 5545 has it), `CANCELLED` when cancelled; each required
//! document is an all-day `VEVENT` on its due date saying whether it was
//! received. UIDs are stable (`event-<id>@accord`, `due-<id>-<kind>@accord`)
//! and `SEQUENCE` is the event's revision, so calendar programs update the
//! entries they have when an event moves.

use std::sync::Arc;

use accord_domain::{DEFAULT_DUE_SOON_DAYS, DocumentKind, DocumentStatus, EventStatus, printable};
use accord_workflow::Reader;
use accord_workflow::calendar::{self, TOKEN_PREFIX};
use accord_workflow::clock::astana_date;
use accord_workflow::plans::{EventRecord, RequiredDocument, TIME_ZONE};
use chrono::{DateTime, Days, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus as IcalStatus};
use poem::http::{StatusCode, header};
use poem::web::{Data, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use crate::auth::authenticate;
use crate::error::Code;
use crate::http::{MediaType, error, refusal, workflow_response};
use crate::state::AppState;

/// How often calendar programs are asked to fetch the feed again.
const REFRESH: chrono::Duration = chrono::Duration::hours(1);

/// The IANA zone whose days the dates are (see [`TIME_ZONE`]).
const ZONE_ID: &str = "Asia/Almaty";

/// The query of the bearer form.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FeedQuery {
    member_state: Option<String>,
}

/// `GET /calendar/<name>.ics`.
#[handler]
pub(crate) async fn feed(
    req: &Request,
    Path(name): Path<String>,
    Query(query): Query<FeedQuery>,
    state: Data<&Arc<AppState>>,
) -> Response {
    let media = MediaType::negotiate(req.headers());
    let not_found = || {
        error(
            media,
            StatusCode::NOT_FOUND,
            Code::NotFound,
            "no such calendar feed",
        )
    };
    let Some(stem) = name.strip_suffix(".ics") else {
        return not_found();
    };
    let calendar = if stem == "me" {
        let actor = match authenticate(req.headers(), &state.verifier, &state.store).await {
            Ok(actor) => actor,
            Err(denied) => return refusal(media, denied),
        };
        Reader::new(state.store().clone(), actor)
            .viewer_calendar(query.member_state.as_deref())
            .await
    } else {
        if !stem.starts_with(TOKEN_PREFIX) || query.member_state.is_some() {
            return not_found();
        }
        match calendar::open_feed(state.store(), stem).await {
            Ok(Some((feed, reader))) => reader
                .calendar_events(feed.member_state.as_deref())
                .await
                .map(|events| (feed.member_state, events)),
            Ok(None) => return not_found(),
            Err(failed) => return workflow_response(media, failed),
        }
    };
    match calendar {
        Ok((scope, events)) => Response::builder()
            .status(StatusCode::OK)
            .content_type("text/calendar; charset=utf-8")
            .header(header::CACHE_CONTROL, "private, no-cache")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(render(&events, scope.as_deref(), accord_workflow::clock::now()).to_string()),
        Err(refused) => workflow_response(media, refused),
    }
}

/// The calendar of `events`.
fn render(events: &[EventRecord], member_state: Option<&str>, now: DateTime<Utc>) -> Calendar {
    let today = astana_date(now);
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Accord//Plans of Implementation//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&match member_state {
            Some(code) => format!("CICA events and due dates: {code}"),
            None => "CICA events and due dates: all member states".to_owned(),
        })
        .description(&format!(
            "Events of the Plans of Implementation and the documents due for them; dates are days in {TIME_ZONE}."
        ))
        .append_property(("X-WR-TIMEZONE", ZONE_ID))
        .ttl(&REFRESH);
    for event in events {
        calendar.push(event_entry(event, now));
        if event.status == EventStatus::Cancelled {
            continue;
        }
        for document in &event.documents {
            calendar.push(due_entry(event, document, today, now));
        }
    }
    calendar.done()
}

/// The event's title in English, else its first language.
fn title(event: &EventRecord) -> &str {
    event.title.pick(None).unwrap_or_default()
}

/// The exclusive end of an all-day entry ending on `day` (RFC 5545
/// §3.6.1).
fn day_after(day: chrono::NaiveDate) -> chrono::NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

fn sequence(event: &EventRecord) -> u32 {
    u32::try_from(event.revision.saturating_sub(1)).unwrap_or_default()
}

fn event_entry(event: &EventRecord, now: DateTime<Utc>) -> Event {
    let mut entry = Event::new();
    entry
        .uid(&format!("event-{}@accord", event.id))
        .timestamp(now)
        .sequence(sequence(event))
        .summary(&printable(title(event)))
        .starts(event.start)
        .ends(
            event
                .end
                .checked_add_days(Days::new(1))
                .unwrap_or(event.end),
        )
        .status(match event.status {
            EventStatus::Cancelled => IcalStatus::Cancelled,
            _ => IcalStatus::Confirmed,
        });
    let mut description = vec![format!("Organised by {}.", event.organisers.join(", "))];
    if let Some(area) = &event.cbm_area {
        description.push(format!("CBM area: {area}."));
    }
    description.push(format!("Status: {}.", event.status.as_str()));
    if let Some(notes) = &event.notes {
        description.push(notes.clone());
    }
    entry.description(&printable(&description.join("\n")));
    if let Some(venue) = &event.venue {
        entry.location(&printable(venue));
    }
    entry.done()
}

fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::ConceptPaper => "Concept paper",
        DocumentKind::TentativeProgramme => "Tentative programme",
        DocumentKind::PostEventReport => "Post-event report",
    }
}

fn due_entry(
    event: &EventRecord,
    document: &RequiredDocument,
    today: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Event {
    let status = document.status(today, DEFAULT_DUE_SOON_DAYS);
    let received = match (status, document.first_received_on) {
        (DocumentStatus::SubmittedOnTime, Some(on)) => format!("received on time, on {on}"),
        (DocumentStatus::SubmittedLate, Some(on)) => format!("received late, on {on}"),
        (DocumentStatus::Overdue, _) => "overdue, not received".to_owned(),
        _ => "not received yet".to_owned(),
    };
    Event::new()
        .uid(&format!(
            "due-{}-{}@accord",
            event.id,
            document.kind.as_str().to_lowercase()
        ))
        .timestamp(now)
        .sequence(sequence(event))
        .summary(&printable(&format!(
            "Due: {} — {} ({})",
            kind_name(document.kind),
            title(event),
            event.organisers.join(", ")
        )))
        .starts(document.due_on)
        .ends(day_after(document.due_on))
        .description(&printable(&format!(
            "{} for «{}» ({} to {}): {received}. Status: {}.",
            kind_name(document.kind),
            title(event),
            event.start,
            event.end,
            status.as_str()
        )))
        .done()
}

#[cfg(test)]
mod tests {
    use accord_domain::{Lang, Texts};
    use chrono::NaiveDate;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn event(status: EventStatus) -> EventRecord {
        EventRecord {
            id: "e1".into(),
            plan_id: "p".into(),
            position: 1,
            title: Texts::from_pairs([(Lang::En, "Seminar on energy security".to_owned())])
                .unwrap(),
            start: day(2024, 2, 20),
            end: day(2024, 2, 21),
            venue: Some("Astana".into()),
            notes: None,
            cbm_area: Some("Energy security".into()),
            status,
            organisers: vec!["KAZ".into()],
            documents: vec![
                RequiredDocument {
                    kind: DocumentKind::ConceptPaper,
                    due_on: day(2023, 12, 22),
                    rule_id: "r".into(),
                    first_received_on: Some(day(2023, 12, 28)),
                },
                RequiredDocument {
                    kind: DocumentKind::TentativeProgramme,
                    due_on: day(2024, 1, 6),
                    rule_id: "r".into(),
                    first_received_on: None,
                },
            ],
            dropped: Vec::new(),
            submissions: Vec::new(),
            changes: Vec::new(),
            revision: 3,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-01-08T04:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_event_spans_its_days_and_its_documents_fall_on_their_due_dates() {
        let text = render(&[event(EventStatus::Planned)], Some("KAZ"), now()).to_string();
        for line in [
            "PRODID:-//Accord//Plans of Implementation//EN",
            "X-WR-CALNAME:CICA events and due dates: KAZ",
            "UID:event-e1@accord",
            "DTSTART;VALUE=DATE:20240220",
            "DTEND;VALUE=DATE:20240222",
            "SEQUENCE:2",
            "STATUS:CONFIRMED",
            "LOCATION:Astana",
            "UID:due-e1-concept_paper@accord",
            "DTSTART;VALUE=DATE:20231222",
            "DTEND;VALUE=DATE:20231223",
            "SUMMARY:Due: Concept paper — Seminar on energy security (KAZ)",
            "UID:due-e1-tentative_programme@accord",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        assert!(text.contains("received late\\, on 2023-12-28"), "{text}");
        assert!(text.contains("overdue\\, not received"), "{text}");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    }

    #[test]
    fn hostile_stored_text_cannot_forge_lines_or_entries() {
        let forged = "Astana\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:forged\u{0}\u{202E}";
        let mut hostile = event(EventStatus::Planned);
        hostile.venue = Some(forged.into());
        hostile.notes = Some(forged.into());
        hostile.organisers = vec![forged.into()];
        hostile.cbm_area = Some(forged.into());
        hostile.title = Texts::from_pairs([(Lang::En, "Seminar".to_owned())]).unwrap();
        let text = render(&[hostile], None, now()).to_string();
        // Every CR ends a line (CRLF); no line starts an entry the
        // calendar did not make.
        assert!(!text.replace("\r\n", "").contains('\r'), "{text:?}");
        assert_eq!(text.matches("\r\nBEGIN:VEVENT\r\n").count(), 3, "{text}");
        assert!(!text.contains("\r\nSUMMARY:forged"), "{text}");
        assert!(
            !text.contains('\u{0}') && !text.contains('\u{202E}'),
            "{text:?}"
        );
    }

    #[test]
    fn a_cancelled_event_is_cancelled_and_owes_nothing() {
        let text = render(&[event(EventStatus::Cancelled)], None, now()).to_string();
        assert!(text.contains("STATUS:CANCELLED"), "{text}");
        assert!(!text.contains("UID:due-"), "{text}");
        assert!(text.contains("all member states"), "{text}");
    }
}
