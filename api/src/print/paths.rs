//! Where the print routes serve each document, for the schema's
//! `pdfPath` fields (the routes themselves are in `print`); this file
//! imports nothing of the server, so that the schema's object types need
//! not import the routes.

use accord_domain::Lang;

/// The path of a note's PDF in `lang`.
pub(crate) fn note_path(id: &str, lang: Lang) -> String {
    format!("/print/notes/{id}.pdf?lang={lang}")
}

/// The path of a decision's PDF in `lang`.
pub(crate) fn decision_path(id: &str, lang: Lang) -> String {
    format!("/print/decisions/{id}.pdf?lang={lang}")
}

/// The path of a draft's signature copy in `lang`.
pub(crate) fn signature_copy_path(id: &str, lang: Lang) -> String {
    format!("/print/drafts/{id}/signature-copy.pdf?lang={lang}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paths_are_the_routes_of_the_server() {
        assert_eq!(note_path("n1", Lang::Kk), "/print/notes/n1.pdf?lang=KK");
        assert_eq!(
            signature_copy_path("d1", Lang::Ru),
            "/print/drafts/d1/signature-copy.pdf?lang=RU"
        );
    }
}
