//! The words of the silence procedure: what the Secretariat's notes say
//! when it puts a text under silence, when a member state breaks the
//! silence, and when the period ends unbroken (OSCE Rules of Procedure,
//! Annex 1(A)).
//!
//! Each function writes one text per language it can: English, Russian
//! and Kazakh, where the draft's title and the body's name exist in that
//! language (a note is then composed in the languages every text it
//! carries exists in). Instants are given as Astana wall-clock time, which
//! the notes name as such.

use chrono::NaiveDateTime;

use crate::note::{format_date, format_date_on};
use crate::{Lang, Result, Texts};

string_enum! {
    /// Status of a silence procedure.
    pub enum SilenceStatus ("silence procedure status") {
        /// The period runs: the text is under silence.
        Running => "RUNNING",
        /// A member state broke the silence before the period ended.
        Broken => "BROKEN",
        /// The period ended unbroken: the text is deemed agreed.
        Agreed => "AGREED",
        /// The draft was withdrawn while the period ran.
        Withdrawn => "WITHDRAWN",
    }
}

string_enum! {
    /// How a member state broke the silence.
    pub enum Breach ("breach of silence") {
        /// By objecting to the text.
        Objection => "OBJECTION",
        /// By proposing an amendment to it.
        Amendment => "AMENDMENT",
    }
}

/// What every note of one silence procedure names.
#[derive(Debug, Clone, Copy)]
pub struct SilenceFacts<'a> {
    /// The draft's title per language.
    pub title: &'a Texts,
    /// The body on whose behalf silence runs, as a note names it (English
    /// with its article, Russian and Kazakh in the genitive).
    pub body: &'a Texts,
    /// When the period ends, in Astana.
    pub ends_at: NaiveDateTime,
}

/// The languages the silence notes are written in.
const LANGS: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Kk];

fn written(facts: &SilenceFacts<'_>, write: impl Fn(Lang, &str, &str) -> String) -> Result<Texts> {
    Texts::from_pairs(LANGS.into_iter().filter_map(|lang| {
        let title = facts.title.get(lang)?;
        let body = facts.body.get(lang)?;
        Some((lang, write(lang, title, body)))
    }))
}

fn time(at: NaiveDateTime) -> String {
    at.format("%H:%M").to_string()
}

/// The subject of every note of the procedure.
pub fn silence_subject(facts: &SilenceFacts<'_>) -> Result<Texts> {
    written(facts, |lang, title, _| match lang {
        Lang::Ru => format!("Процедура умолчания по проекту документа «{title}»"),
        Lang::Kk => format!("«{title}» құжатының жобасы бойынша үнсіздік рәсімі"),
        _ => format!("Silence procedure on the draft {title}"),
    })
}

/// The body of the note that puts the enclosed text under silence.
pub fn silence_opened(facts: &SilenceFacts<'_>) -> Result<Texts> {
    let ends = facts.ends_at;
    written(facts, |lang, title, body| match lang {
        Lang::Ru => format!(
            "Прилагаемый проект документа «{title}» выносится на согласование {body} в порядке процедуры умолчания.\n\n\
             Срок процедуры умолчания истекает в {} (по времени Астаны) {}. Если до этого времени ни одно из государств-членов не прервет процедуру умолчания, выдвинув возражение или предложив поправку, текст будет считаться согласованным, о чем Секретариат уведомит государства-члены.",
            time(ends),
            format_date(lang, ends.date()),
        ),
        Lang::Kk => format!(
            "Қоса берілген «{title}» құжатының жобасы {body} келісуіне үнсіздік рәсімі тәртібімен ұсынылады.\n\n\
             Үнсіздік рәсімінің мерзімі: {}, сағат {} (Астана уақыты бойынша). Егер осы уақытқа дейін мүше мемлекеттердің ешқайсысы қарсылық білдіріп немесе түзету ұсынып, үнсіздік рәсімін бұзбаса, мәтін келісілген болып есептеледі және бұл туралы Хатшылық мүше мемлекеттерге хабарлайды.",
            format_date(lang, ends.date()),
            time(ends),
        ),
        _ => format!(
            "The enclosed draft {title} is put under the silence procedure for agreement by {body}.\n\n\
             The silence period ends at {} (Astana time) on {}. Unless a Member State breaks the silence before then by raising an objection or proposing an amendment, the text will be deemed agreed by {body}, and the Secretariat will inform the Member States accordingly.",
            time(ends),
            format_date(lang, ends.date()),
        ),
    })
}

/// The body of the note telling that `state` (its names per language)
/// broke the silence at `at` (Astana), by `how`.
pub fn silence_broken(
    facts: &SilenceFacts<'_>,
    state: &Texts,
    at: NaiveDateTime,
    how: Breach,
) -> Result<Texts> {
    written(facts, |lang, title, body| {
        // A language without the state's name names it in English.
        let state = state
            .get(lang)
            .or_else(|| state.get(Lang::En))
            .unwrap_or_default();
        match lang {
            Lang::Ru => format!(
                "Процедура умолчания по проекту документа «{title}» прервана {} в {} (по времени Астаны), до истечения установленного срока: государство-член {state} {}.\n\n\
                 Таким образом, текст не согласован. Работа над проектом продолжается в рамках консультаций государств-членов.",
                format_date(lang, at.date()),
                time(at),
                match how {
                    Breach::Objection => "выдвинуло возражение",
                    Breach::Amendment => "предложило поправку",
                },
            ),
            Lang::Kk => format!(
                "«{title}» құжатының жобасы бойынша үнсіздік рәсімі белгіленген мерзім аяқталғанға дейін бұзылды: {}, сағат {} (Астана уақыты бойынша) мүше мемлекет – {state} {}.\n\n\
                 Осылайша, мәтін келісілмеді. Жоба бойынша жұмыс мүше мемлекеттердің консультациялары аясында жалғасады.",
                format_date(lang, at.date()),
                time(at),
                match how {
                    Breach::Objection => "қарсылық білдірді",
                    Breach::Amendment => "түзету ұсынды",
                },
            ),
            _ => format!(
                "The silence procedure on the draft {title} was broken on {} at {} (Astana time), before the silence period ended: the Member State {state} {}.\n\n\
                 The text has therefore not been agreed by {body}. Work on the draft continues in consultations among the Member States.",
                format_date(lang, at.date()),
                time(at),
                match how {
                    Breach::Objection => "raised an objection",
                    Breach::Amendment => "proposed an amendment",
                },
            ),
        }
    })
}

/// The body of the note telling that the period ended unbroken and the
/// text is deemed agreed by `decision` (its number).
pub fn silence_agreed(facts: &SilenceFacts<'_>, decision: &str) -> Result<Texts> {
    let ends = facts.ends_at;
    written(facts, |lang, title, body| match lang {
        Lang::Ru => format!(
            "Срок процедуры умолчания по проекту документа «{title}» истек в {} (по времени Астаны) {}; процедура умолчания не была прервана.\n\n\
             Таким образом, текст считается согласованным (решение {body} {decision}).",
            time(ends),
            format_date(lang, ends.date()),
        ),
        Lang::Kk => format!(
            "«{title}» құжатының жобасы бойынша үнсіздік рәсімінің мерзімі аяқталды: {}, сағат {} (Астана уақыты бойынша); үнсіздік рәсімі бұзылған жоқ.\n\n\
             Осылайша, мәтін келісілген болып есептеледі ({body} {decision} шешімі).",
            format_date(lang, ends.date()),
            time(ends),
        ),
        _ => format!(
            "The silence procedure on the draft {title} ended at {} (Astana time) on {} without the silence being broken.\n\n\
             The text is therefore deemed agreed by {body} (decision {decision}).",
            time(ends),
            format_date_on(lang, ends.date()),
        ),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn texts(pairs: &[(Lang, &str)]) -> Texts {
        Texts::from_pairs(pairs.iter().map(|(l, t)| (*l, (*t).to_owned()))).unwrap()
    }

    fn facts<'a>(title: &'a Texts, body: &'a Texts) -> SilenceFacts<'a> {
        SilenceFacts {
            title,
            body,
            ends_at: NaiveDate::from_ymd_opt(2024, 3, 15)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap(),
        }
    }

    #[test]
    fn the_opening_note_names_the_instant_in_astana_and_what_breaks_the_silence() {
        let title = texts(&[
            (Lang::En, "Concept of CICA Youth Council"),
            (Lang::Ru, "Концепция Молодежного совета СВМДА"),
        ]);
        let body = texts(&[
            (Lang::En, "the CICA Senior Officials Committee"),
            (Lang::Ru, "Комитета старших должностных лиц СВМДА"),
            (Lang::Kk, "Азия Кеңесі Аға лауазымды тұлғалар комитетінің"),
        ]);
        let opened = silence_opened(&facts(&title, &body)).unwrap();
        let en = opened.get(Lang::En).unwrap();
        assert!(en.starts_with(
            "The enclosed draft Concept of CICA Youth Council is put under the silence procedure for agreement by the CICA Senior Officials Committee."
        ));
        assert!(en.contains("ends at 18:00 (Astana time) on 15 March 2024."));
        assert!(en.contains("raising an objection or proposing an amendment"));
        let ru = opened.get(Lang::Ru).unwrap();
        assert!(ru.contains("истекает в 18:00 (по времени Астаны) 15 марта 2024 года."));
        assert!(
            opened.get(Lang::Kk).is_none(),
            "no Kazakh title: no Kazakh text"
        );
    }

    #[test]
    fn the_closing_notes_say_who_broke_the_silence_or_which_decision_agreed_the_text() {
        let title = texts(&[(Lang::En, "Concept"), (Lang::Kk, "Тұжырымдама")]);
        let body = texts(&[
            (Lang::En, "the CICA Senior Officials Committee"),
            (Lang::Kk, "Азия Кеңесі Аға лауазымды тұлғалар комитетінің"),
        ]);
        let facts = facts(&title, &body);
        let at = NaiveDate::from_ymd_opt(2024, 3, 14)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        let broken = silence_broken(
            &facts,
            &texts(&[(Lang::En, "India")]),
            at,
            Breach::Amendment,
        )
        .unwrap();
        assert!(broken.get(Lang::En).unwrap().contains(
            "was broken on 14 March 2024 at 09:05 (Astana time), before the silence period ended: the Member State India proposed an amendment."
        ));
        assert!(
            broken
                .get(Lang::Kk)
                .unwrap()
                .contains("мүше мемлекет – India түзету ұсынды"),
            "a name missing in Kazakh is the English one"
        );
        let agreed = silence_agreed(&facts, "SOC/2024-I/DEC/2").unwrap();
        assert!(agreed.get(Lang::En).unwrap().ends_with(
            "deemed agreed by the CICA Senior Officials Committee (decision SOC/2024-I/DEC/2)."
        ));
        assert_eq!(
            silence_subject(&facts).unwrap().get(Lang::En),
            Some("Silence procedure on the draft Concept")
        );
    }
}
