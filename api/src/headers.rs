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
/// production): scripts and style sheets from this origin only (the page's
/// files are compiled into Accord, `crate::graphiql`; it has no inline
/// script or style), the fonts and images GraphiQL's style sheet inlines
/// as `data:` URLs, and requests to this origin only (the GraphQL
/// endpoint). No other origin is named: the page needs no network beyond
/// Accord. Tests check it against what the page loads.
pub const GRAPHIQL_CSP: &str = "default-src 'none'; \
     script-src 'self'; \
     style-src 'self'; \
     font-src data:; \
     img-src data:; \
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

    /// The sources the policy lists for `directive`.
    fn sources(directive: &str) -> Vec<&'static str> {
        GRAPHIQL_CSP
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix(directive)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("GRAPHIQL_CSP has no {directive}"))
            .split_whitespace()
            .collect()
    }

    #[test]
    fn the_graphiql_policy_names_no_other_origin() {
        for directive in GRAPHIQL_CSP.split(';').map(str::trim) {
            for source in directive.split_whitespace().skip(1) {
                let keyword = source.starts_with('\'') && source.ends_with('\'');
                assert!(
                    (keyword && source != "'unsafe-eval'") || source == "data:",
                    "{directive}: {source} lets the page reach beyond Accord"
                );
            }
        }
        assert!(!GRAPHIQL_CSP.contains("http"));
        assert!(!GRAPHIQL_CSP.contains('*'));
        assert_eq!(sources("connect-src"), ["'self'"]);
        assert_eq!(sources("default-src"), ["'none'"]);
        assert_eq!(sources("frame-ancestors"), ["'none'"]);
    }

    #[test]
    fn the_graphiql_policy_runs_this_origins_scripts_and_the_pages_inline_ones_by_hash() {
        let page = crate::graphiql::page();
        let mut allowed = vec!["'self'".to_owned()];
        for script in inline_scripts(page) {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
            allowed.push(format!("'sha256-{hash}'"));
        }
        assert_eq!(sources("script-src"), allowed);
    }

    #[test]
    fn the_graphiql_policy_allows_every_source_of_the_page() {
        let page = crate::graphiql::page();
        for attribute in ["src=\"", "href=\""] {
            for (at, _) in page.match_indices(attribute) {
                let url = &page[at + attribute.len()..];
                let url = &url[..url.find('"').unwrap()];
                let allowed = if url.starts_with("data:") {
                    "data:"
                } else {
                    assert!(
                        url.starts_with('/') && !url.starts_with("//"),
                        "{url} is not on this origin"
                    );
                    "'self'"
                };
                let directive = if url.ends_with(".js") {
                    "script-src"
                } else if url.ends_with(".css") {
                    "style-src"
                } else {
                    "img-src"
                };
                assert!(
                    sources(directive).contains(&allowed),
                    "{url} is loaded by the page but {directive} does not allow {allowed}"
                );
            }
        }
    }
}
