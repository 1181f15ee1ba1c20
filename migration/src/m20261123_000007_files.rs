//! Stored files and background job leases:
//!
//! - `blobs`, keyed by `sha256` (lower-case hex): one row per distinct
//!   content in the file store, with its size, sniffed content type and
//!   when it was first stored.
//! - `uploads`: one row per upload (`id`, a UUID) naming the content it
//!   stored (`sha256`), the client's file name, the content type, the
//!   uploader (`uploaded_by`, `uploaded_by_org`) and `uploaded_at`. Many
//!   uploads may name one content; submissions refer to an upload.
//! - `job_leases`: one row per background job: which instance holds it
//!   (`holder`) until when (`lease_until`), and when it last ran with what
//!   outcome. Instants are milliseconds since the Unix epoch, compared as
//!   integers alike on SQLite and PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Blobs {
    Table,
    Sha256,
    Size,
    ContentType,
    StoredAt,
}

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    Sha256,
    FileName,
    ContentType,
    UploadedBy,
    UploadedByOrg,
    UploadedAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    LeaseUntil,
    LastRunAt,
    LastOutcome,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Blobs::Table)
                    .col(string_len(Blobs::Sha256, 64).primary_key())
                    .col(big_integer(Blobs::Size))
                    .col(string_len(Blobs::ContentType, 100))
                    .col(string_len(Blobs::StoredAt, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(string_len(Uploads::Id, 36).primary_key())
                    .col(string_len(Uploads::Sha256, 64))
                    .col(string_len(Uploads::FileName, 1024))
                    .col(string_len(Uploads::ContentType, 100))
                    .col(string_len(Uploads::UploadedBy, 200))
                    .col(string_len(Uploads::UploadedByOrg, 16))
                    .col(string_len(Uploads::UploadedAt, 40))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_uploads_blob")
                            .from(Uploads::Table, Uploads::Sha256)
                            .to(Blobs::Table, Blobs::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_sha256")
                    .table(Uploads::Table)
                    .col(Uploads::Sha256)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 100).primary_key())
                    .col(string_len_null(JobLeases::Holder, 200))
                    .col(big_integer(JobLeases::LeaseUntil).default(0))
                    .col(big_integer_null(JobLeases::LastRunAt))
                    .col(text_null(JobLeases::LastOutcome))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobLeases::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Uploads::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Blobs::Table).to_owned())
            .await
    }
}
