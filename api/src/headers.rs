//! Security headers on every response: a Content Security Policy, no
//! framing, no referrer, no content sniffing.
//!
//! API responses (JSON, files, calendars, health checks, errors) get
//! [`API_CSP`]: nothing they contain may load or run anything, and no page
//! may frame them. The GraphiQL page sets its own, [`GRAPHIQL_CSP`], which
//! this layer keeps.

use std::sync::Arc;

use poem::http::{HeaderValue, header};
use poem::{Endpoint, IntoResponse, Request, Response};

/// The policy of every response but the GraphiQL page.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The policy of the GraphiQL page (`GET /graphql` from a browser, off in
/// production), allowing exactly what the page loads today: React, GraphiQL
/// and its style sheet from `https://unpkg.com`, its one inline script (by
/// hash; a test checks the hash against the page), its inline style, the
/// GraphQL endpoint on this origin, and its favicon. Tighten it to `'self'`
/// when the page's assets are served by Accord itself.
pub const GRAPHIQL_CSP: &str = "default-src 'none'; \
     script-src https://unpkg.com 'sha256-zJzSx504e9pw3JptArjtRSgDLB8OtTlg8NWP9DR39IQ='; \
     style-src https://unpkg.com 'unsafe-inline'; \
     font-src https://unpkg.com data:; \
     img-src 'self' data: https://graphql.org; \
     connect-src 'self'; \
     base-uri 'none'; \
     form-action 'none'; \
     frame-ancestors 'none'";

/// Adds the security headers to the answer of `next` (also to errors that
/// poem would turn into responses later). A `Content-Security-Policy` the
/// handler set is kept.
pub(crate) async fn security_headers<E: Endpoint>(
    next: Arc<E>,
    request: Request,
) -> poem::Result<Response> {
    let mut response = match next.call(request).await {
        Ok(response) => response.into_response(),
        Err(error) => error.into_response(),
    };
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(API_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};

    use super::GRAPHIQL_CSP;

    /// The contents of the page's `<script>` elements without `src`.
    fn inline_scripts(page: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = page;
        while let Some(open) = rest.find("<script") {
            let after = &rest[open..];
            let Some(tag_end) = after.find('>') else {
                break;
            };
            let tag = &after[..tag_end];
            let body = &after[tag_end + 1..];
            let Some(close) = body.find("</script>") else {
                break;
            };
            if !tag.contains("src=") {
                out.push(&body[..close]);
            }
            rest = &body[close..];
        }
        out
    }

    #[test]
    fn the_graphiql_policy_allows_the_pages_inline_script_by_hash() {
        let page = crate::server::graphiql_page();
        let scripts = inline_scripts(&page);
        assert!(!scripts.is_empty(), "the page has no inline script");
        for script in scripts {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
            assert!(
                GRAPHIQL_CSP.contains(&format!("'sha256-{hash}'")),
                "GRAPHIQL_CSP must allow the inline script by 'sha256-{hash}'"
            );
        }
        assert!(!GRAPHIQL_CSP.contains("'unsafe-eval'"));
    }

    #[test]
    fn the_graphiql_policy_allows_every_external_source_of_the_page() {
        let page = crate::server::graphiql_page();
        for attribute in ["src=\"", "href=\""] {
            for (at, _) in page.match_indices(attribute) {
                let url = &page[at + attribute.len()..];
                let url = &url[..url.find('"').unwrap()];
                let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
                assert!(
                    GRAPHIQL_CSP.contains(&origin),
                    "{url} is loaded by the page but {origin} is not in GRAPHIQL_CSP"
                );
            }
        }
    }
}
