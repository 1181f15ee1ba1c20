//! Stored files: `uploadFile` (a GraphQL multipart request) and the
//! `StoredFile` it returns. The bytes are checked and stored by
//! `accord_workflow::blobs`; they are read back at `GET /files/<sha256>`.

use accord_workflow::blobs::{self, BlobStore, NewUpload};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Context, ID, Object, Result, Upload};
use chrono::{DateTime, Utc};

use super::common::reader;
use crate::error::{Code, GqlResult, coded, internal};

/// The mutations that take an `Upload`: the only root fields a multipart
/// request may run. Each performs `Action::UploadFile` (see
/// [`super::MUTATIONS`]); a test checks both against the schema.
pub const UPLOAD_MUTATIONS: &[&str] = &["uploadFile"];

/// Whether the operation of a request (`operation` being its
/// `operationName`) is a mutation whose root fields, fragments followed,
/// are all [`UPLOAD_MUTATIONS`].
pub fn is_upload_operation(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    super::limits::is_mutation_of_only(document, operation, UPLOAD_MUTATIONS)
}

/// The mutations on stored files.
#[derive(Debug, Default)]
pub struct FilesMutation;

#[Object]
impl FilesMutation {
    /// Store a document (Secretariat officers and member-state delegates),
    /// sent as a GraphQL multipart request (the `Upload` scalar) with the
    /// header `X-Accord-Upload: 1`. Accepted formats: PDF, DOCX, DOC, ODT,
    /// RTF and plain text, recognised from the content itself; a file of
    /// another type, or whose declared type contradicts its content, is
    /// BAD_USER_INPUT. The content is stored under its SHA-256 and never
    /// overwritten: the same content uploaded twice is stored once, and
    /// each upload gets its own id.
    async fn upload_file(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file: the multipart request's one file part.")] file: Upload,
    ) -> Result<StoredFile> {
        let actor = reader(ctx)?.actor();
        let upload = ctx.query_env.uploads.get(file.0).ok_or_else(|| {
            coded(
                Code::BadUserInput,
                "the file part of the request is missing",
            )
        })?;
        let blobs = ctx.data::<BlobStore>()?;
        let engine = ctx.data::<accord_workflow::Engine>()?;
        let stored = blobs::upload(
            engine.store(),
            blobs,
            actor,
            NewUpload {
                file_name: upload.filename.clone(),
                declared_type: upload.content_type.clone(),
                bytes: upload.content.to_vec(),
            },
        )
        .await
        .gql()?;
        Ok(StoredFile(stored))
    }
}

/// One upload of a stored document.
#[derive(Debug)]
pub struct StoredFile(blobs::StoredFile);

/// One upload of a stored document.
#[Object]
impl StoredFile {
    /// The upload's id; a submission refers to the upload by it.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The content's SHA-256, lower-case hex: its address in the file store.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// The size in bytes.
    async fn size(&self) -> Result<i32> {
        i32::try_from(self.0.size).map_err(|_| internal(&"a file size beyond Int"))
    }

    /// The MIME type found from the content (not the one the client sent).
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// The file name the client gave (its last path component).
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// When it was uploaded.
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.uploaded_at
    }

    /// Where an authenticated client downloads the content:
    /// `/files/<sha256>`.
    async fn download_path(&self) -> String {
        format!("/files/{}", self.0.sha256)
    }
}

#[cfg(test)]
mod tests {
    use accord_workflow::Action;
    use serde_json::Value;

    use super::UPLOAD_MUTATIONS;
    use crate::schema::{Limits, MUTATIONS, build};

    /// The type name under `NON_NULL` and `LIST` wrappers.
    fn named(ty: &Value) -> String {
        match ty["name"].as_str() {
            Some(name) => name.to_owned(),
            None => named(&ty["ofType"]),
        }
    }

    #[tokio::test]
    async fn the_upload_mutations_are_the_mutations_taking_an_upload() {
        let response = build(&Limits::default())
            .execute(
                "{ __schema { mutationType { fields { name args { type { name ofType { name ofType { name ofType { name } } } } } } } } }",
            )
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let mut taking: Vec<String> = data["__schema"]["mutationType"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|field| {
                field["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|arg| named(&arg["type"]) == "Upload")
            })
            .map(|field| field["name"].as_str().unwrap().to_owned())
            .collect();
        taking.sort();
        let mut listed: Vec<String> = UPLOAD_MUTATIONS.iter().map(|m| (*m).to_owned()).collect();
        listed.sort();
        assert_eq!(taking, listed);
        // The server checks `Action::UploadFile` before reading a multipart
        // body: every upload mutation must perform that action.
        for name in UPLOAD_MUTATIONS {
            assert!(
                MUTATIONS.contains(&(*name, Action::UploadFile)),
                "{name} does not perform Action::UploadFile"
            );
        }
    }
}
