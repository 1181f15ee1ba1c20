//! The GraphiQL page (`GET /graphql` from a browser, off in production) and
//! the files it loads, `GET /graphql/assets/<name>`, all compiled into the
//! binary so that the page works on a network without internet.
//!
//! React, ReactDOM and GraphiQL's self-contained browser build are the npm
//! packages' own files, pinned by `api/assets/graphiql/package-lock.json`
//! and copied unchanged, with their licences, into
//! `api/assets/graphiql/vendor/` by `scripts/vendor-graphiql.sh`; the page's
//! own script and style sheet (the token field) sit beside them. The page
//! has no inline script or style, and its policy,
//! [`crate::headers::GRAPHIQL_CSP`], allows this origin only.
//!
//! An asset's name carries the start of its SHA-256
//! (`graphiql.min.<hash>.js`), which is also its `ETag`: another build's
//! file has another name, so a browser may keep one for a year.

use std::sync::{Arc, LazyLock};

use poem::http::{HeaderMap, StatusCode, header};
use poem::web::Path;
use poem::{IntoResponse, Response, handler};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Where the assets are served, `/graphql/assets/<name>`.
pub(crate) const ASSETS_PATH: &str = "/graphql/assets/";

/// How long a browser may keep an asset: a year (its name changes with
/// its content).
const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// How many hex digits of an asset's SHA-256 its name carries.
const NAME_HASH_LEN: usize = 16;

/// A file of the page as compiled in: its name without the hash, its
/// extension and its bytes.
struct Source {
    stem: &'static str,
    extension: &'static str,
    bytes: &'static [u8],
}

/// The files of the page, in the order the page loads them (scripts: React
/// first, the page's own script last).
const SOURCES: [Source; 6] = [
    Source {
        stem: "graphiql.min",
        extension: "css",
        bytes: include_bytes!("../assets/graphiql/vendor/graphiql.min.css"),
    },
    Source {
        stem: "accord-graphiql",
        extension: "css",
        bytes: include_bytes!("../assets/graphiql/accord-graphiql.css"),
    },
    Source {
        stem: "react.production.min",
        extension: "js",
        bytes: include_bytes!("../assets/graphiql/vendor/react.production.min.js"),
    },
    Source {
        stem: "react-dom.production.min",
        extension: "js",
        bytes: include_bytes!("../assets/graphiql/vendor/react-dom.production.min.js"),
    },
    Source {
        stem: "graphiql.min",
        extension: "js",
        bytes: include_bytes!("../assets/graphiql/vendor/graphiql.min.js"),
    },
    Source {
        stem: "accord-graphiql",
        extension: "js",
        bytes: include_bytes!("../assets/graphiql/accord-graphiql.js"),
    },
];

/// A file the page loads, as served.
#[derive(Debug)]
pub(crate) struct Asset {
    /// `<stem>.<hash>.<extension>`, the last segment of its path.
    pub(crate) name: String,
    /// `text/javascript` or `text/css`, in UTF-8.
    pub(crate) content_type: &'static str,
    /// The quoted `ETag`: the full SHA-256 of the bytes.
    pub(crate) etag: String,
    pub(crate) bytes: &'static [u8],
}

impl Asset {
    /// Where the page finds it.
    pub(crate) fn path(&self) -> String {
        format!("{ASSETS_PATH}{}", self.name)
    }
}

/// The content type of a served extension.
fn content_type(extension: &str) -> &'static str {
    match extension {
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|source| {
            let sha256 = hex::encode(Sha256::digest(source.bytes));
            Asset {
                name: format!(
                    "{}.{}.{}",
                    source.stem,
                    &sha256[..NAME_HASH_LEN],
                    source.extension
                ),
                content_type: content_type(source.extension),
                etag: format!("\"{sha256}\""),
                bytes: source.bytes,
            }
        })
        .collect()
});

/// Every file the page loads.
pub(crate) fn assets() -> &'static [Asset] {
    &ASSETS
}

static PAGE: LazyLock<String> = LazyLock::new(|| {
    let mut links = String::new();
    let mut scripts = String::new();
    for asset in assets() {
        if asset.name.ends_with(".css") {
            links.push_str(&format!(
                "    <link rel=\"stylesheet\" href=\"{}\">\n",
                asset.path()
            ));
        } else {
            scripts.push_str(&format!("    <script src=\"{}\"></script>\n", asset.path()));
        }
    }
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n\
         \x20 <head>\n\
         \x20   <meta charset=\"utf-8\">\n\
         \x20   <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         \x20   <meta name=\"robots\" content=\"noindex\">\n\
         \x20   <title>Accord GraphiQL</title>\n\
         \x20   <link rel=\"icon\" href=\"data:,\">\n\
         {links}\
         \x20 </head>\n\
         \x20 <body>\n\
         \x20   <div id=\"accord-root\">Loading GraphiQL…</div>\n\
         {scripts}\
         \x20 </body>\n\
         </html>\n"
    )
});

/// The GraphiQL page (its policy is [`crate::headers::GRAPHIQL_CSP`]).
pub(crate) fn page() -> &'static str {
    &PAGE
}

/// The page as answered to a browser, with its policy.
pub(crate) fn page_response() -> Response {
    poem::web::Html(page())
        .with_header(
            header::CONTENT_SECURITY_POLICY,
            crate::headers::GRAPHIQL_CSP,
        )
        .into_response()
}

/// `GET /graphql/assets/<name>`: a file of the page, by its hashed name;
/// `304` when the browser already holds it, `404` for any other name and
/// in production (no GraphiQL there).
#[handler]
pub(crate) async fn serve_asset(
    headers: &HeaderMap,
    Path(name): Path<String>,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
    let found = assets().iter().find(|asset| asset.name == name);
    let Some(asset) = found.filter(|_| state.graphiql) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == asset.etag || tag.trim() == "*")
        });
    let response = Response::builder()
        .header(header::ETAG, asset.etag.as_str())
        .header(header::CACHE_CONTROL, CACHE_CONTROL);
    if held {
        return response.status(StatusCode::NOT_MODIFIED).finish();
    }
    response
        .status(StatusCode::OK)
        .content_type(asset.content_type)
        .body(asset.bytes)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::{ASSETS_PATH, SOURCES, assets, page};

    /// The values of every `src="…"` and `href="…"` in the page.
    fn references(page: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for attribute in [" src=\"", " href=\""] {
            for (at, _) in page.match_indices(attribute) {
                let rest = &page[at + attribute.len()..];
                out.push(&rest[..rest.find('"').unwrap()]);
            }
        }
        out
    }

    #[test]
    fn the_page_references_only_embedded_assets_and_each_of_them() {
        let page = page();
        let refs = references(page);
        for reference in &refs {
            assert!(
                *reference == "data:," || assets().iter().any(|asset| asset.path() == *reference),
                "the page references {reference}, which Accord does not serve"
            );
        }
        for asset in assets() {
            assert!(
                refs.contains(&asset.path().as_str()),
                "{} is not loaded by the page",
                asset.name
            );
        }
    }

    #[test]
    fn the_page_has_no_inline_script_or_style() {
        let page = page();
        assert_eq!(
            page.matches("<script").count(),
            page.matches("<script src=\"").count(),
            "{page}"
        );
        assert!(!page.contains("<style"), "{page}");
        assert!(!page.contains("style="), "{page}");
        for handler in ["onload=", "onclick=", "onerror=", "javascript:"] {
            assert!(!page.contains(handler), "{page}");
        }
    }

    #[test]
    fn the_scripts_load_react_before_graphiql_and_the_page_script_last() {
        let page = page();
        let at = |stem: &str| {
            let asset = assets()
                .iter()
                .find(|a| a.name.starts_with(stem) && a.name.ends_with(".js"))
                .unwrap();
            page.find(&asset.path()).unwrap()
        };
        assert!(at("react.production.min.") < at("react-dom.production.min."));
        assert!(at("react-dom.production.min.") < at("graphiql.min."));
        assert!(at("graphiql.min.") < at("accord-graphiql."));
    }

    #[test]
    fn assets_have_their_content_type_and_a_name_that_changes_with_their_content() {
        let mut names = std::collections::HashSet::new();
        for asset in assets() {
            let sha256 = hex::encode(Sha256::digest(asset.bytes));
            assert_eq!(asset.etag, format!("\"{sha256}\""));
            assert!(
                asset.name.contains(&format!(".{}.", &sha256[..16])),
                "{}",
                asset.name
            );
            let expected = if asset.name.ends_with(".js") {
                "text/javascript; charset=utf-8"
            } else {
                assert!(asset.name.ends_with(".css"), "{}", asset.name);
                "text/css; charset=utf-8"
            };
            assert_eq!(asset.content_type, expected, "{}", asset.name);
            assert!(!asset.bytes.is_empty(), "{}", asset.name);
            assert!(std::str::from_utf8(asset.bytes).is_ok(), "{}", asset.name);
            assert!(names.insert(asset.name.clone()), "{} twice", asset.name);
            assert!(asset.path().starts_with(ASSETS_PATH));
        }
        assert_eq!(names.len(), SOURCES.len());
    }

    /// The vendored files are those `scripts/vendor-graphiql.sh` copied
    /// from the pinned packages, not edited since.
    #[test]
    fn the_vendored_files_are_those_the_vendor_script_recorded() {
        let sums = include_str!("../assets/graphiql/vendor/SHA256SUMS");
        let recorded: Vec<(&str, &str)> = sums
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| line.split_once("  ").unwrap())
            .collect();
        assert_eq!(recorded.len(), 4, "{sums}");
        for (sha256, file) in recorded {
            let (stem, extension) = file.rsplit_once('.').unwrap();
            let source = SOURCES
                .iter()
                .find(|s| s.stem == stem && s.extension == extension)
                .unwrap_or_else(|| panic!("{file} is vendored but not served"));
            assert_eq!(
                hex::encode(Sha256::digest(source.bytes)),
                sha256,
                "{file} differs from what scripts/vendor-graphiql.sh copied"
            );
        }
    }

    #[test]
    fn the_vendored_scripts_use_no_eval() {
        for asset in assets().iter().filter(|a| a.name.ends_with(".js")) {
            let text = std::str::from_utf8(asset.bytes).unwrap();
            assert!(!text.contains("new Function("), "{}", asset.name);
            assert!(!text.contains("eval("), "{}", asset.name);
        }
    }
}
