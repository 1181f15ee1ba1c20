//! The words of the reminder for a period: per event starting in it, its
//! organisers and the documents not yet received with their due dates, in
//! English, Russian and Kazakh. `crate::reminders` sends them as a note.

use std::collections::HashMap;

use accord_domain::{
    DocumentKind, EventStatus, Lang, NoteSeries, Texts, format_date, format_date_by, format_date_on,
};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::find_plan;
use crate::actor::Actor;
use crate::engine::Engine;
use crate::entity::decision;
use crate::error::{Result, WorkflowError};
use crate::events::{EventFilter, EventRecord};
use crate::read::Reader;
use crate::store::OrgView;

/// A reminder to draft for the events starting in a period.
#[derive(Debug, Clone)]
pub struct ReminderRequest {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The note's series.
    pub series: NoteSeries,
}

impl Engine {
    /// The words of the reminder for `request`, written as of now, and how
    /// many documents it lists as missing.
    pub(crate) async fn compose_reminder(
        &self,
        actor: &Actor,
        request: &ReminderRequest,
    ) -> Result<Reminder> {
        if request.from > request.to {
            return Err(WorkflowError::bad_input(format!(
                "from {} is after to {}",
                request.from, request.to
            )));
        }
        let reader = Reader::new(self.store().clone(), actor.clone());
        let events = reader
            .event_rows(&EventFilter {
                from: Some(request.from),
                to: Some(request.to),
                ..EventFilter::default()
            })
            .await?;
        let events: Vec<EventRecord> = reader
            .event_records(events)
            .await?
            .into_iter()
            .filter(|e| e.start >= request.from && e.status != EventStatus::Cancelled)
            .collect();
        let directory = self.store().organizations().await?;
        let names: HashMap<&str, &OrgView> =
            directory.iter().map(|o| (o.code.as_str(), o)).collect();
        let plan_decision = reminder_context(self.store().db(), &events).await?;
        let today = crate::clock::astana_date(self.now());
        let mut subject = Vec::new();
        let mut body = Vec::new();
        // In each language in which every state's name and event's title
        // it lists exists: a Russian note never names a state in English.
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            let Some(text) = reminder_body(
                lang,
                &events,
                &names,
                plan_decision.as_ref(),
                request,
                today,
            ) else {
                continue;
            };
            subject.push((lang, reminder_subject(lang, request.from, request.to)));
            body.push((lang, text));
        }
        if body.is_empty() {
            return Err(WorkflowError::bad_input(
                "the reminder can be written in no language: an event it lists has no title, or an organising state no name, in English, Russian or Kazakh",
            ));
        }
        let missing = events
            .iter()
            .flat_map(|e| &e.documents)
            .filter(|d| d.first_received_on.is_none())
            .count();
        Ok(Reminder {
            subject: Texts::from_pairs(subject)?,
            body: Texts::from_pairs(body)?,
            events: events.len(),
            missing,
        })
    }
}

/// A reminder composed for a period: the words of its note (which
/// `reminders` writes) and what they cover.
#[derive(Debug, Clone)]
pub(crate) struct Reminder {
    /// The note's subject, per language.
    pub(crate) subject: Texts,
    /// The note's body, per language.
    pub(crate) body: Texts,
    /// How many events of the period it covers.
    pub(crate) events: usize,
    /// How many of their documents it lists as not received.
    pub(crate) missing: usize,
}

/// The plan decision the reminder recalls: (number, date, year) of the
/// decision approving the plan of the first event, if recorded.
async fn reminder_context<C: ConnectionTrait>(
    conn: &C,
    events: &[EventRecord],
) -> Result<Option<(String, NaiveDate, i32)>> {
    let Some(first) = events.first() else {
        return Ok(None);
    };
    let plan_row = find_plan(conn, &first.plan_id).await?;
    let Some(decision_id) = plan_row.decision_id else {
        return Ok(None);
    };
    Ok(decision::Entity::find_by_id(decision_id)
        .one(conn)
        .await?
        .map(|d| (d.number, d.date, plan_row.year)))
}

fn reminder_subject(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    let (from, to) = (format_date(lang, from), format_date(lang, to));
    match lang {
        Lang::Ru => {
            format!("Материалы к мероприятиям Плана по реализации мер доверия с {from} по {to}")
        }
        Lang::Kk => format!("Сенім шаралары жоспарының {from} – {to} іс-шараларына материалдар"),
        _ => format!(
            "Materials for the events of the Plan of Implementation of CBMs from {from} to {to}"
        ),
    }
}

fn kind_name(lang: Lang, kind: DocumentKind) -> &'static str {
    match (lang, kind) {
        (Lang::Ru, DocumentKind::ConceptPaper) => "концепция мероприятия",
        (Lang::Ru, DocumentKind::TentativeProgramme) => "предварительная программа",
        (Lang::Ru, DocumentKind::PostEventReport) => "отчет об итогах мероприятия",
        (Lang::Kk, DocumentKind::ConceptPaper) => "іс-шараның тұжырымдамасы",
        (Lang::Kk, DocumentKind::TentativeProgramme) => "алдын ала бағдарлама",
        (Lang::Kk, DocumentKind::PostEventReport) => "іс-шараның нәтижелері туралы есеп",
        (_, DocumentKind::ConceptPaper) => "concept paper",
        (_, DocumentKind::TentativeProgramme) => "tentative programme",
        (_, DocumentKind::PostEventReport) => "post-event report",
    }
}

/// The reminder's body in `lang`, written on `today`: the plan's decision
/// recalled as SOC/19 does, then one paragraph per event (its organisers,
/// title, dates and the documents not yet received: due by a date, or
/// overdue since one), then the request. `None` if a state it names or an
/// event it lists has no name or title in `lang`.
fn reminder_body(
    lang: Lang,
    events: &[EventRecord],
    names: &HashMap<&str, &OrgView>,
    decision: Option<&(String, NaiveDate, i32)>,
    request: &ReminderRequest,
    today: NaiveDate,
) -> Option<String> {
    let (from, to) = (
        format_date(lang, request.from),
        format_date(lang, request.to),
    );
    let mut paragraphs = Vec::new();
    if let Some((number, date, year)) = decision {
        let date = format_date(lang, *date);
        paragraphs.push(match lang {
            Lang::Ru => format!(
                "Решением КСДЛ №{number} от {date} был утвержден План СВМДА по реализации мер доверия на {year} год, включая мероприятия, запланированные на период с {from} по {to}."
            ),
            Lang::Kk => format!(
                "АЛТК-нің {date} №{number} шешімімен {from} – {to} кезеңіне жоспарланған іс-шараларды қоса алғанда {year} жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар бекітілді."
            ),
            _ => format!(
                "By Decision No. {number} of {date}, the SOC approved the CICA Plan of Implementation of Confidence Building Measures for {year}, including events scheduled from {from} to {to}."
            ),
        });
    }
    paragraphs.push(match lang {
        Lang::Ru => "Секретариат любезно напоминает, что согласно Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА организующим мероприятия государствам-членам следует направить в Секретариат следующие материалы для рассылки всем государствам-членам:".to_owned(),
        Lang::Kk => "Хатшылық Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылығына сәйкес іс-шараларды ұйымдастыратын мүше мемлекеттер барлық мүше мемлекеттерге тарату үшін Хатшылыққа келесі материалдарды жіберуі керектігін еске салады:".to_owned(),
        _ => "The Secretariat kindly reminds that, according to the General guidelines for conducting events on implementation of CICA confidence building measures, the organizing Member States are required to submit to the Secretariat the following materials, for sharing with all Member States:".to_owned(),
    });
    let mut listed = 0;
    for event in events {
        let missing: Vec<String> = event
            .documents
            .iter()
            .filter(|d| d.first_received_on.is_none())
            .map(|d| {
                let kind = kind_name(lang, d.kind);
                // A date gone by is not asked for: it is said to be past.
                if d.due_on < today {
                    return match lang {
                        Lang::Ru => format!("{kind} – срок истек {}", format_date(lang, d.due_on)),
                        Lang::Kk => {
                            format!("{kind} – мерзімі {} өтті", format_date_on(lang, d.due_on))
                        }
                        _ => format!("the {kind}, overdue since {}", format_date(lang, d.due_on)),
                    };
                }
                let due = format_date_by(lang, d.due_on);
                match lang {
                    Lang::Ru => format!("{kind} – до {due}"),
                    Lang::Kk => format!("{kind} – {due} дейін"),
                    _ => format!("the {kind} by {due}"),
                }
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        listed += 1;
        let organisers = event
            .organisers
            .iter()
            .map(|code| match names.get(code.as_str()) {
                Some(org) => org.name_in(lang).map(str::to_owned),
                // Not in the directory: its code, the same in every language.
                None => Some(code.clone()),
            })
            .collect::<Option<Vec<String>>>()?;
        let title = event.title.get(lang)?;
        let (start, end) = (format_date(lang, event.start), format_date(lang, event.end));
        let when = if event.start == event.end {
            start
        } else {
            match lang {
                Lang::Ru => format!("{start} – {end}"),
                Lang::Kk => format!("{start} – {end}"),
                _ => format!("{start} to {end}"),
            }
        };
        paragraphs.push(format!(
            "{listed}. {} — «{title}», {when}: {}.",
            organisers.join(", "),
            missing.join("; ")
        ));
    }
    if listed == 0 {
        paragraphs.push(match lang {
            Lang::Ru => "Все материалы к мероприятиям этого периода получены.".to_owned(),
            Lang::Kk => "Осы кезеңдегі іс-шаралардың барлық материалдары алынды.".to_owned(),
            _ => "All materials for the events of this period have been received.".to_owned(),
        });
    }
    paragraphs.push(match lang {
        Lang::Ru => "В этой связи Секретариат просит государства-члены заблаговременно направить необходимые материалы для своевременной подготовки и участия представителей государств-членов на запланированных мероприятиях.".to_owned(),
        Lang::Kk => "Осыған байланысты Хатшылық мүше мемлекеттерден мүше мемлекеттер өкілдерінің жоспарланған іс-шараларға уақтылы дайындалуы және қатысуы үшін қажетті материалдарды алдын ала жолдауды сұрайды.".to_owned(),
        _ => "In this regard, the Secretariat requests the Member States to submit in advance the required materials for the timely preparation and participation of the Member States' representatives in the scheduled events.".to_owned(),
    });
    Some(paragraphs.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::RequiredDocument;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn seminar() -> EventRecord {
        let document = |kind, due_on| RequiredDocument {
            kind,
            due_on,
            rule_id: "rule".into(),
            first_received_on: None,
        };
        EventRecord {
            id: "e1".into(),
            plan_id: "p1".into(),
            position: 1,
            title: Texts::from_pairs([
                (Lang::En, "Seminar on water".to_owned()),
                (Lang::Ru, "Семинар по воде".to_owned()),
                (Lang::Kk, "Су туралы семинар".to_owned()),
            ])
            .unwrap(),
            start: day(2024, 7, 9),
            end: day(2024, 7, 9),
            venue: None,
            notes: None,
            cbm_area: None,
            status: EventStatus::Planned,
            organisers: vec!["UZB".into()],
            documents: vec![
                document(DocumentKind::ConceptPaper, day(2024, 5, 10)),
                document(DocumentKind::TentativeProgramme, day(2024, 5, 25)),
            ],
            dropped: vec![],
            submissions: vec![],
            changes: vec![],
            revision: 1,
        }
    }

    fn uzbekistan() -> OrgView {
        OrgView {
            code: "UZB".into(),
            kind: "MEMBER_STATE".into(),
            name: "Uzbekistan".into(),
            names: Some(
                Texts::from_pairs([
                    (Lang::En, "Uzbekistan".to_owned()),
                    (Lang::Ru, "Узбекистан".to_owned()),
                    (Lang::Kk, "Өзбекстан".to_owned()),
                ])
                .unwrap(),
            ),
        }
    }

    fn request() -> ReminderRequest {
        ReminderRequest {
            from: day(2024, 7, 1),
            to: day(2024, 7, 31),
            series: NoteSeries::soc(),
        }
    }

    fn body(lang: Lang, today: NaiveDate) -> String {
        let uzb = uzbekistan();
        let names = HashMap::from([("UZB", &uzb)]);
        reminder_body(lang, &[seminar()], &names, None, &request(), today).unwrap()
    }

    #[test]
    fn states_and_events_are_named_in_the_notes_language_or_the_language_is_left_out() {
        assert!(
            body(Lang::Ru, day(2024, 5, 1))
                .contains("1. Узбекистан — «Семинар по воде», 9 июля 2024 года:")
        );
        assert!(
            body(Lang::Kk, day(2024, 5, 1))
                .contains("1. Өзбекстан — «Су туралы семинар», 2024 жылғы 9 шілде:")
        );
        let english_only = EventRecord {
            title: Texts::from_pairs([(Lang::En, "Seminar on water".to_owned())]).unwrap(),
            ..seminar()
        };
        let uzb = uzbekistan();
        let names = HashMap::from([("UZB", &uzb)]);
        let today = day(2024, 5, 1);
        let (events, request) = ([english_only], request());
        assert!(reminder_body(Lang::Ru, &events, &names, None, &request, today).is_none());
        assert!(reminder_body(Lang::En, &events, &names, None, &request, today).is_some());
        let unnamed = OrgView {
            names: None,
            ..uzbekistan()
        };
        let names = HashMap::from([("UZB", &unnamed)]);
        assert!(reminder_body(Lang::Kk, &[seminar()], &names, None, &request, today).is_none());
        assert!(reminder_body(Lang::En, &[seminar()], &names, None, &request, today).is_some());
    }

    #[test]
    fn a_document_due_is_asked_for_by_its_date_and_one_overdue_is_said_to_be() {
        let early = body(Lang::En, day(2024, 5, 1));
        assert!(
            early.contains(
                "the concept paper by 10 May 2024; the tentative programme by 25 May 2024"
            ),
            "{early}"
        );
        let late = body(Lang::En, day(2024, 6, 26));
        assert!(
            late.contains("the concept paper, overdue since 10 May 2024; the tentative programme, overdue since 25 May 2024"),
            "{late}"
        );
        assert!(!late.contains(" by 25 May"), "{late}");
        let between = body(Lang::Ru, day(2024, 5, 20));
        assert!(
            between.contains("концепция мероприятия – срок истек 10 мая 2024 года; предварительная программа – до 25 мая 2024 года"),
            "{between}"
        );
    }

    #[test]
    fn kazakh_dates_take_the_case_their_words_govern() {
        let text = body(Lang::Kk, day(2024, 5, 20));
        assert!(
            text.contains("іс-шараның тұжырымдамасы – мерзімі 2024 жылғы 10 мамырда өтті; алдын ала бағдарлама – 2024 жылғы 25 мамырға дейін"),
            "{text}"
        );
        assert!(text.contains("«Су туралы семинар»"), "{text}");
    }
}
