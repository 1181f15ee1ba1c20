//! The demo's data: its people, the 2024 Plan of Implementation's
//! events and what became of them, the drafts' titles and texts, and the
//! notes' bodies as the seeds word them. The script that loads them
//! through the engine is in the parent module.

use accord_domain::DocumentKind::{
    ConceptPaper as CP, PostEventReport as REPORT, TentativeProgramme as TP,
};
use accord_domain::{
    Addressees, Anchor, Content, DocumentKind, EventDates, Item, Lang, NotePurpose, NoteSeries,
    OrgCode, OrgKind, Role, Texts,
};
use accord_workflow::{Actor, NewNote};
use anyhow::anyhow;
use chrono::NaiveDate;

/// A person of the demo: their token's `sub`, name, organisation and role.
pub struct Person {
    /// The token's `sub`.
    pub sub: &'static str,
    /// The token's `name`.
    pub name: &'static str,
    /// The organisation's code.
    pub org: &'static str,
    pub(super) kind: OrgKind,
    /// The one role the token carries.
    pub role: Role,
}

/// Everyone in the demo: who acts in it, and whose tokens `serve --demo`
/// prints (one list, so that a token names a person as the audit log
/// does).
pub const PEOPLE: &[Person] = &[
    Person {
        sub: "cica-officer-1",
        name: "Aigerim Nurlanovna",
        org: "CICA",
        kind: OrgKind::Secretariat,
        role: Role::Secretariat,
    },
    Person {
        sub: "cica-sg",
        name: "Kairat Sarybay",
        org: "CICA",
        kind: OrgKind::Secretariat,
        role: Role::SecretaryGeneral,
    },
    Person {
        sub: "cica-deputy-sg",
        name: "Daniyar Seitkali",
        org: "CICA",
        kind: OrgKind::Secretariat,
        role: Role::Secretariat,
    },
    Person {
        sub: "sco-sg",
        name: "Zhang Ming",
        org: "SCO",
        kind: OrgKind::Counterpart,
        role: Role::SecretaryGeneral,
    },
    Person {
        sub: "sco-officer-1",
        name: "Bakhtiyor Rakhimov",
        org: "SCO",
        kind: OrgKind::Counterpart,
        role: Role::Counterpart,
    },
    Person {
        sub: "kaz-delegate-1",
        name: "Askar Zhumabekov",
        org: "KAZ",
        kind: OrgKind::MemberState,
        role: Role::Delegate,
    },
    Person {
        sub: "rus-delegate-1",
        name: "Sergei Volkov",
        org: "RUS",
        kind: OrgKind::MemberState,
        role: Role::Delegate,
    },
    Person {
        sub: "chn-delegate-1",
        name: "Li Wei",
        org: "CHN",
        kind: OrgKind::MemberState,
        role: Role::Delegate,
    },
    Person {
        sub: "ind-delegate-1",
        name: "Priya Sharma",
        org: "IND",
        kind: OrgKind::MemberState,
        role: Role::Delegate,
    },
    Person {
        sub: "jpn-observer-1",
        name: "Haruto Sato",
        org: "JPN",
        kind: OrgKind::Observer,
        role: Role::Observer,
    },
];

/// The demo person with `sub`, as an [`Actor`].
pub(super) fn person(sub: &str) -> anyhow::Result<Actor> {
    let p = PEOPLE
        .iter()
        .find(|p| p.sub == sub)
        .ok_or_else(|| anyhow!("no demo person {sub}"))?;
    Ok(Actor::new(
        p.sub,
        p.name,
        OrgCode::parse(p.org)?,
        p.kind,
        [p.role],
    )?)
}

/// The demo's day for the plan dashboards: the SOC meeting of 27 June 2024.
/// On that day the demo's 2024 plan shows every document status (the
/// README's example queries use it).
pub const DEMO_AS_OF: (i32, u32, u32) = (2024, 6, 27);

/// A day as data: (year, month, day).
pub(super) type Ymd = (i32, u32, u32);

/// What became of an event by 26 June 2024.
pub(super) enum Fate {
    /// Still as planned.
    Planned,
    /// Took place.
    Held,
    /// Postponed to new first and last days, for a reason.
    Postponed(Ymd, Ymd, &'static str),
    /// Still planned, on new first and last days, for a reason.
    Moved(Ymd, Ymd, &'static str),
    /// Cancelled, for a reason.
    Cancelled(&'static str),
}

/// An event of the demo's Plan of Implementation for 2024.
pub(super) struct DemoEvent {
    /// The title in English, Russian and Kazakh.
    pub(super) title: [&'static str; 3],
    pub(super) organisers: &'static [&'static str],
    pub(super) start: Ymd,
    pub(super) end: Ymd,
    pub(super) venue: &'static str,
    pub(super) cbm_area: &'static str,
    /// Documents received, with their day of receipt.
    pub(super) received: &'static [(DocumentKind, Ymd)],
    pub(super) fate: Fate,
}

pub(super) const MILITARY: &str = "Military-political dimension";
pub(super) const THREATS: &str = "New challenges and threats";
pub(super) const ECONOMIC: &str = "Economic dimension";
pub(super) const ENVIRONMENT: &str = "Environmental dimension";
pub(super) const HUMAN: &str = "Human dimension";

/// The events of the plan, in the order the Secretariat enters them. Under
/// the 2021 Guidelines the concept paper is due 60 days before the start,
/// the tentative programme 45 days before, the report 30 days after the
/// end; the comments give each document's status on [`DEMO_AS_OF`].
pub(super) const EVENTS_2024: &[DemoEvent] = &[
    // The February events SOC/19 reminds of.
    DemoEvent {
        title: [
            "Seminar on confidence building measures in the military-political dimension",
            "Семинар по мерам доверия в военно-политическом измерении",
            "Әскери-саяси өлшемдегі сенім шаралары жөніндегі семинар",
        ],
        organisers: &["KAZ"],
        start: (2024, 2, 20),
        end: (2024, 2, 21),
        venue: "Astana",
        cbm_area: MILITARY,
        // All three on time (due 22 Dec, 6 Jan, 22 Mar).
        received: &[
            (CP, (2023, 12, 18)),
            (TP, (2024, 1, 5)),
            (REPORT, (2024, 3, 14)),
        ],
        fate: Fate::Held,
    },
    DemoEvent {
        title: [
            "Workshop on countering the financing of terrorism",
            "Семинар-практикум по противодействию финансированию терроризма",
            "Терроризмді қаржыландыруға қарсы іс-қимыл жөніндегі практикалық семинар",
        ],
        organisers: &["RUS", "CHN"],
        start: (2024, 2, 27),
        end: (2024, 2, 28),
        venue: "Moscow",
        cbm_area: THREATS,
        // Concept paper and programme late (due 29 Dec, 13 Jan); the
        // report (due 29 Mar) overdue.
        received: &[(CP, (2024, 1, 15)), (TP, (2024, 1, 30))],
        fate: Fate::Held,
    },
    DemoEvent {
        title: [
            "Conference on sustainable tourism in Asia",
            "Конференция по устойчивому туризму в Азии",
            "Азиядағы тұрақты туризм жөніндегі конференция",
        ],
        organisers: &["TUR"],
        start: (2024, 4, 16),
        end: (2024, 4, 17),
        venue: "Antalya",
        cbm_area: ECONOMIC,
        // Concept paper on time (due 16 Feb), programme overdue (due 2
        // Mar), report late (due 17 May).
        received: &[(CP, (2024, 2, 12)), (REPORT, (2024, 6, 3))],
        fate: Fate::Held,
    },
    DemoEvent {
        title: [
            "Expert meeting on countering illicit drug trafficking",
            "Совещание экспертов по противодействию незаконному обороту наркотиков",
            "Есірткінің заңсыз айналымына қарсы іс-қимыл жөніндегі сарапшылар кездесуі",
        ],
        organisers: &["TJK", "UZB"],
        start: (2024, 5, 21),
        end: (2024, 5, 22),
        venue: "Dushanbe",
        cbm_area: THREATS,
        // On time (due 22 Mar, 6 Apr); the report (due 21 Jun) overdue.
        received: &[(CP, (2024, 3, 20)), (TP, (2024, 4, 5))],
        fate: Fate::Held,
    },
    DemoEvent {
        title: [
            "Training course on information and communication technologies security",
            "Учебный курс по безопасности информационно-коммуникационных технологий",
            "Ақпараттық-коммуникациялық технологиялар қауіпсіздігі жөніндегі оқу курсы",
        ],
        organisers: &["IND"],
        start: (2024, 6, 10),
        end: (2024, 6, 11),
        venue: "New Delhi",
        cbm_area: THREATS,
        // Concept paper on time (due 11 Apr), programme late (due 26 Apr),
        // report due soon (11 Jul).
        received: &[(CP, (2024, 4, 10)), (TP, (2024, 5, 2))],
        fate: Fate::Held,
    },
    DemoEvent {
        title: [
            "Seminar on the rational use of water resources",
            "Семинар по рациональному использованию водных ресурсов",
            "Су ресурстарын ұтымды пайдалану жөніндегі семинар",
        ],
        organisers: &["UZB"],
        start: (2024, 7, 9),
        end: (2024, 7, 10),
        venue: "Tashkent",
        cbm_area: ENVIRONMENT,
        // Concept paper on time (due 10 May), programme overdue (due 25
        // May), report not yet due.
        received: &[(CP, (2024, 5, 8))],
        fate: Fate::Planned,
    },
    DemoEvent {
        title: [
            "Business forum of the CICA member states",
            "Бизнес-форум государств-членов СВМДА",
            "Азия Кеңесіне мүше мемлекеттердің бизнес-форумы",
        ],
        organisers: &["KOR", "THA"],
        start: (2024, 8, 20),
        end: (2024, 8, 21),
        venue: "Seoul",
        cbm_area: ECONOMIC,
        // Concept paper overdue (due 21 Jun), programme due soon (6 Jul).
        received: &[],
        fate: Fate::Planned,
    },
    DemoEvent {
        title: [
            "Workshop on disaster risk reduction",
            "Семинар-практикум по снижению риска бедствий",
            "Апат қаупін азайту жөніндегі практикалық семинар",
        ],
        organisers: &["MNG"],
        start: (2024, 9, 3),
        end: (2024, 9, 4),
        venue: "Ulaanbaatar",
        cbm_area: ENVIRONMENT,
        // Concept paper due soon (5 Jul), the rest not yet due.
        received: &[],
        fate: Fate::Planned,
    },
    DemoEvent {
        title: [
            "Round table on the development of digital economy",
            "Круглый стол по развитию цифровой экономики",
            "Цифрлық экономиканы дамыту жөніндегі дөңгелек үстел",
        ],
        organisers: &["AZE"],
        start: (2024, 7, 23),
        end: (2024, 7, 24),
        venue: "Baku",
        cbm_area: ECONOMIC,
        // Concept paper on time (due 24 May); the programme, overdue
        // under the old dates (8 Jun), is not yet due under the new ones
        // (17 Aug).
        received: &[(CP, (2024, 5, 20))],
        fate: Fate::Postponed(
            (2024, 10, 1),
            (2024, 10, 2),
            "Postponed at the request of the organising member state.",
        ),
    },
    DemoEvent {
        title: [
            "Conference on energy security in Asia",
            "Конференция по энергетической безопасности в Азии",
            "Азиядағы энергетикалық қауіпсіздік жөніндегі конференция",
        ],
        organisers: &["QAT"],
        start: (2024, 10, 15),
        end: (2024, 10, 16),
        venue: "Doha",
        cbm_area: ECONOMIC,
        // Nothing is due for a cancelled event.
        received: &[],
        fate: Fate::Cancelled("The organising member state withdrew the event."),
    },
    DemoEvent {
        title: [
            "Seminar on combating trafficking in human beings",
            "Семинар по борьбе с торговлей людьми",
            "Адам саудасына қарсы күрес жөніндегі семинар",
        ],
        organisers: &["CHN"],
        start: (2024, 11, 12),
        end: (2024, 11, 13),
        venue: "Beijing",
        cbm_area: HUMAN,
        // Moved a week later; its due dates follow under the same rules.
        received: &[],
        fate: Fate::Moved(
            (2024, 11, 19),
            (2024, 11, 20),
            "Moved by a week at the request of the organising member state.",
        ),
    },
    DemoEvent {
        title: [
            "Conference on the dialogue among civilizations",
            "Конференция по диалогу между цивилизациями",
            "Өркениеттер арасындағы диалог жөніндегі конференция",
        ],
        organisers: &["KAZ", "KGZ"],
        start: (2024, 12, 3),
        end: (2024, 12, 4),
        venue: "Almaty",
        cbm_area: HUMAN,
        received: &[],
        fate: Fate::Planned,
    },
];

pub(super) fn dates((y1, m1, d1): Ymd, (y2, m2, d2): Ymd) -> anyhow::Result<EventDates> {
    Ok(EventDates::new(day(y1, m1, d1)?, day(y2, m2, d2)?)?)
}

pub(super) const PLAN_TITLE_EN: &str = "Action Plan for 2024-2029 for the Implementation of the 2014 Memorandum of Understanding between the Secretariat of the Conference on Interaction and Confidence Building Measures in Asia and the Secretariat of the Shanghai Cooperation Organisation";
pub(super) const PLAN_TITLE_RU: &str = "План мероприятий на 2024-2029 годы по реализации Меморандума о взаимопонимании между Секретариатом Совещания по взаимодействию и мерам доверия в Азии и Секретариатом Шанхайской организации сотрудничества от 2014 года";
pub(super) const STATEMENT_TITLE_EN: &str =
    "Joint Statement on countering the financing of terrorism";
pub(super) const STATEMENT_TITLE_RU: &str =
    "Совместное заявление о противодействии финансированию терроризма";
pub(super) const YOUTH_TITLE_EN: &str = "Concept Paper on the CICA Youth Forum";
pub(super) const YOUTH_TITLE_RU: &str = "Концептуальный документ о Молодежном форуме СВМДА";
pub(super) const MEMORANDUM_TITLE_EN: &str = "Memorandum on cooperation in disaster management";
pub(super) const MEMORANDUM_TITLE_RU: &str =
    "Меморандум о сотрудничестве в сфере управления стихийными бедствиями";
pub(super) const REGULATIONS_TITLE_EN: &str = "Draft Regulations on observers";
pub(super) const DECLARATION_TITLE_EN: &str =
    "Declaration of the CICA Ministerial Council on strengthening connectivity in Asia";
pub(super) const DECLARATION_TITLE_RU: &str =
    "Декларация Совета министров СВМДА об укреплении взаимосвязанности в Азии";

/// What PAR/713 forwards, in the seed's words in each language (the
/// opening's formula puts it after "has the honour to forward for
/// consideration").
pub(super) fn par_713_subject() -> anyhow::Result<Texts> {
    Ok(Texts::from_pairs([
        (
            Lang::En,
            "the updated draft Action Plan for 2024-2029 for the Implementation of the Memorandum of Understanding between the Secretariat of the Conference on Interaction and Confidence Building Measures in Asia and the Secretariat of the Shanghai Cooperation Organisation accommodating proposals of Member States".to_owned(),
        ),
        (
            Lang::Ru,
            "обновленный с учетом предложений государств-членов проект Плана мероприятий на 2024-2029 годы по реализации Меморандума о взаимопонимании между Секретариатом Совещания по взаимодействию и мерам доверия в Азии и Секретариатом Шанхайской организации сотрудничества".to_owned(),
        ),
        (
            Lang::Kk,
            "мүше мемлекеттердің ұсыныстарын ескере отырып 2024-2029 жылдарға арналған Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің Хатшылығы мен Шанхай ынтымақтастық ұйымы Хатшылығының арасындағы Өзара түсіністік туралы меморандумды жүзеге асыру жөніндегі Іс-шаралар жоспарының жаңартылған жобасын".to_owned(),
        ),
    ])?)
}

/// The reminder SOC/19 of 8 January 2024 (`shared/seeds`): to all member
/// states, its body in English, Russian and Kazakh; the formulae around it
/// come from the note registry's templates.
pub(super) fn soc_19() -> anyhow::Result<NewNote> {
    Ok(NewNote {
        series: NoteSeries::soc(),
        purpose: NotePurpose::Reminder,
        place: None,
        addressees: Addressees::AllMemberStates,
        subject: Texts::from_pairs([
            (
                Lang::En,
                "Submission of materials for the events of the CICA Plan of Implementation of Confidence Building Measures for 2024".to_owned(),
            ),
            (
                Lang::Ru,
                "О представлении материалов к мероприятиям Плана СВМДА по реализации мер доверия на 2024 год".to_owned(),
            ),
            (
                Lang::Kk,
                "Азия Кеңесінің 2024 жылға арналған сенім шараларын жүзеге асыру жөніндегі жоспарының іс-шараларына материалдар ұсыну туралы".to_owned(),
            ),
        ])?,
        body: Texts::from_pairs([
            (Lang::En, SOC_19_BODY_EN.to_owned()),
            (Lang::Ru, SOC_19_BODY_RU.to_owned()),
            (Lang::Kk, SOC_19_BODY_KK.to_owned()),
        ])?,
        references: Vec::new(),
        enclosures: Vec::new(),
    })
}

/// The body of SOC/19 in EN, as sent (`shared/seeds`), its cited title
/// marked for italics.
pub(super) const SOC_19_BODY_EN: &str = "The recent SOC meeting, by Decision No. SOC/2023-III/DEC/2 of 12 December 2023, approved the CICA Plan of Implementation of Confidence Building Measures for 2024, which consists of 27 items, including events scheduled for February 2024.\n\nThe Secretariat kindly reminds that, according to the *General guidelines for conducting events on implementation of CICA confidence building measures* adopted by the SOC on 23 June 2021, the organizing Member States are required to submit to the Secretariat the concept paper for the event 60 days prior and the tentative programme 45 days prior to the event, for sharing with all Member States. Additionally, a post-event report should be provided.\n\nIn this regard, the Secretariat requests the Member States, in accordance with the above document, to submit in advance the required materials for the timely preparation and participation of the Member States' representatives in the scheduled events.";
/// The body of SOC/19 in RU, as sent (`shared/seeds`).
pub(super) const SOC_19_BODY_RU: &str = "На недавнем заседании КСДЛ решением №SOC/2023-III/DEC/2 от 12 декабря 2023 года был утвержден План СВМДА по реализации мер доверия на 2024 год, который состоит из 27 пунктов, включая мероприятия, запланированные на февраль 2024 года.\n\nСекретариат любезно напоминает, что согласно *Общим руководящим принципам проведения мероприятий по осуществлению мер доверия СВМДА*, принятым КСДЛ 23 июня 2021 года, организующим мероприятия государствам-членам следует направить в Секретариат концепцию мероприятия за 60 дней, а предварительную программу – за 45 дней до мероприятия для рассылки всем государствам-членам. Кроме того, нужно предоставить отчет об итогах мероприятия после его проведения.\n\nВ этой связи Секретариат просит государства-члены в соответствии с вышеизложенным документом заблаговременно направить необходимые материалы для своевременной подготовки и участия представителей государств-членов на запланированных мероприятиях.";
/// The body of SOC/19 in KK, as sent (`shared/seeds`).
pub(super) const SOC_19_BODY_KK: &str = "АЛТК-нің соңғы отырысында 2023 жылғы 12 желтоқсандағы №SOC/2023-III/DEC/2 шешімімен 2024 жылғы ақпанға жоспарланған іс-шараларды қоса алғанда 27 тармақтан тұратын 2024 жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар бекітілді.\n\nХатшылық 2021 жылғы 23 маусымда АЛТК қабылдаған *Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі іс-шараларды өткізудің жалпы басшылыққа* сәйкес іс-шараларды ұйымдастыратын мүше мемлекеттер іс-шараның тұжырымдамасын іс-шараны өткізгенге дейін 60 күн бұрын, ал алдын ала бағдарламасын – 45 күн бұрын барлық мүше мемлекеттерге тарату үшін Хатшылыққа жіберу керектігі туралы еске салады. Сонымен қатар, іс-шара өткізілгеннен кейін оның нәтижелері туралы есеп беру қажет.\n\nОсыған байланысты Хатшылық мүше мемлекеттерден жоғарыда аталған құжатқа сәйкес мүше мемлекеттер өкілдерінің жоспарланған іс-шараларға уақтылы дайындалуы және қатысуы үшін қажетті материалдарды алдын ала жолдауды сұрайды.";

/// The Action Plan's preamble and operative clauses, as in PAR/713: (anchor,
/// English, Russian).
pub(super) const PLAN_OPENING: [(&str, &str, &str); 8] = [
    (
        "preamble-1",
        "The Secretariats of the Conference on Interaction and Confidence Building Measures in Asia (CICA) and Shanghai Cooperation Organisation (SCO),",
        "Секретариаты Совещания по взаимодействию и мерам доверия в Азии (СВМДА) и Шанхайской организации сотрудничества (ШОС),",
    ),
    (
        "preamble-2",
        "On the basis of the “The Memorandum of Understanding between the Secretariat of the Conference on Interaction and Confidence Building Measures in Asia and the Secretariat of the Shanghai Cooperation Organisation” signed on 20 May 2014,",
        "На основании подписанного 20 мая 2014 года «Меморандума о взаимопонимании между Секретариатом Совещания по взаимодействию и мерам доверия в Азии и Секретариатом Шанхайской организации сотрудничества»,",
    ),
    (
        "preamble-3",
        "Considering the importance of cooperation in promoting regional security and stability, combating terrorism, combating illicit trafficking in narcotic drugs, countering new challenges and threats, and in other areas of mutual interest, pursuant to the said Memorandum,",
        "Принимая во внимание важность сотрудничества в целях укрепления региональной безопасности и стабильности, борьбы с терроризмом, борьбы с незаконным оборотом наркотических средств, противодействия новым вызовам и угрозам, а также в других областях, представляющих взаимный интерес, в соответствии с указанным Меморандумом,",
    ),
    ("agreed", "Have agreed:", "Договорились:"),
    (
        "agreed-1",
        "to cooperate by exchanging information and best practices in the above-mentioned areas,",
        "сотрудничать путем обмена информацией и передовым опытом в вышеупомянутых областях,",
    ),
    (
        "agreed-2",
        "to invite each other’s representatives, including Secretaries General, to participate in the events organized by the Secretariats, to visit the offices of each other, and to hold bilateral meetings on the margins of multilateral events,",
        "приглашать представителей друг друга, в том числе Генеральных секретарей, для участия в мероприятиях, организуемых Секретариатами, для посещения офисов друг друга, а также для проведения двусторонних встреч на полях многосторонних мероприятий,",
    ),
    (
        "agreed-3",
        "to hold joint events to exchange information and experiences on each others’ activities within common objectives of CICA and SCO,",
        "проводить совместные мероприятия для обмена информацией и опытом о деятельности друг друга в рамках общих целей СВМДА и ШОС,",
    ),
    (
        "agreed-4",
        "to jointly implement the following Action Plan with the invitation of all CICA and SCO Member States to participate on a voluntary basis in all joint CICA-SCO events organized by the Secretariats jointly and in coordination with the CICA and SCO Chairmanships and/or Member States under this plan upon prior approval of their relevant bodies:",
        "совместно реализовать следующий План мероприятий с приглашением всех государств-членов СВМДА и ШОС для участия на добровольной основе во всех совместных мероприятиях СВМДА-ШОС, организуемых Секретариатами совместно и в координации с Председательствами СВМДА и ШОС и/или государствами-членами в соответствии с настоящим планом по предварительному согласованию с их соответствующими органами:",
    ),
];

/// The eight events of PAR/713 (items `item-1` … `item-8`): (English, Russian).
pub(super) const EVENTS: [(&str, &str); 8] = [
    (
        "Joint events to exchange information and experience on countering cybercrime",
        "Проведение совместных мероприятий для обмена информацией и опытом по вопросам противодействия киберпреступности",
    ),
    (
        "Joint sports competitions",
        "Организация совместных спортивных соревнований",
    ),
    (
        "Joint events on countering radicalization and terrorism",
        "Проведение совместных мероприятий по вопросам противодействия радикализации и терроризму",
    ),
    (
        "Joint events on countering illicit trafficking in narcotic drugs",
        "Проведение совместных мероприятий по вопросам противодействия незаконному обороту наркотических средств",
    ),
    (
        "Joint events on the margins of the UN General Assembly",
        "Проведение совместных мероприятий на “полях” Генеральной Ассамблеи ООН",
    ),
    (
        "Joint environmental events",
        "Проведение совместных мероприятий в сфере экологии",
    ),
    (
        "Joint events on natural disaster management and human involved disaster management",
        "Проведение совместных мероприятий в сфере борьбы со стихийными бедствиями природного и техногенного характера",
    ),
    (
        "Joint energy events",
        "Проведение совместных мероприятий в сфере энергетики",
    ),
];

/// The Action Plan as it stood in `version`:
///
/// 1. PAR/1453: earlier wordings of items 1, 3 and 7, and no item 8;
/// 2. PAR/361: items 1 and 3 as finally worded, KAZ's energy events added
///    as item 8, item 7 unchanged;
/// 3. PAR/713: the seed's text.
pub(super) fn action_plan(version: u8) -> anyhow::Result<Content> {
    let mut events: Vec<(&str, &str)> = EVENTS.to_vec();
    if version <= 2 {
        events[6] = (
            "Joint events on natural disaster management",
            "Проведение совместных мероприятий в сфере борьбы со стихийными бедствиями",
        );
    }
    if version <= 1 {
        events[0] = (
            "Joint events on information security",
            "Проведение совместных мероприятий по вопросам информационной безопасности",
        );
        events[2] = (
            "Joint events on countering terrorism",
            "Проведение совместных мероприятий по вопросам противодействия терроризму",
        );
        events.truncate(7);
    }
    let mut items = PLAN_OPENING
        .iter()
        .map(|(anchor, en, ru)| item(anchor, texts(en, ru)?))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (n, (en, ru)) in events.into_iter().enumerate() {
        items.push(item(&format!("item-{}", n + 1), texts(en, ru)?)?);
    }
    Ok(Content::new(items)?)
}

pub(super) fn memorandum() -> anyhow::Result<Content> {
    Ok(Content::new(vec![
        item(
            "preamble-1",
            texts(
                "The Secretariats of the Conference on Interaction and Confidence Building Measures in Asia (CICA) and Shanghai Cooperation Organisation (SCO), recognising the growing frequency and scale of natural and man-made disasters in Asia,",
                "Секретариаты Совещания по взаимодействию и мерам доверия в Азии (СВМДА) и Шанхайской организации сотрудничества (ШОС), признавая возрастающую частоту и масштаб стихийных бедствий природного и техногенного характера в Азии,",
            )?,
        )?,
        item(
            "item-1",
            texts(
                "The Secretariats shall exchange information on early warning systems, disaster risk reduction and emergency response.",
                "Секретариаты обмениваются информацией о системах раннего предупреждения, снижении риска бедствий и реагировании на чрезвычайные ситуации.",
            )?,
        )?,
        item(
            "item-2",
            texts(
                "The Secretariats shall hold joint events and trainings on disaster management with the participation of interested Member States.",
                "Секретариаты проводят совместные мероприятия и тренинги по управлению стихийными бедствиями с участием заинтересованных государств-членов.",
            )?,
        )?,
        item(
            "item-3",
            texts(
                "This Memorandum shall enter into force on the date of its signature by both Secretaries General.",
                "Настоящий Меморандум вступает в силу с даты его подписания обоими Генеральными секретарями.",
            )?,
        )?,
    ])?)
}

/// The road of a Ministerial Council declaration: circulated, agreed by
/// the SOC, adopted by the Ministers; nobody signs it.
pub(super) fn declaration_route() -> anyhow::Result<accord_domain::RouteDefinition> {
    Ok(serde_json::from_value(serde_json::json!({ "stages": [
        { "key": "circulation", "kind": "CIRCULATION", "next": ["soc"] },
        { "key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE", "next": ["mc"] },
        { "key": "mc", "kind": "DECISION", "body": "MC", "verb": "ADOPT" }
    ] }))?)
}

pub(super) fn declaration() -> anyhow::Result<Content> {
    Ok(Content::new(vec![
        item(
            "preamble-1",
            texts(
                "The Ministers of Foreign Affairs of the Member States of the Conference on Interaction and Confidence Building Measures in Asia (CICA), meeting in Astana,",
                "Министры иностранных дел государств-членов Совещания по взаимодействию и мерам доверия в Азии (СВМДА), собравшись в Астане,",
            )?,
        )?,
        item(
            "item-1",
            texts(
                "Reaffirm that transport and energy connectivity contributes to confidence, security and sustainable development in Asia.",
                "Подтверждают, что транспортная и энергетическая взаимосвязанность способствует доверию, безопасности и устойчивому развитию в Азии.",
            )?,
        )?,
        item(
            "item-2",
            texts(
                "Task the Secretariat to prepare, in consultation with the Member States, proposals for confidence building measures in this dimension.",
                "Поручают Секретариату подготовить в консультации с государствами-членами предложения по мерам доверия в этом измерении.",
            )?,
        )?,
    ])?)
}

pub(super) const TERMS_TITLE_EN: &str = "Terms of Reference of the CICA Think Tank Forum";
pub(super) const TERMS_TITLE_RU: &str = "Положение о Форуме аналитических центров СВМДА";

/// The road of terms of reference: circulated, then agreed by the SOC by
/// silence procedure between its sessions.
pub(super) fn terms_route() -> anyhow::Result<accord_domain::RouteDefinition> {
    Ok(serde_json::from_value(serde_json::json!({ "stages": [
        { "key": "circulation", "kind": "CIRCULATION", "next": ["silence"] },
        { "key": "silence", "kind": "SILENCE", "body": "SOC" }
    ] }))?)
}

/// The terms of reference, as first circulated (1) and as revised after
/// India's objection (2).
pub(super) fn terms_of_reference(version: u32) -> anyhow::Result<Content> {
    let meetings = if version == 1 {
        texts(
            "The Forum meets once a year, in Astana.",
            "Форум собирается один раз в год в Астане.",
        )?
    } else {
        texts(
            "The Forum meets once a year, in the Member State that offers to host it, or in Astana.",
            "Форум собирается один раз в год в государстве-члене, предложившем его принять, или в Астане.",
        )?
    };
    Ok(Content::new(vec![
        item(
            "item-1",
            texts(
                "The CICA Think Tank Forum brings together research institutions of the Member States to discuss confidence building measures in Asia.",
                "Форум аналитических центров СВМДА объединяет научно-исследовательские учреждения государств-членов для обсуждения мер доверия в Азии.",
            )?,
        )?,
        item("item-2", meetings)?,
        item(
            "item-3",
            texts(
                "The Secretariat reports on the Forum's work to the Senior Officials Committee.",
                "Секретариат докладывает о работе Форума Комитету старших должностных лиц.",
            )?,
        )?,
    ])?)
}

pub(super) fn regulations() -> anyhow::Result<Content> {
    Ok(Content::new(vec![
        item(
            "item-1",
            english(
                "A State or international organisation may apply for observer status in CICA by a letter to the Executive Director.",
            )?,
        )?,
        item(
            "item-2",
            english(
                "Observer status is granted by consensus of the Member States at a meeting of the Ministers of Foreign Affairs.",
            )?,
        )?,
        item(
            "item-3",
            english(
                "Observers may attend the open meetings of CICA bodies and receive their public documents.",
            )?,
        )?,
    ])?)
}

pub(super) fn youth_forum() -> anyhow::Result<Content> {
    Ok(Content::new(vec![
        item(
            "item-1",
            texts(
                "The CICA Youth Forum brings together young leaders from the Member States to discuss confidence building in Asia.",
                "Молодежный форум СВМДА объединяет молодых лидеров из государств-членов для обсуждения мер доверия в Азии.",
            )?,
        )?,
        item(
            "item-2",
            texts(
                "The Forum is held annually by a Member State on a voluntary basis, in coordination with the Secretariat.",
                "Форум проводится ежегодно государством-членом на добровольной основе в координации с Секретариатом.",
            )?,
        )?,
        item(
            "item-3",
            english("The outcome of each Forum is reported to the Senior Officials Committee.")?,
        )?,
    ])?)
}

pub(super) fn joint_statement() -> anyhow::Result<Content> {
    Ok(Content::new(vec![
        item(
            "preamble-1",
            texts(
                "The Secretariats of CICA and SCO, reaffirming their commitment to countering terrorism in all its forms and manifestations,",
                "Секретариаты СВМДА и ШОС, подтверждая свою приверженность противодействию терроризму во всех его формах и проявлениях,",
            )?,
        )?,
        item(
            "item-1",
            texts(
                "call upon their Member States to implement the relevant resolutions of the UN Security Council on countering the financing of terrorism;",
                "призывают свои государства-члены выполнять соответствующие резолюции Совета Безопасности ООН по противодействию финансированию терроризма;",
            )?,
        )?,
        item(
            "item-2",
            texts(
                "will exchange information and best practices on detecting and suppressing the channels of financing of terrorism.",
                "будут обмениваться информацией и передовым опытом в области выявления и пресечения каналов финансирования терроризма.",
            )?,
        )?,
    ])?)
}

pub(super) fn item(anchor: &str, texts: Texts) -> anyhow::Result<Item> {
    Ok(Item {
        anchor: Anchor::parse(anchor)?,
        texts,
    })
}

pub(super) fn texts(en: &str, ru: &str) -> anyhow::Result<Texts> {
    Ok(Texts::from_pairs([
        (Lang::En, en.to_owned()),
        (Lang::Ru, ru.to_owned()),
    ])?)
}

/// The plan SOC/2023-III/DEC/2 approved, as SOC/19 names it.
pub(super) fn plan_of_implementation() -> anyhow::Result<Texts> {
    Ok(Texts::from_pairs([
        (
            Lang::En,
            "CICA Plan of Implementation of Confidence Building Measures for 2024".to_owned(),
        ),
        (
            Lang::Ru,
            "План СВМДА по реализации мер доверия на 2024 год".to_owned(),
        ),
        (
            Lang::Kk,
            "2024 жылға арналған Азия Кеңесінің сенім шараларын жүзеге асыру жөніндегі жоспар"
                .to_owned(),
        ),
    ])?)
}

pub(super) fn english(en: &str) -> anyhow::Result<Texts> {
    Ok(Texts::from_pairs([(Lang::En, en.to_owned())])?)
}

pub(super) fn orgs(codes: &[&str]) -> anyhow::Result<Vec<OrgCode>> {
    Ok(codes
        .iter()
        .map(|code| OrgCode::parse(code))
        .collect::<Result<_, _>>()?)
}

pub(super) fn day(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow!("no date {y}-{m}-{d}"))
}
