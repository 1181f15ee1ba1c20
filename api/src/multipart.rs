//! Reading a GraphQL multipart request (graphql-multipart-request-spec)
//! as a stream, each part held to its own limit.
//!
//! The parts must come in the spec's order: `operations`, then `map`, then
//! the file parts the map names. `operations` and `map` are each read up to
//! the JSON body limit (`max_body_bytes`, 413 beyond) before they are
//! parsed; the operation must be an upload mutation
//! ([`crate::schema::files::UPLOAD_MUTATIONS`]) and the map name one file
//! at most, or the request is refused before a byte of a file is read. Only
//! then may the body grow to the upload limit.
//!
//! A multipart parser reads ahead of the part it is on, as far as the
//! client has sent. Until the operation is accepted, the body stream is
//! held to what the `operations` and `map` parts may take ([`Gate`]), so a
//! large first part is never buffered whole: the parser either finds the
//! end of the part within that allowance or the request is refused.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures_core::Stream;
use poem::Body;

use crate::http::{Refused, parse_request};
use crate::schema::files::{UPLOAD_MUTATIONS, is_upload_operation};

/// Room for a multipart request's boundaries and part headers, on top of
/// its parts' contents.
const FRAMING_BYTES: u64 = 64 * 1024;

/// The name of the part holding the GraphQL request.
const OPERATIONS: &str = "operations";

/// The name of the part mapping file parts to variables.
const MAP: &str = "map";

/// The limits a multipart request is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The `operations` part and the `map` part, each (the JSON body limit).
    pub max_body_bytes: usize,
    /// The file.
    pub max_upload_bytes: usize,
}

/// Reads the upload request of a multipart body whose `Content-Type` is
/// `content_type`: the GraphQL request with its file attached, or why it
/// is refused (400 for a malformed or non-upload request, 413 for a part
/// over its limit).
pub(crate) async fn read_upload(
    content_type: &str,
    body: Body,
    limits: Limits,
) -> Result<async_graphql::Request, Refused> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Refused::bad_request("the multipart Content-Type has no boundary"))?;
    let body_limit = u64::try_from(limits.max_body_bytes).unwrap_or(u64::MAX);
    let upload_limit = u64::try_from(limits.max_upload_bytes).unwrap_or(u64::MAX);
    let before_files = body_limit.saturating_mul(2).saturating_add(FRAMING_BYTES);
    let gate = Arc::new(Gate::default());
    let stream = Gated {
        inner: Box::pin(body.into_bytes_stream()),
        read: 0,
        allowance: before_files,
        gate: Arc::clone(&gate),
    };
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(upload_limit.saturating_add(before_files))
            .per_field(upload_limit)
            .for_field(OPERATIONS, body_limit)
            .for_field(MAP, body_limit),
    );
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let failed = |error: multer::Error| failure(limits, error);
    let mut before_file = BeforeFile {
        multipart: &mut multipart,
        gate: &gate,
        limits,
        allowance: before_files,
    };

    let bytes = before_file.text_part(OPERATIONS, "first").await?;
    let mut request = parse_request(&bytes, "the operations part")?;
    drop(bytes);
    if request.query.trim().is_empty() {
        return Err(Refused::bad_request(
            "the operations part must be a JSON object with a query string",
        ));
    }
    let operation = request.operation_name.clone();
    match request.parsed_query() {
        Ok(document) if is_upload_operation(document, operation.as_deref()) => {}
        Ok(_) => {
            return Err(Refused::bad_request(format!(
                "a multipart request may only run a mutation of {}; send other operations as application/json",
                UPLOAD_MUTATIONS.join(", ")
            )));
        }
        Err(parse) => {
            return Err(Refused::bad_request(format!(
                "the query of the operations part does not parse: {parse}"
            )));
        }
    }

    let bytes = before_file.text_part(MAP, "second").await?;
    let mut map: HashMap<String, Vec<String>> = serde_json::from_slice(&bytes).map_err(|_| {
        Refused::bad_request(
            "the map part must be a JSON object from file part names to lists of variable paths",
        )
    })?;
    if map.len() > 1 {
        return Err(Refused::bad_request("send one file per request"));
    }

    // The file: only now may the body grow to the upload limit.
    gate.open();
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let Some(paths) = map.remove(&name) else {
            return Err(Refused::bad_request(format!(
                "the part {name:?} is not a file the map names"
            )));
        };
        let Some(filename) = field.file_name().map(str::to_owned) else {
            return Err(Refused::bad_request(format!(
                "the part {name:?} is not a file"
            )));
        };
        let content_type = field.content_type().map(ToString::to_string);
        let content = field.bytes().await.map_err(failed)?;
        for path in paths {
            request.set_upload(
                &path,
                async_graphql::UploadValue {
                    filename: filename.clone(),
                    content_type: content_type.clone(),
                    content: content.clone(),
                },
            );
        }
    }
    if let Some(missing) = map.keys().next() {
        return Err(Refused::bad_request(format!(
            "the map names the file part {missing:?}, which the request does not have"
        )));
    }
    // A file may be mapped to several variables; each is an upload.
    if request.uploads.len() > 1 {
        return Err(Refused::bad_request("send one file per request"));
    }
    Ok(request)
}

/// Why the multipart parser failed: a part or the body over its limit
/// (413), or a malformed body (400).
/// The parts before the file, read while the gate holds the body back.
struct BeforeFile<'m, 'r> {
    multipart: &'m mut multer::Multipart<'r>,
    gate: &'m Gate,
    limits: Limits,
    /// What the parts before the file may take of the body.
    allowance: u64,
}

impl BeforeFile<'_, '_> {
    /// Reads the next part whole; it must be the text part `name`, the
    /// request's `ordinal` part.
    async fn text_part(&mut self, name: &str, ordinal: &str) -> Result<bytes::Bytes, Refused> {
        let held_back = || {
            Refused::too_large(format!(
                "the parts before the file are larger than {} bytes",
                self.allowance
            ))
        };
        let field = self
            .gate
            .within(self.multipart.next_field())
            .await
            .ok_or_else(held_back)?
            .map_err(|error| failure(self.limits, error))?;
        let field = match field {
            Some(field) if field.name() == Some(name) && field.file_name().is_none() => field,
            _ => {
                return Err(Refused::bad_request(format!(
                    "the {ordinal} part of a multipart request must be `{name}`"
                )));
            }
        };
        self.gate
            .within(field.bytes())
            .await
            .ok_or_else(held_back)?
            .map_err(|error| failure(self.limits, error))
    }
}

fn failure(limits: Limits, failed: multer::Error) -> Refused {
    match failed {
        multer::Error::FieldSizeExceeded { field_name, .. }
            if matches!(field_name.as_deref(), Some(OPERATIONS | MAP)) =>
        {
            Refused::too_large(format!(
                "the {} part is larger than {} bytes",
                field_name.as_deref().unwrap_or_default(),
                limits.max_body_bytes
            ))
        }
        multer::Error::FieldSizeExceeded { .. } => Refused::too_large(format!(
            "the file is larger than {} bytes",
            limits.max_upload_bytes
        )),
        multer::Error::StreamSizeExceeded { limit } => {
            Refused::too_large(format!("the request body is larger than {limit} bytes"))
        }
        other => Refused::bad_request(format!("malformed multipart request: {other}")),
    }
}

/// Whether the body may be read past the allowance of the parts before the
/// files, and whether the parser has asked to.
#[derive(Debug, Default)]
struct Gate {
    open: AtomicBool,
    starved: AtomicBool,
}

impl Gate {
    /// Lets the body be read to the end (its whole-stream limit still holds).
    fn open(&self) {
        self.open.store(true, Ordering::Release);
    }

    /// Whether the parser waits for bytes beyond the allowance while the
    /// gate is closed: it will never get them.
    fn starved(&self) -> bool {
        self.starved.load(Ordering::Acquire) && !self.open.load(Ordering::Acquire)
    }

    /// Runs `step` of the parser; `None` when it cannot finish without
    /// reading past the allowance. A parser step that is pending has used
    /// every byte it was given, so pending with the allowance used up means
    /// the part does not end within it.
    async fn within<F: Future>(&self, step: F) -> Option<F::Output> {
        let mut step = std::pin::pin!(step);
        std::future::poll_fn(|cx| match step.as_mut().poll(cx) {
            Poll::Ready(output) => Poll::Ready(Some(output)),
            Poll::Pending if self.starved() => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        })
        .await
    }
}

/// The body stream, which yields nothing past `allowance` bytes (give or
/// take the chunk that crosses it) while its gate is closed.
struct Gated<S> {
    inner: Pin<Box<S>>,
    read: u64,
    allowance: u64,
    gate: Arc<Gate>,
}

impl<S, T, E> Stream for Gated<S>
where
    S: Stream<Item = Result<T, E>>,
    T: AsRef<[u8]>,
{
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.read >= this.allowance && !this.gate.open.load(Ordering::Acquire) {
            // No waker is kept: the one who waits is `Gate::within`, which
            // gives up instead of waiting.
            this.gate.starved.store(true, Ordering::Release);
            return Poll::Pending;
        }
        let polled = this.inner.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            let len = u64::try_from(chunk.as_ref().len()).unwrap_or(u64::MAX);
            this.read = this.read.saturating_add(len);
        }
        polled
    }
}
