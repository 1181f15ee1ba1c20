//! The words of the reminder for a period: per event starting in it, its
//! organisers and the documents not yet received with their due dates, in
//! English, Russian and Kazakh. `crate::reminders` sends them as a note.

use std::collections::HashMap;

use accord_domain::{
    DocumentKind, EventStatus, Lang, NoteSeries, RuleAnchor, Texts, format_cited_date, format_date,
    format_date_by, format_date_on, format_month_for, russian_count,
};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::due::RuleRecord;
use super::find_plan;
use crate::actor::Actor;
use crate::engine::Engine;
use crate::entity::{decision, plan_event};
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
        let recalled = recalled(self.store().db(), &events, request.from).await?;
        let today = crate::clock::astana_date(self.now());
        let mut subject = Vec::new();
        let mut body = Vec::new();
        // In each language in which every state's name and event's title
        // it lists exists: a Russian note never names a state in English.
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            let Some(text) = reminder_body(lang, &events, &names, &recalled, request, today) else {
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

/// What a reminder recalls besides its events, as SOC/19 does: the plan
/// (its year, how many items it has, the decision approving it) and the
/// submission rules in force on the period's first day.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recalled {
    /// The plan of the first event listed, if any.
    plan: Option<PlanRecalled>,
    /// The rules in force for the period, by kind.
    rules: Vec<RuleRecord>,
}

#[derive(Debug, Clone)]
struct PlanRecalled {
    year: i32,
    /// Its items: the events it holds.
    items: usize,
    /// The approving decision's number and date, if recorded.
    decision: Option<(String, NaiveDate)>,
}

async fn recalled<C: ConnectionTrait>(
    conn: &C,
    events: &[EventRecord],
    from: NaiveDate,
) -> Result<Recalled> {
    let rules = super::due::all_rules(conn).await?;
    let rules = DocumentKind::ALL
        .into_iter()
        .filter_map(|kind| {
            accord_domain::rule_in_force(&rules, kind, from, |r: &RuleRecord| &r.rule).cloned()
        })
        .collect();
    let Some(first) = events.first() else {
        return Ok(Recalled { plan: None, rules });
    };
    let plan_row = find_plan(conn, &first.plan_id).await?;
    let items = plan_event::Entity::find()
        .filter(plan_event::Column::PlanId.eq(plan_row.id.as_str()))
        .count(conn)
        .await?;
    let decision = match &plan_row.decision_id {
        None => None,
        Some(id) => decision::Entity::find_by_id(id.clone())
            .one(conn)
            .await?
            .map(|d| (d.number, d.date)),
    };
    Ok(Recalled {
        plan: Some(PlanRecalled {
            year: plan_row.year,
            items: usize::try_from(items).unwrap_or(usize::MAX),
            decision,
        }),
        rules,
    })
}

/// "for February 2024" when the period is one calendar month, else "from
/// 1 to 15 February": the words that follow "events scheduled".
fn period_phrase(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    let whole_month = from.day() == 1
        && from.year() == to.year()
        && from.month() == to.month()
        && to.succ_opt().is_none_or(|next| next.month() != to.month());
    if whole_month {
        let month = format_month_for(lang, from.year(), from.month0() as usize);
        return match lang {
            Lang::Ru => format!("на {month}"),
            Lang::Kk => month,
            _ => format!("for {month}"),
        };
    }
    let (start, end) = (format_date(lang, from), format_date(lang, to));
    match lang {
        Lang::Ru => format!("на период с {start} по {end}"),
        Lang::Kk => format!("{start} – {end} кезеңіне"),
        _ => format!("from {start} to {end}"),
    }
}

/// How many days, as the reminder says it in `lang`.
fn days(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Ru => russian_count(n, "день", "дня", "дней"),
        Lang::Kk => format!("{n} күн"),
        _ if n == 1 => "1 day".to_owned(),
        _ => format!("{n} days"),
    }
}

/// The paragraph recalling the plan's approval, as SOC/19 opens.
fn plan_paragraph(lang: Lang, plan: &PlanRecalled, period: &str) -> Option<String> {
    let (number, date) = plan.decision.as_ref()?;
    let (year, n) = (plan.year, u32::try_from(plan.items).unwrap_or(u32::MAX));
    Some(match lang {
        Lang::Ru => format!(
            "На недавнем заседании КСДЛ решением №{number} от {} был утвержден План СВМДА по реализации мер доверия на {year} год, который состоит из {}, включая мероприятия, запланированные {period}.",
            format_date(lang, *date),
            russian_count(n, "пункта", "пунктов", "пунктов"),
        ),
        Lang::Kk => format!(
            "АЛТК-нің соңғы отырысында {} №{number} шешімімен {period} жоспарланған іс-шараларды қоса алғанда {n} тармақтан тұратын {year} жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар бекітілді.",
            format_cited_date(lang, *date),
        ),
        _ => format!(
            "The recent SOC meeting, by Decision No. {number} of {}, approved the CICA Plan of Implementation of Confidence Building Measures for {year}, which consists of {n} {}, including events scheduled {period}.",
            format_date(lang, *date),
            if n == 1 { "item" } else { "items" },
        ),
    })
}

/// The paragraph recalling the rules in force, as SOC/19 does: citing the
/// document that adopted them when the concept paper's and the tentative
/// programme's rules share one citation in `lang`. The second value tells
/// whether it cited a document ("in accordance with the above document").
fn rules_paragraph(lang: Lang, rules: &[RuleRecord]) -> (String, bool) {
    let rule = |kind| rules.iter().find(|r| r.rule.kind == kind);
    let before_start =
        |r: &&RuleRecord| r.rule.anchor == RuleAnchor::Start && r.rule.offset_days < 0;
    let (Some(concept), Some(programme)) = (
        rule(DocumentKind::ConceptPaper).filter(before_start),
        rule(DocumentKind::TentativeProgramme).filter(before_start),
    ) else {
        return (
            match lang {
                Lang::Ru => "Секретариат любезно напоминает, что организующим мероприятия государствам-членам следует направлять в Секретариат материалы к мероприятиям в сроки, установленные действующими правилами, для рассылки всем государствам-членам.".to_owned(),
                Lang::Kk => "Хатшылық іс-шараларды ұйымдастыратын мүше мемлекеттер барлық мүше мемлекеттерге тарату үшін іс-шаралардың материалдарын қолданыстағы ережелерде белгіленген мерзімде Хатшылыққа жіберуі керектігін еске салады.".to_owned(),
                _ => "The Secretariat kindly reminds that the organizing Member States are required to submit to the Secretariat the materials for their events by the dates the rules in force set, for sharing with all Member States.".to_owned(),
            },
            false,
        );
    };
    let cited = |r: &RuleRecord| {
        r.citation
            .as_ref()
            .and_then(|c| c.get(lang))
            .map(str::to_owned)
    };
    let citation = match (cited(concept), cited(programme)) {
        (Some(a), Some(b)) if a == b => {
            let date = match lang {
                Lang::Kk => format_date_on(lang, concept.adopted_on),
                _ => format_date(lang, concept.adopted_on),
            };
            Some(a.replace("{date}", &date))
        }
        _ => None,
    };
    let (cp, tp) = (
        days(lang, concept.rule.offset_days.unsigned_abs()),
        days(lang, programme.rule.offset_days.unsigned_abs()),
    );
    let report = rule(DocumentKind::PostEventReport).is_some();
    let text = match lang {
        Lang::Ru => format!(
            "Секретариат любезно напоминает, что{} организующим мероприятия государствам-членам следует направить в Секретариат концепцию мероприятия за {cp}, а предварительную программу – за {tp} до мероприятия для рассылки всем государствам-членам.{}",
            citation
                .as_ref()
                .map(|c| format!(" согласно {c},"))
                .unwrap_or_default(),
            if report {
                " Кроме того, нужно предоставить отчет об итогах мероприятия после его проведения."
            } else {
                ""
            },
        ),
        Lang::Kk => format!(
            "Хатшылық {}іс-шараларды ұйымдастыратын мүше мемлекеттер іс-шараның тұжырымдамасын іс-шараны өткізгенге дейін {cp} бұрын, ал алдын ала бағдарламасын – {tp} бұрын барлық мүше мемлекеттерге тарату үшін Хатшылыққа жіберу керектігі туралы еске салады.{}",
            citation
                .as_ref()
                .map(|c| format!("{c} сәйкес "))
                .unwrap_or_default(),
            if report {
                " Сонымен қатар, іс-шара өткізілгеннен кейін оның нәтижелері туралы есеп беру қажет."
            } else {
                ""
            },
        ),
        _ => format!(
            "The Secretariat kindly reminds that{} the organizing Member States are required to submit to the Secretariat the concept paper for the event {cp} prior and the tentative programme {tp} prior to the event, for sharing with all Member States.{}",
            citation
                .as_ref()
                .map(|c| format!(", according to {c},"))
                .unwrap_or_default(),
            if report {
                " Additionally, a post-event report should be provided."
            } else {
                ""
            },
        ),
    };
    (text, citation.is_some())
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

/// The reminder's body in `lang`, written on `today`, as SOC/19 reads: the
/// plan's approval recalled, the rules in force and the document that
/// adopted them, then the documents not yet received, one paragraph per
/// event (its organisers, title, dates, and each document due by a date or
/// overdue since one), then the request. `None` if a state it names or an
/// event it lists has no name or title in `lang`.
fn reminder_body(
    lang: Lang,
    events: &[EventRecord],
    names: &HashMap<&str, &OrgView>,
    recalled: &Recalled,
    request: &ReminderRequest,
    today: NaiveDate,
) -> Option<String> {
    let period = period_phrase(lang, request.from, request.to);
    let mut paragraphs = Vec::new();
    if let Some(text) = recalled
        .plan
        .as_ref()
        .and_then(|plan| plan_paragraph(lang, plan, &period))
    {
        paragraphs.push(text);
    }
    let (rules, cited) = rules_paragraph(lang, &recalled.rules);
    paragraphs.push(rules);
    paragraphs.push(match lang {
        Lang::Ru => {
            format!("К мероприятиям, запланированным {period}, в Секретариат еще не поступили:")
        }
        Lang::Kk => {
            format!("{period} жоспарланған іс-шаралар бойынша Хатшылыққа әлі түспеген материалдар:")
        }
        _ => format!("For the events scheduled {period}, the Secretariat has not yet received:"),
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
        // Nothing is missing: no list, and no heading for one.
        paragraphs.pop();
        paragraphs.push(match lang {
            Lang::Ru => "Все материалы к мероприятиям этого периода получены.".to_owned(),
            Lang::Kk => "Осы кезеңдегі іс-шаралардың барлық материалдары алынды.".to_owned(),
            _ => "All materials for the events of this period have been received.".to_owned(),
        });
    }
    paragraphs.push(match lang {
        Lang::Ru => format!(
            "В этой связи Секретариат просит государства-члены{} заблаговременно направить необходимые материалы для своевременной подготовки и участия представителей государств-членов на запланированных мероприятиях.",
            if cited { " в соответствии с вышеизложенным документом" } else { "" },
        ),
        Lang::Kk => format!(
            "Осыған байланысты Хатшылық мүше мемлекеттерден {}мүше мемлекеттер өкілдерінің жоспарланған іс-шараларға уақтылы дайындалуы және қатысуы үшін қажетті материалдарды алдын ала жолдауды сұрайды.",
            if cited { "жоғарыда аталған құжатқа сәйкес " } else { "" },
        ),
        _ => format!(
            "In this regard, the Secretariat requests the Member States{} to submit in advance the required materials for the timely preparation and participation of the Member States' representatives in the scheduled events.",
            if cited { ", in accordance with the above document," } else { "" },
        ),
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
            dative: None,
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
        reminder_body(
            lang,
            &[seminar()],
            &names,
            &Recalled::default(),
            &request(),
            today,
        )
        .unwrap()
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
        let none = Recalled::default();
        assert!(reminder_body(Lang::Ru, &events, &names, &none, &request, today).is_none());
        assert!(reminder_body(Lang::En, &events, &names, &none, &request, today).is_some());
        let unnamed = OrgView {
            names: None,
            ..uzbekistan()
        };
        let names = HashMap::from([("UZB", &unnamed)]);
        assert!(reminder_body(Lang::Kk, &[seminar()], &names, &none, &request, today).is_none());
        assert!(reminder_body(Lang::En, &[seminar()], &names, &none, &request, today).is_some());
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

    /// The General Guidelines of 2021 as seeded, cited as SOC/19 cites them.
    fn guidelines() -> Vec<RuleRecord> {
        let citation = Texts::from_pairs([
            (Lang::En, "the *General guidelines for conducting events on implementation of CICA confidence building measures* adopted by the SOC on {date}".to_owned()),
            (Lang::Ru, "*Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА*, принятым КСДЛ {date}".to_owned()),
            (Lang::Kk, "{date} АЛТК қабылдаған *Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа*".to_owned()),
        ])
        .unwrap();
        [
            (DocumentKind::ConceptPaper, RuleAnchor::Start, -60),
            (DocumentKind::TentativeProgramme, RuleAnchor::Start, -45),
            (DocumentKind::PostEventReport, RuleAnchor::End, 30),
        ]
        .into_iter()
        .map(|(kind, anchor, offset)| RuleRecord {
            id: kind.as_str().into(),
            rule: accord_domain::SubmissionRule::new(kind, anchor, offset, day(2021, 6, 23))
                .unwrap(),
            decision_id: None,
            adopted_on: day(2021, 6, 23),
            title: None,
            citation: Some(citation.clone()),
        })
        .collect()
    }

    /// SOC/19's paragraphs, word for word, in its three languages, with the
    /// cited title marked for italics as the seed sets it.
    const SOC_19: [(Lang, [&str; 3]); 3] = [
        (
            Lang::En,
            [
                "The recent SOC meeting, by Decision No. SOC/2023-III/DEC/2 of 12 December 2023, approved the CICA Plan of Implementation of Confidence Building Measures for 2024, which consists of 27 items, including events scheduled for February 2024.",
                "The Secretariat kindly reminds that, according to the *General guidelines for conducting events on implementation of CICA confidence building measures* adopted by the SOC on 23 June 2021, the organizing Member States are required to submit to the Secretariat the concept paper for the event 60 days prior and the tentative programme 45 days prior to the event, for sharing with all Member States. Additionally, a post-event report should be provided.",
                "In this regard, the Secretariat requests the Member States, in accordance with the above document, to submit in advance the required materials for the timely preparation and participation of the Member States' representatives in the scheduled events.",
            ],
        ),
        (
            Lang::Ru,
            [
                "На недавнем заседании КСДЛ решением №SOC/2023-III/DEC/2 от 12 декабря 2023 года был утвержден План СВМДА по реализации мер доверия на 2024 год, который состоит из 27 пунктов, включая мероприятия, запланированные на февраль 2024 года.",
                "Секретариат любезно напоминает, что согласно *Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА*, принятым КСДЛ 23 июня 2021 года, организующим мероприятия государствам-членам следует направить в Секретариат концепцию мероприятия за 60 дней, а предварительную программу – за 45 дней до мероприятия для рассылки всем государствам-членам. Кроме того, нужно предоставить отчет об итогах мероприятия после его проведения.",
                "В этой связи Секретариат просит государства-члены в соответствии с вышеизложенным документом заблаговременно направить необходимые материалы для своевременной подготовки и участия представителей государств-членов на запланированных мероприятиях.",
            ],
        ),
        (
            Lang::Kk,
            [
                "АЛТК-нің соңғы отырысында 2023 жылғы 12 желтоқсандағы №SOC/2023-III/DEC/2 шешімімен 2024 жылғы ақпанға жоспарланған іс-шараларды қоса алғанда 27 тармақтан тұратын 2024 жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар бекітілді.",
                "Хатшылық 2021 жылғы 23 маусымда АЛТК қабылдаған *Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа* сәйкес іс-шараларды ұйымдастыратын мүше мемлекеттер іс-шараның тұжырымдамасын іс-шараны өткізгенге дейін 60 күн бұрын, ал алдын ала бағдарламасын – 45 күн бұрын барлық мүше мемлекеттерге тарату үшін Хатшылыққа жіберу керектігі туралы еске салады. Сонымен қатар, іс-шара өткізілгеннен кейін оның нәтижелері туралы есеп беру қажет.",
                "Осыған байланысты Хатшылық мүше мемлекеттерден жоғарыда аталған құжатқа сәйкес мүше мемлекеттер өкілдерінің жоспарланған іс-шараларға уақтылы дайындалуы және қатысуы үшін қажетті материалдарды алдын ала жолдауды сұрайды.",
            ],
        ),
    ];

    #[test]
    fn the_february_2024_reminder_says_what_soc_19_says_word_for_word() {
        let recalled = Recalled {
            plan: Some(PlanRecalled {
                year: 2024,
                items: 27,
                decision: Some(("SOC/2023-III/DEC/2".into(), day(2023, 12, 12))),
            }),
            rules: guidelines(),
        };
        let february = ReminderRequest {
            from: day(2024, 2, 1),
            to: day(2024, 2, 29),
            series: NoteSeries::soc(),
        };
        let seminar = EventRecord {
            start: day(2024, 2, 20),
            end: day(2024, 2, 21),
            ..seminar()
        };
        let uzb = uzbekistan();
        let names = HashMap::from([("UZB", &uzb)]);
        for (lang, [plan, rules, request]) in SOC_19 {
            let body = reminder_body(
                lang,
                std::slice::from_ref(&seminar),
                &names,
                &recalled,
                &february,
                day(2024, 1, 8),
            )
            .unwrap();
            let paragraphs: Vec<&str> = body.split("\n\n").collect();
            assert_eq!(paragraphs[0], plan, "{lang:?}");
            assert_eq!(paragraphs[1], rules, "{lang:?}");
            assert_eq!(*paragraphs.last().unwrap(), request, "{lang:?}");
            // Between them, what is missing, under a heading naming the month.
            assert!(paragraphs[3].starts_with("1. "), "{body}");
        }
    }

    #[test]
    fn without_a_citation_the_rules_are_stated_without_the_document() {
        let rules: Vec<RuleRecord> = guidelines()
            .into_iter()
            .map(|r| RuleRecord {
                citation: None,
                ..r
            })
            .collect();
        let (en, cited) = rules_paragraph(Lang::En, &rules);
        assert!(!cited);
        assert!(en.starts_with("The Secretariat kindly reminds that the organizing Member States are required to submit to the Secretariat the concept paper for the event 60 days prior"), "{en}");
        let (ru, _) = rules_paragraph(Lang::Ru, &rules);
        assert!(
            ru.contains("за 60 дней, а предварительную программу – за 45 дней"),
            "{ru}"
        );
    }

    #[test]
    fn a_period_that_is_not_a_month_is_given_by_its_days() {
        let (from, to) = (day(2024, 2, 1), day(2024, 2, 15));
        assert_eq!(
            period_phrase(Lang::En, from, to),
            "from 1 February 2024 to 15 February 2024"
        );
        assert_eq!(
            period_phrase(Lang::Ru, day(2024, 2, 1), day(2024, 2, 29)),
            "на февраль 2024 года"
        );
        assert_eq!(
            period_phrase(Lang::Kk, day(2024, 2, 1), day(2024, 2, 29)),
            "2024 жылғы ақпанға"
        );
        assert_eq!(
            period_phrase(Lang::En, day(2024, 2, 1), day(2024, 2, 28)),
            "from 1 February 2024 to 28 February 2024"
        );
        assert_eq!(days(Lang::Ru, 21), "21 день");
        assert_eq!(days(Lang::Ru, 44), "44 дня");
        assert_eq!(days(Lang::Ru, 11), "11 дней");
    }
}
