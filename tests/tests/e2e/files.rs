//! Stored files: `uploadFile` as a GraphQL multipart request, and
//! `GET /files/<sha256>`.
//!
//! A file over `ACCORD_MAX_UPLOAD_BYTES` is refused with 413 and the code
//! BAD_USER_INPUT, before anything is stored.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Backend, TestApp, error_code, spawn_app};
use crate::on_both_backends;

on_both_backends!(
    round_trip =>
        an_uploaded_file_is_stored_once_and_downloaded_intact_sqlite,
        an_uploaded_file_is_stored_once_and_downloaded_intact_postgres
);
on_both_backends!(
    refusals =>
        uploads_that_break_a_rule_store_nothing_sqlite,
        uploads_that_break_a_rule_store_nothing_postgres
);

/// The first bytes of a real PDF.
pub(crate) const PDF: &[u8] =
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";

pub(crate) const UPLOAD: &str = "mutation ($file: Upload!) { uploadFile(file: $file) { id sha256 size contentType fileName downloadPath } }";

pub(crate) const BOUNDARY: &str = "accord-test-boundary-7c1f";

/// A multipart body: `operations`, `map`, then each (field, file name,
/// content type, bytes).
pub(crate) fn multipart(
    operations: &Value,
    map: &Value,
    files: &[(&str, &str, &str, &[u8])],
) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("operations", operations), ("map", map)] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (field, file_name, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// One file sent to `uploadFile`.
pub(crate) fn one_file(file_name: &str, content_type: &str, bytes: &[u8]) -> Vec<u8> {
    multipart(
        &json!({ "query": UPLOAD, "variables": { "file": null } }),
        &json!({ "0": ["variables.file"] }),
        &[("0", file_name, content_type, bytes)],
    )
}

/// `POST /graphql` as multipart, with the upload header when `csrf`.
pub(crate) async fn post_multipart(
    app: &TestApp,
    token: Option<&str>,
    csrf: bool,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    if csrf {
        request = request.header("x-accord-upload", "1");
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got {status}: {text}"));
    (status, value)
}

/// The files in the store (temporary files included).
pub(crate) fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.files_dir, &mut out);
    out
}

async fn round_trip(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let delegate = app.delegate("KAZ");
    let (status, body) = post_multipart(
        &app,
        Some(&delegate),
        true,
        one_file("Concept paper.pdf", "application/pdf", PDF),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let first = body["data"]["uploadFile"].clone();
    let sha256 = hex::encode(Sha256::digest(PDF));
    assert_eq!(first["sha256"], json!(sha256), "{body}");
    assert_eq!(first["size"], json!(PDF.len()));
    assert_eq!(first["contentType"], json!("application/pdf"));
    assert_eq!(first["fileName"], json!("Concept paper.pdf"));
    assert_eq!(first["downloadPath"], json!(format!("/files/{sha256}")));

    // The same content again, by the Secretariat, declared generically:
    // the same address, a new upload, still one file on disk.
    let (status, body) = post_multipart(
        &app,
        Some(&app.secretariat()),
        true,
        one_file("copy.pdf", "application/octet-stream", PDF),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second = &body["data"]["uploadFile"];
    assert_eq!(second["sha256"], json!(sha256));
    assert_ne!(second["id"], first["id"]);
    assert_eq!(stored_files(&app).len(), 1, "{:?}", stored_files(&app));

    // Downloaded by anyone authenticated, with its type and first name.
    let download = |token: Option<String>, path: String| {
        let mut request = app.client.get(format!("{}{path}", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = download(Some(app.observer("JPN")), format!("/files/{sha256}"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("x-content-type-options"), "nosniff");
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"Concept paper.pdf\"")
            && disposition.contains("filename*=UTF-8''Concept%20paper.pdf"),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..], PDF);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), sha256);

    let status = |response: reqwest::Response| response.status().as_u16();
    let unknown = "0".repeat(64);
    assert_eq!(
        status(
            download(Some(delegate.clone()), format!("/files/{unknown}"))
                .await
                .unwrap()
        ),
        404
    );
    assert_eq!(
        status(
            download(
                Some(delegate.clone()),
                "/files/..%2F..%2Fetc%2Fpasswd".into()
            )
            .await
            .unwrap()
        ),
        404
    );
    assert_eq!(
        status(download(None, format!("/files/{sha256}")).await.unwrap()),
        401
    );

    // A file changed on disk is never served.
    std::fs::write(&stored_files(&app)[0], b"%PDF-1.7 altered").unwrap();
    assert_eq!(
        status(
            download(Some(delegate), format!("/files/{sha256}"))
                .await
                .unwrap()
        ),
        500
    );
}

async fn refusals(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let delegate = app.delegate("KAZ");
    let expect = |(status, body): (u16, Value), want_status: u16, code: &str| {
        assert_eq!(status, want_status, "{body}");
        assert_eq!(error_code(&body).as_deref(), Some(code), "{body}");
    };

    // A type outside the allow-list, whatever the client declares.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    expect(
        post_multipart(
            &app,
            Some(&delegate),
            true,
            one_file("x.pdf", "application/pdf", png),
        )
        .await,
        200,
        "BAD_USER_INPUT",
    );
    // A declared type the content contradicts.
    expect(
        post_multipart(
            &app,
            Some(&delegate),
            true,
            one_file("x.pdf", "application/pdf", b"plain words"),
        )
        .await,
        200,
        "BAD_USER_INPUT",
    );
    // Too large: one byte over the default 20 MiB.
    let mut big = PDF.to_vec();
    big.resize(20 * 1024 * 1024 + 1, b' ');
    expect(
        post_multipart(
            &app,
            Some(&delegate),
            true,
            one_file("big.pdf", "application/pdf", &big),
        )
        .await,
        413,
        "BAD_USER_INPUT",
    );
    // No token, and tokens of those who may not upload (refused before
    // the body is read).
    expect(
        post_multipart(&app, None, true, one_file("a.pdf", "application/pdf", PDF)).await,
        401,
        "UNAUTHENTICATED",
    );
    for token in [app.observer("JPN"), app.counterpart("SCO"), app.sg("CICA")] {
        expect(
            post_multipart(
                &app,
                Some(&token),
                true,
                one_file("a.pdf", "application/pdf", PDF),
            )
            .await,
            403,
            "FORBIDDEN",
        );
    }
    // Without the upload header (a cross-site form could send it).
    expect(
        post_multipart(
            &app,
            Some(&delegate),
            false,
            one_file("a.pdf", "application/pdf", PDF),
        )
        .await,
        400,
        "BAD_USER_INPUT",
    );
    // A batch in the operations part.
    let batch = multipart(
        &json!([
            { "query": UPLOAD, "variables": { "file": null } },
            { "query": UPLOAD, "variables": { "file": null } }
        ]),
        &json!({ "0": ["0.variables.file", "1.variables.file"] }),
        &[("0", "a.pdf", "application/pdf", PDF)],
    );
    expect(
        post_multipart(&app, Some(&delegate), true, batch).await,
        400,
        "BAD_USER_INPUT",
    );
    // Two files where one is allowed.
    let two = multipart(
        &json!({ "query": UPLOAD, "variables": { "file": null } }),
        &json!({ "0": ["variables.file"], "1": ["variables.file"] }),
        &[
            ("0", "a.pdf", "application/pdf", PDF),
            ("1", "b.pdf", "application/pdf", PDF),
        ],
    );
    let (status, body) = post_multipart(&app, Some(&delegate), true, two).await;
    assert_eq!(status, 400, "{body}");
    // An Upload value that names no file part, in JSON or multipart.
    for file in ["#__graphql_file__:0", "#__graphql_file__:x"] {
        let (status, body) = app
            .post(
                Some(&delegate),
                &json!({ "query": UPLOAD, "variables": { "file": file } }),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));
    }
    let inline = multipart(
        &json!({ "query": "mutation { uploadFile(file: \"#__graphql_file__:7\") { sha256 } }" }),
        &json!({}),
        &[],
    );
    expect(
        post_multipart(&app, Some(&delegate), true, inline).await,
        400,
        "BAD_USER_INPUT",
    );

    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));
}
