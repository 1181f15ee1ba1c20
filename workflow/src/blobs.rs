//! Stored files, content-addressed.
//!
//! A file's bytes live once on disk under their SHA-256 (lower-case hex),
//! at `<dir>/<first two hex digits>/<all 64 hex digits>`. A file is written
//! to a temporary file in the same directory, flushed to disk, and linked
//! into place (a hard link, which unlike a rename never replaces a name), so a reader never sees half a file; storing the same bytes
//! again finds the file there and writes nothing. Accord never modifies or
//! deletes a stored file.
//!
//! The database keeps two tables (migration `m20261123_000007_files`):
//!
//! - `blobs`, keyed by `sha256`: the content's size and sniffed content
//!   type, and when it was first stored. One row per distinct content.
//! - `uploads`, one row per upload (`id`, a UUID): the `sha256` it stored,
//!   the file name the client gave, the content type, who uploaded it and
//!   when. Many uploads may name one content; a submission (or anything
//!   else) refers to an upload by its id, which keeps the file name and the
//!   uploader that the content alone does not have.
//!
//! The content type is never taken from the client: it is sniffed from the
//! bytes ([`sniff`]) and checked against an allow-list of the document
//! formats concept papers, programmes and reports come in. A declared type
//! that contradicts the bytes is refused.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use sha2::{Digest, Sha256};
use strum::VariantArray as _;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::entity::{blob, upload};
use crate::error::{Result, WorkflowError};
use crate::permissions::{self, Action};
use crate::store::Store;

/// The default largest file: 20 MiB.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// A document format Accord accepts, by its MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum FileKind {
    /// `application/pdf`.
    Pdf,
    /// `application/vnd.openxmlformats-officedocument.wordprocessingml.document`.
    Docx,
    /// `application/msword` (Word 97–2003).
    Doc,
    /// `application/vnd.oasis.opendocument.text`.
    Odt,
    /// `application/rtf`.
    Rtf,
    /// `text/plain`: UTF-8 without control characters other than tab,
    /// line feed, form feed and carriage return.
    Text,
}

impl FileKind {
    /// The MIME type stored and served.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Doc => "application/msword",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Rtf => "application/rtf",
            FileKind::Text => "text/plain",
        }
    }

    /// The MIME types a client may declare for this format (browsers and
    /// tools disagree on a few).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            FileKind::Rtf => &["text/rtf", "application/x-rtf"],
            FileKind::Doc => &["application/vnd.ms-word"],
            FileKind::Pdf => &["application/x-pdf"],
            FileKind::Docx | FileKind::Odt | FileKind::Text => &[],
        }
    }

    /// The format whose MIME type is `mime`, if accepted.
    pub fn from_mime(mime: &str) -> Option<FileKind> {
        FileKind::VARIANTS
            .iter()
            .copied()
            .find(|kind| kind.mime() == mime)
    }
}

/// The accepted format of `bytes`, found from the bytes themselves.
/// `declared` is the client's content type: it is ignored when absent or
/// generic (`application/octet-stream`), and must otherwise name the same
/// format. A format outside the allow-list, or a declared type the bytes
/// contradict, is `BAD_USER_INPUT`.
pub fn sniff(bytes: &[u8], declared: Option<&str>) -> Result<FileKind> {
    let kind = if infer::doc::is_docx(bytes) {
        FileKind::Docx
    } else if infer::doc::is_doc(bytes) {
        FileKind::Doc
    } else if infer::odf::is_odt(bytes) {
        FileKind::Odt
    } else if infer::archive::is_pdf(bytes) {
        FileKind::Pdf
    } else if infer::archive::is_rtf(bytes) {
        FileKind::Rtf
    } else if let Some(other) = infer::get(bytes) {
        return Err(WorkflowError::bad_input(format!(
            "files of type {} are not accepted; send PDF, DOCX, DOC, ODT, RTF or plain text",
            other.mime_type()
        )));
    } else if is_plain_text(bytes) {
        FileKind::Text
    } else {
        return Err(WorkflowError::bad_input(
            "the file's type is not accepted; send PDF, DOCX, DOC, ODT, RTF or plain text",
        ));
    };
    if let Some(declared) = declared {
        let declared = declared
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let generic = declared.is_empty() || declared == "application/octet-stream";
        if !generic && declared != kind.mime() && !kind.aliases().contains(&declared.as_str()) {
            return Err(WorkflowError::bad_input(format!(
                "the file was sent as {declared} but its content is {}",
                kind.mime()
            )));
        }
    }
    Ok(kind)
}

/// Whether `bytes` read as plain text: non-empty UTF-8 with no control
/// character other than tab, line feed, form feed and carriage return.
fn is_plain_text(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|text| {
            text.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
        })
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `text` is a SHA-256 as Accord writes it: 64 lower-case hex
/// digits. Anything else names no stored file (and never a path).
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The directory of stored files.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
    max_bytes: usize,
}

impl BlobStore {
    /// A store in `dir` (created if missing) accepting files of at most
    /// `max_bytes`.
    pub fn open(dir: impl Into<PathBuf>, max_bytes: usize) -> Result<BlobStore> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|error| storage(&dir, &error))?;
        Ok(BlobStore { dir, max_bytes })
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Where the content with hash `sha256` lives (whether or not it does).
    fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join(&sha256[..2]).join(sha256)
    }

    /// Stores `bytes` and returns their SHA-256. Bytes already stored are
    /// not written again; a stored file is never replaced.
    pub async fn put(&self, bytes: Vec<u8>) -> Result<String> {
        let sha256 = sha256_hex(&bytes);
        let path = self.path_of(&sha256);
        tokio::task::spawn_blocking(move || write_once(&path, &bytes))
            .await
            .map_err(|error| WorkflowError::Storage(format!("the writer stopped: {error}")))??;
        Ok(sha256)
    }

    /// The stored content with hash `sha256`, checked against it: `None`
    /// when nothing is stored under it; `Corrupt` when the bytes on disk no
    /// longer hash to their name.
    pub async fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        if !is_sha256_hex(sha256) {
            return Ok(None);
        }
        let path = self.path_of(sha256);
        let bytes = match tokio::fs::read(&path).await {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(storage(&path, &error)),
        };
        let actual = sha256_hex(&bytes);
        if actual != sha256 {
            return Err(WorkflowError::Corrupt(format!(
                "stored file {sha256} hashes to {actual}"
            )));
        }
        Ok(Some(bytes))
    }
}

/// Writes `bytes` to `path` unless a file is there already: a temporary
/// file in the same directory, synced, then linked into place (and the
/// directory synced), so the file appears whole or not at all.
fn write_once(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let dir = path
        .parent()
        .ok_or_else(|| WorkflowError::Storage("a stored file has no directory".into()))?;
    std::fs::create_dir_all(dir).map_err(|error| storage(dir, &error))?;
    let temp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        // A hard link, unlike a rename, never replaces an existing name:
        // of two writers of the same content, the second finds the first's
        // file and leaves it as it is.
        match std::fs::hard_link(&temp, path) {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => return Err(error),
            _ => {}
        }
        std::fs::File::open(dir)?.sync_all()
    })();
    let _ = std::fs::remove_file(&temp);
    written.map_err(|error| storage(path, &error))
}

fn storage(path: &Path, error: &std::io::Error) -> WorkflowError {
    WorkflowError::Storage(format!("{}: {error}", path.display()))
}

/// A file as uploaded: what the client sent.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// The file name the client gave (only the last path component is
    /// kept).
    pub file_name: String,
    /// The content type the client declared, checked against the bytes.
    pub declared_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
}

/// One upload of a stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The upload's id (a UUID), by which submissions refer to it.
    pub id: String,
    /// The content's SHA-256, lower-case hex.
    pub sha256: String,
    /// The content's size in bytes.
    pub size: i64,
    /// The sniffed MIME type.
    pub content_type: String,
    /// The file name the client gave.
    pub file_name: String,
    /// Who uploaded it (the token's subject).
    pub uploaded_by: String,
    /// The uploader's organisation.
    pub uploaded_by_org: String,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

/// Stores an upload: checks the uploader's permission
/// ([`Action::UploadFile`]), the size and the content type, writes the
/// content (once per distinct content), and records the upload with its
/// audit record in one write transaction. Nothing touches the disk before
/// the checks pass.
pub async fn upload(
    store: &Store,
    blobs: &BlobStore,
    actor: &Actor,
    new: NewUpload,
) -> Result<StoredFile> {
    permissions::decide(actor, Action::UploadFile, None)?;
    if new.bytes.len() > blobs.max_bytes() {
        return Err(WorkflowError::bad_input(format!(
            "the file is larger than {} bytes",
            blobs.max_bytes()
        )));
    }
    if new.bytes.is_empty() {
        return Err(WorkflowError::bad_input("the file is empty"));
    }
    let file_name = clean_file_name(&new.file_name)?;
    let kind = sniff(&new.bytes, new.declared_type.as_deref())?;
    let size = i64::try_from(new.bytes.len())
        .map_err(|_| WorkflowError::bad_input("the file is too large"))?;
    // Written before the transaction: a content without a row is harmless
    // (the next upload of it finds it there), a row without its content is
    // not.
    let sha256 = blobs.put(new.bytes).await?;
    let at = crate::clock::now();
    let stamp = crate::clock::stamp(at);
    let id = uuid::Uuid::now_v7().to_string();
    let tx = store.begin_write().await?;
    if blob::Entity::find_by_id(sha256.clone())
        .one(tx.conn())
        .await?
        .is_none()
    {
        blob::ActiveModel {
            sha256: Set(sha256.clone()),
            size: Set(size),
            content_type: Set(kind.mime().to_owned()),
            stored_at: Set(stamp.clone()),
        }
        .insert(tx.conn())
        .await?;
    }
    upload::ActiveModel {
        id: Set(id.clone()),
        sha256: Set(sha256.clone()),
        file_name: Set(file_name.clone()),
        content_type: Set(kind.mime().to_owned()),
        uploaded_by: Set(actor.sub().to_owned()),
        uploaded_by_org: Set(actor.org().to_string()),
        uploaded_at: Set(stamp),
    }
    .insert(tx.conn())
    .await?;
    tx.commit_audited(
        actor,
        AuditRecord::of(
            Action::UploadFile,
            "upload",
            &id,
            None,
            json!({
                "sha256": sha256,
                "size": size,
                "content_type": kind.mime(),
                "file_name": file_name,
            }),
        ),
        at,
    )
    .await?;
    Ok(StoredFile {
        id,
        sha256,
        size,
        content_type: kind.mime().to_owned(),
        file_name,
        uploaded_by: actor.sub().to_owned(),
        uploaded_by_org: actor.org().to_string(),
        uploaded_at: at,
    })
}

/// What a download needs: the content's type and a file name for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    /// The content's SHA-256.
    pub sha256: String,
    /// The sniffed MIME type.
    pub content_type: String,
    /// The file name of its first upload.
    pub file_name: String,
}

/// The recorded content with hash `sha256`, if any.
pub async fn info(store: &Store, sha256: &str) -> Result<Option<BlobInfo>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    if !is_sha256_hex(sha256) {
        return Ok(None);
    }
    let Some(row) = blob::Entity::find_by_id(sha256.to_owned())
        .one(store.db())
        .await?
    else {
        return Ok(None);
    };
    let first = upload::Entity::find()
        .filter(upload::Column::Sha256.eq(sha256))
        .order_by_asc(upload::Column::UploadedAt)
        .one(store.db())
        .await?;
    Ok(Some(BlobInfo {
        sha256: row.sha256,
        content_type: row.content_type,
        file_name: first.map_or_else(|| sha256.to_owned(), |u| u.file_name),
    }))
}

/// The upload with `id`, if any (for attaching it to a submission).
pub async fn find_upload<C: sea_orm::ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<StoredFile>> {
    let Some(row) = upload::Entity::find_by_id(id.to_owned()).one(conn).await? else {
        return Ok(None);
    };
    let size = blob::Entity::find_by_id(row.sha256.clone())
        .one(conn)
        .await?
        .map(|b| b.size)
        .ok_or_else(|| WorkflowError::Corrupt(format!("upload {id} names no stored file")))?;
    let uploaded_at = crate::clock::parse_stamp(&row.uploaded_at, &format!("upload {id}"))?;
    Ok(Some(StoredFile {
        id: row.id,
        sha256: row.sha256,
        size,
        content_type: row.content_type,
        file_name: row.file_name,
        uploaded_by: row.uploaded_by,
        uploaded_by_org: row.uploaded_by_org,
        uploaded_at,
    }))
}

/// The last path component of a client's file name, at most 255
/// characters, checked as any one-line text (a control or bidirectional
/// character is refused, not dropped: `report\u{202E}txt.exe` would show
/// as a harmless name); an empty one is refused.
fn clean_file_name(name: &str) -> Result<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    if last.trim().is_empty() || last.trim() == "." || last.trim() == ".." {
        return Err(WorkflowError::bad_input("the file needs a name"));
    }
    Ok(accord_domain::one_line("file name", last, 255)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first bytes of a real PDF.
    pub(crate) const PDF: &[u8] =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";

    fn temp_dir() -> PathBuf {
        std::env::temp_dir().join(format!("accord-blobs-{}", uuid::Uuid::new_v4().simple()))
    }

    #[test]
    fn formats_are_sniffed_from_the_bytes() {
        assert_eq!(sniff(PDF, None).unwrap(), FileKind::Pdf);
        assert_eq!(sniff(b"{\\rtf1\\ansi hello}", None).unwrap(), FileKind::Rtf);
        assert_eq!(
            sniff("Concept paper — Астана\n".as_bytes(), None).unwrap(),
            FileKind::Text
        );
        assert_eq!(
            sniff(PDF, Some("application/pdf; name=x")).unwrap(),
            FileKind::Pdf
        );
        assert_eq!(
            sniff(PDF, Some("application/octet-stream")).unwrap(),
            FileKind::Pdf
        );
        assert_eq!(
            sniff(b"{\\rtf1 x}", Some("text/rtf")).unwrap(),
            FileKind::Rtf
        );
    }

    #[test]
    fn disallowed_or_mislabelled_files_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(sniff(png, None), Err(WorkflowError::Rejected(_))));
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff";
        assert!(matches!(sniff(exe, None), Err(WorkflowError::Rejected(_))));
        assert!(matches!(
            sniff(b"\x00\x01\x02binary", None),
            Err(WorkflowError::Rejected(_))
        ));
        assert!(matches!(
            sniff(b"plain words", Some("application/pdf")),
            Err(WorkflowError::Rejected(_))
        ));
    }

    #[test]
    fn file_names_keep_their_last_component() {
        assert_eq!(
            clean_file_name("../../etc/passwd").unwrap(),
            "passwd".to_owned()
        );
        assert_eq!(
            clean_file_name("C:\\x\\Concept.pdf").unwrap(),
            "Concept.pdf"
        );
        assert!(clean_file_name("dir/").is_err());
        assert!(clean_file_name("..").is_err());
    }

    #[test]
    fn file_names_with_control_or_bidi_characters_are_refused() {
        for name in [
            "report\u{202E}fdp.exe",
            "a\rb.pdf",
            "a\nb.pdf",
            "x\u{0}.pdf",
            "\u{2066}a.pdf",
        ] {
            assert!(
                matches!(clean_file_name(name), Err(WorkflowError::BadInput(_))),
                "{name:?}"
            );
        }
    }

    #[tokio::test]
    async fn two_uploads_of_one_content_are_two_records_of_one_file() {
        let store = crate::testing::fresh_store().await;
        let blobs = BlobStore::open(temp_dir(), DEFAULT_MAX_BYTES).unwrap();
        let officer = crate::testing::officer();
        let new = |name: &str| NewUpload {
            file_name: name.into(),
            declared_type: Some("application/pdf".into()),
            bytes: PDF.to_vec(),
        };
        let first = upload(&store, &blobs, &officer, new("a.pdf"))
            .await
            .unwrap();
        let second = upload(&store, &blobs, &officer, new("b.pdf"))
            .await
            .unwrap();
        assert_eq!(first.sha256, second.sha256);
        assert_ne!(first.id, second.id);
        assert_eq!(
            find_upload(store.db(), &second.id).await.unwrap().unwrap(),
            second
        );
        let info = info(&store, &first.sha256).await.unwrap().unwrap();
        assert_eq!(info.file_name, "a.pdf");
        assert_eq!(info.content_type, "application/pdf");
        assert_eq!(blob::Entity::find().all(store.db()).await.unwrap().len(), 1);

        let small = BlobStore::open(temp_dir(), 8).unwrap();
        assert!(matches!(
            upload(&store, &small, &officer, new("big.pdf")).await,
            Err(WorkflowError::Rejected(_))
        ));
    }

    #[tokio::test]
    async fn the_same_content_is_stored_once_and_read_back_checked() {
        let dir = temp_dir();
        let blobs = BlobStore::open(&dir, DEFAULT_MAX_BYTES).unwrap();
        let first = blobs.put(PDF.to_vec()).await.unwrap();
        let second = blobs.put(PDF.to_vec()).await.unwrap();
        assert_eq!(first, second);
        assert_eq!(first, sha256_hex(PDF));
        let files: Vec<_> = std::fs::read_dir(dir.join(&first[..2]))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files.len(), 1, "one file, no temporary left: {files:?}");
        assert_eq!(blobs.get(&first).await.unwrap().unwrap(), PDF);
        assert_eq!(blobs.get(&"0".repeat(64)).await.unwrap(), None);
        assert_eq!(blobs.get("../../etc/passwd").await.unwrap(), None);

        // A file changed on disk is found out, not served.
        std::fs::write(blobs.path_of(&first), b"%PDF-1.7 tampered").unwrap();
        assert!(matches!(
            blobs.get(&first).await,
            Err(WorkflowError::Corrupt(_))
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
