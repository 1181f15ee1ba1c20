//! The demo: the CICA–SCO Action Plan of the seeds with its real history
//! (notes PAR/1453, PAR/361 and PAR/713), and a few shorter drafts, one in
//! each other state, so that a newcomer can walk every transition.
//!
//! This module is the script; what it loads (people, events, titles,
//! texts) is data, in [`data`], which knows nothing of the script.
//!
//! Nothing is written behind the engine's back: every step is a
//! [`Command`] carried out by [`Engine::execute`] for a named person, so the
//! demo data is audited and obeys the same rules as a user's actions. The
//! engine's clock is set to each step's historical instant (06:00 UTC, i.e.
//! 11:00 in Astana, plus a few minutes per step of the same day), so notes
//! carry their historical dates. Steps are listed in chronological order,
//! because the audit log is a chain.
//!
//! What is loaded:
//!
//! | draft | kind | state |
//! |---|---|---|
//! | Action Plan for 2024-2029 (CICA–SCO) | `ACTION_PLAN` | `CIRCULATED` by PAR/713, version 3 |
//! | Joint Statement on countering the financing of terrorism | `JOINT_STATEMENT` | `DRAFTING` |
//! | Concept Paper on the CICA Youth Forum | `CONCEPT_PAPER` | `SWG_DISCUSSION` (SWG of 25 June 2024) |
//! | Memorandum on cooperation in disaster management | `MEMORANDUM` | `SOC_AGREED` by SOC/2023-III/DEC/3, signed for CICA only, by the Acting Secretary General while the Secretary General was on mission |
//! | Draft Regulations on observers | `REGULATIONS` | `WITHDRAWN` |
//! | Declaration of the CICA Ministerial Council on strengthening connectivity in Asia | `DECLARATION` | `ADOPTED` by MC/2024-I/DEC/1 after the SOC agreed it by SOC/2023-III/DEC/4; on the declarations' own route, nobody signs it |
//!
//! Meetings and decisions: the SOC of 12 December 2023 (session 2023-III),
//! which approved the Plan of Implementation of CBMs for 2024 by decision
//! SOC/2023-III/DEC/2 (as SOC/19 recalls) and agreed the Memorandum by
//! SOC/2023-III/DEC/3; the SWG of 25 June 2024 and the SOC of 27 June 2024
//! (session 2024-II), whose agendas carry the Action Plan as PAR/713
//! announces, the SWG's also the Concept Paper on the Youth Forum.
//!
//! The Plan of Implementation of CBMs for 2024 that SOC/2023-III/DEC/2
//! approved: twelve events from February (those SOC/19 reminds of) to
//! December 2024, listed as data in [`EVENTS_2024`], with the documents
//! received on time, late or not at all, and events held, postponed and
//! cancelled, so that on [`DEMO_AS_OF`] (27 June 2024, the SOC meeting) the
//! dashboards show every document and event status.

use std::sync::{Arc, Mutex};

use accord_domain::{
    Anchor, Content, DecisionNumber, EventStatus, Lang, NoteNumber, NoteSeries, ProposalOperation,
    ProposalResolution, Texts,
};
use accord_workflow::delegations::NewDelegation;
use accord_workflow::engine::Clock;
use accord_workflow::meetings::{AgendaSubject, ApprovalKind, Approved, NewDecision, NewMeeting};
use accord_workflow::paging::Window;
use accord_workflow::plans::{EventMove, EventStatusChange, NewEvent, NewPlan, NewSubmission};
use accord_workflow::reminders;
use accord_workflow::routes::NewRoute;
use accord_workflow::silence::{self, NewSilence};
use accord_workflow::stances::NewStance;
use accord_workflow::{
    Actor, Command, Engine, NewComment, NewDraft, Outcome, Proposal, Reader, Store,
};
use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDate, Utc};

mod data;

pub use data::DEMO_AS_OF;
use data::*;
pub use data::{PEOPLE, Person};

/// What [`load`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Whether the demo data was loaded now (`false`: drafts existed already
    /// and nothing was written).
    pub loaded: bool,
    /// The drafts loaded, as (id, English title, state); empty when nothing
    /// was loaded.
    pub drafts: Vec<(String, String, String)>,
}

/// Loads the demo data once: does nothing if any draft exists already.
///
/// Two loaders started at once on an empty database do not both load: the
/// first step continues the PAR series of 2023, which a series allows only
/// once, so the second loader fails before writing anything.
pub async fn load(store: &Store) -> anyhow::Result<DemoSummary> {
    // The Secretariat sees every draft.
    let reader = Reader::new(store.clone(), Cast::new()?.officer);
    let existing = reader
        .drafts(None, &Window::forward(1, None)?)
        .await
        .context("counting existing drafts before loading the demo data")?;
    if existing.total_count > 0 {
        return Ok(DemoSummary {
            loaded: false,
            drafts: Vec::new(),
        });
    }
    let demo = Demo::new(store);
    let loaded = demo.run().await?;
    let mut drafts = Vec::with_capacity(loaded.len());
    for (id, title) in loaded {
        let draft = reader
            .draft(&id)
            .await
            .with_context(|| format!("reading the demo draft {id} back"))?;
        drafts.push((id, title.to_owned(), draft.state.as_str().to_owned()));
    }
    Ok(DemoSummary {
        loaded: true,
        drafts,
    })
}

/// The instant the demo's clock is set to.
fn read_clock(now: &Mutex<DateTime<Utc>>) -> DateTime<Utc> {
    now.lock()
        .map(|instant| *instant)
        .unwrap_or_else(|poisoned| *poisoned.into_inner())
}

/// The people acting in [`Demo::run`].
struct Cast {
    officer: Actor,
    cica_sg: Actor,
    cica_deputy: Actor,
    sco_officer: Actor,
    kaz: Actor,
    rus: Actor,
    chn: Actor,
    ind: Actor,
}

impl Cast {
    fn new() -> anyhow::Result<Cast> {
        Ok(Cast {
            officer: person("cica-officer-1")?,
            cica_sg: person("cica-sg")?,
            cica_deputy: person("cica-deputy-sg")?,
            sco_officer: person("sco-officer-1")?,
            kaz: person("kaz-delegate-1")?,
            rus: person("rus-delegate-1")?,
            chn: person("chn-delegate-1")?,
            ind: person("ind-delegate-1")?,
        })
    }
}

/// An engine whose clock the loader sets before each step.
struct Demo {
    engine: Engine,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl Demo {
    fn new(store: &Store) -> Demo {
        let now = Arc::new(Mutex::new(DateTime::<Utc>::UNIX_EPOCH));
        let shared = Arc::clone(&now);
        let clock: Clock = Arc::new(move || read_clock(&shared));
        Demo {
            engine: Engine::with_clock(store.clone(), clock),
            now,
        }
    }

    /// Sets the clock to 06:00 UTC (11:00 in Astana) on `y-m-d`, plus
    /// `minutes`, so that several steps of one day keep their order.
    fn at(&self, y: i32, m: u32, d: u32, minutes: u32) -> anyhow::Result<()> {
        let instant = day(y, m, d)?
            .and_hms_opt(6 + minutes / 60, minutes % 60, 0)
            .ok_or_else(|| anyhow!("no time 06:00 + {minutes} min"))?
            .and_utc();
        match self.now.lock() {
            Ok(mut now) => *now = instant,
            Err(poisoned) => *poisoned.into_inner() = instant,
        }
        Ok(())
    }

    /// The clock's instant.
    fn now(&self) -> DateTime<Utc> {
        read_clock(&self.now)
    }

    async fn exec(&self, actor: &Actor, command: Command, what: &str) -> anyhow::Result<Outcome> {
        self.engine
            .execute(actor, command)
            .await
            .with_context(|| format!("demo data: {what}"))
    }

    async fn create(&self, actor: &Actor, new: NewDraft, what: &str) -> anyhow::Result<String> {
        match self.exec(actor, Command::CreateDraft(new), what).await? {
            Outcome::Draft { draft_id, .. } => Ok(draft_id),
            other => Err(anyhow!("demo data: {what}: unexpected outcome {other:?}")),
        }
    }

    async fn meeting(&self, actor: &Actor, new: NewMeeting, what: &str) -> anyhow::Result<String> {
        match self
            .exec(actor, Command::ScheduleMeeting(new), what)
            .await?
        {
            Outcome::Meeting { meeting_id } => Ok(meeting_id),
            other => Err(anyhow!("{what}: unexpected outcome {other:?}")),
        }
    }

    async fn comment(&self, actor: &Actor, new: NewComment, what: &str) -> anyhow::Result<String> {
        match self.exec(actor, Command::AddComment(new), what).await? {
            Outcome::Comment { comment_id, .. } => Ok(comment_id),
            other => Err(anyhow!("demo data: {what}: unexpected outcome {other:?}")),
        }
    }

    async fn continue_par(&self, actor: &Actor, year: i32, last: u32) -> anyhow::Result<()> {
        self.exec(
            actor,
            Command::ContinueNoteSeries {
                series: NoteSeries::parse("PAR")?,
                year,
                last_sequence: last,
            },
            &format!("continuing the PAR series of {year} after PAR/{last}"),
        )
        .await?;
        Ok(())
    }

    async fn circulate(
        &self,
        actor: &Actor,
        draft_id: &str,
        subject: Texts,
        references: &[&str],
        comments_due_on: Option<NaiveDate>,
        what: &str,
    ) -> anyhow::Result<()> {
        let references = references
            .iter()
            .map(|n| NoteNumber::parse(n))
            .collect::<Result<Vec<_>, _>>()?;
        self.exec(
            actor,
            Command::CirculateDraft {
                draft_id: draft_id.to_owned(),
                series: NoteSeries::parse("PAR")?,
                subject: Some(subject),
                references,
                comments_due_on,
            },
            what,
        )
        .await?;
        Ok(())
    }

    async fn resolve(
        &self,
        actor: &Actor,
        comment_id: &str,
        resolution: ProposalResolution,
        reply: &str,
        what: &str,
    ) -> anyhow::Result<()> {
        self.exec(
            actor,
            Command::ResolveProposal {
                comment_id: comment_id.to_owned(),
                resolution,
                reply: Some(reply.to_owned()),
            },
            what,
        )
        .await?;
        Ok(())
    }

    async fn revise(
        &self,
        actor: &Actor,
        draft_id: &str,
        base_version: i32,
        content: Content,
        change_summary: &str,
        accommodates: Vec<String>,
    ) -> anyhow::Result<()> {
        self.exec(
            actor,
            Command::ReviseDraft {
                draft_id: draft_id.to_owned(),
                base_version,
                content,
                change_summary: Some(change_summary.to_owned()),
                accommodates,
            },
            &format!("revising draft {draft_id} to version {}", base_version + 1),
        )
        .await?;
        Ok(())
    }

    /// Runs every step; returns the drafts made, as (id, English title).
    async fn run(&self) -> anyhow::Result<Vec<(String, &'static str)>> {
        let cast = Cast::new()?;
        let officer = &cast.officer;

        // 28 November 2023: the PAR registry was kept on paper until
        // PAR/1452; the Action Plan and the Memorandum are drafted.
        self.at(2023, 11, 28, 0)?;
        self.continue_par(officer, 2023, 1452).await?;
        self.at(2023, 11, 28, 10)?;
        let plan = self
            .create(
                officer,
                NewDraft {
                    kind: "ACTION_PLAN".into(),
                    title: texts(PLAN_TITLE_EN, PLAN_TITLE_RU)?,
                    signatories: orgs(&["CICA", "SCO"])?,
                    content: action_plan(1)?,
                },
                "creating the Action Plan",
            )
            .await?;
        self.at(2023, 11, 28, 20)?;
        let memorandum_content = memorandum()?;
        let memorandum = self
            .create(
                officer,
                NewDraft {
                    kind: "MEMORANDUM".into(),
                    title: texts(MEMORANDUM_TITLE_EN, MEMORANDUM_TITLE_RU)?,
                    signatories: orgs(&["CICA", "SCO"])?,
                    content: memorandum_content.clone(),
                },
                "creating the Memorandum on disaster management",
            )
            .await?;
        // Declarations of the Ministerial Council take their own road:
        // agreed by the SOC, adopted by the Ministers, signed by nobody.
        self.at(2023, 11, 28, 30)?;
        self.route_in_force(
            officer,
            "DECLARATION",
            declaration_route()?,
            "the route of Ministerial Council declarations",
        )
        .await?;
        self.at(2023, 11, 28, 40)?;
        let declaration = self
            .create(
                officer,
                NewDraft {
                    kind: "DECLARATION".into(),
                    title: texts(DECLARATION_TITLE_EN, DECLARATION_TITLE_RU)?,
                    signatories: orgs(&["CICA"])?,
                    content: declaration()?,
                },
                "creating the Declaration of the Ministerial Council",
            )
            .await?;

        // 29 November 2023: PAR/1453 circulates the first draft.
        self.at(2023, 11, 29, 0)?;
        self.circulate(
            officer,
            &plan,
            texts(
                "Draft Action Plan for 2024-2029 for the Implementation of the 2014 Memorandum of Understanding between the CICA Secretariat and the SCO Secretariat",
                "Проект Плана мероприятий на 2024-2029 годы по реализации Меморандума о взаимопонимании между Секретариатом СВМДА и Секретариатом ШОС от 2014 года",
            )?,
            &[],
            Some(day(2023, 12, 29)?),
            "circulating the Action Plan, version 1 (PAR/1453)",
        )
        .await?;

        // 30 November 2023: PAR/1454 circulates the Memorandum.
        self.at(2023, 11, 30, 0)?;
        self.circulate(
            officer,
            &memorandum,
            texts(
                "Draft Memorandum on cooperation in disaster management between the CICA Secretariat and the SCO Secretariat",
                "Проект Меморандума о сотрудничестве в сфере управления стихийными бедствиями между Секретариатом СВМДА и Секретариатом ШОС",
            )?,
            &[],
            Some(day(2023, 12, 8)?),
            "circulating the Memorandum (PAR/1454)",
        )
        .await?;

        // 4 December 2023: the Memorandum goes on the SWG agenda of 11 December.
        self.at(2023, 12, 4, 0)?;
        self.exec(
            officer,
            Command::OpenSwgDiscussion {
                draft_id: memorandum.clone(),
                meeting_date: day(2023, 12, 11)?,
            },
            "putting the Memorandum on the SWG agenda of 11 December 2023",
        )
        .await?;

        // December 2023: comments and proposals on version 1 of the Action Plan.
        self.at(2023, 12, 5, 0)?;
        let kaz_energy = self
            .comment(
                &cast.kaz,
                NewComment {
                    draft_id: plan.clone(),
                    version: 1,
                    anchor: Some(Anchor::parse("item-7")?),
                    body: "Kazakhstan proposes to add joint events on energy, an area of growing cooperation within both CICA and SCO.".into(),
                    proposal: Some(Proposal {
                        operation: ProposalOperation::InsertAfter,
                        texts: Some(texts(EVENTS[7].0, EVENTS[7].1)?),
                    }),
                },
                "KAZ proposing energy events",
            )
            .await?;
        self.at(2023, 12, 6, 0)?;
        self.comment(
            &cast.sco_officer,
            NewComment {
                draft_id: plan.clone(),
                version: 1,
                anchor: None,
                body: "The SCO Secretariat supports the draft and is ready to consider the proposals of Member States.".into(),
                proposal: None,
            },
            "SCO commenting on the Action Plan",
        )
        .await?;
        self.at(2023, 12, 7, 0)?;
        self.comment(
            &cast.rus,
            NewComment {
                draft_id: plan.clone(),
                version: 1,
                anchor: Some(Anchor::parse("item-3")?),
                body: "The Russian Federation suggests that this item also cover countering radicalization, which is closely linked to terrorism.".into(),
                proposal: None,
            },
            "RUS commenting on item-3",
        )
        .await?;
        self.at(2023, 12, 8, 0)?;
        let chn_cyber = self
            .comment(
                &cast.chn,
                NewComment {
                    draft_id: plan.clone(),
                    version: 1,
                    anchor: Some(Anchor::parse("item-1")?),
                    body: "China proposes a wording covering both cybercrime and international information security.".into(),
                    proposal: Some(Proposal {
                        operation: ProposalOperation::Replace,
                        texts: Some(texts(
                            "Joint events to exchange information and experience on countering cybercrime and on ensuring international information security",
                            "Проведение совместных мероприятий для обмена информацией и опытом по вопросам противодействия киберпреступности и обеспечения международной информационной безопасности",
                        )?),
                    }),
                },
                "CHN proposing a new wording of item-1",
            )
            .await?;
        self.at(2023, 12, 11, 0)?;
        let ind_sports = self
            .comment(
                &cast.ind,
                NewComment {
                    draft_id: plan.clone(),
                    version: 1,
                    anchor: Some(Anchor::parse("item-2")?),
                    body: "India suggests keeping the plan focused on security cooperation and deleting the item on sports competitions.".into(),
                    proposal: Some(Proposal {
                        operation: ProposalOperation::Delete,
                        texts: None,
                    }),
                },
                "IND proposing to delete item-2",
            )
            .await?;

        // 11 December 2023: the declaration for the Ministerial Council is
        // circulated.
        self.at(2023, 12, 11, 30)?;
        self.circulate(
            officer,
            &declaration,
            texts(
                "Draft Declaration of the Ministerial Council on connectivity",
                "Проект Декларации Совета министров о взаимосвязанности",
            )?,
            &[],
            None,
            "circulating the draft Declaration of the Ministerial Council",
        )
        .await?;

        // 12 December 2023: the SOC (session III of 2023) approves the Plan
        // of Implementation of CBMs for 2024 (SOC/2023-III/DEC/2, recalled
        // by SOC/19) and agrees the Memorandum (SOC/2023-III/DEC/3).
        self.at(2023, 12, 12, 0)?;
        let soc_2023_iii = self
            .meeting(
                officer,
                NewMeeting {
                    body: "SOC".into(),
                    date: day(2023, 12, 12)?,
                    session: Some(accord_domain::SessionNumber::parse("2023-III")?),
                    venue: None,
                    title: None,
                },
                "recording the SOC meeting of 12 December 2023 (2023-III)",
            )
            .await?;
        self.at(2023, 12, 12, 1)?;
        self.exec(
            officer,
            Command::AddAgendaItem {
                meeting_id: soc_2023_iii.clone(),
                subject: AgendaSubject::Titled(plan_of_implementation()?),
                position: None,
            },
            "putting the Plan of Implementation for 2024 on the SOC agenda",
        )
        .await?;
        self.at(2023, 12, 12, 2)?;
        let dec_2 = self.exec(
            officer,
            Command::RecordDecision(NewDecision {
                meeting_id: soc_2023_iii,
                number: Some(DecisionNumber::parse("SOC/2023-III/DEC/2")?),
                title: Texts::from_pairs([
                    (Lang::En, "On the CICA Plan of Implementation of Confidence Building Measures for 2024".to_owned()),
                    (Lang::Ru, "О Плане СВМДА по реализации мер доверия на 2024 год".to_owned()),
                    (Lang::Kk, "2024 жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар туралы".to_owned()),
                ])?,
                text: Some(Texts::from_pairs([
                    (Lang::En, "The Senior Officials Committee approves the CICA Plan of Implementation of Confidence Building Measures for 2024, which consists of 27 items, including events scheduled for February 2024.".to_owned()),
                    (Lang::Ru, "Комитет старших должностных лиц утверждает План СВМДА по реализации мер доверия на 2024 год, который состоит из 27 пунктов, включая мероприятия, запланированные на февраль 2024 года.".to_owned()),
                    (Lang::Kk, "Аға лауазымды тұлғалар комитеті 2024 жылғы ақпанға жоспарланған іс-шараларды қоса алғанда 27 тармақтан тұратын 2024 жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспарды бекітеді.".to_owned()),
                ])?),
                approves: vec![Approved::Document {
                    kind: ApprovalKind::Plan,
                    title: plan_of_implementation()?,
                }],
            }),
            "recording decision SOC/2023-III/DEC/2 on the Plan of Implementation for 2024",
        )
        .await?;
        let Outcome::Decision { decision_id: dec_2 } = dec_2 else {
            return Err(anyhow!("recording SOC/2023-III/DEC/2 gave {dec_2:?}"));
        };
        self.at(2023, 12, 12, 3)?;
        let agreed = self
            .exec(
                officer,
                Command::RecordSocAgreement {
                    draft_id: memorandum.clone(),
                    meeting_date: day(2023, 12, 12)?,
                    decision_number: Some(DecisionNumber::parse("SOC/2023-III/DEC/3")?),
                },
                "recording the SOC's agreement of the Memorandum (SOC/2023-III/DEC/3)",
            )
            .await?;
        let Outcome::Agreed { decision_id, .. } = agreed else {
            return Err(anyhow!("recording the SOC's agreement gave {agreed:?}"));
        };
        self.at(2023, 12, 12, 4)?;
        self.exec(
            officer,
            Command::EditDecision {
                decision_id,
                revision: 1,
                title: texts(
                    "On the Memorandum on cooperation in disaster management between the CICA Secretariat and the SCO Secretariat",
                    "О Меморандуме о сотрудничестве в сфере управления стихийными бедствиями между Секретариатом СВМДА и Секретариатом ШОС",
                )?,
                text: Some(texts(
                    "The Senior Officials Committee agrees the text of the Memorandum and recommends it for signature by the Secretaries General.",
                    "Комитет старших должностных лиц согласовывает текст Меморандума и рекомендует его к подписанию Генеральными секретарями.",
                )?),
            },
            "giving decision SOC/2023-III/DEC/3 its title and text",
        )
        .await?;

        // The same meeting agrees the declaration (SOC/2023-III/DEC/4) and
        // forwards it to the Ministers.
        self.at(2023, 12, 12, 30)?;
        self.exec(
            officer,
            Command::RecordSocAgreement {
                draft_id: declaration.clone(),
                meeting_date: day(2023, 12, 12)?,
                decision_number: None,
            },
            "recording the SOC's agreement of the Declaration",
        )
        .await?;

        // 13 December 2023: the Secretariat enters the plan SOC/2023-III/DEC/2
        // approved and its events; their due dates follow the 2021
        // Guidelines in force that day.
        let events = self.plan_2024(officer, dec_2).await?;

        // 18 December 2023: CICA's Secretary General, leaving on mission,
        // delegates signing to the Deputy until 29 December; on the 20th
        // the Acting Secretary General signs the Memorandum for CICA. SCO
        // has not signed yet.
        self.at(2023, 12, 18, 0)?;
        self.exec(
            &cast.cica_sg,
            Command::DelegateSigning(NewDelegation {
                delegate_sub: "cica-deputy-sg".into(),
                delegate_name: cast.cica_deputy.name().to_owned(),
                acting_title: None,
                starts_at: self.now(),
                ends_at: day(2023, 12, 29)?
                    .and_hms_opt(19, 0, 0)
                    .ok_or_else(|| anyhow!("no 19:00"))?
                    .and_utc(),
            }),
            "CICA's Secretary General delegating signing while on mission",
        )
        .await?;
        self.at(2023, 12, 20, 0)?;
        self.exec(
            &cast.cica_deputy,
            Command::SignDraft {
                draft_id: memorandum.clone(),
                content_hash: memorandum_content.hash(),
            },
            "CICA's Acting Secretary General signing the Memorandum",
        )
        .await?;

        // 8 January 2024: the reminder SOC/19 on the deadlines of the 2024
        // CBM plan, written and issued through the note registry (the SOC
        // registry was kept on paper until SOC/18).
        self.at(2024, 1, 8, 0)?;
        self.exec(
            officer,
            Command::ContinueNoteSeries {
                series: NoteSeries::soc(),
                year: 2024,
                last_sequence: 18,
            },
            "continuing the SOC series of 2024 after SOC/18",
        )
        .await?;
        self.at(2024, 1, 8, 5)?;
        let reminder = match self
            .exec(
                officer,
                Command::CreateNote(soc_19()?),
                "writing the reminder SOC/19",
            )
            .await?
        {
            Outcome::Note { note_id } => note_id,
            other => return Err(anyhow!("demo data: SOC/19: unexpected outcome {other:?}")),
        };
        self.at(2024, 1, 8, 10)?;
        self.exec(
            officer,
            Command::IssueNote {
                note_id: reminder,
                revision: 1,
            },
            "issuing the reminder SOC/19",
        )
        .await?;

        // 18 March 2024: proposals answered; version 2 takes KAZ's energy events.
        self.at(2024, 3, 18, 0)?;
        self.resolve(
            officer,
            &chn_cyber,
            ProposalResolution::PartiallyAccommodated,
            "The exchange of information and experience on countering cybercrime has been included; information security is left to the formats of each organisation.",
            "resolving CHN's proposal on item-1",
        )
        .await?;
        self.at(2024, 3, 18, 5)?;
        self.resolve(
            officer,
            &ind_sports,
            ProposalResolution::NotAccommodated,
            "Retained: both Secretariats see joint sports events as a means of building confidence between peoples, and participation is voluntary.",
            "resolving IND's proposal on item-2",
        )
        .await?;
        self.at(2024, 3, 18, 10)?;
        self.revise(
            officer,
            &plan,
            1,
            action_plan(2)?,
            "Updated draft accommodating proposals of Member States: cybercrime (item 1), radicalization (item 3), energy events (new item 8).",
            vec![kaz_energy],
        )
        .await?;

        // 20 March 2024: PAR/361 circulates version 2.
        self.at(2024, 3, 19, 0)?;
        self.continue_par(officer, 2024, 360).await?;
        self.at(2024, 3, 20, 0)?;
        self.circulate(
            officer,
            &plan,
            texts(
                "Updated draft Action Plan for 2024-2029 for the Implementation of the 2014 Memorandum of Understanding between the CICA Secretariat and the SCO Secretariat",
                "Обновленный проект Плана мероприятий на 2024-2029 годы по реализации Меморандума о взаимопонимании между Секретариатом СВМДА и Секретариатом ШОС от 2014 года",
            )?,
            &["PAR/1453"],
            Some(day(2024, 4, 30)?),
            "circulating the Action Plan, version 2 (PAR/361)",
        )
        .await?;

        // April 2024: the draft Regulations on observers are circulated.
        self.at(2024, 4, 2, 0)?;
        let regulations = self
            .create(
                officer,
                NewDraft {
                    kind: "REGULATIONS".into(),
                    title: english(REGULATIONS_TITLE_EN)?,
                    signatories: orgs(&["CICA"])?,
                    content: regulations()?,
                },
                "creating the Regulations on observers",
            )
            .await?;
        self.at(2024, 4, 4, 0)?;
        self.circulate(
            officer,
            &regulations,
            english(REGULATIONS_TITLE_EN)?,
            &[],
            Some(day(2024, 5, 6)?),
            "circulating the Regulations on observers (PAR/362)",
        )
        .await?;

        // April 2024: comments on version 2 of the Action Plan.
        self.at(2024, 4, 15, 0)?;
        let rus_disasters = self
            .comment(
                &cast.rus,
                NewComment {
                    draft_id: plan.clone(),
                    version: 2,
                    anchor: Some(Anchor::parse("item-7")?),
                    body: "The Russian Federation proposes to cover man-made as well as natural disasters.".into(),
                    proposal: Some(Proposal {
                        operation: ProposalOperation::Replace,
                        texts: Some(texts(EVENTS[6].0, EVENTS[6].1)?),
                    }),
                },
                "RUS proposing a new wording of item-7",
            )
            .await?;
        self.at(2024, 4, 22, 0)?;
        self.comment(
            &cast.kaz,
            NewComment {
                draft_id: plan.clone(),
                version: 2,
                anchor: Some(Anchor::parse("item-8")?),
                body: "Kazakhstan thanks the Secretariat for including joint energy events and supports the updated draft.".into(),
                proposal: None,
            },
            "KAZ commenting on item-8",
        )
        .await?;

        // 25 April 2024: the Ministerial Council adopts the declaration
        // (MC/2024-I/DEC/1); no signature follows on its route.
        self.at(2024, 4, 25, 0)?;
        self.exec(
            officer,
            Command::RecordBodyDecision {
                draft_id: declaration.clone(),
                meeting_date: day(2024, 4, 25)?,
                decision_number: None,
            },
            "recording the Ministerial Council's adoption of the Declaration",
        )
        .await?;

        // 20 May 2024: the Regulations are withdrawn.
        self.at(2024, 5, 20, 0)?;
        self.exec(
            officer,
            Command::WithdrawDraft {
                draft_id: regulations.clone(),
                reason: "At the request of the Chairmanship, the status of observers will be taken up in the review of the CICA Rules of Procedure instead.".into(),
            },
            "withdrawing the Regulations on observers",
        )
        .await?;

        // 21-31 May 2024: the Think Tank Forum's terms of reference are
        // agreed by silence procedure, at the second attempt.
        let terms = self.terms_by_silence(&cast).await?;

        // 3 June 2024: the Concept Paper on the Youth Forum is drafted.
        self.at(2024, 6, 3, 0)?;
        let youth = self
            .create(
                officer,
                NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: texts(YOUTH_TITLE_EN, YOUTH_TITLE_RU)?,
                    signatories: orgs(&["CICA"])?,
                    content: youth_forum()?,
                },
                "creating the Concept Paper on the Youth Forum",
            )
            .await?;

        // 10-12 June 2024: version 3 (the seed's text), to be circulated by
        // PAR/713.
        self.at(2024, 6, 10, 0)?;
        self.revise(
            officer,
            &plan,
            2,
            action_plan(3)?,
            "Updated draft accommodating the proposal of the Russian Federation on natural and man-made disasters (item 7).",
            vec![rus_disasters],
        )
        .await?;
        self.at(2024, 6, 12, 0)?;
        self.continue_par(officer, 2024, 712).await?;

        // 13 June 2024: the meetings PAR/713 announces, the SWG of 25 June
        // and the SOC of 27 June 2024 (session 2024-II), with the Action
        // Plan on both agendas; then PAR/713 circulates version 3 (the
        // seed's text) and announces them.
        self.at(2024, 6, 13, 0)?;
        let swg = self
            .meeting(
                officer,
                NewMeeting {
                    body: "SWG".into(),
                    date: day(2024, 6, 25)?,
                    session: None,
                    venue: None,
                    title: None,
                },
                "recording the SWG meeting of 25 June 2024",
            )
            .await?;
        self.at(2024, 6, 13, 1)?;
        let soc = self
            .meeting(
                officer,
                NewMeeting {
                    body: "SOC".into(),
                    date: day(2024, 6, 27)?,
                    session: Some(accord_domain::SessionNumber::parse("2024-II")?),
                    venue: None,
                    title: None,
                },
                "recording the SOC meeting of 27 June 2024 (2024-II)",
            )
            .await?;
        for (minute, meeting) in [(2, swg), (3, soc)] {
            self.at(2024, 6, 13, minute)?;
            self.exec(
                officer,
                Command::AddAgendaItem {
                    meeting_id: meeting,
                    subject: AgendaSubject::Draft(plan.clone()),
                    position: None,
                },
                "putting the Action Plan on the agendas PAR/713 announces",
            )
            .await?;
        }

        self.at(2024, 6, 13, 4)?;
        self.circulate(
            officer,
            &plan,
            par_713_subject()?,
            &["PAR/361", "PAR/1453"],
            None,
            "circulating the Action Plan, version 3 (PAR/713)",
        )
        .await?;

        // 14-17 June 2024: the Concept Paper is circulated (PAR/714) and put
        // on the agenda of the SWG of 25 June 2024.
        self.at(2024, 6, 14, 0)?;
        self.circulate(
            officer,
            &youth,
            texts(YOUTH_TITLE_EN, YOUTH_TITLE_RU)?,
            &[],
            Some(day(2024, 6, 21)?),
            "circulating the Concept Paper on the Youth Forum (PAR/714)",
        )
        .await?;
        self.at(2024, 6, 17, 0)?;
        self.exec(
            officer,
            Command::OpenSwgDiscussion {
                draft_id: youth.clone(),
                meeting_date: day(2024, 6, 25)?,
            },
            "putting the Concept Paper on the SWG agenda of 25 June 2024",
        )
        .await?;

        // 18 June 2024: the Joint Statement is started, still internal.
        self.at(2024, 6, 18, 0)?;
        let statement = self
            .create(
                officer,
                NewDraft {
                    kind: "JOINT_STATEMENT".into(),
                    title: texts(STATEMENT_TITLE_EN, STATEMENT_TITLE_RU)?,
                    signatories: orgs(&["CICA", "SCO"])?,
                    content: joint_statement()?,
                },
                "creating the Joint Statement on countering the financing of terrorism",
            )
            .await?;

        // 26 June 2024, the eve of the SOC: the Secretariat brings the
        // plan's register up to date (documents with their days of
        // receipt, events held, postponed and cancelled).
        self.register_2024(officer, &events).await?;

        // The same day, the monthly job's run drafts the reminder for
        // July's events, for the Secretariat to review and issue.
        self.at(2024, 6, 26, 59)?;
        let run =
            reminders::draft_for_next_month(self.engine.store(), &NoteSeries::soc(), self.now())
                .await
                .context("demo data: the scheduled reminder for July 2024")?;
        if !matches!(run, reminders::Run::Drafted { .. }) {
            return Err(anyhow!(
                "demo data: the scheduled reminder for July 2024: {run}"
            ));
        }

        Ok(vec![
            (plan, PLAN_TITLE_EN),
            (statement, STATEMENT_TITLE_EN),
            (youth, YOUTH_TITLE_EN),
            (memorandum, MEMORANDUM_TITLE_EN),
            (regulations, REGULATIONS_TITLE_EN),
            (declaration, DECLARATION_TITLE_EN),
            (terms, TERMS_TITLE_EN),
        ])
    }
}

impl Demo {
    /// 21-31 May 2024: the terms of reference of the Think Tank Forum, on
    /// a road agreed by the SOC by silence procedure, in the session the
    /// SOC held on 28 March 2024 (2024-I). India objects under the first
    /// silence; version 2 meets its point and passes the second, so the
    /// deadline job records SOC/2024-I/DEC/1 on 31 May. Returns the
    /// draft's id.
    async fn terms_by_silence(&self, cast: &Cast) -> anyhow::Result<String> {
        let officer = &cast.officer;
        self.at(2024, 5, 21, 0)?;
        self.route_in_force(
            officer,
            "TERMS_OF_REFERENCE",
            terms_route()?,
            "the route of terms of reference",
        )
        .await?;
        self.at(2024, 5, 21, 10)?;
        let terms = self
            .create(
                officer,
                NewDraft {
                    kind: "TERMS_OF_REFERENCE".into(),
                    title: texts(TERMS_TITLE_EN, TERMS_TITLE_RU)?,
                    signatories: orgs(&["CICA"])?,
                    content: terms_of_reference(1)?,
                },
                "creating the terms of reference of the Think Tank Forum",
            )
            .await?;
        self.at(2024, 5, 21, 20)?;
        self.circulate(
            officer,
            &terms,
            texts(
                "Draft Terms of Reference of the CICA Think Tank Forum",
                "Проект Положения о Форуме аналитических центров СВМДА",
            )?,
            &[],
            None,
            "circulating the terms of reference, version 1 (PAR/363)",
        )
        .await?;
        // Until 18:00 in Astana on 24 May.
        self.at(2024, 5, 22, 0)?;
        self.silence(
            officer,
            &terms,
            &["PAR/363"],
            (2024, 5, 24),
            "version 1 (PAR/364)",
        )
        .await?;
        self.at(2024, 5, 23, 0)?;
        self.exec(
            &cast.ind,
            Command::RecordStance(NewStance {
                draft_id: terms.clone(),
                version: 1,
                stance: accord_domain::Stance::Objection,
                text: Some("India cannot join a text that fixes every meeting of the Forum in Astana; Member States should be able to host it.".into()),
            }),
            "India breaking the silence by objecting (PAR/365)",
        )
        .await?;
        self.at(2024, 5, 27, 0)?;
        self.revise(
            officer,
            &terms,
            1,
            terms_of_reference(2)?,
            "The Forum may meet in a Member State that offers to host it (item 2), as India asked.",
            Vec::new(),
        )
        .await?;
        self.at(2024, 5, 27, 10)?;
        self.circulate(
            officer,
            &terms,
            texts(
                "Updated draft Terms of Reference of the CICA Think Tank Forum",
                "Обновленный проект Положения о Форуме аналитических центров СВМДА",
            )?,
            &["PAR/363", "PAR/365"],
            None,
            "circulating the terms of reference, version 2 (PAR/366)",
        )
        .await?;
        // Until 18:00 in Astana on 31 May; nobody objects.
        self.at(2024, 5, 27, 20)?;
        self.silence(
            officer,
            &terms,
            &["PAR/366"],
            (2024, 5, 31),
            "version 2 (PAR/367)",
        )
        .await?;
        // 18:00 in Astana: the deadline job's run.
        self.at(2024, 5, 31, 7 * 60)?;
        let run = silence::silence_deadlines(self.engine.store().clone(), self.now())
            .await
            .context("demo data: the end of the second silence")?;
        if run != "texts agreed by silence: SOC/2024-I/DEC/1" {
            return Err(anyhow!("demo data: the end of the second silence: {run}"));
        }
        Ok(terms)
    }

    /// Defines and publishes the route `definition` of `kind` (`what`).
    async fn route_in_force(
        &self,
        officer: &Actor,
        kind: &str,
        definition: accord_domain::RouteDefinition,
        what: &str,
    ) -> anyhow::Result<()> {
        let route = self
            .exec(
                officer,
                Command::DefineRoute(NewRoute {
                    document_kind: Some(kind.to_owned()),
                    definition,
                }),
                &format!("defining {what}"),
            )
            .await?;
        let Outcome::Route { route_id } = route else {
            return Err(anyhow!("demo data: defining {what} gave {route:?}"));
        };
        self.exec(
            officer,
            Command::PublishRoute { route_id },
            &format!("publishing {what}"),
        )
        .await?;
        Ok(())
    }

    /// Puts `draft_id` under silence until 18:00 in Astana on `until`, in
    /// the SOC's session of 28 March 2024.
    async fn silence(
        &self,
        officer: &Actor,
        draft_id: &str,
        references: &[&str],
        until: (i32, u32, u32),
        what: &str,
    ) -> anyhow::Result<()> {
        let (y, m, d) = until;
        let ends_at = day(y, m, d)?
            .and_hms_opt(13, 0, 0)
            .ok_or_else(|| anyhow!("no 13:00"))?
            .and_utc();
        self.exec(
            officer,
            Command::PutUnderSilence(NewSilence {
                draft_id: draft_id.to_owned(),
                series: NoteSeries::parse("PAR")?,
                meeting_date: day(2024, 3, 28)?,
                ends_at,
                references: references
                    .iter()
                    .map(|n| NoteNumber::parse(n))
                    .collect::<Result<Vec<_>, _>>()?,
            }),
            &format!("putting the terms of reference under silence, {what}"),
        )
        .await?;
        Ok(())
    }
}

impl Demo {
    /// 13 December 2023: creates the plan of 2024 approved by `decision_id`
    /// and adds [`EVENTS_2024`]; returns the events' ids in that order.
    async fn plan_2024(&self, officer: &Actor, decision_id: String) -> anyhow::Result<Vec<String>> {
        self.at(2023, 12, 13, 0)?;
        let plan_id = match self
            .exec(
                officer,
                Command::CreatePlan(NewPlan {
                    year: 2024,
                    title: plan_of_implementation()?,
                    decision_id: Some(decision_id),
                }),
                "creating the Plan of Implementation for 2024",
            )
            .await?
        {
            Outcome::Plan { plan_id } => plan_id,
            other => return Err(anyhow!("creating the plan for 2024 gave {other:?}")),
        };
        let mut ids = Vec::with_capacity(EVENTS_2024.len());
        for (minute, event) in (1..).zip(EVENTS_2024) {
            self.at(2023, 12, 13, minute)?;
            let what = format!("adding the event {:?} to the plan for 2024", event.title[0]);
            let outcome = self
                .exec(
                    officer,
                    Command::AddEvent(NewEvent {
                        plan_id: plan_id.clone(),
                        title: Texts::from_pairs(
                            [Lang::En, Lang::Ru, Lang::Kk]
                                .into_iter()
                                .zip(event.title.map(str::to_owned)),
                        )?,
                        organisers: orgs(event.organisers)?,
                        dates: dates(event.start, event.end)?,
                        venue: Some(event.venue.to_owned()),
                        cbm_area: Some(event.cbm_area.to_owned()),
                    }),
                    &what,
                )
                .await?;
            match outcome {
                Outcome::Event { event_id } => ids.push(event_id),
                other => return Err(anyhow!("{what}: unexpected outcome {other:?}")),
            }
        }
        Ok(ids)
    }

    /// 26 June 2024: records the documents received (with their days of
    /// receipt) and what became of each event; `ids` are the events of
    /// [`EVENTS_2024`] in order.
    async fn register_2024(&self, officer: &Actor, ids: &[String]) -> anyhow::Result<()> {
        let mut minute = 0;
        for (event, id) in EVENTS_2024.iter().zip(ids) {
            for &(kind, (y, m, d)) in event.received {
                self.at(2024, 6, 26, minute)?;
                minute += 1;
                self.exec(
                    officer,
                    Command::RecordSubmission(NewSubmission {
                        event_id: id.clone(),
                        kind,
                        received_on: Some(day(y, m, d)?),
                        upload_id: None,
                        remarks: Some("Received by note verbale.".to_owned()),
                    }),
                    &format!("recording the {} of {:?}", kind.as_str(), event.title[0]),
                )
                .await?;
            }
            let (status, new_dates, reason) = match event.fate {
                Fate::Planned => continue,
                Fate::Moved(start, end, reason) => {
                    self.at(2024, 6, 26, minute)?;
                    minute += 1;
                    self.exec(
                        officer,
                        Command::MoveEvent(EventMove {
                            event_id: id.clone(),
                            dates: dates(start, end)?,
                            reason: reason.to_owned(),
                        }),
                        &format!("moving {:?}", event.title[0]),
                    )
                    .await?;
                    continue;
                }
                Fate::Held => (EventStatus::Held, None, None),
                Fate::Postponed(start, end, reason) => (
                    EventStatus::Postponed,
                    Some(dates(start, end)?),
                    Some(reason.to_owned()),
                ),
                Fate::Cancelled(reason) => (EventStatus::Cancelled, None, Some(reason.to_owned())),
            };
            self.at(2024, 6, 26, minute)?;
            minute += 1;
            self.exec(
                officer,
                Command::SetEventStatus(EventStatusChange {
                    event_id: id.clone(),
                    status,
                    dates: new_dates,
                    reason,
                }),
                &format!("marking {:?} {}", event.title[0], status.as_str()),
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use accord_domain::{ContentHash, NotePurpose};
    use accord_domain::{DEFAULT_DUE_SOON_DAYS, DocumentStatus};
    use accord_migration::{Migrator, MigratorTrait};
    use accord_workflow::StoreConfig;
    use accord_workflow::audit::{self, Verdict};
    use accord_workflow::entity::{
        comment, decision, draft, meeting, note, note_reference, scheduled_reminder, signature,
        version,
    };
    use accord_workflow::plans::DueFilter;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    use super::*;

    /// A fresh, migrated SQLite file; removed when dropped.
    struct TempDb {
        path: std::path::PathBuf,
        store: Store,
    }

    impl TempDb {
        async fn new() -> TempDb {
            let path =
                std::env::temp_dir().join(format!("accord-demo-{}.db", uuid::Uuid::new_v4()));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let store = Store::connect(&StoreConfig::new(url)).await.unwrap();
            Migrator::up(store.db(), None).await.unwrap();
            TempDb { path, store }
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = self.path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }

    async fn draft_titled(store: &Store, summary: &DemoSummary, title: &str) -> draft::Model {
        let (id, _, _) = summary
            .drafts
            .iter()
            .find(|(_, t, _)| t == title)
            .unwrap_or_else(|| panic!("no demo draft {title}"));
        draft::Entity::find_by_id(id.clone())
            .one(store.db())
            .await
            .unwrap()
            .unwrap()
    }

    async fn notes_of(store: &Store, draft_id: &str) -> Vec<note::Model> {
        note::Entity::find()
            .filter(note::Column::DraftId.eq(draft_id))
            .order_by_asc(note::Column::CreatedAt)
            .all(store.db())
            .await
            .unwrap()
    }

    /// PAR/713 as the Secretariat sent it (`shared/seeds`): each block of
    /// its text in English, Russian and Kazakh.
    const PAR_713_SEED: [(Lang, &[&str]); 3] = [
        (
            Lang::En,
            &[
                "SECRETARIAT OF THE CONFERENCE ON INTERACTION\nAND CONFIDENCE BUILDING MEASURES IN ASIA",
                "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ\nИ МЕРАМ ДОВЕРИЯ В АЗИИ",
                "№PAR/713",
                "The Secretariat of the Conference on Interaction and Confidence Building Measures in Asia (CICA) presents its compliments to the CICA Member States and, with reference to its notes No. PAR/361 of 20 March 2024 and No. PAR/1453 of 29 November 2023, has the honour to forward for consideration the updated draft Action Plan for 2024-2029 for the Implementation of the Memorandum of Understanding between the Secretariat of the Conference on Interaction and Confidence Building Measures in Asia and the Secretariat of the Shanghai Cooperation Organisation accommodating proposals of Member States.",
                "Enclosure:\nas stated,\non 4 p.",
                "This draft is expected to be discussed and agreed upon as part of the agenda for the next meetings of the CICA Special Working Group on 25 June 2024 and the CICA Senior Officials Committee on 27 June 2024.",
                "The Secretariat avails itself of this opportunity to renew to the CICA Member States the assurances of its highest consideration.",
                "Astana, 13 June 2024",
                "MEMBER STATES\nOF THE CONFERENCE ON INTERACTION\nAND CONFIDENCE BUILDING MEASURES\nIN ASIA",
            ],
        ),
        (
            Lang::Ru,
            &[
                "№ PAR/713",
                "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) свидетельствует свое уважение государствам-членам СВМДА и, ссылаясь на свои ноты №PAR/361 от 20 марта 2024 года и №PAR/1453 от 29 ноября 2023 года, имеет честь направить на рассмотрение обновленный с учетом предложений государств-членов проект Плана мероприятий на 2024-2029 годы по реализации Меморандума о взаимопонимании между Секретариатом Совещания по взаимодействию и мерам доверия в Азии и Секретариатом Шанхайской организации сотрудничества.",
                "Приложение:\nупомянутое,\nна 4 л.",
                "Указанный проект предполагается обсудить и согласовать в рамках повестки дня очередных заседаний Специальной рабочей группы СВМДА 25 июня 2024 года и Комитета старших должностных лиц СВМДА 27 июня 2024 года.",
                "Секретариат СВМДА пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения в своем весьма высоком уважении.",
                "город Астана, 13 июня 2024 года",
                "ГОСУДАРСТВА-ЧЛЕНЫ\nСОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ\nИ МЕРАМ ДОВЕРИЯ В АЗИИ",
            ],
        ),
        (
            Lang::Kk,
            &[
                "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы Азия Кеңесіне мүше мемлекеттерге өзінің зор ілтипатын білдіреді және 2024 жылғы 20 наурыздағы №PAR/361 мен 2023 жылғы 29 қарашадағы №PAR/1453 ноталарына сілтеме жасай отырып, мүше мемлекеттердің ұсыныстарын ескере отырып 2024-2029 жылдарға арналған Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің Хатшылығы мен Шанхай ынтымақтастық ұйымы Хатшылығының арасындағы Өзара түсіністік туралы меморандумды жүзеге асыру жөніндегі Іс-шаралар жоспарының жаңартылған жобасын қарау үшін жолдауды өзіне мәртебе санайды.",
                "Қосымша:\nаталған,\n4 п.",
                "Аталған жобаны 2024 жылғы 25 маусымда өтетін Азия Кеңесі Арнаулы жұмыс тобының және 2024 жылғы 27 маусымда өтетін Азия Кеңесі Аға лауазымды тұлғалар комитетінің кезекті отырыстарының күн тәртібі аясында талқылау және келісу көзделеді.",
                "Хатшылық осы мүмкіндікті пайдалана отырып, Азия Кеңесіне мүше мемлекеттерге өзінің зор ілтипатын тағы да растайды.",
                "Астана қаласы, 2024 жылғы 13 маусым",
                "АЗИЯДАҒЫ ӨЗАРА ІС-ҚИМЫЛ ЖӘНЕ\nСЕНІМ ШАРАЛАРЫ КЕҢЕСІНЕ\nМҮШЕ МЕМЛЕКЕТТЕР",
            ],
        ),
    ];

    #[tokio::test]
    async fn the_demo_loads_once_with_the_seed_history_and_an_intact_audit_log() {
        let db = TempDb::new().await;
        let store = &db.store;

        let summary = load(store).await.unwrap();
        assert!(summary.loaded);
        let states: Vec<(&str, &str)> = summary
            .drafts
            .iter()
            .map(|(_, title, state)| (title.as_str(), state.as_str()))
            .collect();
        assert_eq!(
            states,
            [
                (PLAN_TITLE_EN, "CIRCULATED"),
                (STATEMENT_TITLE_EN, "DRAFTING"),
                (YOUTH_TITLE_EN, "SWG_DISCUSSION"),
                (MEMORANDUM_TITLE_EN, "SOC_AGREED"),
                (REGULATIONS_TITLE_EN, "WITHDRAWN"),
                (DECLARATION_TITLE_EN, "ADOPTED"),
                (TERMS_TITLE_EN, "SOC_AGREED"),
            ]
        );

        // The Action Plan: three versions, circulated by PAR/1453, PAR/361, PAR/713.
        let plan = draft_titled(store, &summary, PLAN_TITLE_EN).await;
        assert_eq!(plan.kind, "ACTION_PLAN");
        assert_eq!(plan.current_version, 3);
        assert_eq!(plan.circulated_version, Some(3));
        let versions = version::Entity::find()
            .filter(version::Column::DraftId.eq(plan.id.as_str()))
            .order_by_asc(version::Column::Number)
            .all(store.db())
            .await
            .unwrap();
        assert_eq!(versions.len(), 3);
        assert_eq!(
            versions[2].content_hash,
            action_plan(3).unwrap().hash().as_str()
        );
        let notes = notes_of(store, &plan.id).await;
        let numbered: Vec<(&str, String, Option<i32>)> = notes
            .iter()
            .map(|n| (n.number.as_str(), n.date.to_string(), n.version))
            .collect();
        assert_eq!(
            numbered,
            [
                ("PAR/1453", "2023-11-29".to_owned(), Some(1)),
                ("PAR/361", "2024-03-20".to_owned(), Some(2)),
                ("PAR/713", "2024-06-13".to_owned(), Some(3)),
            ]
        );
        assert_eq!(notes[2].comments_due_on, None);
        let mut referenced: Vec<String> = Vec::new();
        for reference in note_reference::Entity::find()
            .filter(note_reference::Column::NoteId.eq(notes[2].id.as_str()))
            .all(store.db())
            .await
            .unwrap()
        {
            let target = note::Entity::find_by_id(reference.referenced_note_id)
                .one(store.db())
                .await
                .unwrap()
                .unwrap();
            referenced.push(target.number);
        }
        referenced.sort();
        assert_eq!(referenced, ["PAR/1453", "PAR/361"]);

        // In the registry: PAR/713 encloses version 3, "on 4 p.", and cites
        // its two predecessors; SOC/19 is the reminder of 8 January 2024.
        let reader = accord_workflow::Reader::new(store.clone(), person("kaz-delegate-1").unwrap());
        let par_713 = reader
            .note_by_number(&NoteNumber::parse("PAR/713").unwrap(), Some(2024))
            .await
            .unwrap();
        assert_eq!(par_713.enclosures.len(), 1);
        assert_eq!(par_713.enclosures[0].pages(), 4);
        let cited: Vec<&str> = par_713.references.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(cited, ["PAR/361", "PAR/1453"]);
        // Every block of the seed's note, word for word, in each language.
        for (lang, seed) in PAR_713_SEED {
            let text = reader
                .render_note(&par_713, lang, accord_domain::RenderFormat::Text)
                .await
                .unwrap();
            let blocks: Vec<&str> = text.trim_end().split("\n\n").collect();
            for block in seed {
                assert!(
                    blocks.contains(block),
                    "PAR/713 in {lang} lacks the seed's block\n{block}\nin\n{text}"
                );
            }
        }
        let soc_19 = reader
            .note_by_number(&NoteNumber::parse("SOC/19").unwrap(), None)
            .await
            .unwrap();
        assert_eq!(soc_19.date, Some(day(2024, 1, 8).unwrap()));
        assert_eq!(soc_19.purpose, NotePurpose::Reminder);
        for (lang, closing) in [
            (
                Lang::En,
                "The Secretariat avails itself of this opportunity to renew to the CICA Member States the assurances of its highest consideration.",
            ),
            (
                Lang::Ru,
                "Секретариат пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения в своем высоком уважении.",
            ),
            (
                Lang::Kk,
                "Хатшылық осы мүмкіндікті пайдалана отырып, Азия Кеңесіне мүше мемлекеттерге өзінің зор ілтипатын тағы да растайды.",
            ),
        ] {
            let text = reader
                .render_note(&soc_19, lang, accord_domain::RenderFormat::Text)
                .await
                .unwrap();
            assert!(
                text.contains("№ SOC/19") && text.contains(closing),
                "{text}"
            );
        }

        // Its proposals: KAZ's and RUS's accommodated, CHN's in part, IND's not.
        let comments = comment::Entity::find()
            .filter(comment::Column::DraftId.eq(plan.id.as_str()))
            .order_by_asc(comment::Column::CreatedAt)
            .all(store.db())
            .await
            .unwrap();
        let dispositions: Vec<(&str, i32, &str, Option<i32>)> = comments
            .iter()
            .map(|c| {
                (
                    c.org_code.as_str(),
                    c.version,
                    c.status.as_str(),
                    c.accommodated_in_version,
                )
            })
            .collect();
        assert_eq!(
            dispositions,
            [
                ("KAZ", 1, "ACCOMMODATED", Some(2)),
                ("SCO", 1, "OPEN", None),
                ("RUS", 1, "OPEN", None),
                ("CHN", 1, "PARTIALLY_ACCOMMODATED", None),
                ("IND", 1, "NOT_ACCOMMODATED", None),
                ("RUS", 2, "ACCOMMODATED", Some(3)),
                ("KAZ", 2, "OPEN", None),
            ]
        );

        // The other drafts.
        let youth = draft_titled(store, &summary, YOUTH_TITLE_EN).await;
        let youth_notes = notes_of(store, &youth.id).await;
        assert_eq!(youth_notes.len(), 1);
        assert_eq!(youth_notes[0].number, "PAR/714");
        let swg = meeting::Entity::find()
            .filter(meeting::Column::Body.eq("SWG"))
            .filter(meeting::Column::Date.eq(day(2024, 6, 25).unwrap()))
            .one(store.db())
            .await
            .unwrap();
        let swg = swg.unwrap();
        let reader = accord_workflow::Reader::new(store.clone(), Cast::new().unwrap().officer);
        let agenda = reader
            .agendas(std::slice::from_ref(&swg.id))
            .await
            .unwrap()
            .remove(&swg.id)
            .unwrap();
        let on_agenda: Vec<(i32, String)> = agenda
            .iter()
            .map(|a| (a.position, a.draft.as_ref().unwrap().id.clone()))
            .collect();
        let plan_id = draft_titled(store, &summary, PLAN_TITLE_EN).await.id;
        assert_eq!(on_agenda, vec![(1, plan_id.clone()), (2, youth.id.clone())]);
        let soc = reader
            .meetings_page(
                &accord_workflow::meetings::MeetingFilter {
                    body: Some("SOC".into()),
                    year: Some(2024),
                    ..Default::default()
                },
                &Window::forward(10, None).unwrap(),
            )
            .await
            .unwrap();
        // The SOC of 28 March 2024, in whose session the terms of
        // reference were agreed by silence, and the SOC of 27 June.
        let sessions: Vec<(NaiveDate, Option<i32>)> =
            soc.nodes.iter().map(|m| (m.date, m.session)).collect();
        assert_eq!(sessions.len(), 2, "{sessions:?}");
        assert!(sessions.contains(&(day(2024, 3, 28).unwrap(), Some(1))));
        assert!(sessions.contains(&(day(2024, 6, 27).unwrap(), Some(2))));
        let dec_2 = reader
            .decision_by_number(&DecisionNumber::parse("SOC/2023-III/DEC/2").unwrap())
            .await
            .unwrap();
        assert_eq!(dec_2.date, day(2023, 12, 12).unwrap());
        assert_eq!(dec_2.approvals.len(), 1);
        assert_eq!(dec_2.approvals[0].kind, ApprovalKind::Plan);
        assert!(
            dec_2
                .text
                .as_ref()
                .unwrap()
                .get(Lang::En)
                .unwrap()
                .contains("27 items"),
            "{dec_2:?}"
        );

        let memorandum = draft_titled(store, &summary, MEMORANDUM_TITLE_EN).await;
        assert_eq!(notes_of(store, &memorandum.id).await[0].number, "PAR/1454");
        assert_eq!(memorandum.agreed_version, Some(1));
        let decisions = decision::Entity::find()
            .filter(decision::Column::DraftId.eq(memorandum.id.as_str()))
            .all(store.db())
            .await
            .unwrap();
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].number, "SOC/2023-III/DEC/3");
        assert_eq!(decisions[0].date, day(2023, 12, 12).unwrap());
        let signatures = signature::Entity::find()
            .filter(signature::Column::DraftId.eq(memorandum.id.as_str()))
            .all(store.db())
            .await
            .unwrap();
        assert_eq!(signatures.len(), 1);
        assert_eq!(signatures[0].org_code, "CICA");
        // Signed by the Acting Secretary General, for Kairat Sarybay.
        assert_eq!(signatures[0].signer_name, "Daniyar Seitkali");
        assert_eq!(signatures[0].acting_for.as_deref(), Some("Kairat Sarybay"));
        assert!(signatures[0].delegation_id.is_some());
        let officer = Reader::new(store.clone(), person("cica-officer-1").unwrap());
        let seen = officer.draft(&memorandum.id).await.unwrap();
        let copy = officer.signature_copy(&seen, Lang::En).await.unwrap();
        let text = accord_domain::render_signature_copy(&copy, accord_domain::RenderFormat::Text);
        assert!(
            text.contains("Daniyar Seitkali")
                && text.contains(
                    "For the Secretary General, Kairat Sarybay\nActing Secretary General"
                ),
            "{text}"
        );

        let regulations = draft_titled(store, &summary, REGULATIONS_TITLE_EN).await;
        assert_eq!(notes_of(store, &regulations.id).await[0].number, "PAR/362");
        assert!(regulations.withdrawn_reason.is_some());

        let statement = draft_titled(store, &summary, STATEMENT_TITLE_EN).await;
        assert!(notes_of(store, &statement.id).await.is_empty());

        // The plan of 2024, approved by SOC/2023-III/DEC/2, shows every
        // document status and every event status on the demo's day.
        let reader = accord_workflow::Reader::new(store.clone(), Cast::new().unwrap().officer);
        let (y, m, d) = DEMO_AS_OF;
        let as_of = day(y, m, d).unwrap();
        let plan = reader.plan_of_year(2024).await.unwrap();
        assert_eq!(plan.decision_id.as_deref(), Some(dec_2.id.as_str()));
        let due = reader
            .due_documents(
                &DueFilter {
                    statuses: DocumentStatus::ALL.to_vec(),
                    ..Default::default()
                },
                as_of,
                DEFAULT_DUE_SOON_DAYS,
            )
            .await
            .unwrap();
        let count = |status: DocumentStatus| due.iter().filter(|d| d.status == status).count();
        let counts: Vec<(DocumentStatus, usize)> = DocumentStatus::ALL
            .into_iter()
            .map(|status| (status, count(status)))
            .collect();
        assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
        assert_eq!(count(DocumentStatus::SubmittedOnTime), 9, "{counts:?}");
        assert_eq!(count(DocumentStatus::SubmittedLate), 4, "{counts:?}");
        assert_eq!(count(DocumentStatus::Overdue), 5, "{counts:?}");
        assert_eq!(count(DocumentStatus::DueSoon), 3, "{counts:?}");
        assert_eq!(count(DocumentStatus::NotYetDue), 12, "{counts:?}");
        let compliance = reader
            .plan_compliance(2024, as_of, DEFAULT_DUE_SOON_DAYS)
            .await
            .unwrap();
        let total = &compliance.total;
        assert_eq!(
            (total.on_time, total.late, total.missing, total.pending),
            (9, 4, 5, 15)
        );
        let events = reader.plan_events(&plan.id).await.unwrap();
        assert_eq!(events.len(), EVENTS_2024.len());
        for status in EventStatus::ALL {
            assert!(
                events.iter().any(|e| e.status == status),
                "no event {status:?}"
            );
        }
        assert!(events.iter().any(|e| e.organisers.len() == 2));
        assert!(
            events
                .iter()
                .filter(|e| e.start.format("%Y-%m").to_string() == "2024-02")
                .count()
                >= 2
        );
        let postponed = events
            .iter()
            .find(|e| e.status == EventStatus::Postponed)
            .unwrap();
        assert_eq!(postponed.start, day(2024, 10, 1).unwrap());
        assert!(
            events
                .iter()
                .all(|e| e.venue.is_some() && e.cbm_area.is_some())
        );
        let moved = events
            .iter()
            .find(|e| e.changes.iter().any(|c| c.kind == "MOVED"))
            .unwrap();
        assert_eq!(moved.status, EventStatus::Planned);
        assert_eq!(moved.start, day(2024, 11, 19).unwrap());
        assert_eq!(moved.documents[0].due_on, day(2024, 9, 20).unwrap());

        // The monthly job drafted July's reminder on 26 June, listing the
        // seminar in Tashkent and its missing documents: the programme due
        // on 25 May is said to be overdue, not asked for by then.
        let scheduled = scheduled_reminder::Entity::find_by_id("2024-07".to_owned())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        let reminder = reader.note(&scheduled.note_id).await.unwrap();
        let body = reminder.body.as_ref().unwrap().get(Lang::En).unwrap();
        assert!(
            body.contains("1. Uzbekistan — «Seminar on the rational use of water resources», 9 July 2024 to 10 July 2024: the tentative programme, overdue since 25 May 2024; the post-event report by 9 August 2024."),
            "{body}"
        );
        // In Russian and Kazakh, the state and the event in those languages.
        for (lang, line) in [
            (
                Lang::Ru,
                "1. Узбекистан — «Семинар по рациональному использованию водных ресурсов», 9 июля 2024 года – 10 июля 2024 года: предварительная программа – срок истек 25 мая 2024 года; отчет об итогах мероприятия – до 9 августа 2024 года.",
            ),
            (
                Lang::Kk,
                "1. Өзбекстан — «Су ресурстарын ұтымды пайдалану жөніндегі семинар», 2024 жылғы 9 шілде – 2024 жылғы 10 шілде: алдын ала бағдарлама – мерзімі 2024 жылғы 25 мамырда өтті; іс-шараның нәтижелері туралы есеп – 2024 жылғы 9 тамызға дейін.",
            ),
        ] {
            let body = reminder.body.as_ref().unwrap().get(lang).unwrap();
            assert!(body.contains(line), "{body}");
        }

        // The audit log holds, and a second load does nothing.
        assert!(matches!(
            audit::verify(store.db()).await.unwrap(),
            Verdict::Intact { .. }
        ));
        let again = load(store).await.unwrap();
        assert!(!again.loaded);
        assert!(again.drafts.is_empty());
        assert_eq!(draft::Entity::find().count(store.db()).await.unwrap(), 7);

        // The declaration: circulated, agreed by the SOC, adopted by the
        // Ministerial Council, at the end of its own route.
        let declaration = draft_titled(store, &summary, DECLARATION_TITLE_EN).await;
        assert_eq!(declaration.kind, "DECLARATION");
        assert_eq!(declaration.stage.as_deref(), Some("mc"));
        assert_ne!(
            declaration.route_id,
            accord_workflow::routes::DEFAULT_ROUTE_ID
        );
        let decided: Vec<(String, String)> = decision::Entity::find()
            .filter(decision::Column::DraftId.eq(declaration.id.as_str()))
            .order_by_asc(decision::Column::Date)
            .all(store.db())
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.number, d.date.to_string()))
            .collect();
        assert_eq!(
            decided,
            [
                ("SOC/2023-III/DEC/4".to_owned(), "2023-12-12".to_owned()),
                ("MC/2024-I/DEC/1".to_owned(), "2024-04-25".to_owned()),
            ]
        );
        assert_eq!(notes_of(store, &declaration.id).await.len(), 1);

        // The terms of reference: silence broken by India's objection,
        // then agreed when the second period ended, by SOC/2024-I/DEC/1.
        let terms = draft_titled(store, &summary, TERMS_TITLE_EN).await;
        assert_eq!((terms.current_version, terms.agreed_version), (2, Some(2)));
        let procedures: Vec<(i32, String, Option<String>)> =
            accord_workflow::entity::silence_procedure::Entity::find()
                .filter(
                    accord_workflow::entity::silence_procedure::Column::DraftId
                        .eq(terms.id.as_str()),
                )
                .order_by_asc(accord_workflow::entity::silence_procedure::Column::OpenedAt)
                .all(store.db())
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.version, p.status, p.broken_by_org))
                .collect();
        assert_eq!(
            procedures,
            [
                (1, "BROKEN".to_owned(), Some("IND".to_owned())),
                (2, "AGREED".to_owned(), None),
            ]
        );
        let agreed_by: Vec<(String, String)> = decision::Entity::find()
            .filter(decision::Column::DraftId.eq(terms.id.as_str()))
            .all(store.db())
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.number, d.date.to_string()))
            .collect();
        assert_eq!(
            agreed_by,
            [("SOC/2024-I/DEC/1".to_owned(), "2024-05-31".to_owned())]
        );
        let silence_notes: Vec<(String, String)> = note::Entity::find()
            .filter(note::Column::Number.is_in([
                "PAR/363", "PAR/364", "PAR/365", "PAR/366", "PAR/367", "PAR/368",
            ]))
            .filter(note::Column::Year.eq(2024))
            .order_by_asc(note::Column::Sequence)
            .all(store.db())
            .await
            .unwrap()
            .into_iter()
            .map(|n| (n.number, n.date.to_string()))
            .collect();
        assert_eq!(
            silence_notes,
            [
                ("PAR/363", "2024-05-21"),
                ("PAR/364", "2024-05-22"),
                ("PAR/365", "2024-05-23"),
                ("PAR/366", "2024-05-27"),
                ("PAR/367", "2024-05-27"),
                ("PAR/368", "2024-05-31"),
            ]
            .map(|(n, d)| (n.to_owned(), d.to_owned()))
        );

        // The SCO's Secretary General can complete the Memorandum.
        let hash = ContentHash::parse(&versions_of(store, &memorandum.id).await[0]).unwrap();
        Engine::new(store.clone())
            .execute(
                &person("sco-sg").unwrap(),
                Command::SignDraft {
                    draft_id: memorandum.id.clone(),
                    content_hash: hash,
                },
            )
            .await
            .unwrap();
        let signed = draft::Entity::find_by_id(memorandum.id.clone())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(signed.state, "SIGNED");

        // The reminder Accord drafts for February 2024 says what SOC/19
        // said, word for word, in its three languages: the plan recalled
        // (the demo's plan lists 13 of the 27 items SOC/19 counts), the
        // Guidelines cited, and the request "in accordance with the above
        // document"; between them, what is missing.
        let drafted = Engine::new(store.clone())
            .execute(
                &person("cica-officer-1").unwrap(),
                Command::DraftReminder(accord_workflow::plans::ReminderRequest {
                    from: day(2024, 2, 1).unwrap(),
                    to: day(2024, 2, 29).unwrap(),
                    series: NoteSeries::soc(),
                }),
            )
            .await
            .unwrap();
        let Outcome::Note { note_id } = drafted else {
            panic!("{drafted:?}")
        };
        let february = reader.note(&note_id).await.unwrap();
        for (lang, soc_19) in [
            (Lang::En, SOC_19_BODY_EN),
            (Lang::Ru, SOC_19_BODY_RU),
            (Lang::Kk, SOC_19_BODY_KK),
        ] {
            let body = february.body.as_ref().unwrap().get(lang).unwrap();
            let drafted: Vec<&str> = body.split("\n\n").collect();
            let seed: Vec<&str> = soc_19.split("\n\n").collect();
            assert_eq!(
                drafted[0],
                seed[0].replace("27", &EVENTS_2024.len().to_string())
            );
            assert_eq!(drafted[1], seed[1], "{lang:?}");
            assert_eq!(drafted.last(), seed.last(), "{lang:?}");
        }
    }

    /// PAR/713 as sent (`shared/seeds`), with its enclosure: the Action
    /// Plan's signature copy in English and in Russian.
    const PAR_713_FILE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/seeds/note-PAR-713-cica-sco-action-plan.txt"
    ));

    /// The blocks of the seed's signature copy in one language, from the
    /// line `first` to the line before `end` (or the end), as words: the
    /// bold, the line breaks and the dashes before the agreed points are
    /// the conversion's layout, not words; the signature lines and the
    /// header row of the events' table ("No. Events", which the copy sets
    /// as the numbers of its list) are left out.
    fn seed_copy_blocks(first: &str, end: Option<&str>) -> Vec<String> {
        let lines: Vec<&str> = PAR_713_FILE.lines().collect();
        let start = lines.iter().position(|l| l.trim() == first).unwrap();
        let stop = end
            .and_then(|end| lines.iter().position(|l| l.trim() == end))
            .unwrap_or(lines.len());
        lines[start..stop]
            .join("\n")
            .split("\n\n")
            // A table's rows are lines of one block; each is a sentence.
            .flat_map(|block| {
                if block.contains('\t') {
                    block.lines().collect::<Vec<_>>()
                } else {
                    vec![block]
                }
            })
            .map(|block| {
                block
                    .replace("**", "")
                    .replace("<b>", "")
                    .replace("</b>", "")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .map(|b| b.strip_prefix("- ").map(str::to_owned).unwrap_or(b))
            .filter(|b| {
                !b.is_empty() && b != "---" && b != "No. Events" && b != "№ п/п Мероприятия"
            })
            .collect()
    }

    #[tokio::test]
    async fn the_action_plan_agreed_and_signed_prints_the_signature_copy_par_713_encloses() {
        let db = TempDb::new().await;
        let store = &db.store;
        let summary = load(store).await.unwrap();
        let plan = draft_titled(store, &summary, PLAN_TITLE_EN).await;

        // As PAR/713 announces: the SWG on 25 June 2024, the SOC on 27 June;
        // both Secretaries General sign on 4 July.
        let demo = Demo::new(store);
        let officer = person("cica-officer-1").unwrap();
        demo.at(2024, 6, 25, 0).unwrap();
        demo.exec(
            &officer,
            Command::OpenSwgDiscussion {
                draft_id: plan.id.clone(),
                meeting_date: day(2024, 6, 25).unwrap(),
            },
            "the SWG",
        )
        .await
        .unwrap();
        demo.at(2024, 6, 27, 0).unwrap();
        demo.exec(
            &officer,
            Command::RecordSocAgreement {
                draft_id: plan.id.clone(),
                meeting_date: day(2024, 6, 27).unwrap(),
                decision_number: None,
            },
            "the SOC",
        )
        .await
        .unwrap();
        demo.at(2024, 7, 4, 0).unwrap();
        for sg in ["cica-sg", "sco-sg"] {
            demo.exec(
                &person(sg).unwrap(),
                Command::SignDraft {
                    draft_id: plan.id.clone(),
                    content_hash: action_plan(3).unwrap().hash(),
                },
                "a signature",
            )
            .await
            .unwrap();
        }

        let reader = accord_workflow::Reader::new(store.clone(), person("kaz-delegate-1").unwrap());
        let view = reader.draft(&plan.id).await.unwrap();
        assert_eq!(view.state, accord_domain::DraftState::Signed);
        for (lang, first, end) in [
            (Lang::En, "APPROVED", Some("УТВЕРЖДАЮ")),
            (Lang::Ru, "УТВЕРЖДАЮ", None),
        ] {
            let copy = reader
                .render_signature_copy(&view, lang, accord_domain::RenderFormat::Text)
                .await
                .unwrap();
            let words = copy.split_whitespace().collect::<Vec<_>>().join(" ");
            let seed = seed_copy_blocks(first, end);
            assert!(seed.len() > 20, "{seed:?}");
            for block in seed {
                assert!(
                    words.contains(&block),
                    "the {lang} signature copy lacks the seed's\n{block}\nin\n{copy}"
                );
            }
        }
    }

    async fn versions_of(store: &Store, draft_id: &str) -> Vec<String> {
        version::Entity::find()
            .filter(version::Column::DraftId.eq(draft_id))
            .order_by_asc(version::Column::Number)
            .all(store.db())
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.content_hash)
            .collect()
    }

    #[test]
    fn every_demo_person_is_a_valid_actor() {
        for p in PEOPLE {
            person(p.sub).unwrap();
        }
    }

    #[test]
    fn the_action_plan_grows_from_seven_to_eight_events() {
        let count = |v| {
            action_plan(v)
                .unwrap()
                .items()
                .iter()
                .filter(|i| i.anchor.as_str().starts_with("item-"))
                .count()
        };
        assert_eq!((count(1), count(2), count(3)), (7, 8, 8));
    }
}
