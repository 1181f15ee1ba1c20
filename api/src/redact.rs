//! Secrets kept out of the logs. A calendar feed token is a bearer
//! credential carried in a URL path (`/calendar/cal_<hex>.ics`, shown once
//! to its owner); JWTs and other credentials may be put in a query string
//! by a client that should not have. Whatever the server logs of a request
//! target or an error message passes through here first.
//!
//! A path segment or query value is judged on its percent-decoded form, as
//! the server's routes and extractors read it, so an encoded token is
//! redacted like a plain one. Stored files' SHA-256 addresses are not
//! secret (the content is only served to authenticated people) and stay.

use std::borrow::Cow;
use std::ops::Range;

/// What a redacted secret is logged as.
pub const REDACTED: &str = "[redacted]";

/// The calendar feed route: every segment under it but `me.ics` is a
/// feed token, well formed or not.
const CALENDAR_PREFIX: &str = "/calendar/";

/// The feed of the bearer of a JWT: no secret in the path.
const OWN_FEED: &str = "me.ics";

/// Query parameter names whose values are credentials (compared in lower
/// case, exactly).
const SECRET_NAMES: &[&str] = &["auth", "code", "key", "pwd", "sig"];

/// Query parameter names that hold a credential when they contain one of
/// these (in lower case): `token`, `access_token`, `feedToken`,
/// `client_secret`, …
const SECRET_NAME_PARTS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "jwt",
    "bearer",
    "credential",
    "apikey",
    "api_key",
    "api-key",
    "authorization",
    "session",
    "signature",
];

/// A URL without its credentials (what is between `://` and the last
/// `@`, user included): a database's or a collector's, for printing and
/// logging.
pub fn url_for_display(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_owned(),
    }
}

/// A request target (`path` and optional `query`) as it may be logged:
/// feed tokens and anything that looks like a credential replaced by
/// [`REDACTED`].
pub fn request_target(path: &str, query: Option<&str>) -> String {
    let mut out = String::with_capacity(path.len() + query.map_or(0, |q| q.len() + 1));
    out.push_str(&redact_path(path));
    if let Some(query) = query {
        out.push('?');
        out.push_str(&redact_query(query));
    }
    out
}

/// `text` (an error message) with every credential-like span replaced by
/// [`REDACTED`]; unchanged text is borrowed.
pub fn text(text: &str) -> Cow<'_, str> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(REDACTED);
        at = span.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

fn redact_path(path: &str) -> Cow<'_, str> {
    let calendar = path.starts_with(CALENDAR_PREFIX);
    let secret_at = |index: usize, segment: &str| {
        (calendar && index >= 2 && !segment.is_empty() && segment != OWN_FEED)
            || holds_secret(&percent_decode(segment, false))
    };
    if !path
        .split('/')
        .enumerate()
        .any(|(index, segment)| secret_at(index, segment))
    {
        return Cow::Borrowed(path);
    }
    let segments: Vec<&str> = path
        .split('/')
        .enumerate()
        .map(|(index, segment)| {
            if secret_at(index, segment) {
                REDACTED
            } else {
                segment
            }
        })
        .collect();
    Cow::Owned(segments.join("/"))
}

fn redact_query(query: &str) -> Cow<'_, str> {
    let redacted = |pair: &str| -> Option<String> {
        match pair.split_once('=') {
            Some((name, value)) => {
                let decoded_name = percent_decode(name, true);
                if holds_secret(&decoded_name) {
                    Some(REDACTED.to_owned())
                } else if is_secret_name(&decoded_name)
                    || holds_secret(&percent_decode(value, true))
                {
                    Some(format!("{name}={REDACTED}"))
                } else {
                    None
                }
            }
            None => holds_secret(&percent_decode(pair, true)).then(|| REDACTED.to_owned()),
        }
    };
    if !query.split('&').any(|pair| redacted(pair).is_some()) {
        return Cow::Borrowed(query);
    }
    let pairs: Vec<Cow<'_, str>> = query
        .split('&')
        .map(|pair| redacted(pair).map_or(Cow::Borrowed(pair), Cow::Owned))
        .collect();
    Cow::Owned(pairs.join("&"))
}

fn is_secret_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    SECRET_NAMES.contains(&name.as_str())
        || SECRET_NAME_PARTS.iter().any(|part| name.contains(part))
}

fn holds_secret(text: &str) -> bool {
    !secret_spans(text).is_empty()
}

/// The byte ranges of `text` that look like credentials, in order and not
/// overlapping:
///
/// - a calendar feed token: `cal_` (any case) and at least 8 letters or
///   digits;
/// - a JWT (or any JWS/JWE): `eyJ`, base64url, a dot, more base64url;
/// - what follows `Bearer ` (any case) up to the next white space.
fn secret_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let run = |from: usize, accept: &dyn Fn(u8) -> bool| {
        bytes[from..]
            .iter()
            .position(|&b| !accept(b))
            .map_or(bytes.len(), |n| from + n)
    };
    let mut spans = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &lower[at..];
        let found = if rest.starts_with("cal_") {
            let end = run(at + 4, &|b: u8| b.is_ascii_alphanumeric());
            (end - (at + 4) >= 8).then_some(at..end)
        } else if text[at..].starts_with("eyJ") {
            let end = run(at, &|b: u8| base64url(b) || b == b'.');
            let token = &text[at..end];
            token
                .split_once('.')
                .is_some_and(|(_, tail)| tail.bytes().any(base64url))
                .then_some(at..end)
        } else if rest.starts_with("bearer ") {
            let from = at + "bearer ".len();
            let end = run(from, &|b: u8| !b.is_ascii_whitespace());
            (end > from).then_some(from..end)
        } else {
            None
        };
        match found {
            Some(span) => {
                at = span.end.max(at + 1);
                spans.push(span);
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    spans
}

/// Percent-decodes `text` (and `+` as a space in a query); an invalid
/// escape stays as it is, invalid UTF-8 becomes U+FFFD.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Cow<'_, str> {
    if !(text.contains('%') || plus_is_space && text.contains('+')) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                match (
                    bytes.get(at + 1).copied().and_then(hex),
                    bytes.get(at + 2).copied().and_then(hex),
                ) {
                    (Some(high), Some(low)) => {
                        out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                        at += 3;
                    }
                    _ => {
                        out.push(b'%');
                        at += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                at += 1;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "cal_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    fn target(uri: &str) -> String {
        match uri.split_once('?') {
            Some((path, query)) => request_target(path, Some(query)),
            None => request_target(uri, None),
        }
    }

    #[test]
    fn a_feed_token_in_the_path_is_redacted() {
        assert_eq!(
            target(&format!("/calendar/{TOKEN}.ics")),
            "/calendar/[redacted]"
        );
        // Percent-encoded, upper case, truncated, malformed: all redacted.
        assert_eq!(
            target(&format!("/calendar/%63al_{}.ics", &TOKEN[4..])),
            "/calendar/[redacted]"
        );
        assert_eq!(
            target(&format!("/calendar/{}.ics", TOKEN.to_uppercase())),
            "/calendar/[redacted]"
        );
        assert_eq!(target("/calendar/cal_0123.ics"), "/calendar/[redacted]");
        assert_eq!(target("/calendar/anything"), "/calendar/[redacted]");
        // Anywhere else in a path too.
        assert_eq!(
            target(&format!("/elsewhere/{TOKEN}/x")),
            "/elsewhere/[redacted]/x"
        );
    }

    #[test]
    fn paths_without_secrets_are_kept() {
        for uri in [
            "/calendar/me.ics",
            "/calendar/me.ics?memberState=KAZ",
            "/calendar/",
            "/graphql",
            "/graphql?query=%7B%20viewer%20%7B%20id%20%7D%20%7D",
            "/files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "/healthz",
            "/",
        ] {
            assert_eq!(target(uri), uri);
        }
    }

    #[test]
    fn credentials_in_query_strings_are_redacted() {
        assert_eq!(
            target("/calendar/me.ics?token=s3cr3t&memberState=KAZ"),
            "/calendar/me.ics?token=[redacted]&memberState=KAZ"
        );
        assert_eq!(
            target("/graphql?access_token=abc&Api_Key=def&sig=x&password=p"),
            "/graphql?access_token=[redacted]&Api_Key=[redacted]&sig=[redacted]&password=[redacted]"
        );
        // An encoded name is decoded before it is judged.
        assert_eq!(target("/x?%74oken=abc"), "/x?%74oken=[redacted]");
        // A JWT or a feed token as any value, or as a bare name.
        assert_eq!(
            target(&format!(
                "/graphql?query=x&variables=%7B%22t%22%3A%22{TOKEN}%22%7D"
            )),
            "/graphql?query=x&variables=[redacted]"
        );
        assert_eq!(target(&format!("/x?a={JWT}")), "/x?a=[redacted]");
        assert_eq!(target(&format!("/x?{TOKEN}")), "/x?[redacted]");
        assert_eq!(target(&format!("/x?{TOKEN}=1")), "/x?[redacted]");
        assert_eq!(target("/x?h=Bearer+opaque-credential"), "/x?h=[redacted]");
    }

    #[test]
    fn a_jwt_in_the_path_is_redacted() {
        assert_eq!(target(&format!("/x/{JWT}")), "/x/[redacted]");
        // A JWT's header alone (no dot) is not a credential.
        assert_eq!(target("/x/eyJhbGciOiJIUzI1NiJ9"), "/x/eyJhbGciOiJIUzI1NiJ9");
    }

    #[test]
    fn credentials_in_messages_are_redacted() {
        assert_eq!(
            text(&format!("no feed {TOKEN}.ics here")),
            "no feed [redacted].ics here"
        );
        assert_eq!(
            text(&format!("Authorization: Bearer {JWT} refused")),
            "Authorization: Bearer [redacted] refused"
        );
        assert_eq!(
            text(&format!("token {JWT}, again {JWT}")),
            "token [redacted], again [redacted]"
        );
        assert!(matches!(text("nothing to hide"), Cow::Borrowed(_)));
        assert_eq!(text("calendar cal_ short"), "calendar cal_ short");
        assert_eq!(text("é cal_é"), "é cal_é");
    }

    #[test]
    fn percent_decoding_keeps_invalid_escapes() {
        assert_eq!(percent_decode("a%20b%2", false), "a b%2");
        assert_eq!(percent_decode("a+b%zz", true), "a b%zz");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("%C3%A9%FF", false), "é\u{FFFD}");
    }
}
