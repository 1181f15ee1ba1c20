//! Print-ready PDF over HTTP, with `Authorization: Bearer <JWT>`:
//!
//! - `GET /print/notes/<id>.pdf?lang=EN`: a note verbale;
//! - `GET /print/decisions/<id>.pdf?lang=RU`: a decision;
//! - `GET /print/drafts/<id>/signature-copy.pdf?lang=KK`: the agreed text
//!   as the Secretaries General sign it (`SOC_AGREED` or `SIGNED` drafts).
//!
//! The same visibility as GraphQL (the reads go through the viewer's
//! `Reader`): what the viewer may not see is 404 like what does not exist.
//! `lang` (EN, RU or KK: the fonts have no Chinese) is required; a
//! missing, unknown or Chinese one is 400, and so is a
//! document lacking a text in that language (the message names it). A
//! draft whose text is not agreed has no signature copy (409,
//! `INVALID_TRANSITION`). The PDF is drawn by `accord_print` from the same
//! composed text as `render(lang, format)`. Where each is served is in
//! `paths`.

pub(crate) mod paths;

use std::sync::Arc;

use accord_domain::Lang;
use accord_workflow::{Reader, WorkflowError};
use poem::http::{StatusCode, header};
use poem::web::{Data, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use crate::auth::authenticate;
use crate::error::Code;
use crate::http::{MediaType, Refused, error, internal_response, refusal, workflow_response};
use crate::state::AppState;

/// The query of every print route.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrintQuery {
    lang: Option<String>,
}

/// What to print.
enum Printed {
    Note(String),
    Decision(String),
    SignatureCopy(String),
}

/// `GET /print/notes/<id>.pdf` and `GET /print/decisions/<id>.pdf`.
#[handler]
pub(crate) async fn note_or_decision(
    req: &Request,
    Path((kind, name)): Path<(String, String)>,
    Query(query): Query<PrintQuery>,
    state: Data<&Arc<AppState>>,
) -> Response {
    let id = name.strip_suffix(".pdf").map(str::to_owned);
    let printed = match kind.as_str() {
        "notes" => id.map(Printed::Note),
        "decisions" => id.map(Printed::Decision),
        _ => None,
    };
    print(req, printed, query, &state).await
}

/// `GET /print/drafts/<id>/signature-copy.pdf`.
#[handler]
pub(crate) async fn signature_copy(
    req: &Request,
    Path(id): Path<String>,
    Query(query): Query<PrintQuery>,
    state: Data<&Arc<AppState>>,
) -> Response {
    print(req, Some(Printed::SignatureCopy(id)), query, &state).await
}

async fn print(
    req: &Request,
    what: Option<Printed>,
    query: PrintQuery,
    state: &Arc<AppState>,
) -> Response {
    let media = MediaType::negotiate(req.headers());
    let actor = match authenticate(req.headers(), &state.verifier, &state.store).await {
        Ok(actor) => actor,
        Err(denied) => return refusal(media, denied),
    };
    let Some(what) = what else {
        return error(
            media,
            StatusCode::NOT_FOUND,
            Code::NotFound,
            "no such document",
        );
    };
    let lang = match query.lang.as_deref().map(str::parse::<Lang>) {
        // The compiled-in fonts have no Chinese glyphs: a ZH PDF would
        // print empty boxes. `render(lang: ZH, …)` still gives HTML.
        Some(Ok(Lang::Zh)) => {
            return Refused::bad_request(
                "PDF is printed in EN, RU and KK only (its fonts have no Chinese glyphs); render(lang: ZH, format: HTML) gives a Chinese text",
            )
            .respond(media);
        }
        Some(Ok(lang)) => lang,
        Some(Err(refused)) => return Refused::bad_request(refused.to_string()).respond(media),
        None => {
            return Refused::bad_request("say which language to print in: ?lang=EN, RU or KK")
                .respond(media);
        }
    };
    let reader = Reader::new(state.store().clone(), actor);
    let drawn = match draw(&reader, &what, lang).await {
        Ok(drawn) => drawn,
        Err(failed) => return workflow_response(media, failed),
    };
    let (filename, pdf) = match tokio::task::spawn_blocking(drawn).await {
        Ok(Ok(done)) => done,
        Ok(Err(failed)) => return internal_response(media, &failed),
        Err(panicked) => return internal_response(media, &panicked),
    };
    Response::builder()
        .status(StatusCode::OK)
        .content_type("application/pdf")
        .header(
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{filename}\""),
        )
        .header(header::CACHE_CONTROL, "private, no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(pdf)
}

/// A drawing of a document: its file name and its bytes, made off the
/// request threads.
type Drawing = Box<dyn FnOnce() -> Result<(String, Vec<u8>), accord_print::PrintError> + Send>;

/// Reads what `what` prints in `lang` as the viewer may see it, and
/// returns the drawing of it.
async fn draw(reader: &Reader, what: &Printed, lang: Lang) -> Result<Drawing, WorkflowError> {
    Ok(match what {
        Printed::Note(id) => {
            let record = reader.note(id).await?;
            let frozen = if record.frozen {
                reader
                    .frozen_texts(std::slice::from_ref(&record.id))
                    .await?
                    .remove(&record.id)
            } else {
                None
            };
            let text = reader.note_text(&record, frozen.as_deref(), lang).await?;
            let name = record.number.as_deref().unwrap_or(&record.series);
            let filename = format!("note-{}-{lang}.pdf", file_safe(name));
            Box::new(move || Ok((filename, accord_print::note_pdf(&text)?)))
        }
        Printed::Decision(id) => {
            let record = reader.decision(id).await?;
            let text = reader.decision_text(&record, lang).await?;
            let filename = format!("decision-{}-{lang}.pdf", file_safe(&record.number));
            Box::new(move || Ok((filename, accord_print::decision_pdf(&text)?)))
        }
        Printed::SignatureCopy(id) => {
            let draft = reader.draft(id).await?;
            let copy = reader.signature_copy(&draft, lang).await?;
            let filename = format!("signature-copy-{}-{lang}.pdf", draft.id);
            Box::new(move || Ok((filename, accord_print::signature_copy_pdf(&copy)?)))
        }
    })
}

/// A number as part of a file name: `SOC/2024-II/DEC/3` → `SOC-2024-II-DEC-3`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_file_names_without_slashes_or_quotes() {
        assert_eq!(file_safe("SOC/2024-II/DEC/3"), "SOC-2024-II-DEC-3");
        assert_eq!(file_safe("PAR/713\"x"), "PAR-713-x");
    }
}
