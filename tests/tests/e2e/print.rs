//! Printing: decisions and signature copies rendered through GraphQL, and
//! the print-ready PDFs of notes, decisions and signature copies over
//! HTTP with a bearer token, their text extracted back.

use accord_domain::DraftState;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, ok, spawn_app, str_at};
use crate::on_both_backends;

/// The response to `GET path`: status, headers, body.
async fn get(
    app: &TestApp,
    path: &str,
    bearer: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// The PDF at `path`, checked as one, its text extracted without
/// whitespace (the extractor's guess at spaces is its own).
async fn pdf_text(app: &TestApp, path: &str, bearer: &str, filename: &str) -> String {
    let (status, headers, body) = get(app, path, Some(bearer)).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(filename), "{disposition}");
    assert!(body.starts_with(b"%PDF-"));
    squash(&pdf_extract::extract_text_from_mem(&body).unwrap())
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

fn assert_has(text: &str, phrase: &str) {
    assert!(
        text.contains(&squash(phrase)),
        "{phrase:?} is missing from {text}"
    );
}

/// A draft titled and worded in English, Russian and Kazakh.
async fn trilingual_draft(app: &TestApp) -> String {
    let items = json!([
        { "anchor": "preamble-1", "texts": [
            { "lang": "EN", "text": "The Secretariats of CICA and SCO have agreed:" },
            { "lang": "RU", "text": "Секретариаты СВМДА и ШОС договорились:" },
            { "lang": "KK", "text": "Азия Кеңесі мен ШЫҰ хатшылықтары келісті:" }
        ]},
        { "anchor": "item-1", "texts": [
            { "lang": "EN", "text": "Joint events on energy and mutual understanding" },
            { "lang": "RU", "text": "Совместные мероприятия в сфере энергетики" },
            { "lang": "KK", "text": "Энергетика және өзара түсіністік саласындағы бірлескен іс-шаралар" }
        ]}
    ]);
    let data = app
        .op_ok(
            &app.secretariat(),
            "CreateDraft",
            json!({ "input": {
                "kind": "ACTION_PLAN",
                "title": [
                    { "lang": "EN", "text": "Action Plan for 2024-2029" },
                    { "lang": "RU", "text": "План мероприятий на 2024-2029 годы" },
                    { "lang": "KK", "text": "2024-2029 жылдарға арналған Іс-шаралар жоспары" }
                ],
                "signatories": ["CICA", "SCO"],
                "items": items,
            }}),
        )
        .await;
    str_at(&data["createDraft"]["draft"], "/id")
}

const COPY: &str = "query ($id: ID!, $lang: Lang!) { draft(id: $id) {
    signatureCopy(lang: $lang, format: TEXT)
    signatureCopyPdfPath(lang: $lang)
    decision { id number render(lang: $lang, format: TEXT) pdfPath(lang: $lang) }
    notes { id number pdfPath(lang: $lang) }
} }";

async fn signature_copies_print_from_agreement_to_signature(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let id = trilingual_draft(&app).await;

    // Before the SOC agrees the text there is nothing to sign.
    app.advance(
        &id,
        DraftState::Drafting,
        DraftState::Circulated,
        &["CICA", "SCO"],
    )
    .await;
    let early = app
        .gql(&secretariat, COPY, json!({ "id": id, "lang": "EN" }))
        .await;
    assert_eq!(
        error_code(&early).as_deref(),
        Some("INVALID_TRANSITION"),
        "{early}"
    );
    let path = format!("/print/drafts/{id}/signature-copy.pdf?lang=EN");
    let (status, _, body) = get(&app, &path, Some(&secretariat)).await;
    assert_eq!(status, 409, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("INVALID_TRANSITION"));

    app.advance(
        &id,
        DraftState::Circulated,
        DraftState::SocAgreed,
        &["CICA", "SCO"],
    )
    .await;
    // The Russian copy: the seed's blocks, one column per organisation.
    let ru = ok(
        &app.gql(&secretariat, COPY, json!({ "id": id, "lang": "RU" }))
            .await,
        "the Russian copy",
    );
    let copy = str_at(&ru, "/draft/signatureCopy");
    for line in [
        "УТВЕРЖДАЮ\n\nУТВЕРЖДАЮ",
        "Кайрат Сарыбай",
        "Чжан Мин",
        "Генеральный секретарь\nСовещания по взаимодействию и мерам\nдоверия в Азии",
        "Генеральный секретарь\nШанхайской организации сотрудничества",
        "План мероприятий на 2024-2029 годы",
        "1. Совместные мероприятия в сфере энергетики",
        "Текст согласован решением № SOC/",
    ] {
        assert!(copy.contains(line), "{line:?} is missing from {copy}");
    }
    assert!(!copy.contains("Подписано"), "{copy}");
    // The decision that agreed it renders too, and names what a language lacks.
    let decision = str_at(&ru, "/draft/decision/render");
    assert!(
        decision.starts_with("КОМИТЕТ СТАРШИХ ДОЛЖНОСТНЫХ ЛИЦ\n\nРЕШЕНИЕ № SOC/"),
        "{decision}"
    );
    let decision_id = str_at(&ru, "/draft/decision/id");
    let number = str_at(&ru, "/draft/decision/number");
    let edited = app
        .gql(
            &secretariat,
            "mutation ($input: EditDecisionInput!) { editDecision(input: $input) { decision { id } } }",
            json!({ "input": {
                "decisionId": decision_id,
                "revision": 1,
                "title": [{ "lang": "EN", "text": "On the Action Plan" }],
                "text": [{ "lang": "EN", "text": "The Senior Officials Committee agrees the text of the Action Plan." }]
            }}),
        )
        .await;
    ok(&edited, "the decision's English title and text");
    let missing = app
        .gql(&secretariat, COPY, json!({ "id": id, "lang": "RU" }))
        .await;
    assert_eq!(
        error_code(&missing).as_deref(),
        Some("BAD_USER_INPUT"),
        "{missing}"
    );
    assert!(
        missing.to_string().contains(&format!(
            "decision {number} has no RU text for its title and its text; it can be printed in EN"
        )),
        "{missing}"
    );
    let (status, _, body) = get(
        &app,
        &format!("/print/decisions/{decision_id}.pdf?lang=RU"),
        Some(&secretariat),
    )
    .await;
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("has no RU text for its title"));

    // The CICA Secretary General signs: their name and the day appear.
    let hash = str_at(
        &app.draft(&secretariat, &id).await,
        "/currentVersion/contentHash",
    );
    app.op_ok(
        &app.sg("CICA"),
        "SignDraft",
        json!({ "input": { "draftId": id, "contentHash": hash } }),
    )
    .await;
    let en = ok(
        &app.gql(
            &app.delegate("KAZ"),
            COPY,
            json!({ "id": id, "lang": "EN" }),
        )
        .await,
        "the English copy, as a delegate",
    );
    let copy = str_at(&en, "/draft/signatureCopy");
    assert!(
        copy.starts_with(
            "APPROVED\n\nAPPROVED\n\n---\n\nSecretary General of CICA\n\n---\n\nZhang Ming\n\n"
        ),
        "{copy}"
    );
    assert!(copy.contains("Secretary General\nof the Conference on Interaction and\nConfidence Building Measures in Asia\n\nSigned on "), "{copy}");
    assert!(
        copy.contains("Secretary-General\nof the Shanghai Cooperation Organisation"),
        "{copy}"
    );
    assert!(copy.contains(&format!("SHA-256 {hash}")), "{copy}");
    assert_eq!(
        str_at(&en, "/draft/signatureCopyPdfPath"),
        format!("/print/drafts/{id}/signature-copy.pdf?lang=EN")
    );

    // The PDFs, as a delegate of a member state.
    let delegate = app.delegate("KAZ");
    let kk = pdf_text(
        &app,
        &format!("/print/drafts/{id}/signature-copy.pdf?lang=KK"),
        &delegate,
        &format!("signature-copy-{id}-KK.pdf"),
    )
    .await;
    for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "і"] {
        assert!(kk.contains(letter), "{letter} is missing from {kk}");
    }
    for phrase in [
        "БЕКІТЕМІН",
        "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің Бас хатшысы",
        "Шанхай ынтымақтастық ұйымының Бас хатшысы",
        "қол қойылды",
        "2024-2029 жылдарға арналған Іс-шаралар жоспары",
        "1. Энергетика және өзара түсіністік саласындағы бірлескен іс-шаралар",
    ] {
        assert_has(&kk, phrase);
    }
    let path = str_at(&en, "/draft/decision/pdfPath");
    let decision = pdf_text(
        &app,
        &path,
        &delegate,
        &format!("decision-{}-EN.pdf", number.replace('/', "-")),
    )
    .await;
    assert_has(&decision, "SENIOR OFFICIALS COMMITTEE");
    assert_has(&decision, &format!("DECISION No. {number}"));
    assert_has(
        &decision,
        "The Senior Officials Committee agrees the text of the Action Plan.",
    );
    let note = &en["draft"]["notes"][0];
    let note_number = str_at(note, "/number");
    let ru_note = pdf_text(
        &app,
        &str_at(note, "/pdfPath").replace("lang=EN", "lang=RU"),
        &delegate,
        &format!("note-{}-RU.pdf", note_number.replace('/', "-")),
    )
    .await;
    assert_has(&ru_note, &format!("№ {note_number}"));
    assert_has(&ru_note, "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ");
    assert_has(&ru_note, "свидетельствует свое уважение");
}

on_both_backends!(signature_copies_print_from_agreement_to_signature => signature_copies_print_sqlite, signature_copies_print_postgres);

async fn print_routes_answer_like_graphql_for_what_the_viewer_cannot_see(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let secretariat = app.secretariat();
    let delegate = app.delegate("KAZ");
    // A draft still being drafted is hidden from member states.
    let id = trilingual_draft(&app).await;
    let hidden = format!("/print/drafts/{id}/signature-copy.pdf?lang=EN");
    let missing = format!(
        "/print/drafts/{}/signature-copy.pdf?lang=EN",
        uuid::Uuid::now_v7()
    );
    let (status, _, hidden_body) = get(&app, &hidden, Some(&delegate)).await;
    assert_eq!(status, 404);
    let (status, _, missing_body) = get(&app, &missing, Some(&delegate)).await;
    assert_eq!(status, 404);
    let code = |body: &[u8]| error_code(&serde_json::from_slice::<Value>(body).unwrap());
    assert_eq!(code(&hidden_body), code(&missing_body));
    assert_eq!(code(&hidden_body).as_deref(), Some("NOT_FOUND"));
    let (status, ..) = get(&app, &hidden, Some(&secretariat)).await;
    assert_eq!(status, 409, "the Secretariat sees it, but it is not agreed");
    // No token, no language, an unknown language, a name that is no PDF.
    let (status, ..) = get(&app, &hidden, None).await;
    assert_eq!(status, 401);
    for (path, message) in [
        (
            format!("/print/drafts/{id}/signature-copy.pdf"),
            "say which language to print in",
        ),
        (
            format!("/print/drafts/{id}/signature-copy.pdf?lang=FR"),
            "unknown language \\\"FR\\\"",
        ),
        (
            format!("/print/drafts/{id}/signature-copy.pdf?lang=ZH"),
            "no Chinese glyphs",
        ),
    ] {
        let (status, _, body) = get(&app, &path, Some(&secretariat)).await;
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body.contains(message), "{path}: {body}");
    }
    let (status, ..) = get(
        &app,
        &format!("/print/notes/{id}.html?lang=EN"),
        Some(&secretariat),
    )
    .await;
    assert_eq!(status, 404);
    let (status, ..) = get(
        &app,
        "/print/decisions/not-an-id.pdf?lang=EN",
        Some(&secretariat),
    )
    .await;
    assert_eq!(status, 404);
}

on_both_backends!(print_routes_answer_like_graphql_for_what_the_viewer_cannot_see => print_visibility_sqlite, print_visibility_postgres);
