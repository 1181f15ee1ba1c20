//! The signature copy: the agreed text as the Secretaries General sign it
//! (`shared/seeds`, PAR/713): one column per signing organisation with
//! "APPROVED" ("УТВЕРЖДАЮ", "БЕКІТЕМІН"), a line to sign on, the
//! signatory's name, their title and organisation as that organisation
//! writes them; then the document's title and the agreed version's items.
//!
//! The words of each column (the approval, the title, the organisation in
//! the form the title governs, the office holder's name) are reference data
//! (`signatory_blocks`), given here per language. A copy is printed in a
//! language only when every text it carries exists in it. Everything here
//! is pure.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::decision::html_head;
use crate::note::{escape, format_cited_date, format_date, format_date_on, lines_html};
use crate::{DomainError, Lang, RenderFormat, Result, Texts};

/// How one organisation's Secretary General signs, per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryBlock {
    /// The organisation's code, e.g. `CICA`.
    pub org: String,
    /// The approval above the signature: "APPROVED", "УТВЕРЖДАЮ".
    pub approved: Texts,
    /// The title as the organisation writes it: "Secretary General"
    /// (CICA), "Secretary-General" (SCO), "Генеральный секретарь".
    pub title: Texts,
    /// The organisation in the form the title governs: "of the Conference
    /// on Interaction and Confidence Building Measures in Asia",
    /// "Шанхайской организации сотрудничества" (genitive); line breaks as
    /// printed.
    pub organization: Texts,
    /// The office holder's name as written in each language ("Kairat
    /// Sarybay", "Кайрат Сарыбай"), when recorded.
    pub holder: Option<Texts>,
}

/// A signature already given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The signer's name as their token gave it.
    pub name: String,
    /// The day they signed (Astana time).
    pub date: NaiveDate,
    /// For a signature under a delegation: the Secretary General's name
    /// (as their token gave it) and the signer's acting title per
    /// language.
    pub acting: Option<(String, Texts)>,
}

/// One column of the copy: an organisation's block and its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryFacts {
    /// How the organisation signs.
    pub block: SignatoryBlock,
    /// Its signature, once given.
    pub signed: Option<Signed>,
}

/// Everything a signature copy is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFacts {
    /// The document's title per language.
    pub title: Texts,
    /// The agreed version's items in order: (anchor, texts).
    pub items: Vec<(String, Texts)>,
    /// The signing organisations in the draft's order.
    pub signatories: Vec<SignatoryFacts>,
    /// The agreed version's number.
    pub version: i32,
    /// The agreed version's content hash (what the signatures bind).
    pub content_hash: String,
    /// The decision that agreed it, as (number, date), when recorded.
    pub agreed_by: Option<(String, NaiveDate)>,
}

impl CopyFacts {
    /// What the copy lacks to be printed in `lang`, if anything.
    pub fn missing_in(&self, lang: Lang) -> Option<String> {
        let lacks = |texts: &Texts| texts.get(lang).is_none();
        let mut missing: Vec<String> = Vec::new();
        if lacks(&self.title) {
            missing.push("its title".into());
        }
        let items: Vec<&str> = self
            .items
            .iter()
            .filter(|(_, texts)| lacks(texts))
            .map(|(anchor, _)| anchor.as_str())
            .collect();
        if !items.is_empty() {
            missing.push(format!("item(s) {}", items.join(", ")));
        }
        for s in &self.signatories {
            let block = &s.block;
            if lacks(&block.approved) || lacks(&block.title) || lacks(&block.organization) {
                missing.push(format!("the signature block of {}", block.org));
            }
        }
        (!missing.is_empty()).then(|| {
            format!(
                "the agreed text has no {lang} text for {}",
                missing.join(", ")
            )
        })
    }
}

/// One column of a composed copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryColumn {
    /// "APPROVED".
    pub approved: String,
    /// The signatory's name: the signer's once signed, else the office
    /// holder's when recorded; `None` leaves it to be written by hand.
    pub name: Option<String>,
    /// The title and the organisation, line by line, in the language's
    /// order (Kazakh puts the organisation, in the genitive, first).
    pub designation: Vec<String>,
    /// "Signed on 20 December 2023", once signed.
    pub signed: Option<String>,
}

/// One item of the agreed text as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyItem {
    /// The number of a numbered item (`item-3` prints as `3.`).
    pub label: Option<String>,
    /// Its text.
    pub text: String,
}

/// A signature copy in one language, ready to be laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCopy {
    /// The language.
    pub lang: Lang,
    /// One column per signing organisation, in the draft's order.
    pub columns: Vec<SignatoryColumn>,
    /// The document's title.
    pub title: String,
    /// The agreed version's items.
    pub items: Vec<CopyItem>,
    /// What was agreed and what the signatures bind: the decision, the
    /// version and its content hash.
    pub agreed: String,
}

/// Builds the signature copy in `lang`; a text missing in `lang` is an
/// error naming it.
pub fn compose_signature_copy(facts: &CopyFacts, lang: Lang) -> Result<SignatureCopy> {
    if let Some(missing) = facts.missing_in(lang) {
        return Err(DomainError::Invalid {
            what: "language of a signature copy",
            value: lang.to_string(),
            reason: missing,
        });
    }
    // Every text below exists in `lang` (checked above).
    let in_lang = |texts: &Texts| texts.get(lang).unwrap_or_default().to_owned();
    let columns = facts
        .signatories
        .iter()
        .map(|s| {
            let block = &s.block;
            let acting = s.signed.as_ref().and_then(|signed| signed.acting.as_ref());
            // An acting signatory signs under their acting title (in the
            // copy's language, else in English).
            let title = match acting {
                Some((_, title)) => title
                    .get(lang)
                    .or_else(|| title.get(Lang::En))
                    .unwrap_or_default()
                    .to_owned(),
                None => in_lang(&block.title),
            };
            let organization: Vec<String> = in_lang(&block.organization)
                .lines()
                .map(str::to_owned)
                .collect();
            let designation = match lang {
                Lang::Kk | Lang::Zh => organization.into_iter().chain([title]).collect(),
                Lang::En | Lang::Ru => [title].into_iter().chain(organization).collect(),
            };
            let holder = |lang| block.holder.as_ref().and_then(|h| h.get(lang));
            // A name as the holder's in `lang` when it is the holder's in
            // any language, else as the token gave it.
            let as_holder = |name: &str| {
                block
                    .holder
                    .as_ref()
                    .filter(|h| h.iter().any(|(_, held)| held == name))
                    .and_then(|h| h.get(lang))
                    .unwrap_or(name)
                    .to_owned()
            };
            let designation = match acting {
                Some((for_name, _)) => [for_the_secretary_general(lang, &as_holder(for_name))]
                    .into_iter()
                    .chain(designation)
                    .collect(),
                None => designation,
            };
            let name = match &s.signed {
                Some(signed) if acting.is_some() => Some(signed.name.clone()),
                Some(signed) => Some(as_holder(&signed.name)),
                None => holder(lang).map(str::to_owned),
            };
            SignatoryColumn {
                approved: in_lang(&block.approved),
                name,
                designation,
                signed: s.signed.as_ref().map(|s| signed_on(lang, s.date)),
            }
        })
        .collect();
    let items = facts
        .items
        .iter()
        .map(|(anchor, texts)| CopyItem {
            label: anchor
                .strip_prefix("item-")
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .map(|n| format!("{n}.")),
            text: in_lang(texts),
        })
        .collect();
    Ok(SignatureCopy {
        lang,
        columns,
        title: in_lang(&facts.title),
        items,
        agreed: agreed_line(lang, facts),
    })
}

/// The line above an acting signatory's title naming the Secretary
/// General signed for.
fn for_the_secretary_general(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("For the Secretary General, {name}"),
        Lang::Ru => format!("За Генерального секретаря ({name})"),
        Lang::Kk => format!("Бас хатшының атынан ({name})"),
        Lang::Zh => format!("代表秘书长（{name}）"),
    }
}

/// "Signed on 20 December 2023" in `lang`.
fn signed_on(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::En => format!("Signed on {}", format_date(lang, date)),
        Lang::Ru => format!("Подписано {}", format_date(lang, date)),
        Lang::Kk => format!("{} қол қойылды", format_date_on(lang, date)),
        Lang::Zh => format!("签署于{}", format_date(lang, date)),
    }
}

/// The line at the foot naming what was agreed and what is signed.
fn agreed_line(lang: Lang, facts: &CopyFacts) -> String {
    let (version, hash) = (facts.version, &facts.content_hash);
    match (lang, &facts.agreed_by) {
        (Lang::En, Some((number, date))) => format!(
            "Text agreed by Decision No. {number} of {}; version {version}, SHA-256 {hash}",
            format_date(lang, *date)
        ),
        (Lang::En, None) => format!("Agreed text: version {version}, SHA-256 {hash}"),
        (Lang::Ru, Some((number, date))) => format!(
            "Текст согласован решением № {number} от {}; версия {version}, SHA-256 {hash}",
            format_date(lang, *date)
        ),
        (Lang::Ru, None) => format!("Согласованный текст: версия {version}, SHA-256 {hash}"),
        (Lang::Kk, Some((number, date))) => format!(
            "Мәтін {} № {number} шешіммен келісілді; {version}-нұсқа, SHA-256 {hash}",
            format_cited_date(lang, *date)
        ),
        (Lang::Kk, None) => format!("Келісілген мәтін: {version}-нұсқа, SHA-256 {hash}"),
        (Lang::Zh, Some((number, date))) => format!(
            "文本经{}第 {number} 号决定商定；第{version}版，SHA-256 {hash}",
            format_date(lang, *date)
        ),
        (Lang::Zh, None) => format!("商定文本：第{version}版，SHA-256 {hash}"),
    }
}

/// Lays a composed signature copy out in `format`.
pub fn render_signature_copy(copy: &SignatureCopy, format: RenderFormat) -> String {
    match format {
        RenderFormat::Text => crate::printable(&copy_text(copy)).into_owned(),
        RenderFormat::Html => copy_html(copy),
    }
}

/// The line a signature is written on, in the plain text.
const SIGNATURE_LINE: &str = "---";

fn copy_text(c: &SignatureCopy) -> String {
    // The columns one after the other, each block as the seed lists them:
    // the approvals, the lines and names, the titles, column by column.
    let mut blocks: Vec<String> = c.columns.iter().map(|col| col.approved.clone()).collect();
    for col in &c.columns {
        blocks.push(SIGNATURE_LINE.to_owned());
        blocks.extend(col.name.iter().cloned());
    }
    for col in &c.columns {
        blocks.push(col.designation.join("\n"));
        blocks.extend(col.signed.iter().cloned());
    }
    blocks.push(c.title.clone());
    for item in &c.items {
        blocks.push(match &item.label {
            Some(label) => format!("{label} {}", item.text),
            None => item.text.clone(),
        });
    }
    blocks.push(c.agreed.clone());
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn copy_html(c: &SignatureCopy) -> String {
    let mut out = String::with_capacity(8192);
    html_head(&mut out, c.lang, &c.title);
    out.push_str("<article class=\"document signature-copy\">\n<header class=\"signatories\">\n");
    for col in &c.columns {
        out.push_str("<div class=\"signatory\">\n");
        let _ = writeln!(out, "<p class=\"approved\">{}</p>", escape(&col.approved));
        out.push_str("<p class=\"line\"></p>\n");
        let _ = writeln!(
            out,
            "<p class=\"name\">{}</p>",
            col.name.as_deref().map(escape).unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "<p class=\"designation\">{}</p>",
            lines_html(&col.designation)
        );
        if let Some(signed) = &col.signed {
            let _ = writeln!(out, "<p class=\"signed\">{}</p>", escape(signed));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</header>\n");
    let title: Vec<String> = c.title.lines().map(str::to_owned).collect();
    let _ = writeln!(out, "<h1 class=\"title\">{}</h1>", lines_html(&title));
    out.push_str("<section class=\"items\">\n");
    for item in &c.items {
        let lines: Vec<String> = item.text.lines().map(str::to_owned).collect();
        match &item.label {
            Some(label) => {
                let _ = writeln!(
                    out,
                    "<p><span class=\"label\">{}</span>{}</p>",
                    escape(label),
                    lines_html(&lines)
                );
            }
            None => {
                let _ = writeln!(out, "<p>{}</p>", lines_html(&lines));
            }
        }
    }
    out.push_str("</section>\n");
    let _ = writeln!(
        out,
        "<footer class=\"agreed\">{}</footer>",
        escape(&c.agreed)
    );
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(Lang, &str)]) -> Texts {
        Texts::from_pairs(pairs.iter().map(|(l, t)| (*l, (*t).to_owned()))).unwrap()
    }

    fn cica() -> SignatoryBlock {
        SignatoryBlock {
            org: "CICA".into(),
            approved: texts(&[
                (Lang::En, "APPROVED"),
                (Lang::Ru, "УТВЕРЖДАЮ"),
                (Lang::Kk, "БЕКІТЕМІН"),
            ]),
            title: texts(&[
                (Lang::En, "Secretary General"),
                (Lang::Ru, "Генеральный секретарь"),
                (Lang::Kk, "Бас хатшысы"),
            ]),
            organization: texts(&[
                (
                    Lang::En,
                    "of the Conference on Interaction and\nConfidence Building Measures in Asia",
                ),
                (
                    Lang::Ru,
                    "Совещания по взаимодействию и мерам\nдоверия в Азии",
                ),
                (
                    Lang::Kk,
                    "Азиядағы өзара іс-қимыл және\nсенім шаралары кеңесінің",
                ),
            ]),
            holder: Some(texts(&[
                (Lang::En, "Kairat Sarybay"),
                (Lang::Ru, "Кайрат Сарыбай"),
                (Lang::Kk, "Қайрат Сарыбай"),
            ])),
        }
    }

    fn sco() -> SignatoryBlock {
        SignatoryBlock {
            org: "SCO".into(),
            approved: texts(&[
                (Lang::En, "APPROVED"),
                (Lang::Ru, "УТВЕРЖДАЮ"),
                (Lang::Kk, "БЕКІТЕМІН"),
            ]),
            title: texts(&[
                (Lang::En, "Secretary-General"),
                (Lang::Ru, "Генеральный секретарь"),
                (Lang::Kk, "Бас хатшысы"),
            ]),
            organization: texts(&[
                (Lang::En, "of the Shanghai Cooperation Organisation"),
                (Lang::Ru, "Шанхайской организации сотрудничества"),
                (Lang::Kk, "Шанхай ынтымақтастық ұйымының"),
            ]),
            holder: Some(texts(&[(Lang::En, "Zhang Ming"), (Lang::Ru, "Чжан Мин")])),
        }
    }

    fn facts() -> CopyFacts {
        CopyFacts {
            title: texts(&[
                (Lang::En, "Action Plan for 2024-2029"),
                (Lang::Ru, "План мероприятий на 2024-2029 годы"),
                (Lang::Kk, "2024-2029 жылдарға арналған Іс-шаралар жоспары"),
            ]),
            items: vec![
                (
                    "agreed".into(),
                    texts(&[
                        (Lang::En, "Have agreed:"),
                        (Lang::Ru, "Договорились:"),
                        (Lang::Kk, "Келісті:"),
                    ]),
                ),
                (
                    "item-1".into(),
                    texts(&[
                        (Lang::En, "Joint sports competitions"),
                        (Lang::Ru, "Организация совместных спортивных соревнований"),
                        (Lang::Kk, "Бірлескен спорттық жарыстар"),
                    ]),
                ),
            ],
            signatories: vec![
                SignatoryFacts {
                    block: cica(),
                    signed: None,
                },
                SignatoryFacts {
                    block: sco(),
                    signed: None,
                },
            ],
            version: 3,
            content_hash: "ab".repeat(32),
            agreed_by: Some((
                "SOC/2024-II/DEC/3".into(),
                NaiveDate::from_ymd_opt(2024, 6, 27).unwrap(),
            )),
        }
    }

    #[test]
    fn the_english_copy_has_the_seeds_blocks_one_column_per_organisation() {
        let copy = compose_signature_copy(&facts(), Lang::En).unwrap();
        let text = render_signature_copy(&copy, RenderFormat::Text);
        let expected = format!(
            "APPROVED\n\nAPPROVED\n\n---\n\nKairat Sarybay\n\n---\n\nZhang Ming\n\n\
             Secretary General\nof the Conference on Interaction and\nConfidence Building Measures in Asia\n\n\
             Secretary-General\nof the Shanghai Cooperation Organisation\n\n\
             Action Plan for 2024-2029\n\nHave agreed:\n\n1. Joint sports competitions\n\n\
             Text agreed by Decision No. SOC/2024-II/DEC/3 of 27 June 2024; version 3, SHA-256 {}\n",
            "ab".repeat(32)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn the_russian_copy_writes_the_title_then_the_organisation_in_the_genitive() {
        let copy = compose_signature_copy(&facts(), Lang::Ru).unwrap();
        assert_eq!(copy.columns[0].approved, "УТВЕРЖДАЮ");
        assert_eq!(copy.columns[0].name.as_deref(), Some("Кайрат Сарыбай"));
        assert_eq!(
            copy.columns[0].designation,
            [
                "Генеральный секретарь",
                "Совещания по взаимодействию и мерам",
                "доверия в Азии"
            ]
        );
        assert_eq!(
            copy.columns[1].designation,
            [
                "Генеральный секретарь",
                "Шанхайской организации сотрудничества"
            ]
        );
        assert!(
            copy.agreed
                .starts_with("Текст согласован решением № SOC/2024-II/DEC/3 от 27 июня 2024 года")
        );
    }

    #[test]
    fn the_kazakh_copy_puts_the_organisation_before_the_title_and_leaves_an_unknown_name_blank() {
        let copy = compose_signature_copy(&facts(), Lang::Kk).unwrap();
        assert_eq!(copy.columns[0].approved, "БЕКІТЕМІН");
        assert_eq!(
            copy.columns[0].designation,
            [
                "Азиядағы өзара іс-қимыл және",
                "сенім шаралары кеңесінің",
                "Бас хатшысы"
            ]
        );
        // The SCO's holder has no Kazakh spelling recorded.
        assert_eq!(copy.columns[1].name, None);
        assert!(
            copy.agreed.starts_with(
                "Мәтін 2024 жылғы 27 маусымдағы № SOC/2024-II/DEC/3 шешіммен келісілді"
            )
        );
    }

    #[test]
    fn a_signed_column_names_the_signer_in_the_copys_language_and_the_day() {
        let mut facts = facts();
        facts.signatories[0].signed = Some(Signed {
            name: "Kairat Sarybay".into(),
            date: NaiveDate::from_ymd_opt(2024, 7, 4).unwrap(),
            acting: None,
        });
        facts.signatories[1].signed = Some(Signed {
            name: "Acting Secretary-General".into(),
            date: NaiveDate::from_ymd_opt(2024, 7, 5).unwrap(),
            acting: None,
        });
        let ru = compose_signature_copy(&facts, Lang::Ru).unwrap();
        assert_eq!(ru.columns[0].name.as_deref(), Some("Кайрат Сарыбай"));
        assert_eq!(
            ru.columns[0].signed.as_deref(),
            Some("Подписано 4 июля 2024 года")
        );
        // Someone other than the holder signed: their name as recorded.
        assert_eq!(
            ru.columns[1].name.as_deref(),
            Some("Acting Secretary-General")
        );
        let kk = compose_signature_copy(&facts, Lang::Kk).unwrap();
        assert_eq!(
            kk.columns[0].signed.as_deref(),
            Some("2024 жылғы 4 шілдеде қол қойылды")
        );
        let html = render_signature_copy(&kk, RenderFormat::Html);
        assert!(html.contains("<p class=\"signed\">2024 жылғы 4 шілдеде қол қойылды</p>"));
        assert_eq!(html.matches("<div class=\"signatory\">").count(), 2);
    }

    #[test]
    fn an_acting_signatory_signs_for_the_secretary_general_under_their_acting_title() {
        let mut facts = facts();
        facts.signatories[0].signed = Some(Signed {
            name: "Askar Zhumabayev".into(),
            date: NaiveDate::from_ymd_opt(2024, 7, 4).unwrap(),
            acting: Some((
                "Kairat Sarybay".into(),
                texts(&[
                    (Lang::En, "Acting Secretary General"),
                    (Lang::Ru, "Исполняющий обязанности Генерального секретаря"),
                ]),
            )),
        });
        let en = compose_signature_copy(&facts, Lang::En).unwrap();
        assert_eq!(en.columns[0].name.as_deref(), Some("Askar Zhumabayev"));
        assert_eq!(
            en.columns[0].designation[..2],
            [
                "For the Secretary General, Kairat Sarybay".to_owned(),
                "Acting Secretary General".to_owned()
            ]
        );
        let ru = compose_signature_copy(&facts, Lang::Ru).unwrap();
        assert_eq!(
            ru.columns[0].designation[..2],
            [
                "За Генерального секретаря (Кайрат Сарыбай)".to_owned(),
                "Исполняющий обязанности Генерального секретаря".to_owned()
            ],
            "the Secretary General named as the holder is in the copy's language"
        );
        let text = render_signature_copy(&en, RenderFormat::Text);
        assert!(
            text.contains("For the Secretary General, Kairat Sarybay\nActing Secretary General")
        );
        // The title missing in Kazakh is the English one.
        let kk = compose_signature_copy(&facts, Lang::Kk).unwrap();
        assert!(
            kk.columns[0]
                .designation
                .contains(&"Acting Secretary General".to_owned())
        );
    }

    #[test]
    fn a_copy_lacking_a_text_in_a_language_is_refused_naming_the_items() {
        let mut facts = facts();
        facts.items[1].1 = texts(&[(Lang::En, "Joint sports competitions")]);
        let error = compose_signature_copy(&facts, Lang::Ru)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("the agreed text has no RU text for item(s) item-1"),
            "{error}"
        );
        let error = compose_signature_copy(&facts, Lang::Zh)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("its title, item(s) agreed, item-1, the signature block of CICA, the signature block of SCO"),
            "{error}"
        );
    }
}
